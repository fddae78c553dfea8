from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chronology.tests.factories import record
from conftest import World, involve, make_child, sign_in
from people.models import Household
from signals.models import Signal, SignalResponse
from signals.services import signal_respond, signals_refresh

TODAY = timezone.localdate()


def _missed(author, child, days):
    return record(author, child=child, event_type="missed_health_appointment", occurred_on=TODAY - timedelta(days=days))


def test_refresh_raises_keeps_and_clears_signals(world: World):
    (not_seen,) = signals_refresh(child=world.child)
    assert not_seen.rule_code == "child_not_seen" and not_seen.status == "open"
    assert signals_refresh(child=world.child) == []  # nothing new
    record(world.sw, child=world.child, event_type="child_seen", occurred_on=TODAY)
    signals_refresh(child=world.child)
    not_seen.refresh_from_db()
    assert not_seen.cleared_at is not None
    assert not Signal.objects.filter(child=world.child, cleared_at__isnull=True).exists()


def test_new_evidence_after_a_response_raises_a_fresh_signal(world: World):
    for days in (10, 20, 30):
        _missed(world.dsl, world.child, days)
    record(world.sw, child=world.child, event_type="child_seen", occurred_on=TODAY)
    # Recording an entry refreshes the child's signals straight away.
    (signal,) = Signal.objects.filter(child=world.child, cleared_at__isnull=True)
    signal_respond(signal=signal, user=world.sw, action="acknowledged", reason="Discussed with mother; GP aware.")
    assert signals_refresh(child=world.child) == []
    fourth = _missed(world.dsl, world.child, 2)
    (fresh,) = Signal.objects.filter(child=world.child, cleared_at__isnull=True)
    signal.refresh_from_db()
    assert signal.cleared_at is not None and signal.status == "acknowledged"
    assert fresh.status == "open" and {"kind": "entry", "id": fourth.pk} in [
        {"kind": e["kind"], "id": e["id"]} for e in fresh.evidence
    ]


def test_recording_an_entry_refreshes_the_childs_signals_at_once(world: World):
    for days in (10, 20, 30):
        _missed(world.dsl, world.child, days)
    live = set(Signal.objects.filter(child=world.child, cleared_at__isnull=True).values_list("rule_code", flat=True))
    assert "missed_health_appointments" in live


def test_responding_needs_a_reason_and_a_key_worker(world: World):
    (signal,) = signals_refresh(child=world.child)
    with pytest.raises(PermissionDenied):
        signal_respond(signal=signal, user=world.dsl, action="dismissed", reason="Not our concern at all.")
    with pytest.raises(ValidationError) as caught:
        signal_respond(signal=signal, user=world.sw, action="maybe", reason="no")
    assert set(caught.value.message_dict) == {"action", "reason"}
    response = signal_respond(signal=signal, user=world.tm, action="dismissed", reason="Seen at school today by SW.")
    signal.refresh_from_db()
    assert signal.status == "dismissed" and response.responded_by == world.tm
    with pytest.raises(ValueError):
        response.reason = "edited"
        response.save()


def test_restricted_evidence_is_never_stored_or_shown(world: World, client):
    for days in (10, 20):
        _missed(world.dsl, world.child, days)
    secret = _missed(world.dsl, world.child, 15)
    Signal.objects.all().delete()
    secret_entry = record(
        world.police,
        child=world.child,
        event_type="missed_health_appointment",
        occurred_on=TODAY - timedelta(days=5),
        restricted=True,
        description="SECRET police information",
    )
    signals_refresh(child=world.child)
    signal = Signal.objects.get(rule_code="missed_health_appointments")
    assert secret_entry.pk not in [e["id"] for e in signal.evidence]
    assert secret.pk in [e["id"] for e in signal.evidence]
    sign_in(client, world.dsl)  # the school cannot see the police's restricted entry
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "SECRET" not in page and ", Police" not in page
    assert page.count("Missed health appointment") == 3


def test_the_child_record_shows_signals_and_the_list_shows_the_caseload(world: World, client):
    signals_refresh(child=world.child)
    sign_in(client, world.dsl)
    detail = client.get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert "Child on a plan not seen" in detail
    # The school is not the lead: its list is empty; the social worker and manager see the signal.
    assert "Child on a plan not seen" not in client.get(reverse("signals:list")).content.decode()
    for user in (world.sw, world.tm):
        sign_in(client, user)
        assert "Ruby Ashworth" in client.get(reverse("signals:list")).content.decode()
    sign_in(client, world.other_sw)
    assert "Ruby Ashworth" not in client.get(reverse("signals:list")).content.decode()


def test_respond_through_the_page(world: World, client):
    (signal,) = signals_refresh(child=world.child)
    sign_in(client, world.sw)
    url = reverse("signals:detail", args=[signal.pk])
    bad = client.post(url, {"action": "acknowledged", "reason": ""})
    assert "Give your reason" in bad.content.decode()
    assert client.post(url, {"action": "acknowledged", "reason": "Visit booked for tomorrow."}).status_code == 302
    assert SignalResponse.objects.get().reason == "Visit booked for tomorrow."
    sign_in(client, world.dsl)
    client.post(url, {"action": "dismissed", "reason": "Trying to dismiss it."})
    assert SignalResponse.objects.count() == 1


def test_refresh_command_runs_for_everyone(world: World):
    call_command("refresh_signals")
    assert Signal.objects.filter(child=world.child, rule_code="child_not_seen").exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_signals_list_and_child_record_run_a_fixed_number_of_queries(world: World, client):
    signals_refresh(child=world.child)
    sign_in(client, world.sw)
    urls = [reverse("signals:list"), reverse("children:detail", args=[world.child.public_id])]
    small = [_queries(client, u) for u in urls]
    for index in range(6):
        household = Household.objects.create(address_line=f"{index} New Road")
        child = make_child(household, f"Child{index}")
        involve(world.sw, child=child, role="social_worker")
        from cases.models import Episode

        Episode.objects.create(child=child, level="cin", started_on=TODAY - timedelta(days=60))
        for days in (3, 4, 5):
            _missed(world.sw, child, days)
            _missed(world.sw, world.child, days + index * 3)
        signals_refresh(child=child)
    signals_refresh(child=world.child)
    large = [_queries(client, u) for u in urls]
    assert small == large
