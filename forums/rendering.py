"""A forum post's markup, made in Python.

A page of a long thread shows about sixty posts. Through a template partial each cost about a
millisecond: eight ``{% url %}`` reversals, seven ``{% blocktranslate %}``, two date filters
and some forty variable lookups per post — two thirds of the thread page's time at scale 1
(docs/benchmarks.md). Here what is the same for every post of a page (URL patterns, labels,
the CSRF field) is made once per page, and a post is a handful of string formats. Every text
goes through gettext with the msgids the template had; every value is escaped. Posts and
people are read by ``.id``: ``.pk`` is a property call, and a page read it some 900 times.
"""

import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from forums import selectors
from forums.forms import ThreadWatchForm
from forums.permissions import ThreadRights, delete_grace_period
from forums.signals import thread_scope
from pages.frames import Frame, csrf_token, render_frame
from pages.html import escape, url_pattern
from pages.shared_reads import shared_read
from workspaces.signals import PEOPLE_SCOPE


def _author(user) -> str:
    return str(user) if user else gettext("deleted account")


def _csrf_field(request) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token(request))


def decorate(thread, posts, *, viewer_id, rights: ThreadRights, last_read: int, helpful: set[int]) -> None:
    """Sets the ``ui_*`` flags the renderer reads on each post for one viewer (``viewer_id``
    None: a viewer of these rights who wrote none of the posts)."""
    is_mod, can_write = rights.moderate, rights.write
    grace = delete_grace_period()
    now = timezone.now()
    for post in posts:
        post.thread = thread
        own = post.author_id is not None and post.author_id == viewer_id
        visible = post.is_visible_content
        post.ui_own = own
        post.ui_show_body = visible or (not post.is_deleted and own) or is_mod
        post.ui_can_edit = not post.is_deleted and (
            is_mod or (own and not post.is_hidden and not thread.is_locked and can_write)
        )
        post.ui_can_delete = not post.is_deleted and (is_mod or (own and now - post.created_at <= grace))
        post.ui_can_react = visible and not own and can_write
        post.ui_can_report = visible and not own
        post.ui_helpful = post.id in helpful
        post.ui_unread = post.id > last_read and not own
        post.ui_history = post.edit_count > 0 and (own or is_mod)
        post.ui_can_mark_result = rights.mark_result and visible and post.depth > 0
        post.ui_is_mod = is_mod


class _Slots:
    """Marks for what a shared page leaves open for each viewer: whether a post is unread
    (``U``: its class, ``B``: its badge), whether the viewer found it helpful (``H``) and the
    CSRF field (``C``). The marks carry a random part chosen for each page built, so no text
    a member writes can pass for one."""

    CODES = "UBHC"

    def __init__(self):
        nonce = secrets.token_hex(8)
        self.marks = {code: f"\x00{nonce}{code}\x00" for code in self.CODES}
        self._split = re.compile(f"\x00{nonce}([{self.CODES}])\x00").split

    def template(self, post, html: str) -> "PostTemplate":
        parts = self._split(html)
        return PostTemplate(post.id, post.author_id, tuple(parts[0::2]), "".join(parts[1::2]))


