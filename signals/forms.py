from django import forms

from .models import SignalAction


class SignalResponseForm(forms.Form):
    action = forms.ChoiceField(
        label="Your response",
        choices=SignalAction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to acknowledge or dismiss the signal."},
    )
    reason = forms.CharField(
        label="Why?",
        help_text=(
            "Your reason is recorded with your name and the time. Say what you are doing, or why it is not a concern."
        ),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Give your reason."},
    )
