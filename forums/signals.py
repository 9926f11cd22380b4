"""Receivers that drop a thread's shared page of posts (``forums.selectors.tree_page``) when
one of its posts is saved or deleted. The services that change posts with a queryset
``update()`` (helpful marks, moving posts between threads) drop it themselves."""

from django.db.models.signals import post_delete, post_save

from pages.shared_reads import changed


def thread_scope(thread_id) -> str:
    return f"thread:{thread_id}"


def _post_changed(sender, instance, **kwargs):
    changed(thread_scope(instance.thread_id))


def connect():
    from forums.models import Post

    post_save.connect(_post_changed, sender=Post, dispatch_uid="shared-reads-post-saved")
    post_delete.connect(_post_changed, sender=Post, dispatch_uid="shared-reads-post-deleted")
