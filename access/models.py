"""Emergency ("break glass") access and the append-only log of who has seen what."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .append_only import AppendOnlyModel


class AccessAction(models.TextChoices):
    LIST = "list", "Viewed a list of children"
    SEARCH = "search", "Searched for children"
    VIEW = "view", "Viewed a record"
    EXPORT = "export", "Exported a record"
    EMERGENCY_OPEN = "emergency_open", "Opened emergency access"
    EMERGENCY_SEARCH = "emergency_search", "Looked up a child for emergency access"


class AccessEvent(AppendOnlyModel):
    """One view or export of identifiable data. Append-only: the application refuses updates and
    deletes here, and database triggers (migration 0002) refuse them for every database role."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_events")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="access_events"
    )
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    page = models.CharField(max_length=300, help_text="The page or export that showed the data.")
    purpose = models.CharField(max_length=500, help_text="Why this person could see it.")
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    append_only_changed = "Access events cannot be changed."
    append_only_deleted = "Access events cannot be deleted."

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} at {self.at:%Y-%m-%d %H:%M}"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified: follow up"


class EmergencyAccessQuerySet(models.QuerySet):
    def current(self) -> "EmergencyAccessQuerySet":
        now = timezone.now()
        return self.filter(opened_at__lte=now, expires_at__gt=now)


class EmergencyAccess(models.Model):
    """Time-limited access to one child's record without an involvement, with a written reason
    that a manager reviews afterwards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="emergency_accesses")
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name_plural = "emergency accesses"
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Emergency access by {self.user} from {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.opened_at <= timezone.now() < self.expires_at
