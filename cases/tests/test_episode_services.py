from datetime import date

import pytest

from cases.models import Episode
from cases.services import EpisodeError, episode_close, episode_level_change
from conftest import World


def test_step_up_ends_the_open_episode_the_day_before(world: World) -> None:
    new = episode_level_change(
        child=world.child, level="lac", on=date(2026, 6, 1), recorded_by=world.sw, summary="Accommodated"
    )
    old = Episode.objects.get(child=world.child, level="cp")
    assert old.ended_on == date(2026, 5, 31)
    assert new.started_on == date(2026, 6, 1) and new.ended_on is None and new.recorded_by == world.sw


def test_same_level_keeps_the_open_episode(world: World) -> None:
    kept = episode_level_change(
        child=world.child, level="cp", on=date(2026, 6, 1), recorded_by=world.sw, abuse_category="NEG"
    )
    assert kept.started_on == date(2026, 1, 5)
    assert Episode.objects.filter(child=world.child).count() == 1


def test_child_protection_needs_a_category_and_nothing_changes(world: World) -> None:
    with pytest.raises(EpisodeError, match="category of abuse"):
        episode_level_change(child=world.sibling, level="cp", on=date(2026, 6, 1), recorded_by=world.sw)
    assert not Episode.objects.filter(child=world.sibling).exists()


def test_a_change_before_the_open_episode_started_is_refused(world: World) -> None:
    with pytest.raises(EpisodeError, match="starts after"):
        episode_level_change(child=world.child, level="cin", on=date(2025, 12, 1), recorded_by=world.sw)
    assert Episode.objects.get(child=world.child).ended_on is None


def test_close_ends_every_open_episode(world: World) -> None:
    closed = episode_close(child=world.child, on=date(2026, 9, 1), recorded_by=world.sw, summary="Needs met")
    assert [e.ended_on for e in closed] == [date(2026, 9, 1)]
    assert not Episode.objects.filter(child=world.child, ended_on__isnull=True).exists()
