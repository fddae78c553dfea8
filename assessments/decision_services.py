"""Writes for what follows an assessment: the decision on a child's level of need, recorded
against the rules' recommendation, and the pre-birth recommendation from the prenatal checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from access.authority import Act, Relation, authorise, relations_by_child
from access.reasons import reason_problem
from cases.models import AbuseCategory
from cases.services import episode_level_change
from people.models import Child

from .continuum import levels_as_stored
from .models import AssessedChild, Assessment, AssessmentStatus, DecisionStatus, LevelDecision, PrenatalChecklist
from .prebirth import ANSWERS, default_prebirth_rules, prebirth_result
from .selectors import recommendation_for
from .services import AssessmentError, tool_definition_of, tool_version_current

if TYPE_CHECKING:
    from accounts.models import User


def recommendation_reasons(recommendation) -> list[dict]:
    """The fired rules and their evidence, as stored beside a decision."""
    return [
        {
            "rule": fired.rule.key,
            "explanation": fired.rule.explanation,
            "recommend": fired.rule.recommend,
            "evidence": [
                {"date": e.completed_on.isoformat(), "domain": e.domain, "grade": e.grade} for e in fired.evidence
            ],
        }
        for fired in recommendation.fired
    ]


def _apply(decision: LevelDecision, continuum_levels: dict[int, str]) -> None:
    """Moves the child's episode history to the decided level, once a change is agreed."""
    level_key = continuum_levels[decision.decided_level]
    decision.episode = episode_level_change(
        child=decision.child,
        level=level_key,
        on=timezone.localdate(),
        recorded_by=decision.decided_by,
        summary=f"{decision.pathway} (neglect assessment decision)",
        abuse_category=AbuseCategory.NEGLECT,
        referral_date=timezone.localdate(),
    )


@transaction.atomic
def level_decision_record(
    *, assessment: Assessment, child: Child, user: User, decided_level: int, pathway: str, reason: str
) -> LevelDecision:
    """Records the decision. When it differs from the recommendation the reason is required; a step
    up or down waits for the manager's agreement unless the manager makes it; otherwise the
    episode history changes at once."""
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF):
        raise AssessmentError("Record the decision once the assessment has been submitted.")
    if not AssessedChild.objects.filter(assessment=assessment, child=child).exists():
        raise AssessmentError(f"{child.given_name} is not part of this assessment.")
    authorise(user=user, act=Act.LEVEL_DECIDE, children=[child])
    recommendation, continuum = recommendation_for(child=child, assessment=assessment)
    levels = {level.number: level for level in continuum.levels}
    if decided_level not in levels:
        raise AssessmentError("Choose a level from the continuum of need.")
    if pathway not in levels[decided_level].pathways:
        raise AssessmentError(f"Choose a pathway for '{levels[decided_level].name}'.")
    if decided_level != recommendation.level and reason_problem(reason):
        raise AssessmentError(f"Your decision differs from the recommendation (level {recommendation.level}): say why.")
    # The case holder's own team manager decides at once; anyone else's decision to step up or down
    # waits for that manager, never for the decider's manager in another agency.
    is_manager = Relation.LEAD_MANAGER in relations_by_child(user, [child])[child.pk]
    changes = decided_level != recommendation.current_level
    decision = LevelDecision(
        assessment=assessment,
        child=child,
        continuum_key=continuum.key,
        continuum_version=continuum.version,
        continuum_name=continuum.name,
        levels=levels_as_stored(continuum),
        current_level=recommendation.current_level,
        recommended_level=recommendation.level,
        reasons=recommendation_reasons(recommendation),
        decided_level=decided_level,
        pathway=pathway,
        reason_for_difference=reason.strip(),
        decided_by=user,
        status=DecisionStatus.AWAITING_AGREEMENT if changes and not is_manager else DecisionStatus.AGREED,
        manager=user if changes and is_manager else None,
        manager_decided_at=timezone.now() if changes and is_manager else None,
    )
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:
        raise AssessmentError(f"A decision for {child.given_name} has already been recorded.") from exc
    if decision.status == DecisionStatus.AGREED and changes:
        _apply(decision, {n: lv.key for n, lv in levels.items()})
        decision.save(update_fields=["episode"])
    return decision


@transaction.atomic
def level_decision_agree(*, decision: LevelDecision, manager: User, agree: bool, comment: str) -> LevelDecision:
    """The case holder's team manager agrees a step up or down (the episode changes) or does not (it doesn't)."""
    decision = (
        LevelDecision.objects.select_for_update(of=("self",))
        .select_related("decided_by__team", "child")
        .get(pk=decision.pk)
    )
    if decision.status != DecisionStatus.AWAITING_AGREEMENT:
        raise AssessmentError("This decision is not waiting for agreement.")
    if decision.decided_by_id == manager.pk:
        raise AssessmentError("Someone other than the person who made the decision must agree it.")
    authorise(user=manager, act=Act.LEVEL_AGREE, children=[decision.child])
    if not agree and reason_problem(comment):
        raise AssessmentError("Say why you do not agree, so the practitioner can act on it.")
    decision.status = DecisionStatus.AGREED if agree else DecisionStatus.NOT_AGREED
    decision.manager = manager
    decision.manager_comment = comment.strip()
    decision.manager_decided_at = timezone.now()
    if agree:
        # The levels as they were when the practitioner decided: a newer continuum must not change
        # what an agreed decision means.
        if decision.levels:
            _apply(decision, {lv["number"]: lv["key"] for lv in decision.levels})
        else:
            _, continuum = recommendation_for(child=decision.child, assessment=decision.assessment)
            _apply(decision, {lv.number: lv.key for lv in continuum.levels})
    decision.save()
    return decision


def prenatal_checklist_record(
    *, child: Child, practitioner: User, answers: dict[str, str], notes: str
) -> PrenatalChecklist:
    if not child.is_unborn:
        raise AssessmentError("The prenatal checklist is for an unborn child.")
    authorise(user=practitioner, act=Act.PRENATAL_RECORD, children=[child])
    tool_version = tool_version_current()
    questions = {q.key: q.question for q in tool_definition_of(tool_version).prenatal_checklist}
    missing = [text for key, text in questions.items() if answers.get(key) not in ANSWERS]
    if missing:
        raise AssessmentError("Answer every question (yes, no or not known): " + "; ".join(missing))
    rules = default_prebirth_rules()
    result = prebirth_result(rules=rules, answers={k: answers[k] for k in questions}, questions=questions)
    return PrenatalChecklist.objects.create(
        child=child,
        practitioner=practitioner,
        agency=practitioner.agency,
        tool_version=tool_version,
        rules_key=rules.key,
        rules_version=rules.version,
        answers={k: answers[k] for k in questions},
        notes=notes.strip(),
        outcome_key=result.outcome.key,
        outcome_label=result.outcome.label,
        reasons=list(result.reasons),
    )
