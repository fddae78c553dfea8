"""The drift evaluator: which rules hold for which children on a day, since when, and on what evidence.

`flags_for_children` evaluates a whole caseload in a fixed number of queries: it loads every
child's episodes (and plans, when the plans app is present) in bulk, then runs each rule's check
in Python over the loaded history. Each check returns the day the flag was first true (so the view
can sort by how long it has been drifting) and the rows that made it true, with links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse

from cases.models import Episode
from people.models import Child

from .dates import add_months
from .models import FlagClearance
from .rules import Rule, RuleSet, default_ruleset


@dataclass(frozen=True)
class Evidence:
    """One row that made a rule fire, in words, with where to see it."""

    label: str
    url: str
    on: date | None = None


@dataclass(frozen=True)
class Flag:
    child: Child
    rule: Rule
    since: date
    evidence: tuple[Evidence, ...]
    clearance: FlagClearance | None = None

    def age_days(self, on: date) -> int:
        return (on - self.since).days

    @property
    def is_cleared(self) -> bool:
        return self.clearance is not None


@dataclass
class History:
    """What the checks read about one child, loaded in bulk."""

    child: Child
    episodes: list[Episode] = field(default_factory=list)
    plans: list[Any] = field(default_factory=list)
    # Plan rows the plan checks read (meetings, reviews, actions, grades, times seen), keyed by plan id.
    plan_data: dict[int, Any] = field(default_factory=dict)


Hit = tuple[date, tuple[Evidence, ...]]
Check = Callable[[History, Rule, date], list[Hit]]


def _is_open(started: date, ended: date | None, on: date) -> bool:
    return started <= on and (ended is None or ended >= on)


def _child_url(child: Child) -> str:
    return reverse("children:detail", args=[child.public_id])


def _episode_evidence(episode: Episode, child: Child) -> Evidence:
    ended = f"ended {episode.ended_on:%-d %B %Y}" if episode.ended_on else "still open"
    category = f" ({episode.get_abuse_category_display().lower()})" if episode.abuse_category else ""
    label = f"{episode.get_level_display()}{category} episode from {episode.started_on:%-d %B %Y}, {ended}"
    return Evidence(label, _child_url(child), episode.started_on)


def _matches(episode: Episode, params: dict[str, Any]) -> bool:
    if episode.level != params["level"]:
        return False
    return not params.get("abuse_category") or episode.abuse_category == params["abuse_category"]


def check_open_longer_than(history: History, rule: Rule, on: date) -> list[Hit]:
    """An open episode (or published plan) of the level, open more than `months` months: flagged from
    the day after the anniversary, so exactly 6 months open is not yet drift."""
    months = rule.params["months"]
    hits: list[Hit] = []
    for episode in history.episodes:
        if _matches(episode, rule.params) and _is_open(episode.started_on, episode.ended_on, on):
            since = add_months(episode.started_on, months) + timedelta(days=1)
            if on >= since:
                hits.append((since, (_episode_evidence(episode, history.child),)))
    plan_type = rule.params.get("plan_type")
    for plan in history.plans:
        if plan_type and plans_adapter.plan_type(plan) == plan_type and plans_adapter.is_live(plan, on):
            started = plans_adapter.started_on(plan)
            if started is None or not plans_adapter.matches_category(plan, rule.params.get("abuse_category")):
                continue
            since = add_months(started, months) + timedelta(days=1)
            if on >= since:
                hits.append((since, (plans_adapter.plan_evidence(plan, history.child),)))
    if not hits:
        return []
    # One flag, from the earliest: an episode and the plan that goes with it are both evidence.
    return [(min(h[0] for h in hits), tuple(e for h in sorted(hits, key=lambda h: h[0]) for e in h[1]))]


def check_repeat_episode(history: History, rule: Rule, on: date) -> list[Hit]:
    """A current episode of the level and category, with an earlier one that ended before it began."""
    matching = sorted((e for e in history.episodes if _matches(e, rule.params)), key=lambda e: e.started_on)
    for current in matching:
        if not _is_open(current.started_on, current.ended_on, on):
            continue
        earlier = [e for e in matching if e.ended_on is not None and e.ended_on < current.started_on]
        if earlier:
            evidence = tuple(_episode_evidence(e, history.child) for e in [*earlier, current])
            return [(current.started_on, evidence)]
    return []


def _plan_check(name: str) -> Check:
    def check(history: History, rule: Rule, on: date) -> list[Hit]:
        hits: list[Hit] = []
        for plan in history.plans:
            if plans_adapter.is_live(plan, on):
                hit = getattr(plans_adapter, name)(plan, history, rule, on)
                if hit is not None:
                    hits.append(hit)
        return [min(hits, key=lambda h: h[0])] if hits else []

    return check


CHECKS: dict[str, Check] = {
    "open_longer_than": check_open_longer_than,
    "repeat_episode": check_repeat_episode,
    "review_overdue": _plan_check("review_overdue"),
    "actions_overdue": _plan_check("actions_overdue"),
    "grades_not_improved": _plan_check("grades_not_improved"),
    "child_not_seen": _plan_check("child_not_seen"),
}


class _NoPlans:
    """Stands in for the plans adapter while the plans app is not installed: no plan-based flags."""

    def load(self, children: QuerySet[Child], histories: dict[int, History]) -> None:
        return None

    def is_live(self, plan: Any, on: date) -> bool:
        return False


def _plans_adapter() -> Any:
    if apps.is_installed("plans"):
        from .plan_checks import PlansAdapter

        return PlansAdapter()
    return _NoPlans()


plans_adapter: Any = _plans_adapter()


def _histories(children: QuerySet[Child]) -> dict[int, History]:
    histories = {child.pk: History(child=child) for child in children}
    if not histories:
        return histories
    for episode in Episode.objects.filter(child__in=children).order_by("started_on", "id"):
        histories[episode.child_id].episodes.append(episode)
    plans_adapter.load(children, histories)
    return histories


def _clearances(children: QuerySet[Child], on: date) -> dict[tuple[int, str], FlagClearance]:
    """The current clearance (the one lasting longest) for each child and rule."""
    found: dict[tuple[int, str], FlagClearance] = {}
    rows = (
        FlagClearance.objects.filter(child__in=children, cleared_until__gte=on)
        .select_related("supervision", "cleared_by")
        .order_by("cleared_until", "id")
    )
    for clearance in rows:
        found[(clearance.child_id, clearance.rule_code)] = clearance
    return found


def flags_for_children(
    children: QuerySet[Child], *, on: date, ruleset: RuleSet | None = None, rules: Iterable[str] | None = None
) -> list[Flag]:
    """Every flag (cleared ones carry their clearance) for the children, in a fixed number of queries.
    `children` must already be narrowed to what the reader may see."""
    ruleset = ruleset or default_ruleset()
    chosen = [r for r in ruleset.rules if rules is None or r.code in set(rules)]
    histories = _histories(children)
    clearances = _clearances(children, on) if histories else {}
    flags: list[Flag] = []
    for history in histories.values():
        for rule in chosen:
            for since, evidence in CHECKS[rule.check](history, rule, on):
                clearance = clearances.get((history.child.pk, rule.code))
                flags.append(Flag(history.child, rule, since, evidence, clearance))
    return flags


def flags_by_child(flags: Iterable[Flag]) -> dict[int, list[Flag]]:
    grouped: dict[int, list[Flag]] = defaultdict(list)
    for flag in flags:
        grouped[flag.child.pk].append(flag)
    return dict(grouped)
