from django import forms

from .admin_changes import NOT_APPROPRIATE_RULES
from .models import AdminChangeOutcome, ReviewOutcome
from .reasons import reason_clean
from .services import EMERGENCY_REASON_RULES, FOLLOW_UP_RULES


class EmergencyAccessForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=12, help_text="For example, 943 476 5919"
    )
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="Use with the family name if you do not know the NHS number.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date of birth as a real date"},
    )
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        help_text="Say what has happened and why it cannot wait, in at least 4 words. Your manager will review this.",
        widget=forms.Textarea,
        error_messages={"required": "Explain why you need emergency access"},
    )

    def clean_reason(self) -> str:
        return reason_clean(self.cleaned_data["reason"], **EMERGENCY_REASON_RULES)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("nhs_number") and not (data.get("family_name") and data.get("date_of_birth")):
            raise forms.ValidationError("Enter the child's NHS number, or their family name and date of birth")
        return data


class EmergencyReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the emergency access was justified"},
    )
    note = forms.CharField(
        label="Review note", required=False, widget=forms.Textarea, help_text="Required if access was not justified."
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == ReviewOutcome.NOT_JUSTIFIED:
            try:
                data["note"] = reason_clean(data.get("note"), **FOLLOW_UP_RULES)
            except forms.ValidationError as error:
                self.add_error("note", error)
        return data


class AdminChangeReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was this change appropriate?",
        choices=AdminChangeOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the change was appropriate"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="Required if the change was not appropriate: say why, and what follow-up is needed.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == AdminChangeOutcome.NOT_APPROPRIATE:
            try:
                data["reason"] = reason_clean(data.get("reason"), **NOT_APPROPRIATE_RULES)
            except forms.ValidationError as error:
                self.add_error("reason", error)
        return data
