"""The drift view, the evidence page and supervision pages: who sees what, access events, query pins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessEvent
from cases.models import Episode, InvolvementRole
from conftest import World, involve, make_child, sign_in
from drift.models import FlagClearance, Supervision, SupervisionAction
from drift.tests.factories import make_plan
from people.models import Child, Household


def _long_cin(child: Child, months: int = 7) -> Episode:
    return Episode.objects.create(
        child=child, level="cin", started_on=timezone.localdate() - timedelta(days=31 * months)
    )


@pytest.fixture
def drifting(world: World) -> Child:
    """A child on sw's caseload whose child in need plan passed 6 months."""
    child = make_child(world.household, "Mia")
    involve(world.sw, child=child, role=InvolvementRole.SOCIAL_WORKER)
    _long_cin(child)
    make_plan(child, world.sw, plan_type="cin", started_on=timezone.localdate() - timedelta(days=220))
    return child


def test_the_manager_sees_the_teams_drift_with_evidence_links(world: World, drifting: Child, client) -> None:
    sign_in(client, world.tm)
    before = AccessEvent.objects.count()
    response = client.get(reverse("drift:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mia Ashworth" in body
    assert "Child in need plan open more than 6 months" in body
    assert reverse("drift:child", args=[drifting.public_id]) in body
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("at")
    assert event.action == "list" and "Drift view" in event.detail


def test_a_practitioner_sees_only_their_caseload(world: World, drifting: Child, client) -> None:
    other = make_child(world.other_household, "Noah")
    involve(world.other_sw, child=other, role=InvolvementRole.SOCIAL_WORKER)
    _long_cin(other)
    sign_in(client, world.other_sw)
    body = client.get(reverse("drift:list")).content.decode()
    assert "Noah" in body and "Mia" not in body
    sign_in(client, world.sw)
    body = client.get(reverse("drift:list")).content.decode()
    assert "Mia" in body and "Noah" not in body


def test_the_view_sorts_by_age_rule_or_child(world: World, drifting: Child, client) -> None:
    older = make_child(world.household, "Zara")
    involve(world.sw, child=older, role=InvolvementRole.SOCIAL_WORKER)
    _long_cin(older, months=20)
    sign_in(client, world.tm)
    by_age = client.get(reverse("drift:list")).content.decode()
    assert by_age.index("Zara") < by_age.index("Mia Ashworth")
    by_child = client.get(reverse("drift:list") + "?sort=child").content.decode()
    assert by_child.index("Mia Ashworth") < by_child.index("Zara")
    assert client.get(reverse("drift:list") + "?sort=nonsense").status_code == 200


def test_a_cleared_flag_is_hidden_from_the_view_and_explained_on_the_evidence_page(
    world: World, drifting: Child, client
) -> None:
    today = timezone.localdate()
    sign_in(client, world.tm)
    response = client.post(
        reverse("drift:supervision_new", args=[drifting.public_id]),
        {
            "held_on": today.isoformat(),
            "supervisee": world.sw.pk,
            "reflections": "Mia is settled at school; the plan has done what it can.",
            "decisions": "Step down to early help at the review next month.",
            "action_1_description": "Arrange the step-down meeting",
            "action_1_owner": world.sw.pk,
            "action_1_due": (today + timedelta(days=14)).isoformat(),
            "clear_rule": "cin_long",
            "cleared_until": (today + timedelta(days=30)).isoformat(),
            "clear_reason": "Step-down agreed; review booked for next month",
        },
    )
    supervision = Supervision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("drift:supervision_detail", args=[drifting.public_id, supervision.pk])
    assert SupervisionAction.objects.get().owner == world.sw
    clearance = FlagClearance.objects.get()
    assert clearance.rule_code == "cin_long" and clearance.cleared_by == world.tm
    view = client.get(reverse("drift:list")).content.decode()
    assert "Child in need plan open more than 6 months" not in view.split("Drift flags")[-1]
    evidence = client.get(reverse("drift:child", args=[drifting.public_id])).content.decode()
    assert "Cleared until" in evidence and "Step-down agreed; review booked for next month" in evidence
    # The practitioner supervised can read it too.
    sign_in(client, world.sw)
    assert client.get(reverse("drift:supervision_detail", args=[drifting.public_id, supervision.pk])).status_code == 200


def test_the_supervision_form_explains_what_is_wrong(world: World, drifting: Child, client) -> None:
    today = timezone.localdate()
    sign_in(client, world.tm)
    url = reverse("drift:supervision_new", args=[drifting.public_id])
    response = client.post(url, {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    for message in ("Enter the date of the supervision", "Choose the practitioner you supervised"):
        assert message in body
    response = client.post(
        url,
        {
            "held_on": today.isoformat(),
            "supervisee": world.sw.pk,
            "reflections": "r",
            "decisions": "d",
            "action_2_description": "Visit",
            "clear_rule": "cin_long",
            "cleared_until": (today + timedelta(days=400)).isoformat(),
            "clear_reason": "Because",
        },
    )
    body = response.content.decode()
    assert "Choose who owns action 2" in body and "Enter when action 2 is due" in body
    assert Supervision.objects.count() == 0
    response = client.post(
        url,
        {
            "held_on": today.isoformat(),
            "supervisee": world.sw.pk,
            "reflections": "r",
            "decisions": "d",
            "clear_rule": "cin_long",
            "cleared_until": (today + timedelta(days=400)).isoformat(),
            "clear_reason": "Step-down agreed at review",
        },
    )
    assert "A flag can be cleared for at most 183 days" in response.content.decode()
    assert Supervision.objects.count() == 0


def test_supervisees_are_only_the_managers_practitioners_involved_with_the_child(
    world: World, drifting: Child, client
) -> None:
    sign_in(client, world.tm)
    response = client.post(
        reverse("drift:supervision_new", args=[drifting.public_id]),
        {
            "held_on": timezone.localdate().isoformat(),
            "supervisee": world.other_sw.pk,
            "reflections": "r",
            "decisions": "d",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert Supervision.objects.count() == 0


def test_practitioners_cannot_record_supervision(world: World, drifting: Child, client) -> None:
    sign_in(client, world.sw)
    assert client.get(reverse("drift:supervision_new", args=[drifting.public_id])).status_code == 404


def test_the_drift_view_runs_a_fixed_number_of_queries(world: World, client) -> None:
    sign_in(client, world.tm)

    def grow(n: int) -> None:
        for i in range(n):
            household = Household.objects.create(address_line=f"{i} Long Row")
            child = make_child(household, f"Kid{i}")
            involve(world.sw, household=household, role=InvolvementRole.SOCIAL_WORKER)
            _long_cin(child)
            make_plan(child, world.sw, started_on=timezone.localdate() - timedelta(days=300))

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    grow(2)
    small = count(reverse("drift:list"))
    grow(30)  # more than a page
    assert count(reverse("drift:list")) == small
    assert count(reverse("drift:list") + "?page=2") == small


def test_the_evidence_page_runs_a_fixed_number_of_queries(world: World, drifting: Child, client) -> None:
    sign_in(client, world.tm)
    url = reverse("drift:child", args=[drifting.public_id])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(5):
        _long_cin(drifting)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first.captured_queries) == len(second.captured_queries)


def _supervise(world: World, child: Child, n: int) -> Supervision:
    from drift.services import ActionInput, ClearanceInput, supervision_record

    today = timezone.localdate()
    last = None
    for i in range(n):
        last = supervision_record(
            child=child,
            supervisor=world.tm,
            supervisee=world.sw,
            held_on=today - timedelta(days=i),
            reflections=f"Reflection {i}",
            decisions=f"Decision {i}",
            actions=[ActionInput(f"Action {i}", world.sw, today + timedelta(days=i))],
            clearance=ClearanceInput("cin_long", today + timedelta(days=10), "Step-down agreed at the review meeting"),
            today=today,
        )
    return last


@pytest.mark.parametrize("page", ["supervision_list", "supervision_new", "child"])
def test_child_drift_pages_run_a_fixed_number_of_queries(world: World, drifting: Child, client, page: str) -> None:
    sign_in(client, world.tm)
    url = reverse(f"drift:{page}", args=[drifting.public_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _supervise(world, drifting, 1)
    small = count()
    _supervise(world, drifting, 30)
    assert count() == small


def test_the_supervision_record_runs_a_fixed_number_of_queries(world: World, drifting: Child, client) -> None:
    sign_in(client, world.sw)
    supervision = _supervise(world, drifting, 1)
    url = reverse("drift:supervision_detail", args=[drifting.public_id, supervision.pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    from drift.models import SupervisionAction

    SupervisionAction.objects.bulk_create(
        SupervisionAction(supervision=supervision, description=f"More {i}", owner=world.sw, due_on=timezone.localdate())
        for i in range(10)
    )
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(first.captured_queries) == len(second.captured_queries)


@pytest.mark.parametrize(("persona", "shown"), [("tm", True), ("sw", True), ("analyst", False), ("admin", False)])
def test_the_drift_navigation_item(world: World, client, persona: str, shown: bool) -> None:
    sign_in(client, world.persona(persona))
    response = client.get(reverse("reminders:list"))
    assert (f'href="{reverse("drift:list")}"' in response.content.decode()) is shown
