"""Access-matrix entries for finding, registering and changing a child (gathered by
tests/test_access_matrix.py).

Registering is for practitioners in a team (everyone but the analyst and the administrator, who get
404). Ruby (world.child) is seen by sw, tm, dsl and police, and each of them works with her, so the
details form is theirs. The unborn baby lives in Ruby's household, which only police are involved
with as a household: everyone else gets 404 on her birth page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import World, make_child
from tests.matrix import Entry

from .family_matrix import FAMILY_ENTRIES
from .merge_matrix import MERGE_ENTRIES

REGISTERS = {"sw": 200, "tm": 200, "hv": 200, "dsl": 200, "police": 200, "eh": 200, "outsider": 200}
RUBY = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}


def _unborn_birth_url(world: World) -> str:
    unborn = make_child(
        world.household, "Baby", born=None, expected_date_of_birth=timezone.localdate() + timedelta(days=60)
    )
    return reverse("children:birth", args=[unborn.public_id])


ENTRIES: dict[str, Entry] = {
    **MERGE_ENTRIES,
    **FAMILY_ENTRIES,
    "children:register_search": Entry(
        lambda w: reverse("children:register_search") + "?given_name=Ruby&family_name=Ashworth",
        REGISTERS,
        identifiable=True,
    ),
    "children:register": Entry(
        lambda w: reverse("children:register") + "?given_name=Rosa&family_name=Ashworth",
        REGISTERS,
        identifiable=True,
    ),
    "children:edit": Entry(lambda w: reverse("children:edit", args=[w.child.public_id]), RUBY, identifiable=True),
    "children:history": Entry(lambda w: reverse("children:history", args=[w.child.public_id]), RUBY, identifiable=True),
    "children:birth": Entry(_unborn_birth_url, {"police": 200}, identifiable=True),
}
