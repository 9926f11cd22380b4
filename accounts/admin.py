from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation, Kommune, Profile, Topic, User
from accounts.services import deactivate_member


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ("topics",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("display_name",)
    list_display = ("email", "display_name", "status", "is_active", "is_staff", "date_joined")
    list_filter = ("status", "is_active", "is_staff")
    search_fields = ("email", "display_name")
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("display_name",)}),
        (_("Approval"), {"fields": ("status", "status_changed_at", "status_changed_by", "rejection_reason")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)
    readonly_fields = ("status_changed_at", "status_changed_by", "last_login", "date_joined")
    actions = ["deactivate_and_sign_out"]

    @admin.action(description=_("Deactivate and sign out everywhere"))
    def deactivate_and_sign_out(self, request, queryset):
        done = 0
        for member in queryset:
            try:
                deactivate_member(member=member, by=request.user, reason="admin action")
            except ValidationError as error:
                messages.error(request, f"{member.email}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d account deactivated; its sessions have ended.",
                    "%(count)d accounts deactivated; their sessions have ended.",
                    done,
                )
                % {"count": done},
            )


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "ags")
    list_filter = ("kind",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = ("token",)
