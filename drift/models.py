"""Supervision records and the flag clearances their decisions make. Both are append-only: a
correction is a new supervision record, and a clearance simply expires."""

from django.conf import settings
from django.db import models

from access.append_only import AppendOnlyModel


class SupervisionRecord(AppendOnlyModel):
    """The three supervision models share their refusal messages."""

    append_only_changed = "Supervision records and clearances cannot be changed."
    append_only_deleted = "Supervision records and clearances cannot be deleted."

    class Meta:
        abstract = True


class Supervision(SupervisionRecord):
    """One case discussion in supervision: a manager and a practitioner about one child."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supervisee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reflections = models.TextField()
    decisions = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["child", "-held_on"])]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on}"


class SupervisionAction(SupervisionRecord):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class FlagClearance(SupervisionRecord):
    """A supervision decision that one drift flag for one child needs no action until a date."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="flag_clearances")
    rule_code = models.CharField(max_length=60)
    rule_version = models.PositiveIntegerField()
    cleared_until = models.DateField(help_text="The flag is hidden from the drift view up to and including this day.")
    reason = models.TextField()
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="clearances")
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-cleared_until", "-id"]
        indexes = [models.Index(fields=["child", "rule_code", "cleared_until"])]

    def __str__(self) -> str:
        return f"{self.rule_code} cleared until {self.cleared_until}"
