from datetime import date

import pytest

from access.authority import NotAuthorised
from assessments.continuum import GradedAssessment, default_continuum, recommend_level
from assessments.definitions import default_definition
from assessments.models import Addendum, AssessmentStatus, ItemGrade
from assessments.services import (
    AssessmentError,
    ConcurrentEditError,
    assessment_addendum_add,
    assessment_decide,
    assessment_grade_set,
    assessment_start,
    assessment_submit,
    domain_grades,
    missing_grades,
    tool_version_load,
)
from assessments.tests.factories import grade_everything
from conftest import involve

ON = date(2026, 11, 23)


@pytest.fixture
def tool(db):
    return tool_version_load(definition=default_definition())[0]


@pytest.fixture
def assessment(world, tool):
    involve(world.sw, household=world.household)  # a social worker assessing siblings works with the household
    return assessment_start(
        lead=world.sw, household=world.household, children=[world.child, world.sibling], tool_version=tool, on=ON
    )


def test_children_get_their_age_band_when_the_assessment_starts(assessment):
    bands = {a.child.given_name: a.age_band for a in assessment.children.select_related("child")}
    assert bands == {"Ruby": "5-11", "Alfie": "2-4"}


def test_grade_rules_are_explained(world, assessment):
    def grade(**kwargs):
        defaults = {
            "assessment": assessment,
            "user": world.sw,
            "item_key": "medical.dental_care",
            "child": world.child,
            "grade": 2,
            "evidence": "",
            "strengths": "",
            "expected_revision": assessment.revision,
        }
        return assessment_grade_set(**{**defaults, **kwargs})

    with pytest.raises(AssessmentError, match="needs written evidence"):
        grade(grade=3)
    with pytest.raises(AssessmentError, match="graded once for the household"):
        grade(item_key="home_conditions.cleanliness")
    with pytest.raises(AssessmentError, match="does not apply to a child in the 2-4 age band"):
        grade(item_key="safety.online", child=world.sibling)
    with pytest.raises(AssessmentError, match="is not an item"):
        grade(item_key="medical.x_ray_vision")
    with pytest.raises(AssessmentError, match="Choose a grade from 1 to 5"):
        grade(grade=6)
    assert not ItemGrade.objects.exists()
    row = grade(grade=4, evidence="Two teeth extracted after decay; no dentist since", strengths="Brushes with help")
    assert row.domain_key == "medical" and row.recorded_by == world.sw


def test_a_stale_edit_is_refused_not_lost(world, assessment):
    stale = assessment.revision
    assessment_grade_set(
        assessment=assessment,
        user=world.hv,
        item_key="physical.sleep",
        child=world.sibling,
        grade=2,
        evidence="",
        strengths="",
        expected_revision=stale,
    )
    with pytest.raises(ConcurrentEditError, match="Someone else changed this assessment"):
        assessment_grade_set(
            assessment=assessment,
            user=world.sw,
            item_key="physical.sleep",
            child=world.sibling,
            grade=1,
            evidence="",
            strengths="",
            expected_revision=stale,
        )
    assert ItemGrade.objects.get(item_key="physical.sleep").recorded_by == world.hv


def test_submit_needs_every_item_and_each_childs_voice(world, assessment):
    missing = missing_grades(assessment)
    assert any(m.endswith("for Ruby") for m in missing) and any(m.endswith("for Alfie") for m in missing)
    assert any(m.endswith("(household)") for m in missing) and "Ruby's lived experience" in missing
    with pytest.raises(AssessmentError, match="Complete these before submitting"):
        assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    grade_everything(assessment, world.sw)
    assessment.refresh_from_db()
    with pytest.raises(NotAuthorised, match="a child whose record you cannot see"):
        assessment_submit(assessment=assessment, user=world.hv, expected_revision=assessment.revision)
    involve(world.police, household=world.household)  # sees both children, but did not lead it
    with pytest.raises(AssessmentError, match="Only the lead practitioner"):
        assessment_submit(assessment=assessment, user=world.police, expected_revision=assessment.revision)
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    assert assessment.status == AssessmentStatus.SUBMITTED
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        assessment_grade_set(
            assessment=assessment,
            user=world.sw,
            item_key="physical.sleep",
            child=world.child,
            grade=1,
            evidence="",
            strengths="",
            expected_revision=assessment.revision,
        )


def test_manager_signs_off_or_returns_with_comments(world, assessment):
    grade_everything(assessment, world.sw)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    with pytest.raises(NotAuthorised):
        assessment_decide(assessment=assessment, manager=world.other_sw, sign_off=True, comment="")
    with pytest.raises(AssessmentError, match="Say what needs to change"):
        assessment_decide(assessment=assessment, manager=world.tm, sign_off=False, comment=" ")
    assessment_decide(
        assessment=assessment, manager=world.tm, sign_off=False, comment="Add the school's view on attendance"
    )
    assert assessment.status == AssessmentStatus.RETURNED and assessment.is_editable
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    assessment_decide(assessment=assessment, manager=world.tm, sign_off=True, comment="")
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    addendum = assessment_addendum_add(
        assessment=assessment, author=world.sw, text="Dental appointment was kept on 1 Dec"
    )
    assert Addendum.objects.get() == addendum


def test_household_grade_counts_for_each_child_and_feeds_the_continuum(world, assessment):
    grade_everything(assessment, world.sw, grade=2)
    assessment.refresh_from_db()
    assessment_grade_set(
        assessment=assessment,
        user=world.sw,
        item_key="home_conditions.cleanliness",
        child=None,
        grade=5,
        evidence="Rotting food and dog faeces in the kitchen",
        strengths="",
        expected_revision=assessment.revision,
    )
    for child in (world.child, world.sibling):
        grades = domain_grades(assessment, child)
        assert grades["home_conditions"] == 5 and grades["medical"] == 2
    result = recommend_level(
        continuum=default_continuum(),
        current_level=2,
        history=[GradedAssessment(ON, domain_grades(assessment, world.child))],
    )
    assert result.level == 4
    assert result.fired[0].evidence[0].domain == "home_conditions"


def test_a_contributor_can_only_grade_children_they_can_see(world, assessment):
    with pytest.raises(NotAuthorised, match="you are not working with this child"):
        assessment_grade_set(
            assessment=assessment,
            user=world.dsl,
            item_key="medical.dental_care",
            child=world.sibling,
            grade=2,
            evidence="",
            strengths="",
            expected_revision=assessment.revision,
        )
    assert not ItemGrade.objects.filter(assessment=assessment).exists()
