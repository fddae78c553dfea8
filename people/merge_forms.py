"""Forms for proposing and reviewing a merge. The rules (NHS numbers, dates of birth, reasons in
words) live in people/merge_services.py; these forms only collect the choices."""

from __future__ import annotations

from django import forms

from .models import Child


class MergeProposeForm(forms.Form):
    other = forms.ChoiceField(label="Which record is the same child?", widget=forms.RadioSelect)
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        choices=[("this", "Keep this record"), ("other", "Keep the other record")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why are these records the same child?", widget=forms.Textarea(attrs={"rows": 4}))
    date_of_birth_explanation = forms.CharField(
        label="If the dates of birth differ, why are they still the same child?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidates: list[Child], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.public_id): c for c in candidates}
        self.fields["other"].choices = [
            (key, f"{c.full_name}, born {c.date_of_birth or c.expected_date_of_birth}")
            for key, c in self.candidates.items()
        ]

    def clean_other(self) -> Child:
        return self.candidates[self.cleaned_data["other"]]


class MergeReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same child?",
        choices=[("approve", "Yes: merge them"), ("reject", "No: reject this merge")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Your reason (needed to reject)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
