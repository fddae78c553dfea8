from __future__ import annotations

import pytest

from access.append_only import AppendOnlyError
from conftest import World
from people.models import RecordChange
from people.services import PersonError, StaleRecord, record_update


def test_only_changed_fields_are_written_with_before_and_after(world: World) -> None:
    child = world.child
    changes = record_update(
        instance=child,
        user=world.sw,
        expected_revision=child.revision,
        values={"first_language": "Polish", "interpreter_needed": True, "given_name": child.given_name},
        labels={"first_language": "First language", "interpreter_needed": "Interpreter needed"},
    )
    assert [c.field for c in changes] == ["first_language", "interpreter_needed"]
    assert child.revision == 2 and child.first_language == "Polish"
    rows = list(RecordChange.objects.filter(child=child).order_by("id").values_list("label", "before", "after"))
    assert rows == [("First language", "English", "Polish"), ("Interpreter needed", "No", "Yes")]
    assert RecordChange.objects.filter(household=world.household).count() == 2


def test_a_stale_edit_changes_nothing(world: World) -> None:
    child = world.child
    record_update(instance=child, user=world.sw, expected_revision=1, values={"first_language": "Urdu"}, labels={})
    with pytest.raises(StaleRecord):
        record_update(
            instance=child, user=world.dsl, expected_revision=1, values={"first_language": "Polish"}, labels={}
        )
    child.refresh_from_db()
    assert child.first_language == "Urdu" and RecordChange.objects.count() == 1


def test_a_sensitive_field_needs_a_reason_in_words(world: World) -> None:
    with pytest.raises(PersonError, match="Say why"):
        record_update(
            instance=world.child,
            user=world.sw,
            expected_revision=1,
            values={"nhs_number": "9434765870"},
            labels={"nhs_number": "NHS number"},
            sensitive=frozenset({"nhs_number"}),
            reason="   ",
        )
    assert not RecordChange.objects.exists()


def test_an_invalid_value_is_refused_and_nothing_is_written(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_update(
            instance=world.child, user=world.sw, expected_revision=1, values={"nhs_number": "1234567890"}, labels={}
        )
    world.child.refresh_from_db()
    assert world.child.nhs_number == "9434765919" and world.child.revision == 1


def test_history_rows_cannot_be_changed(world: World) -> None:
    record_update(
        instance=world.child, user=world.sw, expected_revision=1, values={"first_language": "Urdu"}, labels={}
    )
    row = RecordChange.objects.get()
    row.after = "Polish"
    with pytest.raises(AppendOnlyError):
        row.save()


def test_the_database_refuses_to_rewrite_or_delete_history(world: World) -> None:
    from django.db import DatabaseError, connection, transaction

    record_update(
        instance=world.child, user=world.sw, expected_revision=1, values={"first_language": "Urdu"}, labels={}
    )
    for statement in ("UPDATE people_recordchange SET after = 'Polish'", "DELETE FROM people_recordchange"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert RecordChange.objects.get().after == "Urdu"
