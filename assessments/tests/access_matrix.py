"""Access-matrix entries for the neglect tool's pages (gathered by tests/test_access_matrix.py).

Assessments here cover Ruby alone, so everyone who can see Ruby (her social worker, the team
manager, the school and the police, through the household) sees the assessment and nobody else does.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from assessments.decision_services import prenatal_checklist_record
from assessments.models import Assessment
from assessments.services import assessment_start, assessment_submit, screening_record, tool_version_current
from assessments.tests.factories import grade_everything
from conftest import World
from people.models import Child
from tests.matrix import Entry

RUBY_SEES = {"sw": 200, "tm": 200, "dsl": 200, "police": 200}


def _screening_of_child(world: World) -> str:
    record = screening_record(
        child=world.child,
        practitioner=world.dsl,
        indicators={"hungry"},
        duration="weeks",
        frequency="sometimes",
        child_says="",
    )
    return reverse("children:screening_detail", args=[world.child.public_id, record.pk])


def _assessment(world: World, *, submitted: bool = False) -> Assessment:
    assessment = assessment_start(
        lead=world.sw,
        household=world.household,
        children=[world.child],
        tool_version=tool_version_current(),
        on=timezone.localdate(),
    )
    if submitted:
        grade_everything(assessment, world.sw, grade=2)
        assessment.refresh_from_db()
        assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    return assessment


def _page(name: str, *extra: str, submitted: bool = False):
    def url(world: World) -> str:
        return reverse(f"assessments:{name}", args=[_assessment(world, submitted=submitted).public_id, *extra])

    return url


def _decision(world: World) -> str:
    assessment = _assessment(world, submitted=True)
    return reverse("assessments:decision", args=[assessment.public_id, world.child.public_id])


def _unborn(world: World) -> Child:
    """An unborn baby in Ruby's household: only the police, involved with the household, see it."""
    return Child.objects.create(
        household=world.household, given_name="Baby", family_name="Ashworth", expected_date_of_birth=date(2027, 3, 1)
    )


def _prenatal_result(world: World) -> str:
    unborn = _unborn(world)
    answers = {key: "no" for key in PRENATAL_KEYS}
    record = prenatal_checklist_record(child=unborn, practitioner=world.police, answers=answers, notes="")
    return reverse("assessments:prenatal_detail", args=[unborn.public_id, record.pk])


PRENATAL_KEYS = (
    "substance_use_in_pregnancy",
    "missed_antenatal_care",
    "smoking_in_pregnancy",
    "domestic_abuse_in_pregnancy",
    "previous_children_removed_or_on_plans",
    "concealed_or_late_booked_pregnancy",
)

ENTRIES: dict[str, Entry] = {
    "children:screening_new": Entry(
        lambda w: reverse("children:screening_new", args=[w.child.public_id]), RUBY_SEES, identifiable=True
    ),
    "children:screening_detail": Entry(_screening_of_child, RUBY_SEES, identifiable=True),
    "assessments:profile": Entry(
        lambda w: reverse("assessments:profile", args=[w.child.public_id]), RUBY_SEES, identifiable=True
    ),
    "assessments:start": Entry(
        lambda w: reverse("assessments:start", args=[w.child.public_id]), RUBY_SEES, identifiable=True
    ),
    "assessments:prenatal_new": Entry(
        lambda w: reverse("assessments:prenatal_new", args=[_unborn(w).public_id]), {"police": 200}, identifiable=True
    ),
    "assessments:prenatal_detail": Entry(_prenatal_result, {"police": 200}, identifiable=True),
    "assessments:detail": Entry(_page("detail"), RUBY_SEES, identifiable=True),
    "assessments:domain": Entry(_page("domain", "nutritional"), RUBY_SEES, identifiable=True),
    "assessments:lived_experience": Entry(_page("lived_experience"), RUBY_SEES, identifiable=True),
    "assessments:factors": Entry(_page("factors"), RUBY_SEES, identifiable=True),
    # Posting nothing changes nothing: back to the assessment for everyone who can see it.
    "assessments:submit": Entry(_page("submit"), dict.fromkeys(RUBY_SEES, 302), method="post"),
    "assessments:addendum": Entry(_page("addendum", submitted=True), dict.fromkeys(RUBY_SEES, 302), method="post"),
    # Only the lead practitioner's manager signs off; for everyone else the page does not exist.
    "assessments:sign_off": Entry(
        _page("sign_off", submitted=True), {"tm": 200, "sw": 403, "dsl": 403, "police": 403}, identifiable=True
    ),
    "assessments:decision": Entry(_decision, RUBY_SEES, identifiable=True),
}
