"""Registering a child Sightline does not know yet, born or unborn, in one of two ways:

- `child_register`: the practitioner works with the child (a health visitor registering an unborn
  baby, a school nurse with a new pupil). They get a contributing involvement, with their team,
  from today, and the history records who and why.
- `child_register_with_concern`: the practitioner is worried about a child they do not work with.
  The child and a request for support are created together; the requester gets no involvement, so
  they see their request and nothing more until the front door decides.

Neither needs an act from access.authority: there is no child yet to have a relationship with.
Any practitioner may register (not analysts, who never see records, nor administrators, who have no
standing access); the person search comes first so a known child is not registered twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access.reasons import reason_normalise, reason_problem
from cases.models import Involvement, InvolvementRole

from .child_rules import child_details_errors
from .models import Adult, Child, Household, RecordChange, Relationship, RelationshipKind
from .registration_selectors import households_for_user, may_register
from .search import nhs_number_recorded, normalise_postcode
from .services import record_created

if TYPE_CHECKING:
    from accounts.models import User
    from frontdoor.models import SupportRequest

REGISTERED_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "date_of_birth",
        "expected_date_of_birth",
        "sex",
        "ethnicity",
        "first_language",
        "interpreter_needed",
        "nhs_number",
        "upn",
        "former_upn",
        "school",
        "gp_practice",
    }
)


@dataclass(frozen=True)
class NewAddress:
    address_line: str
    town: str
    postcode: str


@dataclass(frozen=True)
class NewAdult:
    given_name: str
    family_name: str
    date_of_birth: date | None


def _refuse_unless_may_register(user: User) -> None:
    if not may_register(user):
        raise PermissionDenied(
            "Only practitioners in a team can register a child: analysts work from aggregates and "
            "administrators have no standing access to children's records."
        )


def _errors(
    *,
    user: User,
    values: dict[str, Any],
    unborn: bool,
    household: Household | None,
    new_address: NewAddress | None,
    mother: Adult | None,
    new_mother: NewAdult | None,
    today: date,
) -> dict[str, str]:
    errors = child_details_errors(values, today=today, unborn=unborn)
    if values.get("nhs_number") and "nhs_number" not in errors and nhs_number_recorded(values["nhs_number"]):
        errors["nhs_number"] = (
            "This NHS number is already recorded in Sightline: the child may already be known. Do not register "
            "them again; contact the front door, who can check."
        )
    if (household is None) == (new_address is None):
        errors["household"] = "Choose the household the child lives in, or enter a new address."
    elif household is not None and not households_for_user(user).filter(pk=household.pk).exists():
        errors["household"] = "Choose a household from the list."
    elif new_address is not None and not new_address.address_line.strip():
        errors["address_line"] = "Enter the first line of the address."
    if new_address is not None and new_address.postcode.strip() and len(new_address.postcode.replace(" ", "")) > 8:
        errors["postcode"] = "Enter a real postcode, like WM1 1AA."
    if unborn and mother is None and new_mother is None:
        errors["mother"] = "Choose the baby's mother, or enter her name and date of birth."
    if mother is not None and (household is None or mother.household_id != household.pk):
        errors["mother"] = "Choose the mother from the adults in the household."
    if new_mother is not None:
        if not new_mother.given_name.strip() or not new_mother.family_name.strip():
            errors["mother_given_name"] = "Enter the mother's first and last names."
        if new_mother.date_of_birth is not None and new_mother.date_of_birth >= today:
            errors["mother_date_of_birth"] = "The mother's date of birth must be in the past."
    return errors


def _create(
    *,
    user: User,
    values: dict[str, Any],
    unborn: bool,
    household: Household | None,
    new_address: NewAddress | None,
    mother: Adult | None,
    new_mother: NewAdult | None,
    today: date,
    extra_errors: dict[str, str],
) -> Child:
    _refuse_unless_may_register(user)
    unknown = set(values) - REGISTERED_FIELDS
    if unknown:
        raise ValueError(f"Not a detail set at registration: {sorted(unknown)}")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for identifier in ("nhs_number", "upn", "former_upn"):
        values[identifier] = (values.get(identifier) or "").replace(" ", "").upper()
    if unborn:
        values["date_of_birth"] = None
    else:
        values["expected_date_of_birth"] = None
    errors = _errors(
        user=user,
        values=values,
        unborn=unborn,
        household=household,
        new_address=new_address,
        mother=mother,
        new_mother=new_mother,
        today=today,
    )
    errors |= extra_errors
    if errors:
        raise ValidationError(errors)
    if household is None:
        household = Household.objects.create(
            address_line=new_address.address_line.strip(),
            town=new_address.town.strip(),
            postcode=normalise_postcode(new_address.postcode),
        )
        record_created(instance=household, user=user, label="Household registered")
    child = Child(household=household, **values)
    child.full_clean()
    child.save()
    record_created(instance=child, user=user, label="Unborn baby registered" if unborn else "Child registered")
    if new_mother is not None:
        mother = Adult.objects.create(
            household=household,
            given_name=new_mother.given_name.strip(),
            family_name=new_mother.family_name.strip(),
            date_of_birth=new_mother.date_of_birth,
        )
        record_created(instance=mother, user=user, label="Adult registered")
    if mother is not None:
        Relationship.objects.create(
            child=child, adult=mother, kind=RelationshipKind.MOTHER, parental_responsibility=True
        )
    return child


@transaction.atomic
def child_register(
    *,
    user: User,
    values: dict[str, Any],
    unborn: bool,
    why: str,
    household: Household | None = None,
    new_address: NewAddress | None = None,
    mother: Adult | None = None,
    new_mother: NewAdult | None = None,
    today: date | None = None,
) -> Child:
    """Registers a child the practitioner works with, and their contributing involvement from today.
    `why` (how they work with the child) is recorded in the child's history with the involvement."""
    today = today or timezone.localdate()
    problem = reason_problem(why, subject="how you work with the child")
    child = _create(
        user=user,
        values=values,
        unborn=unborn,
        household=household,
        new_address=new_address,
        mother=mother,
        new_mother=new_mother,
        today=today,
        extra_errors={"why": problem} if problem else {},
    )
    Involvement.objects.create(
        child=child, practitioner=user, team_id=user.team_id, role=InvolvementRole.CONTRIBUTOR, started_on=today
    )
    RecordChange.objects.create(
        changed_by=user,
        child=child,
        household_id=child.household_id,
        subject="Child",
        field="involvement",
        label="Practitioner involved",
        after=f"{user}, {user.team.name}: contributing practitioner from {today:%-d %B %Y}",
        reason=reason_normalise(why),
    )
    return child


@transaction.atomic
def child_register_with_concern(
    *,
    user: User,
    values: dict[str, Any],
    unborn: bool,
    concerns: str,
    consent: str,
    tried: str,
    urgency: str,
    consent_note: str = "",
    household: Household | None = None,
    new_address: NewAddress | None = None,
    mother: Adult | None = None,
    new_mother: NewAdult | None = None,
    today: date | None = None,
) -> tuple[Child, SupportRequest]:
    """Registers a child the practitioner does not work with and sends the front door their request
    for support, in one transaction: bad details or a bad request change nothing."""
    from frontdoor.services import support_request_submit_for_new_child

    today = today or timezone.localdate()
    child = _create(
        user=user,
        values=values,
        unborn=unborn,
        household=household,
        new_address=new_address,
        mother=mother,
        new_mother=new_mother,
        today=today,
        extra_errors={},
    )
    request = support_request_submit_for_new_child(
        requester=user,
        child=child,
        concerns=concerns,
        consent=consent,
        consent_note=consent_note,
        tried=tried,
        urgency=urgency,
    )
    return child, request
