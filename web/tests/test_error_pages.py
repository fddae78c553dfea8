"""The service's own 400, 403, 404, 500 and CSRF failure pages, through the real handlers (DEBUG is off
in test settings)."""

import re
import uuid
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import World, sign_in
from sightline import urls
from web import errors

REFUSAL = (
    "You cannot close this plan: only the lead practitioner, the allocated social worker or their team manager can."
)


def _main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_the_project_uses_the_service_error_pages():
    assert urls.handler400 == "web.errors.bad_request"
    assert urls.handler403 == "web.errors.permission_denied"
    assert urls.handler404 == "web.errors.page_not_found"
    assert urls.handler500 == "web.errors.server_error"


def test_not_found_looks_the_same_for_a_hidden_child_and_a_missing_one(world: World, signed_in):
    client = signed_in(world.sw)
    hidden = client.get(reverse("children:detail", args=[world.other_child.public_id]))
    missing = client.get(reverse("children:detail", args=[uuid.uuid4()]))
    assert hidden.status_code == missing.status_code == 404
    assert _main(hidden) == _main(missing)
    assert "Page not found" in _main(hidden) and "govuk-service-navigation" in hidden.content.decode()
    assert world.other_child.given_name not in hidden.content.decode()


def test_not_found_never_shows_why(world: World, signed_in):
    # The view raises Http404("Partnership analysts do not see children's records").
    response = signed_in(world.analyst).get(reverse("assessments:start", args=[world.child.public_id]))
    assert response.status_code == 404
    assert "analysts" not in _main(response).lower()


def test_the_refusal_page_shows_who_can_escaped(world: World, signed_in):
    client = signed_in(world.sw)
    with mock.patch("web.views.redirect", side_effect=PermissionDenied(REFUSAL + " <b>bold</b>")):
        response = client.get("/", HTTP_REFERER="http://testserver/children/")
    assert response.status_code == 403
    page = _main(response)
    assert "You cannot do this" in page
    assert REFUSAL in page and "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>" not in page
    assert 'href="http://testserver/children/"' in response.content.decode()


def test_a_refusal_without_a_message_and_a_foreign_referer(world: World, signed_in):
    client = signed_in(world.sw)
    with mock.patch("web.views.redirect", side_effect=PermissionDenied()):
        response = client.get("/", HTTP_REFERER="https://elsewhere.example/phish")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your role does not allow this." in text
    assert "elsewhere.example" not in text and 'class="govuk-back-link">Back</a>' in text


def test_a_bad_request_gets_the_plain_400_page(db):
    response = Client().get("/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Sorry, there is a problem with what was sent" in text
    assert "not-our-host" not in text and "DisallowedHost" not in text


def test_a_server_error_gets_the_service_page_without_details(world: World):
    client = sign_in(Client(raise_request_exception=False), world.sw)
    with mock.patch("web.views.redirect", side_effect=RuntimeError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text and "Try again later." in text
    assert "secret detail" not in text and "Traceback" not in text


def test_the_500_page_needs_neither_the_request_nor_the_database():
    # No `db` fixture: pytest-django makes any database access in this test an error.
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text and "Sightline" in text
    assert "govuk-service-navigation" not in text


def test_the_500_page_survives_a_broken_template():
    with mock.patch("web.errors.loader.get_template", side_effect=RuntimeError("templates missing")):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_an_expired_form_gets_the_csrf_page_and_changes_nothing(world: World):
    client = sign_in(Client(enforce_csrf_checks=True), world.sw)
    response = client.post(reverse("accounts:logout"), HTTP_REFERER="http://testserver/children/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your form could not be sent" in text and "Nothing was saved" in text
    assert "CSRF" not in text
    assert client.get(reverse("children:list")).status_code == 200  # still signed in
