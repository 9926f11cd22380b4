"""The form renderer: Django's, with ``<select>`` lists built in Python.

Django renders every ``<option>`` through its own template include; on the filter forms of the
search, documents and member pages (a few dozen options each) that was most of the page's
rendering time. The markup is the same as ``django/forms/widgets/select.html`` produces.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


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
    return format_html(
        '<option value="{}"{}>{}</option>', str(option["value"]), _attrs(option["attrs"]), option["label"]
    )


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


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name in SELECT_TEMPLATES else None
        if widget and all(
            o["template_name"] == OPTION_TEMPLATE for _n, group, _i in widget["optgroups"] for o in group
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
