"""Runs the signal rules over a child's chronology, episode history and requests for support.

Every finding lists the exact records that triggered it. Restricted chronology entries are never
read here: a signal is stored once and shown to everyone who may see the child, so evidence that
only some of them may see must not shape it (see README). Only the latest version of a corrected
entry is read, so a correction replaces the entry it corrects and nothing counts twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from cases.models import Episode, Level
from chronology.models import ChronologyEntry
from chronology.selectors import shared_current_entries
from chronology.taxonomy import default_taxonomy
from frontdoor.models import REFERRAL_OUTCOMES, RequestChild, SupportRequest
from frontdoor.selectors import LEVEL_ORDER, months_before
from people.models import Child

from .rules import Rule, RuleSet


@dataclass(frozen=True)
class Evidence:
    kind: str  # "entry", "episode" or "request"
    id: int
    on: date
    label: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "on": self.on.isoformat(), "label": self.label}


@dataclass(frozen=True)
class Finding:
    child_id: int
    rule: Rule
    summary: str
    evidence: tuple[Evidence, ...]


@dataclass
class ChildHistory:
    """What the rules read for one child."""

    child_id: int
    entries: list[ChronologyEntry] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    requests: list[SupportRequest] = field(default_factory=list)


def working_days_after(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`."""
    if end <= start:
        return 0
    whole_weeks, rest = divmod((end - start).days, 7)
    days = whole_weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def _lookback(rules: RuleSet, today: date) -> date:
    starts = [today - timedelta(days=400)]
    for rule in rules.rules:
        if rule.window_months:
            starts.append(months_before(today, rule.window_months))
        if rule.window_days:
            starts.append(today - timedelta(days=rule.window_days))
    return min(starts)


def histories_for(children: Iterable[Child], *, rules: RuleSet, today: date) -> dict[int, ChildHistory]:
    """Three queries for any number of children: current unrestricted entries (the child's and the
    household's), episodes, and requests."""
    children = list(children)
    found = {c.pk: ChildHistory(c.pk) for c in children}
    if not children:
        return found
    by_household: dict[int, list[int]] = defaultdict(list)
    for child in children:
        by_household[child.household_id].append(child.pk)
    since = _lookback(rules, today)
    entries = (
        shared_current_entries()
        .filter(Q(child_id__in=found) | Q(household_id__in=by_household))
        .filter(occurred_on__gte=since, occurred_on__lte=today)
        .select_related("agency")
        .order_by("occurred_on", "id")
    )
    for entry in entries:
        owners = [entry.child_id] if entry.child_id else by_household[entry.household_id]
        for owner in owners:
            found[owner].entries.append(entry)
    for episode in Episode.objects.filter(child_id__in=found).order_by("started_on", "id"):
        found[episode.child_id].episodes.append(episode)
    links = (
        RequestChild.objects.filter(child_id__in=found, request__received_at__date__gte=since)
        .select_related("request", "request__source_agency")
        .order_by("request__received_at", "request_id")
    )
    outcomes = dict(
        SupportRequest.objects.filter(request_children__child_id__in=found, received_at__date__gte=since)
        .filter(decisions__superseded_by__isnull=True)
        .values_list("pk", "decisions__outcome")
    )
    for link in links:
        link.request.current_outcome = outcomes.get(link.request_id)
        found[link.child_id].requests.append(link.request)
    return found


def _entry(entry: ChronologyEntry) -> Evidence:
    label = default_taxonomy().label(entry.event_type)
    if entry.agency_id:
        label = f"{label}, {entry.agency.name}"
    return Evidence("entry", entry.pk, entry.occurred_on, label)


def _episode(episode: Episode) -> Evidence:
    ended = f" to {episode.ended_on:%-d %b %Y}" if episode.ended_on else ", open"
    category = f" ({episode.get_abuse_category_display()})" if episode.abuse_category else ""
    return Evidence("episode", episode.pk, episode.started_on, f"{episode.get_level_display()}{category}{ended}")


def _request(request: SupportRequest) -> Evidence:
    source = f" from {request.source_agency.name}" if request.source_agency_id else ""
    label = f"Request for support {request.reference}{source}"
    return Evidence("request", request.pk, timezone.localdate(request.received_at), label)


def _entry_count(history: ChildHistory, rule: Rule, today: date) -> tuple[str, list[Evidence]] | None:
    since = months_before(today, rule.window_months)
    hits = [e for e in history.entries if e.event_type in rule.event_types and e.occurred_on >= since]
    if len(hits) < rule.at_least:
        return None
    return f"{len(hits)} in the {rule.window_months} months since {since:%-d %B %Y}", [_entry(e) for e in hits]


