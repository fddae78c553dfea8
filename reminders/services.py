"""Writes for reminders: send one notification (in-app and e-mail), and the periodic sweep.

E-mail leaves the service, so it never carries identifiable data: it says what kind of thing needs
attention ("An action on a child's plan is overdue") with a link; the child's name is only ever
shown after sign-in, by a page that checks access. In-app messages follow the same rule, because a
notification outlives the involvement that justified it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, ReminderSent

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One reminder for one user. `key` names the subject and its date, e.g.
    `action:12:overdue:2026-03-01`: the same key is never sent to the same user twice."""

    user: User
    key: str
    kind: str
    message: str
    link: str


def notification_send(*, user: User, kind: str, message: str, link: str, email: bool = True) -> Notification:
    notification = Notification.objects.create(user=user, kind=kind, message=message[:300], link=link[:300])
    if email and user.email:
        url = f"{settings.SIGHTLINE_BASE_URL}{link}" if link.startswith("/") else link
        send_mail(
            subject=f"{settings.SIGHTLINE_SERVICE_NAME}: {message}",
            message=(
                f"{message}.\n\nSign in to see the details: {url}\n\n"
                "This e-mail does not name the child, to keep their information safe."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    return notification


def reminder_deliver(reminder: Reminder, *, email: bool = True) -> bool:
    """Send a reminder unless it has been sent before. True when it was sent now."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=reminder.user, key=reminder.key[:200])
            notification_send(
                user=reminder.user, kind=reminder.kind, message=reminder.message, link=reminder.link, email=email
            )
    except IntegrityError:
        return False
    return True


def reminders_send(*, on: date | None = None) -> dict[str, int]:
    """Find everything due, overdue or newly flagged and remind the people who own it. Idempotent."""
    from .sources import all_reminders

    on = on or timezone.localdate()
    counts: dict[str, int] = {}
    for reminder in all_reminders(on=on):
        if reminder_deliver(reminder):
            counts[reminder.kind] = counts.get(reminder.kind, 0) + 1
    logger.info("Reminders sent on %s: %s", on, counts)
    return counts


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) as read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
