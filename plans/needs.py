"""Unmet needs in an assessment for the children on a plan, and the grade of a need over time.

A need is a domain for one child (or, for a household domain, the household). Its grade is the worst
of its items' grades, as in `assessments.services.domain_grades`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Assessment, ItemGrade
from assessments.services import tool_definition_of
from people.models import Child


@dataclass(frozen=True)
class Need:
    child_id: int | None
    child_name: str
    domain_key: str
    domain_name: str
    grade: int
    item_keys: tuple[str, ...]
    item_names: tuple[str, ...]

    @property
    def subject(self) -> str:
        return f"need:{self.child_id or 'household'}:{self.domain_key}"

    @property
    def label(self) -> str:
        who = self.child_name if self.child_id else "the household"
        return f"{self.domain_name} for {who}"


def assessment_grade_rows(assessment: Assessment, child_ids: Iterable[int]) -> list[tuple[int | None, str, str, int]]:
    """(child id, domain key, item key, grade) for the children (and household items)."""
    return list(
        ItemGrade.objects.filter(assessment=assessment)
        .filter(Q(child_id__in=list(child_ids)) | Q(child__isnull=True))
        .values_list("child_id", "domain_key", "item_key", "grade")
    )


def need_grade(
    rows: list[tuple[int | None, str, str, int]], *, child_id: int | None, domain_key: str, item_key: str = ""
):
    """The grade of one need in a set of rows: the item's grade, or the worst in the domain."""
    grades = [
        grade
        for row_child, row_domain, row_item, grade in rows
        if row_domain == domain_key
        and (row_child == child_id or row_child is None)
        and (not item_key or row_item == item_key)
    ]
    return max(grades) if grades else None


def unmet_needs(*, assessment: Assessment, children: list[Child], from_grade: int) -> list[Need]:
    definition = tool_definition_of(assessment.tool_version)
    names = {c.pk: c.given_name for c in children}
    rows = assessment_grade_rows(assessment, names)
    needs: list[Need] = []
    for domain in definition.domains:
        owners: list[int | None] = [None] if domain.scope == "household" else sorted(names, key=lambda pk: names[pk])
        for owner in owners:
            items = {
                item_key: grade
                for row_child, row_domain, item_key, grade in rows
                if row_domain == domain.key and row_child == owner and grade >= from_grade
            }
            if not items:
                continue
            ordered = [i for i in domain.items if i.key in items]
            needs.append(
                Need(
                    child_id=owner,
                    child_name=names.get(owner, "") if owner else "",
                    domain_key=domain.key,
                    domain_name=domain.name,
                    grade=max(items.values()),
                    item_keys=tuple(i.key for i in ordered),
                    item_names=tuple(i.name for i in ordered),
                )
            )
    return needs


def outcome_text_for(need: Need) -> str:
    """A first draft of the outcome in plain words, from the tool's own names; the practitioner edits it."""
    worries = ", ".join(name.lower() for name in need.item_names)
    if need.child_id:
        return (
            f"{need.child_name} gets the {need.domain_name.lower()} they need, every day. "
            f"What needs to change: {worries}."
        )
    return f"The home is safe and right for the children. What needs to change: {worries}."
