"""Access-matrix entries for drift and supervision pages (gathered by tests/test_access_matrix.py)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import World
from drift.services import supervision_record
from tests.matrix import NOT_ANALYST, Entry


def _supervision_of_sw(world: World) -> str:
    today = timezone.localdate()
    supervision = supervision_record(
        child=world.child,
        supervisor=world.tm,
        supervisee=world.sw,
        held_on=today - timedelta(days=1),
        reflections="Ruby's attendance has improved; home conditions have not.",
        decisions="Keep the plan; visit weekly.",
        actions=[],
        clearance=None,
        today=today,
    )
    return reverse("drift:supervision_detail", args=[world.child.public_id, supervision.pk])


ENTRIES: dict[str, Entry] = {
    # Everyone with children to work with has a drift view of their own caseload (often empty).
    "drift:list": Entry(lambda w: reverse("drift:list"), {**dict.fromkeys(NOT_ANALYST, 200)}, identifiable=True),
    "drift:child": Entry(
        lambda w: reverse("drift:child", args=[w.child.public_id]),
        {"sw": 200, "tm": 200, "dsl": 200, "police": 200},
        identifiable=True,
    ),
    "drift:supervision_list": Entry(
        lambda w: reverse("drift:supervision_list", args=[w.child.public_id]),
        {"sw": 200, "tm": 200, "dsl": 200, "police": 200},
        identifiable=True,
    ),
    "drift:supervision_new": Entry(
        lambda w: reverse("drift:supervision_new", args=[w.child.public_id]), {"tm": 200}, identifiable=True
    ),
    # The manager and the practitioner supervised read it; others who see the child do not.
    "drift:supervision_detail": Entry(_supervision_of_sw, {"sw": 200, "tm": 200}, identifiable=True),
}
