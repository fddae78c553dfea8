"""The duplicate search at size: an exact NHS number is never crowded out by fuzzy matches, and on
PostgreSQL every part of the candidate query is read through an index, never a scan of every child."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from conftest import make_child
from people.models import Child, Household
from people.search import CANDIDATE_LIMIT, candidate_branches, candidates, person_search
from people.synthetic import SyntheticChildren


def test_an_nhs_number_match_survives_many_fuzzy_candidates(world):
    # Far more children like "Ruby Ashworth" born on her date than the candidate limit.
    for index in range(CANDIDATE_LIMIT * 2 + 10):
        make_child(world.other_household, "Ruby" if index % 2 else "Rubi", born=world.child.date_of_birth)
    far_away = Household.objects.create(address_line="3 Far Road", postcode="WM9 9ZZ")
    same_number = make_child(far_away, "Robyn", date(2019, 1, 1), family_name="Ashwood")
    Child.objects.filter(pk=same_number.pk).update(nhs_number="9434765919")  # recorded twice: the duplicate
    found = {
        c.pk
        for c in candidates(
            given_name="Ruby", family_name="Ashworth", on=world.child.date_of_birth, nhs_number="9434765919"
        )
    }
    assert {world.child.pk, same_number.pk} <= found
    result = person_search(
        user=world.sw, given_name="Ruby", family_name="Ashworth", on=world.child.date_of_birth, nhs_number="9434765919"
    )
    assert result.visible[0].child == world.child and result.visible[0].nhs_number_matches
    assert result.hidden_nhs_match  # Robyn, whom sw does not work with, has the same number


def test_the_candidates_are_bounded_whatever_the_number_of_matches(world):
    for index in range(CANDIDATE_LIMIT * 3):
        make_child(world.other_household, f"Ruby{index % 3}", born=world.child.date_of_birth)
    found = list(candidates(given_name="Ruby", family_name="Ashworth", on=world.child.date_of_birth))
    assert world.child in found
    assert len(found) <= 2 * CANDIDATE_LIMIT


SHAPES = {
    "NHS number + name": {"given_name": "Priya", "family_name": "Watson", "nhs_number": "9990001234"},
    "typo in a name": {"given_name": "Oliver", "family_name": "Jnoes"},
    "name + date of birth": {"given_name": "Amelia", "family_name": "Taylor", "on": date(2015, 6, 1)},
    "date of birth + postcode": {
        "given_name": "Zed",
        "family_name": "Quorn",
        "on": date(2012, 3, 4),
        "postcode": "WM7 4AB",
    },
}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="trigram indexes and EXPLAIN plans are PostgreSQL's")
@pytest.mark.django_db
def test_every_shape_of_search_reads_the_children_through_indexes():
    SyntheticChildren(seed=3, today=date(2026, 1, 1)).write(20_000)
    with connection.cursor() as cursor:
        # As autovacuum would after such a load (VACUUM cannot run in the test's transaction): merge
        # the GIN indexes' pending lists, which are otherwise read linearly, and gather statistics.
        cursor.execute("SELECT gin_clean_pending_list('people_child_family_name_trgm')")
        cursor.execute("SELECT gin_clean_pending_list('people_child_given_name_trgm')")
        cursor.execute("ANALYZE people_household")
        cursor.execute("ANALYZE people_child")
    for shape, search in SHAPES.items():
        for part, queryset in candidate_branches(**search).items():
            plan = queryset.explain()
            assert "Seq Scan on people_child" not in plan, f"{shape}, {part}:\n{plan}"
        plan = candidates(**search).explain()
        assert "Seq Scan on people_child" not in plan, f"{shape}:\n{plan}"
        assert "Index" in plan
