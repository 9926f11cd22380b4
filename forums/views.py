from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forums import permissions as perms
from forums import rendering, selectors, services
from forums.forms import (
    BoardWatchForm,
    DecisionForm,
    EditPostForm,
    MergeForm,
    MoveForm,
    OptionalReasonForm,
    PostForm,
    ReasonForm,
    ReportForm,
    SplitForm,
    ThreadForm,
    ThreadWatchForm,
)
from forums.models import Post, Report, Thread, WatchLevel
from forums.ratelimit import RateLimitError
from forums.text import quote_of, render_post_body
from notifications.services import unread_count
from pages import frames, read_ahead

THREADS_PER_PAGE = 30
REPORTS_PER_PAGE = 30


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _rate_limited(request, error: RateLimitError, template: str, context: dict):
    context = {**context, "rate_limit_message": error.message}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


# --- Boards ---------------------------------------------------------------------------


def board_list(request):
    boards = selectors.boards_for_index(request.user)
    portal_boards = [board for board in boards if board.workspace is None]
    groups: dict = {}
    for board in boards:
        if board.workspace is not None:
            groups.setdefault(board.workspace, []).append(board)
    return render(
        request,
        "forums/board_list.html",
        {
            "portal_boards": portal_boards,
            "workspace_groups": list(groups.items()),
            "is_moderator": perms.is_moderator_anywhere(request.user),
        },
    )


def board_detail(request, pk):
    board = selectors.board_for_view(request.user, pk)
    page = Paginator(selectors.board_threads(request.user, board), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/board_detail.html",
        {
            "board": board,
            "page": page,
            "can_start_thread": perms.can_start_thread(request.user, board),
            "watch_form": BoardWatchForm(initial={"level": selectors.board_watch_level(request.user, board)}),
        },
    )


@require_POST
def board_mark_read(request, pk):
    board = selectors.board_for_view(request.user, pk)
    services.mark_board_read(user=request.user, board=board)
    messages.success(request, _("All threads in this board are marked as read."))
    return redirect(board)


