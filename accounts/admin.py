from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from access.admin_changes import admin_change_record
from access.admin_logging import AdminChangeLoggingMixin
from access.models import AdminChangeAction

from .models import Agency, Team, User


@admin.register(Agency)
class AgencyAdmin(AdminChangeLoggingMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(AdminChangeLoggingMixin, admin.ModelAdmin):
    list_display = ["name", "agency", "manager"]
    list_filter = ["agency__kind"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency", "manager"]
    autocomplete_fields = ["manager"]


@admin.register(User)
class UserAdmin(AdminChangeLoggingMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "team", "role", "is_active"]
    list_filter = ["role", "agency__kind", "is_active"]
    list_select_related = ["agency", "team"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Sightline", {"fields": ["agency", "team", "role", "job_title"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Sightline", {"fields": ["agency", "team", "role", "job_title"]}))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Setting someone's password lets whoever knows it sign in as them: logged like any other change.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                admin_change_record(
                    actor=request.user,
                    action=AdminChangeAction.CHANGE,
                    model=User,
                    object_pk=user.pk,
                    object_text=str(user),
                    before={"password": "old"},
                    after={"password": "new"},
                )
        return response
