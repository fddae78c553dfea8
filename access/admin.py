from django.contrib import admin

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the access log can be searched here but never changed or deleted."""

    list_display = ["at", "user", "action", "child_reference", "page", "purpose"]
    list_filter = ["action"]
    search_fields = ["user__username", "page"]
    list_select_related = ["user", "child"]
    date_hierarchy = "at"

    @admin.display(description="Child")
    def child_reference(self, event: AccessEvent) -> str:
        # The child's opaque identifier, not their name: the admin is not a route into records.
        return str(event.child.public_id) if event.child_id else ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
