from django import forms

from .models import Consent, Outcome, Urgency


class SupportRequestForm(forms.Form):
    siblings = forms.MultipleChoiceField(
        label="Brothers and sisters to include",
        help_text="Include any brothers or sisters in the household you are also worried about.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = forms.CharField(
        label="What are you worried about?",
        help_text="Describe what you have seen and heard, how long it has been happening and the effect on the child.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe your concerns for the child."},
    )
    screening = forms.ChoiceField(label="Neglect screening", required=False)
    consent = forms.ChoiceField(
        label="Does the family agree to this request?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family agrees to this request."},
    )
    consent_note = forms.CharField(
        label="If the family does not agree, or you did not ask, explain why",
        help_text="For example, asking would place the child at risk of harm.",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )
    tried = forms.CharField(
        label="What has been tried already?",
        help_text="Support offered by you or others, and what difference it made.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Say what has been tried already, or that nothing has been tried yet."},
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how urgent the request is."},
    )

    def __init__(self, *args, siblings=(), screenings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["siblings"].choices = [(str(s.public_id), s.full_name) for s in siblings]
        if not siblings:
            del self.fields["siblings"]
        self.fields["screening"].choices = [("", "No screening")] + [
            (str(s.pk), f"{s.created_at:%-d %b %Y}: {s.outcome_label}") for s in screenings
        ]

    def clean(self):
        data = super().clean()
        consent = data.get("consent")
        if consent and consent != Consent.YES and not (data.get("consent_note") or "").strip():
            self.add_error(
                "consent_note",
                "Explain why consent was not sought (for example, asking would place the child at risk)."
                if consent == Consent.NOT_SOUGHT
                else "Explain what the family said and why you are making the request without their agreement.",
            )
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision."},
    )
    rationale = forms.CharField(
        label="Why have you made this decision?",
        help_text="Your rationale is recorded with your name and the time, and the requester can read the outcome.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Explain the decision."},
    )
