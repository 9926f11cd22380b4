from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A post named by a notification: its thread's title, and what ``can_view_post`` reads (the
# thread hidden or not, its board's workspace and that workspace's visibility).
NOTIFIED_POST_FIELDS = (
    "thread__title",
    "thread__is_hidden",
    "thread__board__workspace__visibility",
)


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from forums import permissions, signals
        from forums.models import Post, Report, Thread
        from notifications.registry import register_kind, register_target

        register_target(
            Thread,
            can_view=permissions.can_view_thread,
            title=lambda thread: thread.title,
            url=lambda thread: thread.get_absolute_url(),
            thread=lambda thread: thread,
            queryset=lambda qs: qs.select_related("board__workspace"),
        )
        register_target(
            Post,
            can_view=permissions.can_view_post,
            title=lambda post: post.thread.title,
            url=lambda post: post.get_absolute_url(),
            thread=lambda post: post.thread,
            # What the policy, the title and the link need: a notification shows the thread's title.
            queryset=lambda qs: qs.select_related("thread__board__workspace").only(*NOTIFIED_POST_FIELDS),
        )
        register_target(
            Report,
            can_view=lambda user, report: report.reporter_id == user.pk or permissions.can_handle_report(user, report),
            title=lambda report: str(report.get_reason_display()),
            url=lambda report: report.get_absolute_url(),
            queryset=lambda qs: qs.select_related("post__thread__board__workspace"),
        )
        register_kind("forum_reply", _("Reply in a thread you follow"))
        register_kind("forum_mention", _("Someone mentioned you in the forum"))
        register_kind("forum_new_thread", _("New thread in a board you follow"))
        register_kind("forum_result", _("Your post was marked as the result"))
        register_kind("forum_moderation", _("A moderator acted on your post"))
        register_kind("forum_report", _("A post was reported (moderators)"))
        register_kind("forum_report_decided", _("Decision on your report"))
        signals.connect()
