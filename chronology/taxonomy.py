"""The chronology's coded event types: versioned data (`chronology/taxonomy/`), validated with
every error listed. Entries store the code and the taxonomy version they were recorded with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from assessments.definitions import DefinitionError

TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomy"
DEFAULT_FILE = "chronology-events-v1.yaml"
SIGNIFICANCES = ("routine", "significant", "critical")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    hint: str
    group: str
    default_significance: str
    hand_recordable: bool


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    version: int
    groups: tuple[tuple[str, str], ...]
    events: tuple[EventType, ...]

    def get(self, code: str) -> EventType | None:
        return self._by_code().get(code)

    def label(self, code: str) -> str:
        event = self.get(code)
        return event.label if event else code.replace("_", " ").capitalize()

    def hand_recordable(self) -> tuple[EventType, ...]:
        return tuple(e for e in self.events if e.hand_recordable)

    def grouped_choices(self, *, hand_only: bool) -> list[tuple[str, list[tuple[str, str]]]]:
        """Choices for a select, grouped under their headings in the taxonomy's order."""
        groups = []
        for key, label in self.groups:
            options = [
                (e.code, e.label) for e in self.events if e.group == key and (e.hand_recordable or not hand_only)
            ]
            if options:
                groups.append((label, options))
        return groups

    @cached_property
    def _codes(self) -> dict[str, EventType]:
        return {e.code: e for e in self.events}

    def _by_code(self) -> dict[str, EventType]:
        return self._codes


def taxonomy_from_dict(data: Any) -> Taxonomy:
    if not isinstance(data, dict):
        raise DefinitionError(["the taxonomy must be a mapping"])
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        errors.append("version: must be a whole number of 1 or more")
        version = 0
    for name in ("key", "name"):
        if not str(data.get(name) or "").strip():
            errors.append(f"{name}: is required")
    groups: list[tuple[str, str]] = []
    for i, raw in enumerate(data.get("groups") or []):
        if not isinstance(raw, dict) or not raw.get("key") or not raw.get("label"):
            errors.append(f"groups[{i}]: needs a key and a label")
            continue
        groups.append((str(raw["key"]), str(raw["label"])))
    if not groups:
        errors.append("groups: at least one group is needed")
    group_keys = {key for key, _ in groups}
    events: list[EventType] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("events") or []):
        where = f"events[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        code = str(raw.get("code") or "")
        where = f"events[{i}] ({code or 'no code'})"
        if not CODE_PATTERN.match(code):
            errors.append(f"{where}: code must be lower-case letters, digits and underscores")
        if code in seen:
            errors.append(f"{where}: code is used twice")
        seen.add(code)
        for name in ("label", "hint"):
            if not str(raw.get(name) or "").strip():
                errors.append(f"{where}: {name} is required")
        if raw.get("group") not in group_keys:
            errors.append(f"{where}: group must be one of {', '.join(sorted(group_keys))}")
        if raw.get("default_significance") not in SIGNIFICANCES:
            errors.append(f"{where}: default_significance must be one of {', '.join(SIGNIFICANCES)}")
        if not isinstance(raw.get("hand_recordable"), bool):
            errors.append(f"{where}: hand_recordable must be true or false")
        events.append(
            EventType(
                code=code,
                label=str(raw.get("label") or ""),
                hint=str(raw.get("hint") or ""),
                group=str(raw.get("group") or ""),
                default_significance=str(raw.get("default_significance") or ""),
                hand_recordable=raw.get("hand_recordable") is True,
            )
        )
    if not events:
        errors.append("events: at least one event type is needed")
    if errors:
        raise DefinitionError(errors)
    return Taxonomy(str(data["key"]), str(data["name"]), version, tuple(groups), tuple(events))


def taxonomy_from_yaml(text: str) -> Taxonomy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError([f"not valid YAML: {exc}"]) from exc
    return taxonomy_from_dict(data)


def default_taxonomy_path() -> Path:
    return TAXONOMY_DIR / DEFAULT_FILE


@cache
def default_taxonomy() -> Taxonomy:
    return taxonomy_from_yaml(default_taxonomy_path().read_text(encoding="utf-8"))
