import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.definitions import (
    AgeBand,
    DefinitionError,
    Domain,
    Factor,
    Grade,
    Item,
    PrenatalQuestion,
    ToolDefinition,
    default_tool_path,
    definition_from_dict,
    definition_from_yaml,
    definition_to_yaml,
)
from assessments.models import ToolVersion
from assessments.services import tool_definition_of, tool_version_load

NEGLECT_TYPES = {"medical", "nutritional", "emotional", "educational", "physical", "supervision"}


@pytest.fixture(scope="module")
def default_tool() -> ToolDefinition:
    return definition_from_yaml(default_tool_path().read_text(encoding="utf-8"))


def test_default_tool_covers_the_six_types_home_conditions_and_safety(default_tool):
    keys = [d.key for d in default_tool.domains]
    assert set(keys) >= NEGLECT_TYPES and {"home_conditions", "safety"} <= set(keys)
    assert [b.key for b in default_tool.age_bands] == ["unborn", "0-2", "2-4", "5-11", "12-17"]
    assert default_tool.grade_values == (1, 2, 3, 4, 5)
    assert default_tool.evidence_required_from_grade == 3
    assert {d.key: d.scope for d in default_tool.domains}["home_conditions"] == "household"
    assert {f.key for f in default_tool.factors} >= {"attachment", "poverty", "domestic_abuse"}
    assert len(default_tool.prenatal_checklist) >= 4


def test_default_tool_is_original_wording(default_tool):
    text = definition_to_yaml(default_tool).lower()
    assert "graded care profile" not in text and "gcp2" not in text and "nspcc" not in text


def test_errors_are_all_listed_with_where_they_are():
    broken = {
        "key": "x",
        "name": "X",
        "version": 0,
        "licence": "ours",
        "evidence_required_from_grade": 9,
        "grades": [{"value": 1, "label": "Met"}, {"value": 3, "label": "Unmet"}],
        "age_bands": [{"key": "0-2", "label": "Under 2"}],
        "domains": [
            {
                "key": "medical",
                "name": "Health",
                "scope": "street",
                "items": [
                    {
                        "key": "m.a",
                        "name": "A",
                        "prompt": "p",
                        "age_bands": ["0-2", "5-11"],
                        "descriptors": {"0-2": {1: "ok"}},
                    }
                ],
            }
        ],
    }
    with pytest.raises(DefinitionError) as raised:
        definition_from_dict(broken)
    errors = "\n".join(raised.value.errors)
    assert "values must run 1, 2, 3" in errors
    assert "scope must be 'child' or 'household'" in errors
    assert "age band '5-11' is not one of the tool's age bands" in errors
    assert "'version' must be 1 or more" in errors
    assert "evidence_required_from_grade" in errors
    assert len(raised.value.errors) >= 5


def test_not_yaml_is_explained():
    with pytest.raises(DefinitionError, match="not valid YAML"):
        definition_from_yaml("key: [unclosed")


keys = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
words = (
    st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30).map(str.strip).filter(bool)
)


@st.composite
def tool_definitions(draw) -> ToolDefinition:
    grade_count = draw(st.integers(2, 6))
    grades = tuple(Grade(v, draw(words), draw(words)) for v in range(1, grade_count + 1))
    band_keys = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    bands = tuple(AgeBand(k, draw(words)) for k in band_keys)
    item_keys = iter(draw(st.lists(keys, min_size=6, max_size=6, unique=True)))
    domains = []
    for domain_key in draw(st.lists(keys, min_size=1, max_size=3, unique=True)):
        items = []
        for _ in range(draw(st.integers(1, 2))):
            applies = tuple(draw(st.lists(st.sampled_from(band_keys), min_size=1, unique=True)))
            descriptors = {b: {g.value: draw(words) for g in grades} for b in applies}
            items.append(Item(f"{domain_key}.{next(item_keys)}", draw(words), draw(words), applies, descriptors))
        domains.append(
            Domain(
                domain_key,
                draw(words),
                draw(words),
                draw(st.sampled_from(["child", "household"])),
                draw(words),
                tuple(items),
            )
        )
    factors = tuple(
        Factor(k, draw(words), draw(st.sampled_from(["parenting", "risk", "context"])), draw(words))
        for k in draw(st.lists(keys, max_size=3, unique=True))
    )
    prenatal = tuple(PrenatalQuestion(k, draw(words)) for k in draw(st.lists(keys, max_size=3, unique=True)))
    return ToolDefinition(
        key=draw(keys),
        name=draw(words),
        version=draw(st.integers(1, 50)),
        description=draw(words),
        licence=draw(words),
        evidence_required_from_grade=draw(st.sampled_from([g.value for g in grades])),
        grades=grades,
        age_bands=bands,
        domains=tuple(domains),
        factors=factors,
        prenatal_checklist=prenatal,
    )


@settings(max_examples=60, deadline=None)
@given(tool_definitions())
def test_a_definition_round_trips_through_yaml(definition):
    assert definition_from_yaml(definition_to_yaml(definition)) == definition


@pytest.mark.django_db
def test_loading_stores_a_version_once_and_refuses_silent_changes(default_tool):
    stored, created = tool_version_load(definition=default_tool)
    stored.refresh_from_db()  # JSON turns grade keys into text; the loader turns them back
    assert created and tool_definition_of(stored) == default_tool
    again, created = tool_version_load(definition=default_tool)
    assert again.pk == stored.pk and not created
    changed = ToolDefinition(**{**default_tool.__dict__, "name": "Renamed"})
    with pytest.raises(DefinitionError, match="new version number"):
        tool_version_load(definition=changed)
    assert ToolVersion.objects.count() == 1


@pytest.mark.django_db
def test_load_tool_command_explains_every_error(tmp_path, capsys):
    call_command("load_tool")
    assert "Loaded Sightline Neglect Profile, version 1" in capsys.readouterr().out
    bad = tmp_path / "licensed.yaml"
    bad.write_text("key: ours\nname: Ours\nversion: 1\nlicence: held\nevidence_required_from_grade: 3\ngrades: []\n")
    with pytest.raises(CommandError) as raised:
        call_command("load_tool", str(bad))
    assert "'grades' must be a non-empty list" in str(raised.value)
    assert "'age_bands' must be a non-empty list" in str(raised.value)
    assert ToolVersion.objects.count() == 1
