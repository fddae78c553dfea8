from django import forms

from .models import ReviewOutcome
from .services import MINIMUM_REASON_LENGTH


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
        help_text="Say what has happened and why it cannot wait. Your manager will review this.",
        widget=forms.Textarea,
        min_length=MINIMUM_REASON_LENGTH,
        error_messages={
            "required": "Explain why you need emergency access",
            "min_length": f"Explain why you need emergency access in at least {MINIMUM_REASON_LENGTH} characters",
        },
    )

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
