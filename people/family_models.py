"""A family's history as rows: where the household has lived, the factors affecting each adult's
parenting (who recorded them and when), and the adults' communication needs.

Rows are never deleted or silently overwritten by the product: a move ends the previous address, a
factor that no longer applies gets an end date, each through people.family_services with a
RecordChange beside it. Imported at the end of people/models.py so that `people.models` has them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Address(models.Model):
    """One stay of a household at an address. The current one (no `moved_out_on`) is also copied
    onto Household, which every existing read uses."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="addresses")
    address_line = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    moved_in_on = models.DateField(null=True, blank=True, help_text="Blank when nobody knows (older records).")
    moved_out_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(moved_out_on__isnull=True), name="address_one_current"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.address_line, self.town, self.postcode) if p)


class FactorKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol misuse"
    MENTAL_HEALTH = "mental_health", "Mental health difficulties"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    INCARCERATION = "incarceration", "In prison or recently released"
    CARE_EXPERIENCE = "care_experience", "Own experience of care"


# Factors that also have a boolean on Adult, kept in step for older readers.
ADULT_FLAG_KINDS = (
    FactorKind.DOMESTIC_ABUSE,
    FactorKind.SUBSTANCE_MISUSE,
    FactorKind.MENTAL_HEALTH,
    FactorKind.LEARNING_DISABILITY,
)


class ParentalFactor(models.Model):
    """A factor affecting an adult's parenting, as one practitioner recorded it."""

    adult = models.ForeignKey("people.Adult", on_delete=models.PROTECT, related_name="factors")
    kind = models.CharField(max_length=30, choices=FactorKind.choices)
    note = models.CharField(max_length=500, blank=True)
    noted_from = models.DateField(null=True, blank=True, help_text="Since when, if known.")
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank for factors recorded before Sightline kept who recorded them.",
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["adult", "kind"], condition=models.Q(ended_on__isnull=True), name="factor_one_current_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CommunicationNeedKind(models.TextChoices):
    LEARNING_DISABILITY = "learning_disability", "Learning disability: allow time, check understanding"
    VISUAL_AIDS = "visual_aids", "Visual aids"
    EASY_READ = "easy_read", "Easy read documents"
    HEARING = "hearing", "Hearing impairment"
    SIGHT = "sight", "Sight impairment"
    OTHER = "other", "Other"


class CommunicationNeed(models.Model):
    adult = models.ForeignKey("people.Adult", on_delete=models.CASCADE, related_name="communication_needs")
    kind = models.CharField(max_length=30, choices=CommunicationNeedKind.choices)
    detail = models.CharField(max_length=300, blank=True, help_text="What helps, for 'Other'.")

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["adult", "kind"], name="communication_need_unique")]

    def __str__(self) -> str:
        if self.kind == CommunicationNeedKind.OTHER and self.detail:
            return self.detail
        return self.get_kind_display()
