"""The authority rule's own behaviour: its cost, its messages, and 'at least one' for household writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.authority import Act, NotAuthorised, Relation, authorise, relations_by_child
from access.models import EmergencyAccess
from cases.models import InvolvementRole
from conftest import World, involve, make_child


def test_relations_cost_two_queries_whatever_the_number_of_children(world: World) -> None:
    with CaptureQueriesContext(connection) as one:
        relations_by_child(world.sw, [world.child])
    many = [make_child(world.household, f"Child {i}") for i in range(12)]
    with CaptureQueriesContext(connection) as twelve:
        relations_by_child(world.sw, many)
    assert len(one) == len(twelve) == 2


def test_an_ended_or_future_involvement_gives_no_authority(world: World) -> None:
    involve(
        world.eh, child=world.child, role=InvolvementRole.LEAD, started_on=date(2025, 1, 1), ended_on=date(2025, 6, 1)
    )
    involve(world.outsider, child=world.child, started_on=timezone.localdate() + timedelta(days=1))
    assert relations_by_child(world.eh, [world.child])[world.child.pk] == frozenset()
    assert relations_by_child(world.outsider, [world.child])[world.child.pk] == frozenset()
    today = timezone.localdate() + timedelta(days=2)
    assert relations_by_child(world.outsider, [world.child], today=today)[world.child.pk] == {Relation.CONTRIBUTOR}


def test_emergency_access_is_a_relation_only_when_there_is_no_other(world: World) -> None:
    EmergencyAccess.objects.create(
        user=world.dsl,
        child=world.child,
        reason="Checking on her after the fire alarm",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert relations_by_child(world.dsl, [world.child])[world.child.pk] == {Relation.CONTRIBUTOR}


def test_the_refusal_says_why_without_naming_a_hidden_child(world: World) -> None:
    with pytest.raises(NotAuthorised) as one:
        authorise(user=world.dsl, act=Act.PLAN_CLOSE, children=[world.child])
    assert str(one.value.args[0]).startswith("You cannot step up, step down or close this plan: only the lead")
    with pytest.raises(NotAuthorised) as hidden:
        authorise(user=world.dsl, act=Act.VOICE_ADD, children=[world.child, world.sibling])
    assert "a child whose record you cannot see" in hidden.value.args[0]
    assert world.sibling.given_name not in hidden.value.args[0]
    with pytest.raises(NotAuthorised, match="analysts work from aggregates"):
        authorise(user=world.analyst, act=Act.CHRONOLOGY_RECORD, children=[world.child])


def test_at_least_one_child_is_enough_only_when_asked(world: World) -> None:
    authorise(user=world.dsl, act=Act.ASSESSMENT_CONTRIBUTE, children=[world.child, world.sibling], every=False)
    with pytest.raises(NotAuthorised):
        authorise(user=world.dsl, act=Act.ASSESSMENT_CONTRIBUTE, children=[world.child, world.sibling])
    with pytest.raises(NotAuthorised):
        authorise(user=world.dsl, act=Act.ASSESSMENT_CONTRIBUTE, children=[], every=False)
