"""Changing a child's details: the census fields, a reason for identifying details, stale edits, the
history tab, and bounded queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from people.models import Child, RecordChange


def _post(world, **overrides) -> dict:
    child = Child.objects.get(pk=world.child.pk)
    data = {
        "revision": child.revision,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "nhs_number": child.nhs_number,
        "upn": "",
        "former_upn": "",
        "ethnicity": child.ethnicity,
        "first_language": "English",
        "early_education_two": "not_known",
        "reason": "",
    }
    return {**data, **overrides}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_census_details_are_saved_shown_and_kept_in_the_history(world, signed_in):
    school = Agency.objects.get(kind=AgencyKind.SCHOOL)
    client = signed_in(world.dsl)
    url = reverse("children:edit", args=[world.child.public_id])
    response = client.post(
        url,
        _post(
            world,
            school=school.pk,
            home_educated="on",
            home_educated_since="",
            disabilities=["HEAR", "AUT"],
            early_education_two="taking_up",
        ),
    )
    assert "Enter the date home education started" in response.content.decode()
    response = client.post(
        url,
        _post(
            world,
            school=school.pk,
            disabilities=["HEAR", "AUT"],
            family_hub_registered="on",
            family_hub_registered_on="1 December 2025",
            early_education_two="taking_up",
        ),
    )
    assert response.status_code == 302
    page = client.get(reverse("children:detail", args=[world.child.public_id]), follow=True).content.decode()
    for expected in (
        "Oakfield Primary School",
        "Hearing",
        "Autism",
        "Yes, registered 1 December 2025",
        "Eligible and taking it up",
        "Change",
    ):
        assert expected in page, expected
    labels = set(RecordChange.objects.filter(child=world.child).values_list("label", flat=True))
    assert {"School", "Disability (CIN census codes)", "Registered on"} <= labels


def test_identifying_changes_need_a_reason_in_words(world, signed_in):
    client = signed_in(world.sw)
    url = reverse("children:edit", args=[world.child.public_id])
    response = client.post(url, _post(world, given_name="Rubie"))
    assert "Enter why you are changing the first name" in response.content.decode()
    response = client.post(url, _post(world, given_name="Rubie", reason="xxxx xxxx"))
    assert "Explain why you are changing the first name in words" in response.content.decode()
    assert Child.objects.get(pk=world.child.pk).given_name == "Ruby"
    response = client.post(
        url, _post(world, given_name="Rubie", reason="Her mother spelled it on the birth certificate")
    )
    assert response.status_code == 302
    change = RecordChange.objects.get(child=world.child, field="given_name")
    assert (change.before, change.after, change.reason) == (
        "Ruby",
        "Rubie",
        "Her mother spelled it on the birth certificate",
    )
    assert Child.objects.get(pk=world.child.pk).given_key == "R100"


def test_invalid_identifiers_are_refused(world, signed_in):
    client = signed_in(world.sw)
    url = reverse("children:edit", args=[world.child.public_id])
    text = client.post(url, _post(world, former_upn="A80120000100X", reason="New school sent it")).content.decode()
    assert "former UPN" in text and "There is a problem" in text
    assert Child.objects.get(pk=world.child.pk).former_upn == ""


def test_a_stale_edit_changes_nothing_and_says_why(world, signed_in):
    client = signed_in(world.sw)
    url = reverse("children:edit", args=[world.child.public_id])
    stale = _post(world, first_language="Polish")
    assert client.post(url, _post(world, first_language="Urdu")).status_code == 302
    response = client.post(url, stale)
    assert "Someone else changed these details" in response.content.decode()
    assert Child.objects.get(pk=world.child.pk).first_language == "Urdu"


def test_edit_and_history_pages_run_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.sw)
    edit = reverse("children:edit", args=[world.child.public_id])
    history = reverse("children:history", args=[world.child.public_id])
    client.post(edit, _post(world, first_language="Urdu", disabilities=["VIS"]))
    small = (_queries(client, edit), _queries(client, history))
    for index in range(30):
        client.post(
            edit, _post(world, first_language=f"Language {index}", disabilities=["VIS", "HEAR"][: index % 2 + 1])
        )
    assert RecordChange.objects.filter(child=world.child).count() > 30
    assert (_queries(client, edit), _queries(client, history)) == small
    assert _queries(client, history + "?page=2") == small[1]
