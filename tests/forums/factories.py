"""Factories for the forums tests: workspaces, memberships, boards, threads, posts.

Threads and posts built here bypass the services (no rate limit, no notifications), for
setting up data; tests that check behaviour call the services.
"""

import factory

from forums.models import Board, Post, Thread
from forums.signals import thread_scope
from forums.text import render_post_body
from pages.shared_reads import changed
from tests.factories import MemberFactory
from workspaces.models import Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Arbeitsbereich {n}")
    slug = factory.Sequence(lambda n: f"arbeitsbereich-{n}")
    visibility = Workspace.Visibility.MEMBERS_ONLY
    join_policy = Workspace.JoinPolicy.REQUEST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(MemberFactory)
    role = Membership.Role.MEMBER


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    workspace = None


def make_thread(*, board, author, title="Wie erheben Sie Sozialraumdaten?", body="Erster Beitrag") -> Thread:
    thread = Thread.objects.create(board=board, title=title, author=author)
    post = Post.objects.create(
        thread=thread, author=author, body=body, body_html=render_post_body(body), depth=0, number=1
    )
    Thread.objects.filter(pk=thread.pk).update(
        first_post=post, post_count=1, last_post_id=post.pk, last_post_at=post.created_at
    )
    thread.refresh_from_db()
    return thread


def make_replies(thread, author, count, *, parent=None, body="Antwort") -> list[Post]:
    """``count`` replies under ``parent`` (default: the thread), inserted in bulk."""
    parent = parent or thread.first_post
    depth = parent.depth + 1
    root_id = None if depth == 1 else (parent.pk if parent.depth == 1 else parent.root_id)
    start = thread.post_count
    posts = Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                parent=parent,
                depth=depth,
                root_id=root_id,
                number=start + i + 1,
                author=author,
                body=f"{body} {i}",
                body_html=f"<p>{body} {i}</p>",
            )
            for i in range(count)
        ]
    )
    last_id = Post.objects.filter(thread=thread).order_by("-id").values_list("id", flat=True).first()
    Thread.objects.filter(pk=thread.pk).update(post_count=start + count, last_post_id=last_id)
    changed(thread_scope(thread.pk))  # bulk_create bypasses the receivers
    thread.refresh_from_db()
    return posts
