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


def test_url_pattern_follows_the_script_prefix_and_takes_slugs():
    from django.urls import reverse, set_script_prefix

    from workspaces.models import Workspace

    workspace = Workspace(slug="praeventionsketten-gera_2")
    assert workspace.get_absolute_url() == reverse("workspaces:detail", args=[workspace.slug])
    set_script_prefix("/portal/")
    try:
        assert url_pattern("documents:detail")(7) == reverse("documents:detail", args=[7]) == "/portal/documents/7/"
        assert workspace.get_absolute_url() == "/portal/workspaces/praeventionsketten-gera_2/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("text", ['<img src=x onerror="alert(1)">', "Tom & Jerry's", "", "Ä ö ß", 42])
def test_escape_is_djangos(text):
    from django.utils.html import escape as django_escape

    from pages.html import escape

    assert escape(text) == django_escape(text)
