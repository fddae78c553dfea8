"""Writes for the chronology. Entries are append-only: recording, correcting (a new entry that
supersedes the old one) and idempotent system entries are the only ways in.

Other apps record what the system itself knows with `chronology_system_entry_record` (requests
for support, front door decisions, plans). Episodes and assessments are written here by
`chronology_system_events_sync`, which the chronology pages and exports call before reading,
because those apps' services are not ours to change; calling the sync again adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_normalise, reason_problem
from assessments.models import AssessedChild, AssessmentStatus
from cases.models import Episode
from people.models import Child, Household

from .models import ChronologyEntry, DatePrecision, EntrySource, Significance
from .selectors import entry_is_visible
from .taxonomy import EventType, default_taxonomy

if TYPE_CHECKING:
    from accounts.models import User


# PostgreSQL refuses a NUL character in text, and SQLite would keep an invisible one; both are refused
# with this message rather than failing at the database.
NUL_MESSAGE = (
    "This text contains a hidden null character, usually from copying out of another system. "
    "Delete the text and type it again."
)


def normalise_date(occurred_on: date, precision: str) -> date:
    """An approximate date is stored as the first day of its month or year, so it sorts predictably."""
    if precision == DatePrecision.MONTH:
        return occurred_on.replace(day=1)
    if precision == DatePrecision.YEAR:
        return occurred_on.replace(month=1, day=1)
    return occurred_on


def _subject_errors(*, author: User, child: Child | None, household: Household | None) -> dict[str, list[str]]:
    if (child is None) == (household is None):
        return {"__all__": ["An entry is about one child or one household."]}
    if author is None:
        return {"__all__": ["Only practitioners involved with the child can add to their chronology."]}
    # Whether this person may add to this child's or household's chronology is the authority rule,
    # checked once the entry itself is valid (access.authority, Act.CHRONOLOGY_RECORD).
    return {}


def _entry_errors(
    *,
    occurred_on: date | None,
    date_precision: str,
    event_type: str,
    description: str,
    impact_on_child: str,
    action_taken: str,
    no_action_taken: bool,
    significance: str,
    restricted: bool,
    author: User,
) -> tuple[dict[str, list[str]], EventType | None]:
    errors: dict[str, list[str]] = {}
    event = default_taxonomy().get(event_type)
    if event is None:
        errors.setdefault("event_type", []).append("Choose an event type from the list.")
    elif not event.hand_recordable:
        errors.setdefault("event_type", []).append(
            f"'{event.label}' is recorded by Sightline itself. Choose another event type."
        )
    if occurred_on is None:
        errors.setdefault("occurred_on", []).append("Enter the date of the event.")
    elif occurred_on > timezone.localdate():
        errors.setdefault("occurred_on", []).append("The date of the event must be today or in the past.")
    if date_precision not in DatePrecision.values:
        errors.setdefault("date_precision", []).append("Say whether the date is exact or approximate.")
    if not description.strip():
        errors.setdefault("description", []).append("Describe what happened, factually.")
    texts = {"description": description, "impact_on_child": impact_on_child, "action_taken": action_taken}
    for name, text in texts.items():
        if "\x00" in text:
            errors.setdefault(name, []).append(NUL_MESSAGE)
    if action_taken.strip() and no_action_taken:
        errors.setdefault("action_taken", []).append(
            "Describe the action taken, or say that none was taken - not both."
        )
    elif not action_taken.strip() and not no_action_taken:
        errors.setdefault("action_taken", []).append("Describe the action taken, or say that none was taken.")
    if significance not in Significance.values:
        errors.setdefault("significance", []).append("Choose how significant the event is.")
    if restricted and not getattr(author, "agency_id", None):
        errors.setdefault("restricted", []).append(
            "Only someone who works for an agency can restrict an entry to their agency."
        )
    return errors, event


def chronology_entry_record(
    *,
    author: User,
    child: Child | None = None,
    household: Household | None = None,
    occurred_on: date | None,
    date_precision: str,
    event_type: str,
    description: str,
    impact_on_child: str,
    action_taken: str,
    significance: str,
    restricted: bool = False,
    no_action_taken: bool = False,
    _supersedes: ChronologyEntry | None = None,
    _correction_reason: str = "",
) -> ChronologyEntry:
    """Record one event by a practitioner. Agency and author come from the user; every problem is
    explained in one ValidationError keyed by field."""
    errors = _subject_errors(author=author, child=child, household=household)
    field_errors, _event = _entry_errors(
        occurred_on=occurred_on,
        date_precision=date_precision,
        event_type=event_type,
        description=description,
        impact_on_child=impact_on_child,
        action_taken=action_taken,
        no_action_taken=no_action_taken,
        significance=significance,
        restricted=restricted,
        author=author,
    )
    errors.update(field_errors)
    if errors:
        raise ValidationError(errors)
    subjects = [child] if child is not None else list(household.children.all())
    authorise(user=author, act=Act.CHRONOLOGY_RECORD, children=subjects, every=child is not None)
    entry = ChronologyEntry.objects.create(
        child=child,
        household=household,
        occurred_on=normalise_date(occurred_on, date_precision),
        date_precision=date_precision,
        event_type=event_type,
        taxonomy_version=default_taxonomy().version,
        agency_id=author.agency_id,
        author=author,
        description=description.strip(),
        impact_on_child=impact_on_child.strip(),
        action_taken="" if no_action_taken else action_taken.strip(),
        no_action_taken=no_action_taken,
        significance=significance,
        restricted=restricted,
        source=EntrySource.PRACTITIONER,
        supersedes=_supersedes,
        correction_reason=_correction_reason,
    )
    _signals_refresh(Child.objects.filter(pk=child.pk) if child else Child.objects.filter(household=household))
    return entry


def _signals_refresh(children) -> None:
    """New evidence changes the cumulative-harm signals at once, not at the next nightly refresh.
    Imported here because the signals app reads the chronology (the dependency runs that way)."""
    from signals.services import signals_refresh_many

    batch: list[Child] = []
    for child in children.iterator(chunk_size=500):
        batch.append(child)
        if len(batch) == 500:
            signals_refresh_many(children=batch)
            batch = []
    if batch:
        signals_refresh_many(children=batch)


def user_may_correct(*, user: User, entry: ChronologyEntry) -> bool:
    """Corrections come from the agency that made the entry; system entries are corrected at
    their source (the episode, assessment or decision), not in the chronology."""
    return (
        entry.source != EntrySource.SYSTEM
        and entry.agency_id is not None
        and entry.agency_id == getattr(user, "agency_id", None)
    )


def chronology_entry_correct(
    *,
    author: User,
    original: ChronologyEntry,
    reason: str,
    occurred_on: date | None,
    date_precision: str,
    event_type: str,
    description: str,
    impact_on_child: str,
    action_taken: str,
    significance: str,
    restricted: bool = False,
    no_action_taken: bool = False,
) -> ChronologyEntry:
    """A new entry that supersedes `original`; both stay visible, the original marked as corrected."""
    subjects = [original.child] if original.child_id else list(original.household.children.all())
    authorise(user=author, act=Act.CHRONOLOGY_RECORD, children=subjects, every=original.child_id is not None)
    if not entry_is_visible(user=author, entry=original):
        raise ValidationError({"__all__": ["You can correct only an entry you can see."]})
    if not user_may_correct(user=author, entry=original):
        raise ValidationError(
            {"__all__": ["Only someone in the agency that made this entry can correct it. Add a new entry instead."]}
        )
    if original.is_superseded:
        raise ValidationError({"__all__": ["This entry has already been corrected. Correct the latest version."]})
    if "\x00" in reason:
        raise ValidationError({"reason": [NUL_MESSAGE]})
    problem = reason_problem(reason, subject="why the entry needs correcting")
    if problem:
        raise ValidationError({"reason": [problem + "."]})
    try:
        with transaction.atomic():
            return chronology_entry_record(
                author=author,
                child=original.child,
                household=original.household,
                occurred_on=occurred_on,
                date_precision=date_precision,
                event_type=event_type,
                description=description,
                impact_on_child=impact_on_child,
                action_taken=action_taken,
                significance=significance,
                restricted=restricted,
                no_action_taken=no_action_taken,
                _supersedes=original,
                _correction_reason=reason_normalise(reason),
            )
    except IntegrityError as exc:  # someone corrected it at the same moment
        raise ValidationError({"__all__": ["This entry has just been corrected by someone else."]}) from exc


def chronology_system_entry_record(
    *,
    child: Child | None,
    event_type: str,
    occurred_on: date,
    description: str,
    source_key: str,
    household: Household | None = None,
    significance: str | None = None,
) -> ChronologyEntry:
    """An event the system itself knows (an episode, an assessment, a decision, a request, a plan).
    Idempotent on `source_key`: recording the same key again returns the existing entry."""
    if not source_key:
        raise ValueError("A system entry needs a source_key, so it is written once.")
    if (child is None) == (household is None):
        raise ValueError("A system entry is about one child or one household.")
    event = default_taxonomy().get(event_type)
    if event is None:
        raise ValueError(f"Unknown chronology event type: {event_type}")
    existing = ChronologyEntry.objects.filter(source=EntrySource.SYSTEM, source_key=source_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ChronologyEntry.objects.create(
                child=child,
                household=household,
                occurred_on=occurred_on,
                event_type=event_type,
                taxonomy_version=default_taxonomy().version,
                description=description,
                no_action_taken=False,
                significance=significance or event.default_significance,
                source=EntrySource.SYSTEM,
                source_key=source_key,
            )
    except IntegrityError:
        return ChronologyEntry.objects.get(source=EntrySource.SYSTEM, source_key=source_key)


def _system_entry(taxonomy, *, child_id: int, occurred_on: date, event_type: str, description: str, source_key: str):
    """An unsaved system entry with the event type's usual significance."""
    return ChronologyEntry(
        child_id=child_id,
        occurred_on=occurred_on,
        event_type=event_type,
        taxonomy_version=taxonomy.version,
        description=description,
        significance=taxonomy.get(event_type).default_significance,
        source=EntrySource.SYSTEM,
        source_key=source_key,
    )


