"""Supervision records and the flag clearances their decisions make. Both are append-only: a
correction is a new supervision record, and a clearance simply expires."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a supervision record or a clearance."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Supervision records and clearances cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Supervision records and clearances cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Only inserts: the record of a supervision discussion is never rewritten.
        if not self._state.adding:
            raise AppendOnlyError("Supervision records and clearances cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Supervision records and clearances cannot be deleted.")


class Supervision(AppendOnlyModel):
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


class SupervisionAction(AppendOnlyModel):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class FlagClearance(AppendOnlyModel):
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
