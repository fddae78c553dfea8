"""Agencies in the partnership, their teams, and the people who sign in."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    GP = "gp", "GP practice"
    MIDWIFERY = "midwifery", "Midwifery"
    HOSPITAL = "hospital", "Hospital"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    VOLUNTARY_SECTOR = "voluntary", "Voluntary sector"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    manager = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        help_text="The team manager sees every child their team is involved with.",
    )

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    FRONT_DOOR = "front_door", "Front door practitioner"
    ANALYST = "analyst", "Partnership analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who signs in. Their agency, team and role shape what they may do;
    what children they may see comes only from involvements (see access.scoping)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser

    @property
    def is_team_manager(self) -> bool:
        return self.role == Role.TEAM_MANAGER
