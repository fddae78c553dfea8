import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chronology.models import ChronologyEntry, ChronologyUpload, EntrySource
from chronology.services import chronology_upload_check, chronology_upload_write
from chronology.upload import COLUMN_NAMES, NO_CHILD, FileProblem, template_csv
from conftest import World, involve, make_child
from people.models import Household

HEADER = ",".join(COLUMN_NAMES)


def _line(**cells) -> str:
    base = {"event_date": "2026-01-10", "event_type": "missed_health_appointment", "description": "Not brought",
            "action_taken": "Rebooked"}  # fmt: skip
    base.update(cells)
    return ",".join(str(base.get(c, "")) for c in COLUMN_NAMES)


def _file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def check(user, raw: bytes) -> ChronologyUpload:
    return chronology_upload_check(user=user, filename="events.csv", raw=raw)


def test_a_valid_file_is_checked_then_written_once(world: World) -> None:
    raw = _file(
        _line(nhs_number="943 476 5919"),
        _line(given_name="ruby", family_name="ASHWORTH", date_of_birth="04/05/2018", event_type="dental_concern"),
    )
    upload = check(world.dsl, raw)
    assert (upload.row_count, upload.valid_count, upload.error_count) == (2, 2, 0)
    assert not ChronologyEntry.objects.filter(source=EntrySource.UPLOAD).exists()  # a dry run writes nothing
    assert [r[1] for r in upload.results] == ["ready", "ready"]
    assert chronology_upload_write(upload=upload, user=world.dsl, valid_only=False) == 2
    entries = ChronologyEntry.objects.filter(source=EntrySource.UPLOAD)
    assert entries.count() == 2 and {e.agency for e in entries} == {world.dsl.agency}
    assert entries.get(event_type="dental_concern").significance == "significant"  # the type's default
    # The same file again adds nothing.
    again = check(world.dsl, raw)
    assert [r[1] for r in again.results] == ["recorded", "recorded"]
    assert chronology_upload_write(upload=again, user=world.dsl, valid_only=False) == 0
    assert ChronologyEntry.objects.filter(source=EntrySource.UPLOAD).count() == 2
    # And an upload is written once.
    with pytest.raises(ValidationError, match="already been written"):
        chronology_upload_write(upload=upload, user=world.dsl, valid_only=False)


def test_utf8_with_bom_is_accepted_and_other_encodings_are_explained(world: World) -> None:
    assert check(world.dsl, b"\xef\xbb\xbf" + _file(_line(nhs_number="9434765919"))).valid_count == 1
    latin = _file(_line(nhs_number="9434765919", description="Café visit")).decode().encode("latin-1")
    with pytest.raises(FileProblem, match="not in UTF-8"):
        check(world.dsl, latin)
    assert not ChronologyUpload.objects.filter(filename="events.csv", valid_count=0).exists()


def test_missing_and_unknown_columns_are_listed(world: World) -> None:
    with pytest.raises(FileProblem) as caught:
        check(world.dsl, _file("x", header="nhs_number,event_date,descripton"))
    errors = " ".join(caught.value.errors)
    assert "Columns missing: event_type, description" in errors
    assert "Columns not recognised: descripton" in errors
    with pytest.raises(FileProblem, match="empty"):
        check(world.dsl, b"")
    with pytest.raises(FileProblem, match="no events"):
        check(world.dsl, _file())


def test_every_row_error_names_its_row_and_column(world: World) -> None:
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    upload = check(
        world.dsl,
        _file(
            _line(nhs_number="9434765919", event_date="31/02/2026"),
            _line(nhs_number="9434765919", event_date=future),
            _line(nhs_number="9434765919", event_type="smelly_house"),
            _line(nhs_number="9434765919", event_type="episode_opened"),
            _line(nhs_number="9434765919", action_taken="", significance="huge"),
            _line(nhs_number="1234567881"),
            _line(),
            "9434765919,too,few",
        ),
    )
    by_row = {r[0]: r for r in upload.results}
    assert upload.error_count == 8 and upload.valid_count == 0
    assert "event_date: '31/02/2026' is not a date" in by_row[2][3]
    assert "today or in the past" in by_row[3][3]
    assert "event_type: 'smelly_house' is not an event type" in by_row[4][3]
    assert "recorded by Sightline itself" in by_row[5][3]
    assert "action_taken:" in by_row[6][3] and "significance:" in by_row[6][3]
    assert NO_CHILD in by_row[7][3]
    assert "Give the child's NHS number" in by_row[8][3]
    assert "cells; the header has" in by_row[9][3]


