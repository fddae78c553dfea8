"""The partnership's front-door timescales as versioned data (`frontdoor/timescales/`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assessments.definitions import DefinitionError

TIMESCALES_DIR = Path(__file__).resolve().parent / "timescales"
URGENCIES = ("urgent", "standard")


@dataclass(frozen=True)
class Timescales:
    key: str
    version: int
    name: str
    decision_within_working_days: dict[str, int]
    access_after_decision_days: int
    re_referral_window_months: int


def _whole(value: Any, where: str, errors: list[str], minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        errors.append(f"{where}: must be a whole number of at least {minimum}")
        return minimum
    return value


def timescales_from_dict(data: Any) -> Timescales:
    """Validates a timescales definition and lists every error, or returns it."""
    if not isinstance(data, dict):
        raise DefinitionError(["the timescales must be a mapping"])
    errors: list[str] = []
    key = data.get("key")
    if not isinstance(key, str) or not key:
        errors.append("key: needed")
    version = _whole(data.get("version"), "version", errors, 1)
    within = data.get("decision_within_working_days")
    days: dict[str, int] = {}
    if not isinstance(within, dict):
        errors.append("decision_within_working_days: a mapping of urgency to working days is needed")
    else:
        for urgency in URGENCIES:
            if urgency not in within:
                errors.append(f"decision_within_working_days.{urgency}: missing")
            else:
                days[urgency] = _whole(within[urgency], f"decision_within_working_days.{urgency}", errors, 1)
        for extra in sorted(set(within) - set(URGENCIES)):
            errors.append(f"decision_within_working_days.{extra}: unknown urgency")
    after = _whole(data.get("access_after_decision_days"), "access_after_decision_days", errors)
    window = _whole(data.get("re_referral_window_months"), "re_referral_window_months", errors, 1)
    if errors:
        raise DefinitionError(errors)
    return Timescales(str(key), version, str(data.get("name", key)), days, after, window)


@cache
def current_timescales() -> Timescales:
    return timescales_from_dict(yaml.safe_load((TIMESCALES_DIR / "front-door-v1.yaml").read_text(encoding="utf-8")))


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `start`, at the same time of day. Bank holidays
    are not yet counted: a partnership that needs them adds a calendar to this file's data."""
    moment = start
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            added += 1
    return moment


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from `start` to `end` (0 when decided on a working day within a day)."""
    days = 0
    while add_working_days(start, days + 1) <= end:
        days += 1
    return days
