"""Plans for a child or a sibling group (early help, child in need, child protection), their
outcomes and actions, the meetings and reviews around them, the child's voice and the family's
feedback. Everything is read through a visible child (PlanChild)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class PlanType(models.TextChoices):
    EARLY_HELP = "early_help", "Early help plan (team around the family)"
    CHILD_IN_NEED = "cin", "Child in need plan"
    CHILD_PROTECTION = "cp", "Child protection plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ENDED = "ended", "Ended"


class Plan(models.Model):
    """One plan for one or more children of a household, usually started from a signed-off
    assessment (the baseline). `revision` increases with every saved change so that two people
    editing at once never overwrite each other; `next_review_on` is when the next review is due."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="plans")
    plan_type = models.CharField(max_length=12, choices=PlanType.choices)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The assessment the plan started from: its grades are the baseline.",
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The plan this one replaced when a review stepped up or down.",
    )
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_plans")
    abuse_category = models.CharField(
        max_length=3, blank=True, help_text="For a child protection plan, the category of abuse (CIN census code)."
    )
    visiting_frequency_days = models.PositiveSmallIntegerField(
        default=10, help_text="The child must be seen at least this often (days)."
    )
    review_interval_days = models.PositiveSmallIntegerField(
        default=91, help_text="How often the plan is reviewed (days)."
    )
    started_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=300, blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Increases with every change; detects concurrent edits."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["status", "plan_type"]),
            models.Index(fields=["lead", "status"]),
            models.Index(fields=["status", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} from {self.started_on:%-d %B %Y}"

    @property
    def is_editable(self) -> bool:
        return self.status != PlanStatus.ENDED


class PlanChild(models.Model):
    """A child the plan is for. A sibling group's plan has one row per child."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_children")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="plan_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "child"], name="plan_child_once")]

    def __str__(self) -> str:
        return f"{self.child} on {self.plan}"


class Outcome(models.Model):
    """What needs to change, written so the family understands it, linked to the need it addresses
    (a domain, optionally one item, for one child or the household when `need_child` is empty).
    Progress is measured by `target_grade` and `measure`; `consequence` says what happens if not."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    need_domain_key = models.CharField(max_length=60, blank=True)
    need_item_key = models.CharField(max_length=120, blank=True, help_text="Empty when the need is a whole domain.")
    need_child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="plan_outcomes"
    )
    baseline_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(help_text="What needs to change, in words the family uses.")
    target_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    measure = models.TextField(blank=True, help_text="Other evidence that shows the change has happened.")
    consequence = models.TextField(blank=True, help_text="What happens if the change is not achieved.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """Who does what by when. The owner is a named practitioner, or a family member (an Adult of
    the household or, for someone not recorded, a name in `owner_family_name`)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    owner_adult = models.ForeignKey(
        "people.Adult", on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    owner_family_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["due_on", "completed_on"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        if self.owner_user_id:
            return str(self.owner_user)
        if self.owner_adult_id:
            return str(self.owner_adult)
        return self.owner_family_name

    @property
    def has_owner(self) -> bool:
        return bool(self.owner_user_id or self.owner_adult_id or self.owner_family_name.strip())


class FlagJustification(models.Model):
    """Why a SMART-check flag is acceptable on this plan, written by the person who saved it.
    `subject` identifies what was flagged (e.g. 'action:12', 'need:345:medical:')."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="justifications")
    check_key = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "check_key", "subject"], name="one_justification_per_flag")
        ]

    def __str__(self) -> str:
        return f"{self.check_key} {self.subject}: {self.text[:60]}"


class MeetingType(models.TextChoices):
    TAF = "taf", "Team around the family meeting"
    CIN_REVIEW = "cin_review", "Child in need review"
    ICPC = "icpc", "Initial child protection conference"
    RCPC = "rcpc", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"
    STRATEGY = "strategy", "Strategy discussion"


class Meeting(models.Model):
    """A meeting about a plan: who chaired, which agencies were invited and came, who in the family
    attended (FamilyAttendance) and how each child took part (ChildParticipation)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="meetings")
    meeting_type = models.CharField(max_length=12, choices=MeetingType.choices)
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings")
    invited_agencies = models.ManyToManyField("accounts.Agency", related_name="meetings_invited", blank=True)
    attending_agencies = models.ManyToManyField("accounts.Agency", related_name="meetings_attended", blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["plan", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} on {self.held_on:%-d %B %Y}"


class FamilyAttendance(models.Model):
    """Whether one family member came to a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="family_attendance")
    adult = models.ForeignKey("people.Adult", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200, help_text="The family member's name as recorded at the meeting.")
    attended = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {'attended' if self.attended else 'did not attend'}"


class Participation(models.TextChoices):
    ATTENDED = "attended", "Attended"
    ADVOCATE = "advocate", "Views shared through an advocate"
    VIEWS_BEFORE = "views_before", "Views gathered before the meeting"
    DID_NOT = "did_not", "Did not take part"


class ChildParticipation(models.Model):
    """How one child on the plan took part in a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="child_participation")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    participation = models.CharField(max_length=14, choices=Participation.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "child"], name="participation_once_per_child")]

    def __str__(self) -> str:
        return f"{self.child}: {self.get_participation_display()}"


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue the plan"
    STEP_UP = "step_up", "Step up"
    STEP_DOWN = "step_down", "Step down"
    CLOSE = "close", "Close"


