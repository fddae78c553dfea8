"""Writes for plans, meetings, reviews, the child's voice and family feedback.

A plan starts from a signed-off assessment: each unmet need becomes a draft outcome. Every save
checks the revision the editor started from (so nobody overwrites someone else's changes) and
re-runs the SMART checks; publishing needs each flag resolved or justified. A review's decision
changes the children's episodes through `cases.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_problem
from assessments.models import Assessment, AssessmentStatus
from cases.models import Level
from cases.services import EpisodeError, episode_close, episode_level_change
from people.models import Adult, Child

from .models import (
    Action,
    ChildParticipation,
    FamilyAttendance,
    FamilyFeedback,
    FlagJustification,
    Meeting,
    Outcome,
    OutcomeProgress,
    Plan,
    PlanChild,
    PlanStatus,
    PlanType,
    Review,
    ReviewDecision,
    VoiceRecord,
)
from .needs import Need, assessment_grade_rows, need_grade, outcome_text_for, unmet_needs
from .smart import Flag, default_checks, smart_flags

if TYPE_CHECKING:
    from accounts.models import Agency, User

# Usual statutory rhythms; the lead practitioner can change them on each plan.
DEFAULT_VISITING_DAYS = {PlanType.EARLY_HELP: 28, PlanType.CHILD_IN_NEED: 20, PlanType.CHILD_PROTECTION: 10}
DEFAULT_REVIEW_DAYS = {PlanType.EARLY_HELP: 90, PlanType.CHILD_IN_NEED: 90, PlanType.CHILD_PROTECTION: 90}
STEPS = [PlanType.EARLY_HELP, PlanType.CHILD_IN_NEED, PlanType.CHILD_PROTECTION]


class PlanError(Exception):
    """A change to a plan that cannot be made, with a message for the person making it."""


class PlanConflict(PlanError):
    """Someone else saved the plan after this editor opened it."""


@dataclass
class PlanChanges:
    """Only what the editor changed, so that re-applying after a conflict keeps the other person's
    changes to everything else."""

    plan_fields: dict[str, Any] = field(default_factory=dict)
    outcome_fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    action_fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    new_actions: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    new_outcomes: list[dict[str, Any]] = field(default_factory=list)
    removed_outcomes: set[int] = field(default_factory=set)
    removed_actions: set[int] = field(default_factory=set)
    justifications: dict[tuple[str, str], str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(vars(self).values())


def plan_children(plan: Plan) -> list[Child]:
    return [pc.child for pc in plan.plan_children.select_related("child").order_by("child__date_of_birth", "pk")]


def plan_needs(plan: Plan, children: list[Child] | None = None) -> list[Need]:
    if plan.assessment_id is None:
        return []
    return unmet_needs(
        assessment=plan.assessment,
        children=children if children is not None else plan_children(plan),
        from_grade=default_checks().unmet_from_grade,
    )


def plan_outcomes(plan: Plan) -> list[Outcome]:
    return list(
        plan.outcomes.select_related("need_child").prefetch_related("actions__owner_user", "actions__owner_adult")
    )


def plan_flags(plan: Plan, *, outcomes: list[Outcome] | None = None, needs: list[Need] | None = None) -> list[Flag]:
    return smart_flags(
        outcomes=outcomes if outcomes is not None else plan_outcomes(plan),
        needs=needs if needs is not None else plan_needs(plan),
    )


def unresolved_flags(plan: Plan, flags: list[Flag]) -> list[Flag]:
    justified = {(j.check_key, j.subject) for j in plan.justifications.all() if j.text.strip()}
    return [f for f in flags if (f.check_key, f.subject) not in justified]


def can_publish(user: User, plan: Plan) -> bool:
    """The lead practitioner, or their team manager."""
    if user.pk == plan.lead_id:
        return True
    team = plan.lead.team
    return team is not None and team.manager_id == user.pk


@transaction.atomic
def plan_create_from_assessment(
    *,
    assessment: Assessment,
    children: list[Child],
    plan_type: str,
    lead: User,
    created_by: User,
    on: date,
    abuse_category: str = "",
) -> Plan:
    if assessment.status != AssessmentStatus.SIGNED_OFF:
        raise PlanError("A plan starts from a signed-off assessment.")
    if not children:
        raise PlanError("Choose at least one child for the plan.")
    assessed = set(assessment.children.values_list("child_id", flat=True))
    if any(c.pk not in assessed for c in children):
        raise PlanError("Every child on the plan must have been assessed in this assessment.")
    authorise(user=created_by, act=Act.PLAN_EDIT, children=children)
    if lead.pk != created_by.pk:
        authorise(user=lead, act=Act.PLAN_EDIT, children=children)
    if plan_type not in PlanType.values:
        raise PlanError("Choose the kind of plan.")
    if plan_type == PlanType.CHILD_PROTECTION and not abuse_category:
        raise PlanError("A child protection plan needs a category of abuse.")
    plan = Plan.objects.create(
        household_id=assessment.household_id,
        plan_type=plan_type,
        assessment=assessment,
        lead=lead,
        abuse_category=abuse_category if plan_type == PlanType.CHILD_PROTECTION else "",
        visiting_frequency_days=DEFAULT_VISITING_DAYS[plan_type],
        review_interval_days=DEFAULT_REVIEW_DAYS[plan_type],
        started_on=on,
        created_by=created_by,
    )
    PlanChild.objects.bulk_create(PlanChild(plan=plan, child=c) for c in children)
    Outcome.objects.bulk_create(
        Outcome(
            plan=plan,
            position=i,
            need_domain_key=need.domain_key,
            need_child_id=need.child_id,
            baseline_grade=need.grade,
            text=outcome_text_for(need),
        )
        for i, need in enumerate(plan_needs(plan, children), start=1)
    )
    return plan


def _bump(plan: Plan, expected_revision: int) -> None:
    updated = Plan.objects.filter(pk=plan.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise PlanConflict("Someone else saved this plan while you were editing it.")
    plan.revision = expected_revision + 1


OUTCOME_FIELDS = {"text", "target_grade", "measure", "consequence"}
ACTION_FIELDS = {"description", "owner_user", "owner_adult", "owner_family_name", "due_on", "completed_on"}
PLAN_FIELDS = {"visiting_frequency_days", "review_interval_days", "abuse_category"}


@transaction.atomic
def plan_update(*, plan: Plan, user: User, expected_revision: int, changes: PlanChanges) -> Plan:
    """Applies the editor's changes if nobody else saved since `expected_revision`."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_editable:
        raise PlanError("This plan has ended and can no longer be changed.")
    authorise(user=user, act=Act.PLAN_EDIT, children=plan_children(plan))
    _bump(plan, expected_revision)
    if changes.plan_fields:
        unknown = set(changes.plan_fields) - PLAN_FIELDS
        if unknown:
            raise PlanError(f"Cannot change {', '.join(sorted(unknown))}.")
        Plan.objects.filter(pk=plan.pk).update(**changes.plan_fields)
    outcomes = {o.pk: o for o in Outcome.objects.filter(plan=plan)}
    for outcome_id, values in changes.outcome_fields.items():
        if outcome_id in outcomes and outcome_id not in changes.removed_outcomes:
            Outcome.objects.filter(pk=outcome_id).update(**{k: v for k, v in values.items() if k in OUTCOME_FIELDS})
    actions = set(Action.objects.filter(outcome__plan=plan).values_list("pk", flat=True))
    for action_id, values in changes.action_fields.items():
        if action_id in actions and action_id not in changes.removed_actions:
            Action.objects.filter(pk=action_id).update(**{k: v for k, v in values.items() if k in ACTION_FIELDS})
    next_position = max((o.position for o in outcomes.values()), default=0) + 1
    for values in changes.new_outcomes:
        Outcome.objects.create(plan=plan, position=next_position, **values)
        next_position += 1
    for outcome_id, values in changes.new_actions:
        if outcome_id in outcomes and outcome_id not in changes.removed_outcomes:
            position = outcomes[outcome_id].actions.count() + 1
            Action.objects.create(outcome_id=outcome_id, position=position, **values)
    if changes.removed_actions:
        Action.objects.filter(outcome__plan=plan, pk__in=changes.removed_actions).delete()
    if changes.removed_outcomes:
        progressed = set(
            OutcomeProgress.objects.filter(outcome_id__in=changes.removed_outcomes).values_list("outcome_id", flat=True)
        )
        if progressed:
            raise PlanError("An outcome that a review has recorded progress on cannot be removed.")
        Outcome.objects.filter(plan=plan, pk__in=changes.removed_outcomes).delete()
    for (check_key, subject), text in changes.justifications.items():
        if text.strip():
            FlagJustification.objects.update_or_create(
                plan=plan, check_key=check_key, subject=subject, defaults={"text": text.strip(), "written_by": user}
            )
        else:
            FlagJustification.objects.filter(plan=plan, check_key=check_key, subject=subject).delete()
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, user: User, expected_revision: int, on: date | None = None) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("lead__team").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Only a draft plan can be published.")
    authorise(user=user, act=Act.PLAN_PUBLISH, children=plan_children(plan))
    if not can_publish(user, plan):
        raise PlanError("Only the lead practitioner or their team manager can publish the plan.")
    open_flags = unresolved_flags(plan, plan_flags(plan))
    if open_flags:
        raise PlanError("Resolve or justify each flag before publishing: " + " ".join(f.message for f in open_flags))
    _bump(plan, expected_revision)
    today = on or timezone.localdate()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = user
    plan.next_review_on = plan.next_review_on or today + timedelta(days=plan.review_interval_days)
    plan.save(update_fields=["status", "published_at", "published_by", "next_review_on"])
    return plan


