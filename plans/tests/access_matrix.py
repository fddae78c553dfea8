"""Access-matrix entries for the plans pages (gathered by tests/test_access_matrix.py).

Every page hangs off Ruby (world.child), whose plan also covers her brother Alfie: hv, who works only
with Alfie, gets 404 on Ruby's pages like anyone else without a relationship with Ruby."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from tests.matrix import Entry

from .factories import cin_plan, meeting_for, published_cin_plan

RUBY = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}
# The case holder and their manager act on the plan; the school and the police read it, and a form
# to change it is a refusal page for them.
RUBY_CASE = {"sw": 200, "tm": 200, "dsl": 403, "police": 403}


def _plan_url(name: str, *, published: bool = False):
    def url(world: World) -> str:
        plan = published_cin_plan(world) if published else cin_plan(world)
        return reverse(name, args=[world.child.public_id, plan.public_id])

    return url


def _meeting_url(name: str):
    def url(world: World) -> str:
        plan = published_cin_plan(world)
        meeting = meeting_for(plan, world)
        return reverse(name, args=[world.child.public_id, plan.public_id, meeting.public_id])

    return url


ENTRIES: dict[str, Entry] = {
    "plans:list": Entry(lambda w: reverse("plans:list", args=[w.child.public_id]), RUBY, identifiable=True),
    "plans:create": Entry(lambda w: reverse("plans:create", args=[w.child.public_id]), RUBY_CASE, identifiable=True),
    "plans:detail": Entry(_plan_url("plans:detail"), RUBY, identifiable=True),
    "plans:edit": Entry(_plan_url("plans:edit"), RUBY_CASE, identifiable=True),
    "plans:meeting_create": Entry(_plan_url("plans:meeting_create"), RUBY_CASE, identifiable=True),
    "plans:review_create": Entry(_plan_url("plans:review_create", published=True), RUBY_CASE, identifiable=True),
    "plans:voice_create": Entry(_plan_url("plans:voice_create"), RUBY, identifiable=True),
    "plans:meeting_detail": Entry(_meeting_url("plans:meeting_detail"), RUBY, identifiable=True),
    "plans:feedback_create": Entry(_meeting_url("plans:feedback_create"), RUBY_CASE, identifiable=True),
}
