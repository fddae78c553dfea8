from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from access.selectors import emergency_accesses_to_review
from accounts.models import User
from cases.models import Involvement
from demo.checks import demo_mode_not_in_production
from demo.generator import PartnershipGenerator
from demo.personas import PERSONA_USERNAMES
from demo.services import PartnershipExistsError, partnership_seed
from demo.shape import partnership_shape
from people.models import Child, validate_nhs_number, validate_upn

AS_OF = date(2026, 11, 23)


def fingerprint(children: int, seed: int) -> list[tuple]:
    generator = PartnershipGenerator(children=children, seed=seed, as_of=AS_OF)
    rows = [(u.username, u.role, u.team.name if u.team else "") for u in generator.workforce.users]
    for chunk in generator.chunks(chunk_children=100):
        rows += [
            (str(c.public_id), c.given_name, c.family_name, c.date_of_birth, c.nhs_number, c.upn)
            for c in chunk.children
        ]
        rows += [(str(e.child.public_id), e.level, e.started_on, e.ended_on, e.abuse_category) for e in chunk.episodes]
        rows += [(i.practitioner.username, i.role, i.started_on, i.ended_on) for i in chunk.involvements]
    return rows


def test_same_seed_same_data_and_another_seed_differs():
    assert fingerprint(300, 7) == fingerprint(300, 7)
    assert fingerprint(300, 7) != fingerprint(300, 8)


def test_generated_identifiers_are_valid_and_unique():
    generator = PartnershipGenerator(children=2000, seed=3, as_of=AS_OF)
    children = [c for chunk in generator.chunks() for c in chunk.children]
    assert len(children) == 2000
    nhs = [c.nhs_number for c in children if c.nhs_number]
    assert len(nhs) == len(set(nhs))
    for child in children:
        if child.nhs_number:
            validate_nhs_number(child.nhs_number)
        if child.upn:
            validate_upn(child.upn)
        assert child.date_of_birth or child.expected_date_of_birth


@pytest.mark.django_db
def test_seed_builds_personas_with_caseloads_and_national_shape():
    result = partnership_seed(children=2500, seed=11, as_of=AS_OF)
    assert result.children == Child.objects.count() == 2500
    assert set(PERSONA_USERNAMES) <= set(User.objects.values_list("username", flat=True))
    for username in ("sw.demo", "hv.demo", "dsl.demo", "police.demo", "eh.demo", "tm.demo"):
        assert Child.objects.visible_to(User.objects.get(username=username)).exists(), username
    for username in ("outsider.demo", "analyst.demo", "admin.demo"):
        assert not Child.objects.visible_to(User.objects.get(username=username)).exists(), username
    sw = User.objects.get(username="sw.demo")
    assert sw.team.manager.username == "tm.demo"
    assert not Involvement.objects.filter(practitioner__username="outsider.demo").exists()
    to_review = emergency_accesses_to_review(user=User.objects.get(username="tm.demo"))
    assert to_review.filter(reviewed_at__isnull=True).count() == 1
    # The duplicate search's name keys are written, as Child.save would write them.
    assert not Child.objects.filter(family_key="").exists() and not Child.objects.filter(given_key="").exists()
    shape = partnership_shape()
    assert 0.42 <= shape.cp_neglect_share <= 0.58
    assert 0.17 <= shape.cp_subsequent_share <= 0.33
    assert 0.15 <= shape.re_referral_rate <= 0.29
    with pytest.raises(PartnershipExistsError):
        partnership_seed(children=10, seed=11, as_of=AS_OF)


@pytest.mark.django_db
def test_command_reuses_an_existing_partnership(capsys):
    call_command("seed_demo", children=40, seed=1, as_of=AS_OF)
    call_command("seed_demo", children=40, seed=1, if_empty=True)
    out = capsys.readouterr().out
    assert "reusing it" in out and "sw.demo" in out
    assert Child.objects.count() == 40


def test_demo_sign_in_as_a_persona(client, world):
    User.objects.filter(pk=world.sw.pk).update(username="sw.demo")
    page = client.get(reverse("demo:personas"))
    assert "Sam Whitfield" in page.content.decode()
    response = client.post(reverse("demo:personas"), {"username": "sw.demo"})
    assert response.status_code == 302
    assert client.get(reverse("children:list")).status_code == 200
    assert client.post(reverse("demo:personas"), {"username": "sw"}).status_code == 404


@override_settings(SIGHTLINE_DEMO=False)
def test_demo_page_does_not_exist_outside_demo_mode(client, db):
    assert client.get(reverse("demo:personas")).status_code == 404


@pytest.mark.parametrize(
    ("demo", "debug", "hosts", "errors"),
    [
        (True, False, ["sightline.example.org"], 1),
        (True, False, ["127.0.0.1", "localhost"], 0),
        (True, True, ["sightline.example.org"], 0),
        (False, False, ["sightline.example.org"], 0),
    ],
)
def test_system_check_refuses_demo_mode_in_production(demo, debug, hosts, errors):
    with override_settings(SIGHTLINE_DEMO=demo, DEBUG=debug, ALLOWED_HOSTS=hosts):
        found = demo_mode_not_in_production(None)
    assert len(found) == errors
    assert all(e.id == "sightline.E001" for e in found)