def plan_end(*, plan: Plan, reason: str) -> Plan:
    plan.status = PlanStatus.ENDED
    plan.ended_at = timezone.now()
    plan.ended_reason = reason[:300]
    plan.next_review_on = None
    plan.revision += 1
    plan.save(update_fields=["status", "ended_at", "ended_reason", "next_review_on", "revision"])
    return plan


@dataclass(frozen=True)
class FamilyMember:
    name: str
    attended: bool
    adult: Adult | None = None
    note: str = ""


@transaction.atomic
def meeting_record(
    *,
    plan: Plan,
    meeting_type: str,
    held_on: date,
    chair: User,
    invited: list[Agency],
    attending: list[Agency],
    family: list[FamilyMember],
    participation: dict[Child, tuple[str, str]],
    recorded_by: User,
    notes: str = "",
) -> Meeting:
    children = plan_children(plan)
    authorise(user=recorded_by, act=Act.MEETING_RECORD, children=children)
    if any(child.pk not in {c.pk for c in children} for child in participation):
        raise PlanError("Record participation only for children on this plan.")
    meeting = Meeting.objects.create(
        plan=plan,
        meeting_type=meeting_type,
        held_on=held_on,
        chair=chair,
        notes=notes.strip(),
        recorded_by=recorded_by,
    )
    meeting.invited_agencies.set(invited)
    meeting.attending_agencies.set(attending)
    FamilyAttendance.objects.bulk_create(
        FamilyAttendance(meeting=meeting, adult=m.adult, name=m.name, attended=m.attended, note=m.note) for m in family
    )
    ChildParticipation.objects.bulk_create(
        ChildParticipation(meeting=meeting, child=child, participation=how, note=note.strip())
        for child, (how, note) in participation.items()
    )
    return meeting


