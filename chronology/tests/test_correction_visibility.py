"""A correction never reveals a restricted entry to a reader who may not see it.

Two shapes, on every surface (timeline, household timeline, CSV, PDF, significant events, counts,
signals evidence), read by an attacker (the police officer: involved with the household, not the
school, not a lead) and by the entitled (the school that recorded it, the lead social worker):
- lifted: a restricted original corrected by an unrestricted entry. The attacker sees the
  correction alone: no date, type, text or reason pointing at the original.
- hidden: an unrestricted original corrected by a restricted entry. The attacker sees the original
  as it stands, with no sign that a (restricted) correction exists, and it still counts.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from chronology.models import ChronologyEntry
from chronology.selectors import entries_for_child, shared_current_entries, significant_at_a_glance
from chronology.services import chronology_entry_correct
from conftest import World
from signals.evaluate import evaluate, histories_for
from signals.rules import default_rules

from .factories import days_ago, record

ORIGINAL_DAY = date(2025, 3, 3)  # fixed dates, so the strings searched for cannot collide with today
CORRECTED_DAY = date(2025, 3, 10)
ORIGINAL_TEXT = "Ruby told her teacher about the cellar"
CORRECTION_TEXT = "Ruby arrived hungry and without a coat"
REASON = "Restriction lifted after the strategy meeting"


def correct(original: ChronologyEntry, **fields) -> ChronologyEntry:
    values = {
        "author": original.author, "original": original, "reason": REASON, "occurred_on": CORRECTED_DAY,
        "date_precision": "exact", "event_type": "presentation_concern", "description": CORRECTION_TEXT,
        "impact_on_child": "", "action_taken": "Breakfast club offered.", "significance": "significant",
        "restricted": False,
    }  # fmt: skip
    values.update(fields)
    return chronology_entry_correct(**values)


@pytest.fixture
def lifted(world: World) -> tuple[ChronologyEntry, ChronologyEntry]:
    original = record(
        world.dsl, child=world.child, occurred_on=ORIGINAL_DAY, event_type="disclosure",
        description=ORIGINAL_TEXT, significance="critical", restricted=True,
    )  # fmt: skip
    return original, correct(original)


def _url(world: World, name: str) -> str:
    return reverse(name, args=[world.child.public_id])


def _timeline_html(client, url: str) -> str:
    """The timeline part of the page (the filter form above it lists every event type's label)."""
    return client.get(url).content.decode().split("Timeline</h2>", 1)[1]


def _glance_html(client, url: str) -> str:
    return client.get(url).content.decode().split("at a glance</h2>", 1)[1].split("Filter the chronology", 1)[0]


def _csv_rows(client, world: World) -> list[list[str]]:
    body = client.get(_url(world, "chronology:export_csv")).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _pdf_text(client, world: World, monkeypatch) -> str:
    """The PDF's page text. The core font writes text as literal strings (the Unicode font writes
    glyph numbers), so the test uses it and inflates the page streams."""
    monkeypatch.setattr("chronology.exports.UNICODE_FONT", Path("/nonexistent/font.ttf"))
    body = client.get(_url(world, "chronology:export_pdf")).content
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    text = b"".join(zlib.decompress(s) if s[:1] == b"x" else s for s in streams)
    assert b"Chronology" in text  # the extraction works, so the absences below mean something
    return text.decode("latin-1")


PAGES = ("chronology:child", "chronology:household")


def test_lifted_timelines_show_the_attacker_the_correction_alone(lifted, world: World, signed_in) -> None:
    police = signed_in(world.police)
    for name in PAGES:
        html = _timeline_html(police, _url(world, name))
        assert CORRECTION_TEXT in html, name
        for leak in (ORIGINAL_TEXT, "3 Mar 2025", "Disclosure by the child", "Corrects", REASON, "Corrected"):
            assert leak not in html, (name, leak)


@pytest.mark.parametrize("reader", ["dsl", "sw"])
def test_lifted_timelines_link_both_for_the_entitled(lifted, world: World, signed_in, reader: str) -> None:
    client = signed_in(world.persona(reader))
    for name in PAGES:
        html = _timeline_html(client, _url(world, name))
        for shown in (ORIGINAL_TEXT, CORRECTION_TEXT, "Corrects", "the entry of 3 Mar 2025: Disclosure by the child",
                      REASON, "Corrected by"):  # fmt: skip
            assert shown in html, (reader, name, shown)


def test_lifted_csv_export_has_no_trace_of_the_original_for_the_attacker(lifted, world: World, signed_in) -> None:
    rows = _csv_rows(signed_in(world.police), world)
    text = "\n".join(",".join(r) for r in rows)
    assert CORRECTION_TEXT in text
    for leak in (ORIGINAL_TEXT, "03/03/2025", "Disclosure by the child", "Corrects", "Superseded", REASON):
        assert leak not in text, leak


@pytest.mark.parametrize("reader", ["dsl", "sw"])
def test_lifted_csv_export_cross_references_for_the_entitled(lifted, world: World, signed_in, reader: str) -> None:
    rows = _csv_rows(signed_in(world.persona(reader)), world)
    by_date = {r[1]: r for r in rows[1:]}
    original, correction = by_date["03/03/2025"], by_date["10/03/2025"]
    assert f"Superseded: corrected by no. {correction[0]}" in original[5]
    assert f"Corrects no. {original[0]}" in correction[5]
    assert REASON in correction[3]


def test_lifted_pdf_export(lifted, world: World, signed_in, monkeypatch) -> None:
    police = _pdf_text(signed_in(world.police), world, monkeypatch)
    assert "10/03/2025" in police
    for leak in ("03/03/2025", "Disclosure by the child", "Corrects no.", "Superseded", "strategy meeting"):
        assert leak not in police, leak
    social_worker = _pdf_text(signed_in(world.sw), world, monkeypatch)
    for shown in ("03/03/2025", "10/03/2025", "Corrects no.", "Superseded"):
        assert shown in social_worker, shown


def test_lifted_significant_events(lifted, world: World, signed_in) -> None:
    original, correction = lifted
    police = signed_in(world.police)
    for name in PAGES:
        response = police.get(_url(world, name))
        recent = {e.pk: e for e in response.context["glance"].recent}
        assert correction.pk in recent and original.pk not in recent
        assert recent[correction.pk].shown_original is None
        glance = _glance_html(police, _url(world, name))
        assert "10 Mar 2025" in glance and "3 Mar 2025" not in glance and "Disclosure" not in glance
    # The entitled see the correction as the current version, not the original.
    social_worker = signed_in(world.sw).get(_url(world, "chronology:child"))
    recent = {e.pk: e for e in social_worker.context["glance"].recent}
    assert correction.pk in recent and original.pk not in recent
    assert recent[correction.pk].shown_original == original


@pytest.fixture
def hidden(world: World) -> tuple[ChronologyEntry, ChronologyEntry]:
    """Recent dates, so the entries fall in the counts' last 12 months."""
    original = record(
        world.dsl, child=world.child, occurred_on=days_ago(30), event_type="presentation_concern",
        description=CORRECTION_TEXT, significance="significant",
    )  # fmt: skip
    correction = correct(
        original, occurred_on=days_ago(31), event_type="disclosure", description=ORIGINAL_TEXT,
        significance="critical", restricted=True, reason="What she said in full",
    )  # fmt: skip
    return original, correction


def _counts(user, world: World) -> dict[str, int]:
    glance = significant_at_a_glance(entries=entries_for_child(user=user, child=world.child), today=days_ago(0))
    ours = {"presentation_concern", "disclosure"}  # the fixture's episode may or may not fall in the window
    return {code: n for code, _label, n in glance.counts if code in ours}


def test_hidden_correction_leaves_the_original_current_for_the_attacker(hidden, world: World, signed_in) -> None:
    original, correction = hidden
    police = signed_in(world.police)
    for name in PAGES:
        response = police.get(_url(world, name))
        html = response.content.decode().split("Timeline</h2>", 1)[1]
        assert CORRECTION_TEXT in html and ORIGINAL_TEXT not in html
        assert "Corrected" not in html and "What she said" not in html
        recent = {e.pk for e in response.context["glance"].recent}
        assert original.pk in recent and correction.pk not in recent
    assert _counts(world.police, world) == {"presentation_concern": 1}
    text = "\n".join(",".join(r) for r in _csv_rows(police, world))
    assert CORRECTION_TEXT in text and "Superseded" not in text and "Corrects" not in text


@pytest.mark.parametrize("reader", ["dsl", "sw"])
def test_hidden_correction_supersedes_for_the_entitled(hidden, world: World, signed_in, reader: str) -> None:
    original, correction = hidden
    user = world.persona(reader)
    response = signed_in(user).get(_url(world, "chronology:child"))
    html = response.content.decode().split("Timeline</h2>", 1)[1]
    assert "Corrected by" in html and "Corrects" in html and ORIGINAL_TEXT in html
    recent = {e.pk for e in response.context["glance"].recent}
    assert correction.pk in recent and original.pk not in recent
    assert _counts(user, world) == {"disclosure": 1}


def test_shared_entries_never_depend_on_a_restricted_entry(world: World) -> None:
    lifted_original = record(world.dsl, child=world.child, restricted=True, occurred_on=days_ago(40))
    lifted = correct(lifted_original, occurred_on=days_ago(41))
    open_original = record(world.dsl, child=world.child, occurred_on=days_ago(20))
    correct(open_original, occurred_on=days_ago(21), restricted=True)
    shared = set(shared_current_entries().filter(child=world.child).values_list("pk", flat=True))
    assert shared == {lifted.pk, open_original.pk}


def test_signals_evidence_never_shows_or_hides_by_a_restricted_entry(world: World) -> None:
    rules = default_rules()
    today = days_ago(0)

    def evidence() -> set[tuple[str, int, date]]:
        history = histories_for([world.child], rules=rules, today=today)[world.child.pk]
        found = {f.rule.code: f for f in evaluate(history, rules=rules, today=today)}
        finding = found.get("missed_health_appointments")
        return {(e.kind, e.id, e.on) for e in finding.evidence} if finding else set()

    for n in (10, 20):
        record(world.dsl, child=world.child, occurred_on=days_ago(n))
    restricted = record(world.dsl, child=world.child, occurred_on=days_ago(60), restricted=True)
    assert evidence() == set()  # two shared, one restricted: the rule needs three
    lifted = correct(restricted, occurred_on=days_ago(55), event_type="missed_health_appointment")
    assert ("entry", lifted.pk, days_ago(55)) in evidence()
    assert not {e for e in evidence() if e[1] == restricted.pk or e[2] == days_ago(60)}
    # A restricted correction of a shared entry does not take it out of the evidence.
    shared = record(world.dsl, child=world.child, occurred_on=days_ago(30))
    before = evidence()
    correct(shared, occurred_on=days_ago(31), event_type="missed_health_appointment", restricted=True)
    assert evidence() == before and ("entry", shared.pk, days_ago(30)) in before
