"""The template engine's ``{% url %}`` (pages.templatetags.urls) gives what Django's gives."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.engine import Engine
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_links_without_and_with_arguments_are_djangos():
    for _ in range(2):  # the second time from the kept reversal
        assert _render("{% url 'forums:boards' %}") == reverse("forums:boards")
        assert _render("{% url 'documents:detail' 7 %}") == reverse("documents:detail", args=[7])
        assert _render("{% url name pk=pk %}", name="documents:detail", pk=9) == "/documents/9/"


def test_as_variable_and_a_view_that_does_not_exist():
    assert _render("{% url 'forums:boards' as link %}[{{ link }}]") == f"[{reverse('forums:boards')}]"
    assert _render("{% url 'no:such-view' as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no:such-view' %}")
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


def test_each_script_prefix_and_language_has_its_own_links():
    set_script_prefix("/portal/")
    try:
        assert _render("{% url 'forums:boards' %}") == "/portal/forums/"
    finally:
        set_script_prefix("/")
    assert _render("{% url 'forums:boards' %}") == "/forums/"
    with translation.override("en"):
        assert _render("{% url 'forums:boards' %}") == "/forums/"


def test_it_is_the_engines_url_tag():
    assert "pages.templatetags.urls" in Engine.get_default().builtins