def _repeat_requests(history: ChildHistory, rule: Rule, today: date) -> tuple[str, list[Evidence]] | None:
    since = months_before(today, rule.window_months)
    requests = [r for r in history.requests if timezone.localdate(r.received_at) >= since]
    request_days = {timezone.localdate(r.received_at) for r in requests if r.current_outcome in REFERRAL_OUTCOMES}
    # A referral recorded only as a child in need episode (another route in, or before Sightline);
    # one the front door accepted already counts as its request.
    referrals = [
        e
        for e in history.episodes
        if e.level == Level.CHILD_IN_NEED
        and e.referral_date
        and since <= e.referral_date <= today
        and e.referral_date not in request_days
    ]
    count = len(requests) + len(referrals)
    if count < rule.at_least:
        return None
    evidence = [_request(r) for r in requests] + [_episode(e) for e in referrals]
    return (
        f"{count} requests for support or referrals since {since:%-d %B %Y}",
        sorted(evidence, key=lambda e: e.on),
    )


def _reopened(history: ChildHistory, rule: Rule, today: date) -> tuple[str, list[Evidence]] | None:
    episodes = [e for e in history.episodes if e.level != Level.UNIVERSAL]
    starts = {e.started_on for e in episodes}
    recent = months_before(today, rule.window_months)
    for closed in sorted((e for e in episodes if e.ended_on), key=lambda e: e.ended_on, reverse=True):
        # A step up or down ends one episode the day before the next opens: that is not a closure.
        if closed.ended_on in starts or closed.ended_on + timedelta(days=1) in starts:
            continue
        for later in episodes:
            if not (closed.ended_on < later.started_on <= today) or later.started_on < recent:
                continue
            if months_before(later.started_on, rule.window_months) > closed.ended_on:
                continue
            same_category = (
                later.level == closed.level == Level.CHILD_PROTECTION and later.abuse_category == closed.abuse_category
            )
            if LEVEL_ORDER[Level(later.level)] >= LEVEL_ORDER[Level(closed.level)] or same_category:
                gap = (later.started_on - closed.ended_on).days
                return (
                    f"{later.get_level_display()} opened {gap} days after a {closed.get_level_display().lower()} "
                    f"episode closed on {closed.ended_on:%-d %B %Y}",
                    [_episode(closed), _episode(later)],
                )
    return None


def _agencies(history: ChildHistory, rule: Rule, today: date) -> tuple[str, list[Evidence]] | None:
    since = today - timedelta(days=rule.window_days)
    items: list[tuple[int, Evidence]] = [
        (e.agency_id, _entry(e))
        for e in history.entries
        if e.event_type in rule.event_types and e.agency_id and e.occurred_on >= since
    ]
    items += [
        (r.source_agency_id, _request(r))
        for r in history.requests
        if r.source_agency_id and timezone.localdate(r.received_at) >= since
    ]
    agencies = {agency for agency, _ in items}
    if len(agencies) < rule.at_least:
        return None
    return (
        f"{len(agencies)} agencies in the {rule.window_days} days since {since:%-d %B %Y}",
        sorted((evidence for _, evidence in items), key=lambda e: e.on),
    )


def _not_seen(history: ChildHistory, rule: Rule, today: date) -> tuple[str, list[Evidence]] | None:
    current = [e for e in history.episodes if e.started_on <= today and (e.ended_on is None or e.ended_on >= today)]
    plans = [e for e in current if e.level in rule.max_working_days]
    if not plans:
        return None
    plan = max(plans, key=lambda e: LEVEL_ORDER[Level(e.level)])
    allowed = rule.max_working_days[plan.level]
    seen = [e for e in history.entries if e.event_type in rule.event_types and e.occurred_on <= today]
    last_seen = seen[-1] if seen else None
    since = max(plan.started_on, last_seen.occurred_on) if last_seen else plan.started_on
    waited = working_days_after(since, today)
    if waited <= allowed:
        return None
    what = (
        f"last seen {last_seen.occurred_on:%-d %B %Y}"
        if last_seen and last_seen.occurred_on >= plan.started_on
        else ("no record of the child being seen since the plan started")
    )
    evidence = [_episode(plan)] + ([_entry(last_seen)] if last_seen else [])
    return f"{waited} working days without being seen ({what}); the plan allows {allowed}", evidence


KIND_EVALUATORS = {
    "entry_count": _entry_count,
    "repeat_requests": _repeat_requests,
    "reopened_after_closure": _reopened,
    "agencies_raising_concerns": _agencies,
    "not_seen": _not_seen,
}


def evaluate(history: ChildHistory, *, rules: RuleSet, today: date) -> list[Finding]:
    findings = []
    for rule in rules.rules:
        result = KIND_EVALUATORS[rule.kind](history, rule, today)
        if result is not None:
            summary, evidence = result
            findings.append(Finding(history.child_id, rule, summary, tuple(evidence)))
    return findings
