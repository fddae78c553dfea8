"""Reads for requests for support. A request is read only when the user may see every child in it,
so a request never shows the name of a child the reader has no relationship with."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, Team
from cases.models import Episode, Level
from people.models import Child

from .models import REFERRAL_OUTCOMES, Decision, RequestChild, SupportRequest
from .timescales import current_timescales

if TYPE_CHECKING:
    from accounts.models import User


# The order of levels of response, so the front door steps a child up but never silently steps one down: a
# decision of early help for a child already on a child protection plan leaves the plan alone (the
# allocated social worker and conference decide step-down).
LEVEL_ORDER = {
    Level.UNIVERSAL: 0,
    Level.EARLY_HELP: 1,
    Level.CHILD_IN_NEED: 2,
    Level.CHILD_PROTECTION: 3,
    Level.LOOKED_AFTER: 4,
}


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the last day of the month when it is shorter), so
    "within 12 months" of 29 February 2028 starts on 28 February 2027."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_front_door(user: User) -> bool:
    """Front-door practitioners, and the managers of teams that have them, work the queue."""
    if not getattr(user, "is_authenticated", False) or user.is_analyst:
        return False
    if user.role == Role.FRONT_DOOR:
        return True
    if user.role != Role.TEAM_MANAGER:
        return False
    return Team.objects.filter(manager=user, members__role=Role.FRONT_DOOR, members__is_active=True).exists()


def front_door_practitioners() -> QuerySet[User]:
    from accounts.models import User

    return User.objects.filter(role=Role.FRONT_DOOR, is_active=True, team__isnull=False)


def _current_decision() -> Subquery:
    return Subquery(
        Decision.objects.filter(request=OuterRef("pk"), superseded_by__isnull=True)
        .order_by("-decided_at", "-id")
        .values("outcome")[:1]
    )


def requests_visible_to(user: User) -> QuerySet[SupportRequest]:
    visible = Child.objects.visible_to(user).values("pk")
    hidden_in = RequestChild.objects.exclude(child_id__in=visible).values("request_id")
    return SupportRequest.objects.filter(
        pk__in=RequestChild.objects.filter(child_id__in=visible).values("request_id")
    ).exclude(pk__in=hidden_in)


def _with_children(requests: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return requests.select_related("requested_by", "source_agency").prefetch_related(
        Prefetch("children", queryset=Child.objects.select_related("household").order_by("date_of_birth", "pk"))
    )


def queue_for_user(*, user: User, status: str = "open") -> QuerySet[SupportRequest]:
    """The front door's queue: open requests oldest first, or decided ones newest first."""
    requests = requests_visible_to(user).annotate(current_outcome=_current_decision())
    if status == "decided":
        requests = requests.filter(decided_at__isnull=False).order_by("-decided_at", "-id")
    elif status == "all":
        requests = requests.order_by("-received_at", "-id")
    else:
        requests = requests.filter(decided_at__isnull=True).order_by("due_by", "id")
    return _with_children(requests)


def requests_made_by(*, user: User) -> QuerySet[SupportRequest]:
    """The requester's own requests with their outcome: they wrote them, so they are told the outcome
    even after their own involvement ends."""
    requests = SupportRequest.objects.filter(requested_by=user).annotate(current_outcome=_current_decision())
    return _with_children(requests.order_by("-received_at", "-id"))


def request_for_user(*, user: User, pk: int) -> SupportRequest:
    try:
        return _with_children(requests_visible_to(user).annotate(current_outcome=_current_decision())).get(pk=pk)
    except SupportRequest.DoesNotExist as exc:
        raise Http404("No request found") from exc


def decisions_of(*, request: SupportRequest) -> list[Decision]:
    return list(request.decisions.select_related("decided_by", "supersedes").order_by("decided_at", "id"))


def current_decision(decisions: list[Decision]) -> Decision | None:
    superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
    current = [d for d in decisions if d.pk not in superseded]
    return current[-1] if current else None


@dataclass(frozen=True)
class History:
    """What came before a request, for each of its children, within the re-referral window."""

    previous_requests: tuple[SupportRequest, ...]
    re_referral: bool


def histories(requests: list[SupportRequest]) -> dict[int, History]:
    """Earlier requests (within the window) and whether each request is a re-referral, for a page of
    requests in two queries whatever the page holds."""
    if not requests:
        return {}
    months = current_timescales().re_referral_window_months
    child_ids = {c.pk for r in requests for c in r.children.all()}
    earliest = min(months_before(timezone.localdate(r.received_at), months) for r in requests)
    earlier = (
        RequestChild.objects.filter(child_id__in=child_ids, request__received_at__date__gte=earliest)
        .select_related("request")
        .annotate(
            current_outcome=Subquery(
                Decision.objects.filter(request=OuterRef("request_id"), superseded_by__isnull=True)
                .order_by("-decided_at", "-id")
                .values("outcome")[:1]
            )
        )
    )
    by_child: dict[int, list[tuple[SupportRequest, str | None]]] = defaultdict(list)
    for row in earlier:
        by_child[row.child_id].append((row.request, row.current_outcome))
    referrals: dict[int, list[date]] = defaultdict(list)
    for child_id, referral_date in Episode.objects.filter(
        child_id__in=child_ids, level=Level.CHILD_IN_NEED, referral_date__gte=earliest
    ).values_list("child_id", "referral_date"):
        referrals[child_id].append(referral_date)
    result: dict[int, History] = {}
    for request in requests:
        received = request.received_at
        since = months_before(timezone.localdate(received), months)
        previous: dict[int, SupportRequest] = {}
        re_referral = False
        for child in request.children.all():
            for other, outcome in by_child[child.pk]:
                earlier = since <= timezone.localdate(other.received_at) and other.received_at < received
                if other.pk == request.pk or not earlier:
                    continue
                previous[other.pk] = other
                re_referral |= outcome in REFERRAL_OUTCOMES
            # A referral recorded as a child in need episode (before Sightline, or from another route).
            re_referral |= any(since <= d < timezone.localdate(received) for d in referrals[child.pk])
        is_referral = getattr(request, "current_outcome", None) in REFERRAL_OUTCOMES
        result[request.pk] = History(
            tuple(sorted(previous.values(), key=lambda r: r.received_at)), re_referral and is_referral
        )
    return result


def re_referrals(*, since: date, until: date) -> list[tuple[SupportRequest, bool]]:
    """Requests accepted as referrals between two dates, each with whether it was a re-referral: the
    scorecard's measure. Aggregate use only: callers must not show the children."""
    requests = list(
        SupportRequest.objects.filter(received_at__date__gte=since, received_at__date__lte=until)
        .annotate(current_outcome=_current_decision())
        .filter(current_outcome__in=REFERRAL_OUTCOMES)
        .prefetch_related("children")
    )
    found = histories(requests)
    return [(r, found[r.pk].re_referral) for r in requests]


def is_overdue(request: SupportRequest, now: datetime) -> bool:
    if request.decided_at is not None:
        return request.decided_at > request.due_by
    return now > request.due_by


def open_requests_for_child(*, child: Child) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(request_children__child=child, decided_at__isnull=True)


def requests_for_child_filter(child: Child) -> Q:
    return Q(request_children__child=child)
