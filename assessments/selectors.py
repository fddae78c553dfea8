"""Reads for assessments. Every read starts from the children the user can see: an assessment is
visible when at least one of its children is, and shows only the children the viewer can see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.selectors import current_level, episodes_for_child
from people.models import Child

from .continuum import Continuum, GradedAssessment, Recommendation, default_continuum, recommend_level
from .definitions import ToolDefinition
from .models import AssessedChild, Assessment, AssessmentStatus, ItemGrade
from .services import tool_definition_of

if TYPE_CHECKING:
    from accounts.models import User

COMPLETED = (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF)


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    visible = AssessedChild.objects.filter(assessment=OuterRef("pk"), child__in=Child.objects.visible_to(user))
    return Assessment.objects.filter(Exists(visible))


def assessment_for_user(*, user: User, public_id) -> Assessment:
    try:
        return (
            assessments_visible_to(user)
            .select_related("tool_version", "lead", "lead__team", "lead__agency", "household", "decided_by")
            .get(public_id=public_id)
        )
    except (Assessment.DoesNotExist, ValueError) as exc:
        raise Http404("No assessment found") from exc


def visible_assessed_children(*, assessment: Assessment, user: User) -> list[AssessedChild]:
    return list(
        assessment.children.filter(child__in=Child.objects.visible_to(user))
        .select_related("child")
        .order_by("child__date_of_birth", "child__id")
    )


def completed_on(assessment: Assessment) -> date:
    """The date an assessment counts from: when it was submitted (it is complete from then)."""
    return timezone.localdate(assessment.submitted_at) if assessment.submitted_at else assessment.started_on


@dataclass
class AssessmentGrades:
    """One completed assessment's grades for one child (household items included)."""

    assessment: Assessment
    completed_on: date
    items: dict[str, ItemGrade] = field(default_factory=dict)
    domains: dict[str, int] = field(default_factory=dict)


def child_grade_history(*, child: Child, up_to: Assessment | None = None) -> list[AssessmentGrades]:
    """The child's completed assessments, oldest first, with item and domain grades: two queries."""
    assessments = Assessment.objects.filter(children__child=child, status__in=COMPLETED).select_related(
        "tool_version", "lead"
    )
    if up_to is not None and up_to.submitted_at is not None:
        assessments = assessments.filter(submitted_at__lte=up_to.submitted_at)
    history = {a.pk: AssessmentGrades(a, completed_on(a)) for a in assessments}
    rows = ItemGrade.objects.filter(assessment_id__in=history).filter(Q(child=child) | Q(child__isnull=True))
    for row in rows.select_related("recorded_by", "recorded_by__agency"):
        entry = history[row.assessment_id]
        entry.items[row.item_key] = row
        entry.domains[row.domain_key] = max(row.grade, entry.domains.get(row.domain_key, 0))
    return sorted(history.values(), key=lambda h: (h.completed_on, h.assessment.pk))


def change_word(previous: int | None, latest: int | None) -> str:
    """Better, same or worse since last time (a lower grade is better); empty when not comparable."""
    if previous is None or latest is None:
        return ""
    if latest < previous:
        return "better"
    return "worse" if latest > previous else "same"


@dataclass(frozen=True)
class ChartSeries:
    domain_key: str
    domain_name: str
    points: tuple[tuple[float, float, int, date], ...]  # x, y, grade, date
    path: str


CHART = {"width": 320, "height": 140, "left": 40, "right": 16, "top": 12, "bottom": 28}


def domain_chart(*, definition: ToolDefinition, history: list[AssessmentGrades]) -> list[ChartSeries]:
    """Coordinates for one small line chart per domain, grade 5 at the top and 1 at the bottom,
    assessments spaced by date. Rendered as SVG on the server; the same numbers go in a table."""
    if not history:
        return []
    first, last = history[0].completed_on, history[-1].completed_on
    span = max((last - first).days, 1)
    inner_w = CHART["width"] - CHART["left"] - CHART["right"]
    inner_h = CHART["height"] - CHART["top"] - CHART["bottom"]
    lowest, highest = definition.grade_values[0], definition.grade_values[-1]
    series = []
    for domain in definition.domains:
        points = []
        for entry in history:
            grade = entry.domains.get(domain.key)
            if grade is None:
                continue
            offset = inner_w * (entry.completed_on - first).days / span if len(history) > 1 else inner_w / 2
            x = CHART["left"] + offset
            y = CHART["top"] + inner_h * (highest - grade) / max(highest - lowest, 1)
            points.append((round(x, 1), round(y, 1), grade, entry.completed_on))
        path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _, _) in enumerate(points))
        series.append(ChartSeries(domain.key, domain.name, tuple(points), path))
    return series


def chart_gridlines(definition: ToolDefinition) -> list[tuple[int, float]]:
    inner_h = CHART["height"] - CHART["top"] - CHART["bottom"]
    lowest, highest = definition.grade_values[0], definition.grade_values[-1]
    step = inner_h / max(highest - lowest, 1)
    return [(g, round(CHART["top"] + step * (highest - g), 1)) for g in definition.grade_values]


def recommendation_for(
    *, child: Child, assessment: Assessment, continuum: Continuum | None = None
) -> tuple[Recommendation, Continuum]:
    """The continuum's recommendation for a child from this assessment and the ones before it."""
    continuum = continuum or default_continuum()
    history = child_grade_history(child=child, up_to=assessment)
    graded = [GradedAssessment(h.completed_on, h.domains) for h in history]
    level_key = current_level(episodes=episodes_for_child(child=child), on=timezone.localdate())
    current = continuum.number_for(level_key)
    return recommend_level(continuum=continuum, current_level=current, history=graded), continuum


def grades_by_child(assessment: Assessment, children: list[AssessedChild]) -> dict[int | None, dict[str, ItemGrade]]:
    """The assessment's grade rows keyed by child id (None for household items) then item key."""
    keyed: dict[int | None, dict[str, ItemGrade]] = defaultdict(dict)
    ids = [c.child_id for c in children]
    rows = ItemGrade.objects.filter(assessment=assessment).filter(Q(child_id__in=ids) | Q(child__isnull=True))
    for row in rows.select_related("recorded_by"):
        keyed[row.child_id][row.item_key] = row
    return keyed


def definition_for(assessment: Assessment) -> ToolDefinition:
    return tool_definition_of(assessment.tool_version)
