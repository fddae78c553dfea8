"""The chronology is append-only in the database itself: raw SQL from any connection (the
application's role included) cannot rewrite, lift a restriction on, re-point or remove an entry."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from chronology.models import ChronologyEntry
from chronology.services import chronology_entry_correct
from conftest import World

from .factories import days_ago, record


@pytest.fixture
def entries(world: World) -> tuple[ChronologyEntry, ChronologyEntry]:
    original = record(world.dsl, child=world.child, restricted=True, description="Disclosed at the clinic.")
    correction = chronology_entry_correct(
        author=world.dsl, original=original, reason="Wrong date.", occurred_on=days_ago(12),
        date_precision="exact", event_type="missed_health_appointment", description="Corrected account.",
        impact_on_child="", action_taken="Rebooked.", significance="routine", restricted=True,
    )  # fmt: skip
    return original, correction


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE chronology_chronologyentry SET description = 'rewritten'",
        "UPDATE chronology_chronologyentry SET restricted = FALSE",
        "UPDATE chronology_chronologyentry SET supersedes_id = NULL",
        "UPDATE chronology_chronologyentry SET source_key = 'upload:forged' WHERE source_key = ''",
        "DELETE FROM chronology_chronologyentry",
        "DELETE FROM chronology_chronologyentry WHERE supersedes_id IS NOT NULL",
    ],
)
def test_database_refuses_changes_even_in_raw_sql(entries, statement: str) -> None:
    original, correction = entries
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    stored = {e.pk: e for e in ChronologyEntry.objects.filter(pk__in=[original.pk, correction.pk])}
    assert stored[original.pk].description == "Disclosed at the clinic."
    assert stored[original.pk].restricted and stored[correction.pk].restricted
    assert stored[correction.pk].supersedes_id == original.pk
    assert stored[original.pk].source_key == ""


def test_inserting_still_works_after_a_refused_change(entries, world: World) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM chronology_chronologyentry")
    record(world.sw, child=world.child)
    assert ChronologyEntry.objects.count() == 3


def test_postgresql_refuses_truncate(entries) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, which PostgreSQL would
        # refuse TRUNCATE for on its own; run them now so it is our trigger that refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE chronology_chronologyentry CASCADE")
    assert ChronologyEntry.objects.count() == 2
