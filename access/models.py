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


class AdminChangeAction(models.TextChoices):
    ADD = "add", "Added"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"


class AdminChange(AppendOnlyModel):
    """One change made in the Django admin to something that shapes who can see or do what
    (agencies, teams and their managers, users, groups, permissions, sign-in devices). Append-only,
    here and in the database (migration 0004), and reviewed by a second administrator."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="admin_changes")
    action = models.CharField(max_length=10, choices=AdminChangeAction.choices)
    model = models.CharField(max_length=100, help_text="The model's label, for example accounts.team.")
    model_name = models.CharField(max_length=100, help_text="The model's name in words, for example team.")
    object_pk = models.CharField(max_length=64)
    object_text = models.CharField(max_length=300)
    # The person whose access the change alters (the user edited, a team's new manager, a device's
    # owner): they may not review it either, even when someone else made it.
    affected_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A list of {"field", "label", "before", "after"} with values as an administrator reads them.
    changes = models.JSONField(default=list, blank=True)

    append_only_changed = "Administrative changes cannot be changed."
    append_only_deleted = "Administrative changes cannot be deleted."

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display().lower()} {self.model_name} {self.object_text}"


class AdminChangeOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate: follow up"


class AdminChangeReview(AppendOnlyModel):
    """A second administrator's review of one change. One per change: the one-to-one key means two
    reviewers submitting at the same moment cannot both land."""

    change = models.OneToOneField(AdminChange, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=AdminChangeOutcome.choices)
    reason = models.TextField(blank=True)

    append_only_changed = "Reviews of administrative changes cannot be changed."
    append_only_deleted = "Reviews of administrative changes cannot be deleted."

    def __str__(self) -> str:
        return f"Review by {self.reviewer} at {self.at:%Y-%m-%d %H:%M}"
