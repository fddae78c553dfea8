from datetime import date, timedelta

import pytest

from cases.models import Episode
from cases.services import EpisodeError, episode_close, episode_level_change
from conftest import World


def _after_ruby_went_on_a_plan(world: World, days: int) -> date:
    """A day relative to the start of Ruby's open child protection episode in the shared world."""
    return Episode.objects.get(child=world.child, ended_on__isnull=True).started_on + timedelta(days=days)


def test_step_up_ends_the_open_episode_the_day_before(world: World) -> None:
    on = _after_ruby_went_on_a_plan(world, 150)
    new = episode_level_change(child=world.child, level="lac", on=on, recorded_by=world.sw, summary="Accommodated")
    old = Episode.objects.get(child=world.child, level="cp")
    assert old.ended_on == on - timedelta(days=1)
    assert new.started_on == on and new.ended_on is None and new.recorded_by == world.sw


def test_same_level_keeps_the_open_episode(world: World) -> None:
    started = _after_ruby_went_on_a_plan(world, 0)
    kept = episode_level_change(
        child=world.child, level="cp", on=started + timedelta(days=150), recorded_by=world.sw, abuse_category="NEG"
    )
    assert kept.started_on == started
    assert Episode.objects.filter(child=world.child).count() == 1


def test_child_protection_needs_a_category_and_nothing_changes(world: World) -> None:
    with pytest.raises(EpisodeError, match="category of abuse"):
        episode_level_change(child=world.sibling, level="cp", on=date(2026, 6, 1), recorded_by=world.sw)
    assert not Episode.objects.filter(child=world.sibling).exists()


def test_a_change_before_the_open_episode_started_is_refused(world: World) -> None:
    with pytest.raises(EpisodeError, match="starts after"):
        episode_level_change(
            child=world.child, level="cin", on=_after_ruby_went_on_a_plan(world, -35), recorded_by=world.sw
        )
    assert Episode.objects.get(child=world.child).ended_on is None


def test_close_ends_every_open_episode(world: World) -> None:
    on = _after_ruby_went_on_a_plan(world, 240)
    closed = episode_close(child=world.child, on=on, recorded_by=world.sw, summary="Needs met")
    assert [e.ended_on for e in closed] == [on]
    assert not Episode.objects.filter(child=world.child, ended_on__isnull=True).exists()
