"""Reads for drift and supervision. Every read of a child starts from `Child.objects.visible_to(user)`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.models import Team
from cases.models import Involvement
from people.models import Child

from .evaluation import Flag, flags_for_children
from .models import FlagClearance, Supervision

if TYPE_CHECKING:
    from accounts.models import User

SORTS = {
    "age": lambda f: (f.since, f.child.family_name, f.child.given_name, f.rule.code),
    "rule": lambda f: (f.rule.code, f.since, f.child.family_name, f.child.given_name),
    "child": lambda f: (f.child.family_name, f.child.given_name, f.child.pk, f.since),
}


def caseload_for_user(*, user: User, on: date) -> QuerySet[Child]:
    """The children a practitioner works with, or a manager's teams work with (directly or through
    the household), narrowed to what the user may see. Emergency access is not a caseload."""
    active = Involvement.objects.active(on)
    involvements = active.filter(practitioner=user) | active.filter(
        team_id__in=Team.objects.filter(manager=user).values("pk")
    )
    condition = Q(pk__in=involvements.filter(child__isnull=False).values("child_id")) | Q(
        household_id__in=involvements.filter(household__isnull=False).values("household_id")
    )
    return Child.objects.visible_to(user).filter(condition)


def drift_flags_for_user(*, user: User, on: date, sort: str = "age") -> list[Flag]:
    """Open (not cleared) flags on the user's caseload, oldest first unless sorted otherwise."""
    flags = [f for f in flags_for_children(caseload_for_user(user=user, on=on), on=on) if not f.is_cleared]
    return sorted(flags, key=SORTS.get(sort, SORTS["age"]))


def drift_flags_for_child(*, child: Child, on: date) -> list[Flag]:
    """Every flag for one visible child, cleared ones included (the evidence page shows why)."""
    flags = flags_for_children(Child.objects.filter(pk=child.pk), on=on)
    return sorted(flags, key=SORTS["age"])


def clearance_history(*, child: Child) -> list[FlagClearance]:
    return list(
        FlagClearance.objects.filter(child=child).select_related("cleared_by", "supervision").order_by("-created_at")
    )


def supervisions_for_child(*, user: User, child: Child) -> QuerySet[Supervision]:
    """A child's supervision records this user may read: managers those of their teams' practitioners
    (and their own), practitioners their own."""
    return (
        Supervision.objects.filter(child=child)
        .filter(Q(supervisor=user) | Q(supervisee=user) | Q(supervisee__team__manager=user))
        .select_related("supervisor", "supervisee")
        .order_by("-held_on", "-id")
    )


def supervisees_for(*, manager: User, child: Child, on: date) -> QuerySet:
    """Practitioners the manager supervises who are involved with this child now: the child is then
    visible to both of them."""
    from accounts.models import User

    involved = Involvement.objects.active(on).filter(
        Q(child=child) | Q(household_id=child.household_id), team__manager=manager
    )
    return User.objects.filter(pk__in=involved.values("practitioner_id"), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def user_can_record_supervision(user: User) -> bool:
    return user.is_team_manager and Team.objects.filter(manager=user).exists()
