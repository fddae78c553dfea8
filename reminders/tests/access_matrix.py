"""Access-matrix entries for the notifications pages (gathered by tests/test_access_matrix.py)."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from reminders.models import Notification
from tests.matrix import SIGNED_IN, Entry


def _read_sw_notification(world: World) -> str:
    notification = Notification.objects.create(
        user=world.sw, kind="action_overdue", message="An action on a child's plan is overdue", link="/drift/"
    )
    return reverse("reminders:read", args=[notification.pk])


ENTRIES: dict[str, Entry] = {
    # Notifications carry no identifiable data, so no access event (see reminders/services.py).
    "reminders:list": Entry(lambda w: reverse("reminders:list"), dict.fromkeys(SIGNED_IN, 200)),
    # Only the notification's own user can mark it read; for anyone else it does not exist.
    "reminders:read": Entry(_read_sw_notification, {"sw": 302}, method="post"),
    "reminders:read_all": Entry(lambda w: reverse("reminders:read_all"), dict.fromkeys(SIGNED_IN, 302), method="post"),
}
