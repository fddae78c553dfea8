"""Writes the synthetic partnership produced by demo.generator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from accounts.models import Agency, Team, User
from cases.models import Episode, Involvement
from people.models import Adult, Child, Disability, Household, Relationship

from .generator import PartnershipGenerator

BATCH = 2000


class PartnershipExistsError(Exception):
    pass


@dataclass(frozen=True)
class SeedResult:
    children: int
    households: int
    practitioners: int
    episodes: int
    involvements: int


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
    for chunk in generator.chunks():
        with transaction.atomic():
            Household.objects.bulk_create(chunk.households, batch_size=BATCH)
            Child.objects.bulk_create(chunk.children, batch_size=BATCH)
            Disability.objects.bulk_create(chunk.disabilities, batch_size=BATCH)
            Adult.objects.bulk_create(chunk.adults, batch_size=BATCH)
            Relationship.objects.bulk_create(chunk.relationships, batch_size=BATCH)
            Episode.objects.bulk_create(chunk.episodes, batch_size=BATCH)
            Involvement.objects.bulk_create(chunk.involvements, batch_size=BATCH)
        totals.update(
            children=len(chunk.children),
            households=len(chunk.households),
            episodes=len(chunk.episodes),
            involvements=len(chunk.involvements),
        )
        if progress is not None:
            progress(totals["children"])
    return SeedResult(
        children=totals["children"],
        households=totals["households"],
        practitioners=len(wf.users),
        episodes=totals["episodes"],
        involvements=totals["involvements"],
    )
