from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import registry, signals
        from notifications.services import unread_key_of
        from pages import read_ahead

        signals.connect()
        read_ahead.for_members(key=unread_key_of)
        register_portal_kinds(registry)
        register_member_target(registry)


def register_portal_kinds(registry):
    """Labels, texts, default channels and audiences for the kinds the portal's apps emit.

    Runs after the emitting apps' own ``register_kind`` calls (INSTALLED_APPS order) and
    replaces them, so the wording of every message lives in one place."""
    kinds = [
        (
            "forum_reply",
            _("Replies to my posts and in threads I follow"),
            "digest",
            _("%(actor)s replied in “%(title)s”"),
            _("%(count)s new replies in “%(title)s”"),
        ),
        (
            "forum_mention",
            _("Mentions of me"),
            "email",
            _("%(actor)s mentioned you in “%(title)s”"),
            _("%(count)s new mentions in “%(title)s”"),
        ),
        (
            "forum_new_thread",
            _("New threads in boards I follow"),
            "digest",
            _("New thread by %(actor)s: “%(title)s”"),
            _("%(count)s new threads, the latest: “%(title)s”"),
        ),
        (
            "document_new",
            _("New documents in my workspaces"),
            "digest",
            _("%(actor)s added the document “%(title)s”"),
            _("%(count)s new documents, the latest: “%(title)s”"),
        ),
        (
            "document_version",
            _("New versions of documents"),
            "digest",
            _("%(actor)s uploaded a new version of “%(title)s”"),
            _("%(count)s new versions of “%(title)s”"),
        ),
        (
            "workspace_join_decided",
            _("Decisions on my join requests and memberships"),
            "email",
            _("Your membership request for “%(title)s” has been decided"),
            None,
        ),
        (
            "workspace_made_moderator",
            _("I was made moderator"),
            "email",
            _("You are now a moderator of “%(title)s”"),
            None,
        ),
        (
            "workspace_announcement",
            _("Announcements in my workspaces"),
            "email",
            _("Announcement by %(actor)s: “%(title)s”"),
            _("%(count)s new announcements, the latest: “%(title)s”"),
        ),
        (
            "forum_report_decided",
            _("Decisions on my reports"),
            "portal",
            _("Your report about “%(title)s” has been dealt with"),
            None,
        ),
        (
            "member_pending",
            _("New members awaiting approval (staff)"),
            "email",
            _("New member awaiting approval: %(title)s"),
            None,
        ),
        (
            "workspace_join_request",
            _("New join requests (moderators)"),
            "email",
            _("%(actor)s asks to join “%(title)s”"),
            _("%(count)s new join requests for “%(title)s”"),
        ),
        (
            "forum_report",
            _("New reports (moderators)"),
            "email",
            _("New report about “%(title)s”"),
            _("%(count)s new reports about “%(title)s”"),
        ),
    ]
    audiences = {"member_pending": "staff", "workspace_join_request": "moderators", "forum_report": "moderators"}
    for key, label, channel, text, text_many in kinds:
        registry.register_kind(key, label, channel, text=text, text_many=text_many, audience=audiences.get(key, ""))


def register_member_target(registry):
    """A (pending) member is the target of ``member_pending``: only staff may open it."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    def can_view(user, member):
        return bool(user.is_authenticated and user.is_member and user.is_staff)

    if registry.target_type_for_model(get_user_model()) is not None:
        return
    registry.register_target(
        get_user_model(),
        can_view=can_view,
        title=lambda member: member.display_name or member.email,
        url=lambda member: reverse("members:approval_queue"),
        thread=lambda member: None,
    )
