from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Agency, Team, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "manager"]
    list_filter = ["agency__kind"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency", "manager"]
    autocomplete_fields = ["manager"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "team", "role", "is_active"]
    list_filter = ["role", "agency__kind", "is_active"]
    list_select_related = ["agency", "team"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Sightline", {"fields": ["agency", "team", "role", "job_title"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Sightline", {"fields": ["agency", "team", "role", "job_title"]}))