class PostRenderer:
    """Renders the posts of one thread for one request. ``can_reply`` is the viewer's right to
    reply here (the reply form's page shows the parent post without reply links)."""

    def __init__(self, request, thread, *, can_reply: bool, slots: _Slots | None = None):
        self.thread = thread
        self.can_reply = can_reply
        self.slots = slots
        self.csrf_field = slots.marks["C"] if slots else _csrf_field(request)
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
            state = self.slots.marks["H"] if self.slots else HELPFUL_STATE[post.ui_helpful]
            number = escape(self.formats["post"] % {"number": post.number})
            inner = (
                f'<form method="post" action="{url}" hx-post="{url}" hx-target="#reaction-{pk}" hx-swap="outerHTML">'
                f"{self.csrf_field}"
                f'<button type="submit" class="btn btn-sm {state}">{self.text["helpful"]}'
                f' <span class="badge text-bg-light">{post.helpful_count}</span>'
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
        pk, thread, slots = post.id, self.thread, self.slots
        moderated = post.is_hidden or post.is_deleted
        classes = "forum-post"
        if slots:
            classes += slots.marks["U"]
        elif post.ui_unread:
            classes += " is-unread"
        if moderated:
            classes += " is-moderated"
        if thread.result_post_id == pk:
            classes += " is-result"
        reply_data = f"{self.reply_url}?parent={pk}" if self.can_reply else ""
        link_label = escape(self.formats["link"] % {"number": post.number})
        badge_list = []
        if not slots and post.ui_unread:
            badge_list.append(f'<span class="badge text-bg-primary">{self.text["new"]}</span>')
        if thread.result_post_id == pk:
            badge_list.append(f'<span class="badge text-bg-success">{self.text["result"]}</span>')
        badges = " ".join(badge_list)
        if slots:  # the "new" badge and the space after it when the result badge follows
            badges = slots.marks["B"] + badges
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
            f"    {badges}\n"
            "  </header>\n"
            f"{reply_line}{self._notice(post)}{body}"
            '  <footer class="forum-post-actions d-flex flex-wrap gap-2 align-items-center">\n'
            f"    {self._actions(post)}\n"
            "  </footer>\n</article>"
        )

    # --- a page of replies ----------------------------------------------------------------

    def reply_items(self, nodes, *, flat: bool) -> list:
        """The page's replies as the ``<li>`` items of the thread's list: chronological (each
        post says whom it answers) or threaded, nested up to ``MAX_DISPLAY_DEPTH`` in
        collapsible branches whose summary counts the replies below. A list of markup and,
        with slots, of ``PostTemplate`` for the posts."""
        if not nodes:
            empty = escape(gettext("No replies yet."))
            return [f"<li>{empty}</li>"]

        def post_of(node, show_reply_to):
            html = self.render(node.post, reply_to=node.reply_to, show_reply_to=show_reply_to)
            return self.slots.template(node.post, html) if self.slots else html

        items = []
        if flat:
            for index, node in enumerate(nodes):
                items += [
                    '\n<li class="forum-node">' if index else '<li class="forum-node">',
                    post_of(node, True),
                    "</li>",
                ]
            return items
        for node in nodes:
            post = node.post
            items += [f'<li class="forum-node forum-depth-{node.depth}">\n', post_of(node, node.flattened)]
            if node.nest:
                summary = ngettext(
                    "%(counter)s reply to %(author)s", "%(counter)s replies to %(author)s", node.descendants
                ) % {"counter": node.descendants, "author": _author(post.author)}
                items.append(
                    f'\n<details open class="forum-branch" data-branch>\n<summary>{escape(summary)}</summary>\n'
                    '<ol class="list-unstyled forum-children">\n'
                )
            else:
                items.append("\n</li>\n")
            items.append("</ol>\n</details>\n</li>\n" * node.closes)
        return items


HELPFUL_STATE = {True: 'btn-success" aria-pressed="true', False: 'btn-outline-success" aria-pressed="false'}


@dataclass(slots=True, frozen=True)
class PostTemplate:
    """A post as every viewer of the same rights sees it, split where viewers differ: ``texts``
    around the slots whose codes ``codes`` lists (``_Slots``)."""

    id: int
    author_id: int | None
    texts: tuple[str, ...]
    codes: str


@dataclass(frozen=True)
class SharedPage:
    """A page of a thread's posts rendered for every viewer with the same ``ThreadRights``,
    with the page's cursors (as ``selectors.PostPage``) and what a viewer's part needs. Kept
    by the process (``shared_read(kept=True)``) and given to every request: nothing in it
    can be changed."""

    flat: bool
    after: int | None
    before: int | None
    opening: PostTemplate | None
    replies: tuple  # markup and PostTemplate, in order
    post_ids: tuple[int, ...]  # every post shown, with the opening post and the result
    helpful_ids: tuple[int, ...]  # the posts with "helpful" marks: the only ones a viewer can have marked
    next_after: int | None
    prev_before: int | None
    prev_first: bool
    author_ids: frozenset[int]  # who wrote the posts rendered here
    last_post_id: int  # the newest post shown
    key: str  # which page, for whom (``_page_key``)

    def has_posts_by(self, user_id) -> bool:
        return user_id in self.author_ids


