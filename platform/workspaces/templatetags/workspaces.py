import re

from django import template
from django.utils.safestring import mark_safe

from pages.markdown import render_markdown

register = template.Library()

_HEADING = re.compile(r"<(/?)h([2-6])>")


@register.filter
def section_markdown(text, levels=1):
    """Markdown shown below a section heading: user headings (h2 and lower) move down by
    ``levels`` (at most to h6) so the page outline stays intact. The sanitiser leaves
    headings without attributes, so the tags can be rewritten safely."""
    html = str(render_markdown(text))
    shift = int(levels)
    # Input is the sanitiser's output; only fixed heading tags are rewritten.
    return mark_safe(_HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", html))  # noqa: S308


@register.simple_tag
def activity_items(activities, show_workspace=False):
    """``{% activity_items feed show_workspace=True %}``: the entries of an activity list."""
    from workspaces.rendering import activity_items as render

    return render(activities, show_workspace=show_workspace)


@register.simple_tag
def kommunen_map(tiles):
    """``{% kommunen_map home.tiles %}``: the schematic map of participating Kommunen."""
    from workspaces.rendering import kommunen_map as render

    return render(tiles)


@register.simple_tag
def member_preview(memberships):
    """``{% member_preview home.members %}``: the workspace home's short member list."""
    from workspaces.rendering import member_preview as render

    return render(memberships)
