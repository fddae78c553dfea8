from __future__ import annotations

from django import forms

from .models import DatePrecision, Significance
from .services import NUL_MESSAGE
from .taxonomy import Taxonomy


class EntryForm(forms.Form):
    """What a practitioner records. Agency and author are not asked: they come from who is signed in."""

    def __init__(self, *args, taxonomy: Taxonomy, household_choice: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.fields["occurred_on"] = forms.DateField(
            label="Date of the event",
            help_text="If you know only the month or the year, enter any day in it and say below that it is "
            "approximate.",
            widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
            error_messages={"required": "Enter the date of the event", "invalid": "Enter a real date"},
        )
        self.fields["date_precision"] = forms.ChoiceField(
            label="Is the date exact?",
            choices=DatePrecision.choices,
            initial=DatePrecision.EXACT,
            widget=forms.RadioSelect,
            error_messages={"required": "Say whether the date is exact or approximate"},
        )
        choices = [("", "Choose an event type")]
        for group, options in taxonomy.grouped_choices(hand_only=True):
            choices += [(code, f"{group}: {label}") for code, label in options]
        self.fields["event_type"] = forms.ChoiceField(
            label="Type of event",
            help_text="The list below the form explains each type.",
            choices=choices,
            error_messages={"required": "Choose an event type", "invalid_choice": "Choose an event type from the list"},
        )
        if household_choice:
            self.fields["about_household"] = forms.BooleanField(
                label="This event is about the whole household, not only this child", required=False
            )
        self.fields["description"] = forms.CharField(
            label="What happened",
            help_text="Facts: what happened, who was there, what was seen or said.",
            widget=forms.Textarea,
            max_length=5000,
            error_messages={"required": "Describe what happened"},
        )
        self.fields["impact_on_child"] = forms.CharField(
            label="Impact on the child",
            help_text="What this meant for the child's daily life, health or safety. Leave blank if not known.",
            widget=forms.Textarea,
            required=False,
            max_length=5000,
        )
        self.fields["action_taken"] = forms.CharField(
            label="Action taken",
            help_text="What you or your agency did. If nothing was done, tick the box below instead.",
            widget=forms.Textarea,
            required=False,
            max_length=5000,
        )
        self.fields["no_action_taken"] = forms.BooleanField(label="No action was taken", required=False)
        self.fields["significance"] = forms.ChoiceField(
            label="How significant is this event for the child?",
            choices=Significance.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose how significant the event is"},
        )
        self.fields["restricted"] = forms.BooleanField(
            label="Restrict this entry to my agency and the child's lead practitioner or social worker",
            help_text="For sensitive information, such as a domestic abuse victim's new address.",
            required=False,
        )

        self._explain_null_characters()

    def _explain_null_characters(self) -> None:
        """Django refuses a NUL character in text with a generic message; say what it is and what to do."""
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.error_messages["null_characters_not_allowed"] = NUL_MESSAGE

    def clean(self):
        data = super().clean()
        if data.get("action_taken", "").strip() and data.get("no_action_taken"):
            self.add_error("action_taken", "Describe the action taken, or tick 'No action was taken' - not both")
        elif not data.get("action_taken", "").strip() and not data.get("no_action_taken"):
            self.add_error("action_taken", "Describe the action taken, or tick 'No action was taken'")
        return data


class CorrectionForm(EntryForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, household_choice=False, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Why does the entry need correcting?",
            help_text="The original entry stays in the chronology, marked as corrected, with this reason.",
            widget=forms.Textarea,
            max_length=2000,
            error_messages={"required": "Say why the entry needs correcting"},
        )
        self._explain_null_characters()
        self.order_fields(["reason"])


class FilterForm(forms.Form):
    """The timeline's filters (GET). Invalid values are explained and ignored."""

    def __init__(self, *args, taxonomy: Taxonomy, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = forms.TypedChoiceField(
            label="Agency",
            choices=[("", "All agencies"), *((a.pk, a.name) for a in agencies)],
            coerce=int,
            empty_value=None,
            required=False,
        )
        event_choices = [("", "All types")]
        for group, options in taxonomy.grouped_choices(hand_only=False):
            event_choices += [(code, f"{group}: {label}") for code, label in options]
        self.fields["event_type"] = forms.ChoiceField(label="Type of event", choices=event_choices, required=False)
        self.fields["significance"] = forms.ChoiceField(
            label="Significance", choices=[("", "Any"), *Significance.choices], required=False
        )
        self.fields["date_from"] = forms.DateField(
            label="From", required=False, widget=forms.DateInput, error_messages={"invalid": "Enter a real date"}
        )
        self.fields["date_to"] = forms.DateField(
            label="To", required=False, widget=forms.DateInput, error_messages={"invalid": "Enter a real date"}
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return data
