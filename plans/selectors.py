"""Reads for plans. Every read starts from a child the user can see (`people.selectors.child_for_user`)
or from `Child.objects.visible_to(user)`; a plan is found only through a child on it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.http import Http404

from assessments.models import Assessment, AssessmentStatus
from people.models import Child

from .models import (
    Action,
    FamilyFeedback,
    Meeting,
    Outcome,
    OutcomeProgress,
    Plan,
    PlanChild,
    Review,
    VoiceRecord,
)

if TYPE_CHECKING:
    from accounts.models import User

DETAIL_LIST_LIMIT = 10


def plans_for_child(*, child: Child) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(plan_children__child=child)
        .select_related("lead")
        .prefetch_related(Prefetch("plan_children", queryset=PlanChild.objects.select_related("child")))
        .order_by("-started_on", "-id")
    )


def plans_visible_to(*, user: User) -> QuerySet[Plan]:
    """Plans with at least one child the user can see."""
    return Plan.objects.filter(plan_children__child__in=Child.objects.visible_to(user)).distinct()


def plan_for_child(*, child: Child, plan_id) -> Plan:
    try:
        return Plan.objects.select_related("lead__team", "assessment__tool_version", "household").get(
            public_id=plan_id, plan_children__child=child
        )
    except (Plan.DoesNotExist, ValueError) as exc:
        raise Http404("No plan found") from exc


def meeting_for_plan(*, plan: Plan, meeting_id) -> Meeting:
    try:
        return Meeting.objects.select_related("chair").get(public_id=meeting_id, plan=plan)
    except (Meeting.DoesNotExist, ValueError) as exc:
        raise Http404("No meeting found") from exc


def outcomes_with_actions(*, plan: Plan) -> list[Outcome]:
    actions = Action.objects.select_related("owner_user", "owner_adult")
    return list(plan.outcomes.select_related("need_child").prefetch_related(Prefetch("actions", queryset=actions)))


def recent_meetings(*, plan: Plan) -> list[Meeting]:
    return list(plan.meetings.select_related("chair").order_by("-held_on", "-id")[:DETAIL_LIST_LIMIT])


def recent_reviews(*, plan: Plan) -> list[Review]:
    progress = OutcomeProgress.objects.select_related("outcome")
    return list(
        plan.reviews.select_related("recorded_by", "repeat_assessment", "successor")
        .prefetch_related(Prefetch("progress", queryset=progress))
        .order_by("-held_on", "-id")[:DETAIL_LIST_LIMIT]
    )


def recent_voice(*, plan: Plan) -> list[VoiceRecord]:
    return list(
        plan.voice_records.select_related("child", "recorded_by").order_by("-recorded_on", "-id")[:DETAIL_LIST_LIMIT]
    )


def baseline_assessments_for_child(*, child: Child) -> QuerySet[Assessment]:
    """Signed-off assessments that include this child: a plan can start from any of them."""
    return (
        Assessment.objects.filter(children__child=child, status=AssessmentStatus.SIGNED_OFF)
        .select_related("tool_version", "lead")
        .order_by("-started_on", "-id")
    )


def repeat_assessments_for_plan(*, plan: Plan) -> QuerySet[Assessment]:
    """Signed-off assessments of children on the plan, other than the baseline."""
    child_ids = PlanChild.objects.filter(plan=plan).values("child_id")
    return (
        Assessment.objects.filter(
            household_id=plan.household_id, children__child_id__in=child_ids, status=AssessmentStatus.SIGNED_OFF
        )
        .exclude(pk=plan.assessment_id)
        .select_related("tool_version")
        .distinct()
        .order_by("-started_on", "-id")
    )


FEEDBACK_QUESTIONS = ("respondent_type", "listened", "listened_score", "understands_plan")


def feedback_counts(*, start: date, end: date, period: str = "month") -> list[dict]:
    """Family feedback counted per question, answer and period (month or quarter) between two dates:
    aggregates only, for the partnership's reports. One query per question."""
    trunc = {"month": TruncMonth, "quarter": TruncQuarter}[period]
    base = FamilyFeedback.objects.filter(recorded_on__gte=start, recorded_on__lte=end).annotate(
        period=trunc("recorded_on")
    )
    rows = []
    for question in FEEDBACK_QUESTIONS:
        for row in base.values("period", question).annotate(count=Count("id")).order_by("period", question):
            period_start = row["period"]
            if hasattr(period_start, "date"):
                period_start = period_start.date()
            rows.append(
                {"period": period_start, "question": question, "answer": str(row[question]), "count": row["count"]}
            )
    return rows
