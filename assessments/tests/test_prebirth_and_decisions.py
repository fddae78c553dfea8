from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access.authority import NotAuthorised
from assessments.decision_services import level_decision_agree, level_decision_record
from assessments.definitions import DefinitionError
from assessments.models import DecisionStatus
from assessments.prebirth import ANSWERS, default_prebirth_rules, prebirth_result, prebirth_rules_from_dict
from assessments.services import (
    AssessmentError,
    assessment_decide,
    assessment_start,
    assessment_submit,
    tool_definition_of,
    tool_version_current,
)
from assessments.tests.factories import grade_everything
from cases.models import Episode
from conftest import involve

QUESTIONS = {
    "substance_use_in_pregnancy": "Drugs or alcohol?",
    "missed_antenatal_care": "Missed antenatal care?",
    "smoking_in_pregnancy": "Smoking?",
    "domestic_abuse_in_pregnancy": "Domestic abuse?",
    "previous_children_removed_or_on_plans": "Earlier children removed or on plans?",
    "concealed_or_late_booked_pregnancy": "Concealed or late booked?",
}


def outcome(**answers: str) -> str:
    full = dict.fromkeys(QUESTIONS, "no") | answers
    return prebirth_result(rules=default_prebirth_rules(), answers=full, questions=QUESTIONS).outcome.key


def test_pre_birth_rules_in_order() -> None:
    assert outcome(previous_children_removed_or_on_plans="yes") == "prebirth_assessment"
    assert outcome(substance_use_in_pregnancy="yes", smoking_in_pregnancy="yes", missed_antenatal_care="yes") == (
        "prebirth_assessment"
    )
    assert outcome(smoking_in_pregnancy="yes") == "early_help_prebirth"
    assert outcome(smoking_in_pregnancy="not_known", missed_antenatal_care="not_known") == "find_out_more"
    assert outcome() == "universal"


def test_the_shipped_rules_use_the_tools_own_questions(db) -> None:
    keys = {q.key for q in tool_definition_of(tool_version_current()).prenatal_checklist}
    assert keys == set(QUESTIONS)
    for rule in default_prebirth_rules().outcomes:
        assert set(rule.when.get("any_yes", [])) <= keys


def test_the_loader_lists_every_error() -> None:
    with pytest.raises(DefinitionError) as raised:
        prebirth_rules_from_dict(
            {"outcomes": [{"key": "a", "label": "A", "when": {"yes_count_at_least": 0, "colour": "red"}}, {"key": "b"}]}
        )
    text = "\n".join(raised.value.errors)
    assert "unknown condition(s) colour" in text and "at least 1" in text and "needs a key and a label" in text


@given(st.dictionaries(st.sampled_from(sorted(QUESTIONS)), st.sampled_from(sorted(ANSWERS))))
def test_more_yes_answers_never_suggest_less(answers: dict[str, str]) -> None:
    order = [o.key for o in default_prebirth_rules().outcomes]
    before = dict.fromkeys(QUESTIONS, "no") | answers
    after = before | {"smoking_in_pregnancy": "yes"}
    assert _rank(after, order) <= _rank(before, order)


def _outcome_of(answers: dict[str, str]) -> str:
    return prebirth_result(rules=default_prebirth_rules(), answers=answers, questions=QUESTIONS).outcome.key


def _rank(answers: dict[str, str], order: list[str]) -> int:
    return order.index(_outcome_of(answers))


@pytest.fixture
def submitted(world):
    involve(world.sw, household=world.household)
    assessment = assessment_start(
        lead=world.sw,
        household=world.household,
        children=[world.child],
        tool_version=tool_version_current(),
        on=date(2026, 6, 1),
    )
    grade_everything(assessment, world.sw, grade=5)
    assessment.refresh_from_db()
    return assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)


def test_following_a_recommendation_that_keeps_the_level_needs_no_reason_or_agreement(world, submitted):
    # Ruby is already on a child protection plan; grade 5 recommends level 4: no change.
    decision = level_decision_record(
        assessment=submitted,
        child=world.child,
        user=world.sw,
        decided_level=4,
        pathway="Child protection plan",
        reason="",
    )
    assert decision.status == DecisionStatus.AGREED and decision.episode is None
    assert decision.reasons[0]["rule"] == "any_domain_wholly_unmet"
    with pytest.raises(AssessmentError, match="already been recorded"):
        level_decision_record(
            assessment=submitted,
            child=world.child,
            user=world.sw,
            decided_level=4,
            pathway="Child protection plan",
            reason="",
        )


def test_a_pathway_must_belong_to_the_level_and_a_different_level_needs_a_reason(world, submitted):
    with pytest.raises(AssessmentError, match="Choose a pathway"):
        level_decision_record(
            assessment=submitted,
            child=world.child,
            user=world.sw,
            decided_level=4,
            pathway="Child in need plan",
            reason="",
        )
    with pytest.raises(AssessmentError, match="differs from the recommendation"):
        level_decision_record(
            assessment=submitted,
            child=world.child,
            user=world.sw,
            decided_level=3,
            pathway="Child in need plan",
            reason="",
        )


def test_a_manager_who_does_not_agree_leaves_the_episode_alone(world, submitted):
    decision = level_decision_record(
        assessment=submitted,
        child=world.child,
        user=world.sw,
        decided_level=3,
        pathway="Child in need plan",
        reason="Grandmother has moved in and visits show clear change.",
    )
    with pytest.raises(NotAuthorised, match="you are not working with this child"):
        level_decision_agree(decision=decision, manager=world.other_sw, agree=True, comment="")
    with pytest.raises(AssessmentError, match="Someone other than the person who made the decision"):
        level_decision_agree(decision=decision, manager=world.sw, agree=True, comment="")
    with pytest.raises(AssessmentError, match="Say why you do not agree"):
        level_decision_agree(decision=decision, manager=world.tm, agree=False, comment="")
    decision = level_decision_agree(
        decision=decision, manager=world.tm, agree=False, comment="Too soon: wait for the review."
    )
    assert decision.status == DecisionStatus.NOT_AGREED
    assert Episode.objects.get(child=world.child, ended_on__isnull=True).level == "cp"


def test_a_manager_deciding_a_change_applies_it_at_once(world, submitted):
    assessment_decide(assessment=submitted, manager=world.tm, sign_off=True, comment="")
    decision = level_decision_record(
        assessment=submitted,
        child=world.child,
        user=world.tm,
        decided_level=3,
        pathway="Child in need plan",
        reason="Discussed in supervision: the plan is working.",
    )
    assert decision.status == DecisionStatus.AGREED and decision.manager == world.tm
    assert decision.episode.level == "cin"
