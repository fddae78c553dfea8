"""Versioned tool definitions, and assessments that keep the exact tool version they were made with."""

import uuid

from django.conf import settings
from django.db import models


class ToolVersion(models.Model):
    """One version of a neglect tool, stored whole as loaded. Versions are never edited: a
    partnership that adapts its tool loads a new version."""

    key = models.SlugField(max_length=100)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    definition = models.JSONField(help_text="The validated definition, as loaded.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the canonical definition.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="tool_version_unique")]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    RETURNED = "returned", "Returned with comments"
    SIGNED_OFF = "signed_off", "Signed off"


class Assessment(models.Model):
    """One assessment of a household's sibling group with one version of a tool. Household items
    are graded once; child items per child. Submitted assessments are read-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="assessments")
    tool_version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="assessments")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_assessments")
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Increases with every change; detects concurrent edits."
    )

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.tool_version.name} assessment from {self.started_on}"

    @property
    def is_editable(self) -> bool:
        return self.status in {AssessmentStatus.DRAFT, AssessmentStatus.RETURNED}


class AssessedChild(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="assessments")
    age_band = models.CharField(max_length=20, help_text="The tool's age band on the day the assessment started.")
    lived_experience = models.TextField(
        blank=True, help_text="The child's day-to-day life, in their words or as observed."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "child"], name="assessed_child_once")]

    def __str__(self) -> str:
        return f"{self.child} in {self.assessment}"


class ItemGrade(models.Model):
    """One graded item: a structured row, so progress over time is a query. `child` is empty for a
    household item (graded once for the sibling group)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="item_grades"
    )
    domain_key = models.CharField(max_length=60)
    item_key = models.CharField(max_length=120)
    grade = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "child", "item_key"], name="item_graded_once_per_child"),
            models.UniqueConstraint(
                fields=["assessment", "item_key"],
                condition=models.Q(child__isnull=True),
                name="household_item_graded_once",
            ),
        ]
        indexes = [models.Index(fields=["child", "domain_key"])]

    def __str__(self) -> str:
        return f"{self.item_key}: grade {self.grade}"


class Addendum(models.Model):
    """A correction or addition to a submitted assessment: the original stays as it was."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum by {self.author} on {self.created_at:%Y-%m-%d}"


class ScreeningRecord(models.Model):
    """A completed neglect screening of one child, with the screening version, the answers and the
    suggested next step it gave."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="screenings")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    screening_key = models.CharField(max_length=100)
    screening_version = models.PositiveIntegerField()
    indicators = models.JSONField(default=list, help_text="Keys of the signs noticed.")
    duration = models.CharField(max_length=30)
    frequency = models.CharField(max_length=30)
    child_says = models.TextField(blank=True)
    outcome_key = models.CharField(max_length=60)
    outcome_label = models.CharField(max_length=200)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Screening of {self.child} on {self.created_at:%Y-%m-%d}: {self.outcome_label}"