def system_entries_for_episodes(episodes) -> list[ChronologyEntry]:
    """Unsaved system entries for episodes opening and closing (keys `episode:<pk>:opened|closed`)."""
    taxonomy = default_taxonomy()
    entries = []
    for episode in episodes:
        level = episode.get_level_display()
        detail = f" ({episode.get_abuse_category_display()})" if episode.abuse_category else ""
        summary = f" {episode.summary}" if episode.summary else ""
        entries.append(
            _system_entry(
                taxonomy,
                child_id=episode.child_id,
                occurred_on=episode.started_on,
                event_type="episode_opened",
                description=f"{level}{detail} episode opened.{summary}",
                source_key=f"episode:{episode.pk}:opened",
            )
        )
        if episode.ended_on:
            entries.append(
                _system_entry(
                    taxonomy,
                    child_id=episode.child_id,
                    occurred_on=episode.ended_on,
                    event_type="episode_closed",
                    description=f"{level}{detail} episode closed.",
                    source_key=f"episode:{episode.pk}:closed",
                )
            )
    return entries


def system_entries_for_assessments(assessed_children) -> list[ChronologyEntry]:
    """Unsaved system entries for submitted and signed-off assessments, one per assessed child."""
    taxonomy = default_taxonomy()
    entries = []
    for assessed in assessed_children:
        assessment = assessed.assessment
        name = assessment.tool_version.name
        key = f"assessment:{assessment.pk}:child:{assessed.child_id}"
        if assessment.submitted_at:
            entries.append(
                _system_entry(
                    taxonomy,
                    child_id=assessed.child_id,
                    occurred_on=timezone.localdate(assessment.submitted_at),
                    event_type="assessment_submitted",
                    description=f"{name} assessment submitted for sign-off by {assessment.lead}.",
                    source_key=f"{key}:submitted",
                )
            )
        if assessment.status == AssessmentStatus.SIGNED_OFF and assessment.decided_at:
            entries.append(
                _system_entry(
                    taxonomy,
                    child_id=assessed.child_id,
                    occurred_on=timezone.localdate(assessment.decided_at),
                    event_type="assessment_signed_off",
                    description=f"{name} assessment signed off by {assessment.decided_by}.",
                    source_key=f"{key}:signed_off",
                )
            )
    return entries


