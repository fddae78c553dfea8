"""Writes for assessments: tool versions, and assessments from draft to sign-off."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_problem
from people.models import Child, Household

from .definitions import DefinitionError, ToolDefinition, default_definition, definition_from_dict
from .models import (
    Addendum,
    AssessedChild,
    Assessment,
    AssessmentStatus,
    Concern,
    Contribution,
    FactorRating,
    ItemGrade,
    ScreeningRecord,
    ToolVersion,
)
from .screening import default_screening, screening_result

if TYPE_CHECKING:
    from accounts.models import User


def _checksum(definition: ToolDefinition) -> str:
    canonical = json.dumps(definition.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def tool_version_load(*, definition: ToolDefinition, loaded_by=None) -> tuple[ToolVersion, bool]:
    """Stores a validated definition as a version. Loading the same content again changes nothing;
    different content under an existing key and version is refused, so a stored version never changes."""
    checksum = _checksum(definition)
    existing = ToolVersion.objects.select_for_update().filter(key=definition.key, version=definition.version).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise DefinitionError(
                [
                    f"version {definition.version} of '{definition.key}' is already loaded with different content: "
                    "give the changed tool a new version number"
                ]
            )
        return existing, False
    stored = ToolVersion.objects.create(
        key=definition.key,
        version=definition.version,
        name=definition.name,
        definition=definition.to_dict(),
        checksum=checksum,
        loaded_by=loaded_by,
    )
    return stored, True


def tool_version_current() -> ToolVersion:
    """The newest loaded version of the partnership's tool. The shipped default is loaded on first
    use (idempotent), so a new installation works without a separate step."""
    default = default_definition()
    latest = ToolVersion.objects.filter(key=default.key).order_by("-version").first()
    if latest is not None and latest.version >= default.version:
        return latest
    return tool_version_load(definition=default)[0]


def tool_definition_of(version: ToolVersion) -> ToolDefinition:
    # JSON turns grade keys into strings; the loader turns them back.
    return definition_from_dict(version.definition)


class AssessmentError(Exception):
    """A change to an assessment that cannot be made, with a message for the person making it."""


class ConcurrentEditError(AssessmentError):
    pass


def age_band_for(definition: ToolDefinition, child: Child, on: date) -> str:
    """The tool's age band for a child: 'unborn' before birth, otherwise the band whose lower age
    (the number before the dash in its key) is the highest not above the child's age."""
    if child.date_of_birth is None:
        return "unborn"
    age = child.age_on(on) or 0
    numeric = sorted((int(b.key.split("-")[0]), b.key) for b in definition.age_bands if b.key[0].isdigit())
    chosen = numeric[0][1]
    for lower, key in numeric:
        if lower <= age:
            chosen = key
    return chosen


@transaction.atomic
def assessment_start(
    *, lead: User, household: Household, children: list[Child], tool_version: ToolVersion, on: date
) -> Assessment:
    if not children:
        raise AssessmentError("Choose at least one child to assess.")
    if any(child.household_id != household.pk for child in children):
        raise AssessmentError("Every child in one assessment must live in the same household.")
    if len({child.pk for child in children}) != len(children):
        raise AssessmentError("Each child can be in an assessment only once: choose each child once.")
    authorise(user=lead, act=Act.ASSESSMENT_START, children=children)
    definition = tool_definition_of(tool_version)
    assessment = Assessment.objects.create(household=household, tool_version=tool_version, lead=lead, started_on=on)
    AssessedChild.objects.bulk_create(
        AssessedChild(assessment=assessment, child=child, age_band=age_band_for(definition, child, on))
        for child in children
    )
    return assessment


def _bump(assessment: Assessment, expected_revision: int) -> None:
    """Advances the revision only if nobody else has changed the assessment since it was read."""
    updated = Assessment.objects.filter(pk=assessment.pk, revision=expected_revision).update(revision=F("revision") + 1)
    if not updated:
        raise ConcurrentEditError(
            "Someone else changed this assessment while you were working on it. Your change was not saved: "
            "reload the page to see their changes, then make yours again."
        )
    assessment.revision = expected_revision + 1


