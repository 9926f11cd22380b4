"""The Python-built Bootstrap fields are the markup crispy-forms' bootstrap5 pack renders."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.test import RequestFactory
from django.utils import translation

from accounts.filters import MemberFilter
from accounts.models import User
from documents.filters import DocumentFilter
from documents.models import Document
from events.filters import EventFilter
from events.models import Event
from forums.forms import PostForm
from pages import bootstrap
from pages.templatetags.portal import bootstrap_field, bootstrap_form
from search.filters import SearchFilter
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def normalized(html) -> str:
    """Whitespace is not significant between these block elements nor inside the labels."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


class Everything(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="Vor- und <em>Nachname</em>", max_length=50)
    count = forms.IntegerField(label="Anzahl", required=False, min_value=1)
    day = forms.DateField(label="Tag", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="Text", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}))
    kind = forms.ChoiceField(label="Art", choices=[("", "Alle"), ("a", "A & B")], required=False)
    many = forms.MultipleChoiceField(label="Mehrere", choices=[("x", "X"), ("y", "Y")], required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)


FORMS = {
    "unbound": lambda: Everything(),
    "valid": lambda: Everything({"name": 'Anna "A" <Ärztin>', "count": "3", "day": "2026-11-26", "kind": "a"}),
    "errors": lambda: Everything({"name": "x" * 60, "count": "0", "day": "kein Datum", "kind": "z", "many": ["q"]}),
}


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def filter_forms(member):
    request = _request(member)
    return {
        "members": lambda data: MemberFilter(data, queryset=User.objects.all()).form,
        "documents": lambda data: DocumentFilter(data, queryset=Document.objects.all(), request=request).form,
        "search": lambda data: SearchFilter(data, queryset=SearchEntry.objects.all(), user=member).form,
        "events": lambda data: EventFilter(data, queryset=Event.objects.all(), request=request).form,
    }


@pytest.mark.parametrize("state", FORMS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_fields_of_every_kind_render_as_crispy_renders_them(state, language):
    with translation.override(language):
        expected, form = as_crispy_form(FORMS[state]()), FORMS[state]()
        if state == "errors":
            assert not form.is_valid()
        assert bootstrap.render_form(form) is not None
        assert normalized(bootstrap_form(form)) == normalized(expected)
    assert "<Ärztin>" not in expected and "&lt;b&gt;" in expected  # escaped in both


@pytest.mark.parametrize("name", ["members", "documents", "search", "events"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "Jena <x>", "year": "2024", "kind": "sozialbericht", "workspace": "portal", "date_from": "2026-01-01"},
    ],
)
def test_the_portals_filter_forms_render_as_crispy_renders_them(member, name, data):
    make = filter_forms(member)[name]
    assert normalized(bootstrap_form(make(data))) == normalized(as_crispy_form(make(data)))


def test_invalid_filter_values_show_the_same_errors(member):
    make = filter_forms(member)["search"]
    data = {"year": "zwei", "date_from": "gestern", "kommune": "999999"}
    form = make(data)
    assert not form.is_valid()
    rendered = bootstrap_form(form)
    assert normalized(rendered) == normalized(as_crispy_form(make(data)))
    assert 'aria-invalid="true"' in rendered and "invalid-feedback" in rendered


def test_the_reply_field_renders_as_crispy_renders_it():
    data = {"body": ""}
    form, expected_form = (
        PostForm(data, mention_url="/m/", draft_url="/d/"),
        PostForm(data, mention_url="/m/", draft_url="/d/"),
    )
    form.is_valid(), expected_form.is_valid()
    assert normalized(bootstrap_field(form["body"])) == normalized(as_crispy_field(expected_form["body"]))
    assert normalized(bootstrap_field(PostForm()["parent"])) == normalized(as_crispy_field(PostForm()["parent"]))


class WithCheckbox(forms.Form):
    name = forms.CharField(label="Name")
    agree = forms.BooleanField(label="Einverstanden")
    kind = forms.ChoiceField(label="Art", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize("data", [None, {"name": ""}])
def test_fields_it_does_not_build_are_left_to_crispys_field_template(data):
    form = WithCheckbox(data)
    assert [bootstrap.supported(field) for field in form] == [True, False, False]
    assert normalized(bootstrap_form(form)) == normalized(as_crispy_form(WithCheckbox(data)))
    assert "form-check-input" in bootstrap_form(WithCheckbox(data))


class WithFormError(forms.Form):
    name = forms.CharField()

    def clean(self):
        raise forms.ValidationError("Das passt nicht zusammen.")


def test_errors_of_the_whole_form_are_left_to_crispy():
    form, expected = WithFormError({"name": "x"}), WithFormError({"name": "x"})
    form.is_valid(), expected.is_valid()
    assert bootstrap.render_form(form) is None
    assert bootstrap_form(form) == as_crispy_form(expected)
    assert "Das passt nicht zusammen." in bootstrap_form(form)
