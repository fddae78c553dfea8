"""Reminders: who is told what, e-mail without identifiable data, idempotency, the task and command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Episode, InvolvementRole
from conftest import World, involve, make_child, sign_in
from drift.tests.factories import make_action, make_meeting, make_plan
from people.models import Child
from reminders.models import Notification, ReminderSent
from reminders.services import reminders_send
from reminders.tasks import send_reminders_task


@pytest.fixture
def emails(world: World) -> World:
    for user in (world.sw, world.tm, world.other_sw):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


@pytest.fixture
def mia(emails: World) -> Child:
    child = make_child(emails.household, "Mia")
    involve(emails.sw, child=child, role=InvolvementRole.SOCIAL_WORKER)
    return child


def test_an_overdue_action_reminds_its_owner_without_naming_the_child(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    plan = make_plan(mia, emails.sw, started_on=today - timedelta(days=20), visiting_frequency_days=60)
    make_meeting(plan, emails.tm, held_on=today - timedelta(days=1))
    make_action(plan, emails.sw, due_on=today - timedelta(days=2))
    counts = reminders_send(on=today)
    # The owner is reminded of the action; the overdue action is also a new drift flag (owner and manager).
    assert counts == {"action_overdue": 1, "drift_flag": 2}
    notification = Notification.objects.get(user=emails.sw, kind="action_overdue")
    assert notification.message == "An action on a child's plan is overdue"
    [message] = [m for m in mail.outbox if "action" in m.subject]
    assert message.to == ["sw@example.org"]
    assert message.subject == "Sightline: An action on a child's plan is overdue"
    assert "http://127.0.0.1:8000/" in message.body
    for identifying in ("Mia", "Ashworth", "Mill Lane", mia.nhs_number or "Mia"):
        assert identifying not in message.subject + message.body


def test_the_same_reminder_is_never_sent_twice(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    plan = make_plan(mia, emails.sw, started_on=today - timedelta(days=20), visiting_frequency_days=60)
    make_meeting(plan, emails.tm, held_on=today - timedelta(days=1))
    make_action(plan, emails.sw, due_on=today + timedelta(days=3))
    assert reminders_send(on=today) == {"action_due": 1}
    assert reminders_send(on=today) == {}
    assert reminders_send(on=today + timedelta(days=1)) == {}
    # Once it is overdue, that is a new reminder (and a new drift flag), each sent once.
    assert reminders_send(on=today + timedelta(days=4)) == {"action_overdue": 1, "drift_flag": 2}
    assert reminders_send(on=today + timedelta(days=5)) == {}
    assert len(mail.outbox) == 4
    assert ReminderSent.objects.count() == 4


def test_a_done_action_or_one_far_off_is_not_reminded(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    plan = make_plan(mia, emails.sw, started_on=today - timedelta(days=5), visiting_frequency_days=60)
    make_action(plan, emails.sw, due_on=today - timedelta(days=2), completed_on=today - timedelta(days=3))
    make_action(plan, emails.sw, due_on=today + timedelta(days=30))
    assert reminders_send(on=today) == {}


def test_a_review_due_soon_and_overdue_reminds_the_lead(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    make_plan(
        mia, emails.sw, started_on=today - timedelta(days=85), review_interval_days=90, visiting_frequency_days=120
    )
    assert reminders_send(on=today) == {"review_due": 1}
    assert Notification.objects.get().message.startswith("A review of a child's plan is due by")
    assert reminders_send(on=today + timedelta(days=6)) == {"review_overdue": 1, "drift_flag": 2}
    assert mail.outbox[-1].subject == "Sightline: A review of a child's plan is overdue"


def test_a_new_drift_flag_tells_the_case_holder_and_their_manager_once(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    Episode.objects.create(child=mia, level="cin", started_on=today - timedelta(days=190))
    counts = reminders_send(on=today)
    assert counts == {"drift_flag": 2}
    assert {n.user for n in Notification.objects.all()} == {emails.sw, emails.tm}
    notification = Notification.objects.get(user=emails.tm)
    assert notification.message == "A drift flag was raised for a child: Child in need plan open more than 6 months"
    assert notification.link == reverse("drift:child", args=[mia.public_id]) + "#cin_long"
    assert all("Mia" not in m.body for m in mail.outbox)
    assert reminders_send(on=today) == {}


def test_an_old_flag_is_not_news(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    Episode.objects.create(child=mia, level="cin", started_on=today - timedelta(days=400))
    assert reminders_send(on=today) == {}


def test_the_task_and_the_command_run_the_sweep(emails: World, mia: Child) -> None:
    today = timezone.localdate()
    Episode.objects.create(child=mia, level="cin", started_on=today - timedelta(days=190))
    result = send_reminders_task.enqueue(on=today.isoformat())  # the immediate backend in tests
    assert result.return_value == {"drift_flag": 2}
    call_command("send_reminders")  # queues the task; runs at once here
    call_command("send_reminders", "--now")
    assert Notification.objects.count() == 2


def test_the_notifications_page_lists_counts_and_marks_read(emails: World, client) -> None:
    mine = Notification.objects.create(
        user=emails.sw, kind="action_overdue", message="An action on a child's plan is overdue", link="/drift/"
    )
    Notification.objects.create(user=emails.tm, kind="drift_flag", message="Not for sw", link="/drift/")
    sign_in(client, emails.sw)
    body = client.get(reverse("reminders:list")).content.decode()
    assert "An action on a child&#x27;s plan is overdue" in body and "Not for sw" not in body
    assert "Notifications (1 unread)" in body
    response = client.post(reverse("reminders:read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Notifications (1 unread)" not in client.get(reverse("reminders:list")).content.decode()
    other = Notification.objects.get(user=emails.tm)
    assert client.post(reverse("reminders:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_notifications_page_runs_a_fixed_number_of_queries(emails: World, client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, emails.sw)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reminders:list")).status_code == 200
        return len(captured.captured_queries)

    def grow(n: int) -> None:
        Notification.objects.bulk_create(
            Notification(user=emails.sw, kind="drift_flag", message=f"Flag {i}", link="/drift/") for i in range(n)
        )

    grow(2)
    small = count()
    grow(40)
    assert count() == small
