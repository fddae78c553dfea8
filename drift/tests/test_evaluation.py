"""Each drift rule on crafted histories, with the edges: exactly 6 and 12 months, ended episodes,
clearances and their expiry."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.append_only import AppendOnlyError
from cases.models import Episode
from conftest import World, make_child
from drift.dates import add_months
from drift.evaluation import flags_for_children
from drift.models import FlagClearance, Supervision
from drift.tests.factories import make_action, make_assessment, make_meeting, make_plan, make_review
from people.models import Child
from plans.models import ChildParticipation, PlanStatus, VoiceRecord


def flags(child: Child, on: date, rule: str):
    return flags_for_children(Child.objects.filter(pk=child.pk), on=on, rules=[rule])


@pytest.fixture
def fresh(world: World) -> Child:
    """A child with no history yet, in the world's first household."""
    return make_child(world.household, "Mia")


def test_add_months_keeps_the_day_or_the_month_end() -> None:
    assert add_months(date(2025, 5, 2), 6) == date(2025, 11, 2)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 12) == date(2026, 12, 15)


def test_cin_open_exactly_six_months_is_not_yet_drift(fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cin", started_on=date(2025, 5, 2))
    assert flags(fresh, date(2025, 11, 2), "cin_long") == []
    [flag] = flags(fresh, date(2025, 11, 3), "cin_long")
    assert flag.since == date(2025, 11, 3)
    assert flag.age_days(date(2025, 12, 3)) == 30
    assert "Child in need episode from 2 May 2025, still open" in flag.evidence[0].label
    assert flag.evidence[0].url == f"/children/{fresh.public_id}/"


def test_an_ended_cin_episode_is_not_drift(fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cin", started_on=date(2025, 1, 2), ended_on=date(2025, 10, 1))
    assert flags(fresh, date(2025, 12, 1), "cin_long") == []


def test_cp_for_neglect_open_exactly_twelve_months_is_not_yet_drift(fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cp", abuse_category="NEG", started_on=date(2025, 3, 10))
    assert flags(fresh, date(2026, 3, 10), "cp_neglect_long") == []
    [flag] = flags(fresh, date(2026, 3, 11), "cp_neglect_long")
    assert flag.since == date(2026, 3, 11)
    assert "(neglect)" in flag.evidence[0].label


def test_cp_for_another_category_is_not_the_neglect_rule(fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cp", abuse_category="PHY", started_on=date(2024, 3, 10))
    assert flags(fresh, date(2026, 3, 11), "cp_neglect_long") == []


def test_second_plan_for_neglect(fresh: Child) -> None:
    Episode.objects.create(
        child=fresh, level="cp", abuse_category="NEG", started_on=date(2023, 1, 1), ended_on=date(2023, 9, 1)
    )
    assert flags(fresh, date(2023, 6, 1), "repeat_neglect_plan") == []  # the first plan alone
    Episode.objects.create(child=fresh, level="cp", abuse_category="NEG", started_on=date(2025, 2, 1))
    [flag] = flags(fresh, date(2025, 2, 1), "repeat_neglect_plan")
    assert flag.since == date(2025, 2, 1)
    assert len(flag.evidence) == 2
    assert "ended 1 September 2023" in flag.evidence[0].label


def test_a_physical_abuse_plan_before_does_not_make_a_repeat_neglect_plan(fresh: Child) -> None:
    Episode.objects.create(
        child=fresh, level="cp", abuse_category="PHY", started_on=date(2023, 1, 1), ended_on=date(2023, 9, 1)
    )
    Episode.objects.create(child=fresh, level="cp", abuse_category="NEG", started_on=date(2025, 2, 1))
    assert flags(fresh, date(2025, 3, 1), "repeat_neglect_plan") == []


def test_cin_plan_open_more_than_six_months(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, plan_type="cin", started_on=date(2025, 4, 30))
    assert flags(fresh, date(2025, 10, 30), "cin_long") == []
    [flag] = flags(fresh, date(2025, 10, 31), "cin_long")
    assert "Child in need plan from 30 April 2025" in flag.evidence[0].label
    assert flag.evidence[0].url == reverse("plans:detail", args=[fresh.public_id, plan.public_id])
    plan.status = PlanStatus.ENDED
    plan.save()
    assert flags(fresh, date(2025, 10, 31), "cin_long") == []


def test_a_draft_plan_is_not_drift(world: World, fresh: Child) -> None:
    make_plan(fresh, world.sw, plan_type="cin", started_on=date(2024, 1, 1), status=PlanStatus.DRAFT)
    assert flags(fresh, date(2025, 10, 31), "cin_long") == []


def test_review_overdue_counts_from_the_last_review_or_core_group(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 1), review_interval_days=90)
    # No review yet: due 90 days after the start (1 April), overdue from 2 April.
    assert flags(fresh, date(2025, 4, 1), "review_overdue") == []
    [flag] = flags(fresh, date(2025, 4, 2), "review_overdue")
    assert flag.since == date(2025, 4, 2)
    assert "No review since the plan started" in flag.evidence[0].label
    make_meeting(plan, world.tm, held_on=date(2025, 3, 20))
    assert flags(fresh, date(2025, 4, 2), "review_overdue") == []
    [flag] = flags(fresh, date(2025, 6, 19), "review_overdue")
    assert flag.since == date(2025, 6, 19)
    make_review(plan, world.sw, held_on=date(2025, 6, 1))
    assert flags(fresh, date(2025, 6, 19), "review_overdue") == []


def test_a_strategy_discussion_is_not_a_review(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 1), review_interval_days=90)
    make_meeting(plan, world.tm, held_on=date(2025, 3, 20), meeting_type="strategy")
    assert len(flags(fresh, date(2025, 4, 2), "review_overdue")) == 1


def test_actions_overdue_lists_each_action_not_done(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 1))
    make_action(plan, world.sw, due_on=date(2025, 2, 1))
    make_action(plan, world.sw, due_on=date(2025, 2, 10))
    make_action(plan, world.sw, due_on=date(2025, 1, 20), completed_on=date(2025, 1, 19))
    make_action(plan, world.sw, due_on=None)
    assert flags(fresh, date(2025, 2, 1), "actions_overdue") == []  # due today is not overdue
    [flag] = flags(fresh, date(2025, 2, 11), "actions_overdue")
    assert flag.since == date(2025, 2, 2)
    assert len(flag.evidence) == 2
    assert "was due by 1 February 2025 and is not done" in flag.evidence[0].label


def test_no_improvement_across_two_reviews(world: World, fresh: Child) -> None:
    baseline = make_assessment(fresh, world.sw, {"care": 4, "safety": 3}, started_on=date(2025, 1, 1))
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 10), assessment=baseline)
    first = make_assessment(fresh, world.sw, {"care": 4, "safety": 3}, started_on=date(2025, 4, 1))
    make_review(plan, world.sw, held_on=date(2025, 4, 10), repeat_assessment=first)
    assert flags(fresh, date(2025, 5, 1), "no_improvement") == []  # one review is not two
    second = make_assessment(fresh, world.sw, {"care": 5, "safety": 3}, started_on=date(2025, 7, 1))
    make_review(plan, world.sw, held_on=date(2025, 7, 10), repeat_assessment=second)
    [flag] = flags(fresh, date(2025, 7, 11), "no_improvement")
    assert flag.since == date(2025, 7, 10)
    assert [e.label.split(":")[0] for e in flag.evidence] == [
        "Baseline assessment",
        "Review on 10 April 2025",
        "Review on 10 July 2025",
    ]


