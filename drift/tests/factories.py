"""Crafted histories for drift tests: plans, meetings, reviews, actions and graded assessments."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from assessments.models import Assessment, AssessmentStatus, ItemGrade, ToolVersion
from people.models import Child
from plans.models import Action, Meeting, Outcome, Plan, PlanChild, PlanStatus, Review


def make_plan(
    child: Child,
    lead: User,
    *,
    plan_type: str = "cin",
    started_on: date,
    status: str = PlanStatus.PUBLISHED,
    **extra,
) -> Plan:
    plan = Plan.objects.create(
        household=child.household,
        plan_type=plan_type,
        status=status,
        lead=lead,
        created_by=lead,
        started_on=started_on,
        **extra,
    )
    PlanChild.objects.create(plan=plan, child=child)
    return plan


def make_action(plan: Plan, owner: User | None, *, due_on: date | None, completed_on: date | None = None) -> Action:
    outcome = plan.outcomes.first() or Outcome.objects.create(plan=plan, text="Ruby has breakfast every school day")
    return Action.objects.create(
        outcome=outcome,
        description="Book the dentist and go with Ruby",
        owner_user=owner,
        due_on=due_on,
        completed_on=completed_on,
    )


def make_meeting(plan: Plan, chair: User, *, held_on: date, meeting_type: str = "core_group") -> Meeting:
    return Meeting.objects.create(plan=plan, meeting_type=meeting_type, held_on=held_on, chair=chair, recorded_by=chair)


def make_assessment(child: Child, lead: User, grades: dict[str, int], *, started_on: date) -> Assessment:
    tool, _ = ToolVersion.objects.get_or_create(
        key="test-tool", version=1, defaults={"name": "Test tool", "definition": {}, "checksum": "0" * 64}
    )
    assessment = Assessment.objects.create(
        household=child.household,
        tool_version=tool,
        lead=lead,
        started_on=started_on,
        status=AssessmentStatus.SIGNED_OFF,
    )
    for i, (domain, grade) in enumerate(grades.items()):
        ItemGrade.objects.create(
            assessment=assessment,
            child=child,
            domain_key=domain,
            item_key=f"{domain}-{i}",
            grade=grade,
            recorded_by=lead,
        )
    return assessment


def make_review(plan: Plan, lead: User, *, held_on: date, repeat_assessment: Assessment | None = None) -> Review:
    return Review.objects.create(
        plan=plan,
        held_on=held_on,
        repeat_assessment=repeat_assessment,
        decision="continue",
        decision_reason="Some change, not yet enough",
        recorded_by=lead,
    )
