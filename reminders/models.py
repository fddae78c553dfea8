"""In-app notifications, and the ledger that stops one reminder being sent twice."""

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    ACTION_DUE = "action_due", "Action due soon"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    REVIEW_DUE = "review_due", "Review due soon"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"
    DRIFT_FLAG = "drift_flag", "Drift flag raised"


class Notification(models.Model):
    """A message for one user. Messages never name a child: the link leads to the record, which
    checks access when it is opened (the user may have lost access since)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class ReminderSent(models.Model):
    """One reminder sent to one user about one subject (what, which record, which due date or flag
    date): the unique key makes sending idempotent, however often the task runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return self.key
