from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = _("Workspaces")

    def ready(self):
        from notifications.registry import register_kind, register_target
        from workspaces import permissions, signals
        from workspaces.activity import register_verb
        from workspaces.models import Announcement, JoinRequest, Workspace

        register_target(
            Workspace,
            can_view=permissions.can_view_workspace,
            title=lambda workspace: workspace.name,
            url=lambda workspace: workspace.get_absolute_url(),
        )
        register_target(
            JoinRequest,
            can_view=permissions.can_view_join_request,
            title=lambda request: f"{request.user} → {request.workspace.name}",
            url=lambda request: request.get_absolute_url(),
            queryset=lambda qs: qs.select_related("workspace", "user"),
        )
        register_target(
            Announcement,
            can_view=permissions.can_view_announcement,
            title=lambda announcement: announcement.title,
            url=lambda announcement: announcement.get_absolute_url(),
            queryset=lambda qs: qs.select_related("workspace"),
        )
        register_kind("workspace_join_request", _("Request to join a workspace you moderate"))
        register_kind("workspace_join_decided", _("Decision on your request to join a workspace"))
        register_kind("workspace_member_added", _("You were added to a workspace"))
        register_kind("workspace_made_moderator", _("You were made moderator of a workspace"))
        register_kind("workspace_announcement", _("Announcement in one of your workspaces"))

        register_verb("member_joined", _("joined the workspace"))
        register_verb("announcement_posted", _("posted an announcement"))
        # Labels for the events the documents and forums apps record; they may override them.
        register_verb("document_uploaded", _("uploaded a document"))
        register_verb("thread_created", _("started a thread"))
        register_verb("reply_posted", _("replied in a thread"))
        register_verb("post_replied", _("replied in a thread"))
        register_verb("document_version_added", _("uploaded a new version of a document"))
        register_verb("event_created", _("announced a date"))
        signals.connect()
