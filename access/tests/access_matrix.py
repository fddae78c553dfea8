"""Access-matrix entries for the review of administrative changes: administrators only."""

from __future__ import annotations

from django.urls import reverse

from access.models import AdminChange, AdminChangeAction
from accounts.models import Role
from conftest import World, make_user
from tests.matrix import Entry


def _change_by_another_admin(world: World) -> str:
    other = make_user("second_admin", None, None, Role.ADMINISTRATOR, is_staff=True)
    change = AdminChange.objects.create(
        actor=other,
        action=AdminChangeAction.CHANGE,
        model="accounts.team",
        model_name="team",
        object_pk=str(world.team_b.pk),
        object_text=str(world.team_b),
        changes=[{"field": "manager", "label": "manager", "before": "", "after": "Tara"}],
    )
    return reverse("access:admin_change_review", args=[change.pk])


ENTRIES: dict[str, Entry] = {
    "access:admin_changes": Entry(lambda w: reverse("access:admin_changes"), {"admin": 200}),
    # An empty review is refused with the form's errors, so nothing is recorded.
    "access:admin_change_review": Entry(_change_by_another_admin, {"admin": 400}, method="post"),
}
