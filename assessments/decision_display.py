"""A level decision's recommendation as it was when the decision was made, read only from what the
decision stored (continuum version, levels, every fired rule with its evidence), and today's fresh
recommendation in the same shape, so the page shows the first and adds the second only where the
advice has changed since. Recomputing would let a later grade, episode or continuum version quietly
contradict what the practitioner and their manager actually saw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .continuum import Continuum, Recommendation, levels_as_stored
from .decision_services import recommendation_reasons
from .models import LevelDecision


@dataclass(frozen=True)
class LevelShown:
    number: int
    name: str
    definition: str


@dataclass(frozen=True)
class ReasonShown:
    rule: str
    explanation: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RecommendationShown:
    continuum_key: str
    continuum_name: str
    continuum_version: int
    current: LevelShown
    recommended: LevelShown
    reasons: tuple[ReasonShown, ...]

    @property
    def direction(self) -> str:
        if self.recommended.number > self.current.number:
            return "step up"
        if self.recommended.number < self.current.number:
            return "step down"
        return "stay"

    def same_advice_as(self, other: RecommendationShown) -> bool:
        """The same continuum version pointing to the same level for the same rules and evidence. The
        current level is left out: an agreed step up or down changes it, which is the decision working,
        not the advice changing."""
        return (self.continuum_key, self.continuum_version, self.recommended.number, self.reasons) == (
            other.continuum_key,
            other.continuum_version,
            other.recommended.number,
            other.reasons,
        )


def _level(levels: list[dict[str, Any]], number: int) -> LevelShown:
    # A decision stored before levels were kept, under a continuum version no longer shipped, has
    # none: its number is shown alone rather than borrowing another version's names.
    found = next((lv for lv in levels if lv.get("number") == number), {})
    return LevelShown(number, str(found.get("name", "")), str(found.get("definition", "")))


def _reason(stored: dict[str, Any], domain_names: dict[str, str]) -> ReasonShown:
    return ReasonShown(
        rule=str(stored.get("rule", "")),
        explanation=str(stored.get("explanation", "")),
        evidence=tuple(
            f"{domain_names.get(e['domain'], e['domain'])}: grade {e['grade']} in the assessment of "
            f"{date.fromisoformat(e['date']):%-d %B %Y}"
            for e in stored.get("evidence", ())
        ),
    )


def _shown(
    *,
    key: str,
    name: str,
    version: int,
    levels: list[dict[str, Any]],
    current: int,
    recommended: int,
    reasons: list[dict[str, Any]],
    domain_names: dict[str, str],
) -> RecommendationShown:
    return RecommendationShown(
        continuum_key=key,
        continuum_name=name,
        continuum_version=version,
        current=_level(levels, current),
        recommended=_level(levels, recommended),
        reasons=tuple(_reason(r, domain_names) for r in reasons),
    )


def recommendation_as_decided(decision: LevelDecision, domain_names: dict[str, str]) -> RecommendationShown:
    return _shown(
        key=decision.continuum_key,
        name=decision.continuum_name,
        version=decision.continuum_version,
        levels=decision.levels,
        current=decision.current_level,
        recommended=decision.recommended_level,
        reasons=decision.reasons,
        domain_names=domain_names,
    )


def recommendation_today(
    recommendation: Recommendation, continuum: Continuum, domain_names: dict[str, str]
) -> RecommendationShown:
    """Built through the same stored form a decision keeps, so the two compare like for like."""
    return _shown(
        key=continuum.key,
        name=continuum.name,
        version=continuum.version,
        levels=levels_as_stored(continuum),
        current=recommendation.current_level,
        recommended=recommendation.level,
        reasons=recommendation_reasons(recommendation),
        domain_names=domain_names,
    )


def decided_level(decision: LevelDecision) -> LevelShown:
    return _level(decision.levels, decision.decided_level)
