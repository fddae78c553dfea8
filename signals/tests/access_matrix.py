"""Access-matrix entries for signals (gathered by tests/test_access_matrix.py)."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from signals.services import signals_refresh
from tests.matrix import NOT_ANALYST, Entry


def _signal_for_child(world: World) -> str:
    # Ruby is on a child protection plan with no visit recorded: the "not seen" rule fires.
    (signal,) = signals_refresh(child=world.child)
    return reverse("signals:detail", args=[signal.pk])


ENTRIES: dict[str, Entry] = {
    "signals:list": Entry(lambda w: reverse("signals:list"), dict.fromkeys(NOT_ANALYST, 200), identifiable=True),
    "signals:detail": Entry(_signal_for_child, {"sw": 200, "tm": 200, "dsl": 200, "police": 200}, identifiable=True),
}
