"""Access-matrix entries for the front door's pages (gathered by tests/test_access_matrix.py).

None of the `world` personas works at the front door, so the queue is denied to all of them here;
frontdoor/tests/test_front_door.py checks that a front-door practitioner sees it."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from tests.matrix import NOT_ANALYST, Entry

from .support import submit


def _request_by_dsl(world: World) -> str:
    return reverse("frontdoor:detail", args=[submit(world).pk])


SEE_CHILD = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}

ENTRIES: dict[str, Entry] = {
    "frontdoor:queue": Entry(lambda w: reverse("frontdoor:queue"), {}, identifiable=True),
    "frontdoor:mine": Entry(lambda w: reverse("frontdoor:mine"), dict.fromkeys(NOT_ANALYST, 200), identifiable=True),
    "frontdoor:new": Entry(lambda w: reverse("frontdoor:new", args=[w.child.public_id]), SEE_CHILD, identifiable=True),
    "frontdoor:detail": Entry(_request_by_dsl, SEE_CHILD, identifiable=True),
}
