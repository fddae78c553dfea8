import pytest
from django.db import DatabaseError, connection, transaction

from access.append_only import AppendOnlyError
from access.models import AccessAction, AccessEvent
from access.services import access_event_record


@pytest.fixture
def event(world):
    return access_event_record(user=world.sw, action=AccessAction.VIEW, child=world.child)


def test_event_records_why_the_user_could_see_the_child(event):
    assert event.purpose == "Involved: allocated social worker"


def test_manager_view_is_recorded_as_management(world):
    event = access_event_record(user=world.tm, action=AccessAction.VIEW, child=world.child)
    assert event.purpose == "Manager of Family Support A"


def test_application_cannot_change_or_delete_events(event):
    with pytest.raises(AppendOnlyError):
        event.purpose = "rewritten"
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE access_accessevent SET purpose = 'rewritten'", "DELETE FROM access_accessevent"],
)
def test_database_refuses_changes_even_in_raw_sql(event, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessEvent.objects.get(pk=event.pk).purpose == "Involved: allocated social worker"


def test_postgresql_refuses_truncate(event):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_accessevent CASCADE")
    assert AccessEvent.objects.filter(pk=event.pk).exists()
