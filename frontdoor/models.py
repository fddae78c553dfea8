"""Requests for support to the front door (MASH / early help hub) and the front door's decisions."""

from django.conf import settings
from django.db import models


class Consent(models.TextChoices):
    YES = "yes", "Yes, the family agrees to the request"
    NO = "no", "No, the family does not agree"
    NOT_SOUGHT = "not_sought", "Consent was not sought"


class Urgency(models.TextChoices):
    URGENT = "urgent", "Urgent: the child may be at risk of significant harm now"
    STANDARD = "standard", "Not urgent"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    UNIVERSAL = "universal", "Universal services"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Child and family assessment"
    SECTION_47 = "s47", "Section 47 enquiry"


# Outcomes that accept the request as a referral to children's social care (re-referrals count these).
REFERRAL_OUTCOMES = (Outcome.ASSESSMENT, Outcome.SECTION_47)


class SupportRequest(models.Model):
    """A practitioner's request for support about one child or several children of a household."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    children = models.ManyToManyField("people.Child", through="RequestChild", related_name="support_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concerns = models.TextField()
    screening = models.ForeignKey(
        "assessments.ScreeningRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_note = models.TextField(blank=True, help_text="Why consent was not sought, or why the family refused.")
    tried = models.TextField("What has been tried")
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    received_at = models.DateTimeField(db_index=True)
    due_by = models.DateTimeField()
    timescales_key = models.CharField(max_length=60)
    timescales_version = models.PositiveIntegerField()
    # The time of the first decision (corrections do not move it), so timeliness is measurable.
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"Request for support {self.reference}"

    @property
    def reference(self) -> str:
        return f"RFS-{self.pk:06d}"


class RequestChild(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="request_children")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "child"], name="request_child_unique")]
        indexes = [models.Index(fields=["child", "request"])]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.request_id}"


class Decision(models.Model):
    """The front door's decision on a request. Final: a correction is a new decision that supersedes
    this one; neither is ever edited."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # Decisions are append-only: corrections are new rows.
        if not self._state.adding:
            raise ValueError("A decision cannot be changed: record a correction instead.")
        super().save(*args, **kwargs)
