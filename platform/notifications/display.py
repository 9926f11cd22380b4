"""Turning stored notifications into text, applying the access policy at display time.

A notification about something the recipient can no longer see (or whose target is gone,
or whose model is not registered) shows only a generic text: no title, no actor, no link.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from notifications import registry
from notifications.models import Notification
from pages.html import escape, url_pattern
from pages.sql import Statement


@dataclass
class Item:
    notification: Notification
    visible: bool
    text: str
    title: str = ""
    data_url: str = ""  # the link stored with a notification that has no target
    target: object = None

    @property
    def id(self):
        return self.notification.pk

    @cached_property
    def target_url(self) -> str:
        """Where the notification leads (only the "open" endpoint needs it, so made on demand)."""
        if not self.visible:
            return ""
        if self.target is not None:
            return str(registry.target_type_for(self.target).url(self.target))
        return self.data_url

    # The feed's and the emails' link (the list's entries use ItemRenderer's URL patterns).
    @cached_property
    def open_url(self) -> str:
        return reverse("notifications:open", args=[self.notification.pk]) if self.visible else ""

    @cached_property
    def can_mute(self) -> bool:
        if not self.visible or self.target is None:
            return False
        return registry.target_type_for(self.target).thread_of(self.target) is not None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None

    @property
    def kind_label(self) -> str:
        return registry.kind_texts(self.notification.kind).label

    @property
    def workspace_name(self) -> str:
        workspace = self.notification.workspace
        return workspace.name if workspace is not None and self.visible else ""


_target_statements: dict[type, tuple[registry.TargetType, Statement]] = {}


def _targets_statement(model, target_type) -> Statement:
    """The registered model's rows by id, as its target type reads them (``queryset``), from a
    statement compiled once per connection and number of ids."""
    known = _target_statements.get(model)
    if known is not None and known[0] is target_type:
        return known[1]

    def build(ids):
        queryset = model._base_manager.filter(pk__in=ids)
        return queryset if target_type.queryset is None else target_type.queryset(queryset)

    statement = Statement(build, values=(), lists=("ids",))
    _target_statements[model] = (target_type, statement)
    return statement


def load_targets(notifications) -> dict[tuple[int, int], object]:
    """``{(content_type_id, object_id): object}`` with one query per registered model."""
    wanted: dict[int, set[int]] = {}
    for notification in notifications:
        if notification.target_type_id and notification.target_id:
            wanted.setdefault(notification.target_type_id, set()).add(notification.target_id)
    found = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        target_type = registry.target_type_for_model(model)
        if target_type is None:
            continue
        for obj in _targets_statement(model, target_type).list(ids=sorted(ids)):
            found[(content_type_id, obj.pk)] = obj
    return found


def _policy_target(user, notification, targets):
    """The target if it exists, is registered and the user may see it now; else None.
    A notification without target is governed by its workspace (if any)."""
    if not notification.target_type_id:
        return None
    obj = targets.get((notification.target_type_id, notification.target_id))
    target_type = registry.target_type_for(obj)
    if obj is None or target_type is None or not target_type.can_view(user, obj):
        return None
    return obj


def _visible_without_target(user, notification) -> bool:
    from workspaces.permissions import can_view_scoped

    return can_view_scoped(user, notification.workspace)


def visible_target(user, notification):
    return _policy_target(user, notification, load_targets([notification]))


def _text(notification, title: str, texts: registry.KindTexts) -> str:
    actor = notification.actor
    values = {
        "actor": (actor.display_name or _("A member")) if actor is not None else _("Someone"),
        "title": title,
        "count": notification.count,
    }
    if notification.count > 1 and texts.text_many:
        return texts.text_many % values
    if texts.text:
        return texts.text % values
    if notification.count > 1:
        return _("%(label)s (%(count)s): “%(title)s”") % {**values, "label": texts.label}
    return _("%(label)s: “%(title)s”") % {**values, "label": texts.label}


def render(user, notifications) -> list[Item]:
    """Render ``notifications`` of ``user`` (actor and workspace should be select_related)."""
    notifications = list(notifications)
    targets = load_targets(notifications)
    items = []
    for notification in notifications:
        texts = registry.kind_texts(notification.kind)
        label = texts.label
        if notification.target_type_id:
            target = _policy_target(user, notification, targets)
            if target is None:
                items.append(Item(notification, visible=False, text=_generic_text(label)))
                continue
            target_type = registry.target_type_for(target)
            title = str(target_type.title(target))
            items.append(
                Item(
                    notification,
                    visible=True,
                    text=_text(notification, title, texts),
                    title=title,
                    target=target,
                )
            )
        elif _visible_without_target(user, notification):
            title = str(notification.data.get("title", "")) if isinstance(notification.data, dict) else ""
            url = str(notification.data.get("url", "")) if isinstance(notification.data, dict) else ""
            items.append(
                Item(notification, visible=True, text=_text(notification, title, texts), title=title, data_url=url)
            )
        else:
            items.append(Item(notification, visible=False, text=_generic_text(label)))
    return items


def _generic_text(label: str) -> str:
    return _("%(label)s – the content is not available to you.") % {"label": label}


class ItemRenderer:
    """The list entries' markup, made in Python (like ``forums.rendering``): through a template
    partial 25 entries took 8 ms, each with two CSRF fields, two date filters and some thirty
    lookups. Labels and the CSRF field are made once per page; every value is escaped."""

    def __init__(self, request, *, next_url: str):
        self.csrf_field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        self.next_field = format_html('<input type="hidden" name="next" value="{}">', next_url)
        self.new = escape(_("new"))
        self.mark_read = escape(_("Mark as read"))
        self.mute = escape(_("Mute"))
        self.timezone = timezone.get_current_timezone()
        # Reversed once per page, not three times per entry.
        self.open_url = url_pattern("notifications:open")
        self.mark_read_url = url_pattern("notifications:mark_read")
        self.mute_url = url_pattern("notifications:mute")

    def render(self, item: Item) -> SafeString:
        pk, text = item.id, escape(item.text)
        unread = item.unread
        if item.visible:
            link = f'<a href="{self.open_url(pk)}" class="notification-link">{text}</a>'
        else:
            link = f'<span class="notification-link text-body-secondary">{text}</span>'
        updated = item.notification.updated_at.astimezone(self.timezone)
        meta = escape(item.kind_label)
        if item.workspace_name:
            meta += f" · {escape(item.workspace_name)}"
        actions = []
        if unread:
            url = self.mark_read_url(pk)
            actions.append(
                f'<form method="post" action="{url}" hx-post="{url}" hx-target="#notification-{pk}" hx-swap="outerHTML">'
                f"{self.csrf_field}{self.next_field}"
                f'<button type="submit" class="btn btn-sm btn-outline-secondary">{self.mark_read}'
                f'<span class="visually-hidden">: {text}</span></button></form>'
            )
        if item.can_mute:
            actions.append(
                f'<form method="post" action="{self.mute_url(pk)}">{self.csrf_field}{self.next_field}'
                f'<button type="submit" class="btn btn-sm btn-outline-secondary">{self.mute}'
                f'<span class="visually-hidden">: {text}</span></button></form>'
            )
        badge = f'<span class="badge text-bg-primary me-1">{self.new}</span>' if unread else ""
        # Every text above went through escape(); URLs are reversed from ids.
        return mark_safe(  # noqa: S308
            f'<li class="notification-entry list-group-item{" is-unread" if unread else ""}" id="notification-{pk}">\n'
            '  <div class="d-flex flex-wrap gap-2 align-items-start justify-content-between">\n'
            f'    <div class="notification-body">\n      {badge}{link}\n'
            '      <div class="small text-body-secondary">\n'
            f'        <time datetime="{updated.isoformat()}">{updated:%d.%m.%Y, %H:%M}</time> · {meta}\n'
            "      </div>\n    </div>\n"
            f'    <div class="d-flex gap-2 notification-actions">{"".join(actions)}</div>\n'
            "  </div>\n</li>"
        )

    def render_all(self, items) -> SafeString:
        return mark_safe("\n".join(self.render(item) for item in items))  # noqa: S308 (each entry escapes)
