"""Forms for plans, meetings, reviews, the child's voice and family feedback. Labels are plain English."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from accounts.models import Agency, User
from cases.models import AbuseCategory
from people.models import Adult, Child

from .models import (
    Answer,
    MeetingType,
    Outcome,
    Participation,
    PlanType,
    ProgressStatus,
    RespondentType,
    ReviewDecision,
)
from .services import PlanChanges
from .smart import Flag
from .voice import voice_methods

GRADE_CHOICES = [("", "No target grade")] + [(str(g), f"Grade {g}") for g in range(1, 6)]
NO_OWNER = [("", "Nobody named yet")]


def _date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27 3 2026: use the date picker or type the date.",
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": f"{label}: enter a real date", "required": f"Enter {label.lower()}"},
    )


class PlanCreateForm(forms.Form):
    def __init__(self, *args, assessments: list, children: list[Child], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assessments = {str(a.public_id): a for a in assessments}
        self.children = {str(c.public_id): c for c in children}
        self.fields["assessment"] = forms.ChoiceField(
            label="Which assessment does the plan start from?",
            choices=[
                (k, f"{a.tool_version.name}, started {a.started_on:%-d %B %Y}") for k, a in self.assessments.items()
            ],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the assessment the plan starts from"},
        )
        self.fields["plan_type"] = forms.ChoiceField(
            label="What kind of plan is it?",
            choices=PlanType.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the kind of plan"},
        )
        self.fields["children"] = forms.MultipleChoiceField(
            label="Which children is the plan for?",
            help_text="Choose every child in the sibling group the plan covers.",
            choices=[(k, c.full_name) for k, c in self.children.items()],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one child"},
        )
        self.fields["abuse_category"] = forms.ChoiceField(
            label="Category of abuse (child protection plans only)",
            choices=[("", "Not a child protection plan"), *list(AbuseCategory.choices)],
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("plan_type") == PlanType.CHILD_PROTECTION and not data.get("abuse_category"):
            self.add_error("abuse_category", "Choose the category of abuse for a child protection plan")
        return data


def normal_value(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


class PlanEditForm(forms.Form):
    """The whole plan on one page. Field names carry record ids (o12_text, a40_due_on, n12_description
    for a new action under outcome 12). `values()` gives every field's saved value as text: the page
    carries them (signed) so that a save applies only what this editor changed."""

    def __init__(
        self,
        data=None,
        *,
        plan,
        outcomes: list[Outcome],
        users: list[User],
        adults: list[Adult],
        flags: list[Flag],
        justifications: dict[tuple[str, str], str],
        needs: list | None = None,
    ) -> None:
        super().__init__(data)
        self.needs = {n.subject: n for n in needs or []}
        self.plan, self.outcomes, self.flags = plan, outcomes, flags
        owner_choices = NO_OWNER + [(f"u{u.pk}", f"{u} (practitioner)") for u in users]
        owner_choices += [(f"a{a.pk}", f"{a.full_name} (family)") for a in adults]
        self.fields["visiting_frequency_days"] = forms.IntegerField(
            label="How often must the children be seen? (days)", min_value=1, max_value=90
        )
        self.fields["review_interval_days"] = forms.IntegerField(
            label="How often is the plan reviewed? (days)", min_value=7, max_value=366
        )
        initial: dict[str, Any] = {
            "visiting_frequency_days": plan.visiting_frequency_days,
            "review_interval_days": plan.review_interval_days,
        }
        self.outcome_rows = []
        for number, outcome in enumerate(outcomes, start=1):
            p = f"o{outcome.pk}_"
            self.fields[p + "text"] = forms.CharField(
                label=f"Outcome {number}: what needs to change",
                widget=forms.Textarea,
                error_messages={"required": f"Outcome {number}: say what needs to change"},
            )
            self.fields[p + "target_grade"] = forms.TypedChoiceField(
                label="Target grade", choices=GRADE_CHOICES, required=False, coerce=int, empty_value=None
            )
            self.fields[p + "measure"] = forms.CharField(
                label="Other evidence of change", required=False, widget=forms.Textarea
            )
            self.fields[p + "consequence"] = forms.CharField(
                label="What happens if this is not achieved", required=False, widget=forms.Textarea
            )
            self.fields[p + "remove"] = forms.BooleanField(label=f"Remove outcome {number}", required=False)
            initial.update(
                {
                    p + "text": outcome.text,
                    p + "target_grade": outcome.target_grade,
                    p + "measure": outcome.measure,
                    p + "consequence": outcome.consequence,
                }
            )
            action_rows = []
            for action_number, action in enumerate(outcome.actions.all(), start=1):
                q = f"a{action.pk}_"
                self._action_fields(q, f"Action {action_number}", owner_choices, required=True, outcome=number)
                self.fields[q + "done"] = forms.BooleanField(label="Done", required=False)
                self.fields[q + "remove"] = forms.BooleanField(label="Remove this action", required=False)
                owner = f"u{action.owner_user_id}" if action.owner_user_id else ""
                owner = f"a{action.owner_adult_id}" if action.owner_adult_id else owner
                initial.update(
                    {
                        q + "description": action.description,
                        q + "owner": owner,
                        q + "owner_family_name": action.owner_family_name,
                        q + "due_on": action.due_on.isoformat() if action.due_on else "",
                        q + "done": action.completed_on is not None,
                    }
                )
                action_rows.append((action, q))
            n = f"n{outcome.pk}_"
            self._action_fields(n, "New action", owner_choices, required=False, outcome=number)
            self.outcome_rows.append((number, outcome, p, action_rows, n))
        self.fields["new_outcome_text"] = forms.CharField(
            label="Add another outcome", help_text="Leave blank if none.", required=False, widget=forms.Textarea
        )
        self.fields["new_outcome_need"] = forms.ChoiceField(
            label="Which need from the assessment does it address?",
            choices=[("", "Not a need from the assessment")]
            + [(k, f"{n.label} (grade {n.grade})") for k, n in self.needs.items()],
            required=False,
        )
        self.justification_keys: dict[str, tuple[str, str]] = {}
        for flag in flags:
            self.fields[flag.field_name] = forms.CharField(
                label=f"Why is this acceptable? ({flag.message})", required=False, widget=forms.Textarea
            )
            self.justification_keys[flag.field_name] = (flag.check_key, flag.subject)
            initial[flag.field_name] = justifications.get((flag.check_key, flag.subject), "")
        self.initial = initial

    def _action_fields(self, prefix: str, label: str, owner_choices, *, required: bool, outcome: int) -> None:
        self.fields[prefix + "description"] = forms.CharField(
            label=f"{label}: what will be done",
            required=required,
            widget=forms.Textarea,
            error_messages={"required": f"Outcome {outcome}: say what the action is, or remove it"},
        )
        self.fields[prefix + "owner"] = forms.ChoiceField(label="Who will do it", choices=owner_choices, required=False)
        self.fields[prefix + "owner_family_name"] = forms.CharField(
            label="Or a family member not listed", required=False, max_length=200
        )
        self.fields[prefix + "due_on"] = _date_field("By when", required=False, help_text="For example, 2026-03-27.")

    def values(self) -> dict[str, str]:
        """Every field's saved value as text (from the plan as it is now)."""
        return {name: normal_value(self.initial.get(name)) for name in self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for _, _outcome, _, _, n in self.outcome_rows:
            started = data.get(n + "owner") or data.get(n + "owner_family_name") or data.get(n + "due_on")
            if started and not (data.get(n + "description") or "").strip():
                self.add_error(n + "description", "Say what the new action is, or clear its owner and date")
        return data

    def changed_names(self, base: dict[str, str]) -> set[str]:
        return {name for name in self.fields if normal_value(self.data.get(name)) != base.get(name, "")}

    def changes(self, changed: set[str], today: date) -> PlanChanges:
        data = self.cleaned_data
        result = PlanChanges()
        for name in ("visiting_frequency_days", "review_interval_days"):
            if name in changed:
                result.plan_fields[name] = data[name]
        for _, outcome, p, action_rows, n in self.outcome_rows:
            if data.get(p + "remove"):
                result.removed_outcomes.add(outcome.pk)
                continue
            for name in ("text", "target_grade", "measure", "consequence"):
                if p + name in changed:
                    value = data[p + name]
                    result.outcome_fields.setdefault(outcome.pk, {})[name] = (
                        value.strip() if isinstance(value, str) else value
                    )
            for action, q in action_rows:
                if data.get(q + "remove"):
                    result.removed_actions.add(action.pk)
                    continue
                values = result.action_fields.setdefault(action.pk, {})
                if q + "description" in changed:
                    values["description"] = data[q + "description"].strip()
                if q + "owner" in changed:
                    values.update(_owner(data[q + "owner"]))
                if q + "owner_family_name" in changed:
                    values["owner_family_name"] = data[q + "owner_family_name"].strip()
                if q + "due_on" in changed:
                    values["due_on"] = data[q + "due_on"]
                if q + "done" in changed:
                    values["completed_on"] = today if data[q + "done"] else None
                if not values:
                    del result.action_fields[action.pk]
            if (data.get(n + "description") or "").strip():
                result.new_actions.append(
                    (
                        outcome.pk,
                        {
                            "description": data[n + "description"].strip(),
                            "owner_family_name": data[n + "owner_family_name"].strip(),
                            "due_on": data[n + "due_on"],
                            **_owner(data[n + "owner"]),
                        },
                    )
                )
        if (data.get("new_outcome_text") or "").strip():
            need = self.needs.get(data.get("new_outcome_need") or "")
            link = (
                {"need_domain_key": need.domain_key, "need_child_id": need.child_id, "baseline_grade": need.grade}
                if need
                else {}
            )
            result.new_outcomes.append({"text": data["new_outcome_text"].strip(), **link})
        for name, key in self.justification_keys.items():
            if name in changed:
                result.justifications[key] = data[name]
        return result


def _owner(value: str) -> dict[str, int | None]:
    return {
        "owner_user_id": int(value[1:]) if value.startswith("u") else None,
        "owner_adult_id": int(value[1:]) if value.startswith("a") else None,
    }


class MeetingForm(forms.Form):
    def __init__(self, *args, chairs: list[User], agencies: list[Agency], adults: list[Adult], children, **kwargs):
        super().__init__(*args, **kwargs)
        self.adults, self.children = adults, children
        self.fields["meeting_type"] = forms.ChoiceField(
            label="Type of meeting",
            choices=MeetingType.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the type of meeting"},
        )
        self.fields["held_on"] = _date_field("Date of the meeting")
        self.fields["chair"] = forms.ChoiceField(
            label="Who chaired it",
            choices=[("", "Choose")] + [(str(u.pk), str(u)) for u in chairs],
            error_messages={"required": "Choose who chaired the meeting"},
        )
        agency_choices = [(str(a.pk), a.name) for a in agencies]
        self.fields["invited"] = forms.MultipleChoiceField(
            label="Agencies invited", choices=agency_choices, required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["attending"] = forms.MultipleChoiceField(
            label="Agencies that attended", choices=agency_choices, required=False, widget=forms.CheckboxSelectMultiple
        )
        for adult in adults:
            self.fields[f"adult{adult.pk}"] = forms.ChoiceField(
                label=f"Did {adult.full_name} attend?",
                choices=[("yes", "Attended"), ("no", "Did not attend"), ("na", "Not invited")],
                initial="na",
                widget=forms.RadioSelect,
            )
        for child in children:
            self.fields[f"child{child.pk}"] = forms.ChoiceField(
                label=f"How did {child.given_name} take part?",
                choices=Participation.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say how {child.given_name} took part"},
            )
            self.fields[f"child{child.pk}_note"] = forms.CharField(
                label=f"Notes on {child.given_name}'s participation", required=False, widget=forms.Textarea
            )
        self.fields["notes"] = forms.CharField(label="Notes of the meeting", required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if set(data.get("attending") or []) - set(data.get("invited") or []):
            self.add_error("attending", "An agency that attended must also be ticked as invited")
        return data


class ReviewForm(forms.Form):
    def __init__(self, *args, outcomes: list[Outcome], meetings, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        self.assessments = {str(a.public_id): a for a in assessments}
        self.meetings = {str(m.public_id): m for m in meetings}
        self.fields["held_on"] = _date_field("Date of the review")
        self.fields["meeting"] = forms.ChoiceField(
            label="Meeting where the plan was reviewed",
            choices=[("", "Not reviewed at a recorded meeting")] + [(k, str(m)) for k, m in self.meetings.items()],
            required=False,
        )
        self.fields["repeat_assessment"] = forms.ChoiceField(
            label="Repeat assessment",
            help_text="The latest grades are compared with the grades the plan started from.",
            choices=[("", "No repeat assessment")]
            + [(k, f"{a.tool_version.name}, started {a.started_on:%-d %B %Y}") for k, a in self.assessments.items()],
            required=False,
        )
        self.progress_rows = []
        for number, outcome in enumerate(outcomes, start=1):
            p = f"o{outcome.pk}_"
            self.fields[p + "status"] = forms.ChoiceField(
                label=f"Outcome {number}: progress",
                choices=ProgressStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Outcome {number}: choose the progress made"},
            )
            self.fields[p + "evidence"] = forms.CharField(
                label=f"Outcome {number}: evidence of progress",
                widget=forms.Textarea,
                error_messages={"required": f"Outcome {number}: give the evidence for the progress"},
            )
            self.progress_rows.append((number, outcome, p))
        self.fields["child_views"] = forms.CharField(label="The child's views", required=False, widget=forms.Textarea)
        self.fields["parent_views"] = forms.CharField(label="The parents' views", required=False, widget=forms.Textarea)
        self.fields["decision"] = forms.ChoiceField(
            label="Decision",
            choices=ReviewDecision.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a decision"},
        )
        self.fields["decision_reason"] = forms.CharField(
            label="Why", widget=forms.Textarea, error_messages={"required": "Say why you made this decision"}
        )
        self.fields["abuse_category"] = forms.ChoiceField(
            label="Category of abuse (only when stepping up to a child protection plan)",
            choices=[("", "Not stepping up to child protection"), *list(AbuseCategory.choices)],
            required=False,
        )


class VoiceForm(forms.Form):
    def __init__(self, *args, children: list[Child], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.public_id): c for c in children}
        self.fields["child"] = forms.ChoiceField(
            label="Which child",
            choices=[(k, c.full_name) for k, c in self.children.items()],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the child"},
        )
        self.fields["recorded_on"] = _date_field("Date of the direct work")
        self.fields["method_key"] = forms.ChoiceField(
            label="How were the child's views gathered?",
            choices=[(m.key, m.label) for m in voice_methods()],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose how the views were gathered"},
        )
        self.fields["words"] = forms.CharField(
            label="What the child said, in their own words",
            help_text="For a baby or a child who does not talk yet, what you saw: how they responded to their carer.",
            widget=forms.Textarea,
            error_messages={"required": "Write what the child said, or what you observed"},
        )
        self.fields["impact_on_plan"] = forms.CharField(
            label="How this changed the plan",
            widget=forms.Textarea,
            error_messages={"required": "Say how this changed the plan, or why it did not"},
        )


SCORE_CHOICES = [(str(n), label) for n, label in ((1, "1 Not at all"), (2, "2"), (3, "3"), (4, "4"), (5, "5 Fully"))]


class FeedbackForm(forms.Form):
    respondent_type = forms.ChoiceField(
        label="Who is giving feedback?",
        choices=RespondentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is giving feedback"},
    )
    listened_score = forms.TypedChoiceField(
        label="How well were you listened to, from 1 (not at all) to 5 (fully)?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 1 to 5"},
    )
    listened = forms.ChoiceField(
        label="Were you listened to?",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you were listened to"},
    )
    understands_plan = forms.ChoiceField(
        label="Do you understand the plan?",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you understand the plan"},
    )
    what_would_help = forms.CharField(label="What would help?", required=False, widget=forms.Textarea)
