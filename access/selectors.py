"""Reads for the access app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from people.models import Child

from .models import AccessEvent, EmergencyAccess

if TYPE_CHECKING:
    from accounts.models import User


def user_can_read_access_log(user: User) -> bool:
    return user.is_team_manager or user.is_administrator


def access_events_for_child(*, child: Child) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(child=child).select_related("user", "user__agency").order_by("-at", "-id")


def emergency_accesses_to_review(*, user: User) -> QuerySet[EmergencyAccess]:
    """Emergency accesses this user should review: by members of teams they manage (administrators
    see all). The child is shown by reference only: the reviewer may not have access to the record."""
    queryset = EmergencyAccess.objects.select_related("user", "user__agency", "reviewed_by")
    if user.is_administrator:
        return queryset.exclude(user=user)
    if user.is_team_manager:
        return queryset.filter(Q(user__team__manager=user)).exclude(user=user)
    return queryset.none()


def find_child_for_emergency_access(*, nhs_number: str = "", family_name: str = "", date_of_birth=None) -> Child | None:
    """Finds exactly one child by NHS number, or by family name and date of birth, for someone who
    is about to open emergency access. This is the only read of children outside `visible_to`:
    it returns a child only on an exact, unique match and the lookup itself is logged by the caller."""
    if nhs_number:
        matches = Child.objects.filter(nhs_number=nhs_number.replace(" ", ""))
    elif family_name and date_of_birth:
        matches = Child.objects.filter(family_name__iexact=family_name.strip(), date_of_birth=date_of_birth)
    else:
        return None
    found = list(matches[:2])
    return found[0] if len(found) == 1 else None
