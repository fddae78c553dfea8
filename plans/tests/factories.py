"""Signed-off assessments and plans for the plans tests, made through the assessments services."""

from __future__ import annotations

from datetime import date, timedelta

from assessments.definitions import default_definition
from assessments.models import AssessedChild, ItemGrade
from assessments.services import (
    assessment_decide,
    assessment_start,
    assessment_submit,
    tool_definition_of,
    tool_version_load,
)
from cases.models import Involvement, InvolvementRole
from conftest import World
from people.models import Child

from ..models import Action, Meeting, Plan
from ..services import FamilyMember, meeting_record, plan_create_from_assessment, plan_publish


def tool_version():
    version, _ = tool_version_load(definition=default_definition())
    return version


def graded_assessment(world: World, children: list[Child], grades: dict[tuple[Child | None, str], int], on: date):
    """A draft led by sw with every applicable item graded 2 unless `grades` says otherwise, ready to
    submit. sw is the allocated social worker of every child assessed: only the case holder plans."""
    for child in children:
        Involvement.objects.get_or_create(
            practitioner=world.sw,
            team=world.sw.team,
            child=child,
            role=InvolvementRole.SOCIAL_WORKER,
            defaults={"started_on": on - timedelta(days=30)},
        )
    version = tool_version()
    assessment = assessment_start(
        lead=world.sw, household=world.household, children=children, tool_version=version, on=on
    )
    definition = tool_definition_of(version)
    bands = {a.child_id: a.age_band for a in AssessedChild.objects.filter(assessment=assessment)}
    rows = []
    for domain in definition.domains:
        for item in domain.items:
            owners = [None] if domain.scope == "household" else [c for c in children if bands[c.pk] in item.age_bands]
            if domain.scope == "household" and not set(bands.values()) & set(item.age_bands):
                continue
            for owner in owners:
                grade = grades.get((owner, item.key), 2)
                rows.append(
                    ItemGrade(
                        assessment=assessment,
                        child=owner,
                        domain_key=domain.key,
                        item_key=item.key,
                        grade=grade,
                        evidence="Seen at the home visit" if grade >= 3 else "",
                        recorded_by=world.sw,
                    )
                )
    ItemGrade.objects.bulk_create(rows)
    AssessedChild.objects.filter(assessment=assessment).update(lived_experience="Told us about their day")
    return assessment


def signed_off_assessment(world: World, children: list[Child], grades: dict[tuple[Child | None, str], int], on: date):
    """A graded assessment submitted by sw and signed off by tm."""
    assessment = graded_assessment(world, children, grades, on)
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    return assessment_decide(assessment=assessment, manager=world.tm, sign_off=True, comment="")


def cin_plan(world: World, on: date = date(2026, 3, 2)) -> Plan:
    """A draft CIN plan for Ruby and Alfie: two child needs and one household need."""
    assessment = signed_off_assessment(
        world,
        [world.child, world.sibling],
        {
            (world.child, "medical.dental_care"): 4,
            (world.sibling, "nutritional.enough_food"): 3,
            (None, "home_conditions.cleanliness"): 3,
        },
        on,
    )
    return plan_create_from_assessment(
        assessment=assessment,
        children=[world.child, world.sibling],
        plan_type="cin",
        lead=world.sw,
        created_by=world.sw,
        on=on,
    )


def make_publishable(plan: Plan) -> None:
    """Gives every outcome a measure, a consequence and an owned, dated action."""
    for outcome in plan.outcomes.all():
        outcome.target_grade, outcome.consequence = 2, "We will hold a strategy discussion."
        outcome.save()
        Action.objects.create(
            outcome=outcome, description="Book the dentist", owner_family_name="Kirsty", due_on=date(2026, 4, 1)
        )


def published_cin_plan(world: World) -> Plan:
    plan = cin_plan(world)
    make_publishable(plan)
    return plan_publish(plan=plan, user=world.sw, expected_revision=plan.revision, on=date(2026, 3, 3))


def meeting_for(plan: Plan, world: World) -> Meeting:
    return meeting_record(
        plan=plan,
        meeting_type="cin_review",
        held_on=date(2026, 4, 1),
        chair=world.tm,
        invited=[world.csc],
        attending=[world.csc],
        family=[FamilyMember(name="Kirsty Ashworth", attended=True)],
        participation={world.child: ("views_before", "Drew her three houses")},
        recorded_by=world.sw,
    )