def review_step_target(plan: Plan, decision: str) -> str | None:
    """The plan type a step up or down leads to, or None when there is no such step."""
    index = STEPS.index(PlanType(plan.plan_type))
    if decision == ReviewDecision.STEP_UP:
        return STEPS[index + 1] if index + 1 < len(STEPS) else None
    if decision == ReviewDecision.STEP_DOWN:
        return STEPS[index - 1] if index > 0 else None
    return plan.plan_type


def _successor(plan: Plan, *, plan_type: str, assessment: Assessment | None, user: User, on: date, abuse: str) -> Plan:
    """The plan at the new level starts as a draft carrying the outcomes and unfinished actions over."""
    successor = Plan.objects.create(
        household_id=plan.household_id,
        plan_type=plan_type,
        assessment=assessment or plan.assessment,
        predecessor=plan,
        lead=plan.lead,
        abuse_category=abuse if plan_type == PlanType.CHILD_PROTECTION else "",
        visiting_frequency_days=DEFAULT_VISITING_DAYS[plan_type],
        review_interval_days=DEFAULT_REVIEW_DAYS[plan_type],
        started_on=on,
        created_by=user,
    )
    PlanChild.objects.bulk_create(PlanChild(plan=successor, child_id=pc.child_id) for pc in plan.plan_children.all())
    for outcome in plan.outcomes.prefetch_related("actions"):
        copy = Outcome.objects.create(
            plan=successor,
            position=outcome.position,
            need_domain_key=outcome.need_domain_key,
            need_item_key=outcome.need_item_key,
            need_child_id=outcome.need_child_id,
            baseline_grade=outcome.baseline_grade,
            text=outcome.text,
            target_grade=outcome.target_grade,
            measure=outcome.measure,
            consequence=outcome.consequence,
        )
        Action.objects.bulk_create(
            Action(
                outcome=copy,
                position=a.position,
                description=a.description,
                owner_user_id=a.owner_user_id,
                owner_adult_id=a.owner_adult_id,
                owner_family_name=a.owner_family_name,
                due_on=a.due_on,
            )
            for a in outcome.actions.all()
            if a.completed_on is None
        )
    return successor


