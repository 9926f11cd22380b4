from django.contrib import admin

from pages.models import AccessibilityFeedback, AuditEntry, LegalPage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target_repr", "ip_address")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "actor__email", "action")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """Read-only here: edits go through the page's own form, which records them in the audit log."""

    list_display = ("title", "slug", "updated_at", "updated_by")
    readonly_fields = ("slug", "title", "body", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "short_message", "page_url", "email", "handled")
    list_filter = ("handled",)
    search_fields = ("message", "email", "name", "page_url")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "name", "email", "page_url", "message", "user")
    fields = ("created_at", "name", "email", "user", "page_url", "message", "handled", "notes")

    @admin.display(description=AccessibilityFeedback._meta.get_field("message").verbose_name)
    def short_message(self, obj):
        return obj.message[:80]

    def has_add_permission(self, request):
        return False
