"""The plan-based drift checks, over the plans app's records, loaded in bulk for a caseload.

Evidence that a child was seen: there is no "child seen" record in Sightline yet, so the checks use
what exists: a plan meeting the child attended in person (ChildParticipation "attended") and direct
work recorded with the child (VoiceRecord: the child's words or, for a baby, what was observed).
Both mean a practitioner was with the child on that day. So do chronology entries of the types in
SEEN_EVENT_TYPES (a visit or contact where the child was seen), read through
`shared_current_entries` so a restricted entry never shows through a flag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from assessments.models import ItemGrade
from chronology.selectors import shared_current_entries
from plans.models import (
    Action,
    ChildParticipation,
    Meeting,
    MeetingType,
    Participation,
    Plan,
    PlanChild,
    PlanStatus,
    Review,
    VoiceRecord,
)

SEEN_EVENT_TYPES = ("child_seen", "home_visit")

if TYPE_CHECKING:
    from people.models import Child

    from .evaluation import Evidence, History, Hit
    from .rules import Rule

# Meetings that review a plan: a review conference, a child in need review or a core group.
REVIEW_MEETINGS = (
    MeetingType.CIN_REVIEW,
    MeetingType.ICPC,
    MeetingType.RCPC,
    MeetingType.CORE_GROUP,
    MeetingType.TAF,
)


@dataclass
class PlanData:
    meetings: list[Meeting] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    open_actions: list[Action] = field(default_factory=list)
    seen: list[tuple[date, str, str]] = field(default_factory=list)  # (day, what, link) for this child
    grades: dict[int, dict[str, int]] = field(default_factory=dict)  # assessment id -> domain -> worst grade


def plan_url(plan: Plan, child: Child) -> str:
    """The plan's page when the plans app has one; the child's record otherwise."""
    for name, args in (
        ("plans:detail", [child.public_id, plan.public_id]),
        ("plans:detail", [plan.public_id]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("children:detail", args=[child.public_id])


def _evidence(label: str, url: str, on: date | None = None) -> Evidence:
    from .evaluation import Evidence

    return Evidence(label, url, on)


def _day(d: date) -> str:
    return f"{d:%-d %B %Y}"


class PlansAdapter:
    def load(self, children: QuerySet[Child], histories: dict[int, History]) -> None:
        links = (
            PlanChild.objects.filter(child__in=children, plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.ENDED])
            .select_related("plan")
            .order_by("plan__started_on", "plan_id")
        )
        plans: dict[int, Plan] = {}
        for link in links:
            plans[link.plan_id] = link.plan
            histories[link.child_id].plans.append(link.plan)
        if not plans:
            return
        data: dict[tuple[int, int], PlanData] = {}
        by_plan: dict[int, list[int]] = defaultdict(list)
        for child_id, history in histories.items():
            for plan in history.plans:
                data[(child_id, plan.pk)] = history.plan_data[plan.pk] = PlanData()
                by_plan[plan.pk].append(child_id)

        def each(plan_id: int):
            return (data[(child_id, plan_id)] for child_id in by_plan[plan_id])

        for meeting in Meeting.objects.filter(plan__in=list(plans)).order_by("held_on", "id"):
            for d in each(meeting.plan_id):
                d.meetings.append(meeting)
        reviews = list(Review.objects.filter(plan__in=list(plans)).order_by("held_on", "id"))
        for review in reviews:
            for d in each(review.plan_id):
                d.reviews.append(review)
        open_actions = (
            Action.objects.filter(outcome__plan__in=list(plans), completed_on__isnull=True, due_on__isnull=False)
            .select_related("outcome", "owner_user", "owner_adult")
            .order_by("due_on", "id")
        )
        for action in open_actions:
            for d in each(action.outcome.plan_id):
                d.open_actions.append(action)
        attended = ChildParticipation.objects.filter(
            meeting__plan__in=list(plans), child__in=children, participation=Participation.ATTENDED
        ).select_related("meeting")
        for row in attended:
            if (row.child_id, row.meeting.plan_id) in data:
                meeting = row.meeting
                label = f"Attended the {meeting.get_meeting_type_display().lower()} on {_day(meeting.held_on)}"
                data[(row.child_id, meeting.plan_id)].seen.append((meeting.held_on, label, ""))
        for voice in VoiceRecord.objects.filter(plan__in=list(plans), child__in=children):
            if (voice.child_id, voice.plan_id) in data:
                what = "Observed in direct work" if voice.is_observation else "Direct work: the child's words recorded"
                data[(voice.child_id, voice.plan_id)].seen.append(
                    (voice.recorded_on, f"{what} on {_day(voice.recorded_on)}", "")
                )
        seen_entries = shared_current_entries().filter(child__in=children, event_type__in=SEEN_EVENT_TYPES)
        for entry in seen_entries.only("child_id", "occurred_on", "event_type"):
            label = f"{entry.event_label} recorded in the chronology for {_day(entry.occurred_on)}"
            for (child_id, _), d in data.items():
                if child_id == entry.child_id:
                    d.seen.append((entry.occurred_on, label, ""))
        assessment_ids = {p.assessment_id for p in plans.values() if p.assessment_id}
        assessment_ids |= {r.repeat_assessment_id for r in reviews if r.repeat_assessment_id}
        if assessment_ids:
            grades = ItemGrade.objects.filter(assessment_id__in=assessment_ids).values_list(
                "assessment_id", "child_id", "domain_key", "grade"
            )
            worst: dict[tuple[int, int | None], dict[str, int]] = defaultdict(dict)
            for assessment_id, child_id, domain, grade in grades:
                domains = worst[(assessment_id, child_id)]
                domains[domain] = max(domains.get(domain, 0), grade)
            for (child_id, plan_id), d in data.items():
                plan = plans[plan_id]
                for assessment_id in {plan.assessment_id, *(r.repeat_assessment_id for r in d.reviews)} - {None}:
                    # A household item counts for every child; a child's own items only for that child.
                    merged = dict(worst.get((assessment_id, None), {}))
                    for domain, grade in worst.get((assessment_id, child_id), {}).items():
                        merged[domain] = max(merged.get(domain, 0), grade)
                    if merged:
                        d.grades[assessment_id] = merged

    # Helpers the generic checks use.
    def is_live(self, plan: Plan, on: date) -> bool:
        return plan.status == PlanStatus.PUBLISHED and plan.started_on <= on

    def plan_type(self, plan: Plan) -> str:
        return plan.plan_type

    def started_on(self, plan: Plan) -> date | None:
        return plan.started_on

    def matches_category(self, plan: Plan, category: str | None) -> bool:
        return not category or plan.abuse_category == category

    def plan_evidence(self, plan: Plan, child: Child) -> Evidence:
        return _evidence(f"{plan}, still open", plan_url(plan, child), plan.started_on)

    def candidate_child_ids(self, on: date) -> list[int]:
        return list(
            PlanChild.objects.filter(plan__status=PlanStatus.PUBLISHED, plan__started_on__lte=on).values_list(
                "child_id", flat=True
            )
        )

    # The checks: each returns (since, evidence) or None for one live plan.
    def review_overdue(self, plan: Plan, history: History, rule: Rule, on: date) -> Hit | None:
        d: PlanData = history.plan_data[plan.pk]
        url = plan_url(plan, history.child)
        last_review = max((r.held_on for r in d.reviews if r.held_on <= on), default=None)
        last_meeting = max(
            (m.held_on for m in d.meetings if m.meeting_type in REVIEW_MEETINGS and m.held_on <= on), default=None
        )
        last = max((x for x in (last_review, last_meeting) if x), default=None)
        due = (last or plan.started_on) + timedelta(days=plan.review_interval_days)
        since = due + timedelta(days=rule.params["grace_days"] + 1)
        if on < since:
            return None
        what = (
            f"Last review or core group on {_day(last)}"
            if last
            else f"No review since the plan started on {_day(plan.started_on)}"
        )
        label = f"{what}; the plan is reviewed every {plan.review_interval_days} days, so one was due by {_day(due)}"
        return since, (_evidence(label, url, last or plan.started_on),)

    def actions_overdue(self, plan: Plan, history: History, rule: Rule, on: date) -> Hit | None:
        d: PlanData = history.plan_data[plan.pk]
        grace = timedelta(days=rule.params["grace_days"])
        overdue = [a for a in d.open_actions if a.due_on + grace < on]
        if not overdue:
            return None
        url = plan_url(plan, history.child)
        evidence = tuple(
            _evidence(
                f"“{a.description[:80]}” ({a.owner_label or 'no owner'}) was due by {_day(a.due_on)} and is not done",
                url,
                a.due_on,
            )
            for a in overdue
        )
        return min(a.due_on for a in overdue) + grace + timedelta(days=1), evidence

    def grades_not_improved(self, plan: Plan, history: History, rule: Rule, on: date) -> Hit | None:
        d: PlanData = history.plan_data[plan.pk]
        wanted = rule.params["reviews"]
        baseline = d.grades.get(plan.assessment_id) if plan.assessment_id else None
        reviewed = [
            r for r in d.reviews if r.repeat_assessment_id and r.held_on <= on and r.repeat_assessment_id in d.grades
        ]
        if not baseline or len(reviewed) < wanted:
            return None
        last = reviewed[-wanted:]
        url = plan_url(plan, history.child)
        evidence = [
            _evidence(f"Baseline assessment: worst grade {max(baseline.values())} across {len(baseline)} domains", url)
        ]
        for review in last:
            grades = d.grades[review.repeat_assessment_id]
            improved_domains = [k for k, g in grades.items() if k in baseline and g < baseline[k]]
            if improved_domains or max(grades.values()) < max(baseline.values()):
                return None
            evidence.append(
                _evidence(
                    f"Review on {_day(review.held_on)}: worst grade {max(grades.values())}, "
                    "no domain better than the baseline",
                    url,
                    review.held_on,
                )
            )
        return last[-1].held_on, tuple(evidence)

    def child_not_seen(self, plan: Plan, history: History, rule: Rule, on: date) -> Hit | None:
        url = plan_url(plan, history.child)
        # Seen on any of the child's plans counts: the child was seen.
        seen = [s for pd in history.plan_data.values() for s in pd.seen if s[0] <= on]
        latest = max(seen, default=None, key=lambda s: s[0])
        start = max(latest[0], plan.started_on) if latest else plan.started_on
        due = start + timedelta(days=plan.visiting_frequency_days)
        since = due + timedelta(days=rule.params["grace_days"] + 1)
        if on < since:
            return None
        what = (
            latest[1]
            if latest
            else f"No record of the child being seen since the plan started on {_day(plan.started_on)}"
        )
        label = f"{what}; the plan says every {plan.visiting_frequency_days} days, so a visit was due by {_day(due)}"
        return since, (_evidence(label, url, latest[0] if latest else plan.started_on),)
