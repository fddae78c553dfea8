"""Every URL the project defines, with the personas allowed and what they get.

Adding a URL without an entry here fails `test_every_url_has_an_entry`. Personas not listed for an
entry must get a 404 (the record is invisible) or a redirect to sign-in; listed personas get the
stated status, and where the page shows identifiable data, exactly one access event is written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from access.models import AccessEvent, EmergencyAccess
from conftest import World, sign_in
from people.models import Child
from tests.matrix import ALL, NOT_ANALYST, SIGNED_IN, Entry, collect_app_entries


def _emergency_access_by_sw(world: World) -> str:
    access = EmergencyAccess.objects.create(
        user=world.sw,
        child=world.other_child,
        reason="Police called about the children being left alone overnight",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    return reverse("access:emergency_review", args=[access.pk])


CORE: dict[str, Entry] = {
    "home": Entry(lambda w: "/", {**dict.fromkeys(NOT_ANALYST, 302), "analyst": 200}),
    "healthz": Entry(lambda w: "/healthz", dict.fromkeys(ALL, 200)),
    "accounts:login": Entry(lambda w: reverse("accounts:login"), dict.fromkeys(ALL, 200)),
    "accounts:logout": Entry(lambda w: reverse("accounts:logout"), dict.fromkeys(SIGNED_IN, 302), method="post"),
    "accounts:verify": Entry(lambda w: reverse("accounts:verify"), dict.fromkeys(SIGNED_IN, 200)),
    # Everyone in the matrix already has a device, so setup sends them to the code page.
    "accounts:mfa_setup": Entry(lambda w: reverse("accounts:mfa_setup"), dict.fromkeys(SIGNED_IN, 302)),
    "children:list": Entry(lambda w: reverse("children:list"), dict.fromkeys(NOT_ANALYST, 200), identifiable=True),
    "children:detail": Entry(
        lambda w: reverse("children:detail", args=[w.child.public_id]),
        {"sw": 200, "tm": 200, "dsl": 200, "police": 200},
        identifiable=True,
    ),
    "children:access_log": Entry(
        lambda w: reverse("children:access_log", args=[w.child.public_id]), {"tm": 200}, identifiable=True
    ),
    "access:emergency_open": Entry(lambda w: reverse("access:emergency_open"), dict.fromkeys(NOT_ANALYST, 200)),
    "access:emergency_reviews": Entry(lambda w: reverse("access:emergency_reviews"), {"tm": 200, "admin": 200}),
    # A team member's access is for their manager: administrators review only what no manager can.
    "access:emergency_review": Entry(_emergency_access_by_sw, {"tm": 400}, method="post"),
    "demo:personas": Entry(lambda w: reverse("demo:personas"), dict.fromkeys(ALL, 200)),
    "admin:index": Entry(lambda w: reverse("admin:index"), {"admin": 200}),
}
_APP_ENTRIES = collect_app_entries()
assert not set(CORE) & set(_APP_ENTRIES), "An app repeats a core access-matrix entry"
MATRIX: dict[str, Entry] = {**CORE, **_APP_ENTRIES}


def _url_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")  # Django's admin: staff only, covered as one entry
                continue
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern))
    return names


def test_every_url_has_an_entry() -> None:
    names = _url_names(get_resolver().url_patterns)
    # The admin's own sign-in is a redirect to the service's sign-in.
    names.discard("admin/login/")
    missing = names - set(MATRIX)
    assert not missing, f"URLs without an access-matrix entry: {sorted(missing)}"
    stale = set(MATRIX) - names
    assert not stale, f"Access-matrix entries for URLs that no longer exist: {sorted(stale)}"


def _denied(response) -> bool:
    if response.status_code == 404:
        return True
    return response.status_code == 302 and response["Location"].startswith(("/accounts/login/", "/admin/login/"))


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_checks_access(name: str, persona: str, world: World, client) -> None:
    entry = MATRIX[name]
    user = world.persona(persona)
    if user is not None:
        sign_in(client, user)
    url = entry.url(world)
    events_before = AccessEvent.objects.count()
    response = getattr(client, entry.method)(url, entry.data)
    if persona in entry.allowed:
        assert response.status_code == entry.allowed[persona], (name, persona, response.status_code)
        if entry.identifiable and response.status_code < 400:
            # One event per identifiable child shown, and only children this person may see.
            written = list(AccessEvent.objects.order_by("id")[events_before:])
            assert written, f"{name} as {persona} wrote no access event"
            seen = set(Child.objects.visible_to(user).values_list("pk", flat=True))
            assert all(e.child_id is None or e.child_id in seen for e in written), (name, persona)
            assert len({e.child_id for e in written}) == len(written), f"{name} logged one child twice"
    else:
        assert _denied(response), (name, persona, response.status_code, response.get("Location"))
        if entry.identifiable:
            assert AccessEvent.objects.count() == events_before
