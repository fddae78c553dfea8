"""Reads for registering a child and for a child's change history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Team
from cases.models import Involvement

from .models import Adult, Child, Household, RecordChange

if TYPE_CHECKING:
    from accounts.models import User


def may_register(user: User) -> bool:
    """Practitioners in a team register children; analysts never see records and administrators
    have no standing access, so neither registers."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.is_analyst
        and not user.is_administrator
        and user.team_id is not None
    )


def households_for_user(user: User) -> QuerySet[Household]:
    """Households a new child may be added to: those of children the user works with (not through
    emergency access, which only reads) and those the user's involvements name directly."""
    involved = Child.objects.involved_with(user).values("household_id")
    own = Involvement.objects.active(timezone.localdate()).filter(
        Q(practitioner=user) | Q(team_id__in=Team.objects.filter(manager=user).values("pk")), household__isnull=False
    )
    return Household.objects.filter(Q(pk__in=involved) | Q(pk__in=own.values("household_id"))).order_by(
        "address_line", "pk"
    )


def adults_in_households(households: QuerySet[Household]) -> list[Adult]:
    return list(
        Adult.objects.filter(household__in=households)
        .select_related("household")
        .order_by("family_name", "given_name", "pk")
    )


def changes_for_child(*, child: Child) -> QuerySet[RecordChange]:
    """The child's history, newest first: every change to their own record and to any record merged
    into it, and the changes to their family that concern no other child (the address, the adults,
    their factors). A change to a brother's or sister's own record is theirs, not shown here."""
    from .merge_selectors import records_of

    family = Q(household_id=child.household_id, child__isnull=True)
    return (
        RecordChange.objects.filter(records_of(child) | family)
        .select_related("changed_by", "changed_by__agency", "adult")
        .order_by("-at", "-id")
    )
