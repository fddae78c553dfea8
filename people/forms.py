"""Forms for finding, registering and changing a child. They explain; the services decide (the same
rules, `people.child_rules`, run in both, so a form that slips through still changes nothing)."""

from __future__ import annotations

import copy
from datetime import date

from django import forms
from django.utils import timezone

from access.reasons import reason_problem
from accounts.models import Agency, AgencyKind
from frontdoor.forms import SupportRequestForm

from .child_rules import DATE_HINT, SENSITIVE_FIELDS, child_details_errors, parse_date
from .child_services import DETAIL_LABELS
from .models import Child, DisabilityCode, Ethnicity, Sex


class DateField(forms.CharField):
    """A date typed in words or numbers (1 December 2026, 1 12 2026, 2026-12-01)."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = DATE_HINT, **kwargs) -> None:
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)

    def to_python(self, value) -> date | None:
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_date(text)
        if parsed is None:
            raise forms.ValidationError(f"Enter a real date. {DATE_HINT}.", code="invalid_date")
        return parsed

    def prepare_value(self, value):
        return f"{value.day} {value:%B %Y}" if isinstance(value, date) else value


def _agencies(kind: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Agency.objects.filter(kind=kind).order_by("name"), required=False, empty_label="Not known"
    )


def _identity_fields() -> dict[str, forms.Field]:
    return {
        "given_name": forms.CharField(
            label="First name",
            max_length=100,
            required=False,
            help_text="For an unborn baby, 'Baby' until the baby is named.",
        ),
        "family_name": forms.CharField(label="Last name", max_length=100, required=False),
        "date_of_birth": DateField(label="Date of birth (CIN census PersonBirthDate)"),
        "expected_date_of_birth": DateField(label="Expected date of birth (CIN census ExpectedPersonBirthDate)"),
        "sex": forms.ChoiceField(label="Sex (CIN census Sex)", choices=Sex.choices, widget=forms.RadioSelect),
        "nhs_number": forms.CharField(label="NHS number", max_length=14, required=False, help_text="10 digits"),
        "upn": forms.CharField(label="Unique Pupil Number (CIN census UPN)", max_length=16, required=False),
        "former_upn": forms.CharField(label="Former UPN (CIN census FormerUPN)", max_length=16, required=False),
    }


def _characteristics_fields() -> dict[str, forms.Field]:
    return {
        "ethnicity": forms.ChoiceField(label="Ethnicity (CIN census Ethnicity)", choices=Ethnicity.choices),
        "first_language": forms.CharField(label="First language", max_length=60, initial="English"),
        "interpreter_needed": forms.BooleanField(label="An interpreter is needed", required=False),
    }


def _education_fields() -> dict[str, forms.Field]:
    school, gp = _agencies(AgencyKind.SCHOOL), _agencies(AgencyKind.GP)
    school.label, gp.label = "School", "GP practice"
    return {"school": school, "gp_practice": gp}


class ChildDetailsForm(forms.Form):
    """A child's details, as the child record's summary shows them, with the revision the page was
    opened at and a reason when an identifying detail changes."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are you changing the child's name, date of birth, sex, NHS number or pupil numbers?",
        help_text="Needed only for those details: they identify the child, and the reason is kept in the history.",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        fields = {**_identity_fields(), **_characteristics_fields(), **_education_fields()}
        fields.pop("expected_date_of_birth" if not child.is_unborn else "date_of_birth")
        fields["disabilities"] = forms.MultipleChoiceField(
            label="Disability (CIN census Disability codes)",
            choices=DisabilityCode.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Leave all unticked when the child has no disability (census code NONE).",
        )
        fields["home_educated"] = forms.BooleanField(label="Electively home educated", required=False)
        fields["home_educated_since"] = DateField(label="Home educated since")
        fields["family_hub_registered"] = forms.BooleanField(
            label="Registered with a children's centre or family hub", required=False
        )
        fields["family_hub_registered_on"] = DateField(label="Registered on")
        fields["early_education_two"] = forms.ChoiceField(
            label="Two-year-old early education offer",
            choices=Child.EarlyEducationOffer.choices,
            widget=forms.RadioSelect,
        )
        for name, field in fields.items():
            self.fields[name] = field
        self.fields["revision"].initial = child.revision
        for name in fields:
            if name == "disabilities":
                self.fields[name].initial = list(child.disabilities.values_list("code", flat=True))
            else:
                self.fields[name].initial = getattr(child, name)
        self.order_fields([*fields, "reason", "revision"])

    @property
    def detail_names(self) -> list[str]:
        return [n for n in self.fields if n not in {"revision", "reason", "disabilities"}]

    def clean(self):
        data = super().clean()
        values = {n: data[n] for n in self.detail_names if n in data}
        for name, problem in child_details_errors(
            values, today=timezone.localdate(), unborn=self.child.is_unborn
        ).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, problem)
        changed = [n for n in SENSITIVE_FIELDS if n in values and values[n] != getattr(self.child, n)]
        subject = "why you are changing the " + ", ".join(DETAIL_LABELS[n].lower() for n in sorted(changed))
        problem = reason_problem(data.get("reason"), subject=subject) if changed else ""
        if problem:
            self.add_error("reason", problem)
        return data


