"""Reads for children and households. Every one starts from `Child.objects.visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from cases.models import Episode

from .models import Child, Relationship

if TYPE_CHECKING:
    from accounts.models import User


def _current_level_subquery(on: date) -> Subquery:
    open_episodes = Episode.objects.filter(child=OuterRef("pk"), started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )
    return Subquery(open_episodes.order_by("-started_on", "-id").values("level")[:1])


def children_for_user(*, user: User, search: str = "", on: date) -> QuerySet[Child]:
    """The children this user may see, optionally narrowed by a name, NHS number or UPN search."""
    children = Child.objects.visible_to(user)
    search = search.strip()
    if search:
        compact = search.replace(" ", "")
        if compact.isdigit() and len(compact) == 10:
            children = children.filter(nhs_number=compact)
        elif len(compact) == 13 and compact[0].isalpha() and compact[1:12].isdigit():
            children = children.filter(upn__iexact=compact)
        else:
            for word in search.split():
                children = children.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return children.annotate(current_level=_current_level_subquery(on)).order_by("family_name", "given_name", "pk")


def child_for_user(*, user: User, public_id) -> Child:
    """One visible child, or 404: an invisible child is indistinguishable from one that does not exist."""
    try:
        return (
            Child.objects.visible_to(user).select_related("household", "school", "gp_practice").get(public_id=public_id)
        )
    except (Child.DoesNotExist, ValueError) as exc:
        raise Http404("No child found") from exc


@dataclass(frozen=True)
class Sibling:
    child: Child
    visible: bool


def household_relationships(*, child: Child) -> list[Relationship]:
    """The child's current relationships, each adult with their current factors (and who recorded them)."""
    from .family_models import ParentalFactor

    current_factors = ParentalFactor.objects.filter(ended_on__isnull=True).select_related("recorded_by", "agency")
    from .family_selectors import current_factors_of

    relationships = list(
        Relationship.objects.filter(child=child, ended_on__isnull=True)
        .select_related("adult")
        .prefetch_related(Prefetch("adult__factors", queryset=current_factors, to_attr="factor_rows"))
        .order_by("-is_main_carer", "adult__family_name")
    )
    for rel in relationships:
        rel.adult.current_factors = current_factors_of(rel.adult, rel.adult.factor_rows)
    return relationships


def siblings_of(*, child: Child, user: User) -> list[Sibling]:
    """Other children of the household. Names are part of this child's household record; a link to
    a sibling's own record is offered only when the user may see it."""
    others = list(
        Child.objects.filter(household_id=child.household_id).exclude(pk=child.pk).order_by("date_of_birth", "pk")
    )
    visible_ids = set(Child.objects.visible_to(user).filter(pk__in=[o.pk for o in others]).values_list("pk", flat=True))
    return [Sibling(child=o, visible=o.pk in visible_ids) for o in others]
