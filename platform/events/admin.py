from django.contrib import admin

from events.models import CalendarFeedToken, Event, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "reminded_at")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "workspace", "registration_enabled", "capacity", "is_cancelled")
    list_filter = ("kind", "workspace", "is_cancelled", "registration_enabled")
    search_fields = ("title", "place", "description")
    date_hierarchy = "starts_at"
    raw_id_fields = ("organiser", "created_by")
    inlines = [RegistrationInline]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "created_at")
    exclude = ("token",)

    def has_add_permission(self, request):
        return False
