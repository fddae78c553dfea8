"""Access-matrix entries for a child's family pages (gathered through people/tests/access_matrix.py).

Everyone who sees Ruby works with her or her household, so every form answers 200 here; readers
with emergency access get 403 (tested in test_family_pages)."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from people.family_models import FactorKind, ParentalFactor
from people.models import Relationship
from tests.matrix import Entry

RUBY_SEEN_BY = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}


def _url(name: str, *extra):
    return lambda w: reverse(f"children:{name}", args=[w.child.public_id, *(e(w) for e in extra)])


def _mother(w: World) -> int:
    return w.household.adults.get(given_name="Kirsty").pk


def _relationship(w: World) -> int:
    return Relationship.objects.get(child=w.child, adult_id=_mother(w)).pk


def _factor(w: World) -> int:
    return ParentalFactor.objects.get_or_create(adult_id=_mother(w), kind=FactorKind.MENTAL_HEALTH)[0].pk


FAMILY_ENTRIES: dict[str, Entry] = {
    "children:family": Entry(_url("family"), RUBY_SEEN_BY, identifiable=True),
    "children:family_move": Entry(_url("family_move"), RUBY_SEEN_BY, identifiable=True),
    "children:family_adult_new": Entry(_url("family_adult_new"), RUBY_SEEN_BY, identifiable=True),
    "children:family_adult_edit": Entry(_url("family_adult_edit", _mother), RUBY_SEEN_BY, identifiable=True),
    "children:family_relationship_new": Entry(
        _url("family_relationship_new", _mother), RUBY_SEEN_BY, identifiable=True
    ),
    "children:family_factor_new": Entry(_url("family_factor_new", _mother), RUBY_SEEN_BY, identifiable=True),
    "children:family_relationship_end": Entry(
        _url("family_relationship_end", _relationship), RUBY_SEEN_BY, identifiable=True
    ),
    "children:family_factor_end": Entry(_url("family_factor_end", _factor), RUBY_SEEN_BY, identifiable=True),
}
