"""The activity feed's one write path. Services call ``record_activity`` inside their transaction.

Verbs are short machine names ("member_joined", "document_uploaded", "thread_created",
"reply_posted", …). Their first word decides the dashboard's "new since your last visit"
category (see ``CATEGORY_PREFIXES``); apps register a human label with ``register_verb`` in
their ``AppConfig.ready()`` so the feed can say what happened.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import pgettext_lazy

from pages.shared_reads import changed
from workspaces.models import Activity
from workspaces.signals import ACTIVITIES_SCOPE, workspace_scope

# Dashboard categories, keyed by the verb's prefix.
CATEGORY_PREFIXES = {
    "documents": ("document",),
    "discussions": ("thread", "reply", "post"),
    "members": ("member",),
    "announcements": ("announcement",),
}

_verb_labels: dict[str, object] = {}


def register_verb(verb: str, label) -> None:
    """Give ``verb`` a (lazily translated) label for the feed, e.g. ``_("uploaded a document")``."""
    _verb_labels[verb] = label


def verb_label(verb: str):
    return _verb_labels.get(verb, pgettext_lazy("activity", "changed"))


def verb_category(verb: str) -> str | None:
    """The dashboard category of ``verb`` (by its prefix), or None."""
    for category, prefixes in CATEGORY_PREFIXES.items():
        if verb.startswith(prefixes):
            return category
    return None


def record_activity(*, actor, verb: str, target=None, workspace=None, title: str = "", url: str = "") -> Activity:
    """Record that ``actor`` did ``verb`` (e.g. "document_uploaded", "thread_created") to ``target``.

    ``title`` and ``url`` default to ``str(target)`` and ``target.get_absolute_url()``.
    ``workspace`` None means portal-wide; the feed shows the row to whoever may see that scope.
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
    activities = Activity.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    workspace_ids = set(activities.values_list("workspace_id", flat=True))
    if workspace_ids:
        activities.delete()
        changed(ACTIVITIES_SCOPE, *(workspace_scope(pk) for pk in workspace_ids if pk is not None))
