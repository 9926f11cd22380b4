"""Search entries for the portal's objects. Registered in ``SearchConfig.ready``."""

from html import unescape

from django.urls import reverse
from django.utils.html import strip_tags

from pages.markdown import render_markdown
from search.registry import EntryData, register


def plain(markdown_text: str) -> str:
    """What a reader sees of a Markdown text, without its markup, for index and snippets."""
    return plain_from_html(render_markdown(markdown_text or ""))


def plain_from_html(html: str) -> str:
    return unescape(strip_tags(html or ""))


def build_member(user):
    if not (user.is_active and user.status == user.Status.ACTIVE):
        return None
    profile = getattr(user, "profile", None)
    meta_parts = []
    if profile is not None:
        meta_parts += [profile.organisation, profile.get_function_display() if profile.function else ""]
        if profile.kommune_id:
            meta_parts.append(profile.kommune.name)
        meta_parts += [topic.name for topic in profile.topics.all()]
    return EntryData(
        title=user.display_name,
        url=reverse("members:detail", args=[user.pk]),
        meta=" ".join(part for part in meta_parts if part),
        body=profile.bio if profile is not None else "",
        created_at=user.date_joined,
        kommunen=[profile.kommune] if profile is not None and profile.kommune_id else [],
        topics=list(profile.topics.all()) if profile is not None else [],
    )


def build_workspace(workspace):
    return EntryData(
        title=workspace.name,
        url=workspace.get_absolute_url(),
        meta=" ".join(
            [workspace.short_description, workspace.funding_note, *(k.name for k in workspace.kommunen.all())]
        ),
        body=plain(workspace.description),
        workspace=workspace,
        created_at=workspace.created_at,
        kommunen=list(workspace.kommunen.all()),
    )


def build_document(document):
    if document.deleted_at is not None:
        return None
    version = document.current_version
    meta = [
        document.get_kind_display(),
        *(t.name for t in document.topics.all()),
        *(k.name for k in document.kommunen.all()),
    ]
    if document.uploaded_by_id:
        meta.append(document.uploaded_by.display_name)
    if version is not None:
        meta.append(version.original_filename)
    return EntryData(
        title=document.title,
        url=document.get_absolute_url(),
        meta=" ".join(meta),
        body="\n".join(part for part in (document.description, version.text if version else "") if part),
        workspace=document.workspace,
        author=document.uploaded_by,
        created_at=document.created_at,
        kommunen=list(document.kommunen.all()),
        topics=list(document.topics.all()),
        document_kind=document.kind,
        year=document.year,
    )


def build_event(event):
    meta = [event.get_kind_display(), event.place]
    if event.organiser_id:
        meta.append(event.organiser.display_name)
    return EntryData(
        title=event.title,
        url=event.get_absolute_url(),
        meta=" ".join(part for part in meta if part),
        body=plain(event.description),
        workspace=event.workspace,
        author=event.organiser,
        created_at=event.starts_at,
        year=event.starts_at.year,
    )


def build_thread(thread):
    if thread.is_hidden or thread.first_post_id is None:
        return None
    opening = thread.first_post
    body = "" if opening.is_hidden or opening.is_deleted else plain_from_html(opening.body_html)
    return EntryData(
        title=thread.title,
        url=thread.get_absolute_url(),
        meta=" ".join([thread.board.name, *(t.name for t in thread.topics.all())]),
        body=body,
        workspace=thread.board.workspace,
        author=thread.author,
        created_at=thread.created_at,
        topics=list(thread.topics.all()),
    )


def build_post(post):
    thread = post.thread
    if post.depth == 0 or post.is_hidden or post.is_deleted or thread.is_hidden:
        return None
    return EntryData(
        title=thread.title,
        url=post.get_absolute_url(),
        meta=thread.board.name,
        body=plain_from_html(post.body_html),
        workspace=thread.board.workspace,
        author=post.author,
        created_at=post.created_at,
    )


def register_builders():
    from accounts.models import User
    from documents.models import Document
    from events.models import Event
    from forums.models import Post, Thread
    from workspaces.models import Workspace

    register(
        Thread,
        kind="thread",
        build=build_thread,
        queryset=lambda: (
            Thread.objects.filter(is_hidden=False)
            .select_related("board__workspace", "first_post", "author")
            .prefetch_related("topics")
        ),
    )
    register(
        Post,
        kind="post",
        build=build_post,
        queryset=lambda: Post.objects.filter(
            depth__gt=0, is_hidden=False, is_deleted=False, thread__is_hidden=False
        ).select_related("thread__board__workspace", "author"),
    )

    register(
        Event, kind="event", build=build_event, queryset=lambda: Event.objects.select_related("organiser", "workspace")
    )
    register(
        Document,
        kind="document",
        build=build_document,
        queryset=lambda: (
            Document.objects.filter(deleted_at__isnull=True)
            .select_related("current_version", "uploaded_by", "workspace")
            .prefetch_related("topics", "kommunen")
        ),
    )

    register(
        User,
        kind="member",
        build=build_member,
        queryset=lambda: User.objects.members().select_related("profile__kommune").prefetch_related("profile__topics"),
    )
    register(
        Workspace,
        kind="workspace",
        build=build_workspace,
        queryset=lambda: Workspace.objects.prefetch_related("kommunen"),
    )
