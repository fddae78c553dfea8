"""Forms for the full assessment. Grade forms are built from the tool definition, so a partnership's
own tool version gets its own items, age bands and descriptors without code changes."""

from __future__ import annotations

from django import forms

from people.models import Child

from .continuum import Continuum
from .definitions import Domain, ToolDefinition
from .models import AssessedChild, Concern
from .prebirth import ANSWERS


class RevisionForm(forms.Form):
    """Every change carries the revision it was made on, so a concurrent edit is caught, not lost."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StartForm(forms.Form):
    def __init__(self, *args, candidates: list[Child], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["children"] = forms.MultipleChoiceField(
            label="Which children in the household does this assessment cover?",
            help_text="Assess brothers and sisters together: home conditions are graded once for them all.",
            choices=[(str(c.pk), f"{c.full_name}{'' if c.date_of_birth else ' (unborn)'}") for c in candidates],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one child to assess"},
        )

    def clean_children(self) -> list[str]:
        # Checkboxes send each child once; a repeated id (a crafted or replayed post) is refused here
        # with the child's name, before the service would refuse it.
        keys = self.cleaned_data["children"]
        repeated = sorted({key for key in keys if keys.count(key) > 1}, key=keys.index)
        if repeated:
            names = ", ".join(self.candidates[key].full_name for key in repeated)
            raise forms.ValidationError(f"Choose each child only once: {names} was chosen more than once")
        return keys

    def chosen(self) -> list[Child]:
        return [self.candidates[key] for key in self.cleaned_data["children"]]


def _target_key(child_id: int | None) -> str:
    return "household" if child_id is None else str(child_id)


class DomainGradesForm(RevisionForm):
    """Grades, evidence and strengths for every item of one domain: once for the household, or once
    per child the viewer can see whose age band the item applies to. Blank grades are left as they were."""

    def __init__(
        self, *args, definition: ToolDefinition, domain: Domain, children: list[AssessedChild], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.sections: list[dict] = []
        bands = {b.key: b.label for b in definition.age_bands}
        for item in domain.items:
            targets = []
            if domain.scope == "household":
                applicable = [c for c in children if c.age_band in item.age_bands]
                if applicable:
                    band = max(applicable, key=lambda c: c.child.age_on(c.assessment.started_on) or 0).age_band
                    targets.append((None, "The household", band))
            else:
                targets += [
                    (c.child_id, c.child.full_name, c.age_band) for c in children if c.age_band in item.age_bands
                ]
            rows = []
            for child_id, who, band in targets:
                key = f"{item.key}__{_target_key(child_id)}"
                descriptors = item.descriptors.get(band, {})
                self.fields[f"grade__{key}"] = forms.TypedChoiceField(
                    label=f"Grade for {who} ({bands.get(band, band)})",
                    choices=[(g.value, f"{g.value}: {descriptors.get(g.value, g.summary)}") for g in definition.grades],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"evidence__{key}"] = forms.CharField(
                    label=f"Evidence for {who}",
                    help_text=f"What you saw or heard. Needed for a grade of {definition.evidence_required_from_grade} "
                    "or worse.",
                    required=False,
                    widget=forms.Textarea,
                )
                self.fields[f"strengths__{key}"] = forms.CharField(
                    label=f"Strengths for {who}", required=False, widget=forms.Textarea
                )
                rows.append({"key": key, "child_id": child_id, "who": who})
            if rows:
                self.sections.append({"item": item, "rows": rows})

    def clean(self) -> dict:
        data = super().clean()
        threshold = self.definition.evidence_required_from_grade
        for section in self.sections:
            for row in section["rows"]:
                grade = data.get(f"grade__{row['key']}")
                if grade and grade >= threshold and not (data.get(f"evidence__{row['key']}") or "").strip():
                    self.add_error(
                        f"evidence__{row['key']}",
                        f"Write the evidence for a grade of {grade} for {row['who']}: say what you saw or heard",
                    )
        return data

    def bound_sections(self) -> list[dict]:
        return [
            {
                "item": s["item"],
                "rows": [
                    {
                        "who": r["who"],
                        "grade": self[f"grade__{r['key']}"],
                        "evidence": self[f"evidence__{r['key']}"],
                        "strengths": self[f"strengths__{r['key']}"],
                    }
                    for r in s["rows"]
                ],
            }
            for s in self.sections
        ]

    def changes(self) -> list[tuple[str, int | None, int, str, str]]:
        """(item key, child id or None, grade, evidence, strengths) for every grade given."""
        out = []
        for section in self.sections:
            for row in section["rows"]:
                grade = self.cleaned_data.get(f"grade__{row['key']}")
                if grade:
                    out.append(
                        (
                            section["item"].key,
                            row["child_id"],
                            grade,
                            self.cleaned_data.get(f"evidence__{row['key']}", ""),
                            self.cleaned_data.get(f"strengths__{row['key']}", ""),
                        )
                    )
        return out


class LivedExperienceForm(RevisionForm):
    def __init__(self, *args, children: list[AssessedChild], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.children = children
        for entry in children:
            self.fields[f"child_{entry.child_id}"] = forms.CharField(
                label=f"{entry.child.full_name}'s day-to-day life",
                help_text="In the child's own words where you can, or what you observed for a baby or a child "
                "who does not speak: a typical day, what they enjoy, what worries them.",
                required=False,
                widget=forms.Textarea,
                initial=entry.lived_experience,
            )


class FactorsForm(RevisionForm):
    def __init__(self, *args, definition: ToolDefinition, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for factor in definition.factors:
            rating = current.get(factor.key)
            self.fields[f"concern__{factor.key}"] = forms.ChoiceField(
                label=factor.name,
                help_text=factor.guidance,
                choices=Concern.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=rating.concern if rating else None,
            )
            self.fields[f"notes__{factor.key}"] = forms.CharField(
                label=f"Notes on {factor.name[0].lower()}{factor.name[1:]}",
                required=False,
                widget=forms.Textarea,
                initial=rating.notes if rating else "",
            )

    def clean(self) -> dict:
        data = super().clean()
        for factor in self.definition.factors:
            if data.get(f"concern__{factor.key}") == Concern.SIGNIFICANT and not data.get(f"notes__{factor.key}"):
                self.add_error(
                    f"notes__{factor.key}",
                    f"Say why {factor.name[0].lower()}{factor.name[1:]} is a significant concern",
                )
        return data

    def pairs(self) -> list[tuple]:
        return [(self[f"concern__{f.key}"], self[f"notes__{f.key}"]) for f in self.definition.factors]


class SignOffForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[("sign_off", "Sign off the assessment"), ("return", "Return it to the practitioner with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to sign off or return the assessment"},
    )
    comment = forms.CharField(
        label="Comments",
        help_text="Required when you return it: say what needs to change.",
        required=False,
        widget=forms.Textarea,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change when you return an assessment")
        return data


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        help_text="A correction or an addition. The submitted assessment stays as it was; this is shown beside it.",
        widget=forms.Textarea,
        error_messages={"required": "Write the correction or addition"},
    )


class DecisionForm(forms.Form):
    def __init__(self, *args, continuum: Continuum, recommended: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.recommended = recommended
        self.fields["choice"] = forms.ChoiceField(
            label="Level of need and pathway",
            choices=[
                (f"{lv.number}|{p}", f"Level {lv.number}, {lv.name}: {p}")
                for lv in continuum.levels
                for p in lv.pathways
            ],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the level of need and the pathway"},
        )
        self.fields["reason"] = forms.CharField(
            label="Why your decision differs from the recommendation",
            help_text="Required only when you choose a different level from the one recommended.",
            required=False,
            widget=forms.Textarea,
        )

    def clean(self) -> dict:
        data = super().clean()
        if "choice" in data:
            level, pathway = data["choice"].split("|", 1)
            data["level"], data["pathway"] = int(level), pathway
            if data["level"] != self.recommended and not data.get("reason", "").strip():
                self.add_error(
                    "reason", f"Say why you chose level {level} when level {self.recommended} was recommended"
                )
        return data


class AgreementForm(forms.Form):
    agree = forms.ChoiceField(
        label="Do you agree with this change of level?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I do not agree")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you agree"},
    )
    comment = forms.CharField(label="Comments", required=False, widget=forms.Textarea)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("agree") == "no" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why you do not agree, so the practitioner can act on it")
        return data


class PrenatalForm(forms.Form):
    def __init__(self, *args, definition: ToolDefinition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = definition.prenatal_checklist
        for question in self.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.question,
                choices=list(ANSWERS.items()),
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes, no or not known"},
            )
        self.fields["notes"] = forms.CharField(
            label="Notes", help_text="What you know and how you know it.", required=False, widget=forms.Textarea
        )

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.questions}
