"""The Python-built <select> is the markup Django's templates build, escaping included."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from pages.renderers import PortalFormRenderer

CHOICES = [
    ("", "Alle"),
    ("jena", "Stadt Jena"),
    ("Landkreise", [("sok", 'Saale-Orla-Kreis <script>alert("x")</script>'), ("ik", "Ilm-Kreis & Co")]),
    (7, "Nummer\u00a07"),
]


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "aria-describedby": 'h"x'}), "ik"),
        (forms.Select(choices=CHOICES, attrs={"required": True, "disabled": False}), ""),
        (forms.SelectMultiple(choices=CHOICES), ["jena", "7"]),
        (forms.NullBooleanSelect(), None),
    ],
)
def test_select_markup_equals_djangos(widget, value):
    expected = widget.render("kommune", value, attrs={"id": "id_kommune"}, renderer=DjangoTemplates())
    assert widget.render("kommune", value, attrs={"id": "id_kommune"}, renderer=PortalFormRenderer()) == expected
    assert "<script>" not in expected


def test_other_widgets_use_the_templates():
    widget = forms.RadioSelect(choices=[("a", "A")])
    assert widget.render("r", "a", renderer=PortalFormRenderer()) == widget.render("r", "a", renderer=DjangoTemplates())


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(attrs={"class": "form-control", "placeholder": 'Name "x" <y>'}), 'Müller & "Söhne" <b>'),
        (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 100}), None),
        (forms.NumberInput(attrs={"min": 1990}), 2024),
        (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 11, 26)),
        (forms.EmailInput(), "planerin@jena.de"),
        (forms.PasswordInput(), "geheim"),
        (forms.HiddenInput(), 17),
        (forms.SearchInput(), ""),
        (
            forms.Textarea(attrs={"rows": 6, "aria-describedby": "id_body_helptext"}),
            "Zeile 1\n<script>x</script> & 'y'",
        ),
        (forms.Textarea(), ""),
        (forms.Textarea(), None),
    ],
)
def test_input_and_textarea_markup_equals_djangos(widget, value):
    expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs={"id": "id_field"}, renderer=PortalFormRenderer()) == expected
    assert "<script>" not in expected
