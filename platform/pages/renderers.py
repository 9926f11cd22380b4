"""The form renderer: Django's, with ``<select>`` lists, ``<input>`` and ``<textarea>`` built in Python.

Django renders every ``<option>`` and every attribute list through its own template includes;
on the filter forms of the search, documents and member pages (a few dozen options each) that
was most of the page's rendering time. The markup is the same as Django's templates in
``django/forms/widgets/`` produce (compared in ``tests/pages/test_renderers.py``); any other
widget template is rendered by Django.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Each of these is ``{% include "django/forms/widgets/input.html" %}`` and nothing else.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _attrs(attrs) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` drops the attribute, ``True`` leaves it bare."""
    return mark_safe(  # noqa: S308 (every part is built by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


def _option(option) -> str:
    # The hot spot of long lists: plain formatting; both values escaped as format_html would.
    attrs = option["attrs"]
    value, label = conditional_escape(str(option["value"])), conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(attrs) if attrs else ""}>{label}</option>'


def render_select(widget) -> str:
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        # The option template ends with a newline, which the include keeps.
        parts.extend("\n  " + _option(option) + "\n" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is built by format_html)


def render_input(widget) -> str:
    value = format_html(' value="{}"', str(widget["value"])) if widget["value"] is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs(widget["attrs"])
    )


def render_textarea(widget) -> str:
    # The template's line break after the opening tag is kept (browsers drop it).
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs(widget["attrs"]), widget["value"] or ""
    )


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget:
            if template_name in INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return render_textarea(widget)
            if template_name in SELECT_TEMPLATES and all(
                o["template_name"] == OPTION_TEMPLATE for _n, group, _i in widget["optgroups"] for o in group
            ):
                return render_select(widget)
        return super().render(template_name, context, request=request)
