"""Two of Django's tags with the same syntax, made cheaper for a page: a builtin of the
portal's template engine (``TEMPLATES`` in settings), so every template uses them.

- ``{% url %}``: the reversal of a view without arguments is kept per process, prefix and
  language. A layout has about fifteen such links; ``reverse()`` matched the view's pattern
  again for each on every page. A URL with arguments is reversed as before.
- ``{% extends %}``: the blocks of the parent template are looked up once per compiled
  template. Django walked the layout's whole node tree for them on every page (0.3–0.7 ms of
  the layout's 2.2 ms in-process).
- ``{% translate %}`` (of Django's ``i18n`` library, which ``{% load i18n %}`` loads over the
  builtins, so ``install_translate`` puts it there): a constant text (no variable, no filter,
  a constant message context) is rendered once per node, language and escaping, not looked up
  in the catalogues on every page. A page has ten to thirty of them; each cost about 20 µs
  in-process (the thread page's template 3.9 -> 3.0 ms).
"""

from django import template
from django.template.base import TextNode
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode, do_extends
from django.templatetags import i18n
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


def _blocks_of(compiled_parent) -> dict:
    """``{name: BlockNode}`` of a compiled template, kept on it (templates are compiled once
    by the cached loader; a template compiled again gets its own)."""
    blocks = compiled_parent.__dict__.get("_portal_blocks")
    if blocks is None:
        nodes = compiled_parent.nodelist.get_nodes_by_type(BlockNode)
        blocks = compiled_parent._portal_blocks = {node.name: node for node in nodes}
    return blocks


class CachedBlocksExtendsNode(ExtendsNode):
    def render(self, context):
        # Django's ExtendsNode.render (5.2), but for the blocks of the parent.
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        for node in compiled_parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    block_context.add_blocks(_blocks_of(compiled_parent))
                break
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag
def extends(parser, token):
    """Django's ``{% extends %}`` (same syntax, same errors), see the module's docstring."""
    node = do_extends(parser, token)
    return CachedBlocksExtendsNode(node.nodelist, node.parent_name, node.template_dirs)


class ConstantTranslateNode(i18n.TranslateNode):
    def __init__(self, node: i18n.TranslateNode):
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        self._rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (translation.get_language(), context.autoescape)
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = self._rendered[key] = super().render(context)
        return rendered


def _constant(node: i18n.TranslateNode) -> bool:
    expression, message_context = node.filter_expression, node.message_context
    return (
        node.asvar is None
        and not expression.filters
        and getattr(expression.var, "literal", None) is not None
        and (message_context is None or (not message_context.is_var and not message_context.filters))
    )


def translate(parser, token):
    """Django's ``{% translate %}`` (same syntax, same output), see the module's docstring."""
    node = i18n.do_translate(parser, token)
    return ConstantTranslateNode(node) if _constant(node) else node


def install_translate() -> None:
    """Make ``translate`` (and its old name ``trans``) the tag of Django's ``i18n`` library,
    for every template compiled from now on (``PagesConfig.ready``). Giving the library's name
    to a library of the portal's own instead is what Django's checks warn about
    (templates.W003)."""
    i18n.register.tag("translate", translate)
    i18n.register.tag("trans", translate)
