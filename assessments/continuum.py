"""The continuum of need as explainable rules over a child's repeat assessments.

Decision support, never prediction: each rule is readable data, and a recommendation lists every
rule that fired with the grades that fired it. The practitioner decides and records why. A domain's
grade is the worst grade among its items in that assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .definitions import DefinitionError

CONTINUUM_DIR = Path(__file__).resolve().parent / "continuum"
RULE_KINDS = ("domains_at_grade", "persistent_domain", "improvement")
RECOMMENDATIONS = ("consider_level", "escalate", "step_down")


@dataclass(frozen=True)
class Level:
    number: int
    key: str
    name: str
    definition: str
    pathways: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    recommend: str
    explanation: str
    params: dict[str, int]


@dataclass(frozen=True)
class Continuum:
    key: str
    name: str
    version: int
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]

    @property
    def highest(self) -> int:
        return max(level.number for level in self.levels)

    @property
    def lowest(self) -> int:
        return min(level.number for level in self.levels)

    def level(self, number: int) -> Level:
        return next(level for level in self.levels if level.number == number)

    def number_for(self, key: str | None) -> int:
        """The continuum number for an episode level key; levels beyond the continuum (looked after)
        count as its highest, no episode as its lowest."""
        if key is None:
            return self.lowest
        return next((level.number for level in self.levels if level.key == key), self.highest)


@dataclass(frozen=True)
class GradedAssessment:
    """The domain grades of one completed assessment of one child."""

    completed_on: date
    domain_grades: dict[str, int]


@dataclass(frozen=True)
class Evidence:
    completed_on: date
    domain: str
    grade: int


@dataclass(frozen=True)
class FiredRule:
    rule: Rule
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Recommendation:
    current_level: int
    level: int
    fired: tuple[FiredRule, ...]

    @property
    def direction(self) -> str:
        if self.level > self.current_level:
            return "step up"
        if self.level < self.current_level:
            return "step down"
        return "stay"


_REQUIRED = {
    "domains_at_grade": ("grade_at_least", "count_at_least"),
    "persistent_domain": ("grade_at_least", "min_days_apart"),
    "improvement": ("from_grade_at_least", "to_grade_at_most", "assessments"),
}


def continuum_from_dict(data: Any) -> Continuum:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["the continuum must be a mapping"])
    levels = []
    for i, raw in enumerate(data.get("levels") or []):
        try:
            levels.append(
                Level(
                    int(raw["number"]),
                    str(raw["key"]),
                    str(raw["name"]),
                    str(raw.get("definition", "")),
                    tuple(str(p) for p in raw.get("pathways") or ()),
                )
            )
        except (KeyError, TypeError, ValueError):
            errors.append(f"levels[{i}]: needs a number, a key and a name")
    if not levels:
        errors.append("levels: at least one level is needed")
    numbers = sorted(level.number for level in levels)
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        errors.append(f"levels: numbers must be consecutive; found {numbers}")
    rules = []
    for i, raw in enumerate(data.get("rules") or []):
        where = f"rule '{raw.get('key', i)}'" if isinstance(raw, dict) else f"rules[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        kind, recommend = raw.get("kind"), raw.get("recommend")
        if kind not in RULE_KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(RULE_KINDS)}")
            continue
        if recommend not in RECOMMENDATIONS:
            errors.append(f"{where}: recommend must be one of {', '.join(RECOMMENDATIONS)}")
            continue
        names = _REQUIRED[kind] + (("level",) if recommend == "consider_level" else ())
        params = {}
        for name in names:
            value = raw.get(name)
            if isinstance(value, bool) or not isinstance(value, int):
                errors.append(f"{where}: '{name}' must be a whole number")
            else:
                params[name] = value
        if recommend == "consider_level" and params.get("level") not in numbers:
            errors.append(f"{where}: level {params.get('level')} is not one of the continuum's levels")
        rules.append(Rule(str(raw.get("key", f"rule{i}")), kind, recommend, str(raw.get("explanation", "")), params))
    if errors:
        raise DefinitionError(errors)
    return Continuum(
        str(data.get("key", "")), str(data.get("name", "")), int(data.get("version", 1)), tuple(levels), tuple(rules)
    )


def levels_as_stored(continuum: Continuum) -> list[dict[str, Any]]:
    """The levels as a decision keeps them, so it can be read with its own names once the
    continuum has a new version."""
    return [
        {"number": lv.number, "key": lv.key, "name": lv.name, "definition": lv.definition} for lv in continuum.levels
    ]


@cache
def default_continuum() -> Continuum:
    return continuum_from_dict(
        yaml.safe_load((CONTINUUM_DIR / "westmere-continuum-v1.yaml").read_text(encoding="utf-8"))
    )


def _fires(rule: Rule, history: list[GradedAssessment]) -> tuple[Evidence, ...]:
    """The evidence that fires the rule on this history (oldest first), or () if it does not fire."""
    p = rule.params
    if not history:
        return ()
    latest = history[-1]
    if rule.kind == "domains_at_grade":
        hits = tuple(
            Evidence(latest.completed_on, d, g)
            for d, g in sorted(latest.domain_grades.items())
            if g >= p["grade_at_least"]
        )
        return hits if len(hits) >= p["count_at_least"] else ()
    if rule.kind == "persistent_domain":
        for domain, grade in sorted(latest.domain_grades.items()):
            if grade < p["grade_at_least"]:
                continue
            for earlier in history[:-1]:
                old = earlier.domain_grades.get(domain)
                apart = (latest.completed_on - earlier.completed_on).days
                if old is not None and old >= p["grade_at_least"] and apart >= p["min_days_apart"]:
                    return (Evidence(earlier.completed_on, domain, old), Evidence(latest.completed_on, domain, grade))
        return ()
    # improvement: every domain once graded at or worse than from_grade is now at or better than
    # to_grade in each of the last N assessments, and there was such a domain before them.
    recent, before = history[-p["assessments"] :], history[: -p["assessments"]]
    if len(recent) < p["assessments"] or not before:
        return ()
    concerns = {d for a in before for d, g in a.domain_grades.items() if g >= p["from_grade_at_least"]}
    if not concerns:
        return ()
    evidence = []
    for assessment in recent:
        for domain in sorted(concerns):
            grade = assessment.domain_grades.get(domain)
            if grade is None or grade > p["to_grade_at_most"]:
                return ()
            evidence.append(Evidence(assessment.completed_on, domain, grade))
    return tuple(evidence)


def recommend_level(*, continuum: Continuum, current_level: int, history: list[GradedAssessment]) -> Recommendation:
    """Applies every rule to the child's assessments (oldest first). Escalation wins over step-down:
    the recommended level is the highest level any escalating rule points to; step-down applies only
    when no escalating rule fired."""
    ordered = sorted(history, key=lambda a: a.completed_on)
    fired = tuple(FiredRule(rule, ev) for rule in continuum.rules if (ev := _fires(rule, ordered)))
    level = current_level
    for item in fired:
        if item.rule.recommend == "consider_level":
            level = max(level, item.rule.params["level"])
        elif item.rule.recommend == "escalate":
            level = max(level, min(current_level + 1, continuum.highest))
    escalating = any(f.rule.recommend != "step_down" for f in fired)
    if not escalating and any(f.rule.recommend == "step_down" for f in fired):
        level = max(current_level - 1, continuum.lowest)
    return Recommendation(current_level=current_level, level=level, fired=fired)
