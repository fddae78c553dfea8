import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.definitions import DefinitionError
from assessments.screening import default_screening, screening_from_dict, screening_result

SCREENING = default_screening()
ORDER = ["no_further_action", "talk_to_champion", "early_help_assessment", "front_door_now"]


def result(indicators, duration="weeks", frequency="sometimes"):
    return screening_result(screening=SCREENING, indicators=set(indicators), duration=duration, frequency=frequency)


def test_nothing_noticed_means_no_further_action():
    assert result([], "once", "rarely").outcome.key == "no_further_action"


def test_one_sign_means_talk_to_the_neglect_champion():
    assert result(["hungry"]).outcome.key == "talk_to_champion"


def test_several_persistent_signs_mean_an_early_help_assessment():
    assert result(["hungry", "unwashed", "tired"], "weeks", "sometimes").outcome.key == "early_help_assessment"
    assert result(["hungry", "unwashed", "tired"], "once", "sometimes").outcome.key == "talk_to_champion"


def test_an_urgent_sign_goes_to_the_front_door_now_and_says_why():
    outcome = result(["young_child_left_alone"], "once", "rarely")
    assert outcome.outcome.key == "front_door_now"
    assert any("left alone" in reason for reason in outcome.reasons)


def test_unknown_answers_are_refused():
    with pytest.raises(DefinitionError):
        result(["x_ray"])
    with pytest.raises(DefinitionError):
        result(["hungry"], "forever")


def test_a_screening_without_a_default_step_is_refused():
    with pytest.raises(DefinitionError, match="last outcome must have no conditions"):
        screening_from_dict(
            {
                "indicators": [],
                "durations": [{"key": "a", "label": "A", "weight": 0}],
                "frequencies": [{"key": "b", "label": "B", "weight": 0}],
                "outcomes": [{"key": "x", "label": "X", "when": {"indicators_at_least": 1}}],
            }
        )


keys = [i.key for i in SCREENING.indicators]


@given(
    st.sets(st.sampled_from(keys)),
    st.sets(st.sampled_from(keys)),
    st.sampled_from([d.key for d in SCREENING.durations]),
    st.sampled_from([f.key for f in SCREENING.frequencies]),
)
def test_noticing_more_never_suggests_a_less_serious_step(some, more, duration, frequency):
    fewer = result(some, duration, frequency).outcome.key
    most = result(some | more, duration, frequency).outcome.key
    assert ORDER.index(most) >= ORDER.index(fewer)
