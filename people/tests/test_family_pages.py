"""The family pages: what they show (and never show), refusals, forms that explain, bounded queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessEvent, EmergencyAccess
from conftest import World, make_child
from people.family_models import Address, FactorKind, ParentalFactor
from people.models import Adult, Household, RecordChange, Relationship

pytestmark = pytest.mark.django_db


def url(world: World, name: str, *args, child=None) -> str:
    return reverse(f"children:{name}", args=[(child or world.child).public_id, *args])


def mother(world: World) -> Adult:
    return Adult.objects.get(household=world.household, given_name="Kirsty")


def test_the_family_page_never_names_a_child_the_viewer_cannot_see(world: World, signed_in) -> None:
    client = signed_in(world.hv)  # works with Alfie only
    before = AccessEvent.objects.count()
    text = client.get(url(world, "family", child=world.sibling)).content.decode()
    assert "Alfie Ashworth" in text and "Kirsty Ashworth" in text
    assert "Ruby" not in text
    assert "and 1 other child whose record you cannot see" in text
    assert "related to 1 other child" in text
    events = list(AccessEvent.objects.order_by("id")[before:])
    assert [e.child_id for e in events] == [world.sibling.pk]


def test_the_family_page_shows_moves_factors_and_who_recorded_them(world: World, signed_in) -> None:
    today = timezone.localdate()
    Address.objects.create(
        household=world.household,
        address_line="2 Old Road",
        moved_in_on=today - timedelta(days=400),
        moved_out_on=today - timedelta(days=30),
    )
    Address.objects.create(
        household=world.household, address_line="1 Mill Lane", moved_in_on=today - timedelta(days=30)
    )
    ParentalFactor.objects.create(
        adult=mother(world),
        kind=FactorKind.MENTAL_HEALTH,
        recorded_by=world.dsl,
        agency=world.dsl.agency,
        note="Anxiety, GP aware",
    )
    client = signed_in(world.sw)
    text = client.get(url(world, "family")).content.decode()
    assert "1 move in the last 12 months" in text and "2 Old Road" in text
    assert "recorded by" in text and "Oakfield Primary School" in text and "Anxiety, GP aware" in text
    record = client.get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert "Anxiety, GP aware" in record and reverse("children:family", args=[world.child.public_id]) in record


def test_readers_get_a_refusal_and_strangers_a_404(world: World, signed_in, client) -> None:
    EmergencyAccess.objects.create(
        user=world.outsider,
        child=world.child,
        reason="Police found the children alone",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    signed_in(world.outsider)
    assert client.get(url(world, "family")).status_code == 200
    for name, args in [
        ("family_move", ()),
        ("family_adult_new", ()),
        ("family_factor_new", (mother(world).pk,)),
        ("family_relationship_new", (mother(world).pk,)),
    ]:
        response = client.get(url(world, name, *args))
        assert response.status_code == 403, name
        assert "emergency access lets you read" in response.content.decode()
    assert (
        client.post(
            url(world, "family_adult_new"), {"given_name": "A", "family_name": "B", "lives_in_household": "yes"}
        ).status_code
        == 403
    )
    assert Adult.objects.filter(household=world.household).count() == 1
    signed_in(world.other_sw)
    assert client.get(url(world, "family_move")).status_code == 404
    # An adult of another household is not found through this child.
    other = Adult.objects.create(household=world.other_household, given_name="Zed", family_name="Marsh")
    signed_in(world.sw)
    assert client.get(url(world, "family_adult_edit", other.pk)).status_code == 404


def test_a_move_form_explains_every_problem_and_saves_nothing(world: World, signed_in) -> None:
    client = signed_in(world.sw)
    revision = Household.objects.get(pk=world.household.pk).revision
    cases = [
        ({"address_line": "", "moved_in_on": "2025-12-01"}, "Enter the first line of the new address"),
        ({"address_line": "4 Weir St", "moved_in_on": ""}, "Enter the date they moved"),
        ({"address_line": "4 Weir St", "moved_in_on": "31 February 2025"}, "as a real date"),
        ({"address_line": "4 Weir St", "moved_in_on": "2025-12-01", "postcode": "NOT A CODE"}, "Enter a real postcode"),
        (
            {"address_line": "4 Weir St", "moved_in_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "today or in the past",
        ),
    ]
    for data, message in cases:
        response = client.post(url(world, "family_move"), {"revision": revision, **data})
        text = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in text and message in text, message
    assert not Address.objects.exists() and not RecordChange.objects.exists()
    response = client.post(
        url(world, "family_move"),
        {
            "revision": revision,
            "address_line": "4 Weir Street",
            "postcode": "wm3 3cc",
            "moved_in_on": "1 December 2025",
        },
        follow=True,
    )
    assert "Move to 4 Weir Street recorded" in response.content.decode()
    assert Address.objects.get().moved_in_on == date(2025, 12, 1)


def test_a_stale_adult_edit_is_refused_on_the_page(world: World, signed_in) -> None:
    client = signed_in(world.sw)
    adult = mother(world)
    data = {
        "given_name": "Kirsty",
        "family_name": "Ashworth",
        "lives_in_household": "yes",
        "language": "Polish",
        "interpreter_needed": "on",
        "communication_needs": ["easy_read"],
        "revision": adult.revision,
    }
    Adult.objects.filter(pk=adult.pk).update(revision=adult.revision + 1)  # someone else saved meanwhile
    response = client.post(url(world, "family_adult_edit", adult.pk), data)
    assert "Someone else changed these details" in response.content.decode()
    data["revision"] = adult.revision + 1
    response = client.post(url(world, "family_adult_edit", adult.pk), data, follow=True)
    assert "Kirsty Ashworth&#x27;s details saved" in response.content.decode()
    adult.refresh_from_db()
    assert (adult.language, adult.interpreter_language) == ("Polish", "Polish")


def test_the_relationship_form_offers_only_children_the_viewer_may_change(world: World, signed_in) -> None:
    client = signed_in(world.dsl)  # the school works with Ruby, not Alfie
    response = client.get(url(world, "family_relationship_new", mother(world).pk))
    assert list(response.context["form"].fields["child"].choices) == [(str(world.child.public_id), "Ruby Ashworth")]
    response = client.post(
        url(world, "family_relationship_new", mother(world).pk),
        {"child": str(world.sibling.public_id), "kind": "mother", "parental_responsibility": "yes"},
    )
    assert "Choose a child from the list" in response.content.decode()
    assert not Relationship.objects.filter(child=world.sibling).exists()


def _grow(world: World, n: int, *, with_children: bool = False) -> None:
    today = timezone.localdate()
    for i in range(n):
        adult = Adult.objects.create(
            household=world.household, given_name=f"Extra{i}", family_name="Ashworth", domestic_abuse=True
        )
        Relationship.objects.create(child=world.child, adult=adult, kind="other")
        Relationship.objects.create(child=world.sibling, adult=adult, kind="other")
        ParentalFactor.objects.create(
            adult=adult, kind=FactorKind.INCARCERATION, recorded_by=world.sw, agency=world.sw.agency
        )
        adult.communication_needs.create(kind="easy_read")
        Address.objects.create(
            household=world.household,
            address_line=f"{i} Lane",
            moved_in_on=today - timedelta(days=i + 1),
            moved_out_on=today - timedelta(days=i),
        )
        if with_children:
            make_child(world.household, f"Sib{i}")


def _count(client, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "name",
    ["family", "family_move", "family_adult_new", "family_adult_edit", "family_relationship_new", "family_factor_new"],
)
def test_family_pages_run_a_bounded_number_of_queries(world: World, signed_in, name: str) -> None:
    client = signed_in(world.police)  # sees the whole household
    args = () if name in {"family", "family_move", "family_adult_new"} else (mother(world).pk,)
    _grow(world, 2)
    small = _count(client, url(world, name, *args))
    _grow(world, 6)
    assert _count(client, url(world, name, *args)) == small


def test_each_child_shown_costs_only_its_access_event(world: World, signed_in) -> None:
    """The one write per child shown that the access log requires (its basis and its row), no more."""
    client = signed_in(world.police)
    _grow(world, 2, with_children=True)
    base = _count(client, url(world, "family"))
    _grow(world, 1, with_children=True)
    one = _count(client, url(world, "family")) - base
    _grow(world, 4, with_children=True)
    assert _count(client, url(world, "family")) - base == 5 * one and one <= 2