@require_POST
def board_watch(request, pk):
    board = selectors.board_for_view(request.user, pk)
    form = BoardWatchForm(request.POST)
    if form.is_valid():
        services.set_board_watch(user=request.user, board=board, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting for this board has been saved."))
    else:
        messages.error(request, _("Please choose a notification level."))
    return redirect(board)


def thread_create(request, pk):
    board = selectors.board_for_view(request.user, pk)
    if not perms.can_start_thread(request.user, board):
        raise PermissionDenied
    mention_url = reverse("forums:board_mentions", args=[board.pk])
    form = ThreadForm(request.POST or None, mention_url=mention_url)
    context = {"board": board, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.create_thread(
                author=request.user,
                board=board,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                topics=form.cleaned_data["topics"],
            )
        except RateLimitError as error:
            return _rate_limited(request, error, "forums/thread_form.html", context)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread has been published."))
            return redirect(thread)
    return render(request, "forums/thread_form.html", context)


@require_GET
def board_mentions(request, pk):
    board = selectors.board_for_view(request.user, pk)
    return _mention_response(selectors.mention_candidates(request.user, board=board, query=request.GET.get("q", "")))


# --- Threads --------------------------------------------------------------------------


@read_ahead.with_scopes(selectors.thread_scopes)
def thread_detail(request, pk):
    """The thread page: its frame (everything but what differs between viewers) is rendered
    once for everyone with the same rights and filled in for each viewer (``pages.frames``);
    only a page with the viewer's draft in the reply form is rendered for them alone."""
    user = request.user
    found = read_ahead.found()  # the generations of the thread's scopes, the bell's count
    thread = selectors.thread_for_view(user, pk, viewer_marks=True, found=found)
    flat = request.GET.get("view") == "flat"
    after, before = _int(request.GET.get("after")), _int(request.GET.get("before"))
    rights = perms.thread_rights(user, thread)
    page = rendering.shared_page(thread, flat=flat, after=after, before=before, rights=rights, found=found)
    last_read = thread.viewer_last_read
    services.mark_thread_read(user=user, thread=thread, shown_post_ids=page.post_ids, last_read=last_read)
    helpful = selectors.helpful_post_ids(user, page.helpful_ids)
    settled = rendering.ViewerPage.is_settled_for(user.pk, page, last_read=last_read, helpful=helpful)
    parts = {
        "unread_link": rendering.unread_link(thread, has_unread=thread.last_post_id > last_read),
        "watch_select": rendering.watch_select(thread.viewer_watch_level or WatchLevel.NORMAL),
        "documents_html": rendering.thread_documents(
            selectors.documents_of_thread(user, thread) if thread.has_documents else []
        ),
    }
    draft = selectors.draft_for(user, thread) if rights.reply and thread.viewer_has_draft else None
    if not settled or draft is not None:
        posts = rendering.ViewerPage.for_viewer(
            request, thread, page, rights=rights, last_read=last_read, helpful=helpful
        )
        parts.update(opening_html=posts.opening(), replies_html=posts.replies())
    if draft is not None:
        context = _thread_context(thread, page, rights, flat=flat, after=after, before=before, draft=draft)
        return render(request, "forums/thread_detail.html", {**context, **parts})

    def context():
        return _thread_context(thread, page, rights, flat=flat, after=after, before=before, draft=None)

    frame = rendering.thread_frame(request, thread, page, context, viewer_parts=parts, settled=settled, found=found)
    values = frames.viewer_values(request, {**parts, "unread_notifications": unread_count(user, found)})
    return HttpResponse(frame.fill(values), content_type="text/html; charset=utf-8")


def _thread_context(thread, page, rights, *, flat, after, before, draft) -> dict:
    """What the thread page's template shows that is the same for every viewer with ``rights``
    (and, with ``draft``, the reply form holding it)."""
    form = None
    if rights.reply:
        initial = {"body": draft.body} if draft and draft.parent_id is None else {}
        form = PostForm(
            initial=initial,
            mention_url=reverse("forums:thread_mentions", args=[thread.pk]),
            draft_url=reverse("forums:draft", args=[thread.pk]),
        )
    base = reverse("forums:thread", args=[thread.pk])
    view_query = {"view": "flat"} if flat else {}
    return {
        "thread": thread,
        "board": thread.board,
        "flat": flat,
        "is_first_page": not after and not before,
        "next_url": f"{base}?{urlencode({**view_query, 'after': page.next_after})}" if page.next_after else "",
        "prev_url": (
            f"{base}?{urlencode({**view_query, 'before': page.prev_before})}"
            if page.prev_before
            else (f"{base}?{urlencode(view_query)}" if page.prev_first or (after and not flat) else "")
        ),
        "tree_url": base,
        "flat_url": f"{base}?view=flat",
        "form": form,
        "draft": draft,
        "draft_restored": bool(draft and draft.parent_id is None and draft.body),
        "can_reply": rights.reply,
        "is_moderator": rights.moderate,
        "can_mark_result": rights.mark_result,
        "watch_form": ThreadWatchForm(),
        "reason_form": ReasonForm(),
    }


def thread_first_unread(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    post = selectors.first_unread_post(request.user, thread)
    if post is None:
        return redirect(thread)
    return redirect("forums:post", pk=post.pk)


@require_GET
def thread_mentions(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    return _mention_response(selectors.mention_candidates(request.user, thread=thread, query=request.GET.get("q", "")))


def _mention_response(users):
    items = []
    for person in users:
        kommune = getattr(getattr(person, "profile", None), "kommune", None)
        items.append(
            {
                "id": person.pk,
                "name": person.display_name,
                "detail": str(kommune) if kommune else "",
                "insert": f"@[{person.display_name}](/members/{person.pk}/)",
            }
        )
    return JsonResponse({"results": items})


def thread_reply(request, pk):
    """The reply page: reply to a post (``?parent=``), optionally quoting it (``?quote=``)."""
    user = request.user
    thread = selectors.thread_for_view(user, pk)
    perms.check_reply(user, thread)
    parent_id = _int(request.POST.get("parent") if request.method == "POST" else request.GET.get("parent"))
    parent = None
    draft_restored = False
    if parent_id:
        parent = Post.objects.select_related("author").filter(pk=parent_id, thread=thread).first()
        if parent is None:
            raise Http404
        parent.thread = thread
    mention_url = reverse("forums:thread_mentions", args=[thread.pk])
    draft_url = reverse("forums:draft", args=[thread.pk])
    if request.method == "POST":
        form = PostForm(request.POST, mention_url=mention_url, draft_url=draft_url)
    else:
        draft = selectors.draft_for(user, thread)
        body = ""
        if draft and draft.parent_id == (parent.pk if parent else None):
            body = draft.body
            draft_restored = True
        quote_id = _int(request.GET.get("quote"))
        if quote_id:
            quoted = Post.objects.select_related("author").filter(pk=quote_id, thread=thread).first()
            if quoted is not None and perms.can_read_post_body(user, quoted):
                body = quote_of(quoted) + body
        form = PostForm(
            initial={"body": body, "parent": parent.pk if parent else None},
            mention_url=mention_url,
            draft_url=draft_url,
        )
    if parent is not None:
        rendering.decorate(
            thread,
            [parent],
            viewer_id=user.pk,
            rights=perms.thread_rights(user, thread),
            last_read=parent.pk,
            helpful=set(),
        )
    context = {
        "thread": thread,
        "board": thread.board,
        "parent": parent,
        "form": form,
        "draft_restored": draft_restored,
        "can_reply": True,
    }
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(author=user, thread=thread, parent=parent, body=form.cleaned_data["body"])
        except RateLimitError as error:
            return _rate_limited(request, error, "forums/reply_form.html", context)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your reply has been published."))
            return redirect("forums:post", pk=post.pk)
    return render(request, "forums/reply_form.html", context)


@require_POST
def draft_save(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    parent = None
    parent_id = _int(request.POST.get("parent"))
    if parent_id:
        parent = Post.objects.filter(pk=parent_id, thread=thread).first()
    draft = services.save_draft(user=request.user, thread=thread, body=request.POST.get("body", ""), parent=parent)
    if draft is None:
        return HttpResponse(_("No draft saved."))
    time = formats.time_format(timezone.localtime(draft.updated_at), "H:i")
    return HttpResponse(_("Draft saved at %(time)s.") % {"time": time})


@require_POST
def preview(request):
    body = request.POST.get("body", "")
    return render(request, "forums/partials/preview.html", {"html": render_post_body(body) if body.strip() else ""})


@require_POST
def thread_watch(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    form = ThreadWatchForm(request.POST)
    if form.is_valid():
        services.set_thread_watch(user=request.user, thread=thread, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting for this thread has been saved."))
    return redirect(thread)


@require_POST
def thread_result(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    post = None
    post_id = _int(request.POST.get("post"))
    if post_id:
        post = Post.objects.filter(pk=post_id, thread=thread).first()
        if post is None:
            raise Http404
    try:
        services.mark_result(user=request.user, thread=thread, post=post)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(thread)
    if post is None:
        messages.success(request, _("The result mark has been removed."))
        return redirect(thread)
    messages.success(request, _("The post is now shown as the result of this thread."))
    return redirect(f"{reverse('forums:thread', args=[thread.pk])}#result")


@require_POST
def thread_moderate(request, pk):
    """Pin, unpin, lock, unlock, hide and unhide a thread."""
    thread = selectors.thread_for_view(request.user, pk)
    perms.check_moderate_thread(request.user, thread)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    actions = {
        "pin": (lambda: services.pin_thread(moderator=request.user, thread=thread, pinned=True), _("Thread pinned.")),
        "unpin": (
            lambda: services.pin_thread(moderator=request.user, thread=thread, pinned=False),
            _("Thread unpinned."),
        ),
        "lock": (
            lambda: services.lock_thread(moderator=request.user, thread=thread, locked=True, reason=reason),
            _("Thread locked: only moderators can reply."),
        ),
        "unlock": (
            lambda: services.lock_thread(moderator=request.user, thread=thread, locked=False, reason=reason),
            _("Thread unlocked."),
        ),
        "hide": (
            lambda: services.hide_thread(moderator=request.user, thread=thread, reason=reason),
            _("Thread hidden: only moderators can see it."),
        ),
        "unhide": (
            lambda: services.unhide_thread(moderator=request.user, thread=thread, reason=reason),
            _("Thread visible again."),
        ),
    }
    if action not in actions:
        messages.error(request, _("Unknown action."))
        return redirect(thread)
    run, success = actions[action]
    try:
        run()
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, success)
    return redirect(thread)


def thread_move(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    perms.check_moderate_thread(request.user, thread)
    targets = [b.pk for b in selectors.visible_boards(request.user) if perms.can_moderate_board(request.user, b)]
    boards = selectors.visible_boards(request.user).filter(pk__in=targets).exclude(pk=thread.board_id)
    form = MoveForm(request.POST or None, boards=boards)
    merge_form = MergeForm()
    if request.method == "POST" and form.is_valid():
        services.move_thread(moderator=request.user, thread=thread, board=form.cleaned_data["board"])
        messages.success(request, _("The thread has been moved."))
        return redirect(thread)
    return render(
        request,
        "forums/thread_move.html",
        {"thread": thread, "board": thread.board, "form": form, "merge_form": merge_form},
    )


@require_POST
def thread_merge(request, pk):
    thread = selectors.thread_for_view(request.user, pk)
    perms.check_moderate_thread(request.user, thread)
    form = MergeForm(request.POST)
    target = None
    if form.is_valid():
        target = (
            Thread.objects.select_related("board__workspace", "first_post")
            .filter(pk=form.cleaned_data["target"])
            .first()
        )
    if (
        target is None
        or not perms.can_view_thread(request.user, target)
        or not perms.can_moderate_thread(request.user, target)
    ):
        messages.error(request, _("There is no thread with this number that you moderate."))
        return redirect("forums:thread_move", pk=thread.pk)
    try:
        services.merge_threads(moderator=request.user, source=thread, target=target)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("forums:thread_move", pk=thread.pk)
    messages.success(request, _("The threads have been merged."))
    return redirect(target)


# --- Posts ----------------------------------------------------------------------------


def post_permalink(request, pk):
    post = selectors.post_for_view(request.user, pk)
    query = selectors.page_cursor_for(post)
    url = reverse("forums:thread", args=[post.thread_id])
    if query:
        url += "?" + urlencode(query)
    return redirect(f"{url}#post-{post.pk}")


def post_edit(request, pk):
    post = selectors.post_for_view(request.user, pk)
    if not perms.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditPostForm(
        request.POST or None,
        initial={"body": post.body},
        mention_url=reverse("forums:thread_mentions", args=[post.thread_id]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(editor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("forums:post", pk=post.pk)
    return render(request, "forums/post_edit.html", {"post": post, "thread": post.thread, "form": form})


def post_history(request, pk):
    post = selectors.post_for_view(request.user, pk)
    if not perms.can_view_post_history(request.user, post):
        raise PermissionDenied
    edits = list(post.edits.select_related("editor"))
    return render(
        request,
        "forums/post_history.html",
        {
            "post": post,
            "thread": post.thread,
            "edits": [(edit, services.post_diff(edit)) for edit in edits],
        },
    )


def post_delete(request, pk):
    post = selectors.post_for_view(request.user, pk)
    if not perms.can_delete_post(request.user, post):
        raise PermissionDenied
    own_in_grace = perms.is_own_post(request.user, post) and (
        timezone.now() - post.created_at <= perms.delete_grace_period()
    )
    form = (OptionalReasonForm if own_in_grace else ReasonForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_post(user=request.user, post=post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The post has been deleted."))
            return redirect("forums:post", pk=post.pk)
    return render(
        request,
        "forums/post_confirm.html",
        {
            "post": post,
            "thread": post.thread,
            "form": form,
            "title": _("Delete post"),
            "button": _("Delete post"),
            "button_class": "btn-danger",
            "explanation": _("The post will be replaced by a note that it was deleted. Replies to it stay."),
        },
    )


def post_hide(request, pk):
    post = selectors.post_for_view(request.user, pk)
    perms.check_moderate_thread(request.user, post.thread)
    unhide = post.is_hidden
    form = (OptionalReasonForm if unhide else ReasonForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if unhide:
                services.unhide_post(moderator=request.user, post=post, reason=form.cleaned_data["reason"])
            else:
                services.hide_post(moderator=request.user, post=post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The post is visible again.") if unhide else _("The post has been hidden."))
            return redirect("forums:post", pk=post.pk)
    return render(
        request,
        "forums/post_confirm.html",
        {
            "post": post,
            "thread": post.thread,
            "form": form,
            "title": _("Show post again") if unhide else _("Hide post"),
            "button": _("Show post again") if unhide else _("Hide post"),
            "button_class": "btn-primary" if unhide else "btn-warning",
            "explanation": (
                ""
                if unhide
                else _(
                    "Members see a note instead of the text; the author and moderators still see it with the reason."
                )
            ),
        },
    )


def post_split(request, pk):
    post = selectors.post_for_view(request.user, pk)
    perms.check_moderate_thread(request.user, post.thread)
    form = SplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.split_thread(moderator=request.user, post=post, title=form.cleaned_data["title"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The replies have been moved into a new thread."))
            return redirect(new)
    return render(request, "forums/post_split.html", {"post": post, "thread": post.thread, "form": form})


@require_POST
def post_react(request, pk):
    post = selectors.post_for_view(request.user, pk)
    if not perms.can_react(request.user, post):
        raise PermissionDenied
    is_set = services.toggle_helpful(user=request.user, post=post)
    if request.headers.get("HX-Request"):
        post.ui_helpful = is_set
        post.ui_can_react = True
        return HttpResponse(rendering.PostRenderer(request, post.thread, can_reply=False).reaction(post))
    return redirect("forums:post", pk=post.pk)


def post_report(request, pk):
    post = selectors.post_for_view(request.user, pk)
    if not perms.can_report(request.user, post):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(
                reporter=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            form.add_error("details", error)
        else:
            messages.success(
                request, _("Thank you. The moderators will check the post and inform you of their decision.")
            )
            return redirect("forums:post", pk=post.pk)
    return render(request, "forums/report_form.html", {"post": post, "thread": post.thread, "form": form})


# --- Reports --------------------------------------------------------------------------


def report_queue(request):
    if not perms.is_moderator_anywhere(request.user):
        raise PermissionDenied
    state = request.GET.get("state", Report.State.OPEN)
    if state not in Report.State.values and state != "all":
        state = Report.State.OPEN
    qs = selectors.reports_for_queue(request.user, state=None if state == "all" else state)
    page = Paginator(qs, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.report_counts(request.user)
    tabs = [(value, label, counts.get(value, 0)) for value, label in Report.State.choices]
    return render(
        request,
        "forums/report_queue.html",
        {"page": page, "state": state, "tabs": tabs, "query": urlencode({"state": state})},
    )


def report_detail(request, pk):
    report = selectors.report_for_view(request.user, pk)
    can_handle = perms.can_handle_report(request.user, report)
    form = DecisionForm(request.POST or None) if can_handle else None
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decide_report(
                    moderator=request.user,
                    report=report,
                    state=form.cleaned_data["state"],
                    decision=form.cleaned_data["decision"],
                    hide=form.cleaned_data["hide"],
                )
            except ValidationError as error:
                form.add_error("decision", error)
            else:
                messages.success(request, _("Your decision has been recorded and the people involved informed."))
                return redirect("forums:reports")
    post = report.post
    post.thread = report.post.thread
    return render(
        request, "forums/report_detail.html", {"report": report, "post": post, "form": form, "can_handle": can_handle}
    )
