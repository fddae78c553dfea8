"""The short neglect screening: indicators, how long and how often, and a suggested next step.

A screen, not an assessment. The suggestion comes from readable rules in data
(`assessments/screening/`); the result names the rule and the answers that led to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .definitions import DefinitionError

SCREENING_DIR = Path(__file__).resolve().parent / "screening"
CONDITIONS = ("any_urgent", "indicators_at_least", "persistence_at_least")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    domain: str
    urgent: bool


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    weight: int


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    when: dict[str, Any]


@dataclass(frozen=True)
class Screening:
    key: str
    name: str
    version: int
    indicators: tuple[Indicator, ...]
    durations: tuple[Choice, ...]
    frequencies: tuple[Choice, ...]
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    reasons: tuple[str, ...]


def screening_from_dict(data: Any) -> Screening:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["the screening must be a mapping"])

    def choices(name: str) -> tuple[Choice, ...]:
        found = []
        for i, raw in enumerate(data.get(name) or []):
            try:
                found.append(Choice(str(raw["key"]), str(raw["label"]), int(raw["weight"])))
            except (KeyError, TypeError, ValueError):
                errors.append(f"{name}[{i}]: needs a key, a label and a whole-number weight")
        if not found:
            errors.append(f"{name}: at least one choice is needed")
        return tuple(found)

    indicators = []
    for i, raw in enumerate(data.get("indicators") or []):
        try:
            indicators.append(
                Indicator(str(raw["key"]), str(raw["label"]), str(raw["domain"]), bool(raw.get("urgent")))
            )
        except (KeyError, TypeError):
            errors.append(f"indicators[{i}]: needs a key, a label and a domain")
    outcomes = []
    for i, raw in enumerate(data.get("outcomes") or []):
        when = raw.get("when") if isinstance(raw, dict) else None
        if not isinstance(when, dict):
            errors.append(f"outcomes[{i}]: 'when' must be a mapping of conditions (empty for the default)")
            continue
        unknown = set(when) - set(CONDITIONS)
        if unknown:
            errors.append(f"outcomes[{i}]: unknown condition {', '.join(sorted(unknown))}")
        outcomes.append(Outcome(str(raw.get("key", "")), str(raw.get("label", "")), when))
    if not outcomes or outcomes[-1].when:
        errors.append("outcomes: the last outcome must have no conditions, so every screening has a next step")
    screening = Screening(
        str(data.get("key", "")),
        str(data.get("name", "")),
        int(data.get("version", 1)),
        tuple(indicators),
        choices("durations"),
        choices("frequencies"),
        tuple(outcomes),
    )
    if errors:
        raise DefinitionError(errors)
    return screening


@cache
def default_screening() -> Screening:
    return screening_from_dict(
        yaml.safe_load((SCREENING_DIR / "neglect-screening-v1.yaml").read_text(encoding="utf-8"))
    )


def screening_result(*, screening: Screening, indicators: set[str], duration: str, frequency: str) -> ScreeningResult:
    """The first outcome (most serious first) whose conditions all hold, with the reasons."""
    known = {i.key: i for i in screening.indicators}
    unknown = indicators - set(known)
    if unknown:
        raise DefinitionError([f"unknown indicator {', '.join(sorted(unknown))}"])
    weights = {c.key: c.weight for c in screening.durations} | {f"f:{c.key}": c.weight for c in screening.frequencies}
    if duration not in weights or f"f:{frequency}" not in weights:
        raise DefinitionError(["choose how long and how often from the screening's options"])
    persistence = weights[duration] + weights[f"f:{frequency}"]
    urgent = sorted(known[k].label for k in indicators if known[k].urgent)
    for outcome in screening.outcomes:
        reasons = []
        held = True
        for condition, value in outcome.when.items():
            if condition == "any_urgent":
                held &= bool(urgent) == bool(value)
                reasons += [f"Urgent sign: {label}" for label in urgent]
            elif condition == "indicators_at_least":
                held &= len(indicators) >= value
                reasons.append(f"{len(indicators)} signs noticed (this step needs {value} or more)")
            elif condition == "persistence_at_least":
                held &= persistence >= value
                reasons.append(f"How long and how often scores {persistence} (this step needs {value} or more)")
        if held:
            return ScreeningResult(outcome, tuple(reasons) or ("No sign of neglect was noticed",))
    raise AssertionError("unreachable: the last outcome has no conditions")
