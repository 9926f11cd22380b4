"""The activity feed's one write path. Services call ``record_activity`` inside their transaction."""

from django.contrib.contenttypes.models import ContentType

from workspaces.models import Activity


def record_activity(*, actor, verb: str, target=None, workspace=None, title: str = "", url: str = "") -> Activity:
    """Record that ``actor`` did ``verb`` (e.g. "document_uploaded", "thread_created") to ``target``.

    ``title`` and ``url`` default to ``str(target)`` and ``target.get_absolute_url()``.
    """
    return Activity.objects.create(
        actor=actor,
        verb=verb,
        workspace=workspace,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_title=(title or (str(target) if target is not None else ""))[:300],
        target_url=(url or (target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""))[:500],
    )


def forget_activity(target) -> None:
    """Remove a target's activities when it is deleted or hidden, so the feed never points at it."""
    Activity.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk).delete()