@transaction.atomic
def assessment_grade_set(
    *,
    assessment: Assessment,
    user: User,
    item_key: str,
    child: Child | None,
    grade: int,
    evidence: str,
    strengths: str,
    expected_revision: int,
) -> ItemGrade:
    _editable_or_refuse(assessment)
    definition = tool_definition_of(assessment.tool_version)
    domain = next((d for d in definition.domains if any(i.key == item_key for i in d.items)), None)
    if domain is None:
        raise AssessmentError(f"'{item_key}' is not an item of {definition.name} version {definition.version}.")
    item = definition.item(item_key)
    if domain.scope == "household" and child is not None:
        raise AssessmentError(f"'{item.name}' is graded once for the household, not per child.")
    if domain.scope == "child":
        assessed = AssessedChild.objects.filter(assessment=assessment, child=child).first() if child else None
        if assessed is None:
            raise AssessmentError(f"'{item.name}' is graded for each child: choose a child in this assessment.")
        if assessed.age_band not in item.age_bands:
            raise AssessmentError(f"'{item.name}' does not apply to a child in the {assessed.age_band} age band.")
    if grade not in definition.grade_values:
        raise AssessmentError(f"Choose a grade from {definition.grade_values[0]} to {definition.grade_values[-1]}.")
    if grade >= definition.evidence_required_from_grade and not evidence.strip():
        raise AssessmentError(
            f"A grade of {definition.evidence_required_from_grade} or worse needs written evidence: "
            "say what you saw or heard."
        )
    if child is not None:
        authorise(user=user, act=Act.ASSESSMENT_CONTRIBUTE, children=[child])
    else:
        authorise(user=user, act=Act.ASSESSMENT_CONTRIBUTE, children=_children_of(assessment), every=False)
    _bump(assessment, expected_revision)
    _contribution(assessment, user, child, f"{item.name}: grade {grade}")
    row, _ = ItemGrade.objects.update_or_create(
        assessment=assessment,
        child=child,
        item_key=item_key,
        defaults={
            "domain_key": domain.key,
            "grade": grade,
            "evidence": evidence.strip(),
            "strengths": strengths.strip(),
            "recorded_by": user,
        },
    )
    return row


def _contribution(assessment: Assessment, user: User, child: Child | None, subject: str) -> None:
    Contribution.objects.create(assessment=assessment, author=user, agency=user.agency, child=child, subject=subject)


def _children_of(assessment: Assessment) -> list[Child]:
    return [entry.child for entry in assessment.children.select_related("child")]


def _editable_or_refuse(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise AssessmentError(
            "This assessment has been submitted and can no longer be changed. Add an addendum instead."
        )


@transaction.atomic
def assessment_lived_experience_set(
    *, assessment: Assessment, user: User, child: Child, text: str, expected_revision: int
) -> AssessedChild:
    """The child's day-to-day life in their own words, or as observed for a baby."""
    _editable_or_refuse(assessment)
    assessed = AssessedChild.objects.filter(assessment=assessment, child=child).first()
    if assessed is None:
        raise AssessmentError(f"{child.given_name} is not part of this assessment.")
    authorise(user=user, act=Act.ASSESSMENT_CONTRIBUTE, children=[child])
    _bump(assessment, expected_revision)
    assessed.lived_experience = text.strip()
    assessed.save(update_fields=["lived_experience"])
    _contribution(assessment, user, child, "Lived experience")
    return assessed


@transaction.atomic
def assessment_factor_set(
    *, assessment: Assessment, user: User, factor_key: str, concern: str, notes: str, expected_revision: int
) -> FactorRating:
    _editable_or_refuse(assessment)
    authorise(user=user, act=Act.ASSESSMENT_CONTRIBUTE, children=_children_of(assessment), every=False)
    definition = tool_definition_of(assessment.tool_version)
    factor = next((f for f in definition.factors if f.key == factor_key), None)
    if factor is None:
        raise AssessmentError(f"'{factor_key}' is not a factor of {definition.name} version {definition.version}.")
    if concern not in Concern.values:
        raise AssessmentError(f"Say how much of a concern '{factor.name}' is.")
    if concern == Concern.SIGNIFICANT and not notes.strip():
        raise AssessmentError(f"Say why '{factor.name}' is a significant concern.")
    _bump(assessment, expected_revision)
    _contribution(assessment, user, None, f"{factor.name}: {Concern(concern).label.lower()}")
    row, _ = FactorRating.objects.update_or_create(
        assessment=assessment,
        factor_key=factor_key,
        defaults={"concern": concern, "notes": notes.strip(), "recorded_by": user},
    )
    return row


def missing_grades(assessment: Assessment) -> list[str]:
    """What still has to be graded before the assessment can be submitted, in words."""
    definition = tool_definition_of(assessment.tool_version)
    graded = set(ItemGrade.objects.filter(assessment=assessment).values_list("child_id", "item_key"))
    assessed = list(assessment.children.select_related("child"))
    bands = {a.age_band for a in assessed}
    missing = []
    for domain in definition.domains:
        for item in domain.items:
            if domain.scope == "household":
                if bands & set(item.age_bands) and (None, item.key) not in graded:
                    missing.append(f"{item.name} (household)")
                continue
            for entry in assessed:
                if entry.age_band in item.age_bands and (entry.child_id, item.key) not in graded:
                    missing.append(f"{item.name} for {entry.child.given_name}")
    missing += [f"{a.child.given_name}'s lived experience" for a in assessed if not a.lived_experience.strip()]
    return missing


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User, expected_revision: int) -> Assessment:
    authorise(user=user, act=Act.ASSESSMENT_SUBMIT, children=_children_of(assessment))
    if user.pk != assessment.lead_id:
        raise AssessmentError("Only the lead practitioner can submit the assessment.")
    if not assessment.is_editable:
        raise AssessmentError("This assessment has already been submitted.")
    missing = missing_grades(assessment)
    if missing:
        raise AssessmentError("Complete these before submitting: " + "; ".join(missing) + ".")
    _bump(assessment, expected_revision)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    return assessment


