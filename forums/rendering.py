"""A forum post's markup, made in Python.

A page of a long thread shows about sixty posts. Through a template partial each cost about a
millisecond: eight ``{% url %}`` reversals, seven ``{% blocktranslate %}``, two date filters
and some forty variable lookups per post — two thirds of the thread page's time at scale 1
(docs/benchmarks.md). Here what is the same for every post of a page (URL patterns, labels,
the CSRF field) is made once per page, and a post is a handful of string formats. Every text
goes through gettext with the msgids the template had; every value is escaped. Posts and
people are read by ``.id``: ``.pk`` is a property call, and a page read it some 900 times.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from pages.html import escape, url_pattern


def _author(user) -> str:
    return str(user) if user else gettext("deleted account")


class PostRenderer:
    """Renders the posts of one thread for one request. ``can_reply`` is the viewer's right to
    reply here (the reply form's page shows the parent post without reply links)."""

    def __init__(self, request, thread, *, can_reply: bool):
        self.thread = thread
        self.can_reply = can_reply
        self.csrf_field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        self.reply_url = reverse("forums:reply", args=[thread.pk])
        self.result_url = reverse("forums:thread_result", args=[thread.pk])
        self.member_url = url_pattern("members:detail")
        self.post_url = url_pattern("forums:post")
        self.react_url = url_pattern("forums:post_react")
        self.more_urls = {
            name: url_pattern(f"forums:{name}")
            for name in ("post_edit", "post_history", "post_delete", "post_report", "post_hide", "post_split")
        }
        self.text = {
            "opening": escape(gettext("Opening post")),
            "deleted_account": escape(gettext("deleted account")),
            "edited": escape(gettext("edited")),
            "new": escape(gettext("new")),
            "result": escape(gettext("Result")),
            "reply_to": escape(gettext("Reply to")),
            "deleted": escape(gettext("This post has been deleted.")),
            "reply": escape(gettext("Reply")),
            "quote": escape(gettext("Quote")),
            "mark_result": escape(gettext("Mark as result")),
            "more": escape(gettext("More")),
            "helpful": escape(gettext("Helpful")),
            "post_edit": escape(gettext("Edit")),
            "post_history": escape(gettext("Show changes")),
            "post_delete": escape(gettext("Delete")),
            "post_report": escape(gettext("Report")),
            "show_again": escape(gettext("Show again")),
            "hide": escape(gettext("Hide")),
            "post_split": escape(gettext("Split into a new thread")),
        }
        # Translated once per page; each post only fills in its number, author or reason.
        self.formats = {
            "post": gettext("post #%(number)s"),
            "to_post": gettext("to post #%(number)s"),
            "for_post": gettext("for post #%(number)s"),
            "link": gettext("Link to post #%(number)s"),
            "reply_to_thread": gettext("Reply to the thread, post #%(number)s"),
            "reply_to_author": gettext("Reply to %(author)s, post #%(number)s"),
            "reason": gettext("Reason: %(reason)s"),
            "hidden": gettext("Hidden by the moderation. Reason: %(reason)s"),
        }
        self.timezone = timezone.get_current_timezone()

    # --- parts --------------------------------------------------------------------------

    def _label(self, post, *, opening: bool, reply_to) -> str:
        if opening:
            return f'<span class="visually-hidden">{self.text["opening"]}: </span>'
        if post.depth == 1:
            text = self.formats["reply_to_thread"] % {"number": post.number}
            return f'<span class="visually-hidden">{escape(text)}: </span>'
        if reply_to:
            text = self.formats["reply_to_author"] % {
                "author": _author(reply_to.author),
                "number": reply_to.number,
            }
            return f'<span class="visually-hidden">{escape(text)}: </span>'
        return ""

    def _byline(self, post) -> str:
        author = post.author
        if author:
            name = f'<a href="{self.member_url(author.id)}">{escape(author.display_name)}</a>'
            try:
                kommune = author.profile.kommune
            except ObjectDoesNotExist:
                kommune = None
        else:
            name, kommune = self.text["deleted_account"], None
        created = post.created_at.astimezone(self.timezone)
        place = f"{escape(kommune.name)} · " if kommune else ""
        edited = f" · {self.text['edited']}" if post.edited_at else ""
        return (
            f"{name}\n    </h3>\n"
            f'    <span class="small text-body-secondary">\n      {place}\n'
            f'      <time datetime="{created.isoformat()}">{created:%d.%m.%Y %H:%M}</time>\n'
            f"      {edited}\n    </span>\n"
        )

    def _notice(self, post) -> str:
        if post.is_deleted:
            reason = ""
            if post.ui_is_mod and post.delete_reason:
                reason = " " + escape(self.formats["reason"] % {"reason": post.delete_reason})
            return f'  <p class="forum-notice">{self.text["deleted"]}{reason}</p>\n'
        if post.is_hidden:
            text = self.formats["hidden"] % {"reason": post.hidden_reason}
            return f'  <p class="forum-notice">{escape(text)}</p>\n'
        return ""

    def reaction(self, post) -> SafeString:
        """The "helpful" button (or count); also the answer to the button's htmx request."""
        pk = post.id
        if post.ui_can_react:
            url = self.react_url(pk)
            pressed = "true" if post.ui_helpful else "false"
            number = escape(self.formats["post"] % {"number": post.number})
            inner = (
                f'<form method="post" action="{url}" hx-post="{url}" hx-target="#reaction-{pk}" hx-swap="outerHTML">'
                f"{self.csrf_field}"
                f'<button type="submit" class="btn btn-sm {"btn-success" if post.ui_helpful else "btn-outline-success"}"'
                f' aria-pressed="{pressed}">{self.text["helpful"]} <span class="badge text-bg-light">{post.helpful_count}</span>'
                f'<span class="visually-hidden"> ({number})</span></button></form>'
            )
        elif post.helpful_count:
            count = post.helpful_count
            text = ngettext(
                "%(counter)s member found this helpful", "%(counter)s members found this helpful", count
            ) % {"counter": count}
            inner = f'<span class="small text-body-secondary">{escape(text)}</span>'
        else:
            inner = ""
        return mark_safe(f'<span class="forum-reaction" id="reaction-{pk}">{inner}</span>')  # noqa: S308 (escaped above)

    def _actions(self, post) -> str:
        pk, number = post.id, post.number
        parts = []
        if self.can_reply and not post.is_deleted:
            to_post = escape(self.formats["to_post"] % {"number": number})
            parts.append(
                f'<a class="btn btn-sm btn-outline-primary" href="{self.reply_url}?parent={pk}">{self.text["reply"]}'
                f'<span class="visually-hidden"> {to_post}</span></a>'
            )
            if post.is_visible_content:
                label = escape(self.formats["post"] % {"number": number})
                parts.append(
                    f'<a class="btn btn-sm btn-outline-secondary" href="{self.reply_url}?parent={pk}&amp;quote={pk}">'
                    f'{self.text["quote"]}<span class="visually-hidden"> {label}</span></a>'
                )
        parts.append(self.reaction(post))
        if post.ui_can_mark_result and self.thread.result_post_id != pk:
            label = escape(self.formats["post"] % {"number": number})
            parts.append(
                f'<form method="post" action="{self.result_url}">{self.csrf_field}\n'
                f'      <input type="hidden" name="post" value="{pk}">\n'
                f'      <button type="submit" class="btn btn-sm btn-outline-success">{self.text["mark_result"]}'
                f'<span class="visually-hidden"> ({label})</span></button>\n    </form>'
            )
        if post.ui_can_edit or post.ui_can_delete or post.ui_can_report or post.ui_history or post.ui_is_mod:
            parts.append(self._more(post))
        return "\n    ".join(parts)

    def _more(self, post) -> str:
        pk = post.id
        shown = [
            ("post_edit", post.ui_can_edit),
            ("post_history", post.ui_history),
            ("post_delete", post.ui_can_delete),
            ("post_report", post.ui_can_report),
            ("post_hide", post.ui_is_mod and not post.is_deleted),
            ("post_split", post.ui_is_mod and post.depth > 0),
        ]
        items = []
        for name, show in shown:
            if show:
                if name == "post_hide":
                    label = self.text["show_again"] if post.is_hidden else self.text["hide"]
                else:
                    label = self.text[name]
                items.append(f'<li><a href="{self.more_urls[name](pk)}">{label}</a></li>')
        for_post = escape(self.formats["for_post"] % {"number": post.number})
        return (
            '<details class="forum-more">\n'
            f'      <summary class="btn btn-sm btn-link">{self.text["more"]}<span class="visually-hidden"> {for_post}</span></summary>\n'
            '      <ul class="list-unstyled forum-more-menu">\n        '
            + "\n        ".join(items)
            + "\n      </ul>\n    </details>"
        )

    # --- the post -----------------------------------------------------------------------

    def render(self, post, *, opening=False, reply_to=None, show_reply_to=False) -> SafeString:
        """One post as an ``<article>``; ``post`` carries the view's ``ui_*`` flags."""
        pk, thread = post.id, self.thread
        moderated = post.is_hidden or post.is_deleted
        classes = "forum-post"
        if post.ui_unread:
            classes += " is-unread"
        if moderated:
            classes += " is-moderated"
        if thread.result_post_id == pk:
            classes += " is-result"
        reply_data = f"{self.reply_url}?parent={pk}" if self.can_reply else ""
        link_label = escape(self.formats["link"] % {"number": post.number})
        badges = []
        if post.ui_unread:
            badges.append(f'<span class="badge text-bg-primary">{self.text["new"]}</span>')
        if thread.result_post_id == pk:
            badges.append(f'<span class="badge text-bg-success">{self.text["result"]}</span>')
        reply_line = ""
        if show_reply_to and reply_to:
            number = escape(self.formats["post"] % {"number": reply_to.number})
            reply_line = (
                f'  <p class="forum-reply-to small mb-1"><span aria-hidden="true">↳ </span>{self.text["reply_to"]} '
                f'<a href="#post-{reply_to.id}" data-jump>{escape(_author(reply_to.author))}, {number}</a></p>\n'
            )
        body = ""
        if (post.ui_show_body and not post.is_deleted) or (post.ui_is_mod and post.is_deleted):
            extra = " forum-body-moderated" if moderated else ""
            body = f'  <div class="forum-body{extra}">{post.body_html}</div>\n'
        # Every user text above went through escape(); body_html is the sanitised Markdown.
        return mark_safe(  # noqa: S308
            f'<article class="{classes}" id="post-{pk}" tabindex="-1" data-post data-reply-url="{reply_data}">\n'
            '  <header class="forum-post-header">\n'
            f'    <h3 class="h6 mb-0 forum-post-author" id="post-{pk}-label">\n'
            f"      {self._label(post, opening=opening, reply_to=reply_to)}\n      "
            f"{self._byline(post)}"
            f'    <a class="forum-permalink small" href="{self.post_url(pk)}" aria-label="{link_label}">#{post.number}</a>\n'
            f"    {' '.join(badges)}\n"
            "  </header>\n"
            f"{reply_line}{self._notice(post)}{body}"
            '  <footer class="forum-post-actions d-flex flex-wrap gap-2 align-items-center">\n'
            f"    {self._actions(post)}\n"
            "  </footer>\n</article>"
        )

    # --- a page of replies ----------------------------------------------------------------

    def replies(self, nodes, *, flat: bool) -> SafeString:
        """The page's replies as the ``<li>`` items of the thread's list: chronological (each
        post says whom it answers) or threaded, nested up to ``MAX_DISPLAY_DEPTH`` in
        collapsible branches whose summary counts the replies below."""
        if not nodes:
            empty = escape(gettext("No replies yet."))
            return mark_safe(f"<li>{empty}</li>")  # noqa: S308
        parts = []
        if flat:
            for node in nodes:
                html = self.render(node.post, reply_to=node.reply_to, show_reply_to=True)
                parts.append(f'<li class="forum-node">{html}</li>')
            return mark_safe("\n".join(parts))  # noqa: S308 (each post escapes its texts)
        for node in nodes:
            post = node.post
            parts.append(
                f'<li class="forum-node forum-depth-{node.depth}">\n'
                f"{self.render(post, reply_to=node.reply_to, show_reply_to=node.flattened)}\n"
            )
            if node.nest:
                summary = ngettext(
                    "%(counter)s reply to %(author)s", "%(counter)s replies to %(author)s", node.descendants
                ) % {"counter": node.descendants, "author": _author(post.author)}
                parts.append(
                    f'<details open class="forum-branch" data-branch>\n<summary>{escape(summary)}</summary>\n'
                    '<ol class="list-unstyled forum-children">\n'
                )
            else:
                parts.append("</li>\n")
            parts.append("</ol>\n</details>\n</li>\n" * node.closes)
        return mark_safe("".join(parts))  # noqa: S308 (each post and summary is escaped)


def board_list(boards) -> SafeString:
    """A group of boards (``forums.selectors`` annotates ``thread_count``, ``unread_count`` and
    ``last_activity``) as a list, or the note that there are none."""
    if not boards:
        none_yet = escape(gettext("No boards yet."))
        return mark_safe(f"<p>{none_yet}</p>")  # noqa: S308
    tz = timezone.get_current_timezone()
    board_url = url_pattern("forums:board")
    last_post = escape(gettext("Last post"))
    items = []
    for board in boards:
        description = (
            f'\n      <p class="mb-0 text-body-secondary small">{escape(board.description)}</p>'
            if board.description
            else ""
        )
        threads = ngettext("%(counter)s thread", "%(counter)s threads", board.thread_count) % {
            "counter": board.thread_count
        }
        unread = ""
        if board.unread_count:
            text = ngettext("%(counter)s with new posts", "%(counter)s with new posts", board.unread_count) % {
                "counter": board.unread_count
            }
            unread = f'\n      <span class="badge text-bg-primary ms-2">{escape(text)}</span>'
        last = ""
        if board.last_activity:
            last = (
                f'\n      <span class="d-block text-body-secondary">{last_post}: '
                f"{board.last_activity.astimezone(tz):%d.%m.%Y %H:%M}</span>"
            )
        items.append(
            '  <li class="list-group-item d-flex flex-wrap gap-3 justify-content-between align-items-center">\n'
            '    <div class="flex-grow-1">\n'
            f'      <a class="fw-semibold" href="{board_url(board.pk)}">{escape(board.name)}</a>{description}\n'
            "    </div>\n"
            f'    <div class="text-nowrap small">\n      {escape(threads)}{unread}{last}\n    </div>\n'
            "  </li>"
        )
    body = "\n".join(items)
    return mark_safe(f'<ul class="list-group forum-boards">\n{body}\n</ul>')  # noqa: S308 (every text escaped)
