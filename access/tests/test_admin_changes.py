"""Administrators cannot grant themselves access unseen: tried the way an attacker would, through the
Django admin's own forms, and then the log and its review by a second administrator."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms import MultiWidget
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from access.admin_changes import admin_change_check, admin_change_review
from access.admin_logging import AdminChangeLoggingMixin
from access.append_only import AppendOnlyError
from access.models import AdminChange, AdminChangeAction, AdminChangeOutcome, AdminChangeReview
from access.services import AlreadyReviewed
from accounts.models import Agency, AgencyKind, Role, Team, User
from cases.models import Involvement, InvolvementRole
from conftest import World, make_user, sign_in
from people.models import Child

NOT_IN_WORDS = "xxxxxxxxxxxxxxxxxxxxxxxx"


@pytest.fixture
def second_admin(world: World) -> User:
    return make_user("admin2", None, None, Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def as_user(user: User) -> Client:
    return sign_in(Client(), user)


def admin_form_data(client: Client, url: str, **changes) -> dict:
    """What the admin's change form would post back unchanged, with `changes` applied."""
    form = client.get(url).context["adminform"].form
    data: dict = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field.widget, MultiWidget):
            parts = bound.field.widget.decompress(value)
            data.update({f"{bound.html_name}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)})
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def post_admin_change(client: Client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, admin_form_data(client, url, **changes))


# Granting oneself access is refused


def test_admin_cannot_make_themselves_a_team_manager(world: World):
    response = post_admin_change(as_user(world.admin), world.team_b, manager=str(world.admin.pk))
    assert response.status_code == 200
    assert "You cannot make yourself a team&#x27;s manager" in response.content.decode()
    world.team_b.refresh_from_db()
    assert world.team_b.manager is None
    assert not AdminChange.objects.exists()
    assert not Child.objects.visible_to(world.admin).filter(pk=world.other_child.pk).exists()


def test_the_service_refuses_it_too_without_the_form(world: World):
    with pytest.raises(PermissionDenied):
        admin_change_check(
            actor=world.admin,
            model=Team,
            obj_pk=world.team_b.pk,
            before={"manager": None},
            after={"manager": world.admin.pk},
        )


def test_another_admin_making_them_manager_is_logged_and_waits_for_a_third(world: World, second_admin: User):
    response = post_admin_change(as_user(second_admin), world.team_b, manager=str(world.admin.pk))
    assert response.status_code == 302
    change = AdminChange.objects.get()
    assert (change.actor, change.action, change.model, change.object_pk) == (
        second_admin,
        AdminChangeAction.CHANGE,
        "accounts.team",
        str(world.team_b.pk),
    )
    assert change.affected_user == world.admin
    assert change.changes == [
        {"field": "manager", "label": "manager", "before": "", "after": f"{world.admin} (#{world.admin.pk})"}
    ]
    # In the queue for every administrator; but neither the one who made it nor the one it benefits may review it.
    page = as_user(world.admin).get(reverse("access:admin_changes")).content.decode()
    assert "Family Support B" in page and "Changes your access" in page
    for reviewer in (world.admin, second_admin):
        review_url = reverse("access:admin_change_review", args=[change.pk])
        assert as_user(reviewer).post(review_url, {"outcome": "appropriate"}).status_code == 404
        with pytest.raises(PermissionDenied):
            admin_change_review(change=change, reviewer=reviewer, outcome=AdminChangeOutcome.APPROPRIATE, reason="")
    assert not AdminChangeReview.objects.exists()


def test_admin_cannot_add_an_involvement_for_themselves(world: World):
    # Involvements are not in the admin at all, so there is no form to try ...
    with pytest.raises(NoReverseMatch):
        reverse("admin:cases_involvement_add")
    assert Involvement not in admin.site._registry
    # ... and the check any future route must pass refuses one for oneself or one's own team.
    own = {"practitioner": world.admin.pk, "child": world.other_child.pk, "role": InvolvementRole.CONTRIBUTOR}
    with pytest.raises(PermissionDenied, match="involvement with a child for yourself"):
        admin_change_check(actor=world.admin, model=Involvement, obj_pk=None, before={}, after=own)
    managed = {"practitioner": world.sw.pk, "team": world.team_a.pk, "child": world.other_child.pk}
    with pytest.raises(PermissionDenied, match="team you manage"):
        admin_change_check(actor=world.tm, model=Involvement, obj_pk=None, before={}, after=managed)


@pytest.fixture
def staff_admin(world: World) -> User:
    """An administrator who is staff but not a superuser, with the permissions to edit users."""
    user = make_user("staff_admin", None, None, Role.ADMINISTRATOR, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return user


def test_admin_cannot_make_themselves_a_superuser(world: World, staff_admin: User):
    response = post_admin_change(as_user(staff_admin), staff_admin, is_superuser=True)
    assert response.status_code == 200
    assert "You cannot change your own superuser status" in response.content.decode()
    staff_admin.refresh_from_db()
    assert not staff_admin.is_superuser
    assert not AdminChange.objects.exists()


def test_a_superuser_cannot_change_their_own_flags_role_team_or_permissions(world: World):
    client = as_user(world.admin)
    attempts = {
        "is_superuser": False,
        "role": Role.TEAM_MANAGER,
        "team": str(world.team_b.pk),
        "agency": str(world.csc.pk),
        "user_permissions": [str(Permission.objects.get(codename="change_team").pk)],
    }
    for name, value in attempts.items():
        response = post_admin_change(client, world.admin, **{name: value})
        assert response.status_code == 200, name
        assert "You cannot change your own" in response.content.decode(), name
    world.admin.refresh_from_db()
    assert world.admin.is_superuser and world.admin.role == Role.ADMINISTRATOR and world.admin.team is None
    assert not world.admin.user_permissions.exists()
    assert not AdminChange.objects.exists()


def test_admin_cannot_give_permissions_to_a_group_they_belong_to(world: World):
    group = Group.objects.create(name="Caseworkers")
    world.admin.groups.add(group)
    permission = Permission.objects.get(codename="change_team")
    response = post_admin_change(as_user(world.admin), group, permissions=[str(permission.pk)])
    assert "group you belong to" in response.content.decode()
    assert not group.permissions.exists()


def test_an_admin_may_still_change_their_own_name(world: World):
    response = post_admin_change(as_user(world.admin), world.admin, first_name="Adam")
    assert response.status_code == 302
    assert AdminChange.objects.get().changes[0]["after"] == "Adam"


# What is logged


def test_role_and_group_changes_by_another_admin_are_logged_before_and_after(world: World, second_admin: User):
    group = Group.objects.create(name="Caseworkers")
    response = post_admin_change(as_user(second_admin), world.sw, role=Role.TEAM_MANAGER, groups=[str(group.pk)])
    assert response.status_code == 302
    change = AdminChange.objects.get()
    assert change.affected_user == world.sw
    fields = {field["field"]: (field["before"], field["after"]) for field in change.changes}
    assert fields == {"role": ("Social worker", "Team manager"), "groups": ("", "Caseworkers")}


def test_saving_without_changing_anything_logs_nothing(world: World):
    assert post_admin_change(as_user(world.admin), world.team_b).status_code == 302
    assert not AdminChange.objects.exists()


def test_adding_and_deleting_are_logged(world: World):
    client = as_user(world.admin)
    added = client.post(reverse("admin:accounts_agency_add"), {"name": "Riverside Housing", "kind": AgencyKind.HOUSING})
    assert added.status_code == 302
    agency = Agency.objects.get(name="Riverside Housing")
    deleted = client.post(reverse("admin:accounts_agency_delete", args=[agency.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    add, delete = AdminChange.objects.order_by("id")
    assert (add.action, add.object_text, delete.action, delete.object_pk) == (
        AdminChangeAction.ADD,
        "Riverside Housing",
        AdminChangeAction.DELETE,
        str(agency.pk),
    )
    assert {"field": "kind", "label": "kind", "before": "Housing", "after": ""} in delete.changes


def test_bulk_delete_logs_each_row(world: World):
    spare = [Agency.objects.create(name=f"Spare {i}", kind=AgencyKind.VOLUNTARY_SECTOR) for i in range(2)]
    response = as_user(world.admin).post(
        reverse("admin:accounts_agency_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in spare], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(AdminChange.objects.values_list("object_text", flat=True)) == ["Spare 0", "Spare 1"]


def test_setting_someones_password_is_logged_without_the_password(world: World):
    url = reverse("admin:auth_user_password_change", args=[world.sw.pk])
    response = as_user(world.admin).post(
        url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )
    assert response.status_code == 302
    change = AdminChange.objects.get()
    assert change.changes == [{"field": "password", "label": "password", "before": "(hidden)", "after": "(changed)"}]


def test_every_model_in_the_admin_logs_its_changes():
    unlogged = [
        model
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AdminChangeLoggingMixin)
    ]
    assert not unlogged


# The review


@pytest.fixture
def change(world: World, second_admin: User) -> AdminChange:
    post_admin_change(as_user(second_admin), world.sw, role=Role.TEAM_MANAGER)
    return AdminChange.objects.get()


def test_a_second_admin_reviews_the_change_once(world: World, change: AdminChange):
    client = as_user(world.admin)
    url = reverse("access:admin_change_review", args=[change.pk])
    assert client.post(url, {"outcome": AdminChangeOutcome.APPROPRIATE}).status_code == 302
    review = AdminChangeReview.objects.get()
    assert (review.change, review.reviewer) == (change, world.admin)
    assert "Social worker" not in client.get(reverse("access:admin_changes")).content.decode()


def test_not_appropriate_needs_a_reason_in_words(world: World, change: AdminChange):
    url = reverse("access:admin_change_review", args=[change.pk])
    response = as_user(world.admin).post(url, {"outcome": AdminChangeOutcome.NOT_APPROPRIATE, "reason": NOT_IN_WORDS})
    assert response.status_code == 400
    assert (
        "Explain why the change was not appropriate and what follow-up is needed in words" in response.content.decode()
    )
    with pytest.raises(ValidationError):
        admin_change_review(
            change=change, reviewer=world.admin, outcome=AdminChangeOutcome.NOT_APPROPRIATE, reason=" " * 20
        )
    assert not AdminChangeReview.objects.exists()


def test_two_simultaneous_reviews_cannot_both_land(world: World, change: AdminChange):
    third = make_user("admin3", None, None, Role.ADMINISTRATOR, is_staff=True)
    first_copy, second_copy = AdminChange.objects.get(pk=change.pk), AdminChange.objects.get(pk=change.pk)
    admin_change_review(change=first_copy, reviewer=world.admin, outcome=AdminChangeOutcome.APPROPRIATE, reason="")
    with pytest.raises(AlreadyReviewed, match=f"already reviewed by {world.admin} at"):
        admin_change_review(
            change=second_copy,
            reviewer=third,
            outcome=AdminChangeOutcome.NOT_APPROPRIATE,
            reason="Role changes need the service manager's agreement first",
        )
    review = AdminChangeReview.objects.get()
    assert (review.reviewer, review.outcome) == (world.admin, AdminChangeOutcome.APPROPRIATE)
    # And through the page: the second reviewer is told who was first, and nothing changes.
    url = reverse("access:admin_change_review", args=[change.pk])
    response = as_user(third).post(url, {"outcome": AdminChangeOutcome.APPROPRIATE})
    assert response.status_code == 400
    assert f"already reviewed by {world.admin}" in response.content.decode()
    assert AdminChangeReview.objects.count() == 1


def test_only_administrators_review(world: World, change: AdminChange):
    with pytest.raises(PermissionDenied):
        admin_change_review(change=change, reviewer=world.tm, outcome=AdminChangeOutcome.APPROPRIATE, reason="")


def _bulk_changes(actor: User, n: int) -> None:
    AdminChange.objects.bulk_create(
        AdminChange(
            actor=actor,
            action=AdminChangeAction.CHANGE,
            model="accounts.team",
            model_name="team",
            object_pk=str(i),
            object_text=f"Team {i}",
            changes=[{"field": "name", "label": "name", "before": f"Old {i}", "after": f"Team {i}"}],
        )
        for i in range(n)
    )


def test_the_review_page_runs_the_same_queries_however_many_changes(world: World, second_admin: User):
    client = as_user(world.admin)
    url = reverse("access:admin_changes")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _bulk_changes(second_admin, 2)
    few = queries()
    _bulk_changes(world.admin, 60)  # more than a page, by two administrators
    assert queries() == few


# The log cannot be rewritten


@pytest.fixture
def reviewed(world: World, change: AdminChange) -> AdminChangeReview:
    return admin_change_review(change=change, reviewer=world.admin, outcome=AdminChangeOutcome.APPROPRIATE, reason="")


def test_the_application_cannot_change_or_delete_the_log(change: AdminChange, reviewed: AdminChangeReview):
    for row, model in ((change, AdminChange), (reviewed, AdminChangeReview)):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(at=row.at)
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_adminchange SET object_text = 'nothing to see'",
        "DELETE FROM access_adminchange",
        "UPDATE access_adminchangereview SET outcome = 'not_appropriate'",
        "DELETE FROM access_adminchangereview",
    ],
)
def test_the_database_refuses_changes_even_in_raw_sql(change: AdminChange, reviewed: AdminChangeReview, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AdminChange.objects.get(pk=change.pk).object_text == change.object_text
    assert AdminChangeReview.objects.get(pk=reviewed.pk).outcome == AdminChangeOutcome.APPROPRIATE


@pytest.mark.parametrize("table", ["access_adminchange", "access_adminchangereview"])
def test_postgresql_refuses_truncate(reviewed: AdminChangeReview, table: str):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AdminChangeReview.objects.filter(pk=reviewed.pk).exists()
