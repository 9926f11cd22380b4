"""Activity entries made in Python (see ``forums.rendering``): the dashboard shows twenty,
the workspace home eight, and through a template partial each cost as much as the rest of
its section."""

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pages.bootstrap import render_any_form, render_shared_blank_form, render_shared_form
from pages.html import escape, url_pattern
from workspaces.permissions import audience
from workspaces.signals import PEOPLE_SCOPE, WORKSPACES_SCOPE


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


def kommunen_map(tiles) -> SafeString:
    """The schematic map of Thuringia's Kreise and kreisfreie Städte, participants marked.
    Hidden from screen readers: the list of participants beside it carries the same facts."""
    cells = "".join(
        f'\n  <div class="kommunen-tile ws-row-{tile.row} ws-col-{tile.column} ws-span-{tile.span}'
        f'{" is-participating" if tile.participating else ""}" title="{escape(tile.kommune.name)}">{escape(tile.code)}</div>'
        for tile in tiles
    )
    legend = escape(gettext("participating"))
    return mark_safe(  # noqa: S308 (names and codes escaped; row, column and span are numbers)
        f'<div class="kommunen-map" aria-hidden="true">{cells}\n</div>\n'
        f'<p class="small text-body-secondary mb-2" aria-hidden="true"><span class="kommunen-legend"></span> {legend}</p>'
    )


def member_preview(memberships) -> SafeString:
    """``<li>`` entries of the workspace home's member list: name (linked), role, Kommune."""
    member_url = url_pattern("members:detail")
    moderator = escape(gettext("Moderator"))
    parts = []
    for membership in memberships:
        user = membership.user
        badge = f'\n  <span class="badge text-bg-secondary">{moderator}</span>' if membership.is_moderator else ""
        kommune = getattr(getattr(user, "profile", None), "kommune", None)
        place = f'\n  <span class="d-block small text-body-secondary">{escape(kommune.name)}</span>' if kommune else ""
        parts.append(
            f'<li class="mb-1"><a href="{member_url(user.pk)}">{escape(user.display_name)}</a>{badge}{place}\n</li>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 (every text escaped)


_FORM_SCOPES = (PEOPLE_SCOPE, WORKSPACES_SCOPE)


def shared_filter_form(form, user=None, render=render_any_form) -> SafeString:
    """A list page's filter form (as ``render`` makes it), rendered once for every member who
    may pick from the same workspaces (those ``user`` may read; None for a form that offers no
    workspaces), Kommunen and topics and sent the same filters."""
    return render_shared_form(form, variant=_variant(user), scopes=_FORM_SCOPES, render=render)


def shared_blank_filter_form(filterset_class, make_filterset, user=None, render=render_any_form) -> SafeString:
    """``shared_filter_form`` of a list page whose filters were not sent: ``make_filterset``
    makes the FilterSet (unbound) only where its form has not been rendered before."""
    name = f"{filterset_class.__module__}.{filterset_class.__qualname__}"
    return render_shared_blank_form(
        lambda: make_filterset().form, name=name, variant=_variant(user), scopes=_FORM_SCOPES, render=render
    )


def _variant(user) -> str:
    return "all" if user is None else audience(user)
