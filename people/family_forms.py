"""Forms for a family's details. They check what can be checked on the page; the services check it
again (and what needs the database), and the views show a service's refusal on the right field."""

from __future__ import annotations

import re

from django import forms

from .family_models import CommunicationNeedKind, FactorKind
from .models import RelationshipKind

DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d-%m-%Y"]
DATE_HINT = "For example, 1 December 2025 or 2025-12-01"
# The shape of a UK postcode (outward and inward codes), spaces optional.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
YES_NO = [("yes", "Yes"), ("no", "No")]


def date_field(label: str, *, required: bool = True, what: str = "") -> forms.DateField:
    what = what or label.lower()
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date, for example 1 December 2025 or 2025-12-01",
        },
    )


def yes_no(label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, error_messages={"required": f"Say {what}"}
    )


class MoveForm(forms.Form):
    address_line = forms.CharField(
        label="New address",
        max_length=200,
        help_text="House number and street",
        error_messages={"required": "Enter the first line of the new address"},
    )
    town = forms.CharField(label="Town", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    moved_in_on = date_field("Date they moved", what="the date they moved")
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip().upper()
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, for example WM1 1AA")
        return postcode


class AdultForm(forms.Form):
    given_name = forms.CharField(
        label="Given name", max_length=100, error_messages={"required": "Enter the adult's given name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the adult's family name"}
    )
    date_of_birth = date_field("Date of birth (if known)", required=False, what="the date of birth")
    lives_in_household = yes_no("Do they live in the household?", "whether they live in the household")
    language = forms.CharField(label="First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="An interpreter is needed", required=False)
    interpreter_language = forms.CharField(
        label="Interpreter's language",
        max_length=60,
        required=False,
        help_text="Leave blank if it is their first language.",
    )
    communication_needs = forms.MultipleChoiceField(
        label="Communication needs",
        choices=CommunicationNeedKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    communication_other = forms.CharField(label="Other communication need", max_length=300, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("interpreter_needed") and not (
            (data.get("interpreter_language") or "").strip() or (data.get("language") or "").strip()
        ):
            self.add_error("interpreter_language", "Say which language the interpreter should speak")
        other = CommunicationNeedKind.OTHER in (data.get("communication_needs") or [])
        if other and not (data.get("communication_other") or "").strip():
            self.add_error("communication_other", "Describe the other communication need")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"],
            "lives_in_household": data["lives_in_household"] == "yes",
            "language": data["language"],
            "interpreter_needed": data["interpreter_needed"],
            "interpreter_language": data["interpreter_language"],
        }


class RelationshipForm(forms.Form):
    def __init__(self, *args, children: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.children = {str(c.public_id): c for c in children}
        self.fields["child"] = forms.ChoiceField(
            label="Which child?",
            choices=[(k, c.full_name) for k, c in self.children.items()],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the child", "invalid_choice": "Choose a child from the list"},
        )
        self.fields["kind"] = forms.ChoiceField(
            label="How are they related to the child?",
            choices=RelationshipKind.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose how they are related to the child"},
        )
        self.fields["parental_responsibility"] = yes_no(
            "Do they have parental responsibility for the child?", "whether they have parental responsibility"
        )
        self.fields["is_main_carer"] = forms.BooleanField(label="They are the child's main carer", required=False)
        self.fields["started_on"] = date_field("Since when (if known)", required=False, what="the date it began")

    def clean_child(self):
        return self.children[self.cleaned_data["child"]]


class EndForm(forms.Form):
    """Ending a relationship or a factor: from when, and why."""

    ended_on = date_field("Date it ended", what="the date it ended")
    reason = forms.CharField(
        label="Why has it ended?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why it has ended"},
    )


class FactorForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which factor?",
        choices=FactorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the factor"},
    )
    noted_from = date_field("Since when (if known)", required=False, what="the date it was first known")
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        max_length=500,
        required=False,
        help_text="What is known and where it comes from, briefly. Your name and agency are recorded.",
    )
