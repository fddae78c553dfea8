"""Writes for a family ("think family"): moves, adults, their relationships to each child and the
factors affecting their parenting. Every write checks authority (Act.FAMILY_EDIT) first and leaves a
RecordChange row; changes to an adult's or a household's own fields go through record_update, so a
stale page changes nothing.

Authority: a change to the household or to an adult (a move, a language, a factor) affects every
child of the household, and a practitioner working with any one of them may record it
(`every=False`). A relationship is between an adult and one child: it needs authority for that child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_normalise, reason_problem

from .family_models import (
    ADULT_FLAG_KINDS,
    Address,
    CommunicationNeed,
    CommunicationNeedKind,
    FactorKind,
    ParentalFactor,
)
from .models import Adult, Child, Household, RecordChange, Relationship, RelationshipKind
from .services import PersonError, StaleRecord, record_created, record_update

if TYPE_CHECKING:
    from accounts.models import User


class FamilyError(PersonError):
    """A family change refused, naming the form field it is about (blank for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


ADULT_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "lives_in_household": "Lives in the household",
    "language": "First language",
    "interpreter_needed": "Interpreter needed",
    "interpreter_language": "Interpreter's language",
}
ADDRESS_FIELDS = ("address_line", "town", "postcode")
ADDRESS_LABELS = {"address_line": "Address", "town": "Town", "postcode": "Postcode"}


@dataclass(frozen=True)
class Need:
    kind: str
    detail: str = ""


def _household_children(household_id: int) -> list[Child]:
    return list(Child.objects.filter(household_id=household_id))


def _authorise_family(user: User, household_id: int) -> None:
    authorise(user=user, act=Act.FAMILY_EDIT, children=_household_children(household_id), every=False)


def _history(
    *,
    user: User,
    household_id: int,
    subject: str,
    field: str,
    label: str,
    before: str = "",
    after: str = "",
    reason: str = "",
    adult: Adult | None = None,
    child: Child | None = None,
) -> RecordChange:
    """One history row for a change to a family row (address, factor, relationship)."""
    return RecordChange.objects.create(
        changed_by=user,
        household_id=household_id,
        adult=adult,
        child=child,
        subject=subject,
        field=field,
        label=label,
        before=before,
        after=after,
        reason=reason,
    )


def _not_in_future(value: date | None, today: date, field: str, what: str) -> None:
    if value is not None and value > today:
        raise FamilyError(f"{what} must be today or in the past", field)


@transaction.atomic
def household_move_record(
    *,
    user: User,
    household: Household,
    expected_revision: int,
    address_line: str,
    town: str,
    postcode: str,
    moved_in_on: date,
    today: date | None = None,
) -> Address:
    """The household moved on `moved_in_on`: the current address ends that day, the new one starts."""
    _authorise_family(user, household.pk)
    today = today or timezone.localdate()
    _not_in_future(moved_in_on, today, "moved_in_on", "The date they moved")
    address_line, town, postcode = address_line.strip(), town.strip(), postcode.strip().upper()
    if not address_line:
        raise FamilyError("Enter the first line of the new address", "address_line")
    current = Address.objects.select_for_update().filter(household=household, moved_out_on__isnull=True).first()
    if current and current.moved_in_on and moved_in_on <= current.moved_in_on:
        raise FamilyError(
            f"The date they moved must be after {current.moved_in_on:%-d %B %Y}, when they moved to {current}",
            "moved_in_on",
        )
    if current and (current.address_line, current.town, current.postcode) == (address_line, town, postcode):
        raise FamilyError("This is the household's current address: enter the address they moved to", "address_line")
    # record_update checks the revision first: a stale page records no move at all.
    record_update(
        instance=household,
        user=user,
        expected_revision=expected_revision,
        values={"address_line": address_line, "town": town, "postcode": postcode},
        labels=ADDRESS_LABELS,
    )
    if current:
        Address.objects.filter(pk=current.pk).update(moved_out_on=moved_in_on)
    address = Address.objects.create(
        household=household,
        address_line=address_line,
        town=town,
        postcode=postcode,
        moved_in_on=moved_in_on,
        recorded_by=user,
    )
    _history(
        user=user,
        household_id=household.pk,
        subject="Address",
        field="moved_in_on",
        label="Moved",
        before=str(current or ""),
        after=f"{address} from {moved_in_on:%-d %B %Y}",
    )
    return address


