"""Writes for assessments: loading tool definitions as new versions."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from .definitions import DefinitionError, ToolDefinition, definition_from_dict
from .models import ToolVersion


def _checksum(definition: ToolDefinition) -> str:
    canonical = json.dumps(definition.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def tool_version_load(*, definition: ToolDefinition, loaded_by=None) -> tuple[ToolVersion, bool]:
    """Stores a validated definition as a version. Loading the same content again changes nothing;
    different content under an existing key and version is refused, so a stored version never changes."""
    checksum = _checksum(definition)
    existing = ToolVersion.objects.select_for_update().filter(key=definition.key, version=definition.version).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise DefinitionError(
                [
                    f"version {definition.version} of '{definition.key}' is already loaded with different content: "
                    "give the changed tool a new version number"
                ]
            )
        return existing, False
    stored = ToolVersion.objects.create(
        key=definition.key,
        version=definition.version,
        name=definition.name,
        definition=definition.to_dict(),
        checksum=checksum,
        loaded_by=loaded_by,
    )
    return stored, True


def tool_definition_of(version: ToolVersion) -> ToolDefinition:
    # JSON turns grade keys into strings; the loader turns them back.
    return definition_from_dict(version.definition)
