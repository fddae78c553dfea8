"""The need-to-know rule, in one place.

A person sees a child's record only through a legitimate relationship:
- they hold an active involvement with the child or the child's household; or
- they manage a team that holds one; or
- they have opened emergency access to that child, which has not yet expired.

Partnership analysts never see identifiable records, and administrators have no standing
access: they too must open emergency access with a reason. Every read of a child starts from
`Child.objects.visible_to(user)`, which calls `restrict_children` below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Team
from cases.models import Involvement
from people.merge_models import MergedRecord  # merged records count in who sees a child (below)

from .models import EmergencyAccess

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child


def _involvements_of(user: User) -> QuerySet[Involvement]:
    return Involvement.objects.active(timezone.localdate()).filter(Q(practitioner=user) | Q(team__manager=user))


def restrict_children(queryset: QuerySet[Child], user: User, *, emergency: bool = True) -> QuerySet[Child]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_analyst:
        return queryset.none()
    active = Involvement.objects.active(timezone.localdate())
    # Own involvements and the managed teams' involvements are separate subqueries (rather than
    # one OR across a join) so each can use its index on a county-sized involvement table.
    sources = [
        active.filter(practitioner=user),
        active.filter(team_id__in=Team.objects.filter(manager=user).values("pk")),
    ]
    condition = Q(pk__in=EmergencyAccess.objects.current().filter(user=user).values("child_id")) if emergency else Q()
    for involvements in sources:
        condition |= Q(pk__in=involvements.filter(child__isnull=False).values("child_id"))
        households = involvements.filter(household__isnull=False).values("household_id")
        condition |= Q(household_id__in=households)
        # Merge (people/merge_models.py): a child-level involvement moves to the kept record, but a
        # household involvement stays with the duplicate's household; it still reaches the child.
        condition |= Q(pk__in=MergedRecord.objects.filter(record__household_id__in=households).values("kept_id"))
    return queryset.filter(condition)


def access_basis(user: User, child: Child) -> str:
    """Why this user may see this child, in words for the access log. Call only for a visible child."""
    # Merge: a household involvement with a merged duplicate's household counts for the kept child.
    merged_households = MergedRecord.objects.filter(kept=child).values("record__household_id")
    involvements = (
        _involvements_of(user)
        .filter(Q(child=child) | Q(household_id=child.household_id) | Q(household_id__in=merged_households))
        .select_related("team")
        .order_by("-started_on")
    )
    for involvement in involvements:
        if involvement.practitioner_id == user.pk:
            return f"Involved: {involvement.get_role_display().lower()}"
        return f"Manager of {involvement.team.name}"
    emergency = EmergencyAccess.objects.current().filter(user=user, child=child).order_by("-opened_at").first()
    if emergency is not None:
        return f"Emergency access: {emergency.reason}"[:500]
    return "No current basis"
