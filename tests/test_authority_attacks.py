"""The attacks found from outside, tried again as the attacker would: through the pages where there
are pages, and straight at the services where a page would stop them first.

Ruby (world.child) and Alfie (world.sibling) live together. Sam (sw) is their allocated social
worker, Tara (tm) his manager. The school (dsl) works with Ruby only.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.authority import NotAuthorised
from access.models import AccessEvent, EmergencyAccess
from accounts.models import Role, Team
from assessments.decision_services import level_decision_agree, level_decision_record
from assessments.models import Contribution, DecisionStatus, LevelDecision
from assessments.services import assessment_grade_set, assessment_submit
from cases.models import Episode
from conftest import World, involve, make_user, sign_in
from plans.models import Plan, PlanStatus, VoiceRecord
from plans.tests.factories import graded_assessment, published_cin_plan


def _emergency(user, *children) -> None:
    for child in children:
        EmergencyAccess.objects.create(
            user=user,
            child=child,
            reason="Neighbour reports the children alone since yesterday",
            expires_at=timezone.now() + timedelta(hours=4),
        )


def _open_episodes(world: World) -> dict[int, list[str]]:
    return {
        child.pk: sorted(Episode.objects.filter(child=child, ended_on__isnull=True).values_list("level", flat=True))
        for child in (world.child, world.sibling)
    }


def test_an_emergency_reader_cannot_close_a_plan_or_end_a_siblings_episodes(world: World, client) -> None:
    plan = published_cin_plan(world)
    Episode.objects.create(child=world.sibling, level="cin", started_on=date(2026, 3, 3))
    before = _open_episodes(world)
    _emergency(world.outsider, world.child)
    sign_in(client, world.outsider)
    url = reverse("plans:review_create", args=[world.child.public_id, plan.public_id])
    assert client.get(url).status_code == 403
    data = {
        "held_on": "2026-06-01",
        "decision": "close",
        "decision_reason": "Everything is fine now, closing the case",
        **{f"o{o.pk}_status": "achieved" for o in plan.outcomes.all()},
        **{f"o{o.pk}_evidence": "Seen" for o in plan.outcomes.all()},
    }
    response = client.post(url, data)
    assert response.status_code == 403
    assert "emergency access lets you read this record, not change it" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and not plan.reviews.exists()
    assert _open_episodes(world) == before
    assert not AccessEvent.objects.filter(user=world.outsider, child=world.sibling).exists()


def test_a_reader_who_sees_one_child_cannot_close_a_plan_that_covers_another(world: World) -> None:
    """Even with the power to review for Ruby, a plan also covering Alfie (whom they cannot see) is refused."""
    plan = published_cin_plan(world)
    from cases.models import InvolvementRole
    from plans.services import review_record

    lead = make_user("lead_eh", world.eh.agency, Team.objects.create(agency=world.eh.agency, name="Leads"))
    involve(lead, child=world.child, role=InvolvementRole.LEAD)
    with pytest.raises(NotAuthorised, match="a child whose record you cannot see"):
        review_record(
            plan=plan,
            recorded_by=lead,
            held_on=date(2026, 6, 1),
            decision="close",
            decision_reason="Closing at the review meeting",
            progress={o.pk: ("achieved", "") for o in plan.outcomes.all()},
        )
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED


def _submitted(world: World):
    assessment = graded_assessment(world, [world.child, world.sibling], {}, date(2026, 3, 2))
    return assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)


def _health_manager(world: World):
    manager = make_user("hv_tm", world.hv.agency, None, Role.TEAM_MANAGER)
    Team.objects.filter(pk=world.hv.team_id).update(manager=manager)
    involve(world.hv, child=world.child)  # a health visitor contributes on Ruby too
    return manager


def test_a_contributors_manager_in_another_agency_cannot_decide_a_childs_level(world: World, client) -> None:
    assessment = _submitted(world)
    manager = _health_manager(world)
    sign_in(client, manager)
    url = reverse("assessments:decision", args=[assessment.public_id, world.child.public_id])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None  # they may read it, not decide it
    response = client.post(url, {"choice": "1|Universal services only", "reason": "Mother is coping well now"})
    assert response.status_code == 403
    assert not LevelDecision.objects.exists()
    assert list(Episode.objects.filter(child=world.child, ended_on__isnull=True).values_list("level", flat=True)) == [
        "cp"
    ]


def test_a_step_waits_for_the_case_holders_manager_not_the_deciders_own(world: World) -> None:
    assessment = _submitted(world)
    manager = _health_manager(world)
    decision = level_decision_record(
        assessment=assessment,
        child=world.child,
        user=world.sw,
        decided_level=3,
        pathway="Child in need plan",
        reason="Grandmother has moved in and visits show clear change.",
    )
    assert decision.status == DecisionStatus.AWAITING_AGREEMENT
    with pytest.raises(NotAuthorised):
        level_decision_agree(decision=decision, manager=manager, agree=True, comment="")
    decision = level_decision_agree(decision=decision, manager=world.tm, agree=True, comment="")
    assert decision.status == DecisionStatus.AGREED and decision.manager == world.tm


def test_emergency_access_cannot_take_the_first_decision_from_the_lead(world: World, client) -> None:
    assessment = _submitted(world)
    _emergency(world.outsider, world.child)
    sign_in(client, world.outsider)
    url = reverse("assessments:decision", args=[assessment.public_id, world.child.public_id])
    response = client.post(url, {"choice": "3|Child in need plan", "reason": "Seems better than it was"})
    assert response.status_code == 403
    assert not LevelDecision.objects.exists()
    decision = level_decision_record(
        assessment=assessment,
        child=world.child,
        user=world.sw,
        decided_level=4,
        pathway="Child protection plan",
        reason="",
    )
    assert decision.decided_by == world.sw


def test_plan_and_meeting_pages_show_only_the_children_the_viewer_may_see(world: World, client) -> None:
    plan = published_cin_plan(world)
    alfie_outcome = plan.outcomes.get(need_child=world.sibling)
    VoiceRecord.objects.create(
        plan=plan,
        child=world.sibling,
        recorded_by=world.sw,
        recorded_on=date(2026, 4, 1),
        words="Alfie says he is hungry at night",
        method_key="conversation",
    )
    sign_in(client, world.dsl)
    before = AccessEvent.objects.count()
    page = client.get(reverse("plans:detail", args=[world.child.public_id, plan.public_id])).content.decode()
    assert alfie_outcome.text not in page
    assert "hungry at night" not in page
    assert "Alfie" not in page
    assert "1 other child whose record you cannot see" in page
    assert set(AccessEvent.objects.order_by("id")[before:].values_list("child_id", flat=True)) == {world.child.pk}


def test_a_reader_cannot_add_a_voice_record_for_a_sibling_they_cannot_see(world: World, client) -> None:
    plan = published_cin_plan(world)
    sign_in(client, world.dsl)
    url = reverse("plans:voice_create", args=[world.child.public_id, plan.public_id])
    form = client.get(url).context["form"]
    assert [c for c in form.children.values()] == [world.child]
    response = client.post(
        url,
        {
            "child": str(world.sibling.public_id),
            "recorded_on": "2026-04-02",
            "words": "Made up words",
            "method_key": "conversation",
            "impact_on_plan": "None",
        },
    )
    assert response.status_code == 200  # the choice is not offered: the form says so
    assert not VoiceRecord.objects.filter(child=world.sibling).exists()


def test_a_reader_cannot_create_a_plan_for_a_sibling_alone(world: World, client) -> None:
    published_cin_plan(world)
    sign_in(client, world.dsl)
    assert client.get(reverse("plans:create", args=[world.sibling.public_id])).status_code == 404
    assert client.get(reverse("plans:create", args=[world.child.public_id])).status_code == 403


def test_the_contributions_list_does_not_name_an_invisible_childs_grades(world: World, client) -> None:
    assessment = graded_assessment(world, [world.child, world.sibling], {}, date(2026, 3, 2))
    involve(world.hv, child=world.sibling)
    assessment_grade_set(
        assessment=assessment,
        user=world.hv,
        item_key="nutritional.enough_food",
        child=world.sibling,
        grade=4,
        evidence="Weight dropping",
        strengths="",
        expected_revision=assessment.revision,
    )
    assert Contribution.objects.filter(child=world.sibling).exists()
    sign_in(client, world.dsl)
    page = client.get(reverse("assessments:detail", args=[assessment.public_id]))
    assert all(c.child_id in (None, world.child.pk) for c in page.context["contributions"])
    assert "grade 4" not in page.content.decode()
