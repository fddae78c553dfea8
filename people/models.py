"""Children (the unit of record), the households they live in, and the adults around them."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from access.append_only import AppendOnlyModel

from .identifiers import nhs_number_is_valid, upn_is_valid


def validate_nhs_number(value: str) -> None:
    if value and not nhs_number_is_valid(value):
        raise ValidationError("Enter a valid NHS number: 10 digits whose last digit matches the check rule.")


def validate_upn(value: str) -> None:
    if value and not upn_is_valid(value):
        raise ValidationError("Enter a valid UPN: a check letter followed by 12 characters, as issued by the school.")


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """CIN census ethnicity codes."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class DisabilityCode(models.TextChoices):
    """CIN census disability codes."""

    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address_line = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.CharField(max_length=100, blank=True, help_text="Area of the partnership, for the scorecard.")
    imd_decile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Index of Multiple Deprivation decile."
    )
    revision = models.PositiveIntegerField(default=1, help_text="Advances on every change, to catch stale edits.")

    def __str__(self) -> str:
        return f"{self.address_line}, {self.postcode}".strip(", ")


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChildQuerySet":
        """The only way to read children: those this user has a legitimate relationship with."""
        from access.scoping import restrict_children

        return restrict_children(self, user)

    def involved_with(self, user) -> "ChildQuerySet":
        """Children the user works with through an involvement (their own or their team's): the
        ones they may add to. Emergency access reads a record but never adds to it."""
        from access.scoping import restrict_children

        return restrict_children(self, user, emergency=False)


class Child(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="children")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Indexed for the duplicate search (people.search), which looks children up by either date.
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, db_index=True, help_text="For an unborn child, the expected date of delivery."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    nhs_number = models.CharField(max_length=10, blank=True, validators=[validate_nhs_number], db_index=True)
    upn = models.CharField("Unique Pupil Number", max_length=13, blank=True, validators=[validate_upn], db_index=True)

    # Further characteristics as the CIN census (ChildIdentifiers, ChildCharacteristics) and Annex A
    # name them, so the statutory returns read them straight from the record.
    class EarlyEducationOffer(models.TextChoices):
        """The two-year-old early education entitlement (15 hours for eligible two-year-olds)."""

        ELIGIBLE = "eligible", "Eligible, not taking it up"
        TAKING_UP = "taking_up", "Eligible and taking it up"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        NOT_KNOWN = "not_known", "Not known"

    former_upn = models.CharField(
        "Former UPN",
        max_length=13,
        blank=True,
        validators=[validate_upn],
        help_text="CIN census FormerUPN: a pupil number the child had before, checked like a UPN.",
    )
    school = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        limit_choices_to={"kind": "school"},
        help_text="Annex A: the school the child attends (an agency of kind school).",
    )
    gp_practice = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patients",
        limit_choices_to={"kind": "gp"},
        help_text="The GP practice the child is registered with (an agency of kind gp).",
    )
    home_educated = models.BooleanField(
        "Electively home educated", default=False, help_text="Annex A: elective home education."
    )
    home_educated_since = models.DateField("Home educated since", null=True, blank=True)
    family_hub_registered = models.BooleanField(
        "Registered with a children's centre or family hub",
        default=False,
        help_text="Annex A / early help returns: children's centre or family hub registration.",
    )
    family_hub_registered_on = models.DateField("Registered on", null=True, blank=True)
    early_education_two = models.CharField(
        "Two-year-old early education offer",
        max_length=16,
        choices=EarlyEducationOffer.choices,
        default=EarlyEducationOffer.NOT_KNOWN,
        help_text="The funded early education entitlement for two-year-olds.",
    )
    # Phonetic keys of the names (people.search.phonetic_key) for the duplicate search on databases
    # without trigram matching. Kept up to date by save() and by people.child_services.
    family_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    given_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, help_text="Advances on every change, to catch stale edits.")

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children"
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False) | models.Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.fill_name_keys()
        if kwargs.get("update_fields") is not None and {"family_name", "given_name"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "family_key", "given_key"}
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        """Set the phonetic keys from the names (save does; bulk_create callers must)."""
        from .search import phonetic_key

        self.family_key, self.given_key = phonetic_key(self.family_name), phonetic_key(self.given_name)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class Disability(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=DisabilityCode.choices)

    class Meta:
        verbose_name_plural = "disabilities"
        constraints = [models.UniqueConstraint(fields=["child", "code"], name="disability_unique_per_child")]

    def __str__(self) -> str:
        return self.get_code_display()


class Adult(models.Model):
    """An adult in or around a child's household, with the factors that affect parenting."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="adults")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    lives_in_household = models.BooleanField(default=True)
    mental_health = models.BooleanField("Mental health difficulties", default=False)
    substance_misuse = models.BooleanField("Drug or alcohol misuse", default=False)
    domestic_abuse = models.BooleanField("Domestic abuse", default=False)
    learning_disability = models.BooleanField("Learning disability", default=False)
    # The four booleans above are kept in step with the adult's current ParentalFactor rows by
    # people.family_services, so older readers (the chronology demo, the generator) keep working.
    language = models.CharField("First language", max_length=60, blank=True)
    interpreter_needed = models.BooleanField("Interpreter needed", default=False)
    interpreter_language = models.CharField("Interpreter's language", max_length=60, blank=True)
    revision = models.PositiveIntegerField(default=1, help_text="Advances on every change, to catch stale edits.")

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def factor_labels(self) -> list[str]:
        names = ["mental_health", "substance_misuse", "domestic_abuse", "learning_disability"]
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]


class RelationshipKind(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    PARTNER_OF_PARENT = "partner", "Parent's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    KINSHIP_CARER = "kinship_carer", "Kinship carer"
    FOSTER_CARER = "foster_carer", "Foster carer"
    ADULT_SIBLING = "sibling", "Adult brother or sister"
    OTHER_ADULT = "other", "Other adult"


class Relationship(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    parental_responsibility = models.BooleanField(default=False)
    is_main_carer = models.BooleanField(default=False)
    # A relationship that ends (a partner leaves) keeps its row, with the date it ended: the history
    # of who has been around a child matters. Only one current relationship per adult and child.
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "adult"], condition=models.Q(ended_on__isnull=True), name="relationship_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.adult} is {self.get_kind_display().lower()} of {self.child}"


class RecordChange(AppendOnlyModel):
    """One change to a child's, an adult's or a household's details: who, when, which field, before
    and after, and why (required for sensitive fields). Append-only: a history that can be trusted.
    Exactly one of child, adult and household is the record changed; `household` is also set for
    changes to a child or adult, so a family's history is one indexed read."""

    at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="changes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    adult = models.ForeignKey(Adult, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    subject = models.CharField(max_length=60, help_text="What was changed, in words: 'Child', 'Address'...")
    field = models.CharField(max_length=60)
    label = models.CharField(max_length=120, help_text="The field's name as the page showed it.")
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    append_only_changed = "A record of a change cannot itself be changed."
    append_only_deleted = "A record of a change cannot be deleted."

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["household", "-at"])]

    def __str__(self) -> str:
        return f"{self.label} changed by {self.changed_by} at {self.at:%Y-%m-%d %H:%M}"


from .family_models import Address, CommunicationNeed, ParentalFactor  # noqa: E402, F401
from .merge_models import ChildMerge, MergedRecord, MergeMove, MergeProposal, MergeReview  # noqa: E402, F401
