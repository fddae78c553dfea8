"""Stored signals and the practitioners' responses to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SignalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISMISSED = "dismissed", "Dismissed"


class Signal(models.Model):
    """A rule that fired for a child, with the records that triggered it. Evidence holds only
    unrestricted chronology entries, episodes and requests, so every person who may see the child
    may see the whole signal. While the rule keeps firing the signal stays live; when it stops, the
    signal is cleared (kept, with the time)."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="signals")
    rule_code = models.CharField(max_length=60)
    rule_version = models.PositiveIntegerField()
    rule_name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    evidence = models.JSONField(default=list, help_text="The records that triggered the rule: kind, id, date, label.")
    status = models.CharField(max_length=12, choices=SignalStatus.choices, default=SignalStatus.OPEN)
    raised_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["child", "cleared_at"]), models.Index(fields=["status", "cleared_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_code"], condition=Q(cleared_at__isnull=True), name="signal_one_live_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_name} for child {self.child_id}"

    @property
    def evidence_keys(self) -> set[tuple[str, int]]:
        return {(e["kind"], e["id"]) for e in self.evidence}


class SignalAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledged", "Acknowledge: I have seen this and am acting on it"
    DISMISS = "dismissed", "Dismiss: this does not show a concern for this child"


class SignalResponse(models.Model):
    """Who acknowledged or dismissed a signal, when and why. Append-only."""

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="responses")
    action = models.CharField(max_length=12, choices=SignalAction.choices)
    reason = models.TextField()
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField()

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.responded_by}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A response cannot be changed: record a new one.")
        super().save(*args, **kwargs)
