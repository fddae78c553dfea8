import pytest

from assessments.definitions import DefinitionError
from chronology.taxonomy import default_taxonomy, taxonomy_from_dict, taxonomy_from_yaml

REQUIRED = {
    "missed_health_appointment", "urgent_care_attendance", "dental_concern", "school_absence_period", "home_visit",
    "no_access_visit", "police_domestic_abuse", "disclosure", "concern_raised", "request_for_support",
    "front_door_decision", "assessment_submitted", "level_of_need_decision", "plan_start", "plan_end", "review",
    "episode_opened", "episode_closed", "positive_change", "child_seen",
}  # fmt: skip


def test_the_default_taxonomy_loads_with_the_events_the_strategy_names() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.version == 1
    assert {e.code for e in taxonomy.events} >= REQUIRED
    assert not taxonomy.get("episode_opened").hand_recordable
    assert taxonomy.get("missed_health_appointment").hand_recordable
    grouped = taxonomy.grouped_choices(hand_only=True)
    assert "episode_opened" not in {code for _, options in grouped for code, _ in options}


def test_every_error_is_listed() -> None:
    with pytest.raises(DefinitionError) as caught:
        taxonomy_from_dict(
            {
                "key": "x",
                "name": "X",
                "version": 0,
                "groups": [{"key": "g", "label": "G"}],
                "events": [
                    {"code": "Bad Code", "label": "", "hint": "h", "group": "nope", "default_significance": "huge",
                     "hand_recordable": "yes"},
                    {"code": "dup", "label": "D", "hint": "h", "group": "g", "default_significance": "routine",
                     "hand_recordable": True},
                    {"code": "dup", "label": "D", "hint": "h", "group": "g", "default_significance": "routine",
                     "hand_recordable": True},
                ],
            }
        )  # fmt: skip
    errors = caught.value.errors
    assert any("version" in e for e in errors)
    assert any("code must be" in e for e in errors)
    assert any("label is required" in e for e in errors)
    assert any("group must be" in e for e in errors)
    assert any("default_significance" in e for e in errors)
    assert any("hand_recordable" in e for e in errors)
    assert any("used twice" in e for e in errors)


def test_broken_yaml_is_explained() -> None:
    with pytest.raises(DefinitionError, match="not valid YAML"):
        taxonomy_from_yaml("events: [")
