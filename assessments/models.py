"""Versioned tool definitions. Every assessment (next) stores the exact version it was made with."""

from django.conf import settings
from django.db import models


class ToolVersion(models.Model):
    """One version of a neglect tool, stored whole as loaded. Versions are never edited: a
    partnership that adapts its tool loads a new version."""

    key = models.SlugField(max_length=100)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    definition = models.JSONField(help_text="The validated definition, as loaded.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the canonical definition.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="tool_version_unique")]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"
