"""Each SMART check, with its edges, and the validation of the checks' data file."""

from dataclasses import dataclass, field
from datetime import date

import pytest
import yaml

from plans.models import Action
from plans.needs import Need
from plans.smart import CHECKS_DIR, DefinitionError, checks_from_dict, checks_from_yaml, default_checks, smart_flags


@dataclass
class FakeActions:
    items: list

    def all(self):
        return self.items


@dataclass
class FakeOutcome:
    pk: int
    need_domain_key: str = ""
    need_child_id: int | None = None
    target_grade: int | None = 2
    measure: str = ""
    consequence: str = "A strategy discussion"
    actions: FakeActions = field(default_factory=lambda: FakeActions([]))


def action(pk: int, **values) -> Action:
    defaults = {"description": "Book the dentist", "owner_family_name": "Kirsty", "due_on": date(2026, 4, 1)}
    return Action(pk=pk, **{**defaults, **values})


def need(child_id=7, domain="medical", grade=4) -> Need:
    return Need(child_id, "Ruby", domain, "Health care", grade, ("medical.dental_care",), ("Teeth",))


def keys(flags) -> list[tuple[str, str]]:
    return [(f.check_key, f.subject) for f in flags]


def test_a_complete_plan_has_no_flags() -> None:
    outcome = FakeOutcome(1, "medical", 7, actions=FakeActions([action(10)]))
    assert smart_flags(outcomes=[outcome], needs=[need()]) == []


def test_need_left_out_is_per_child_and_domain() -> None:
    outcome = FakeOutcome(1, "medical", 8)  # the same domain for another child does not cover Ruby's need
    assert keys(smart_flags(outcomes=[outcome], needs=[need()])) == [("need_left_out", "need:7:medical")]
    household = Need(None, "", "home_conditions", "Home conditions", 3, (), ())
    assert keys(smart_flags(outcomes=[], needs=[household])) == [("need_left_out", "need:household:home_conditions")]
    flags = smart_flags(outcomes=[], needs=[need()])
    assert (
        flags[0].message
        == "Health care for Ruby was graded 4 in the assessment, but no outcome in the plan addresses it."
    )


def test_outcome_measure_is_a_target_grade_or_other_evidence() -> None:
    assert smart_flags(outcomes=[FakeOutcome(1, target_grade=None, measure="School says she is clean")], needs=[]) == []
    assert smart_flags(outcomes=[FakeOutcome(1, target_grade=3, measure="")], needs=[]) == []
    assert keys(smart_flags(outcomes=[FakeOutcome(1, target_grade=None, measure="  \n ")], needs=[])) == [
        ("outcome_no_measure", "outcome:1")
    ]


def test_outcome_consequence_must_be_written() -> None:
    flags = smart_flags(outcomes=[FakeOutcome(1), FakeOutcome(2, consequence="   ")], needs=[])
    assert keys(flags) == [("outcome_no_consequence", "outcome:2")]
    assert flags[0].message.startswith("Outcome 2:")
    assert flags[0].outcome_id == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"owner_family_name": ""}, ["action_no_owner"]),
        ({"owner_family_name": "  "}, ["action_no_owner"]),
        ({"owner_family_name": "", "owner_user_id": 5}, []),
        ({"owner_family_name": "", "owner_adult_id": 5}, []),
        ({"due_on": None}, ["action_no_date"]),
        ({"due_on": None, "owner_family_name": ""}, ["action_no_owner", "action_no_date"]),
        # A finished action no longer needs an owner or a date.
        ({"due_on": None, "owner_family_name": "", "completed_on": date(2026, 3, 1)}, []),
    ],
)
def test_action_owner_and_date(values, expected) -> None:
    outcome = FakeOutcome(1, actions=FakeActions([action(10), action(11, **values)]))
    flags = smart_flags(outcomes=[outcome], needs=[])
    assert [f.check_key for f in flags] == expected
    assert all(f.subject == "action:11" and "Outcome 1, action 2" in f.message for f in flags)


def test_the_shipped_checks_load() -> None:
    checks = default_checks()
    assert checks.unmet_from_grade == 3
    assert {c.key for c in checks.checks} == {
        "need_left_out",
        "outcome_no_measure",
        "outcome_no_consequence",
        "action_no_owner",
        "action_no_date",
    }


def test_every_error_in_a_checks_file_is_listed() -> None:
    data = yaml.safe_load((CHECKS_DIR / "smart-checks-v1.yaml").read_text())
    data["version"] = 0
    data["checks"][0]["message"] = "{need} and {outcome}"
    data["checks"][1]["title"] = ""
    data["checks"].append({"key": "made_up", "title": "x", "message": "y"})
    data["checks"] = [c for c in data["checks"] if c["key"] != "action_no_date"]
    with pytest.raises(DefinitionError) as error:
        checks_from_dict(data)
    assert error.value.errors == [
        "'version' must be a whole number from 1",
        "checks[0] (need_left_out): the message uses outcome; it may use only grade, need",
        "checks[1] (outcome_no_measure): 'title' is missing",
        "checks[4]: 'made_up' is not a known check (action_no_date, action_no_owner, need_left_out, "
        "outcome_no_consequence, outcome_no_measure)",
        "the check 'action_no_date' is missing",
    ]


def test_a_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(DefinitionError, match="not valid YAML"):
        checks_from_yaml("checks: [")
