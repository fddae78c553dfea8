from pathlib import Path

import pytest
import yaml

from assessments.definitions import DefinitionError
from drift.rules import CHECKS, RULES_DIR, default_ruleset, ruleset_from_dict


def test_the_default_rules_load_and_cover_every_check() -> None:
    ruleset = default_ruleset()
    assert ruleset.version == 1
    assert set(ruleset.codes) == {
        "cp_neglect_long",
        "cin_long",
        "repeat_neglect_plan",
        "review_overdue",
        "actions_overdue",
        "no_improvement",
        "child_not_seen",
    }
    assert {r.check for r in ruleset.rules} == set(CHECKS)
    for rule in ruleset.rules:
        assert rule.name and rule.description and rule.version == 1


def test_every_error_is_listed_at_once() -> None:
    data = yaml.safe_load((RULES_DIR / "drift-v1.yaml").read_text())
    data["clearance_max_days"] = "soon"
    data["rules"][0]["check"] = "crystal_ball"
    data["rules"][1]["params"]["months"] = "six"
    data["rules"][2]["code"] = data["rules"][3]["code"]
    del data["rules"][4]["description"]
    data["rules"][5]["params"]["colour"] = "red"
    with pytest.raises(DefinitionError) as caught:
        ruleset_from_dict(data)
    errors = caught.value.errors
    assert len(errors) == 6, errors
    assert any("crystal_ball" in e for e in errors)
    assert any("params.months must be a int" in e for e in errors)
    assert any("used twice" in e for e in errors)
    assert any("description is required" in e for e in errors)
    assert any("unknown parameter colour" in e for e in errors)
    assert any("clearance_max_days" in e for e in errors)


def test_rule_files_are_versioned_by_name() -> None:
    for path in Path(RULES_DIR).glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        assert path.stem == f"{data['key']}-v{data['version']}"
