"""The Django admin's part in logging administrative changes.

`AdminChangeLoggingMixin` goes first in every ModelAdmin's bases. Its form refuses a self-grant with a
message on the field; `save_model` refuses it again in the service (a list-editable change list does
not use that form); `save_related` logs the change once the groups and permissions are saved too;
deletes, one by one or as a bulk action, are logged before the rows go. `log_every_admin` wraps any
ModelAdmin registered without the mixin (Django's groups, sign-in devices, lock-outs), so nothing
registered in the admin changes unlogged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, router, transaction
from django.http import HttpRequest

from .admin_changes import (
    admin_change_check,
    admin_change_problems,
    admin_change_record,
    admin_snapshot,
    admin_snapshot_stored,
    admin_value_raw,
)
from .models import AdminChangeAction


def _guarded_form(form_class: type, *, model: type[models.Model], request: HttpRequest, obj: Any) -> type:
    """The admin's form, refusing in validation what the service would refuse on save."""

    def clean(form) -> dict:
        data = form_class.clean(form)
        before = admin_snapshot_stored(model, obj.pk if obj is not None else None)
        proposed = {name: admin_value_raw(value) for name, value in (form.cleaned_data or {}).items()}
        after = {**before, **proposed}
        obj_pk = obj.pk if obj is not None else None
        problems = admin_change_problems(actor=request.user, model=model, obj_pk=obj_pk, before=before, after=after)
        for name, message in problems.items():
            form.add_error(name if name in form.fields else None, message)
        return data

    return type(form_class.__name__, (form_class,), {"clean": clean, "__module__": form_class.__module__})


class AdminChangeLoggingMixin:
    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs) -> type:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return _guarded_form(form_class, model=self.model, request=request, obj=obj)

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        before = admin_snapshot_stored(self.model, obj.pk if change else None)
        # The groups and permissions the form is about to save, so they are checked before anything is.
        many_to_many = {
            f.name: form.cleaned_data[f.name] for f in self.model._meta.many_to_many if f.name in form.cleaned_data
        }
        proposed = admin_snapshot(obj, many_to_many=many_to_many)
        admin_change_check(actor=request.user, model=self.model, obj_pk=obj.pk, before=before, after=proposed)
        form._admin_change_before = before  # read back in save_related, which Django calls next
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        admin_change_record(
            actor=request.user,
            action=AdminChangeAction.CHANGE if change else AdminChangeAction.ADD,
            model=self.model,
            object_pk=obj.pk,
            object_text=str(obj),
            before=getattr(form, "_admin_change_before", {}),
            after=admin_snapshot(obj),
        )

    def _delete_logged(self, request: HttpRequest, objects, delete) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            doomed = [(obj.pk, str(obj), admin_snapshot(obj)) for obj in objects]
            delete()
            for pk, text, before in doomed:
                admin_change_record(
                    actor=request.user,
                    action=AdminChangeAction.DELETE,
                    model=self.model,
                    object_pk=pk,
                    object_text=text,
                    before=before,
                    after={},
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self._delete_logged(request, [obj], lambda: super(AdminChangeLoggingMixin, self).delete_model(request, obj))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # Listed before the delete: afterwards there is nothing left to say what went.
        objects = list(queryset)
        self._delete_logged(
            request, objects, lambda: super(AdminChangeLoggingMixin, self).delete_queryset(request, queryset)
        )


def log_every_admin(site: admin.AdminSite) -> None:
    """Re-registers each ModelAdmin that lacks the mixin with it in front of the admin's own class."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AdminChangeLoggingMixin):
            continue
        logged = type(
            f"Logged{type(model_admin).__name__}",
            (AdminChangeLoggingMixin, type(model_admin)),
            {"__module__": __name__},
        )
        site.unregister(model)
        site.register(model, logged)
