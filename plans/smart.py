"""SMART checks of a plan, as versioned data (`plans/checks/smart-checks-v1.yaml`).

The keys are fixed (each names the rule the code applies); titles, messages and the grade from which
a need counts as unmet are data a partnership may adapt. A definition is validated as a whole and
every problem is listed.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from assessments.definitions import DefinitionError

if TYPE_CHECKING:
    from .models import Outcome
    from .needs import Need

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
PLACEHOLDERS: dict[str, set[str]] = {
    "need_left_out": {"need", "grade"},
    "outcome_no_measure": {"outcome"},
    "outcome_no_consequence": {"outcome"},
    "action_no_owner": {"outcome", "action"},
    "action_no_date": {"outcome", "action"},
}


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    message: str


@dataclass(frozen=True)
class SmartChecks:
    key: str
    version: int
    unmet_from_grade: int
    checks: tuple[Check, ...]

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)


@dataclass(frozen=True)
class Flag:
    """One thing a SMART check found. `subject` is stable across saves (it names a record or a need),
    so a written justification stays attached to the same flag."""

    check_key: str
    subject: str
    title: str
    message: str
    outcome_id: int | None = None

    @property
    def field_name(self) -> str:
        return f"just__{self.check_key}__{self.subject.replace(':', '-')}"


def checks_from_dict(data: Any) -> SmartChecks:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["the file must hold a mapping with key, version, unmet_from_grade and checks"])
    key = data.get("key")
    if not isinstance(key, str) or not key.strip():
        errors.append("'key' is missing")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        errors.append("'version' must be a whole number from 1")
    unmet = data.get("unmet_from_grade")
    if isinstance(unmet, bool) or not isinstance(unmet, int) or unmet < 1:
        errors.append("'unmet_from_grade' must be a whole number from 1")
    raw_checks = data.get("checks")
    checks: list[Check] = []
    if not isinstance(raw_checks, list) or not raw_checks:
        errors.append("'checks' must be a non-empty list")
        raw_checks = []
    for i, raw in enumerate(raw_checks):
        where = f"checks[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        check_key = raw.get("key", "")
        if check_key not in PLACEHOLDERS:
            errors.append(f"{where}: '{check_key}' is not a known check ({', '.join(sorted(PLACEHOLDERS))})")
            continue
        title, message = raw.get("title"), raw.get("message")
        for name, value in (("title", title), ("message", message)):
            if not isinstance(value, str) or not value.strip():
                errors.append(f"{where} ({check_key}): '{name}' is missing")
        if isinstance(message, str):
            try:
                used = {f for _, f, _, _ in string.Formatter().parse(message) if f}
            except ValueError as error:
                errors.append(f"{where} ({check_key}): the message is not a valid template: {error}")
                used = set()
            unknown = used - PLACEHOLDERS[check_key]
            if unknown:
                errors.append(
                    f"{where} ({check_key}): the message uses {', '.join(sorted(unknown))}; "
                    f"it may use only {', '.join(sorted(PLACEHOLDERS[check_key]))}"
                )
        checks.append(Check(check_key, str(title or "").strip(), str(message or "").strip()))
    keys = [c.key for c in checks]
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"the check '{duplicate}' is listed more than once")
    for absent in sorted(set(PLACEHOLDERS) - set(keys)):
        errors.append(f"the check '{absent}' is missing")
    if errors:
        raise DefinitionError(errors)
    return SmartChecks(str(key), int(version), int(unmet), tuple(checks))


def checks_from_yaml(text: str) -> SmartChecks:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError([f"the file is not valid YAML: {error}"]) from error
    return checks_from_dict(data)


@cache
def default_checks() -> SmartChecks:
    return checks_from_yaml((CHECKS_DIR / "smart-checks-v1.yaml").read_text())


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def smart_flags(*, outcomes: list[Outcome], needs: list[Need], checks: SmartChecks | None = None) -> list[Flag]:
    """Every flag for a plan. `outcomes` must have their actions prefetched; `needs` are the unmet
    needs of the plan's children in its baseline assessment."""
    checks = checks or default_checks()
    flags: list[Flag] = []

    def flag(key: str, subject: str, outcome_id: int | None = None, **values: Any) -> None:
        check = checks.check(key)
        flags.append(Flag(key, subject, check.title, check.message.format(**values), outcome_id))

    covered = {(o.need_child_id, o.need_domain_key) for o in outcomes if o.need_domain_key}
    for need in needs:
        if (need.child_id, need.domain_key) not in covered:
            flag("need_left_out", need.subject, need=need.label, grade=need.grade)
    for number, outcome in enumerate(outcomes, start=1):
        if outcome.target_grade is None and _blank(outcome.measure):
            flag("outcome_no_measure", f"outcome:{outcome.pk}", outcome.pk, outcome=number)
        if _blank(outcome.consequence):
            flag("outcome_no_consequence", f"outcome:{outcome.pk}", outcome.pk, outcome=number)
        for action_number, action in enumerate(outcome.actions.all(), start=1):
            if action.completed_on is not None:
                continue  # done: who and when no longer matter for the plan going forward
            if not action.has_owner:
                flag("action_no_owner", f"action:{action.pk}", outcome.pk, outcome=number, action=action_number)
            if action.due_on is None:
                flag("action_no_date", f"action:{action.pk}", outcome.pk, outcome=number, action=action_number)
    return flags
