"""Reads for the family page. Children come only from `Child.objects.visible_to(user)`: an adult's
relationship to a child the viewer cannot see is counted, never named."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch

from access.authority import RULES, Act, relations_by_child

from .family_models import ADULT_FLAG_KINDS, Address, ParentalFactor
from .models import Adult, Child, Relationship

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Household


@dataclass
class AdultView:
    adult: Adult
    relationships: list[Relationship] = field(default_factory=list)  # to children the viewer sees
    ended: list[Relationship] = field(default_factory=list)
    hidden_children: int = 0
    current_factors: list[ParentalFactor] = field(default_factory=list)
    ended_factors: list[ParentalFactor] = field(default_factory=list)


def current_factors_of(adult: Adult, rows) -> list[ParentalFactor]:
    """The adult's current factor rows, plus an unsaved row for each older boolean set without one
    (a record written straight to the booleans, before or outside the factor service)."""
    rows = [f for f in rows if f.ended_on is None]
    kinds = {f.kind for f in rows}
    legacy = [ParentalFactor(adult=adult, kind=k) for k in ADULT_FLAG_KINDS if getattr(adult, k) and k not in kinds]
    return rows + legacy


def household_children_visible(*, user: User, household: Household) -> list[Child]:
    return list(Child.objects.visible_to(user).filter(household=household).order_by("date_of_birth", "pk"))


def children_user_may_change(*, user: User, children: list[Child]) -> list[Child]:
    """Of these children, those whose family details the user may change (two queries)."""
    allowed = RULES[Act.FAMILY_EDIT].relations
    relations = relations_by_child(user, children)
    return [c for c in children if relations[c.pk] & allowed]


def factors_prefetch() -> Prefetch:
    return Prefetch("factors", queryset=ParentalFactor.objects.select_related("recorded_by", "agency", "ended_by"))


def family_adults(*, household: Household, visible_ids: set[int]) -> list[AdultView]:
    adults = (
        Adult.objects.filter(household=household)
        .prefetch_related(
            Prefetch("relationships", queryset=Relationship.objects.select_related("child").order_by("child_id")),
            "communication_needs",
            factors_prefetch(),
        )
        .order_by("-lives_in_household", "family_name", "given_name", "pk")
    )
    views = []
    for adult in adults:
        view = AdultView(adult=adult)
        hidden = set()
        for rel in adult.relationships.all():
            if rel.child_id not in visible_ids:
                hidden.add(rel.child_id)
            elif rel.ended_on is None:
                view.relationships.append(rel)
            else:
                view.ended.append(rel)
        view.hidden_children = len(hidden)
        factors = list(adult.factors.all())
        view.current_factors = current_factors_of(adult, factors)
        view.ended_factors = [f for f in factors if f.ended_on is not None]
        views.append(view)
    return views


def address_history(*, household: Household):
    # Unknown dates are the oldest records (from before moves were kept): last, on every database.
    return (
        Address.objects.filter(household=household)
        .select_related("recorded_by")
        .order_by(F("moved_in_on").desc(nulls_last=True), "-id")
    )


def moves_in_last_year(*, household: Household, today: date) -> int:
    """Moves in the twelve months to today: a neglect indicator (instability, and services losing track)."""
    return Address.objects.filter(
        household=household, moved_in_on__gt=today - timedelta(days=365), moved_in_on__lte=today
    ).count()
