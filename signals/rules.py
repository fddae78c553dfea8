"""Signal rules as versioned data (`signals/rules/`), validated with every error listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assessments.definitions import DefinitionError
from cases.models import Level
from chronology.taxonomy import default_taxonomy

RULES_DIR = Path(__file__).resolve().parent / "rules"
DEFAULT_FILE = "signals-v1.yaml"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,59}$")

# What each kind of rule needs besides code, name, description and kind.
KINDS: dict[str, tuple[str, ...]] = {
    "entry_count": ("event_types", "at_least", "window_months"),
    "repeat_requests": ("at_least", "window_months"),
    "reopened_after_closure": ("window_months",),
    "agencies_raising_concerns": ("event_types", "at_least", "window_days"),
    "not_seen": ("event_types", "max_working_days"),
}
NUMBERS = ("at_least", "window_months", "window_days")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    description: str
    kind: str
    version: int
    event_types: tuple[str, ...] = ()
    at_least: int = 0
    window_months: int = 0
    window_days: int = 0
    max_working_days: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    version: int
    rules: tuple[Rule, ...]

    def get(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)


def _rule(raw: Any, where: str, version: int, errors: list[str]) -> Rule | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be a mapping")
        return None
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors.append(f"{where}.code: lower case letters, digits and underscores")
    else:
        where = f"rules.{code}"
    for text in ("name", "description"):
        if not isinstance(raw.get(text), str) or not raw[text].strip():
            errors.append(f"{where}.{text}: needed")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}.kind: one of {', '.join(KINDS)}")
        return None
    needed = KINDS[kind]
    known = {"code", "name", "description", "kind", *needed}
    for extra in sorted(set(raw) - known):
        errors.append(f"{where}.{extra}: not used by a rule of kind {kind}")
    values: dict[str, Any] = {}
    for name in needed:
        if name not in raw:
            errors.append(f"{where}.{name}: needed for a rule of kind {kind}")
            continue
        value = raw[name]
        if name in NUMBERS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(f"{where}.{name}: a whole number of at least 1")
            else:
                values[name] = value
        elif name == "event_types":
            taxonomy = default_taxonomy()
            if not isinstance(value, list) or not value:
                errors.append(f"{where}.event_types: a list of chronology event types")
            else:
                unknown = [v for v in value if taxonomy.get(str(v)) is None]
                if unknown:
                    errors.append(f"{where}.event_types: unknown chronology event type {', '.join(map(str, unknown))}")
                values[name] = tuple(str(v) for v in value)
        elif name == "max_working_days":
            if not isinstance(value, dict) or not value:
                errors.append(f"{where}.max_working_days: a mapping of level to working days")
            else:
                for level, days in value.items():
                    if level not in Level.values:
                        errors.append(f"{where}.max_working_days.{level}: not a level ({', '.join(Level.values)})")
                    elif isinstance(days, bool) or not isinstance(days, int) or days < 1:
                        errors.append(f"{where}.max_working_days.{level}: a whole number of at least 1")
                values[name] = {str(k): v for k, v in value.items() if isinstance(v, int)}
    return Rule(
        code=str(code),
        name=str(raw.get("name", "")),
        description=" ".join(str(raw.get("description", "")).split()),
        kind=kind,
        version=version,
        **values,
    )


def rules_from_dict(data: Any) -> RuleSet:
    if not isinstance(data, dict):
        raise DefinitionError(["the rules must be a mapping"])
    errors: list[str] = []
    if not isinstance(data.get("key"), str) or not data["key"]:
        errors.append("key: needed")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        errors.append("version: a whole number of at least 1")
        version = 1
    raw_rules = data.get("rules")
    rules: list[Rule] = []
    if not isinstance(raw_rules, list) or not raw_rules:
        errors.append("rules: a list of at least one rule")
        raw_rules = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _rule(raw, f"rules[{index}]", version, errors)
        if rule is None:
            continue
        if rule.code in seen:
            errors.append(f"rules.{rule.code}: the code is used twice")
        seen.add(rule.code)
        rules.append(rule)
    if errors:
        raise DefinitionError(errors)
    return RuleSet(str(data["key"]), str(data.get("name", data["key"])), version, tuple(rules))


def rules_from_yaml(text: str) -> RuleSet:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError([f"not valid YAML: {exc}"]) from exc
    return rules_from_dict(data)


@cache
def default_rules() -> RuleSet:
    return rules_from_yaml((RULES_DIR / DEFAULT_FILE).read_text(encoding="utf-8"))