def test_one_domain_better_than_baseline_is_improvement(world: World, fresh: Child) -> None:
    baseline = make_assessment(fresh, world.sw, {"care": 4, "safety": 3}, started_on=date(2025, 1, 1))
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 10), assessment=baseline)
    for month, grades in ((4, {"care": 4, "safety": 3}), (7, {"care": 4, "safety": 2})):
        repeat = make_assessment(fresh, world.sw, grades, started_on=date(2025, month, 1))
        make_review(plan, world.sw, held_on=date(2025, month, 10), repeat_assessment=repeat)
    assert flags(fresh, date(2025, 8, 1), "no_improvement") == []


def test_child_not_seen_within_the_visiting_frequency(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 1), visiting_frequency_days=10)
    assert flags(fresh, date(2025, 1, 11), "child_not_seen") == []
    [flag] = flags(fresh, date(2025, 1, 12), "child_not_seen")
    assert "No record of the child being seen" in flag.evidence[0].label
    meeting = make_meeting(plan, world.tm, held_on=date(2025, 1, 9))
    ChildParticipation.objects.create(meeting=meeting, child=fresh, participation="attended")
    assert flags(fresh, date(2025, 1, 19), "child_not_seen") == []
    [flag] = flags(fresh, date(2025, 1, 20), "child_not_seen")
    assert flag.evidence[0].label.startswith("Attended the core group meeting on 9 January 2025")
    VoiceRecord.objects.create(
        plan=plan,
        child=fresh,
        recorded_on=date(2025, 1, 18),
        words="I like my new bed",
        method_key="conversation",
        impact_on_plan="Keep the bedroom outcome",
        recorded_by=world.sw,
    )
    assert flags(fresh, date(2025, 1, 28), "child_not_seen") == []


def test_views_through_an_advocate_are_not_seeing_the_child(world: World, fresh: Child) -> None:
    plan = make_plan(fresh, world.sw, started_on=date(2025, 1, 1), visiting_frequency_days=10)
    meeting = make_meeting(plan, world.tm, held_on=date(2025, 1, 9))
    ChildParticipation.objects.create(meeting=meeting, child=fresh, participation="advocate")
    assert len(flags(fresh, date(2025, 1, 12), "child_not_seen")) == 1


