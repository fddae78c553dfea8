from datetime import date

import pytest

from access.authority import NotAuthorised
from cases.models import Episode, InvolvementRole
from conftest import involve
from plans.models import Action, FlagJustification, Outcome, OutcomeProgress, Plan, PlanStatus, Review
from plans.services import (
    PlanChanges,
    PlanConflict,
    PlanError,
    plan_flags,
    plan_publish,
    plan_update,
    review_record,
    unresolved_flags,
)

from .factories import cin_plan, make_publishable, published_cin_plan, signed_off_assessment

pytestmark = pytest.mark.django_db


def test_each_unmet_need_becomes_a_draft_outcome_linked_to_it(world) -> None:
    plan = cin_plan(world)
    outcomes = list(plan.outcomes.order_by("position"))
    links = [(o.need_child_id, o.need_domain_key, o.baseline_grade) for o in outcomes]
    assert links == [
        (world.child.pk, "medical", 4),
        (world.sibling.pk, "nutritional", 3),
        (None, "home_conditions", 3),
    ]
    assert outcomes[0].text.startswith("Health care: Ruby's needs are met every day.")
    assert "teeth" in outcomes[0].text
    assert plan.status == PlanStatus.DRAFT and plan.revision == 1


def test_a_plan_starts_only_from_a_signed_off_assessment(world) -> None:
    from assessments.services import assessment_start
    from plans.services import plan_create_from_assessment

    from .factories import tool_version

    draft = assessment_start(
        lead=world.sw,
        household=world.household,
        children=[world.child],
        tool_version=tool_version(),
        on=date(2026, 3, 1),
    )
    with pytest.raises(PlanError, match="signed-off"):
        plan_create_from_assessment(
            assessment=draft,
            children=[world.child],
            plan_type="cin",
            lead=world.sw,
            created_by=world.sw,
            on=date(2026, 3, 2),
        )


_publishable = make_publishable


def test_publish_needs_each_flag_resolved_or_justified(world) -> None:
    plan = cin_plan(world)
    keys = {f.check_key for f in plan_flags(plan)}
    assert keys == {"outcome_no_measure", "outcome_no_consequence"}
    with pytest.raises(PlanError, match="Resolve or justify"):
        plan_publish(plan=plan, user=world.sw, expected_revision=plan.revision)
    _publishable(plan)
    plan_publish(plan=plan, user=world.sw, expected_revision=plan.revision, on=date(2026, 3, 3))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_by == world.sw
    assert plan.next_review_on == date(2026, 6, 1)


def test_a_justification_lets_a_flagged_plan_publish(world) -> None:
    plan = cin_plan(world)
    _publishable(plan)
    Action.objects.filter(outcome__plan=plan).update(due_on=None)
    flags = plan_flags(plan)
    assert {f.check_key for f in flags} == {"action_no_date"}
    changes = PlanChanges(justifications={(f.check_key, f.subject): "Depends on the dentist's list" for f in flags})
    plan = plan_update(plan=plan, user=world.sw, expected_revision=plan.revision, changes=changes)
    assert FlagJustification.objects.filter(plan=plan).count() == 3
    assert unresolved_flags(plan, plan_flags(plan)) == []
    plan_publish(plan=plan, user=world.tm, expected_revision=plan.revision)  # the lead's manager may publish


def test_only_the_lead_or_their_manager_publishes(world) -> None:
    plan = cin_plan(world)
    _publishable(plan)
    with pytest.raises(NotAuthorised, match="you cannot see"):
        plan_publish(plan=plan, user=world.hv, expected_revision=plan.revision)
    involve(world.other_sw, child=world.child, role=InvolvementRole.SOCIAL_WORKER)
    involve(world.other_sw, child=world.sibling, role=InvolvementRole.SOCIAL_WORKER)
    with pytest.raises(PlanError, match="lead practitioner or their team manager"):
        plan_publish(plan=plan, user=world.other_sw, expected_revision=plan.revision)


def test_a_stale_revision_is_a_conflict_and_changes_nothing(world) -> None:
    plan = cin_plan(world)
    outcome = plan.outcomes.first()
    plan_update(
        plan=plan,
        user=world.sw,
        expected_revision=1,
        changes=PlanChanges(outcome_fields={outcome.pk: {"measure": "A"}}),
    )
    with pytest.raises(PlanConflict):
        plan_update(
            plan=plan,
            user=world.tm,
            expected_revision=1,
            changes=PlanChanges(outcome_fields={outcome.pk: {"measure": "B"}}),
        )
    outcome.refresh_from_db()
    assert outcome.measure == "A"
    assert Plan.objects.get(pk=plan.pk).revision == 2


_published = published_cin_plan


def _progress(plan: Plan, status: str = "progressing") -> dict:
    return {o.pk: (status, "Seen at the visit") for o in plan.outcomes.all()}