@transaction.atomic
def assessment_decide(*, assessment: Assessment, manager: User, sign_off: bool, comment: str) -> Assessment:
    """The lead practitioner's manager signs the assessment off, or returns it with comments."""
    authorise(user=manager, act=Act.ASSESSMENT_SIGN_OFF, children=_children_of(assessment))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError("Only a submitted assessment can be signed off or returned.")
    lead_team = assessment.lead.team
    if lead_team is None or lead_team.manager_id != manager.pk:
        raise AssessmentError("Only the lead practitioner's team manager can sign off this assessment.")
    if not sign_off and reason_problem(comment):
        raise AssessmentError("Say what needs to change when you return an assessment.")
    assessment.status = AssessmentStatus.SIGNED_OFF if sign_off else AssessmentStatus.RETURNED
    assessment.decided_by = manager
    assessment.decided_at = timezone.now()
    assessment.manager_comment = comment.strip()
    assessment.revision += 1
    assessment.save(update_fields=["status", "decided_by", "decided_at", "manager_comment", "revision"])
    return assessment


def assessment_addendum_add(*, assessment: Assessment, author: User, text: str) -> Addendum:
    if assessment.is_editable:
        raise AssessmentError("Change the draft directly; addenda are for submitted assessments.")
    if not text.strip():
        raise AssessmentError("Write the correction or addition.")
    authorise(user=author, act=Act.ASSESSMENT_ADDENDUM, children=_children_of(assessment), every=False)
    return Addendum.objects.create(assessment=assessment, author=author, text=text.strip())


def domain_grades(assessment: Assessment, child: Child) -> dict[str, int]:
    """Each domain's grade for one child: the worst grade among its items (household items count
    for every child in the household)."""
    rows = ItemGrade.objects.filter(assessment=assessment).filter(Q(child=child) | Q(child__isnull=True))
    grades: dict[str, int] = {}
    for domain_key, grade in rows.values_list("domain_key", "grade"):
        grades[domain_key] = max(grade, grades.get(domain_key, 0))
    return grades


def screening_record(
    *, child: Child, practitioner: User, indicators: set[str], duration: str, frequency: str, child_says: str
) -> ScreeningRecord:
    authorise(user=practitioner, act=Act.SCREENING_RECORD, children=[child])
    screening = default_screening()
    result = screening_result(screening=screening, indicators=indicators, duration=duration, frequency=frequency)
    return ScreeningRecord.objects.create(
        child=child,
        practitioner=practitioner,
        agency=practitioner.agency,
        screening_key=screening.key,
        screening_version=screening.version,
        indicators=sorted(indicators),
        duration=duration,
        frequency=frequency,
        child_says=child_says.strip(),
        outcome_key=result.outcome.key,
        outcome_label=result.outcome.label,
        reasons=list(result.reasons),
    )