def chronology_system_events_sync(*, child_ids: list[int]) -> int:
    """Write the system entries for these children's episodes and assessments that are not yet in
    the chronology. Idempotent; a constant number of queries (three reads, at most one insert)."""
    episodes = Episode.objects.filter(child_id__in=child_ids)
    assessed = AssessedChild.objects.filter(
        child_id__in=child_ids,
        assessment__status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED, AssessmentStatus.SIGNED_OFF],
    ).select_related("assessment", "assessment__tool_version", "assessment__lead", "assessment__decided_by")
    wanted = system_entries_for_episodes(episodes) + system_entries_for_assessments(assessed)
    if not wanted:
        return 0
    existing = set(
        ChronologyEntry.objects.filter(
            source=EntrySource.SYSTEM, source_key__in=[e.source_key for e in wanted]
        ).values_list("source_key", flat=True)
    )
    missing = [e for e in wanted if e.source_key not in existing]
    if missing:
        ChronologyEntry.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


UPLOAD_HOURS = 24


def user_may_upload(user: User) -> bool:
    """Practitioners of any agency contribute; analysts and people with no agency do not."""
    return bool(getattr(user, "is_authenticated", False) and user.agency_id and not user.is_analyst)


def chronology_upload_check(*, user: User, filename: str, raw: bytes):
    """Dry run: keep the file (owned by the uploader, expiring) with every row's result. Nothing is
    written to the chronology. Raises upload.FileProblem when the file as a whole cannot be read."""
    from .models import ChronologyUpload
    from .upload import check_rows, checksum, decode, read_rows

    if not user_may_upload(user):
        raise ValidationError("Only practitioners in a partner agency can upload chronology events.")
    # Read the file first, so a file that cannot be read writes nothing at all.
    text = decode(raw)
    rows = read_rows(text)
    now = timezone.now()
    # Expired files are not kept: the identifiers in them have no further use.
    ChronologyUpload.objects.filter(expires_at__lte=now).exclude(content="").update(content="", results=[])
    result = check_rows(user=user, rows=rows)
    return ChronologyUpload.objects.create(
        uploader=user,
        agency_id=user.agency_id,
        filename=filename.replace("\x00", "")[:200],
        content=text,
        checksum=checksum(text),
        row_count=len(result.rows),
        valid_count=len(result.ready),
        error_count=len(result.errors),
        created_at=now,
        expires_at=now + timedelta(hours=UPLOAD_HOURS),
        results=result.summary(),
    )


