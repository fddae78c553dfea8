"""Append-only records: the access log, chronology entries, supervision records and clearances.

One mechanism for all of them. The model refuses to save an existing row or delete one, and its
queryset refuses bulk updates and deletes, each with the model's own plain-English message. (The
access log and the chronology are also protected by database triggers; see access/migrations/0003
and chronology/migrations/0003.)
"""

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model.append_only_changed)

    def delete(self):
        raise AppendOnlyError(self.model.append_only_deleted)


class AppendOnlyModel(models.Model):
    """Rows are inserted and never rewritten. Subclasses say what to tell someone who tries."""

    append_only_changed = "This record cannot be changed."
    append_only_deleted = "This record cannot be deleted."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_changed)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_deleted)
