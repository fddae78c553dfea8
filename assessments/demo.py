"""Demo assessments: repeat neglect assessments for the personas' families and a bounded sample of
other open cases, with grades that improve, stick or worsen, so a newcomer sees progress over time
on the first click. Bulk writes, deterministic for a seed and date."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Episode, Involvement, InvolvementRole
from people.models import Child

from .continuum import GradedAssessment, default_continuum, levels_as_stored, recommend_level
from .decision_services import recommendation_reasons
from .models import (
    AssessedChild,
    Assessment,
    AssessmentStatus,
    Concern,
    Contribution,
    DecisionStatus,
    FactorRating,
    ItemGrade,
    LevelDecision,
)
from .selectors import child_grade_history
from .services import age_band_for, tool_definition_of, tool_version_current

SAMPLE_HOUSEHOLDS = 300
KEPT_LEVEL_REASON = (
    "The family is engaging with the plan and the school reports steady improvement; review in three months."
)
LEADS = ("sw.demo", "eh.demo")
TRAJECTORIES = {  # domain grade at the first, middle and latest assessment
    "improving": (4, 3, 2),
    "stuck": (4, 4, 4),
    "worsening": (2, 3, 4),
    "mixed": (3, 3, 3),
}
EVIDENCE = (
    "Seen at an unannounced home visit: {what}.",
    "Reported by the school and confirmed with the parent: {what}.",
    "Health visitor's observation at the clinic: {what}.",
    "Discussed with the parent, who agreed: {what}.",
)
WHAT = {
    "medical": "two missed dental appointments and an untreated rash",
    "nutritional": "little food in the home and the child asking neighbours for snacks",
    "emotional": "the child is rarely comforted when upset and is often shouted at",
    "educational": "school attendance has fallen to 84% and reading books are never returned",
    "physical": "the child wears the same unwashed clothes several days running",
    "supervision": "the children were found alone in the evening on two occasions",
    "home_conditions": "rubbish bags in the kitchen and no working heating upstairs",
    "safety": "medicines and a lighter left within reach of the younger child",
}
STRENGTHS = (
    "Mum is warm with the children and keen to accept help.",
    "The children love their grandmother, who visits every week.",
    "Dad has started taking the children to school every day.",
    "",
)
LIVED = (
    "Says breakfast is 'sometimes' and she likes school dinners best. Worries about Mum being sad.",
    "Observed: settles quickly with Mum, babbles and reaches for her; nappy was dry and clean at the visit.",
    "Told me the best thing is football with his brother and the worst is 'when there's no hot water'.",
    "Draws his house with everyone inside; says bedtime is 'whenever' and he is tired at school.",
)


def _targets(as_of: date) -> list[tuple[int, User]]:
    """(household id, lead) for the demo leads' open families first, then a sample of others."""
    chosen: dict[int, User] = {}
    involvements = (
        Involvement.objects.active(as_of)
        .filter(role__in=[InvolvementRole.SOCIAL_WORKER, InvolvementRole.LEAD])
        .select_related("practitioner", "practitioner__team", "child")
        .order_by("id")
    )
    for leads_first in (True, False):
        query = involvements.filter(practitioner__username__in=LEADS)
        if not leads_first:
            query = involvements.exclude(practitioner__username__in=LEADS)[: SAMPLE_HOUSEHOLDS * 3]
        for involvement in query:
            household_id = involvement.household_id or involvement.child.household_id
            chosen.setdefault(household_id, involvement.practitioner)
            if not leads_first and len(chosen) >= SAMPLE_HOUSEHOLDS:
                break
    return list(chosen.items())