def _clear(world: World, child: Child, rule: str, until: date) -> FlagClearance:
    supervision = Supervision.objects.create(
        child=child, held_on=date(2025, 11, 1), supervisor=world.tm, supervisee=world.sw, reflections="r", decisions="d"
    )
    return FlagClearance.objects.create(
        child=child,
        rule_code=rule,
        rule_version=1,
        cleared_until=until,
        reason="Step-down agreed at the review next week",
        supervision=supervision,
        cleared_by=world.tm,
    )


def test_a_clearance_lasts_up_to_and_including_its_date(world: World, fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cin", started_on=date(2025, 1, 2))
    clearance = _clear(world, fresh, "cin_long", date(2025, 11, 30))
    [flag] = flags(fresh, date(2025, 11, 30), "cin_long")
    assert flag.is_cleared and flag.clearance == clearance
    [flag] = flags(fresh, date(2025, 12, 1), "cin_long")
    assert not flag.is_cleared  # the clearance has expired: the flag is back


def test_the_longest_current_clearance_wins(world: World, fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cin", started_on=date(2025, 1, 2))
    _clear(world, fresh, "cin_long", date(2025, 12, 31))
    _clear(world, fresh, "cin_long", date(2025, 11, 30))
    [flag] = flags(fresh, date(2025, 12, 15), "cin_long")
    assert flag.clearance.cleared_until == date(2025, 12, 31)


def test_clearances_and_supervisions_are_append_only(world: World, fresh: Child) -> None:
    clearance = _clear(world, fresh, "cin_long", date(2025, 12, 31))
    clearance.cleared_until = date(2026, 12, 31)
    with pytest.raises(AppendOnlyError):
        clearance.save()
    with pytest.raises(AppendOnlyError):
        FlagClearance.objects.all().update(reason="")
    with pytest.raises(AppendOnlyError):
        Supervision.objects.all().delete()


def test_a_caseload_is_evaluated_in_a_fixed_number_of_queries(world: World) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            child = make_child(world.household, f"Child{i}")
            Episode.objects.create(child=child, level="cin", started_on=date(2024, 1, 1))
            plan = make_plan(child, world.sw, started_on=date(2024, 1, 1))
            make_action(plan, world.sw, due_on=date(2024, 2, 1))
            make_meeting(plan, world.tm, held_on=date(2024, 3, 1))
            make_review(plan, world.sw, held_on=date(2024, 3, 1))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            flags_for_children(Child.objects.all(), on=date(2025, 1, 1))
        return len(captured.captured_queries)

    grow(2)
    small = count()
    grow(10)
    assert count() == small
    assert len(flags_for_children(Child.objects.all(), on=date(2025, 1, 1))) > 12


def test_an_episode_and_its_plan_make_one_flag_with_both_as_evidence(world: World, fresh: Child) -> None:
    Episode.objects.create(child=fresh, level="cin", started_on=date(2025, 4, 20))
    make_plan(fresh, world.sw, plan_type="cin", started_on=date(2025, 4, 30))
    [flag] = flags(fresh, date(2025, 11, 15), "cin_long")
    assert flag.since == date(2025, 10, 21)
    assert [e.label.split(" from ")[0] for e in flag.evidence] == ["Child in need episode", "Child in need plan"]


def test_a_cp_plan_for_neglect_open_more_than_twelve_months(world: World, fresh: Child) -> None:
    make_plan(fresh, world.sw, plan_type="cp", abuse_category="NEG", started_on=date(2024, 2, 29))
    assert flags(fresh, date(2025, 2, 28), "cp_neglect_long") == []  # 29 Feb + 12 months is 28 Feb
    [flag] = flags(fresh, date(2025, 3, 1), "cp_neglect_long")
    assert "Child protection plan from 29 February 2024" in flag.evidence[0].label
    other = make_child(world.household, "Ivy")
    make_plan(other, world.sw, plan_type="cp", abuse_category="EMO", started_on=date(2024, 2, 29))
    assert flags(other, date(2025, 3, 1), "cp_neglect_long") == []


def test_a_visit_in_the_chronology_counts_as_seen_unless_restricted(world: World, fresh: Child) -> None:
    from chronology.models import ChronologyEntry

    make_plan(fresh, world.sw, started_on=date(2025, 1, 1), visiting_frequency_days=10)

    def visit(day: date, restricted: bool) -> None:
        ChronologyEntry.objects.create(
            child=fresh,
            occurred_on=day,
            event_type="home_visit",
            agency=world.sw.agency,
            author=world.sw,
            description="Home visit; the child was seen in her bedroom.",
            significance="routine",
            restricted=restricted,
        )

    visit(date(2025, 1, 9), restricted=True)
    assert len(flags(fresh, date(2025, 1, 12), "child_not_seen")) == 1  # a restricted entry does not show through
    visit(date(2025, 1, 9), restricted=False)
    assert flags(fresh, date(2025, 1, 19), "child_not_seen") == []
    [flag] = flags(fresh, date(2025, 1, 20), "child_not_seen")
    assert "recorded in the chronology for 9 January 2025" in flag.evidence[0].label
