"""``{% url %}`` with the reversal of a view without arguments kept per process.

A builtin of the portal's template engine (``TEMPLATES`` in settings), so every template's
``{% url 'name' %}`` goes through it. A layout has about fifteen such links; ``reverse()``
matched the view's pattern again for each on every page. A URL with arguments is reversed as
before.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape

register = template.Library()

# {(view name, current app, script prefix, URLconf, language): URL}: one per view linked
# without arguments, per prefix and language.
_reversed: dict[tuple, str] = {}


class CachedURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (view_name, current_app, get_script_prefix(), get_urlconf(), translation.get_language())
        url = _reversed.get(key)
        if url is None:
            try:
                url = _reversed[key] = reverse(view_name, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""  # as Django's: "{% url … as name %}" of no view leaves the name empty
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (same syntax, same errors), see the module's docstring."""
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
