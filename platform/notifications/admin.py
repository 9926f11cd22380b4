from django.contrib import admin

from notifications.models import DigestRun, Mute, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "count", "created_at", "read_at", "in_portal", "email_mode", "emailed_at"]
    list_filter = ["kind", "in_portal", "email_mode"]
    search_fields = ["recipient__email", "merge_key"]
    raw_id_fields = ["recipient", "actor", "workspace"]
    date_hierarchy = "created_at"


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "in_portal", "email_mode"]
    raw_id_fields = ["user"]


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["user", "content_type", "object_id", "created_at"]
    raw_id_fields = ["user"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["user", "period", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    raw_id_fields = ["user"]
