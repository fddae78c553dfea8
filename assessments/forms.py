from django import forms

from .screening import Screening


class ScreeningForm(forms.Form):
    def __init__(self, *args, screening: Screening, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"] = forms.MultipleChoiceField(
            label="What have you noticed?",
            help_text="Select all that apply. Leave all unticked if you noticed none of these.",
            choices=[(i.key, i.label) for i in screening.indicators],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["duration"] = forms.ChoiceField(
            label="How long have you been noticing this?",
            choices=[(c.key, c.label) for c in screening.durations],
            widget=forms.RadioSelect,
            error_messages={"required": "Say how long you have been noticing this"},
        )
        self.fields["frequency"] = forms.ChoiceField(
            label="How often do you see it?",
            choices=[(c.key, c.label) for c in screening.frequencies],
            widget=forms.RadioSelect,
            error_messages={"required": "Say how often you see it"},
        )
        self.fields["child_says"] = forms.CharField(
            label="What does the child say?",
            help_text="In the child's own words if you can. Leave blank if they have not said anything.",
            required=False,
            widget=forms.Textarea,
        )
