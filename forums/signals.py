"""Receivers that drop what the thread page shares between viewers (``forums.selectors``): the
thread's row with its opening post, and its pages of posts, when the thread, one of its posts,
its topics or its documents change; every thread's row when a board changes. The services
that change posts or threads with a queryset ``update()`` (helpful marks, moving posts between
threads) drop the thread themselves.

A member's own marks (how far they have read a thread, their watch level, whether they keep a
draft) are kept by the process per member (``forums.selectors._viewer_marks``) until one of
them changes; the services that move read marks with ``update()`` or ``bulk_create()`` drop
the member's marks themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from pages.shared_reads import changed, relation_receiver

BOARDS_SCOPE = "boards"  # every board's name and workspace


def thread_scope(thread_id) -> str:
    return f"thread:{thread_id}"


def marks_scope(user_id) -> str:
    return f"marks:{user_id}"


def _mark_changed(sender, instance, **kwargs):
    changed(marks_scope(instance.user_id))


def _post_changed(sender, instance, **kwargs):
    changed(thread_scope(instance.thread_id))


def _thread_changed(sender, instance, **kwargs):
    changed(thread_scope(instance.pk))


# A thread's topics or documents (the page names the topics and says whether the thread is
# about documents); a topic or document cleared from every thread drops every thread's row.
_thread_relation_changed = relation_receiver(thread_scope, BOARDS_SCOPE)


def _board_changed(sender, instance, **kwargs):
    changed(BOARDS_SCOPE)


def connect():
    from forums.models import Board, Draft, Post, Thread, ThreadRead, ThreadSubscription

    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_post_changed, sender=Post, dispatch_uid=f"shared-reads-post-{name}")
        signal.connect(_thread_changed, sender=Thread, dispatch_uid=f"shared-reads-thread-{name}")
        signal.connect(_board_changed, sender=Board, dispatch_uid=f"shared-reads-board-{name}")
        for model in (ThreadRead, ThreadSubscription, Draft):
            signal.connect(_mark_changed, sender=model, dispatch_uid=f"viewer-marks-{model.__name__}-{name}")
    for relation in (Thread.topics.through, Thread.documents.through):
        m2m_changed.connect(_thread_relation_changed, sender=relation, dispatch_uid=f"shared-reads-{relation.__name__}")
