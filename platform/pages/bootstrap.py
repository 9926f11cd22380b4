"""Form fields in Bootstrap 5 markup, as crispy-forms' ``bootstrap5`` pack renders them with
``{{ form|crispy }}`` and ``{{ field|as_crispy_field }}``, built in Python.

The pack's ``field.html`` is a template of several dozen conditions and includes per field;
on the filter forms of the documents, search and member pages it was a quarter of the page's
rendering time. Fields this module does not know (check boxes, radio and check box lists, file
inputs, multi-widgets, fieldsets) are rendered by crispy-forms' own field template, forms with a
crispy ``helper`` or errors of the whole form wholly by crispy-forms, so the markup is always
the pack's (compared in ``tests/pages/test_bootstrap.py``).
"""

import hashlib

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pages.shared_reads import shared_read

OWN_MARKUP = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)


def supported(field) -> bool:
    widget = field.field.widget
    return field.is_hidden or not (isinstance(widget, OWN_MARKUP) or hasattr(widget, "widget") or field.use_fieldset)


def _add_classes(widget, classes: str) -> None:
    """What the pack's ``{% crispy_field field 'class' … %}`` does: the widget's class name in
    lower case plus ``classes``, added to the widget's own classes (the widget keeps them, as
    with crispy-forms)."""
    class_name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for name in classes.split():
        if name not in css.split():
            css += f" {name}"
    widget.attrs["class"] = css


def render_field(field) -> SafeString:
    """One field (``supported(field)`` must hold) with its label, help text and errors."""
    if field.is_hidden:
        return SafeString(str(field))
    widget = field.field.widget
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, f"{base} is-invalid" if field.errors else base)
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = ""
    if field.help_text:
        # The pack marks help texts safe: they are the forms' own strings.
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
            mark_safe(field.help_text),  # noqa: S308
        )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        mark_safe(str(field)),  # noqa: S308 (rendered by the widget)
        errors,
        help_text,
    )


def has_helper(form) -> bool:
    return getattr(form, "helper", None) is not None


def render_form(form) -> SafeString | None:
    """Every field of ``form`` in order, or None when crispy-forms must render the whole form."""
    if has_helper(form) or form.non_field_errors():
        return None
    return mark_safe(  # noqa: S308 (each part is built by format_html or by crispy-forms)
        "".join(render_field(field) if supported(field) else as_crispy_field(field) for field in form)
    )


def render_any_form(form) -> SafeString:
    """``render_form``, or crispy-forms' rendering where it must render the whole form."""
    rendered = render_form(form)
    return as_crispy_form(form) if rendered is None else rendered


def render_shared_form(form, *, variant: str, scopes, render=render_any_form) -> SafeString:
    """The markup of a valid (or unbound) form as ``render`` makes it, shared by everyone who
    sent the same data and has the same choices (``variant``, e.g. the workspaces one may pick);
    ``scopes`` are where its choices come from (``pages.shared_reads``). A form with errors is
    rendered each time."""
    if form.is_bound and not form.is_valid():
        return render(form)
    names = tuple(form.fields)
    prefixes = tuple(f"{name}_" for name in names)  # widgets of several inputs (name_0, name_1)
    getlist = getattr(form.data, "getlist", lambda key: [form.data[key]])
    data = sorted(
        (key, getlist(key)) for key in (form.data if form.is_bound else ()) if key in names or key.startswith(prefixes)
    )
    form_class = type(form)
    name = (form_class.__module__, form_class.__qualname__, form.prefix)
    return _shared_rendering(name, data, variant, scopes, render, lambda: form)


def render_shared_blank_form(make_form, *, name: str, variant: str, scopes, render=render_any_form) -> SafeString:
    """``render_shared_form`` of a form in which nothing was chosen yet: ``make_form`` makes it
    only when it has not been rendered already (``name`` tells it from other forms). Making a
    list page's FilterSet (its filters deep-copied, a form class of its own) took a fifth of
    the search page's time."""
    return _shared_rendering(name, [], variant, scopes, render, make_form)


def _shared_rendering(name, data: list, variant: str, scopes, render, make_form) -> SafeString:
    layout = f"{render.__module__}.{render.__qualname__}"
    identity = repr((name, layout, get_language(), variant, data))
    key = hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()
    return mark_safe(shared_read(f"form:{key}", scopes, lambda: str(render(make_form())), kept=True))  # noqa: S308
