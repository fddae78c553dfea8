"""Reminders from plans: actions due soon or overdue (to the action's owner) and reviews due soon or
overdue (to the plan's lead practitioner). The review due date is worked out as the drift rule does:
the last review or review meeting (or the plan's start) plus the plan's review interval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Max, Q

from drift.plan_checks import REVIEW_MEETINGS, plan_url
from plans.models import Action, Plan, PlanChild, PlanStatus

from .models import NotificationKind
from .services import Reminder


def _first_children(plan_ids: set[int]) -> dict[int, object]:
    firsts: dict[int, object] = {}
    for link in PlanChild.objects.filter(plan__in=plan_ids).select_related("child").order_by("plan_id", "child_id"):
        firsts.setdefault(link.plan_id, link.child)
    return firsts


def _day(d: date) -> str:
    return f"{d:%-d %B %Y}"


def action_reminders(*, on: date, days_ahead: int) -> Iterator[Reminder]:
    actions = list(
        Action.objects.filter(
            outcome__plan__status=PlanStatus.PUBLISHED,
            completed_on__isnull=True,
            due_on__isnull=False,
            due_on__lte=on + timedelta(days=days_ahead),
            owner_user__isnull=False,
            owner_user__is_active=True,
        )
        .select_related("owner_user", "outcome__plan")
        .order_by("due_on", "id")
    )
    children = _first_children({a.outcome.plan_id for a in actions})
    for action in actions:
        plan = action.outcome.plan
        overdue = action.due_on < on
        yield Reminder(
            user=action.owner_user,
            key=f"action:{action.pk}:{'overdue' if overdue else 'due'}:{action.due_on.isoformat()}",
            kind=NotificationKind.ACTION_OVERDUE if overdue else NotificationKind.ACTION_DUE,
            message="An action on a child's plan is overdue"
            if overdue
            else f"An action on a child's plan is due by {_day(action.due_on)}",
            link=plan_url(plan, children[plan.pk]) if plan.pk in children else "",
        )


def review_reminders(*, on: date, days_ahead: int) -> Iterator[Reminder]:
    plans = list(
        Plan.objects.filter(status=PlanStatus.PUBLISHED, started_on__lte=on, lead__is_active=True)
        .annotate(
            last_review=Max("reviews__held_on", filter=Q(reviews__held_on__lte=on)),
            last_meeting=Max(
                "meetings__held_on", filter=Q(meetings__meeting_type__in=REVIEW_MEETINGS, meetings__held_on__lte=on)
            ),
        )
        .select_related("lead")
    )
    due_plans = []
    for plan in plans:
        last = max((d for d in (plan.last_review, plan.last_meeting) if d), default=plan.started_on)
        due = last + timedelta(days=plan.review_interval_days)
        if due <= on + timedelta(days=days_ahead):
            due_plans.append((plan, due))
    children = _first_children({p.pk for p, _ in due_plans})
    for plan, due in due_plans:
        overdue = due < on
        yield Reminder(
            user=plan.lead,
            key=f"review:{plan.pk}:{'overdue' if overdue else 'due'}:{due.isoformat()}",
            kind=NotificationKind.REVIEW_OVERDUE if overdue else NotificationKind.REVIEW_DUE,
            message="A review of a child's plan is overdue"
            if overdue
            else f"A review of a child's plan is due by {_day(due)}",
            link=plan_url(plan, children[plan.pk]) if plan.pk in children else "",
        )


def plan_reminders(*, on: date, days_ahead: int) -> Iterator[Reminder]:
    yield from action_reminders(on=on, days_ahead=days_ahead)
    yield from review_reminders(on=on, days_ahead=days_ahead)
