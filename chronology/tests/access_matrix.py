"""Access-matrix entries for the chronology's pages and exports (gathered by tests/test_access_matrix.py)."""

from __future__ import annotations

from django.urls import reverse

from chronology.services import chronology_upload_check
from chronology.upload import template_csv
from conftest import World
from tests.matrix import Entry

from .factories import record

# Practitioners of any agency upload; analysts and the administrator (no agency) do not.
UPLOADERS = {p: 200 for p in ("sw", "tm", "hv", "dsl", "police", "eh", "outsider")}


def _school_upload(world: World) -> str:
    upload = chronology_upload_check(
        user=world.dsl, filename="events.csv", raw=template_csv().replace("2026-03-14", "2026-01-14").encode()
    )
    return reverse("chronology:upload_check", args=[upload.pk])


def _school_upload_rejects(world: World) -> str:
    return _school_upload(world) + "rejects.csv"


# Ruby (world.child) is seen by her social worker, the manager, the school and the police (household).
SEE_RUBY = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}


def _correct_school_entry(world: World) -> str:
    entry = record(world.dsl, child=world.child)
    return reverse("chronology:entry_correct", args=[world.child.public_id, entry.pk])


def _child_url(name: str):
    return lambda w: reverse(name, args=[w.child.public_id])


ENTRIES: dict[str, Entry] = {
    "chronology:child": Entry(_child_url("chronology:child"), SEE_RUBY, identifiable=True),
    "chronology:household": Entry(_child_url("chronology:household"), SEE_RUBY, identifiable=True),
    "chronology:entry_new": Entry(_child_url("chronology:entry_new"), SEE_RUBY, identifiable=True),
    # Only the agency that made an entry corrects it: the school's entry, for the school.
    "chronology:entry_correct": Entry(_correct_school_entry, {"dsl": 200}, identifiable=True),
    "chronology:export_csv": Entry(_child_url("chronology:export_csv"), SEE_RUBY, identifiable=True),
    "chronology:export_pdf": Entry(_child_url("chronology:export_pdf"), SEE_RUBY, identifiable=True),
    "chronology:upload": Entry(lambda w: reverse("chronology:upload"), UPLOADERS),
    "chronology:upload_template": Entry(lambda w: reverse("chronology:upload_template"), UPLOADERS),
    # An upload is seen only by the person who uploaded it.
    "chronology:upload_check": Entry(_school_upload, {"dsl": 200}, identifiable=True),
    "chronology:upload_rejects": Entry(_school_upload_rejects, {"dsl": 200}, identifiable=True),
}