def test_invisible_children_are_reported_exactly_like_missing_ones(world: World) -> None:
    # Leo exists but the school is not involved with him; "Nobody Known" does not exist.
    upload = check(
        world.dsl,
        _file(
            _line(given_name="Leo", family_name="Marsh", date_of_birth="2018-05-04"),
            _line(given_name="Nobody", family_name="Known", date_of_birth="2018-05-04"),
        ),
    )
    messages = [r[3] for r in upload.results]
    assert messages[0] == messages[1] == f"nhs_number: {NO_CHILD}"


def test_duplicate_rows_within_the_file(world: World) -> None:
    row = _line(nhs_number="9434765919")
    upload = check(world.dsl, _file(row, row.replace("Not brought", "Not  brought")))
    assert upload.results[1][1] == "error" and "repeats row 2" in upload.results[1][3]


def test_nothing_is_written_unless_all_valid_or_the_uploader_accepts_valid_only(world: World) -> None:
    upload = check(world.dsl, _file(_line(nhs_number="9434765919"), _line(nhs_number="1234567881")))
    with pytest.raises(ValidationError, match="nothing was written"):
        chronology_upload_write(upload=upload, user=world.dsl, valid_only=False)
    assert not ChronologyEntry.objects.filter(source=EntrySource.UPLOAD).exists()
    assert chronology_upload_write(upload=upload, user=world.dsl, valid_only=True) == 1


def test_an_upload_belongs_to_its_uploader_and_expires(world: World) -> None:
    upload = check(world.dsl, _file(_line(nhs_number="9434765919")))
    with pytest.raises(ChronologyUpload.DoesNotExist):
        chronology_upload_write(upload=upload, user=world.sw, valid_only=False)
    ChronologyUpload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        chronology_upload_write(upload=upload, user=world.dsl, valid_only=False)


def test_analysts_cannot_upload(world: World) -> None:
    with pytest.raises(ValidationError):
        check(world.analyst, _file(_line(nhs_number="9434765919")))


def test_the_template_is_a_valid_file(world: World) -> None:
    upload = check(world.dsl, template_csv().replace("2026-03-14", "2026-01-14").encode())
    assert upload.valid_count == 1, upload.results


def test_a_file_of_100000_rows_is_checked_and_written_in_reasonable_time(world: World) -> None:
    household = Household.objects.create(address_line="2 Mill Lane")
    children = [make_child(household, f"Child{i}", date(2015, 1, 1) + timedelta(days=i)) for i in range(40)]
    involve(world.dsl, household=household)
    lines = [
        _line(given_name=f"Child{i % 40}", family_name="Ashworth",
              date_of_birth=(date(2015, 1, 1) + timedelta(days=i % 40)).isoformat(),
              event_date=(date(2025, 1, 1) + timedelta(days=i % 300)).isoformat(),
              event_type="school_absence_period", description=f"Absent for session {i}")
        for i in range(100_000)
    ]  # fmt: skip
    raw = _file(*lines)
    started = time.monotonic()
    upload = check(world.dsl, raw)
    checked = time.monotonic() - started
    assert upload.valid_count == 100_000 and upload.error_count == 0
    assert chronology_upload_write(upload=upload, user=world.dsl, valid_only=False) == 100_000
    assert ChronologyEntry.objects.filter(child__in=children).count() == 100_000
    assert checked < 30 and time.monotonic() - started < 90
