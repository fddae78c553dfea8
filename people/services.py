"""Writes for people and families. Every change to a child's, an adult's or a household's details
goes through `record_update`: it checks the revision the editor started from (a stale page changes
nothing), applies only the fields that changed, and writes one RecordChange per field, with the
reason that sensitive fields require."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Model

from access.reasons import reason_problem

from .models import Adult, Child, Household, RecordChange

if TYPE_CHECKING:
    from accounts.models import User


class PersonError(Exception):
    """A change to a person's or family's record that cannot be made, in words for the person making it."""


class StaleRecord(PersonError):
    """Someone else saved this record after the editor opened it."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


def _shown(value: Any, instance: Model, field: str) -> str:
    """A value as the history shows it: the choice's label, yes/no, a date, or the text."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    model_field = instance._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Model):
        return str(value)
    return str(value)


def _subjects(instance: Model) -> dict[str, Any]:
    if isinstance(instance, Child):
        return {"child": instance, "household_id": instance.household_id, "subject": "Child"}
    if isinstance(instance, Adult):
        return {"adult": instance, "household_id": instance.household_id, "subject": "Adult"}
    if isinstance(instance, Household):
        return {"household_id": instance.pk, "subject": "Household"}
    raise TypeError(f"No change history for {type(instance).__name__}")


@transaction.atomic
def record_update(
    *,
    instance: Child | Adult | Household,
    user: User,
    expected_revision: int,
    values: dict[str, Any],
    labels: dict[str, str],
    sensitive: frozenset[str] = frozenset(),
    reason: str = "",
) -> list[FieldChange]:
    """Applies `values` (field name -> new value) to the record if nobody else saved it since
    `expected_revision`, and writes one history row per field that changed. The caller has checked
    authority (access.authority) for the person or family first."""
    model = type(instance)
    fresh = model.objects.select_for_update().get(pk=instance.pk)
    if fresh.revision != expected_revision:
        raise StaleRecord(
            "Someone else changed these details while you were editing them. Nothing was saved: "
            "check their changes, then make yours again."
        )
    changes = [
        FieldChange(name, labels.get(name, name), getattr(fresh, name), value)
        for name, value in values.items()
        if getattr(fresh, name) != value
    ]
    if not changes:
        return []
    if {c.field for c in changes} & sensitive and reason_problem(reason):
        raise PersonError(
            "Say why you are changing " + ", ".join(c.label.lower() for c in changes if c.field in sensitive)
        )
    for change in changes:
        setattr(fresh, change.field, change.after)
    fresh.full_clean()
    model.objects.filter(pk=fresh.pk).update(revision=F("revision") + 1, **{c.field: c.after for c in changes})
    subjects = _subjects(fresh)
    RecordChange.objects.bulk_create(
        RecordChange(
            changed_by=user,
            field=c.field,
            label=c.label,
            before=_shown(c.before, fresh, c.field),
            after=_shown(c.after, fresh, c.field),
            reason=reason.strip() if c.field in sensitive else "",
            **subjects,
        )
        for c in changes
    )
    instance.refresh_from_db()
    return changes


def record_created(*, instance: Child | Adult | Household, user: User, label: str) -> RecordChange:
    """The first line of a record's history: who created it and when."""
    return RecordChange.objects.create(
        changed_by=user, field="", label=label, after=str(instance), **_subjects(instance)
    )
