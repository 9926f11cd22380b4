"""The Python-built <select> is the markup Django's templates build, escaping included."""

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
