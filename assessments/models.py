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


class Contribution(models.Model):
    """Who added what to a draft, when: an append-only log, so several practitioners can contribute
    to one assessment and each contribution stays attributed even after someone else changes it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=200, help_text="What was recorded, in words.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} by {self.author}"


class Concern(models.TextChoices):
    NONE = "none", "No concern"
    SOME = "some", "Some concern"
    SIGNIFICANT = "significant", "Significant concern"
    NOT_KNOWN = "not_known", "Not known yet"


class FactorRating(models.Model):
    """A parental or contextual factor recorded beside the grades (context, never a score)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    factor_key = models.CharField(max_length=60)
    concern = models.CharField(max_length=12, choices=Concern.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "factor_key"], name="factor_rated_once")]

    def __str__(self) -> str:
        return f"{self.factor_key}: {self.get_concern_display()}"


class DecisionStatus(models.TextChoices):
    AWAITING_AGREEMENT = "awaiting", "Awaiting manager agreement"
    AGREED = "agreed", "Agreed"
    NOT_AGREED = "not_agreed", "Manager did not agree"


class LevelDecision(models.Model):
    """The practitioner's decision on a child's level of need after an assessment, kept beside the
    rules-based recommendation it was made against (with the continuum version and the reasons)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="decisions")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="level_decisions")
    continuum_key = models.CharField(max_length=100)
    continuum_version = models.PositiveIntegerField()
    continuum_name = models.CharField(max_length=200, blank=True)
    levels = models.JSONField(
        default=list,
        blank=True,
        help_text="The continuum's levels when decided (number, key, name, definition), so the decision "
        "reads as it was made after the continuum changes.",
    )
    current_level = models.PositiveSmallIntegerField()
    recommended_level = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, help_text="Each rule that fired, with the grades that fired it.")
    decided_level = models.PositiveSmallIntegerField()
    pathway = models.CharField(max_length=200)
    reason_for_difference = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.AGREED)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager_comment = models.TextField(blank=True)
    manager_decided_at = models.DateTimeField(null=True, blank=True)
    episode = models.ForeignKey("cases.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-decided_at"]
        constraints = [models.UniqueConstraint(fields=["assessment", "child"], name="one_decision_per_child")]

    def __str__(self) -> str:
        return f"Level {self.decided_level} ({self.pathway}) for {self.child}"

    @property
    def changes_level(self) -> bool:
        return self.decided_level != self.current_level


class PrenatalChecklist(models.Model):
    """The prenatal checklist for an unborn child and the pre-birth recommendation it led to."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="prenatal_checklists")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tool_version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="+")
    rules_key = models.CharField(max_length=100)
    rules_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, help_text="Question key to yes, no or not known.")
    notes = models.TextField(blank=True)
    outcome_key = models.CharField(max_length=60)
    outcome_label = models.CharField(max_length=300)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Prenatal checklist for {self.child}: {self.outcome_label}"
