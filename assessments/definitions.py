"""Neglect tool definitions: versioned data (YAML), validated with an explanation of every error.

A definition holds grades, age bands, domains (graded per child, or once per household), items
with an evidence prompt and a descriptor for every grade in every age band the item applies to,
parental and contextual factors, and a prenatal checklist. The default tool ships in
`assessments/tools/`; a partnership can load another tool it holds a licence for in the same format.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TOOLS_DIR = Path(__file__).resolve().parent / "tools"
SCOPES = ("child", "household")
FACTOR_KINDS = ("parenting", "risk", "context")


class DefinitionError(Exception):
    """A definition that cannot be used; `errors` lists every problem with where it is."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Grade:
    value: int
    label: str
    summary: str


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    prompt: str
    age_bands: tuple[str, ...]
    descriptors: dict[str, dict[int, str]]


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    neglect_type: str
    scope: str
    guidance: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Factor:
    key: str
    name: str
    kind: str
    guidance: str


@dataclass(frozen=True)
class PrenatalQuestion:
    key: str
    question: str


@dataclass(frozen=True)
class ToolDefinition:
    key: str
    name: str
    version: int
    description: str
    licence: str
    evidence_required_from_grade: int
    grades: tuple[Grade, ...]
    age_bands: tuple[AgeBand, ...]
    domains: tuple[Domain, ...]
    factors: tuple[Factor, ...] = field(default_factory=tuple)
    prenatal_checklist: tuple[PrenatalQuestion, ...] = field(default_factory=tuple)

    @property
    def grade_values(self) -> tuple[int, ...]:
        return tuple(g.value for g in self.grades)

    def item(self, key: str) -> Item:
        for domain in self.domains:
            for item in domain.items:
                if item.key == key:
                    return item
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, ready for YAML or a JSON field."""
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Reader:
    """Walks raw data, collecting every error with its location instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def text(self, data: dict, name: str, where: str, required: bool = True) -> str:
        value = data.get(name) if isinstance(data, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors.append(f"{where}: '{name}' is missing")
            return ""
        if not isinstance(value, str | int):
            self.errors.append(f"{where}: '{name}' must be text")
            return ""
        return str(value).strip()

    def integer(self, data: dict, name: str, where: str) -> int:
        value = data.get(name) if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors.append(f"{where}: '{name}' must be a whole number")
            return 0
        return value

    def entries(self, data: dict, name: str, where: str, required: bool = True) -> list:
        value = data.get(name) if isinstance(data, dict) else None
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.errors.append(f"{where}: '{name}' must be a non-empty list")
            return []
        return value

    def unique(self, keys: list[str], where: str) -> None:
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                self.errors.append(f"{where}: the key '{key}' is used more than once")
            seen.add(key)


def definition_from_dict(data: Any) -> ToolDefinition:
    """Builds a definition from parsed YAML or JSON; raises DefinitionError listing every problem."""
    if not isinstance(data, dict):
        raise DefinitionError(["the file must hold a tool definition (a mapping at the top level)"])
    r = _Reader()
    grades = tuple(
        Grade(
            r.integer(g, "value", f"grades[{i}]"),
            r.text(g, "label", f"grades[{i}]"),
            r.text(g, "summary", f"grades[{i}]", False),
        )
        for i, g in enumerate(r.entries(data, "grades", "tool"))
    )
    grade_values = [g.value for g in grades]
    if grade_values and grade_values != list(range(1, len(grade_values) + 1)):
        r.errors.append(f"grades: values must run 1, 2, 3 ... in order; found {grade_values}")
    bands = tuple(
        AgeBand(r.text(b, "key", f"age_bands[{i}]"), r.text(b, "label", f"age_bands[{i}]"))
        for i, b in enumerate(r.entries(data, "age_bands", "tool"))
    )
    r.unique([b.key for b in bands], "age_bands")
    band_keys = {b.key for b in bands}
    domains = tuple(
        _domain(r, d, i, band_keys, set(grade_values)) for i, d in enumerate(r.entries(data, "domains", "tool"))
    )
    r.unique([d.key for d in domains], "domains")
    r.unique([item.key for d in domains for item in d.items], "items")
    factors = tuple(
        Factor(
            r.text(f, "key", f"factors[{i}]"),
            r.text(f, "name", f"factors[{i}]"),
            r.text(f, "kind", f"factors[{i}]"),
            r.text(f, "guidance", f"factors[{i}]", False),
        )
        for i, f in enumerate(r.entries(data, "factors", "tool", required=False))
    )
    for i, factor in enumerate(factors):
        if factor.kind and factor.kind not in FACTOR_KINDS:
            r.errors.append(f"factors[{i}] ({factor.key}): kind must be one of {', '.join(FACTOR_KINDS)}")
    r.unique([f.key for f in factors], "factors")
    prenatal = tuple(
        PrenatalQuestion(
            r.text(q, "key", f"prenatal_checklist[{i}]"), r.text(q, "question", f"prenatal_checklist[{i}]")
        )
        for i, q in enumerate(r.entries(data, "prenatal_checklist", "tool", required=False))
    )
    r.unique([q.key for q in prenatal], "prenatal_checklist")
    evidence_from = r.integer(data, "evidence_required_from_grade", "tool")
    if grade_values and evidence_from not in grade_values:
        r.errors.append("tool: 'evidence_required_from_grade' must be one of the grade values")
    definition = ToolDefinition(
        key=r.text(data, "key", "tool"),
        name=r.text(data, "name", "tool"),
        version=r.integer(data, "version", "tool"),
        description=r.text(data, "description", "tool", False),
        licence=r.text(data, "licence", "tool"),
        evidence_required_from_grade=evidence_from,
        grades=grades,
        age_bands=bands,
        domains=domains,
        factors=factors,
        prenatal_checklist=prenatal,
    )
    if definition.version < 1 and not any("'version'" in e for e in r.errors):
        r.errors.append("tool: 'version' must be 1 or more")
    if r.errors:
        raise DefinitionError(r.errors)
    return definition


def _domain(r: _Reader, data: Any, index: int, band_keys: set[str], grade_values: set[int]) -> Domain:
    where = f"domains[{index}]"
    key = r.text(data, "key", where)
    where = f"domain '{key}'" if key else where
    scope = r.text(data, "scope", where)
    if scope and scope not in SCOPES:
        r.errors.append(f"{where}: scope must be 'child' or 'household', not '{scope}'")
    items = tuple(
        _item(r, item, f"{where} item {i + 1}", band_keys, grade_values)
        for i, item in enumerate(r.entries(data, "items", where))
    )
    return Domain(
        key,
        r.text(data, "name", where),
        r.text(data, "neglect_type", where, False),
        scope,
        r.text(data, "guidance", where, False),
        items,
    )


def _item(r: _Reader, data: Any, where: str, band_keys: set[str], grade_values: set[int]) -> Item:
    key = r.text(data, "key", where)
    where = f"item '{key}'" if key else where
    bands = tuple(str(b) for b in r.entries(data, "age_bands", where))
    for band in bands:
        if band not in band_keys:
            r.errors.append(f"{where}: age band '{band}' is not one of the tool's age bands")
    raw = data.get("descriptors") if isinstance(data, dict) else None
    descriptors: dict[str, dict[int, str]] = {}
    if not isinstance(raw, dict):
        r.errors.append(f"{where}: 'descriptors' must give, for each age band, a descriptor per grade")
        raw = {}
    for band in bands:
        per_grade = raw.get(band)
        if not isinstance(per_grade, dict):
            r.errors.append(f"{where}: no descriptors for age band '{band}'")
            continue
        cleaned = {int(g): str(text).strip() for g, text in per_grade.items() if str(g).isdigit() and str(text).strip()}
        missing = sorted(grade_values - set(cleaned))
        if missing:
            r.errors.append(f"{where}, age band '{band}': no descriptor for grade {', '.join(map(str, missing))}")
        descriptors[band] = cleaned
    for band in set(raw) - set(bands):
        r.errors.append(f"{where}: descriptors given for age band '{band}', which the item does not list")
    return Item(key, r.text(data, "name", where), r.text(data, "prompt", where), bands, descriptors)


def definition_from_yaml(text: str) -> ToolDefinition:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError([f"the file is not valid YAML: {error}"]) from error
    return definition_from_dict(data)


def definition_to_yaml(definition: ToolDefinition) -> str:
    return yaml.safe_dump(definition.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def default_tool_path() -> Path:
    return TOOLS_DIR / "sightline-neglect-profile-v1.yaml"


@cache
def default_definition() -> ToolDefinition:
    """The shipped default tool, parsed once per process: parsing its YAML takes over 100 ms, and
    the file only changes with a new release."""
    return definition_from_yaml(default_tool_path().read_text(encoding="utf-8"))
