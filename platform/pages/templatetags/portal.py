from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import template

from pages import bootstrap
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


@register.filter
def bootstrap_form(form):
    """``{{ form|crispy }}``, built in Python where ``pages.bootstrap`` knows every field."""
    rendered = bootstrap.render_form(form)
    if rendered is None:
        return as_crispy_form(form)
    return rendered


@register.filter
def bootstrap_field(field):
    """``{{ field|as_crispy_field }}``, built in Python where ``pages.bootstrap`` knows the field."""
    if bootstrap.has_helper(field.form) or not bootstrap.supported(field):
        return as_crispy_field(field)
    return bootstrap.render_field(field)
