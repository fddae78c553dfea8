"""A child's involvement history: episodes at each level of response, and who is involved."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    UNIVERSAL = "universal", "Universal services"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "cin", "Child in need"
    CHILD_PROTECTION = "cp", "Child protection"
    LOOKED_AFTER = "lac", "Looked after"


class AbuseCategory(models.TextChoices):
    """Category of abuse on a child protection plan (CIN census codes)."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple"


def active_on_filter(on: date, prefix: str = "") -> Q:
    """Rows that have started by `on` and not ended before it."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


class Episode(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="episodes")
    level = models.CharField(max_length=16, choices=Level.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    referral_date = models.DateField(
        null=True, blank=True, help_text="For a child in need episode, the date of the referral that opened it."
    )
    abuse_category = models.CharField(
        max_length=3, choices=AbuseCategory.choices, blank=True, help_text="Required for a child protection plan."
    )
    summary = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "started_on"]), models.Index(fields=["level", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(level="cp") | ~Q(abuse_category=""),
                name="episode_cp_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class InvolvementRole(models.TextChoices):
    LEAD = "lead", "Lead practitioner"
    SOCIAL_WORKER = "social_worker", "Allocated social worker"
    KEY_WORKER = "key_worker", "Key worker"
    CONTRIBUTOR = "contributor", "Contributing practitioner"


class InvolvementQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "InvolvementQuerySet":
        return self.filter(active_on_filter(on or date.today()))


class Involvement(models.Model):
    """A practitioner's (and their team's) involvement with a child or a whole household.
    This is the legitimate relationship that lets them see the record."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=16, choices=InvolvementRole.choices, default=InvolvementRole.CONTRIBUTOR)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["practitioner", "ended_on"]),
            models.Index(fields=["team", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(household__isnull=True))
                | (Q(child__isnull=True) & Q(household__isnull=False)),
                name="involvement_with_child_or_household",
            ),
        ]

    def __str__(self) -> str:
        subject = self.child or self.household
        return f"{self.practitioner} ({self.get_role_display()}) with {subject}"
