"""The multi-agency chronology: an append-only record of the events in a child's (or household's)
life that the agencies know about, and the CSV files agencies upload to contribute events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from access.append_only import AppendOnlyModel


class DatePrecision(models.TextChoices):
    EXACT = "exact", "Exact date"
    MONTH = "month", "Approximate: month known"
    YEAR = "year", "Approximate: year known"


class Significance(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SIGNIFICANT = "significant", "Significant"
    CRITICAL = "critical", "Critical"


class EntrySource(models.TextChoices):
    PRACTITIONER = "practitioner", "Recorded by a practitioner"
    UPLOAD = "upload", "Uploaded by an agency"
    SYSTEM = "system", "Recorded by Sightline"


class ChronologyUpload(models.Model):
    """One CSV file an agency uploaded, kept between the dry run and the confirmation so the rows
    written are exactly the rows checked (the checksum proves it). Owned by the uploader, expires."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, not written"
        WRITTEN = "written", "Written"

    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.TextField(help_text="The file as decoded UTF-8 text.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the content.")
    row_count = models.PositiveIntegerField(default=0)
    valid_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    written_at = models.DateTimeField(null=True, blank=True)
    written_count = models.PositiveIntegerField(default=0)
    results = models.JSONField(
        default=list, help_text="The dry run's result for every row: [row number, status, child, messages]."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["uploader", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} uploaded by {self.uploader}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class ChronologyEntry(AppendOnlyModel):
    """One event in a child's or a household's chronology. Append-only: never updated or deleted, and
    the database refuses it too (migration 0003). A correction is a new entry whose `supersedes`
    points at the entry it corrects; both stay, and "superseded" is derived from the correction
    (the one-to-one's unique index on `supersedes_id` keeps that a cheap lookup)."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    occurred_on = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.EXACT)
    event_type = models.CharField(max_length=60, help_text="A code from the chronology event taxonomy.")
    taxonomy_version = models.PositiveIntegerField(default=1)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    description = models.TextField()
    impact_on_child = models.TextField(blank=True)
    action_taken = models.TextField(blank=True)
    no_action_taken = models.BooleanField(default=False)
    significance = models.CharField(max_length=12, choices=Significance.choices, default=Significance.ROUTINE)
    restricted = models.BooleanField(
        default=False,
        help_text="Seen only by the recording agency and the child's lead practitioner or social worker "
        "(and their managers).",
    )
    source = models.CharField(max_length=12, choices=EntrySource.choices, default=EntrySource.PRACTITIONER)
    source_key = models.CharField(
        max_length=120, blank=True, help_text="Identifies an uploaded row or a system event, so it is written once."
    )
    upload = models.ForeignKey(
        ChronologyUpload, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    # A correction is a new entry that supersedes this one.
    append_only_changed = "Chronology entries cannot be changed: record a correction instead."
    append_only_deleted = "Chronology entries cannot be deleted: record a correction instead."

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["child", "-occurred_on"], name="chron_child_date"),
            models.Index(fields=["household", "-occurred_on"], name="chron_household_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(household__isnull=True))
                | (Q(child__isnull=True) & Q(household__isnull=False)),
                name="chronology_entry_child_or_household",
            ),
            models.UniqueConstraint(
                fields=["source", "source_key"], condition=~Q(source_key=""), name="chronology_source_key_once"
            ),
            models.CheckConstraint(
                condition=~(Q(no_action_taken=True) & ~Q(action_taken="")),
                name="chronology_action_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} on {self.occurred_on}"

    @property
    def is_approximate(self) -> bool:
        return self.date_precision != DatePrecision.EXACT

    @property
    def is_superseded(self) -> bool:
        return self.correction is not None

    @property
    def correction(self) -> "ChronologyEntry | None":
        """The entry that corrects this one, if any."""
        try:
            return self.superseded_by
        except ChronologyEntry.DoesNotExist:
            return None

    # What a reader is shown of the links between an entry and its correction. The chronology's
    # selectors join each link only where the reader may see the other entry too; an entry loaded any
    # other way shows no link at all (closed by default), so a restricted entry cannot show through.
    @property
    def shown_original(self) -> "ChronologyEntry | None":
        """The entry this one corrects, if the reader may see it."""
        return self.__dict__.get("readable_original")

    @property
    def shown_correction(self) -> "ChronologyEntry | None":
        """The entry that corrects this one, if the reader may see it."""
        return self.__dict__.get("readable_correction")

    @property
    def event_label(self) -> str:
        from .taxonomy import default_taxonomy

        return default_taxonomy().label(self.event_type)

    @property
    def source_label(self) -> str:
        """Agency and author as a court chronology names its source."""
        if self.source == EntrySource.SYSTEM:
            return "Sightline (system record)"
        agency = self.agency.name if self.agency_id else "No agency"
        return f"{agency}, {self.author}" if self.author_id else agency
