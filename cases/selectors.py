"""Reads for a child's involvement history. Callers pass a child already read through visible_to."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from people.models import Child

from .models import Episode, Involvement, Level


def episodes_for_child(*, child: Child) -> list[Episode]:
    return list(Episode.objects.filter(child=child).order_by("-started_on", "-id"))


def current_level(*, episodes: list[Episode], on: date) -> str | None:
    """The highest open level on `on` (a child protection plan outranks early help, and so on)."""
    order = [Level.UNIVERSAL, Level.EARLY_HELP, Level.CHILD_IN_NEED, Level.CHILD_PROTECTION, Level.LOOKED_AFTER]
    open_levels = [e.level for e in episodes if e.started_on <= on and (e.ended_on is None or e.ended_on >= on)]
    if not open_levels:
        return None
    return max(open_levels, key=order.index)


def involved_practitioners_by_agency(*, child: Child, on: date) -> dict[str, list[Involvement]]:
    """Active involvements with the child or their household, grouped by agency name."""
    involvements = (
        Involvement.objects.active(on)
        .filter(Q(child=child) | Q(household_id=child.household_id))
        .select_related("practitioner", "practitioner__agency", "team", "team__agency")
        .order_by("team__agency__name", "practitioner__last_name")
    )
    grouped: dict[str, list[Involvement]] = defaultdict(list)
    for involvement in involvements:
        grouped[involvement.team.agency.name].append(involvement)
    return dict(grouped)
