"""Writes the synthetic partnership produced by demo.generator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from access.services import emergency_access_open
from accounts.models import Agency, Team, User
from cases.models import Episode, Involvement
from people.family_models import ADULT_FLAG_KINDS, Address, ParentalFactor
from people.models import Adult, Child, Disability, Household, Relationship
from people.search import phonetic_key

from .enrichment import enrich
from .generator import PartnershipGenerator

BATCH = 2000


def _family_rows(households: list[Household], adults: list[Adult]) -> None:
    """Each household's current address and each adult's factors as rows, as the product keeps them
    (the generator sets the older booleans; nobody is named as recorder for made-up history)."""
    Address.objects.bulk_create(
        [Address(household=h, address_line=h.address_line, town=h.town, postcode=h.postcode) for h in households],
        batch_size=BATCH,
    )
    factors = [ParentalFactor(adult=a, kind=kind) for a in adults for kind in ADULT_FLAG_KINDS if getattr(a, kind)]
    ParentalFactor.objects.bulk_create(factors, batch_size=BATCH)


class PartnershipExistsError(Exception):
    pass


@dataclass(frozen=True)
class SeedResult:
    children: int
    households: int
    practitioners: int
    episodes: int
    involvements: int
    enriched: dict[str, int]


def _emergency_access_to_review(manager: User, child: Child) -> None:
    """One emergency access by a member of the demo manager's team, so the review list has work."""
    colleague = User.objects.filter(team__manager=manager, role="social_worker").exclude(username="sw.demo").first()
    if colleague is None or Child.objects.visible_to(colleague).filter(pk=child.pk).exists():
        return
    emergency_access_open(
        user=colleague,
        child=child,
        reason="Police called out of hours: children reported home alone; checking history before the visit.",
    )


def partnership_exists() -> bool:
    return User.objects.filter(username="sw.demo").exists() or Child.objects.exists()


def partnership_seed(*, children: int, seed: int, as_of: date, progress=None) -> SeedResult:
    """Builds the demo partnership in an empty database. Each chunk commits on its own, so a
    county-sized run keeps memory flat; a failure part-way leaves earlier chunks, so the command
    is meant for a fresh database (a re-run refuses to add to existing data)."""
    if partnership_exists():
        raise PartnershipExistsError("This database already holds a partnership. Use a fresh database.")
    generator = PartnershipGenerator(children=children, seed=seed, as_of=as_of)
    wf = generator.workforce
    with transaction.atomic():
        Agency.objects.bulk_create(wf.agencies, batch_size=BATCH)
        Team.objects.bulk_create(wf.teams, batch_size=BATCH)
        User.objects.bulk_create(wf.users, batch_size=BATCH)
        for index, manager in wf.team_managers.items():
            wf.teams[index].manager = manager
        Team.objects.bulk_update(wf.teams, ["manager"], batch_size=BATCH)
    totals: Counter[str] = Counter()
    last_child: Child | None = None
    for chunk in generator.chunks():
        with transaction.atomic():
            Household.objects.bulk_create(chunk.households, batch_size=BATCH)
            for child in chunk.children:  # bulk_create skips Child.save, which keeps the search's name keys
                child.family_key, child.given_key = phonetic_key(child.family_name), phonetic_key(child.given_name)
            Child.objects.bulk_create(chunk.children, batch_size=BATCH)
            Disability.objects.bulk_create(chunk.disabilities, batch_size=BATCH)
            Adult.objects.bulk_create(chunk.adults, batch_size=BATCH)
            _family_rows(chunk.households, chunk.adults)
            Relationship.objects.bulk_create(chunk.relationships, batch_size=BATCH)
            Episode.objects.bulk_create(chunk.episodes, batch_size=BATCH)
            Involvement.objects.bulk_create(chunk.involvements, batch_size=BATCH)
        totals.update(
            children=len(chunk.children),
            households=len(chunk.households),
            episodes=len(chunk.episodes),
            involvements=len(chunk.involvements),
        )
        last_child = chunk.children[-1]
        if progress is not None:
            progress(totals["children"])
    if last_child is not None:
        _emergency_access_to_review(wf.personas["tm.demo"], last_child)
    enriched = enrich(as_of=as_of, seed=seed)
    return SeedResult(
        children=totals["children"],
        households=totals["households"],
        practitioners=len(wf.users),
        episodes=totals["episodes"],
        involvements=totals["involvements"],
        enriched=dict(enriched),
    )
