"""Test helpers: a front-door team for the `world` fixture, built in each test that needs it so the
shared fixture and its access-matrix expectations stay unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.models import Role, Team, User
from conftest import World, involve, make_user
from frontdoor.models import Consent, SupportRequest, Urgency
from frontdoor.services import support_request_submit
from people.models import Child


@dataclass
class FrontDoor:
    team: Team
    manager: User
    practitioner: User


def front_door(world: World) -> FrontDoor:
    existing = Team.objects.filter(name="Front Door (MASH)").first()
    if existing is not None:
        return FrontDoor(existing, existing.manager, existing.members.get(role=Role.FRONT_DOOR))
    team = Team.objects.create(agency=world.csc, name="Front Door (MASH)")
    manager = make_user("mash_manager", world.csc, team, Role.TEAM_MANAGER)
    team.manager = manager
    team.save()
    practitioner = make_user("frontdoor", world.csc, team, Role.FRONT_DOOR, email="frontdoor@example.org")
    return FrontDoor(team, manager, practitioner)


def submit(
    world: World,
    *,
    child: Child | None = None,
    requester: User | None = None,
    siblings=(),
    urgency: str = Urgency.STANDARD,
    now: datetime | None = None,
) -> SupportRequest:
    front_door(world)
    requester = requester or world.dsl
    child = child or world.child
    # A requester works with every child they name: the school knows the brothers and sisters too.
    for named in [child, *siblings]:
        if not Child.objects.involved_with(requester).filter(pk=named.pk).exists():
            involve(requester, child=named)
    return support_request_submit(
        requester=requester,
        child=child,
        siblings=siblings,
        concerns="Ruby has come to school hungry and in the same clothes all week.",
        consent=Consent.YES,
        tried="Breakfast club place offered; mother did not take it up.",
        urgency=urgency,
        now=now,
    )