class PersonSearchForm(forms.Form):
    given_name = forms.CharField(
        label="First name", max_length=100, required=False, help_text="For an unborn baby, leave blank"
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the child's last name."}
    )
    date_of_birth = DateField(label="Date of birth, or expected date of birth")
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    nhs_number = forms.CharField(label="NHS number", max_length=14, required=False, help_text="If you know it")


PURPOSES = [
    ("practitioner", "I work with this child (for example, I am their health visitor or school nurse)"),
    ("concern", "I am worried about this child but do not work with them: send a request for support"),
]


class RegisterForm(forms.Form):
    unborn = forms.ChoiceField(
        label="Has the child been born?",
        choices=[("born", "Yes"), ("unborn", "No, this is an unborn baby")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child has been born."},
    )
    household = forms.ChoiceField(
        label="Where does the child live?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the household the child lives in, or a new address."},
    )
    address_line = forms.CharField(label="Address", max_length=200, required=False)
    town = forms.CharField(label="Town", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    mother = forms.ChoiceField(label="The baby's mother", required=False)
    mother_given_name = forms.CharField(label="Mother's first name", max_length=100, required=False)
    mother_family_name = forms.CharField(label="Mother's last name", max_length=100, required=False)
    mother_date_of_birth = DateField(label="Mother's date of birth")
    purpose = forms.ChoiceField(
        label="How do you know this child?",
        choices=PURPOSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you work with the child or are raising a concern."},
    )
    why = forms.CharField(
        label="How do you work with the child?",
        help_text="For example, 'Antenatal contact: I am the family's health visitor'. Kept in the child's history.",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, households=(), adults=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in {**_identity_fields(), **_characteristics_fields(), **_education_fields()}.items():
            self.fields[name] = field
        self.fields["sex"].initial = Sex.UNKNOWN
        self.fields["ethnicity"].initial = Ethnicity.NOBT
        self.fields["household"].choices = [(str(h.pk), str(h)) for h in households] + [("new", "A new address")]
        self.fields["mother"].choices = [("", "Not recorded"), ("new", "Someone not yet recorded")] + [
            (str(a.pk), f"{a.full_name} ({a.household})") for a in adults
        ]
        for name in ("concerns", "consent", "consent_note", "tried", "urgency"):
            self.fields[name] = copy.deepcopy(SupportRequestForm.base_fields[name])
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        unborn = data.get("unborn") == "unborn"
        if data.get("household") == "new" and not (data.get("address_line") or "").strip():
            self.add_error("address_line", "Enter the first line of the address.")
        if not unborn:
            # The mother's questions are revealed only for an unborn baby: what a hidden part of the
            # page still holds is not recorded (a born child's family is recorded on the family page).
            data["mother"] = ""
        elif not data.get("mother"):
            self.add_error("mother", "Choose the baby's mother, or enter her name and date of birth.")
        if data.get("mother") == "new" and not (
            (data.get("mother_given_name") or "").strip() and (data.get("mother_family_name") or "").strip()
        ):
            self.add_error("mother_given_name", "Enter the mother's first and last names.")
        if data.get("purpose") == "concern":
            self._require_request(data)
        values = {n: data.get(n) for n in ("given_name", "family_name", "nhs_number", "upn", "former_upn")}
        values["expected_date_of_birth" if unborn else "date_of_birth"] = data.get(
            "expected_date_of_birth" if unborn else "date_of_birth"
        )
        if data.get("unborn"):
            for name, problem in child_details_errors(values, today=timezone.localdate(), unborn=unborn).items():
                if name not in self.errors:
                    self.add_error(name, problem)
        return data

    def _require_request(self, data) -> None:
        messages = {
            "concerns": "Describe your concerns for the child.",
            "tried": "Say what has been tried already, or that nothing has been tried yet.",
            "consent": "Say whether the family agrees to this request.",
            "urgency": "Say how urgent the request is.",
        }
        for name, message in messages.items():
            if not (data.get(name) or "").strip():
                self.add_error(name, message)
        if data.get("consent") and data["consent"] != "yes" and not (data.get("consent_note") or "").strip():
            self.add_error("consent_note", "Explain why the family does not agree or was not asked.")


class BirthForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    date_of_birth = DateField(
        label="Date of birth", required=True, error_messages={"required": "Enter the date of birth."}
    )
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth"):
            for name, problem in child_details_errors(
                {"date_of_birth": data["date_of_birth"]}, today=timezone.localdate(), unborn=False
            ).items():
                self.add_error(name, problem)
        return data
