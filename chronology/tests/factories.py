"""Small helpers for chronology tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from chronology.models import ChronologyEntry
from chronology.services import chronology_entry_record


def record(author, *, child=None, household=None, **overrides) -> ChronologyEntry:
    fields = {
        "occurred_on": timezone.localdate() - timedelta(days=10),
        "date_precision": "exact",
        "event_type": "missed_health_appointment",
        "description": "Ruby was not brought to her hearing test.",
        "impact_on_child": "Possible hearing loss is not being checked.",
        "action_taken": "Rebooked and wrote to mother.",
        "significance": "routine",
        "restricted": False,
    }
    fields.update(overrides)
    return chronology_entry_record(author=author, child=child, household=household, **fields)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
