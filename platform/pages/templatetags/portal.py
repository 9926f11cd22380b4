from django import template

from pages.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter
def in_section(path, prefix):
    """True when ``path`` belongs to the navigation section starting at ``prefix``."""
    if prefix == "/":
        return path == "/"
    return path.startswith(prefix)
