"""Staff create and archive workspaces here. Membership decisions go through the workspace
pages (services, audit log); the admin shows memberships and requests for reference."""

from django.contrib import admin

from workspaces.models import Activity, Announcement, JoinRequest, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at", "last_seen_at"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "join_policy", "is_archived"]
    list_filter = ["visibility", "join_policy", "is_archived"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["kommunen", "contact_persons"]
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status", "workspace"]
    readonly_fields = ["workspace", "user", "message", "status", "created_at", "decided_at", "decided_by", "reason"]

    def has_add_permission(self, request):
        return False


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "author", "created_at"]
    list_filter = ["workspace"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["verb", "target_title", "workspace", "actor", "created_at"]
    list_filter = ["verb", "workspace"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
