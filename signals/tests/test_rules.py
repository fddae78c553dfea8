"""Every rule on crafted histories, with the edges: exactly 12 months, corrected entries, restricted
entries, steps up and down that are not closures."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.definitions import DefinitionError
from cases.models import Episode
from chronology.services import chronology_entry_correct
from chronology.tests.factories import record
from conftest import World, involve
from frontdoor.models import Decision, Outcome
from frontdoor.selectors import months_before
from frontdoor.tests.support import front_door, submit
from signals.evaluate import evaluate, histories_for, working_days_after
from signals.rules import default_rules, rules_from_dict

TODAY = timezone.localdate()


def findings(child, today=TODAY):
    rules = default_rules()
    history = histories_for([child], rules=rules, today=today)[child.pk]
    return {f.rule.code: f for f in evaluate(history, rules=rules, today=today)}


def entry(author, child, event_type, on, **extra):
    return record(author, child=child, event_type=event_type, occurred_on=on, **extra)


def ids(finding):
    return {(e.kind, e.id) for e in finding.evidence}


def test_the_rules_file_loads_and_every_rule_has_a_readable_description():
    rules = default_rules()
    assert rules.version == 1
    assert {r.code for r in rules.rules} == {
        "missed_health_appointments",
        "repeated_urgent_care",
        "persistent_school_absence",
        "repeat_requests",
        "start_again",
        "several_agencies",
        "child_not_seen",
    }
    assert all(len(r.description) > 40 for r in rules.rules)


def test_the_loader_lists_every_error():
    with pytest.raises(DefinitionError) as caught:
        rules_from_dict(
            {
                "key": "",
                "version": 0,
                "rules": [
                    {"code": "Bad Code", "kind": "entry_count", "event_types": ["no_such_type"], "at_least": 0},
                    {"code": "x1", "name": "X", "description": "d", "kind": "guess"},
                    {
                        "code": "x2",
                        "name": "X",
                        "description": "d",
                        "kind": "not_seen",
                        "event_types": ["child_seen"],
                        "max_working_days": {"plan": 5, "cp": 0},
                        "window_days": 3,
                    },
                    {
                        "code": "x2",
                        "name": "X",
                        "description": "d",
                        "kind": "reopened_after_closure",
                        "window_months": 1,
                    },
                ],
            }
        )
    errors = caught.value.errors
    for expected in [
        "key: needed",
        "version: a whole number of at least 1",
        "rules[0].code: lower case letters, digits and underscores",
        "rules[0].name: needed",
        "rules[0].event_types: unknown chronology event type no_such_type",
        "rules[0].at_least: a whole number of at least 1",
        "rules[0].window_months: needed for a rule of kind entry_count",
        "rules.x1.kind: one of entry_count, repeat_requests, reopened_after_closure, "
        "agencies_raising_concerns, not_seen",
        "rules.x2.window_days: not used by a rule of kind not_seen",
        "rules.x2.max_working_days.plan: not a level (universal, early_help, cin, cp, lac)",
        "rules.x2.max_working_days.cp: a whole number of at least 1",
        "rules.x2: the code is used twice",
    ]:
        assert expected in errors, (expected, errors)


def test_missed_appointments_count_one_at_exactly_twelve_months(world: World):
    edge = months_before(TODAY, 12)
    found = [
        entry(world.dsl, world.child, "missed_health_appointment", d) for d in (edge, TODAY - timedelta(days=40), TODAY)
    ]
    result = findings(world.child)["missed_health_appointments"]
    assert ids(result) == {("entry", e.pk) for e in found}
    assert "3 in the 12 months" in result.summary


def test_missed_appointments_a_day_over_twelve_months_do_not_count(world: World):
    edge = months_before(TODAY, 12) - timedelta(days=1)
    for d in (edge, TODAY - timedelta(days=40), TODAY):
        entry(world.dsl, world.child, "missed_health_appointment", d)
    assert "missed_health_appointments" not in findings(world.child)


def test_a_corrected_entry_counts_once_as_its_latest_version(world: World):
    first, second, third = (
        entry(world.dsl, world.child, "missed_health_appointment", TODAY - timedelta(days=d)) for d in (5, 50, 90)
    )
    correction = chronology_entry_correct(
        author=world.dsl,
        original=second,
        reason="Wrong date: it was the week before.",
        occurred_on=TODAY - timedelta(days=57),
        date_precision="exact",
        event_type="missed_health_appointment",
        description="Not brought to the audiology clinic.",
        impact_on_child="Hearing not checked.",
        action_taken="Rebooked.",
        significance="routine",
    )
    result = findings(world.child)["missed_health_appointments"]
    assert ids(result) == {("entry", first.pk), ("entry", correction.pk), ("entry", third.pk)}
    # A correction that changes the event type takes the entry out of the count altogether.
    chronology_entry_correct(
        author=world.dsl,
        original=third,
        reason="This was a dental check, which was attended.",
        occurred_on=TODAY - timedelta(days=90),
        date_precision="exact",
        event_type="other",
        description="Dental check attended.",
        impact_on_child="None.",
        action_taken="",
        no_action_taken=True,
        significance="routine",
    )
    assert "missed_health_appointments" not in findings(world.child)


def test_restricted_entries_never_shape_a_signal(world: World):
    for days in (5, 50):
        entry(world.dsl, world.child, "urgent_care_attendance", TODAY - timedelta(days=days))
    secret = entry(world.dsl, world.child, "urgent_care_attendance", TODAY - timedelta(days=9), restricted=True)
    assert "repeated_urgent_care" not in findings(world.child)
    visible = entry(world.dsl, world.child, "urgent_care_attendance", TODAY - timedelta(days=20))
    result = findings(world.child)["repeated_urgent_care"]
    assert ("entry", visible.pk) in ids(result) and ("entry", secret.pk) not in ids(result)


def test_persistent_school_absence_is_three_periods_in_about_a_term(world: World):
    for days in (10, 60, 100):
        entry(world.dsl, world.child, "school_absence_period", TODAY - timedelta(days=days))
    assert "persistent_school_absence" in findings(world.child)
    assert "persistent_school_absence" not in findings(world.child, today=TODAY + timedelta(days=40))


def test_repeat_requests_within_twelve_months_including_the_edge(world: World):
    now = timezone.now()
    edge = timezone.make_aware(
        timezone.datetime.combine(months_before(TODAY, 12), timezone.datetime.min.time()).replace(hour=12)
    )
    earlier = submit(world, child=world.sibling, requester=world.hv, now=edge)
    assert "repeat_requests" not in findings(world.sibling)
    later = submit(world, child=world.sibling, requester=world.hv, now=now)
    result = findings(world.sibling)["repeat_requests"]
    assert ids(result) == {("request", earlier.pk), ("request", later.pk)}
    assert "repeat_requests" not in findings(world.sibling, today=TODAY + timedelta(days=1))


def test_a_referral_accepted_by_the_front_door_is_not_counted_twice(world: World):
    fd = front_door(world)
    request = submit(world, child=world.sibling, requester=world.hv)
    Decision.objects.create(
        request=request,
        outcome=Outcome.ASSESSMENT,
        rationale="x" * 30,
        decided_by=fd.practitioner,
        decided_at=timezone.now(),
    )
    Episode.objects.create(child=world.sibling, level="cin", started_on=TODAY, referral_date=TODAY)
    assert "repeat_requests" not in findings(world.sibling)
    # A referral from another route (recorded only as an episode) does count.
    Episode.objects.create(
        child=world.sibling,
        level="cin",
        started_on=TODAY - timedelta(days=200),
        ended_on=TODAY - timedelta(days=100),
        referral_date=TODAY - timedelta(days=200),
    )
    assert len(findings(world.sibling)["repeat_requests"].evidence) == 2


def _episode(child, level, start, end=None, category=""):
    return Episode.objects.create(child=child, level=level, started_on=start, ended_on=end, abuse_category=category)


def test_start_again_when_a_closed_case_reopens_at_the_same_level(world: World):
    child = world.sibling
    closed = _episode(child, "cin", TODAY - timedelta(days=300), TODAY - timedelta(days=200))
    reopened = _episode(child, "cin", TODAY - timedelta(days=20))
    result = findings(child)["start_again"]
    assert ids(result) == {("episode", closed.pk), ("episode", reopened.pk)}


def test_a_step_down_is_not_a_closure_and_a_lower_level_is_not_start_again(world: World):
    child = world.sibling
    _episode(child, "cp", TODAY - timedelta(days=300), TODAY - timedelta(days=101), "NEG")
    _episode(child, "cin", TODAY - timedelta(days=100), TODAY - timedelta(days=50))
    _episode(child, "early_help", TODAY - timedelta(days=10))
    assert "start_again" not in findings(child)


def test_start_again_needs_the_reopening_within_twelve_months_of_closure(world: World):
    child = world.sibling
    closed_on = TODAY - timedelta(days=400)
    _episode(child, "cp", closed_on - timedelta(days=200), closed_on, "NEG")
    # Exactly 12 months after closure: start again.
    reopen = _episode(child, "cp", closed_on.replace(year=closed_on.year + 1), None, "NEG")
    assert "start_again" in findings(child)
    reopen_later = reopen.started_on + timedelta(days=1)
    Episode.objects.filter(pk=reopen.pk).update(started_on=reopen_later)
    assert "start_again" not in findings(child)


def test_several_agencies_within_ninety_days(world: World):
    involve(world.eh, child=world.child)
    entry(world.dsl, world.child, "presentation_concern", TODAY - timedelta(days=90))
    entry(world.sw, world.child, "concern_raised", TODAY - timedelta(days=3))
    assert "several_agencies" not in findings(world.child)  # two agencies
    request = submit(world, requester=world.eh)
    result = findings(world.child)["several_agencies"]
    assert ("request", request.pk) in ids(result) and len(result.evidence) == 3
    assert "several_agencies" not in findings(world.child, today=TODAY + timedelta(days=1))


def test_child_on_a_plan_not_seen_for_longer_than_it_allows(world: World):
    # Ruby has been on a child protection plan since January with no visit recorded.
    result = findings(world.child)["child_not_seen"]
    assert "no record of the child being seen" in result.summary
    seen = entry(world.sw, world.child, "child_seen", TODAY)
    assert "child_not_seen" not in findings(world.child)
    # Exactly the 10 working days the plan allows is not over; the 11th is.
    ten_later = seen.occurred_on
    while working_days_after(seen.occurred_on, ten_later) < 10:
        ten_later += timedelta(days=1)
    assert "child_not_seen" not in findings(world.child, today=ten_later)
    eleventh = ten_later + timedelta(days=1)
    while working_days_after(seen.occurred_on, eleventh) < 11:
        eleventh += timedelta(days=1)
    result = findings(world.child, today=eleventh)["child_not_seen"]
    assert ("entry", seen.pk) in ids(result) and "the plan allows 10" in result.summary


def test_working_days_after():
    friday = date(2026, 11, 20)
    assert working_days_after(friday, friday) == 0
    assert working_days_after(friday, date(2026, 11, 23)) == 1
    assert working_days_after(friday, date(2026, 12, 4)) == 10


def test_a_corrected_front_door_decision_counts_as_its_latest_outcome(world: World):
    fd = front_door(world)
    request = submit(world, child=world.sibling, requester=world.hv)
    first = Decision.objects.create(
        request=request,
        outcome=Outcome.UNIVERSAL,
        rationale="x" * 30,
        decided_by=fd.practitioner,
        decided_at=timezone.now(),
    )
    Decision.objects.create(
        request=request,
        outcome=Outcome.ASSESSMENT,
        rationale="y" * 30,
        decided_by=fd.practitioner,
        decided_at=timezone.now(),
        supersedes=first,
    )
    Episode.objects.create(child=world.sibling, level="cin", started_on=TODAY, referral_date=TODAY)
    assert "repeat_requests" not in findings(world.sibling)
