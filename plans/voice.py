"""Ways of gathering a child's views (`plans/voice/methods-v1.yaml`), validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assessments.definitions import DefinitionError

VOICE_DIR = Path(__file__).resolve().parent / "voice"


@dataclass(frozen=True)
class Method:
    key: str
    label: str
    observation: bool


def methods_from_dict(data: Any) -> tuple[Method, ...]:
    errors: list[str] = []
    raw = data.get("methods") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise DefinitionError(["'methods' must be a non-empty list"])
    methods = []
    for i, entry in enumerate(raw):
        key = entry.get("key") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not key.strip():
            errors.append(f"methods[{i}]: 'key' is missing")
        if not isinstance(label, str) or not label.strip():
            errors.append(f"methods[{i}]: 'label' is missing")
        methods.append(Method(str(key or ""), str(label or ""), bool(entry.get("observation", False))))
    keys = [m.key for m in methods]
    errors += [f"the method '{k}' is listed more than once" for k in sorted({k for k in keys if keys.count(k) > 1})]
    if errors:
        raise DefinitionError(errors)
    return tuple(methods)


@cache
def voice_methods() -> tuple[Method, ...]:
    return methods_from_dict(yaml.safe_load((VOICE_DIR / "methods-v1.yaml").read_text()))


def method_label(key: str) -> str:
    return next((m.label for m in voice_methods() if m.key == key), key)
