"""Bulk contribution: an agency's CSV of chronology events, checked row by row before anything is written.

The rules, in one place:
- The file must be UTF-8 (a byte-order mark is accepted) with the columns in `COLUMNS`.
- Each row names a child by NHS number, or UPN, or given name + family name + date of birth, tried in
  that order. Only children the uploader may see (`Child.objects.visible_to`) can match; any other row
  gets the same message whether or not such a child exists, so an upload cannot probe the register.
- Children are looked up in bulk, by sets of identifiers, so a file of 100,000 rows is a few queries.
- Each valid row's `source_key` is a hash of the uploader's agency and the normalised row (the child
  matched and the event's fields), so loading the same file twice adds nothing; a row repeated within
  the file is an error on the repeat.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils import timezone

from people.models import Child

from .models import ChronologyEntry, DatePrecision, EntrySource, Significance
from .services import normalise_date
from .taxonomy import default_taxonomy

if TYPE_CHECKING:
    from accounts.models import User

MAX_ROWS = 200_000
MAX_TEXT = 5000
LOOKUP_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("nhs_number", False, "The child's 10-digit NHS number. Give this, or the UPN, or name and date of birth."),
    Column("upn", False, "The child's Unique Pupil Number (13 characters)."),
    Column("given_name", False, "The child's given name, if you have no NHS number or UPN."),
    Column("family_name", False, "The child's family name, if you have no NHS number or UPN."),
    Column("date_of_birth", False, "The child's date of birth (YYYY-MM-DD or DD/MM/YYYY), with the names."),
    Column("event_date", True, "The date of the event (YYYY-MM-DD or DD/MM/YYYY). Not in the future."),
    Column("date_precision", False, "exact (the default), month or year, when only the month or year is known."),
    Column("event_type", True, "An event type code from the list on this page, for example missed_health_appointment."),
    Column("description", True, "What happened, factually."),
    Column("impact_on_child", False, "The impact on the child, if known."),
    Column("action_taken", False, "The action your agency took. Leave blank and put yes in no_action_taken if none."),
    Column("no_action_taken", False, "yes if no action was taken; otherwise blank or no."),
    Column("significance", False, "routine, significant or critical. Blank uses the event type's usual significance."),
    Column("restricted", False, "yes to restrict the entry to your agency and the child's lead practitioner."),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
PRECISIONS = frozenset(DatePrecision.values)
SIGNIFICANCES = frozenset(Significance.values)
YES = {"yes", "y", "true", "1"}
NO = {"", "no", "n", "false", "0"}

NO_CHILD = "No child you can see matches this row's NHS number, UPN, or name and date of birth."


class FileProblem(Exception):
    """The file as a whole cannot be read; `errors` lists why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            [
                f"The file is not in UTF-8 (the problem starts at byte {exc.start + 1}). "
                "In your spreadsheet, use Save As and choose 'CSV UTF-8'."
            ]
        ) from exc
    # No text in the chronology can hold a NUL character (PostgreSQL refuses one outright), and a
    # CSV with one is almost always saved as UTF-16 or damaged, so the whole file is refused.
    nul = text.find("\x00")
    if nul != -1:
        line = text.count("\n", 0, nul) + 1
        raise FileProblem(
            [
                f"The file contains a null character (a zero byte) on line {line}. This usually means it was "
                "saved as 'Unicode text' or UTF-16, or copied from another system. In your spreadsheet, use "
                "Save As and choose 'CSV UTF-8', then upload it again."
            ]
        )
    return text


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class RowResult:
    number: int  # the line's row number in the file, counting the header as row 1
    raw: dict[str, str]
    child_id: int | None = None
    child_name: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    status: str = "error"  # ready | recorded | error
    values: dict | None = None
    source_key: str = ""


@dataclass
class CheckResult:
    rows: list[RowResult]

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def ready(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "ready"]

    @property
    def recorded(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "recorded"]

    def summary(self) -> list[list]:
        """Compact per-row results to keep with the upload: [row, status, child, messages]."""
        return [
            [r.number, r.status, r.child_name, "; ".join(f"{col}: {msg}" if col else msg for col, msg in r.errors)]
            for r in self.rows
        ]


