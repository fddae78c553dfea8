"""Drift rules as versioned data (`drift/rules/`), loaded and validated with every error listed.

The YAML holds each rule's code, name, plain-English description, the check it uses and that
check's thresholds. The checks themselves (`drift/evaluation.py`) are the only code: a partnership
changes a threshold by adding a new version of the rules, not by changing code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assessments.definitions import DefinitionError

RULES_DIR = Path(__file__).resolve().parent / "rules"
DEFAULT_RULES_FILE = "drift-v1.yaml"

# The checks the evaluator knows, with the parameters each needs (name -> type).
CHECKS: dict[str, dict[str, type]] = {
    "open_longer_than": {"level": str, "months": int},
    "repeat_episode": {"level": str, "abuse_category": str},
    "review_overdue": {"grace_days": int},
    "actions_overdue": {"grace_days": int},
    "grades_not_improved": {"reviews": int},
    "child_not_seen": {"grace_days": int},
}
OPTIONAL_PARAMS: dict[str, dict[str, type]] = {
    "open_longer_than": {"abuse_category": str, "plan_type": str},
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    description: str
    check: str
    params: dict[str, Any] = field(default_factory=dict)
    version: int = 1

    def __hash__(self) -> int:
        return hash((self.code, self.version))


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    version: int
    clearance_max_days: int
    rules: tuple[Rule, ...]

    def get(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rules)


def ruleset_from_dict(data: Any) -> RuleSet:
    if not isinstance(data, dict):
        raise DefinitionError(["the drift rules must be a mapping"])
    errors: list[str] = []
    for name in ("key", "name"):
        if not str(data.get(name) or "").strip():
            errors.append(f"{name}: required")
    try:
        version = int(data.get("version"))
    except (TypeError, ValueError):
        errors.append("version: must be a whole number")
        version = 0
    try:
        clearance_max_days = int(data.get("clearance_max_days"))
        if clearance_max_days < 1:
            errors.append("clearance_max_days: must be at least 1")
    except (TypeError, ValueError):
        errors.append("clearance_max_days: must be a whole number of days")
        clearance_max_days = 0
    rules: list[Rule] = []
    seen: set[str] = set()
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        errors.append("rules: at least one rule is needed")
        raw_rules = []
    for i, raw in enumerate(raw_rules):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        code = str(raw.get("code") or "").strip()
        where = f"rules[{i}] ({code or 'no code'})"
        for name in ("code", "name", "description"):
            if not str(raw.get(name) or "").strip():
                errors.append(f"{where}: {name} is required")
        if code in seen:
            errors.append(f"{where}: the code is used twice")
        seen.add(code)
        check = raw.get("check")
        params = raw.get("params") or {}
        if check not in CHECKS:
            errors.append(f"{where}: unknown check {check!r} (known: {', '.join(sorted(CHECKS))})")
        elif not isinstance(params, dict):
            errors.append(f"{where}: params must be a mapping")
        else:
            needed = CHECKS[check]
            optional = OPTIONAL_PARAMS.get(check, {})
            for name, kind in needed.items():
                if name not in params:
                    errors.append(f"{where}: params.{name} is required")
                elif not isinstance(params[name], kind):
                    errors.append(f"{where}: params.{name} must be a {kind.__name__}")
                elif kind is int and params[name] < 0:
                    errors.append(f"{where}: params.{name} must not be negative")
            for name in set(params) - set(needed) - set(optional):
                errors.append(f"{where}: unknown parameter {name}")
        rules.append(
            Rule(code, str(raw.get("name", "")), " ".join(str(raw.get("description", "")).split()), str(check), params)
        )
    if errors:
        raise DefinitionError(errors)
    rules = [Rule(r.code, r.name, r.description, r.check, r.params, version) for r in rules]
    return RuleSet(str(data["key"]), str(data["name"]), version, clearance_max_days, tuple(rules))


def load_ruleset(path: Path) -> RuleSet:
    return ruleset_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def default_ruleset() -> RuleSet:
    return load_ruleset(RULES_DIR / DEFAULT_RULES_FILE)
