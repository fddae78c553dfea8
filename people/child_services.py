"""Writes to an existing child's details: the details themselves and recording an unborn baby's birth.

Both need Act.PERSON_EDIT (practitioners working with the child) and go through
`people.services.record_update`, so each change is one history row, a stale page changes nothing and
the identifying fields need a reason.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from access.authority import Act, authorise

from .child_rules import SENSITIVE_FIELDS, child_details_errors
from .models import Child, Disability, DisabilityCode, RecordChange
from .search import nhs_number_recorded, phonetic_key
from .services import FieldChange, PersonError, record_update

if TYPE_CHECKING:
    from accounts.models import User

# The fields the details form edits, with the labels the history shows.
DETAIL_LABELS: dict[str, str] = {
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "expected_date_of_birth": "Expected date of birth",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "first_language": "First language",
    "interpreter_needed": "Interpreter needed",
    "nhs_number": "NHS number",
    "upn": "Unique Pupil Number",
    "former_upn": "Former UPN",
    "school": "School",
    "gp_practice": "GP practice",
    "home_educated": "Electively home educated",
    "home_educated_since": "Home educated since",
    "family_hub_registered": "Registered with a children's centre or family hub",
    "family_hub_registered_on": "Registered on",
    "early_education_two": "Two-year-old early education offer",
}


def _refresh_name_keys(child: Child) -> None:
    """record_update writes with update(), which skips save(): keep the search keys in step."""
    Child.objects.filter(pk=child.pk).update(
        family_key=phonetic_key(child.family_name), given_key=phonetic_key(child.given_name)
    )


def _disabilities_label(codes: set[str]) -> str:
    return ", ".join(DisabilityCode(code).label for code in sorted(codes)) or "None"


@transaction.atomic
def child_details_update(
    *,
    user: User,
    child: Child,
    expected_revision: int,
    values: dict[str, Any],
    disabilities: set[str] | None = None,
    reason: str = "",
    today: date | None = None,
) -> list[FieldChange]:
    """Changes a child's details (and, when given, the CIN census disability codes). Raises
    ValidationError for details that break the national rules, PersonError for a missing reason,
    StaleRecord when someone saved first; in each case nothing changes."""
    authorise(user=user, act=Act.PERSON_EDIT, children=[child])
    today = today or timezone.localdate()
    unknown = set(values) - set(DETAIL_LABELS)
    if unknown:
        raise ValueError(f"Not a child's detail: {sorted(unknown)}")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for identifier in ("nhs_number", "upn", "former_upn"):
        if identifier in values:
            values[identifier] = values[identifier].replace(" ", "").upper()
    errors = child_details_errors(values, today=today, unborn=child.is_unborn)
    if (
        values.get("nhs_number")
        and "nhs_number" not in errors
        and nhs_number_recorded(values["nhs_number"], exclude=child)
    ):
        errors["nhs_number"] = (
            "This NHS number is already recorded for another child in Sightline. Check the number; if it is "
            "the same child, ask the front door to merge the records."
        )
    if disabilities is not None and not set(disabilities) <= set(DisabilityCode.values):
        errors["disabilities"] = "Choose disabilities from the list."
    if errors:
        raise ValidationError(errors)
    before_codes = set(child.disabilities.values_list("code", flat=True))
    codes_change = disabilities is not None and set(disabilities) != before_codes
    changes = record_update(
        instance=child,
        user=user,
        expected_revision=expected_revision,
        values=values,
        labels=DETAIL_LABELS,
        sensitive=SENSITIVE_FIELDS,
        reason=reason,
    )
    if {"given_name", "family_name"} & {c.field for c in changes}:
        _refresh_name_keys(child)
    if codes_change:
        if not changes:
            # record_update checked the revision (and holds the row) but had no field to change, so
            # it did not advance it: the disabilities are a change too.
            Child.objects.filter(pk=child.pk).update(revision=F("revision") + 1)
        after_codes = set(disabilities)
        Disability.objects.filter(child=child).exclude(code__in=after_codes).delete()
        Disability.objects.bulk_create([Disability(child=child, code=c) for c in after_codes - before_codes])
        RecordChange.objects.create(
            changed_by=user,
            child=child,
            household_id=child.household_id,
            subject="Child",
            field="disabilities",
            label="Disability (CIN census codes)",
            before=_disabilities_label(before_codes),
            after=_disabilities_label(after_codes),
        )
        changes.append(FieldChange("disabilities", "Disability", before_codes, after_codes))
        child.refresh_from_db()
    return changes


@transaction.atomic
def child_birth_record(
    *,
    user: User,
    child: Child,
    expected_revision: int,
    date_of_birth: date | None,
    given_name: str,
    family_name: str,
    sex: str,
    today: date | None = None,
) -> list[FieldChange]:
    """An unborn baby is born: the same record becomes the child's, so the pre-birth history
    (prenatal checklist, chronology, episodes) stays with them. The expected date is kept."""
    authorise(user=user, act=Act.PERSON_EDIT, children=[child])
    today = today or timezone.localdate()
    if not child.is_unborn:
        raise PersonError("This child's birth is already recorded. Change the date of birth on their details instead.")
    values = {"date_of_birth": date_of_birth, "given_name": given_name.strip(), "family_name": family_name.strip()}
    errors = child_details_errors(values, today=today, unborn=False)
    if sex not in {"M", "F", "U"}:
        errors["sex"] = "Choose the baby's sex."
    if errors:
        raise ValidationError(errors)
    changes = record_update(
        instance=child,
        user=user,
        expected_revision=expected_revision,
        values={**values, "sex": sex},
        labels=DETAIL_LABELS,
        sensitive=SENSITIVE_FIELDS,
        reason="Birth recorded: the unborn baby's record becomes the child's.",
    )
    _refresh_name_keys(child)
    return changes
