import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessAction, AccessEvent
from chronology.exports import neutralise
from chronology.models import ChronologyEntry, EntrySource
from chronology.services import chronology_entry_correct, chronology_system_events_sync
from conftest import World

from .factories import days_ago, record


def _url(world: World, name: str = "chronology:child") -> str:
    return reverse(name, args=[world.child.public_id])


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _bulk_entries(world: World, n: int) -> None:
    today = timezone.localdate()
    agencies = [world.dsl, world.police, world.sw]
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=world.child,
            occurred_on=today - timedelta(days=i % 900),
            event_type=["missed_health_appointment", "school_absence_period", "police_attendance"][i % 3],
            agency_id=agencies[i % 3].agency_id,
            author=agencies[i % 3],
            description=f"Event {i}",
            action_taken="Noted",
            significance=["routine", "significant", "critical"][i % 3],
            restricted=i % 7 == 0,
            source=EntrySource.UPLOAD,
            source_key=f"bulk:{n}:{i}",
        )
        for i in range(n)
    )


def test_the_chronology_reads_as_one_timeline_with_tags(world: World, signed_in) -> None:
    record(world.dsl, child=world.child, occurred_on=days_ago(40), date_precision="month", significance="critical")
    record(world.police, household=world.household, event_type="police_domestic_abuse", restricted=True)
    text = signed_in(world.sw).get(_url(world)).content.decode()
    for expected in [
        "Oakfield Primary School",
        "Missed health appointment",
        "approx.",
        "Critical",
        "Restricted",
        "Police attendance for domestic abuse",
        "Episode opened",  # the open child protection episode, written by the system
        "Significant events at a glance",
        "Events in the last 12 months, by type",
    ]:
        assert expected in text, expected


