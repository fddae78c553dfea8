from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.continuum import GradedAssessment, continuum_from_dict, default_continuum, recommend_level
from assessments.definitions import DefinitionError

CONTINUUM = default_continuum()
DOMAINS = ["medical", "nutritional", "emotional", "educational", "physical", "supervision", "home_conditions", "safety"]


def assessment(day: date, **grades: int) -> GradedAssessment:
    return GradedAssessment(day, {d: grades.get(d, 1) for d in DOMAINS})


def keys(recommendation) -> set[str]:
    return {f.rule.key for f in recommendation.fired}


def test_any_domain_graded_5_means_consider_level_4():
    result = recommend_level(
        continuum=CONTINUUM, current_level=2, history=[assessment(date(2026, 1, 1), nutritional=5)]
    )
    assert result.level == 4 and result.direction == "step up"
    assert keys(result) == {"any_domain_wholly_unmet"}
    assert result.fired[0].evidence[0].domain == "nutritional" and result.fired[0].evidence[0].grade == 5


def test_two_domains_at_4_is_not_enough_three_is():
    two = recommend_level(
        continuum=CONTINUUM, current_level=2, history=[assessment(date(2026, 1, 1), medical=4, physical=4)]
    )
    assert two.level == 2 and not two.fired
    three = recommend_level(
        continuum=CONTINUUM, current_level=2, history=[assessment(date(2026, 1, 1), medical=4, physical=4, safety=4)]
    )
    assert three.level == 4 and keys(three) == {"several_domains_often_unmet"}


@pytest.mark.parametrize(("days_apart", "fires"), [(89, False), (90, True), (200, True)])
def test_chronic_concern_needs_three_months_between_assessments(days_apart, fires):
    first = date(2026, 1, 1)
    history = [assessment(first, emotional=4), assessment(first + timedelta(days=days_apart), emotional=4)]
    result = recommend_level(continuum=CONTINUUM, current_level=2, history=history)
    assert ("chronic_concern" in keys(result)) is fires
    assert result.level == (3 if fires else 2)


def test_sustained_improvement_suggests_step_down():
    history = [
        assessment(date(2025, 6, 1), physical=4, home_conditions=4),
        assessment(date(2025, 10, 1), physical=2, home_conditions=2),
        assessment(date(2026, 2, 1), physical=1, home_conditions=2),
    ]
    result = recommend_level(continuum=CONTINUUM, current_level=3, history=history)
    assert result.level == 2 and keys(result) == {"sustained_improvement"}


def test_improvement_in_one_review_only_is_not_sustained():
    history = [
        assessment(date(2025, 6, 1), physical=4),
        assessment(date(2025, 10, 1), physical=3),
        assessment(date(2026, 2, 1), physical=2),
    ]
    assert recommend_level(continuum=CONTINUUM, current_level=3, history=history).level == 3


def test_level_never_leaves_the_continuum():
    result = recommend_level(continuum=CONTINUUM, current_level=4, history=[assessment(date(2026, 1, 1), safety=5)])
    assert result.level == 4


def test_bad_rules_are_explained():
    with pytest.raises(DefinitionError) as raised:
        continuum_from_dict(
            {
                "levels": [{"number": 1, "key": "a", "name": "A"}, {"number": 3, "key": "c", "name": "C"}],
                "rules": [
                    {"key": "r1", "kind": "guess", "recommend": "escalate"},
                    {
                        "key": "r2",
                        "kind": "domains_at_grade",
                        "recommend": "consider_level",
                        "grade_at_least": 5,
                        "level": 9,
                    },
                ],
            }
        )
    text = "\n".join(raised.value.errors)
    assert "consecutive" in text and "kind must be one of" in text and "'count_at_least' must be a whole number" in text
    assert "level 9 is not one of" in text


grades = st.integers(1, 5)
histories = st.lists(
    st.tuples(st.integers(0, 2000), st.fixed_dictionaries({d: grades for d in DOMAINS})), min_size=0, max_size=5
).map(lambda rows: [GradedAssessment(date(2020, 1, 1) + timedelta(days=d), g) for d, g in rows])


@settings(max_examples=300, deadline=None)
@given(history=histories, current=st.integers(1, 4))
def test_a_recommendation_never_disagrees_with_its_reasons(history, current):
    result = recommend_level(continuum=CONTINUUM, current_level=current, history=history)
    assert 1 <= result.level <= 4
    up = [f for f in result.fired if f.rule.recommend != "step_down"]
    down = [f for f in result.fired if f.rule.recommend == "step_down"]
    if not result.fired:
        assert result.level == current
    if result.level > current:
        targets = [f.rule.params["level"] if f.rule.recommend == "consider_level" else min(current + 1, 4) for f in up]
        assert result.level == max(targets)
    if result.level < current:
        assert down and not up and result.level == current - 1
    if up:
        assert result.level >= current
    for fired in result.fired:
        assert fired.evidence, fired.rule.key
        params = fired.rule.params
        grades_seen = [e.grade for e in fired.evidence]
        if fired.rule.kind == "domains_at_grade":
            assert len(grades_seen) >= params["count_at_least"] and min(grades_seen) >= params["grade_at_least"]
        elif fired.rule.kind == "persistent_domain":
            first, last = fired.evidence
            assert (
                first.domain == last.domain
                and (last.completed_on - first.completed_on).days >= params["min_days_apart"]
            )
        else:
            assert max(grades_seen) <= params["to_grade_at_most"]
