"""Reads for signals: always through children the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Involvement, InvolvementRole
from people.models import Child

from .models import Signal, SignalStatus

if TYPE_CHECKING:
    from accounts.models import User

# The people a signal is for: the child's lead practitioner, social worker or key worker, and the
# managers of their teams.
KEY_ROLES = (InvolvementRole.LEAD, InvolvementRole.SOCIAL_WORKER, InvolvementRole.KEY_WORKER)


def _key_involvements(user: User) -> QuerySet[Involvement]:
    return (
        Involvement.objects.active(timezone.localdate())
        .filter(role__in=KEY_ROLES)
        .filter(Q(practitioner=user) | Q(team__manager=user))
    )


def caseload_children(user: User) -> QuerySet[Child]:
    """Visible children the user leads, or whose lead their team holds."""
    involvements = _key_involvements(user)
    return Child.objects.visible_to(user).filter(
        Q(pk__in=involvements.filter(child__isnull=False).values("child_id"))
        | Q(household_id__in=involvements.filter(household__isnull=False).values("household_id"))
    )


def user_may_respond(*, user: User, child: Child) -> bool:
    return caseload_children(user).filter(pk=child.pk).exists()


def signals_for_caseload(*, user: User, status: str = "open") -> QuerySet[Signal]:
    signals = Signal.objects.filter(cleared_at__isnull=True, child__in=caseload_children(user))
    if status in SignalStatus.values:
        signals = signals.filter(status=status)
    return signals.select_related("child").order_by("-raised_at", "-id")


def live_signals_for_child(*, child: Child) -> list[Signal]:
    """For a child the caller has already read through `child_for_user`."""
    return list(Signal.objects.filter(child=child, cleared_at__isnull=True).order_by("-raised_at", "-id"))


def signal_for_user(*, user: User, pk: int) -> Signal:
    try:
        return Signal.objects.select_related("child").get(pk=pk, child__in=Child.objects.visible_to(user))
    except Signal.DoesNotExist as exc:
        raise Http404("No signal found") from exc
