from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import World
from drift.models import FlagClearance, Supervision
from drift.services import ClearanceInput, supervision_record


def _record(world: World, **overrides) -> Supervision:
    today = timezone.localdate()
    values = {
        "child": world.child,
        "supervisor": world.tm,
        "supervisee": world.sw,
        "held_on": today,
        "reflections": "Reflections",
        "decisions": "Decisions",
        "actions": [],
        "clearance": None,
        "today": today,
    }
    values.update(overrides)
    return supervision_record(**values)


def test_only_team_managers_record_supervision(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _record(world, supervisor=world.sw, supervisee=world.sw)


def test_the_supervisee_must_be_involved_in_a_team_the_manager_manages(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(world, supervisee=world.dsl)  # involved with the child, but not in tm's team
    assert caught.value.code == "supervisee"
    with pytest.raises(PermissionDenied):  # tm's team does not work with Leo at all
        _record(world, child=world.other_child, supervisee=world.other_sw)


def test_a_supervision_cannot_be_in_the_future(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(world, held_on=timezone.localdate() + timedelta(days=1))
    assert caught.value.code == "held_on"


@pytest.mark.parametrize(
    ("rule", "days", "reason", "code"),
    [
        ("no_such_rule", 10, "A reason long enough to keep", "rule_code"),
        ("cin_long", 0, "A reason long enough to keep", "cleared_until"),
        ("cin_long", 184, "A reason long enough to keep", "cleared_until"),
        ("cin_long", 10, "Too short", "reason"),
    ],
)
def test_a_clearance_needs_a_rule_a_bounded_period_and_a_reason(
    world: World, rule: str, days: int, reason: str, code: str
) -> None:
    clearance = ClearanceInput(rule, timezone.localdate() + timedelta(days=days), reason)
    with pytest.raises(ValidationError) as caught:
        _record(world, clearance=clearance)
    assert caught.value.code == code
    assert Supervision.objects.count() == 0


def test_the_longest_clearance_allowed_is_kept_with_the_rule_version(world: World) -> None:
    until = timezone.localdate() + timedelta(days=183)
    supervision = _record(world, clearance=ClearanceInput("cp_neglect_long", until, "A reason long enough to keep"))
    clearance = FlagClearance.objects.get()
    assert (clearance.supervision, clearance.cleared_until, clearance.rule_version) == (supervision, until, 1)
