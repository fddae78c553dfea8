"""The plans tests tell a dated story through 2026 (an assessment in March, a plan, a review in May),
with explicit dates throughout. The shared world dates Ruby's child protection episode relative to
today, so here it starts where the story does, before any of its reviews, on whatever day the suite runs."""

from datetime import date

import pytest

from cases.models import Episode
from conftest import World

STORY_STARTS = date(2026, 1, 5)


@pytest.fixture
def world(world: World) -> World:
    Episode.objects.filter(child=world.child).update(started_on=STORY_STARTS)
    return world
