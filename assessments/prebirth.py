"""From the prenatal checklist to a pre-birth recommendation, by readable rules in data
(`assessments/prebirth/`). Answers are yes, no or not known; the result lists every condition met."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .definitions import DefinitionError

PREBIRTH_DIR = Path(__file__).resolve().parent / "prebirth"
ANSWERS = {"yes": "Yes", "no": "No", "not_known": "Not known"}
CONDITIONS = ("any_yes", "yes_count_at_least", "not_known_count_at_least")


@dataclass(frozen=True)
class PrebirthOutcome:
    key: str
    label: str
    when: dict[str, Any]


@dataclass(frozen=True)
class PrebirthRules:
    key: str
    name: str
    version: int
    outcomes: tuple[PrebirthOutcome, ...]


@dataclass(frozen=True)
class PrebirthResult:
    outcome: PrebirthOutcome
    reasons: tuple[str, ...]


def prebirth_rules_from_dict(data: Any) -> PrebirthRules:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["the pre-birth rules must be a mapping"])
    outcomes = []
    for i, raw in enumerate(data.get("outcomes") or []):
        where = f"outcomes[{i}]"
        if not isinstance(raw, dict) or not raw.get("key") or not raw.get("label"):
            errors.append(f"{where}: needs a key and a label")
            continue
        when = raw.get("when") or {}
        unknown = set(when) - set(CONDITIONS)
        if unknown:
            errors.append(f"{where}: unknown condition(s) {', '.join(sorted(unknown))}")
        for name in ("yes_count_at_least", "not_known_count_at_least"):
            if name in when and (isinstance(when[name], bool) or not isinstance(when[name], int) or when[name] < 1):
                errors.append(f"{where}: '{name}' must be a whole number of at least 1")
        if "any_yes" in when and not (isinstance(when["any_yes"], list) and when["any_yes"]):
            errors.append(f"{where}: 'any_yes' must list question keys")
        outcomes.append(PrebirthOutcome(str(raw["key"]), str(raw["label"]), dict(when)))
    if not outcomes:
        errors.append("outcomes: at least one outcome is needed")
    elif outcomes[-1].when:
        errors.append("outcomes: the last outcome must have no conditions, so every checklist gets a result")
    if errors:
        raise DefinitionError(errors)
    key, name = str(data.get("key", "")), str(data.get("name", ""))
    return PrebirthRules(key, name, int(data.get("version", 1)), tuple(outcomes))


@cache
def default_prebirth_rules() -> PrebirthRules:
    return prebirth_rules_from_dict(yaml.safe_load((PREBIRTH_DIR / "prebirth-v1.yaml").read_text(encoding="utf-8")))


def prebirth_result(*, rules: PrebirthRules, answers: dict[str, str], questions: dict[str, str]) -> PrebirthResult:
    """`questions` maps each checklist key to its question, so reasons can quote what was answered."""
    yes = [key for key, answer in answers.items() if answer == "yes"]
    not_known = [key for key, answer in answers.items() if answer == "not_known"]
    for outcome in rules.outcomes:
        reasons = []
        listed = [key for key in outcome.when.get("any_yes", []) if key in yes]
        reasons += [f"Answered yes: {questions.get(key, key)}" for key in listed]
        if "yes_count_at_least" in outcome.when and len(yes) >= outcome.when["yes_count_at_least"]:
            reasons.append(f"{len(yes)} of {len(answers)} questions answered yes")
        if "not_known_count_at_least" in outcome.when and len(not_known) >= outcome.when["not_known_count_at_least"]:
            reasons.append(f"{len(not_known)} questions not known yet")
        if reasons or not outcome.when:
            return PrebirthResult(outcome, tuple(reasons or ["No concerns answered yes"]))
    raise AssertionError("the last outcome has no conditions")  # guaranteed by the loader