class Review(models.Model):
    """A review of a plan, usually at a meeting: progress per outcome, the repeat assessment whose
    grades are compared with the baseline, the child's and parents' views, and the decision.
    `level_before`/`level_after` record the episode change the decision made (for scorecard counts
    of step-downs and closures)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews")
    held_on = models.DateField()
    repeat_assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, null=True, blank=True, related_name="plan_reviews"
    )
    child_views = models.TextField(blank=True)
    parent_views = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    decision_reason = models.TextField()
    level_before = models.CharField(max_length=16, blank=True)
    level_after = models.CharField(max_length=16, blank=True)
    successor = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The plan a step created."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["decision", "held_on"]), models.Index(fields=["plan", "held_on"])]

    def __str__(self) -> str:
        return f"Review on {self.held_on:%-d %B %Y}: {self.get_decision_display()}"


class ProgressStatus(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PROGRESSING = "progressing", "Progressing"
    NOT_PROGRESSING = "not_progressing", "Not progressing"


class OutcomeProgress(models.Model):
    """Progress on one outcome at one review, with the evidence and the need's grade then."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=16, choices=ProgressStatus.choices)
    evidence = models.TextField()
    latest_grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The need's grade in the repeat assessment, when there is one."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "outcome"], name="progress_once_per_outcome")]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_status_display()}"


class VoiceRecord(models.Model):
    """Direct work with a child: their words (or, for a baby, what was observed), how they were
    gathered (a method from plans/voice/methods-v1.yaml) and how it changed the plan."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="voice_records")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="voice_records")
    recorded_on = models.DateField()
    is_observation = models.BooleanField(default=False, help_text="An observation, for a child too young to say.")
    words = models.TextField()
    method_key = models.CharField(max_length=40)
    impact_on_plan = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["child", "recorded_on"])]

    def __str__(self) -> str:
        return f"{self.child}'s views on {self.recorded_on:%-d %B %Y}"


class RespondentType(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    CHILD = "child", "Child"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class FamilyFeedback(models.Model):
    """A parent's or young person's feedback after a meeting, recorded with them by a practitioner.
    One row per response so the partnership can count answers per question per period."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="feedback")
    respondent_type = models.CharField(max_length=14, choices=RespondentType.choices)
    listened_score = models.PositiveSmallIntegerField(help_text="Was I listened to: 1 (not at all) to 5 (fully).")
    listened = models.CharField(max_length=6, choices=Answer.choices)
    understands_plan = models.CharField(max_length=6, choices=Answer.choices)
    what_would_help = models.TextField(blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(listened_score__gte=1) & Q(listened_score__lte=5), name="feedback_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback from a {self.get_respondent_type_display().lower()} on {self.recorded_on:%-d %B %Y}"
