"""No caching of pages, no text the database cannot store, and a clear page when SQLite is busy."""

from unittest import mock

from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from access.models import AccessEvent, EmergencyAccess
from conftest import World, sign_in
from web.middleware import DatabaseLockedMiddleware, NoStoreMiddleware

UNSTORABLE_PAGE = "The text you entered contains a character we cannot store"


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_child_page_an_export_and_a_404_are_never_stored(world: World, signed_in):
    client = signed_in(world.sw)
    page = client.get(reverse("children:detail", args=[world.child.public_id]))
    export = client.get(reverse("chronology:export_csv", args=[world.child.public_id]))
    hidden = client.get(reverse("children:detail", args=[world.other_child.public_id]))
    assert (page.status_code, export.status_code, hidden.status_code) == (200, 200, 404)
    assert _no_store(page) and _no_store(export) and _no_store(hidden)
    assert "public" not in page["Cache-Control"]


def test_static_files_and_the_health_check_may_be_cached(world: World, signed_in):
    client = signed_in(world.sw)
    static = client.get("/static/css/sightline.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    middleware = NoStoreMiddleware(lambda request: HttpResponse())
    for path in ("/static/js/init.mjs", "/healthz"):
        assert not middleware(RequestFactory().get(path)).has_header("Cache-Control")
    assert _no_store(middleware(RequestFactory().get("/children/")))


def test_a_server_error_page_is_never_stored(world: World):
    client = sign_in(Client(raise_request_exception=False), world.sw)
    with mock.patch("web.views.redirect", side_effect=RuntimeError("a bug")):
        response = client.get("/")
    assert response.status_code == 500 and _no_store(response)


def test_a_nul_in_the_child_search_is_a_clear_400(world: World, signed_in):
    client = signed_in(world.sw)
    before = AccessEvent.objects.count()
    response = client.get(reverse("children:list") + "?q=Ash%00worth")
    assert response.status_code == 400
    assert UNSTORABLE_PAGE in response.content.decode()
    assert AccessEvent.objects.count() == before  # the list was never read, so nothing was logged
    assert signed_in(world.sw).get(reverse("children:list") + "?%00=1").status_code == 400
    assert client.get(reverse("children:list") + "?q=Ashworth").status_code == 200


def test_a_nul_in_a_form_field_changes_nothing(world: World, signed_in):
    client = signed_in(world.sw)
    response = client.post(
        reverse("access:emergency_open"),
        {
            "family_name": world.other_child.family_name,
            "date_of_birth": world.other_child.date_of_birth.isoformat(),
            "reason": "Police called about the children\x00 being left alone overnight",
        },
    )
    assert response.status_code == 400
    assert UNSTORABLE_PAGE in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not AccessEvent.objects.exists()


def test_a_locked_database_is_a_409_page_saying_nothing_was_saved():
    middleware = DatabaseLockedMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/children/", HTTP_REFERER="http://testserver/children/")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else was saving at the same moment" in text and "Nothing was saved." in text
    assert 'href="http://testserver/children/"' in text
    assert middleware.process_exception(request, OperationalError("no such table: people_child")) is None
    assert middleware.process_exception(request, ValueError("locked")) is None


def test_a_lock_timeout_in_a_view_reaches_the_person_as_409(world: World, signed_in):
    client = signed_in(world.sw)
    with mock.patch("web.views.redirect", side_effect=OperationalError("database table is locked")):
        response = client.get("/")
    assert response.status_code == 409
    assert "Someone else was saving at the same moment" in response.content.decode()
    assert _no_store(response)
