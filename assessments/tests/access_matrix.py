"""Access-matrix entries for the neglect tool's pages (gathered by tests/test_access_matrix.py)."""

from __future__ import annotations

from django.urls import reverse

from assessments.services import screening_record
from conftest import World
from tests.matrix import Entry


def _screening_of_child(world: World) -> str:
    record = screening_record(
        child=world.child,
        practitioner=world.dsl,
        indicators={"hungry"},
        duration="weeks",
        frequency="sometimes",
        child_says="",
    )
    return reverse("children:screening_detail", args=[world.child.public_id, record.pk])


ENTRIES: dict[str, Entry] = {
    "children:screening_new": Entry(
        lambda w: reverse("children:screening_new", args=[w.child.public_id]),
        {"sw": 200, "tm": 200, "dsl": 200, "police": 200},
        identifiable=True,
    ),
    "children:screening_detail": Entry(
        _screening_of_child, {"sw": 200, "tm": 200, "dsl": 200, "police": 200}, identifiable=True
    ),
}
