"""Demo notifications: a few reminders for the social worker and team manager personas, made by
the same sweep the worker runs, limited to the personas so a county-sized seed stays fast."""

from __future__ import annotations

from datetime import date

from accounts.models import User

from .services import reminder_deliver

PERSONAS = ("sw.demo", "tm.demo")
PER_PERSONA = 4


def notifications_seed(*, as_of: date, seed: int) -> dict[str, int]:
    from .sources import all_reminders_for_users

    users = list(User.objects.filter(username__in=PERSONAS))
    if not users:
        return {}
    sent = 0
    per_user: dict[int, int] = {}
    for reminder in all_reminders_for_users(on=as_of, users=users, recent_flags_only=False):
        if per_user.get(reminder.user.pk, 0) >= PER_PERSONA:
            continue
        # No e-mail from the demo seed: the notifications page shows them.
        if reminder_deliver(reminder, email=False):
            per_user[reminder.user.pk] = per_user.get(reminder.user.pk, 0) + 1
            sent += 1
    return {"notifications": sent}