def shared_page(
    thread, *, flat: bool, after: int | None, before: int | None, rights: ThreadRights, found: dict | None = None
) -> SharedPage:
    """The page of ``thread`` at the cursor, rendered once for all viewers with ``rights`` in
    the active language and time zone, until a post of the thread, the thread or a name
    changes (the scopes of ``selectors._tree_posts``). Rendering sixty posts took about a
    fifth of the thread page's time and loading them from the cache another tenth."""

    def build():
        if flat:
            page = selectors.flat_page(thread, after=after)
        else:
            page = selectors.tree_page(thread, after=after, before=before)
        shown = {post.id for post in page.posts}
        extra = [p for p in (thread.first_post, thread.result_post) if p is not None and p.id not in shown]
        posts = [*page.posts, *extra]
        decorate(thread, posts, viewer_id=None, rights=rights, last_read=0, helpful=set())
        slots = _Slots()
        renderer = PostRenderer(None, thread, can_reply=rights.reply, slots=slots)
        first = thread.first_post
        opening = slots.template(first, renderer.render(first, opening=True)) if first else None
        replies = tuple(renderer.reply_items(page.nodes, flat=flat))
        return SharedPage(
            flat=flat,
            after=after,
            before=before,
            opening=opening,
            replies=replies,
            post_ids=tuple(post.id for post in posts),
            helpful_ids=tuple(post.id for post in posts if post.helpful_count),
            next_after=page.next_after,
            prev_before=page.prev_before,
            prev_first=page.prev_first,
            author_ids=frozenset(item.author_id for item in (opening, *replies) if isinstance(item, PostTemplate)),
            last_post_id=max((post.id for post in posts), default=0),
            key=page_key,
        )

    page_key = _page_key(flat, after, before, rights)
    key = f"thread-page:{thread.pk}:{page_key}"
    return shared_read(key, (thread_scope(thread.pk), PEOPLE_SCOPE), build, kept=True, found=found)


def _page_key(flat: bool, after: int | None, before: int | None, rights: ThreadRights) -> str:
    """Which page of a thread, for whom: cursor, language, time zone and rights."""
    cursor = f"{'flat' if flat else 'tree'}:{after or 0}:{before or 0}"
    return f"{cursor}:{translation.get_language()}:{timezone.get_current_timezone_name()}:{''.join('01'[r] for r in rights)}"


class ViewerPage:
    """A shared page filled in for one viewer: what they have not read yet, what they found
    helpful, the CSRF field, and their own posts rendered for them (edit, delete, history)."""

    def __init__(self, thread, shared: SharedPage, *, csrf_field: str, last_read: int, helpful: set[int]):
        self.thread, self.shared, self.last_read, self.helpful = thread, shared, last_read, helpful
        self.csrf_field = csrf_field
        self.new_badge = f'<span class="badge text-bg-primary">{escape(gettext("new"))}</span>'
        self.own = {}

    @classmethod
    def for_viewer(cls, request, thread, shared: SharedPage, *, rights: ThreadRights, last_read: int, helpful):
        page = cls(thread, shared, csrf_field=_csrf_field(request), last_read=last_read, helpful=helpful)
        user_id = request.user.pk
        if shared.has_posts_by(user_id):
            page.own = page._own_posts(request, rights=rights, user_id=user_id)
        return page

    @classmethod
    def settled(cls, thread, shared: SharedPage, *, csrf_field: str):
        """The page as every viewer sees it who has read all its posts, found none of them
        helpful and wrote none of them (``is_settled_for``): the same but for the CSRF field."""
        return cls(thread, shared, csrf_field=csrf_field, last_read=shared.last_post_id, helpful=set())

    @staticmethod
    def is_settled_for(user_id: int, shared: SharedPage, *, last_read: int, helpful) -> bool:
        return not helpful and last_read >= shared.last_post_id and not shared.has_posts_by(user_id)

    def _own_posts(self, request, *, rights, user_id) -> dict[int, str]:
        """The viewer's own posts on the page, rendered as before for this viewer alone."""
        thread, shared = self.thread, self.shared
        if shared.flat:
            page = selectors.flat_page(thread, after=shared.after)
        else:
            page = selectors.tree_page(thread, after=shared.after, before=shared.before)
        first = thread.first_post
        nodes = [node for node in page.nodes if node.post.author_id == user_id]
        posts = [node.post for node in nodes] + ([first] if first and first.author_id == user_id else [])
        decorate(thread, posts, viewer_id=user_id, rights=rights, last_read=self.last_read, helpful=self.helpful)
        renderer = PostRenderer(request, thread, can_reply=rights.reply)
        own = {
            node.post.id: renderer.render(
                node.post, reply_to=node.reply_to, show_reply_to=shared.flat or node.flattened
            )
            for node in nodes
        }
        if first and first.author_id == user_id:
            own[first.id] = renderer.render(first, opening=True)
        return own

    def _fill(self, template: PostTemplate, out: list) -> None:
        pk = template.id
        if pk in self.own:
            out.append(self.own[pk])
            return
        unread = pk > self.last_read
        texts = template.texts
        out.append(texts[0])
        for index, code in enumerate(template.codes, 1):
            if code == "U":
                out.append(" is-unread" if unread else "")
            elif code == "B":
                if unread:
                    out.append(self.new_badge + (" " if self.thread.result_post_id == pk else ""))
            elif code == "H":
                out.append(HELPFUL_STATE[pk in self.helpful])
            else:
                out.append(self.csrf_field)
            out.append(texts[index])

    def opening(self) -> SafeString:
        out = []
        if self.shared.opening is not None:
            self._fill(self.shared.opening, out)
        return mark_safe("".join(out))  # noqa: S308 (rendered with every text escaped)

    def replies(self) -> SafeString:
        out = []
        for item in self.shared.replies:
            if item.__class__ is str:
                out.append(item)
            else:
                self._fill(item, out)
        return mark_safe("".join(out))  # noqa: S308 (rendered with every text escaped)