@transaction.atomic
def review_record(
    *,
    plan: Plan,
    recorded_by: User,
    held_on: date,
    decision: str,
    decision_reason: str,
    progress: dict[int, tuple[str, str]],
    meeting: Meeting | None = None,
    repeat_assessment: Assessment | None = None,
    child_views: str = "",
    parent_views: str = "",
    abuse_category: str = "",
) -> Review:
    """Records a review and carries out its decision: continue (next review date moves on), step up or
    down (each child's episode changes level, this plan ends and a draft plan at the new level starts),
    or close (each child's episodes end and the plan ends)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise PlanError("Only a published plan can be reviewed.")
    if decision not in ReviewDecision.values:
        raise PlanError("Choose a decision.")
    if reason_problem(decision_reason):
        raise PlanError("Say why you made this decision, in words.")
    children = plan_children(plan)
    # A review speaks for every child on the plan; a step or a closure changes each one's episodes.
    authorise(user=recorded_by, act=Act.PLAN_REVIEW, children=children)
    if decision != ReviewDecision.CONTINUE:
        authorise(user=recorded_by, act=Act.PLAN_CLOSE, children=children)
    if repeat_assessment is not None:
        assessed = set(repeat_assessment.children.values_list("child_id", flat=True))
        if repeat_assessment.household_id != plan.household_id or not assessed & {c.pk for c in children}:
            raise PlanError("The repeat assessment must be of a child on this plan.")
    outcomes = list(plan.outcomes.all())
    missing = [i for i, o in enumerate(outcomes, start=1) if o.pk not in progress]
    if missing:
        raise PlanError(f"Record progress on every outcome (missing: outcome {', '.join(map(str, missing))}).")
    target = review_step_target(plan, decision)
    if target is None:
        raise PlanError(
            "An early help plan steps down by closing it: choose close."
            if decision == ReviewDecision.STEP_DOWN
            else "A child protection plan is the highest level a review can step up to."
        )
    if target == PlanType.CHILD_PROTECTION and decision == ReviewDecision.STEP_UP and not abuse_category:
        raise PlanError("Stepping up to a child protection plan needs a category of abuse.")
    rows = assessment_grade_rows(repeat_assessment, [c.pk for c in children]) if repeat_assessment else []
    review = Review.objects.create(
        plan=plan,
        meeting=meeting,
        held_on=held_on,
        repeat_assessment=repeat_assessment,
        child_views=child_views.strip(),
        parent_views=parent_views.strip(),
        decision=decision,
        decision_reason=decision_reason.strip(),
        level_before=plan.plan_type,
        level_after=Level.UNIVERSAL if decision == ReviewDecision.CLOSE else target,
        recorded_by=recorded_by,
    )
    OutcomeProgress.objects.bulk_create(
        OutcomeProgress(
            review=review,
            outcome=o,
            status=progress[o.pk][0],
            evidence=progress[o.pk][1].strip(),
            latest_grade=need_grade(
                rows, child_id=o.need_child_id, domain_key=o.need_domain_key, item_key=o.need_item_key
            )
            if rows and o.need_domain_key
            else None,
        )
        for o in outcomes
    )
    summary = f"Plan review: {review.get_decision_display().lower()}. {decision_reason.strip()}"
    try:
        if decision == ReviewDecision.CONTINUE:
            plan.next_review_on = held_on + timedelta(days=plan.review_interval_days)
            plan.save(update_fields=["next_review_on"])
        elif decision == ReviewDecision.CLOSE:
            for child in children:
                episode_close(child=child, on=held_on, recorded_by=recorded_by, summary=summary)
            plan_end(plan=plan, reason=f"Closed at the review on {held_on:%-d %B %Y}")
        else:
            for child in children:
                episode_level_change(
                    child=child,
                    level=target,
                    on=held_on,
                    recorded_by=recorded_by,
                    summary=summary,
                    abuse_category=abuse_category or plan.abuse_category,
                    referral_date=held_on,
                )
            verb = "Stepped up" if decision == ReviewDecision.STEP_UP else "Stepped down"
            plan_end(plan=plan, reason=f"{verb} to a {PlanType(target).label.lower()} at the review")
            review.successor = _successor(
                plan,
                plan_type=target,
                assessment=repeat_assessment,
                user=recorded_by,
                on=held_on,
                abuse=abuse_category or plan.abuse_category,
            )
            review.save(update_fields=["successor"])
    except EpisodeError as error:
        raise PlanError(str(error)) from error
    return review


def voice_record_add(
    *,
    plan: Plan,
    child: Child,
    recorded_by: User,
    recorded_on: date,
    words: str,
    method_key: str,
    impact_on_plan: str,
    is_observation: bool = False,
) -> VoiceRecord:
    if not plan.plan_children.filter(child=child).exists():
        raise PlanError("The child must be on this plan.")
    authorise(user=recorded_by, act=Act.VOICE_ADD, children=[child])
    return VoiceRecord.objects.create(
        plan=plan,
        child=child,
        recorded_by=recorded_by,
        recorded_on=recorded_on,
        words=words.strip(),
        method_key=method_key,
        impact_on_plan=impact_on_plan.strip(),
        is_observation=is_observation,
    )


def feedback_record(
    *,
    meeting: Meeting,
    recorded_by: User,
    respondent_type: str,
    listened_score: int,
    listened: str,
    understands_plan: str,
    what_would_help: str,
    recorded_on: date,
) -> FamilyFeedback:
    if not 1 <= listened_score <= 5:
        raise PlanError("Choose a score from 1 to 5.")
    authorise(user=recorded_by, act=Act.FEEDBACK_RECORD, children=plan_children(meeting.plan), every=False)
    return FamilyFeedback.objects.create(
        meeting=meeting,
        recorded_by=recorded_by,
        respondent_type=respondent_type,
        listened_score=listened_score,
        listened=listened,
        understands_plan=understands_plan,
        what_would_help=what_would_help.strip(),
        recorded_on=recorded_on,
    )
