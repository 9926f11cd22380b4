from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.utils import translation

from pages import bootstrap, frames, html
from pages.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


NAV_SECTIONS = ("/workspaces/", "/documents/", "/forums/", "/dates/", "/members/")


@register.filter
def nav_section(path):
    """The main navigation's section ``path`` belongs to: "/" (the dashboard), one of
    ``NAV_SECTIONS``, or "" for pages outside them."""
    if path == "/":
        return "/"
    return next((prefix for prefix in NAV_SECTIONS if path.startswith(prefix)), "")


# Rendered {% memo %} blocks of this process, by name, language and the block's keys.
_memo: dict[tuple, str] = {}
MEMO_LIMIT = 1000


class MemoNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist, self.name, self.keys = nodelist, name, keys

    def render(self, context):
        key = (self.name, translation.get_language(), *(k.resolve(context) for k in self.keys))
        html = _memo.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_memo) < MEMO_LIMIT:
                _memo[key] = html
        return html


@register.tag
def memo(parser, token):
    """``{% memo "name" key … %}…{% endmemo %}``: the block rendered once per process for each
    language and combination of keys, then reused. Only for markup that depends on nothing
    but the keys (the navigation's links and labels): never user data, never a CSRF token.
    The layout's navigation, user menu and footer cost about 2 ms per page before."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a name.")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag(takes_context=True)
def viewer_part(context, name):
    """``{% viewer_part "user_name" %}``: a part of the layout that differs between viewers
    (``pages.frames.LAYOUT_PARTS``), or its mark while a shared frame of the page is rendered."""
    return frames.layout_part(context, name)


@register.filter
def bootstrap_form(form):
    """``{{ form|crispy }}``, built in Python where ``pages.bootstrap`` knows every field."""
    return bootstrap.render_any_form(form)


@register.filter
def bootstrap_field(field):
    """``{{ field|as_crispy_field }}``, built in Python where ``pages.bootstrap`` knows the field."""
    if bootstrap.has_helper(field.form) or not bootstrap.supported(field):
        return as_crispy_field(field)
    return bootstrap.render_field(field)


@register.filter
def choice_label(obj, field_name):
    """``{{ document|choice_label:"kind" }}``: ``get_kind_display`` without rebuilding the
    choices for every row of a list (pages.html.choice_label)."""
    return html.choice_label(obj, field_name)
