"""The access matrix's vocabulary, shared by every app's entries.

Each app that adds URLs declares them in `<app>/tests/access_matrix.py` as `ENTRIES: dict[str, Entry]`;
`tests/test_access_matrix.py` gathers them all and fails when a URL has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings

from conftest import PERSONA_NAMES, World

ALL = (*PERSONA_NAMES, "anonymous")
SIGNED_IN = PERSONA_NAMES
NOT_ANALYST = tuple(p for p in PERSONA_NAMES if p != "analyst")


@dataclass(frozen=True)
class Entry:
    url: Callable[[World], str]
    allowed: dict[str, int]
    method: str = "get"
    identifiable: bool = False
    data: dict = field(default_factory=dict)


def collect_app_entries() -> dict[str, Entry]:
    """Entries declared by the project's own apps, refusing two entries for one URL name."""
    entries: dict[str, Entry] = {}
    for config in apps.get_app_configs():
        if Path(config.path) != settings.BASE_DIR / config.name:  # our own apps, not Django's or packages'
            continue
        module_name = f"{config.name}.tests.access_matrix"
        if find_spec(f"{config.name}.tests") is None or find_spec(module_name) is None:
            continue
        for name, entry in import_module(module_name).ENTRIES.items():
            assert name not in entries, f"Two access-matrix entries for {name}"
            entries[name] = entry
    return entries