def _clean_adult_values(values: dict[str, Any], today: date) -> dict[str, Any]:
    cleaned = {name: values[name] for name in ADULT_LABELS if name in values}
    for name in ("given_name", "family_name", "language", "interpreter_language"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if not cleaned.get("given_name"):
        raise FamilyError("Enter the adult's given name", "given_name")
    if not cleaned.get("family_name"):
        raise FamilyError("Enter the adult's family name", "family_name")
    _not_in_future(cleaned.get("date_of_birth"), today, "date_of_birth", "Date of birth")
    if cleaned.get("interpreter_needed"):
        if not cleaned.get("interpreter_language"):
            cleaned["interpreter_language"] = cleaned.get("language", "")
        if not cleaned["interpreter_language"]:
            raise FamilyError("Say which language the interpreter should speak", "interpreter_language")
    else:
        cleaned["interpreter_language"] = ""
    return cleaned


def _clean_needs(needs: list[Need]) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for need in needs:
        if need.kind not in CommunicationNeedKind.values:
            raise FamilyError("Choose communication needs from the list", "communication_needs")
        detail = need.detail.strip() if need.kind == CommunicationNeedKind.OTHER else ""
        if need.kind == CommunicationNeedKind.OTHER and not detail:
            raise FamilyError("Describe the other communication need", "communication_other")
        wanted[need.kind] = detail
    return wanted


def _needs_shown(needs: dict[str, str]) -> str:
    labels = dict(CommunicationNeedKind.choices)
    return "; ".join(detail or labels[kind] for kind, detail in sorted(needs.items()))


def _set_needs(*, user: User, adult: Adult, wanted: dict[str, str]) -> bool:
    """Makes the adult's communication need rows match `wanted`; one history row when they change."""
    have = {n.kind: n.detail for n in CommunicationNeed.objects.filter(adult=adult)}
    if have == wanted:
        return False
    CommunicationNeed.objects.filter(adult=adult).exclude(kind__in=list(wanted)).delete()
    for kind, detail in wanted.items():
        CommunicationNeed.objects.update_or_create(adult=adult, kind=kind, defaults={"detail": detail})
    _history(
        user=user,
        household_id=adult.household_id,
        adult=adult,
        subject="Adult",
        field="communication_needs",
        label="Communication needs",
        before=_needs_shown(have),
        after=_needs_shown(wanted),
    )
    return True


@transaction.atomic
def adult_add(
    *, user: User, household: Household, values: dict[str, Any], needs: list[Need] = (), today: date | None = None
) -> Adult:
    """An adult who lives in the household or matters to its children from outside it."""
    _authorise_family(user, household.pk)
    cleaned = _clean_adult_values(values, today or timezone.localdate())
    wanted = _clean_needs(list(needs))
    adult = Adult(household=household, **cleaned)
    adult.full_clean()
    adult.save()
    record_created(instance=adult, user=user, label="Adult added")
    if wanted:
        _set_needs(user=user, adult=adult, wanted=wanted)
    return adult


@transaction.atomic
def adult_update(
    *,
    user: User,
    adult: Adult,
    expected_revision: int,
    values: dict[str, Any],
    needs: list[Need] = (),
    today: date | None = None,
) -> bool:
    """Changes an adult's details and communication needs if nobody saved them meanwhile. True when
    anything changed."""
    _authorise_family(user, adult.household_id)
    cleaned = _clean_adult_values(values, today or timezone.localdate())
    wanted = _clean_needs(list(needs))
    changes = record_update(
        instance=adult, user=user, expected_revision=expected_revision, values=cleaned, labels=ADULT_LABELS
    )
    needs_changed = _set_needs(user=user, adult=adult, wanted=wanted)
    if needs_changed and not changes:
        # record_update advanced the revision only if a field changed; the needs are part of it too.
        Adult.objects.filter(pk=adult.pk).update(revision=F("revision") + 1)
        adult.refresh_from_db()
    return bool(changes) or needs_changed


@transaction.atomic
def relationship_add(
    *,
    user: User,
    adult: Adult,
    child: Child,
    kind: str,
    parental_responsibility: bool,
    is_main_carer: bool = False,
    started_on: date | None = None,
    today: date | None = None,
) -> Relationship:
    """How an adult is related to one child of the household: needs authority for that child."""
    authorise(user=user, act=Act.FAMILY_EDIT, children=[child])
    if child.household_id != adult.household_id:
        raise FamilyError("This adult is not recorded with the child's family", "child")
    if kind not in RelationshipKind.values:
        raise FamilyError("Choose how the adult is related to the child", "kind")
    _not_in_future(started_on, today or timezone.localdate(), "started_on", "The date the relationship began")
    Adult.objects.select_for_update().get(pk=adult.pk)  # one current relationship per pair, even racing
    if Relationship.objects.filter(adult=adult, child=child, ended_on__isnull=True).exists():
        raise FamilyError(
            f"{adult.full_name} already has a current relationship to {child.full_name}: end it first", "child"
        )
    relationship = Relationship.objects.create(
        adult=adult,
        child=child,
        kind=kind,
        parental_responsibility=parental_responsibility,
        is_main_carer=is_main_carer,
        started_on=started_on,
    )
    after = relationship.get_kind_display() + (", has parental responsibility" if parental_responsibility else "")
    _history(
        user=user,
        household_id=adult.household_id,
        adult=adult,
        child=child,
        subject="Relationship",
        field="kind",
        label=f"Relationship of {adult.full_name}",
        after=after,
    )
    return relationship


@transaction.atomic
def relationship_end(
    *, user: User, relationship: Relationship, ended_on: date, reason: str, today: date | None = None
) -> Relationship:
    """The relationship ended (a partner left, a carer stopped): the row stays, with its end date."""
    child, adult = relationship.child, relationship.adult
    authorise(user=user, act=Act.FAMILY_EDIT, children=[child])
    _not_in_future(ended_on, today or timezone.localdate(), "ended_on", "The date it ended")
    if relationship.started_on and ended_on < relationship.started_on:
        raise FamilyError(f"The date it ended must be on or after {relationship.started_on:%-d %B %Y}", "ended_on")
    problem = reason_problem(reason, subject="why the relationship ended")
    if problem:
        raise FamilyError(problem, "reason")
    if not Relationship.objects.filter(pk=relationship.pk, ended_on__isnull=True).update(ended_on=ended_on):
        raise StaleRecord("Someone else ended this relationship while you were editing it. Nothing was saved.")
    relationship.refresh_from_db()
    _history(
        user=user,
        household_id=adult.household_id,
        adult=adult,
        child=child,
        subject="Relationship",
        field="ended_on",
        label=f"Relationship of {adult.full_name}",
        before=relationship.get_kind_display(),
        after=f"Ended {ended_on:%-d %B %Y}",
        reason=reason_normalise(reason),
    )
    return relationship


def _sync_flag(adult_id: int, kind: str) -> None:
    """Keeps Adult's older boolean for this factor equal to 'a current row exists'. The history is
    the factor row and its RecordChange, so this derived copy is updated without one."""
    if kind in ADULT_FLAG_KINDS:
        current = ParentalFactor.objects.filter(adult_id=adult_id, kind=kind, ended_on__isnull=True).exists()
        Adult.objects.filter(pk=adult_id).update(**{kind: current})


@transaction.atomic
def parental_factor_record(
    *,
    user: User,
    adult: Adult,
    kind: str,
    note: str = "",
    noted_from: date | None = None,
    today: date | None = None,
) -> ParentalFactor:
    _authorise_family(user, adult.household_id)
    if kind not in FactorKind.values:
        raise FamilyError("Choose the factor from the list", "kind")
    _not_in_future(noted_from, today or timezone.localdate(), "noted_from", "The date it was first known")
    Adult.objects.select_for_update().get(pk=adult.pk)
    if ParentalFactor.objects.filter(adult=adult, kind=kind, ended_on__isnull=True).exists():
        raise FamilyError(
            f"{FactorKind(kind).label} is already recorded for {adult.full_name}: end it before recording it again",
            "kind",
        )
    factor = ParentalFactor.objects.create(
        adult=adult,
        kind=kind,
        note=reason_normalise(note)[:500],
        noted_from=noted_from,
        recorded_by=user,
        agency_id=user.agency_id,
    )
    _sync_flag(adult.pk, kind)
    _history(
        user=user,
        household_id=adult.household_id,
        adult=adult,
        subject="Parental factor",
        field=kind,
        label=FactorKind(kind).label,
        after="Recorded" + (f" from {noted_from:%-d %B %Y}" if noted_from else ""),
        reason=factor.note,
    )
    return factor


@transaction.atomic
def parental_factor_end(
    *, user: User, factor: ParentalFactor, ended_on: date, note: str, today: date | None = None
) -> ParentalFactor:
    """The factor no longer applies from `ended_on`. The row stays, with who ended it and why."""
    adult = factor.adult
    _authorise_family(user, adult.household_id)
    _not_in_future(ended_on, today or timezone.localdate(), "ended_on", "The date it ended")
    if factor.noted_from and ended_on < factor.noted_from:
        raise FamilyError(f"The date it ended must be on or after {factor.noted_from:%-d %B %Y}", "ended_on")
    problem = reason_problem(note, subject="why it no longer applies")
    if problem:
        raise FamilyError(problem, "note")
    ended = ParentalFactor.objects.filter(pk=factor.pk, ended_on__isnull=True).update(ended_on=ended_on, ended_by=user)
    if not ended:
        raise StaleRecord("Someone else ended this factor while you were editing it. Nothing was saved.")
    factor.refresh_from_db()
    _sync_flag(adult.pk, factor.kind)
    _history(
        user=user,
        household_id=adult.household_id,
        adult=adult,
        subject="Parental factor",
        field=factor.kind,
        label=factor.get_kind_display(),
        before="Recorded",
        after=f"Ended {ended_on:%-d %B %Y}",
        reason=reason_normalise(note),
    )
    return factor
