from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import AccessAction, AccessEvent
from cases.models import Episode
from conftest import involve, make_child
from people.models import Adult, Disability, Household, Relationship


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_child_record_shows_identity_household_history_and_practitioners(world, signed_in):
    Disability.objects.create(child=world.child, code="AUT")
    text = signed_in(world.sw).get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    for expected in [
        "Ruby Ashworth",
        "943",
        "Autism",
        "Kirsty Ashworth",
        "Mental health difficulties",
        "has parental responsibility",
        "Alfie Ashworth",
        "Child protection",
        "Neglect",
        "Children&#x27;s Social Care",
        "Police",
        "allocated social worker",
    ]:
        assert expected in text, expected


def test_sibling_is_named_but_linked_only_when_visible(world, signed_in):
    sibling_url = reverse("children:detail", args=[world.sibling.public_id])
    as_sw = signed_in(world.sw).get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert "Alfie Ashworth" in as_sw and sibling_url not in as_sw
    as_police = signed_in(world.police).get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert sibling_url in as_police


def test_unborn_child_shows_expected_date(world, signed_in):
    unborn = make_child(world.household, "Baby", born=None, expected_date_of_birth=date(2027, 2, 1))
    text = signed_in(world.police).get(reverse("children:detail", args=[unborn.public_id])).content.decode()
    assert "Unborn child" in text and "Expected date of birth" in text


def test_invisible_and_unknown_children_are_the_same_404(world, signed_in):
    client = signed_in(world.sw)
    hidden = client.get(reverse("children:detail", args=[world.other_child.public_id]))
    unknown = client.get("/children/00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == unknown.status_code == 404
    assert client.get(f"/children/{world.child.pk}/").status_code == 404  # no sequential ids in URLs


def test_search_finds_only_within_visible_children(world, signed_in):
    client = signed_in(world.police)
    assert "Ruby Ashworth" in client.get(reverse("children:list"), {"q": "ruby"}).content.decode()
    assert "Ruby Ashworth" in client.get(reverse("children:list"), {"q": "943 476 5919"}).content.decode()
    text = client.get(reverse("children:list"), {"q": "Leo"}).content.decode()
    assert "Leo Marsh" not in text and "No child you are working with matches" in text
    event = AccessEvent.objects.filter(user=world.police).latest("id")
    assert event.action == AccessAction.SEARCH and event.detail == "Search: Leo"


def _more_children(world, households: int) -> None:
    for index in range(households):
        household = Household.objects.create(address_line=f"{index} Orchard Close")
        adult = Adult.objects.create(household=household, given_name="Sam", family_name="Roe", substance_misuse=True)
        for name in ("Ava", "Max", "Ivy"):
            child = make_child(household, name, family_name=f"Roe{index}")
            Relationship.objects.create(child=child, adult=adult, kind="mother")
            Episode.objects.create(
                child=child, level="cin", started_on=date(2025, 1, 1), referral_date=date(2025, 1, 1)
            )
            Disability.objects.create(child=child, code="LD")
        involve(world.police, household=household)


def test_my_children_runs_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.police)
    small = count_queries(client, reverse("children:list"))
    _more_children(world, 20)
    assert count_queries(client, reverse("children:list")) == small
    assert count_queries(client, reverse("children:list") + "?page=2") == small


def test_child_record_runs_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.police)
    url = reverse("children:detail", args=[world.child.public_id])
    small = count_queries(client, url)
    for index in range(15):
        make_child(world.household, f"Sib{index}")
        adult = Adult.objects.create(household=world.household, given_name="Extra", family_name=str(index))
        Relationship.objects.create(child=world.child, adult=adult, kind="other")
        Episode.objects.create(
            child=world.child, level="early_help", started_on=date(2020, 1, index + 1), ended_on=date(2020, 3, 1)
        )
        involve(world.hv, child=world.child)
    assert count_queries(client, url) == small
    # 16, plus the signals section, the header's unread-notifications count, the two authority
    # queries that decide whether the details show "Change" links, the merge history and the
    # adults' factor rows.
    assert small <= 22


def test_access_log_paginates_with_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.tm)
    url = reverse("children:access_log", args=[world.child.public_id])
    small = count_queries(client, url)
    for _ in range(60):
        signed_in(world.sw).get(reverse("children:detail", args=[world.child.public_id]))
    client = signed_in(world.tm)
    assert count_queries(client, url) == small
    text = client.get(url).content.decode()
    assert "Involved: allocated social worker" in text and "Next" in text
