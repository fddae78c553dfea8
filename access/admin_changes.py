"""Writes for administrative changes: the refusal to grant oneself a relationship to children, the
append-only log of changes made in the Django admin, and a second administrator's review of each.

Values are compared raw (a foreign key as its primary key, a many-to-many field as a sorted list of
primary keys) and stored as an administrator reads them (the related records' names).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import AdminChange, AdminChangeAction, AdminChangeOutcome, AdminChangeReview
from .reasons import reason_clean
from .services import AlreadyReviewed

if TYPE_CHECKING:
    from accounts.models import User

# Never written to the log: a password hash or a device's secret key is shown only as "changed".
SECRET_FIELDS = {"password", "key"}
# Changed by sign-in itself, not by an administrator.
IGNORED_FIELDS = {"last_login"}
# What an administrator may not change on their own account: each decides what they can see or do.
OWN_ACCOUNT_FIELDS = ("role", "team", "agency", "is_staff", "is_superuser", "is_active", "groups", "user_permissions")
NOT_APPROPRIATE_RULES = {"subject": "why the change was not appropriate and what follow-up is needed"}
ASK_ANOTHER = "Ask another administrator to do it: the change is then logged and reviewed."


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and not field.auto_created and field.name not in IGNORED_FIELDS
    ] + [field for field in model._meta.many_to_many if field.name not in IGNORED_FIELDS]


def admin_value_raw(value: Any) -> Any:
    """A form's or a model's value in the form the checks compare: records by primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted(admin_value_raw(item) for item in value)
    return value


