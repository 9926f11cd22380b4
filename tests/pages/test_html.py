"""Helpers for markup made in Python: choice labels per language, URL patterns."""

import pytest
from django.template import Context, Template
from django.utils import translation

from documents.models import Document
from pages.html import choice_label, url_pattern


def test_choice_label_is_get_display_in_each_language():
    document = Document(kind=Document.Kind.SOZIALBERICHT)
    for language in ("de", "en", "de"):
        with translation.override(language):
            assert choice_label(document, "kind") == document.get_kind_display()
    with translation.override("de"):
        assert Template('{% load portal %}{{ d|choice_label:"kind" }}').render(Context({"d": document})) == (
            document.get_kind_display()
        )


def test_choice_label_of_an_unknown_value_is_the_value():
    assert choice_label(Document(kind="unbekannt"), "kind") == "unbekannt"


@pytest.mark.parametrize("pk", [1, 42, 918273645])
def test_url_pattern_reverses_like_reverse(pk):
    from django.urls import reverse

    assert url_pattern("documents:detail")(pk) == reverse("documents:detail", args=[pk])


@pytest.mark.parametrize("text", ['<img src=x onerror="alert(1)">', "Tom & Jerry's", "", "Ä ö ß", 42])
def test_escape_is_djangos(text):
    from django.utils.html import escape as django_escape

    from pages.html import escape

    assert escape(text) == django_escape(text)