@lru_cache(maxsize=20_000)
def _parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY. Cached: a large file repeats the same few hundred dates."""
    value = value.strip()
    try:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return date.fromisoformat(value)
        day, month, year = value.split("/")
        if len(year) == 4:
            return date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None


def read_rows(text: str) -> list[dict[str, str]]:
    """Rows as dicts keyed by our column names, after checking the header. Raises FileProblem."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FileProblem(["The file is empty. Use the template: a header row, then one row per event."]) from exc
    except csv.Error as exc:
        raise FileProblem([f"The file is not a readable CSV: {exc}"]) from exc
    names = [h.strip().lower() for h in header]
    errors = []
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        errors.append(
            f"Columns missing: {', '.join(missing)}. The first row must name the columns, as in the template."
        )
    unknown = [n for n in names if n and n not in COLUMN_NAMES]
    if unknown:
        errors.append(f"Columns not recognised: {', '.join(unknown)}. Use the column names in the template.")
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        errors.append(f"Columns named more than once: {', '.join(repeated)}.")
    if not any(n in names for n in ("nhs_number", "upn", "given_name")):
        errors.append("The file needs a column to find the child by: nhs_number, upn, or given_name with family_name.")
    if errors:
        raise FileProblem(errors)
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                rows.append({})  # a blank line: kept so row numbers match the file, skipped later
                continue
            if len(cells) != len(names):
                rows.append({"__width__": f"This row has {len(cells)} cells; the header has {len(names)}."})
                continue
            rows.append({n: c.strip() for n, c in zip(names, cells, strict=True) if n})
            if len(rows) > MAX_ROWS:
                raise FileProblem([f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files."])
    except csv.Error as exc:
        raise FileProblem([f"The file is not a readable CSV near row {reader.line_num}: {exc}"]) from exc
    if not any(rows):
        raise FileProblem(["The file has a header but no events."])
    return rows


def _chunks(values: Iterable, size: int = LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class ChildIndex:
    by_nhs: dict[str, tuple[int, str]]
    by_upn: dict[str, tuple[int, str]]
    by_name: dict[tuple[str, str, date], list[tuple[int, str]]]


def _name_key(given: str, family: str, born: date) -> tuple[str, str, date]:
    return (" ".join(given.lower().split()), " ".join(family.lower().split()), born)


def child_index(*, user: User, rows: list[dict[str, str]]) -> ChildIndex:
    """The visible children the rows name, found by sets of identifiers, a few queries per 2,000 values."""
    nhs = {r["nhs_number"].replace(" ", "") for r in rows if r.get("nhs_number")}
    upns = {r["upn"].upper() for r in rows if r.get("upn")}
    births = {d for r in rows if r.get("date_of_birth") and (d := _parse_date(r["date_of_birth"]))}
    # Rows match only children the uploader works with: emergency access reads, it never adds.
    visible = Child.objects.involved_with(user)
    fields = ("pk", "given_name", "family_name", "nhs_number", "upn", "date_of_birth")
    index = ChildIndex({}, {}, {})
    for chunk in _chunks(nhs):
        for pk, given, family, number, _upn, _born in visible.filter(nhs_number__in=chunk).values_list(*fields):
            index.by_nhs[number] = (pk, f"{given} {family}")
    for chunk in _chunks(upns):
        for pk, given, family, _nhs, upn, _born in visible.filter(upn__in=chunk).values_list(*fields):
            index.by_upn[upn.upper()] = (pk, f"{given} {family}")
    for chunk in _chunks(births):
        for pk, given, family, _nhs, _upn, born in visible.filter(date_of_birth__in=chunk).values_list(*fields):
            index.by_name.setdefault(_name_key(given, family, born), []).append((pk, f"{given} {family}"))
    return index


def _match(row: dict[str, str], index: ChildIndex) -> tuple[tuple[int, str] | None, tuple[str, str] | None]:
    """The child a row names, or an error (column, message)."""
    given_something = False
    if row.get("nhs_number"):
        given_something = True
        found = index.by_nhs.get(row["nhs_number"].replace(" ", ""))
        if found:
            return found, None
    if row.get("upn"):
        given_something = True
        found = index.by_upn.get(row["upn"].upper())
        if found:
            return found, None
    if row.get("given_name") or row.get("family_name") or row.get("date_of_birth"):
        given_something = True
        born = _parse_date(row.get("date_of_birth", ""))
        if not (row.get("given_name") and row.get("family_name")):
            return None, ("given_name", "Give both the child's given name and family name, with the date of birth.")
        if born is None:
            return None, ("date_of_birth", "Enter the child's date of birth as YYYY-MM-DD or DD/MM/YYYY.")
        found = index.by_name.get(_name_key(row["given_name"], row["family_name"], born), [])
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, (
                "given_name",
                "More than one child you can see has this name and date of birth: give the NHS number or UPN.",
            )
    if not given_something:
        return None, ("nhs_number", "Give the child's NHS number, UPN, or given name, family name and date of birth.")
    return None, ("nhs_number", NO_CHILD)


def _normalised(text: str) -> str:
    return " ".join(text.split())


def source_key_for(*, agency_id: int | None, child_id: int, values: dict) -> str:
    canonical = json.dumps(
        {"agency": agency_id, "child": child_id, **{k: str(v) for k, v in sorted(values.items())}},
        sort_keys=True,
        separators=(",", ":"),
    )
    return "upload:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _row_values(row: dict[str, str], today: date) -> tuple[dict | None, list[tuple[str, str]]]:
    """The event's fields from a row, normalised, or the errors (column, message)."""
    taxonomy = default_taxonomy()
    errors: list[tuple[str, str]] = []
    occurred = _parse_date(row.get("event_date", ""))
    if not row.get("event_date"):
        errors.append(("event_date", "Enter the date of the event."))
    elif occurred is None:
        errors.append(("event_date", f"'{row['event_date']}' is not a date: use YYYY-MM-DD or DD/MM/YYYY."))
    elif occurred > today:
        errors.append(("event_date", "The date of the event must be today or in the past."))
    precision = (row.get("date_precision") or "exact").lower()
    if precision not in PRECISIONS:
        errors.append(("date_precision", "Use exact, month or year."))
    code = row.get("event_type", "").strip().lower()
    event = taxonomy.get(code)
    if not code:
        errors.append(("event_type", "Enter an event type code."))
    elif event is None:
        errors.append(("event_type", f"'{row['event_type']}' is not an event type: use a code from the list."))
    elif not event.hand_recordable:
        errors.append(("event_type", f"'{code}' is recorded by Sightline itself and cannot be uploaded."))
    description = row.get("description", "")
    if not description:
        errors.append(("description", "Describe what happened."))
    for name in ("description", "impact_on_child", "action_taken"):
        if len(row.get(name, "")) > MAX_TEXT:
            errors.append((name, f"Keep this to {MAX_TEXT:,} characters."))
    no_action = row.get("no_action_taken", "").lower()
    if no_action not in YES | NO:
        errors.append(("no_action_taken", "Use yes or leave blank."))
    action = row.get("action_taken", "")
    if action and no_action in YES:
        errors.append(("action_taken", "Give the action taken, or yes in no_action_taken - not both."))
    elif not action and no_action not in YES:
        errors.append(("action_taken", "Give the action taken, or put yes in no_action_taken."))
    significance = row.get("significance", "").lower()
    if significance and significance not in SIGNIFICANCES:
        errors.append(("significance", "Use routine, significant or critical, or leave blank."))
    restricted = row.get("restricted", "").lower()
    if restricted not in YES | NO:
        errors.append(("restricted", "Use yes or leave blank."))
    if errors:
        return None, errors
    return {
        "occurred_on": normalise_date(occurred, precision),
        "date_precision": precision,
        "event_type": code,
        "description": _normalised(description),
        "impact_on_child": _normalised(row.get("impact_on_child", "")),
        "action_taken": "" if no_action in YES else _normalised(action),
        "no_action_taken": no_action in YES,
        "significance": significance or event.default_significance,
        "restricted": restricted in YES,
    }, []


def check_rows(*, user: User, rows: list[dict[str, str]]) -> CheckResult:
    """Every row's result: ready to write, already recorded (skipped), or its errors."""
    today = timezone.localdate()
    index = child_index(user=user, rows=[r for r in rows if r and "__width__" not in r])
    results: list[RowResult] = []
    first_seen: dict[str, int] = {}
    for offset, row in enumerate(rows):
        number = offset + 2
        if not row:
            continue
        result = RowResult(number=number, raw=row)
        results.append(result)
        if "__width__" in row:
            result.errors.append(("", row["__width__"]))
            continue
        found, problem = _match(row, index)
        values, errors = _row_values(row, today)
        if problem:
            result.errors.append(problem)
        result.errors.extend(errors)
        if found:
            result.child_id, result.child_name = found
        if result.errors:
            continue
        result.values = values
        result.source_key = source_key_for(agency_id=user.agency_id, child_id=result.child_id, values=values)
        if result.source_key in first_seen:
            result.errors.append(("", f"This row repeats row {first_seen[result.source_key]}."))
            continue
        first_seen[result.source_key] = number
        result.status = "ready"
    existing: set[str] = set()
    for chunk in _chunks(first_seen):
        existing |= set(
            ChronologyEntry.objects.filter(source=EntrySource.UPLOAD, source_key__in=chunk).values_list(
                "source_key", flat=True
            )
        )
    for result in results:
        if result.status == "ready" and result.source_key in existing:
            result.status = "recorded"
    return CheckResult(results)


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerow(
        ["9434765919", "", "", "", "", "2026-03-14", "exact", "missed_health_appointment",
         "Not brought to the audiology appointment at 10:30.", "Hearing not checked.", "Appointment rebooked.",
         "", "routine", ""]
    )  # fmt: skip
    return buffer.getvalue()


def rejects_csv(rows: list[RowResult]) -> str:
    from .exports import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", *COLUMN_NAMES, "errors"])
    for row in rows:
        message = "; ".join(f"{col}: {msg}" if col else msg for col, msg in row.errors)
        writer.writerow([str(row.number), *(neutralise(row.raw.get(c, "")) for c in COLUMN_NAMES), neutralise(message)])
    return "\ufeff" + buffer.getvalue()