def chronology_upload_write(*, upload, user: User, valid_only: bool) -> int:
    """Write the upload's rows in one transaction: all of them if every row is valid, or only the valid
    rows when the uploader has accepted that. The rows are checked again (visibility may have changed
    since the dry run); rows already in the chronology are skipped, so writing twice adds nothing."""
    from .models import ChronologyUpload
    from .upload import check_rows, checksum, read_rows

    with transaction.atomic():
        upload = ChronologyUpload.objects.select_for_update().get(pk=upload.pk, uploader=user)
        if upload.is_expired:
            raise ValidationError("This upload has expired. Upload the file again.")
        if upload.status == ChronologyUpload.Status.WRITTEN:
            raise ValidationError("This upload has already been written.")
        if checksum(upload.content) != upload.checksum:
            raise ValidationError("The stored file has changed since it was checked. Upload it again.")
        result = check_rows(user=user, rows=read_rows(upload.content))
        if result.errors and not valid_only:
            raise ValidationError(
                f"{len(result.errors)} row{'s' if len(result.errors) != 1 else ''} have errors, so nothing was "
                "written. Correct the file and upload it again, or choose to write only the valid rows."
            )
        now = timezone.now()
        version = default_taxonomy().version
        entries = [
            ChronologyEntry(
                child_id=row.child_id,
                taxonomy_version=version,
                agency_id=user.agency_id,
                author=user,
                source=EntrySource.UPLOAD,
                source_key=row.source_key,
                upload=upload,
                recorded_at=now,
                **row.values,
            )
            for row in result.ready
        ]
        ChronologyEntry.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)
        _signals_refresh(Child.objects.filter(pk__in={row.child_id for row in result.ready}))
        ChronologyUpload.objects.filter(pk=upload.pk).update(
            status=ChronologyUpload.Status.WRITTEN,
            written_at=now,
            written_count=len(entries),
            results=[
                [n, "written" if status == "ready" else status, child, message]
                for n, status, child, message in result.summary()
            ],
            valid_count=len(result.ready),
            error_count=len(result.errors),
        )
    return len(entries)
