"""Finding and registering a child: the duplicate search, the national rules, the two ways in, and
the birth of an unborn baby on the same record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessAction, AccessEvent
from accounts.models import Role, Team
from assessments.decision_services import prenatal_checklist_record
from cases.models import Involvement
from conftest import make_child, make_user
from frontdoor.models import SupportRequest
from frontdoor.services import support_request_submit_for_new_child
from people.child_services import child_birth_record
from people.models import Adult, Child, RecordChange
from people.registration_services import NewAddress, NewAdult, child_register, child_register_with_concern
from people.search import person_search, phonetic_key

PRENATAL_NO = dict.fromkeys(
    (
        "substance_use_in_pregnancy",
        "missed_antenatal_care",
        "smoking_in_pregnancy",
        "domestic_abuse_in_pregnancy",
        "previous_children_removed_or_on_plans",
        "concealed_or_late_booked_pregnancy",
    ),
    "no",
)


def _front_door(world):
    return make_user("fd", world.csc, Team.objects.create(agency=world.csc, name="Front Door"), Role.FRONT_DOOR)


def _form(**overrides) -> dict:
    data = {
        "unborn": "born",
        "given_name": "Rosa",
        "family_name": "Quill",
        "date_of_birth": "3 March 2021",
        "sex": "F",
        "ethnicity": "NOBT",
        "first_language": "English",
        "household": "new",
        "address_line": "4 Orchard Row",
        "town": "Westmarch",
        "postcode": "wm3 3cc",
        "purpose": "practitioner",
        "why": "I am the school nurse for her class",
    }
    return {**data, **overrides}


def _register(client, **overrides):
    return client.post(reverse("children:register"), _form(**overrides))


def test_phonetic_key_matches_names_that_sound_alike():
    assert phonetic_key("Ashworth") == phonetic_key("Ashwerth") == "A263"
    assert phonetic_key("Rubi") == phonetic_key("Ruby")
    assert phonetic_key("Zoë") == phonetic_key("Zoe")
    assert phonetic_key("Marsh") != phonetic_key("Ashworth")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "check digit"),
        ({"nhs_number": "12345"}, "nhs_number", "10 digits"),
        ({"upn": "A801200001001"}, "upn", "check letter does not match"),
        ({"former_upn": "A8012"}, "former_upn", "13 characters"),
        ({"date_of_birth": "not a date"}, "date_of_birth", "Enter a real date"),
        (
            {
                "unborn": "unborn",
                "date_of_birth": "",
                "mother": "new",
                "mother_given_name": "Jo",
                "mother_family_name": "Quill",
            },
            "expected_date_of_birth",
            "Enter the expected date of birth",
        ),
    ],
)
def test_register_explains_each_invalid_detail_and_changes_nothing(world, signed_in, overrides, field, message):
    before = (Child.objects.count(), RecordChange.objects.count(), Involvement.objects.count())
    response = _register(signed_in(world.hv), **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "There is a problem" in response.content.decode()
    assert (Child.objects.count(), RecordChange.objects.count(), Involvement.objects.count()) == before


def test_future_birth_and_long_past_expected_date_are_refused_by_the_service(world):
    today = timezone.localdate()
    address = NewAddress("4 Orchard Row", "", "WM3 3CC")
    base = {"given_name": "Rosa", "family_name": "Quill", "sex": "F"}
    with pytest.raises(ValidationError) as future:
        child_register(
            user=world.hv,
            values={**base, "date_of_birth": today + timedelta(days=1)},
            unborn=False,
            why="Health visitor for the family",
            new_address=address,
            today=today,
        )
    assert "today or in the past" in future.value.message_dict["date_of_birth"][0]
    with pytest.raises(ValidationError) as past:
        child_register(
            user=world.hv,
            values={**base, "expected_date_of_birth": today - timedelta(days=40)},
            unborn=True,
            why="Health visitor for the family",
            new_address=address,
            new_mother=NewAdult("Jo", "Quill", None),
            today=today,
        )
    assert "no more than a month ago" in past.value.message_dict["expected_date_of_birth"][0]
    with pytest.raises(ValidationError) as ahead:
        child_register(
            user=world.hv,
            values={**base, "expected_date_of_birth": today + timedelta(days=330)},
            unborn=True,
            why="Health visitor for the family",
            new_address=address,
            new_mother=NewAdult("Jo", "Quill", None),
            today=today,
        )
    assert "within the next 10 months" in ahead.value.message_dict["expected_date_of_birth"][0]
    assert not Child.objects.filter(family_name="Quill").exists()


def test_search_finds_an_nhs_number_exactly_and_a_name_with_a_typo(world):
    by_nhs = person_search(user=world.sw, given_name="", family_name="Zzz", nhs_number="943 476 5919")
    assert [m.child for m in by_nhs.visible] == [world.child]
    typo = person_search(user=world.sw, given_name="Rubi", family_name="Ashwerth")
    assert world.child in [m.child for m in typo.visible]
    assert "similar name" in typo.visible[0].why


def test_search_never_reveals_a_child_the_searcher_cannot_see(world, signed_in):
    world.other_child.nhs_number = "9876543210"
    world.other_child.save()
    client = signed_in(world.sw)
    url = reverse("children:register_search") + "?given_name=&family_name=Marsh&nhs_number=9876543210"
    text = client.get(url).content.decode()
    assert "may already be known to Sightline" in text
    assert "This NHS number is already recorded" in text
    assert str(world.other_child.public_id) not in text
    assert "Leo" not in text and "9 Canal Side" not in text and "4 May 2018" not in text
    events = AccessEvent.objects.filter(user=world.sw, action=AccessAction.SEARCH)
    assert events.count() == 1 and events.get().child_id is None
    # Ruby, whom sw works with, is linked and her view is logged.
    text = client.get(reverse("children:register_search") + "?given_name=Ruby&family_name=Ashworth").content.decode()
    assert reverse("children:detail", args=[world.child.public_id]) in text
    assert AccessEvent.objects.filter(user=world.sw, child=world.child, action=AccessAction.SEARCH).exists()


def test_registering_as_their_practitioner_gives_an_involvement_and_a_first_history_line(world, signed_in):
    client = signed_in(world.hv)
    response = _register(client)
    child = Child.objects.get(family_name="Quill")
    assert response["Location"] == reverse("children:detail", args=[child.public_id])
    involvement = Involvement.objects.get(child=child)
    assert (involvement.practitioner, involvement.team, involvement.started_on) == (
        world.hv,
        world.hv.team,
        timezone.localdate(),
    )
    history = list(RecordChange.objects.filter(child=child).order_by("id"))
    assert history[0].label == "Child registered" and history[0].changed_by == world.hv
    assert history[1].reason == "I am the school nurse for her class"
    assert child.household.postcode == "WM3 3CC" and child.family_key == phonetic_key("Quill")
    assert client.get(reverse("children:detail", args=[child.public_id])).status_code == 200


def test_the_register_page_reveals_each_part_under_the_answer_it_belongs_to(world, signed_in):
    client = signed_in(world.hv)
    page = client.get(reverse("children:register"), {"family_name": "Quill"}).content.decode()
    reveals = (("unborn", "unborn", "expected_date_of_birth"), ("household", "new", "address_line"))
    for radios, value, field in (*reveals, ("purpose", "concern", "concerns")):
        assert f'value="{value}" data-aria-controls="conditional-id_{radios}-{value}"' in page
        conditional = page.split(f'id="conditional-id_{radios}-{value}">', 1)[1].split("govuk-radios__item", 1)[0]
        assert f'id="id_{field}"' in conditional, value
    assert "<script>" not in page  # the Content Security Policy forbids inline scripts
    # An answer already chosen (a page sent back with errors) shows its part without JavaScript.
    page = _register(client, unborn="unborn", given_name="").content.decode()
    assert 'govuk-radios__conditional" id="conditional-id_unborn-unborn"' in page


def test_a_date_still_to_come_from_the_search_is_taken_as_the_expected_date(world, signed_in):
    due = timezone.localdate() + timedelta(days=60)
    page = signed_in(world.hv).get(reverse("children:register"), {"family_name": "Quill", "date_of_birth": str(due)})
    html = page.content.decode()
    assert f'name="expected_date_of_birth" type="text" value="{due}"' in html
    assert 'value="unborn" checked data-aria-controls="conditional-id_unborn-unborn"' in html


def test_a_born_child_records_no_mother_left_in_the_hidden_unborn_part(world, signed_in):
    mother = Adult.objects.get(given_name="Kirsty")
    client = signed_in(world.hv)
    response = _register(client, mother="new", mother_given_name="", mother_family_name="")
    assert response.status_code == 302
    response = _register(client, family_name="Quillon", household=str(mother.household_id), mother=str(mother.pk))
    assert response.status_code == 302
    assert not Child.objects.get(family_name="Quillon").relationships.exists()


def test_registering_with_a_concern_gives_no_involvement_and_the_child_stays_hidden(world, signed_in):
    fd = _front_door(world)
    client = signed_in(world.police)
    response = _register(
        client,
        purpose="concern",
        concerns="Seen alone in the park late at night.",
        consent="not_sought",
        consent_note="Asking could put her at risk.",
        tried="Nothing yet.",
        urgency="urgent",
        why="",
    )
    assert response["Location"] == reverse("frontdoor:mine")
    child = Child.objects.get(family_name="Quill")
    assert not Involvement.objects.filter(child=child, practitioner=world.police).exists()
    assert Involvement.objects.filter(child=child, practitioner=fd).exists()
    assert client.get(reverse("children:detail", args=[child.public_id])).status_code == 404
    assert "Rosa Quill" in client.get(reverse("frontdoor:mine")).content.decode()
    assert SupportRequest.objects.get(requested_by=world.police).children.get() == child


def test_a_bad_request_for_a_new_child_changes_nothing(world, signed_in):
    _front_door(world)
    before = (Child.objects.count(), RecordChange.objects.count(), SupportRequest.objects.count())
    with pytest.raises(ValidationError):
        child_register_with_concern(
            user=world.police,
            values={
                "given_name": "Rosa",
                "family_name": "Quill",
                "date_of_birth": timezone.localdate() - timedelta(days=900),
            },
            unborn=False,
            concerns="",
            consent="yes",
            tried="",
            urgency="standard",
            new_address=NewAddress("4 Orchard Row", "", ""),
        )
    assert (Child.objects.count(), RecordChange.objects.count(), SupportRequest.objects.count()) == before


def test_a_request_without_a_relationship_is_only_for_a_child_just_registered(world):
    _front_door(world)
    with pytest.raises(PermissionDenied):
        support_request_submit_for_new_child(
            requester=world.outsider,
            child=world.child,
            concerns="Hungry",
            consent="yes",
            tried="None",
            urgency="standard",
        )


def test_analysts_and_administrators_do_not_register(world, signed_in):
    for user in (world.analyst, world.admin):
        assert signed_in(user).get(reverse("children:register_search")).status_code == 404
        with pytest.raises(PermissionDenied):
            child_register(
                user=user,
                values={"given_name": "A", "family_name": "B"},
                unborn=False,
                why="Testing the rule",
                new_address=NewAddress("1 Road", "", ""),
            )


def test_my_children_offers_registering_only_to_those_who_may_register(world, signed_in):
    link = reverse("children:register_search")
    assert link in signed_in(world.hv).get(reverse("children:list")).content.decode()
    admin_page = signed_in(world.admin).get(reverse("children:list"))
    assert admin_page.status_code == 200
    assert link not in admin_page.content.decode()


def test_an_unborn_baby_is_born_on_the_same_record_and_keeps_the_prenatal_checklist(world, signed_in):
    today = timezone.localdate()
    mother = Adult.objects.get(given_name="Kirsty")
    unborn = child_register(
        user=world.hv,
        values={"given_name": "Baby", "family_name": "Ashworth", "expected_date_of_birth": today + timedelta(days=90)},
        unborn=True,
        why="Antenatal contact as the family's health visitor",
        household=world.sibling.household,
        mother=mother,
    )
    assert unborn.relationships.get().adult == mother
    checklist = prenatal_checklist_record(child=unborn, practitioner=world.hv, answers=PRENATAL_NO, notes="")
    client = signed_in(world.hv)
    url = reverse("children:birth", args=[unborn.public_id])
    refused = client.post(
        url,
        {"revision": unborn.revision, "date_of_birth": "", "given_name": "Ivy", "family_name": "Ashworth", "sex": "F"},
    )
    assert "Enter the date of birth" in refused.content.decode()
    born_on = today - timedelta(days=1)
    response = client.post(
        url,
        {
            "revision": unborn.revision,
            "date_of_birth": born_on.isoformat(),
            "given_name": "Ivy",
            "family_name": "Ashworth",
            "sex": "F",
        },
    )
    assert response.status_code == 302
    born = Child.objects.get(pk=unborn.pk)
    assert (born.date_of_birth, born.given_name, born.is_unborn) == (born_on, "Ivy", False)
    checklist.refresh_from_db()
    assert checklist.child_id == born.pk
    history = client.get(reverse("children:history", args=[born.public_id])).content.decode()
    assert "Date of birth" in history and "Birth recorded" in history
    with pytest.raises(Exception, match="already recorded"):
        child_birth_record(
            user=world.hv,
            child=born,
            expected_revision=born.revision,
            date_of_birth=born_on,
            given_name="Ivy",
            family_name="Ashworth",
            sex="F",
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_search_and_register_pages_run_a_bounded_number_of_queries(world, signed_in):
    client = signed_in(world.police)
    search = reverse("children:register_search") + "?given_name=Rubi&family_name=Ashworth&postcode=WM1+1AA"
    register = reverse("children:register") + "?given_name=Rosa&family_name=Quill"
    small = (_queries(client, search), _queries(client, register))
    for index in range(12):
        make_child(world.household, f"Rubie{index}")  # more matches, all in police's household
        make_child(world.other_household, f"Ruby{index}", family_name="Ashworth")  # more hidden matches
        Adult.objects.create(household=world.household, given_name="Extra", family_name=str(index))
    large = (_queries(client, search), _queries(client, register))
    # The search logs one event per visible match shown: a fixed number of other queries besides.
    assert large[0] - min(12, 10) == small[0] - 1
    assert large[1] == small[1]


def test_the_front_door_sees_possible_duplicates_of_a_child_in_its_queue(world, signed_in):
    fd = _front_door(world)
    _register(
        signed_in(world.outsider),
        given_name="Rubie",
        family_name="Ashworth",
        date_of_birth="4 May 2018",
        postcode="WM1 1AA",
        purpose="concern",
        concerns="Seen alone late at night.",
        consent="yes",
        tried="Nothing yet.",
        urgency="urgent",
    )
    made = SupportRequest.objects.get(requested_by=world.outsider)
    text = signed_in(fd).get(reverse("frontdoor:detail", args=[made.pk])).content.decode()
    assert "Possible duplicate records" in text
    assert "may already be known to Sightline" in text
    assert str(world.child.public_id) not in text
