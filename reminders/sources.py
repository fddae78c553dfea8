"""Where reminders come from: drift flags newly raised, and (with the plans app) actions and reviews
due soon or overdue. Each source reads in bulk and in chunks so a county-sized sweep stays bounded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from cases.models import Episode, Involvement, InvolvementRole, active_on_filter
from drift.evaluation import flags_for_children, plans_adapter
from people.models import Child

from .models import NotificationKind
from .services import Reminder

CHUNK = 1000
# People told about a child's flags: who holds the case (and their team manager).
CASE_HOLDER_ROLES = (InvolvementRole.LEAD, InvolvementRole.SOCIAL_WORKER)
# Drift rules look at children on child in need or child protection plans.
DRIFT_LEVELS = ("cin", "cp")


def _candidate_child_ids(on: date) -> list[int]:
    ids = set(Episode.objects.filter(active_on_filter(on), level__in=DRIFT_LEVELS).values_list("child_id", flat=True))
    if hasattr(plans_adapter, "candidate_child_ids"):
        ids |= set(plans_adapter.candidate_child_ids(on))
    return sorted(ids)


def _case_holders(children: list[Child], on: date) -> dict[int, set]:
    """For each child, the users to tell: case holders, and the managers of their teams."""
    by_household: dict[int, list[int]] = defaultdict(list)
    for child in children:
        by_household[child.household_id].append(child.pk)
    involvements = (
        Involvement.objects.active(on)
        .filter(Q(child__in=[c.pk for c in children]) | Q(household__in=list(by_household)), role__in=CASE_HOLDER_ROLES)
        .select_related("practitioner", "team__manager")
    )
    holders: dict[int, set] = defaultdict(set)
    for involvement in involvements:
        child_ids = [involvement.child_id] if involvement.child_id else by_household[involvement.household_id]
        for child_id in child_ids:
            holders[child_id].add(involvement.practitioner)
            if involvement.team.manager is not None:
                holders[child_id].add(involvement.team.manager)
    return holders


def drift_flag_reminders(
    *, on: date, child_ids: list[int] | None = None, recent_only: bool = True
) -> Iterator[Reminder]:
    """Flags raised within the last SIGHTLINE_REMINDER_FLAG_DAYS days and not cleared. Older flags
    are not news (and would flood people the first time the sweep runs); the drift view shows them."""
    lookback = on - timedelta(days=settings.SIGHTLINE_REMINDER_FLAG_DAYS) if recent_only else date.min
    ids = _candidate_child_ids(on) if child_ids is None else sorted(child_ids)
    for start in range(0, len(ids), CHUNK):
        children = Child.objects.filter(pk__in=ids[start : start + CHUNK])
        flags = [f for f in flags_for_children(children, on=on) if not f.is_cleared and f.since >= lookback]
        if not flags:
            continue
        holders = _case_holders(list({f.child.pk: f.child for f in flags}.values()), on)
        for flag in flags:
            link = reverse("drift:child", args=[flag.child.public_id]) + f"#{flag.rule.code}"
            for user in holders.get(flag.child.pk, ()):
                yield Reminder(
                    user=user,
                    key=f"flag:{flag.child.pk}:{flag.rule.code}:{flag.since.isoformat()}",
                    kind=NotificationKind.DRIFT_FLAG,
                    message=f"A drift flag was raised for a child: {flag.rule.name}",
                    link=link,
                )


def all_reminders(*, on: date) -> Iterator[Reminder]:
    yield from drift_flag_reminders(on=on)
    if apps.is_installed("plans"):
        from .plan_sources import plan_reminders

        yield from plan_reminders(on=on, days_ahead=settings.SIGHTLINE_REMINDER_DAYS_AHEAD)


def all_reminders_for_users(*, on: date, users: list, recent_flags_only: bool = True) -> Iterator[Reminder]:
    """The reminders due to a few users only (the demo personas): their caseloads' flags and the
    actions and reviews they own."""
    from drift.selectors import caseload_for_user

    wanted = {u.pk for u in users}
    child_ids: set[int] = set()
    for user in users:
        child_ids |= set(caseload_for_user(user=user, on=on).values_list("pk", flat=True))
    for reminder in drift_flag_reminders(on=on, child_ids=list(child_ids), recent_only=recent_flags_only):
        if reminder.user.pk in wanted:
            yield reminder
    if apps.is_installed("plans"):
        from .plan_sources import plan_reminders

        for reminder in plan_reminders(on=on, days_ahead=settings.SIGHTLINE_REMINDER_DAYS_AHEAD):
            if reminder.user.pk in wanted:
                yield reminder