def _aware(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def assessments_seed(*, as_of: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7 + 3)
    tool = tool_version_current()
    definition = tool_definition_of(tool)
    continuum = default_continuum()
    targets = _targets(as_of)
    children_by_household: dict[int, list[Child]] = {}
    for child in Child.objects.filter(household_id__in=[h for h, _ in targets], date_of_birth__isnull=False).order_by(
        "date_of_birth", "id"
    ):
        children_by_household.setdefault(child.household_id, []).append(child)
    open_levels = dict(
        Episode.objects.filter(child__household_id__in=children_by_household, ended_on__isnull=True).values_list(
            "child_id", "level"
        )
    )
    # Households the plans enricher already assessed keep their history; Sam Whitfield's families get
    # one newer assessment on top (a draft, one awaiting sign-off, or signed off with a decision).
    assessed_before = set(
        Assessment.objects.filter(household_id__in=children_by_household).values_list("household_id", flat=True)
    )
    totals = {"assessments": 0, "item grades": 0, "level decisions": 0}
    persona_family = 0
    for household_id, lead in targets:
        children = children_by_household.get(household_id, [])[:4]
        if not children:
            continue
        already = household_id in assessed_before
        if already and lead.username != "sw.demo":
            continue
        manager = lead.team.manager if lead.team_id else None
        is_persona = lead.username in LEADS
        count = 1 if already else rng.choice((2, 3)) if is_persona else rng.choice((1, 2, 2, 3))
        trajectory = rng.choice(tuple(TRAJECTORIES))
        latest_start = as_of - timedelta(days=6 if already else rng.randint(12, 45))
        starts = [latest_start - timedelta(days=105 * (count - 1 - i)) for i in range(count)]
        final_status = AssessmentStatus.SIGNED_OFF
        if is_persona and lead.username == "sw.demo":
            final_status = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF)[
                persona_family % 3
            ]
            persona_family += 1
        history: dict[int, list[GradedAssessment]] = {
            c.pk: [GradedAssessment(h.completed_on, h.domains) for h in child_grade_history(child=c)] if already else []
            for c in children
        }
        for index, started in enumerate(starts):
            last = index == count - 1
            status = final_status if last else AssessmentStatus.SIGNED_OFF
            submitted = min(started + timedelta(days=rng.randint(8, 20)), as_of - timedelta(days=1))
            assessment = Assessment.objects.create(
                household_id=household_id,
                tool_version=tool,
                lead=lead,
                started_on=started,
                status=status,
                submitted_at=None if status == AssessmentStatus.DRAFT else _aware(submitted),
                decided_by=manager if status == AssessmentStatus.SIGNED_OFF else None,
                decided_at=_aware(submitted + timedelta(days=3)) if status == AssessmentStatus.SIGNED_OFF else None,
            )
            stage = TRAJECTORIES[trajectory][min(2, round(2 * index / max(count - 1, 1)))]
            assessed = [
                AssessedChild(
                    assessment=assessment,
                    child=c,
                    age_band=age_band_for(definition, c, started),
                    lived_experience=rng.choice(LIVED),
                )
                for c in children
            ]
            AssessedChild.objects.bulk_create(assessed)
            grades = _grades(
                rng, definition, assessment, assessed, lead, stage, partial=status == AssessmentStatus.DRAFT
            )
            ItemGrade.objects.bulk_create(grades)
            FactorRating.objects.bulk_create(
                FactorRating(
                    assessment=assessment,
                    factor_key=f.key,
                    concern=rng.choice((Concern.NONE, Concern.SOME, Concern.SOME)),
                    notes="Discussed at the home visit.",
                    recorded_by=lead,
                )
                for f in definition.factors[:5]
            )
            Contribution.objects.create(
                assessment=assessment, author=lead, agency=lead.agency, subject=f"Graded {len(grades)} items"
            )
            totals["assessments"] += 1
            totals["item grades"] += len(grades)
            if status == AssessmentStatus.DRAFT:
                continue
            for entry in assessed:
                domains: dict[str, int] = {}
                for g in grades:
                    if g.child_id in (None, entry.child_id):
                        domains[g.domain_key] = max(g.grade, domains.get(g.domain_key, 0))
                history[entry.child_id].append(GradedAssessment(submitted, domains))
            if last and status == AssessmentStatus.SIGNED_OFF:
                totals["level decisions"] += _decisions(
                    rng, continuum, assessment, assessed, history, open_levels, lead
                )
    return totals


def _grades(rng, definition, assessment, assessed, lead, stage: int, *, partial: bool) -> list[ItemGrade]:
    rows = []
    for domain in definition.domains:
        domain_stage = max(1, min(5, stage + rng.choice((-1, 0, 0, 0, 1))))
        if partial and domain.key not in ("home_conditions", "nutritional", "medical"):
            continue
        targets = [None] if domain.scope == "household" else [a for a in assessed]
        for item in domain.items:
            for target in targets:
                if target is not None and target.age_band not in item.age_bands:
                    continue
                if target is None and not any(a.age_band in item.age_bands for a in assessed):
                    continue
                grade = max(1, min(5, domain_stage - rng.choice((0, 0, 1))))
                rows.append(
                    ItemGrade(
                        assessment=assessment,
                        child=None if target is None else target.child,
                        domain_key=domain.key,
                        item_key=item.key,
                        grade=grade,
                        evidence=rng.choice(EVIDENCE).format(what=WHAT.get(domain.key, "concerns seen"))
                        if grade >= definition.evidence_required_from_grade
                        else "",
                        strengths=rng.choice(STRENGTHS),
                        recorded_by=lead,
                    )
                )
    return rows


def _decisions(rng, continuum, assessment, assessed, history, open_levels, lead) -> int:
    decisions = []
    for entry in assessed:
        current = continuum.number_for(open_levels.get(entry.child_id))
        recommendation = recommend_level(continuum=continuum, current_level=current, history=history[entry.child_id])
        # Most practitioners follow the recommendation; some keep the current level for a stated reason.
        follows = recommendation.level == current or rng.random() < 0.4
        decided = recommendation.level if follows else current
        awaiting = decided != current
        level = continuum.level(decided)
        decisions.append(
            LevelDecision(
                assessment=assessment,
                child_id=entry.child_id,
                continuum_key=continuum.key,
                continuum_version=continuum.version,
                continuum_name=continuum.name,
                levels=levels_as_stored(continuum),
                current_level=current,
                recommended_level=recommendation.level,
                reasons=recommendation_reasons(recommendation),
                decided_level=decided,
                pathway=level.pathways[-1] if level.pathways else level.name,
                reason_for_difference="" if decided == recommendation.level else KEPT_LEVEL_REASON,
                decided_by=lead,
                status=DecisionStatus.AWAITING_AGREEMENT if awaiting else DecisionStatus.AGREED,
            )
        )
    LevelDecision.objects.bulk_create(decisions)
    return len(decisions)
