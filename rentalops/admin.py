"""Admin pages of the project itself: the audit trail (read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from rentalops.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Who changed what and when. Nobody edits or deletes the record, admins included."""

    list_display = ("at", "actor_label", "action", "summary")
    list_filter = ("action", "object_type", ("at", admin.DateFieldListFilter))
    search_fields = ("summary", "actor_label", "object_id", "actor__username")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
        "changes",
    )
    list_select_related = ("actor",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