def test_one_access_event_per_view_and_per_export(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    for name, action in [
        ("chronology:child", AccessAction.VIEW),
        ("chronology:household", AccessAction.VIEW),
        ("chronology:export_csv", AccessAction.EXPORT),
        ("chronology:export_pdf", AccessAction.EXPORT),
    ]:
        before = AccessEvent.objects.count()
        response = client.get(_url(world, name))
        assert response.status_code == 200
        assert AccessEvent.objects.count() == before + 1
        event = AccessEvent.objects.order_by("-id").first()
        assert event.action == action and event.child == world.child


def test_a_chronology_of_5000_entries_opens_with_the_same_queries_as_one_of_50(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    chronology_system_events_sync(child_ids=[world.child.pk])
    _bulk_entries(world, 50)
    small = count_queries(client, _url(world))
    _bulk_entries(world, 4950)
    assert count_queries(client, _url(world)) == small
    assert count_queries(client, _url(world) + "?page=7") == small
    filtered = _url(world) + f"?significance=significant&agency={world.police.agency_id}&date_from={days_ago(300)}"
    assert count_queries(client, filtered) == small
    response = client.get(_url(world) + "?page=3")
    assert response.context["page_obj"].number == 3
    assert len(response.context["entries"]) == 25


def test_restricted_entries_never_show_to_another_agency(world: World, signed_in) -> None:
    secret = "New address: 4 Hidden Row"
    record(world.police, household=world.household, event_type="household_change", description=secret, restricted=True)
    record(world.police, child=world.child, event_type="disclosure", description=secret, restricted=True,
           significance="critical")  # fmt: skip
    school = signed_in(world.dsl)
    for name in ("chronology:child", "chronology:household", "chronology:export_csv", "chronology:export_pdf"):
        body = school.get(_url(world, name)).content
        assert secret.encode() not in body, name
    # Nor in the entries, the counts or the recent events at a glance, on either page.
    for name in ("chronology:child", "chronology:household"):
        context = school.get(_url(world, name)).context
        assert not any(e.restricted for e in context["entries"])
        assert context["page_obj"].paginator.count == 1  # the episode opening only
        assert all(code not in {"disclosure", "household_change"} for code, _, _ in context["glance"].counts)
        assert not context["glance"].recent or all(not e.restricted for e in context["glance"].recent)
    social_worker = signed_in(world.sw)
    assert secret in social_worker.get(_url(world)).content.decode()
    assert secret in social_worker.get(_url(world, "chronology:export_csv")).content.decode("utf-8")


def test_adding_an_entry(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    data = {
        "occurred_on": days_ago(2).isoformat(),
        "date_precision": "exact",
        "event_type": "presentation_concern",
        "description": "Ruby came to school without breakfast for the third day.",
        "impact_on_child": "Hungry and unable to concentrate.",
        "action_taken": "",
        "no_action_taken": "on",
        "significance": "significant",
    }
    response = client.post(_url(world, "chronology:entry_new"), data)
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(event_type="presentation_concern")
    assert entry.author == world.dsl and entry.no_action_taken and entry.child == world.child
    # The household choice records a household entry.
    response = client.post(_url(world, "chronology:entry_new"), {**data, "about_household": "on"})
    assert ChronologyEntry.objects.filter(household=world.household, event_type="presentation_concern").exists()


def test_bad_input_is_explained_and_nothing_is_written(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(_url(world, "chronology:entry_new"), {"occurred_on": future, "event_type": "episode_opened"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Describe what happened" in text
    assert "Choose an event type from the list" in text  # system-only types are not offered
    assert not ChronologyEntry.objects.filter(source=EntrySource.PRACTITIONER).exists()
    # An empty POST binds the form and explains.
    assert "There is a problem" in client.post(_url(world, "chronology:entry_new"), {}).content.decode()
    # A date in the future is refused by the service, with its message on the field.
    response = client.post(
        _url(world, "chronology:entry_new"),
        {"occurred_on": future, "date_precision": "exact", "event_type": "other", "description": "x",
         "action_taken": "y", "significance": "routine"},
    )  # fmt: skip
    assert "must be today or in the past" in response.content.decode()


def test_correcting_an_entry_keeps_both(world: World, signed_in) -> None:
    original = record(world.dsl, child=world.child, description="Seen with a bruise on the left arm.")
    client = signed_in(world.dsl)
    url = reverse("chronology:entry_correct", args=[world.child.public_id, original.pk])
    page = client.get(url).content.decode()
    assert "Seen with a bruise on the left arm." in page
    response = client.post(
        url,
        {"reason": "It was the right arm.", "occurred_on": original.occurred_on.isoformat(), "date_precision": "exact",
         "event_type": original.event_type, "description": "Seen with a bruise on the right arm.",
         "action_taken": "Told the DSL.", "significance": "significant"},
    )  # fmt: skip
    assert response.status_code == 302
    text = client.get(_url(world)).content.decode()
    assert "left arm" in text and "right arm" in text and "Corrected by" in text and "Corrects" in text
    # Corrected once only; another agency cannot correct.
    assert client.get(url).status_code == 404
    other = record(world.dsl, child=world.child)
    police_url = reverse("chronology:entry_correct", args=[world.child.public_id, other.pk])
    assert signed_in(world.police).get(police_url).status_code == 404


def test_court_style_exports(world: World, signed_in) -> None:
    first = record(world.dsl, child=world.child, occurred_on=days_ago(30), description='=HYPERLINK("evil")')
    chronology_entry_correct(
        author=world.dsl, original=first, reason="Wrong words", occurred_on=days_ago(30), date_precision="exact",
        event_type="missed_health_appointment", description="Not brought to clinic", impact_on_child="",
        action_taken="Rebooked", significance="routine",
    )  # fmt: skip
    record(world.police, child=world.child, occurred_on=days_ago(2), event_type="police_attendance")
    client = signed_in(world.sw)
    response = client.get(_url(world, "chronology:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["No.", "Date", "Event", "Details", "Source", "Status"]
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [str(i) for i in range(1, len(rows))]
    by_details = {r[3].split("\n")[0]: r for r in rows[1:]}
    evil = by_details['\'=HYPERLINK("evil")']
    assert "Superseded: corrected by no." in evil[5]
    assert "Corrects no. " + evil[0] in by_details["Not brought to clinic"][5]
    assert "Oakfield Primary School, " in evil[4]
    # Filters apply to exports.
    filtered = client.get(_url(world, "chronology:export_csv") + f"?agency={world.police.agency_id}")
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2
    pdf = client.get(_url(world, "chronology:export_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_formula_cells_are_neutralised() -> None:
    for dangerous in ("=1+1", "+44", "-2", "@SUM(A1)"):
        assert neutralise(dangerous).startswith("'")
    assert neutralise("Ruby") == "Ruby"


def test_invalid_filters_are_explained_not_applied(world: World, signed_in) -> None:
    response = signed_in(world.sw).get(_url(world) + "?date_from=2026-13-45&significance=huge")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_child_record_links_to_the_chronology(world: World, signed_in) -> None:
    text = signed_in(world.sw).get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert _url(world) in text
