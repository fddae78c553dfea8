"""A NUL character (\\x00) in an uploaded file or a typed field is explained and writes nothing.
PostgreSQL refuses NUL in text outright, so without these checks it would be a server error there
(and an invisible character kept on SQLite). Run on both databases."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chronology.models import ChronologyEntry, ChronologyUpload, EntrySource
from chronology.services import chronology_entry_correct, chronology_upload_check
from chronology.upload import FileProblem
from conftest import World

from .factories import days_ago, record
from .test_upload import _file, _line

NUL_EXPLAINED = "hidden null character"


def _practitioner_entries() -> int:
    return ChronologyEntry.objects.exclude(source=EntrySource.SYSTEM).count()


def _form(**overrides) -> dict[str, str]:
    data = {
        "occurred_on": days_ago(2).isoformat(), "date_precision": "exact", "event_type": "presentation_concern",
        "description": "Ruby came to school without breakfast.", "impact_on_child": "Hungry.",
        "action_taken": "Breakfast club offered.", "significance": "significant",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["description", "impact_on_child", "action_taken"])
def test_a_typed_null_character_is_explained_on_its_field(world: World, signed_in, field: str) -> None:
    client = signed_in(world.dsl)
    url = reverse("chronology:entry_new", args=[world.child.public_id])
    response = client.post(url, _form(**{field: "Breakfast\x00 club"}))
    # Refused before any view runs, for every form in the service (web.middleware).
    assert response.status_code == 400
    assert "character we cannot store" in response.content.decode()
    assert _practitioner_entries() == 0


def test_a_null_character_in_a_correction_is_explained(world: World, signed_in) -> None:
    original = record(world.dsl, child=world.child)
    client = signed_in(world.dsl)
    url = reverse("chronology:entry_correct", args=[world.child.public_id, original.pk])
    response = client.post(url, _form(reason="The wrong\x00 date was given"))
    assert response.status_code == 400
    response = client.post(url, _form(reason="The wrong date was given", description="Came\x00 hungry"))
    assert response.status_code == 400
    assert _practitioner_entries() == 1


def test_the_services_refuse_null_characters_from_any_caller(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        record(world.dsl, child=world.child, description="Seen\x00", impact_on_child="\x00", action_taken="Rang\x00")
    assert set(caught.value.message_dict) == {"description", "impact_on_child", "action_taken"}
    original = record(world.dsl, child=world.child)
    with pytest.raises(ValidationError) as caught:
        chronology_entry_correct(
            author=world.dsl, original=original, reason="Wrong date\x00 given", occurred_on=days_ago(3),
            date_precision="exact", event_type="other", description="x", impact_on_child="", action_taken="x",
            significance="routine",
        )  # fmt: skip
    assert NUL_EXPLAINED in caught.value.message_dict["reason"][0]
    assert _practitioner_entries() == 1


def test_a_correction_reason_must_be_written_in_words(world: World) -> None:
    original = record(world.dsl, child=world.child)
    for reason in ("", "   ", "x", "....."):
        with pytest.raises(ValidationError) as caught:
            chronology_entry_correct(
                author=world.dsl, original=original, reason=reason, occurred_on=days_ago(3), date_precision="exact",
                event_type="other", description="x", impact_on_child="", action_taken="x", significance="routine",
            )  # fmt: skip
        assert "reason" in caught.value.message_dict, reason
    assert _practitioner_entries() == 1


@pytest.mark.parametrize(
    "raw",
    [
        _file(_line(nhs_number="9434765919", description="Not\x00 brought")),
        _file(_line(nhs_number="9434765919")) + b"\x00",
        "nhs_number,event_date".encode("utf-16-le"),  # saved as "Unicode text": every other byte is zero
    ],
    ids=["in a cell", "at the end", "utf-16 without a byte-order mark"],
)
def test_an_uploaded_file_with_a_null_character_is_refused_whole(world: World, raw: bytes) -> None:
    with pytest.raises(FileProblem) as caught:
        chronology_upload_check(user=world.dsl, filename="events.csv", raw=raw)
    assert "null character" in caught.value.errors[0] and "CSV UTF-8" in caught.value.errors[0]
    assert not ChronologyUpload.objects.exists()


def test_the_upload_page_explains_a_null_character_and_names_the_line(world: World, signed_in) -> None:
    raw = _file(_line(nhs_number="9434765919"), _line(nhs_number="9434765919", description="Not\x00 brought"))
    response = signed_in(world.dsl).post(
        reverse("chronology:upload"), {"file": SimpleUploadedFile("events.csv", raw, "text/csv")}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and "null character (a zero byte) on line 3" in text
    assert not ChronologyUpload.objects.exists() and _practitioner_entries() == 0


def test_a_null_character_in_the_file_name_is_dropped(world: World) -> None:
    raw = _file(_line(nhs_number="9434765919"))
    upload = chronology_upload_check(user=world.dsl, filename="events\x00.csv", raw=raw)
    assert ChronologyUpload.objects.get(pk=upload.pk).filename == "events.csv"
