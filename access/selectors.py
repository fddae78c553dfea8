"""Reads for the access app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from accounts.models import Role
from people.merge_selectors import records_of
from people.models import Child

from .models import AccessEvent, AdminChange, EmergencyAccess

if TYPE_CHECKING:
    from accounts.models import User


def user_can_read_access_log(user: User) -> bool:
    return user.is_team_manager or user.is_administrator


def access_events_for_child(*, child: Child) -> QuerySet[AccessEvent]:
    # With the events of every record merged into this child: they stay on the duplicate, unchanged.
    return AccessEvent.objects.filter(records_of(child)).select_related("user", "user__agency").order_by("-at", "-id")


def _without_a_manager_to_review() -> Q:
    """Accesses no team manager can review: by administrators, by people in no team or a team with
    no manager (a housing officer, say), and by a team's manager themselves."""
    return (
        Q(user__role=Role.ADMINISTRATOR)
        | Q(user__is_superuser=True)
        | Q(user__team__isnull=True)
        | Q(user__team__manager__isnull=True)
        | Q(user__team__manager=F("user"))
    )


def emergency_accesses_to_review(*, user: User) -> QuerySet[EmergencyAccess]:
    """Emergency accesses this user should review. A team manager reviews their team members'; the
    administrators review those that have no manager to review them. Nobody reviews their own. The
    child is shown by reference only: the reviewer may not have access to the record."""
    condition = Q()
    if user.is_team_manager:
        condition |= Q(user__team__manager=user)
    if user.is_administrator:
        condition |= _without_a_manager_to_review()
    if not condition:
        return EmergencyAccess.objects.none()
    return (
        EmergencyAccess.objects.filter(condition)
        .exclude(user=user)
        .select_related("user", "user__agency", "reviewed_by")
    )


def admin_changes_to_review(*, user: User) -> QuerySet[AdminChange]:
    """Administrative changes nobody has reviewed yet, oldest first so none waits at the bottom.
    Listed for every administrator; the page offers the review form only on other people's."""
    if not user.is_administrator:
        return AdminChange.objects.none()
    return AdminChange.objects.filter(review__isnull=True).select_related("actor").order_by("at", "id")


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