def admin_snapshot(obj: models.Model, *, many_to_many: dict[str, Any] | None = None) -> dict[str, Any]:
    """The object's fields as they are now. Many-to-many values come from `many_to_many` (a form's
    cleaned data, before it is saved) when given, otherwise from the database."""
    snapshot: dict[str, Any] = {}
    for field in _fields(type(obj)):
        if field.many_to_many:
            if many_to_many is not None and field.name in many_to_many:
                snapshot[field.name] = admin_value_raw(many_to_many[field.name])
            elif obj.pk is not None:
                snapshot[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
            else:
                snapshot[field.name] = []
        else:
            value = field.value_from_object(obj)
            # The admin's date and time inputs carry whole seconds: dropping microseconds here keeps a
            # save that changed nothing from looking like a change to, say, the date joined.
            snapshot[field.name] = value.replace(microsecond=0) if isinstance(value, datetime) else value
    return snapshot


def admin_snapshot_stored(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """The object's fields as the database holds them, or {} for an object not yet saved."""
    if pk is None:
        return {}
    stored = model._default_manager.filter(pk=pk).first()
    return admin_snapshot(stored) if stored is not None else {}


def _changed(before: dict[str, Any], after: dict[str, Any], name: str) -> bool:
    return name in after and before.get(name) != after.get(name)


def admin_change_problems(
    *, actor: User, model: type[models.Model], obj_pk: Any, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, str]:
    """Ways this change would give the administrator making it a relationship to children or more
    power, by field name. Empty when another administrator's review is enough."""
    from accounts.models import Team

    label = model._meta.label_lower
    problems: dict[str, str] = {}
    if model is get_user_model() and obj_pk is not None and str(obj_pk) == str(actor.pk):
        for name in OWN_ACCOUNT_FIELDS:
            if _changed(before, after, name):
                verbose = model._meta.get_field(name).verbose_name
                problems[name] = f"You cannot change your own {verbose}. {ASK_ANOTHER}"
    elif label == "accounts.team":
        if after.get("manager") == actor.pk and before.get("manager") != actor.pk:
            problems["manager"] = f"You cannot make yourself a team's manager. {ASK_ANOTHER}"
    elif label == "auth.group":
        in_group = obj_pk is not None and actor.groups.filter(pk=obj_pk).exists()
        if in_group and _changed(before, after, "permissions"):
            problems["permissions"] = f"You cannot change the permissions of a group you belong to. {ASK_ANOTHER}"
    elif label == "cases.involvement" and after:
        managed = set(Team.objects.filter(manager=actor).values_list("pk", flat=True))
        if after.get("practitioner") == actor.pk:
            problems["practitioner"] = f"You cannot add an involvement with a child for yourself. {ASK_ANOTHER}"
        elif after.get("team") in managed:
            problems["team"] = f"You cannot add an involvement for a team you manage. {ASK_ANOTHER}"
    return problems


def admin_change_check(
    *, actor: User, model: type[models.Model], obj_pk: Any, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Refuses a change by which the administrator would grant themselves access or power."""
    problems = admin_change_problems(actor=actor, model=model, obj_pk=obj_pk, before=before, after=after)
    if problems:
        raise PermissionDenied(" ".join(dict.fromkeys(problems.values())))


def _display(field: models.Field, raw: Any) -> str:
    if field.name in SECRET_FIELDS:
        return "(hidden)"
    if raw is None or raw == []:
        return ""
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in field.related_model._default_manager.filter(pk__in=raw)))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=raw).first()
        return f"{related} (#{raw})" if related is not None else f"#{raw}"
    if isinstance(raw, bool):
        return "Yes" if raw else "No"
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    return str(raw)


def _differences(model: type[models.Model], before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    differences = []
    for field in _fields(model):
        if before.get(field.name) == after.get(field.name):
            continue
        differences.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "before": _display(field, before[field.name]) if field.name in before else "",
                "after": ("(changed)" if field.name in SECRET_FIELDS else _display(field, after[field.name]))
                if field.name in after
                else "",
            }
        )
    return differences


def _affected_user_pk(model: type[models.Model], object_pk: Any, before: dict, after: dict) -> Any:
    user_model = get_user_model()
    if model is user_model:
        return object_pk
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is user_model and before.get(field.name) != after.get(field.name):
            return after.get(field.name) or before.get(field.name)
    return None


def admin_change_record(
    *,
    actor: User,
    action: str,
    model: type[models.Model],
    object_pk: Any,
    object_text: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AdminChange | None:
    """Log one administrative change, refusing a self-grant. A save that changed nothing is not logged."""
    admin_change_check(actor=actor, model=model, obj_pk=object_pk, before=before, after=after)
    differences = _differences(model, before, after)
    if action == AdminChangeAction.CHANGE and not differences:
        return None
    return AdminChange.objects.create(
        actor=actor,
        action=action,
        model=model._meta.label_lower,
        model_name=str(model._meta.verbose_name),
        object_pk=str(object_pk),
        object_text=object_text[:300],
        affected_user_id=_affected_user_pk(model, object_pk, before, after),
        changes=differences,
    )


def admin_change_review(*, change: AdminChange, reviewer: User, outcome: str, reason: str) -> AdminChangeReview:
    if not reviewer.is_administrator:
        raise PermissionDenied("Only administrators review administrative changes.")
    if change.actor_id == reviewer.pk:
        raise PermissionDenied("You cannot review your own change. Another administrator must review it.")
    if change.affected_user_id == reviewer.pk:
        raise PermissionDenied("You cannot review a change to your own access. Another administrator must review it.")
    if outcome not in AdminChangeOutcome.values:
        raise ValidationError("Choose whether the change was appropriate", code="outcome")
    if outcome == AdminChangeOutcome.NOT_APPROPRIATE:
        reason = reason_clean(reason, **NOT_APPROPRIATE_RULES)
    else:
        reason = (reason or "").strip()
    try:
        # The one-to-one key refuses a second review; the savepoint keeps the caller's transaction usable.
        with transaction.atomic():
            return AdminChangeReview.objects.create(change=change, reviewer=reviewer, outcome=outcome, reason=reason)
    except IntegrityError:
        existing = AdminChangeReview.objects.select_related("reviewer").filter(change_id=change.pk).first()
        if existing is None:
            raise
        when = date_format(timezone.localtime(existing.at), "j M Y H:i")
        raise AlreadyReviewed(
            f"This change was already reviewed by {existing.reviewer} at {when}. Their review stands.",
            code="reviewed",
        ) from None