def test_continue_moves_the_next_review_on(world) -> None:
    plan = _published(world)
    review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="continue",
        decision_reason="Going well",
        progress=_progress(plan),
    )
    plan.refresh_from_db()
    assert plan.next_review_on == date(2026, 8, 2)  # 90 days on
    assert plan.status == PlanStatus.PUBLISHED


def test_review_compares_baseline_with_the_repeat_assessment(world) -> None:
    plan = _published(world)
    repeat = signed_off_assessment(
        world, [world.child, world.sibling], {(world.child, "medical.dental_care"): 3}, date(2026, 5, 1)
    )
    review = review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="continue",
        decision_reason="Better at home",
        progress=_progress(plan),
        repeat_assessment=repeat,
    )
    latest = {
        p.outcome.need_domain_key: (p.outcome.baseline_grade, p.latest_grade)
        for p in OutcomeProgress.objects.filter(review=review).select_related("outcome")
    }
    assert latest == {"medical": (4, 3), "nutritional": (3, 2), "home_conditions": (3, 2)}


def test_step_up_changes_each_childs_episode_and_starts_a_draft_plan(world) -> None:
    plan = _published(world)
    review = review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="step_up",
        decision_reason="No change",
        progress=_progress(plan, "not_progressing"),
        abuse_category="NEG",
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDED
    assert review.level_before == "cin" and review.level_after == "cp"
    successor = review.successor
    assert successor.plan_type == "cp" and successor.status == PlanStatus.DRAFT and successor.predecessor == plan
    assert successor.outcomes.count() == 3 and Action.objects.filter(outcome__plan=successor).count() == 3
    for child in (world.child, world.sibling):
        open_episode = Episode.objects.get(child=child, ended_on__isnull=True)
        assert open_episode.level == "cp" and open_episode.abuse_category == "NEG"


def test_step_up_to_child_protection_needs_a_category(world) -> None:
    plan = _published(world)
    with pytest.raises(PlanError, match="category of abuse"):
        review_record(
            plan=plan,
            recorded_by=world.sw,
            held_on=date(2026, 5, 4),
            decision="step_up",
            decision_reason="Seen at the review meeting",
            progress=_progress(plan),
        )
    assert not Review.objects.exists()


def test_step_down_from_cin_moves_to_early_help(world) -> None:
    plan = _published(world)
    Episode.objects.filter(child=world.child).update(level="cin", abuse_category="")
    review = review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="step_down",
        decision_reason="Much better",
        progress=_progress(plan, "achieved"),
    )
    assert review.level_after == "early_help"
    assert Episode.objects.get(child=world.child, ended_on__isnull=True).level == "early_help"
    assert Episode.objects.get(child=world.child, level="cin").ended_on == date(2026, 5, 3)


def test_close_ends_episodes_and_the_plan(world) -> None:
    plan = _published(world)
    review = review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="close",
        decision_reason="Outcomes achieved",
        progress=_progress(plan, "achieved"),
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDED and plan.next_review_on is None
    assert review.level_after == "universal"
    assert not Episode.objects.filter(child=world.child, ended_on__isnull=True).exists()
    assert Episode.objects.get(child=world.child).ended_on == date(2026, 5, 4)


def test_early_help_cannot_step_down_and_every_outcome_needs_progress(world) -> None:
    plan = _published(world)
    Plan.objects.filter(pk=plan.pk).update(plan_type="early_help")
    plan.refresh_from_db()
    with pytest.raises(PlanError, match="choose close"):
        review_record(
            plan=plan,
            recorded_by=world.sw,
            held_on=date(2026, 5, 4),
            decision="step_down",
            decision_reason="Seen at the review meeting",
            progress=_progress(plan),
        )
    partial = dict(list(_progress(plan).items())[:1])
    with pytest.raises(PlanError, match="every outcome"):
        review_record(
            plan=plan,
            recorded_by=world.sw,
            held_on=date(2026, 5, 4),
            decision="continue",
            decision_reason="Seen at the review meeting",
            progress=partial,
        )


def test_a_draft_plan_cannot_be_reviewed(world) -> None:
    plan = cin_plan(world)
    with pytest.raises(PlanError, match="published"):
        review_record(
            plan=plan,
            recorded_by=world.sw,
            held_on=date(2026, 5, 4),
            decision="continue",
            decision_reason="Seen at the review meeting",
            progress=_progress(plan),
        )


def test_removing_an_outcome_with_progress_is_refused(world) -> None:
    plan = _published(world)
    review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="continue",
        decision_reason="Seen at the review meeting",
        progress=_progress(plan),
    )
    outcome = Outcome.objects.filter(plan=plan).first()
    with pytest.raises(PlanError, match="cannot be removed"):
        plan_update(
            plan=plan,
            user=world.sw,
            expected_revision=Plan.objects.get(pk=plan.pk).revision,
            changes=PlanChanges(removed_outcomes={outcome.pk}),
        )
