"""Activity entries made in Python (see ``forums.rendering``): the dashboard shows twenty,
the workspace home eight, and through a template partial each cost as much as the rest of
its section."""

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def activity_items(activities, *, show_workspace: bool = False) -> SafeString:
    """``<li>`` entries of ``activities`` (with ``label``, ``actor`` and ``workspace`` loaded).
    With ``show_workspace`` each names its workspace ("portal-wide" without one) unless the
    entry's own link already leads to the workspace."""
    someone = escape(gettext("Someone"))
    portal_wide = escape(gettext("portal-wide"))
    tz = timezone.get_current_timezone()
    workspace_urls: dict[int, str] = {}
    parts = []
    for item in activities:
        actor = item.actor
        name = escape(actor.display_name) if actor is not None and actor.display_name else someone
        target = ""
        if item.target_title:
            title = escape(item.target_title)
            target = f':\n  <a href="{escape(item.target_url)}">{title}</a>' if item.target_url else f":\n  {title}"
        created = item.created_at.astimezone(tz)
        place = ""
        if show_workspace:
            workspace = item.workspace
            if workspace is None:
                place = f" ·\n    {portal_wide}"
            else:
                url = workspace_urls.get(workspace.pk)
                if url is None:
                    url = workspace_urls[workspace.pk] = workspace.get_absolute_url()
                if item.target_url != url:
                    place = f' ·\n    <a href="{url}">{escape(workspace.name)}</a>'
        parts.append(
            '<li class="activity-item">\n'
            f'  <span class="fw-semibold">{name}</span>\n'
            f"  {escape(item.label)}{target}\n"
            '  <span class="d-block small text-body-secondary">\n'
            f'    <time datetime="{created.isoformat()}">{created:%d.%m.%Y %H:%M}</time>{place}\n'
            "  </span>\n</li>"
        )
    # Every text went through escape(); workspace links are reversed from slugs.
    return mark_safe("".join(parts))  # noqa: S308
