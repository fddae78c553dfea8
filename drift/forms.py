from django import forms

from .rules import RuleSet

ACTION_ROWS = 3


class SupervisionForm(forms.Form):
    """The discussion, up to three actions with owners and dates, and an optional flag clearance."""

    def __init__(self, *args, supervisees, owners, flag_choices: list[tuple[str, str]], ruleset: RuleSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.ruleset = ruleset
        self.fields["held_on"] = forms.DateField(
            label="Date of supervision",
            help_text="For example, 2026-03-27",
            widget=forms.DateInput,
            error_messages={"required": "Enter the date of the supervision", "invalid": "Enter a real date"},
        )
        self.fields["supervisee"] = forms.ModelChoiceField(
            label="Practitioner supervised",
            queryset=supervisees,
            empty_label="Choose a practitioner",
            error_messages={"required": "Choose the practitioner you supervised"},
        )
        self.fields["reflections"] = forms.CharField(
            label="Reflections",
            help_text="What you discussed about the child's lived experience and the plan.",
            widget=forms.Textarea,
            error_messages={"required": "Enter the reflections from the discussion"},
        )
        self.fields["decisions"] = forms.CharField(
            label="Decisions",
            widget=forms.Textarea,
            error_messages={"required": "Enter the decisions made"},
        )
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{i}_description"] = forms.CharField(
                label=f"Action {i}", required=False, max_length=500, help_text="Leave blank if there is no action."
            )
            self.fields[f"action_{i}_owner"] = forms.ModelChoiceField(
                label=f"Who owns action {i}", queryset=owners, required=False, empty_label="Choose an owner"
            )
            self.fields[f"action_{i}_due"] = forms.DateField(
                label=f"Action {i} due by",
                required=False,
                help_text="For example, 2026-04-30",
                error_messages={"invalid": "Enter a real date"},
            )
        self.fields["clear_rule"] = forms.ChoiceField(
            label="Clear a drift flag",
            help_text="Only if you decided the flag needs no action for a stated period.",
            choices=[("", "Do not clear a flag"), *flag_choices],
            required=False,
        )
        self.fields["cleared_until"] = forms.DateField(
            label="Cleared until",
            required=False,
            help_text=f"At most {ruleset.clearance_max_days} days from today. For example, 2026-06-30",
            error_messages={"invalid": "Enter a real date"},
        )
        self.fields["clear_reason"] = forms.CharField(
            label="Why the flag can be cleared", required=False, widget=forms.Textarea
        )

    def clean(self):
        data = super().clean()
        for i in range(1, ACTION_ROWS + 1):
            description = (data.get(f"action_{i}_description") or "").strip()
            owner, due = data.get(f"action_{i}_owner"), data.get(f"action_{i}_due")
            if description or owner or due:
                if not description:
                    self.add_error(f"action_{i}_description", f"Describe action {i}, or clear its owner and date")
                if owner is None and f"action_{i}_owner" not in self.errors:
                    self.add_error(f"action_{i}_owner", f"Choose who owns action {i}")
                if due is None and f"action_{i}_due" not in self.errors:
                    self.add_error(f"action_{i}_due", f"Enter when action {i} is due")
        if data.get("clear_rule"):
            if data.get("cleared_until") is None and "cleared_until" not in self.errors:
                self.add_error("cleared_until", "Enter the date the flag is cleared until")
            if not (data.get("clear_reason") or "").strip():
                self.add_error("clear_reason", "Explain why the flag can be cleared")
        return data

    def actions(self) -> list[tuple[str, object, object]]:
        rows = []
        for i in range(1, ACTION_ROWS + 1):
            description = (self.cleaned_data.get(f"action_{i}_description") or "").strip()
            if description:
                rows.append((description, self.cleaned_data[f"action_{i}_owner"], self.cleaned_data[f"action_{i}_due"]))
        return rows