def thread_frame(
    request,
    thread,
    shared: SharedPage,
    context,
    *,
    viewer_parts,
    settled: bool,
    found: dict | None = None,
) -> Frame:
    """The thread page around ``shared`` as everyone with its rights (and the same place in
    the staff) sees it, rendered once from ``context()`` with marks for ``viewer_parts`` and
    the layout's parts; rebuilt when the thread, its posts, a board, a workspace or a name
    changes (``selectors.thread_scopes``). The template took about half of the page's time.
    ``settled``: the posts are in the frame as a viewer sees them who has read them all
    (``ViewerPage.settled``), with a mark for the CSRF token; else they are viewer parts."""

    def build():
        def page_context(mark):
            values = context()
            if settled:
                field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', mark("csrf_token"))
                posts = ViewerPage.settled(thread, shared, csrf_field=field)
                values.update(opening_html=posts.opening(), replies_html=posts.replies())
            return values

        return render_frame("forums/thread_detail.html", page_context, request, viewer_parts)

    user = request.user
    viewer = f"{'01'[user.is_staff]}{'01'[user.is_member]}{'01'[settled]}"
    key = f"thread-frame:{thread.pk}:{shared.key}:{viewer}"
    return shared_read(key, selectors.thread_scopes(thread.pk), build, kept=True, found=found)


def unread_link(thread, *, has_unread: bool) -> SafeString:
    if not has_unread:
        return SafeString("")
    return format_html(
        '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
        url_pattern("forums:thread_unread")(thread.pk),
        gettext("Go to the first unread post"),
    )


_watch_selects: dict[tuple, SafeString] = {}


def watch_select(level: str) -> SafeString:
    """The thread's watch level as a select with the viewer's level chosen: the same few
    renderings (per language and level) for every thread and viewer."""
    key = (translation.get_language(), level)
    html = _watch_selects.get(key)
    if html is None:
        html = _watch_selects[key] = SafeString(str(ThreadWatchForm(initial={"level": level})["level"]))
    return html


def thread_documents(documents) -> SafeString:
    """The documents a thread is about that the viewer may open."""
    if not documents:
        return SafeString("")
    links = format_html_join(", ", '<a href="{}">{}</a>', ((d.get_absolute_url(), d.title) for d in documents))
    return format_html('<p class="forum-thread-documents">{}\n  {}\n</p>', gettext("About the documents:"), links)


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
