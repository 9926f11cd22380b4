"""The template engine's ``{% url %}`` and ``{% extends %}`` (pages.templatetags.engine) give
what Django's give."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template import Engine as PlainEngine
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
    assert "pages.templatetags.engine" in Engine.get_default().builtins


TEMPLATES = {
    "base.html": "<title>{% block title %}Portal{% endblock %}</title>{% block body %}<p>base</p>{% endblock %}",
    "section.html": '{% extends "base.html" %}{% block body %}<nav>{% block nav %}n{% endblock %}</nav>'
    "{{ block.super }}{% endblock %}",
    "page.html": '{% extends "section.html" %}{% block title %}{{ title }} – {{ block.super }}{% endblock %}'
    "{% block nav %}[{{ block.super }}]{% endblock %}",
}


def _engines():
    loaders = [("django.template.loaders.locmem.Loader", TEMPLATES)]
    portal = PlainEngine(loaders=loaders, builtins=["pages.templatetags.engine"])
    django = PlainEngine(loaders=loaders)
    return portal, django


def test_extends_renders_three_levels_with_block_super_as_djangos():
    portal, django = _engines()
    assert portal.template_builtins[-1].tags["extends"] is not django.template_builtins[-1].tags["extends"]
    for context in ({"title": "Sozialbericht"}, {"title": "<Plan & Ziel>"}, {"title": "Sozialbericht"}):
        expected = django.get_template("page.html").render(Context(context))
        assert portal.get_template("page.html").render(Context(context)) == expected
    assert expected == "<title>Sozialbericht – Portal</title><nav>[n]</nav><p>base</p>"
    parent = portal.get_template("section.html")  # a Template object as the parent
    child = portal.from_string("{% extends parent %}{% block nav %}x{% endblock %}")
    assert child.render(Context({"parent": parent})) == "<title>Portal</title><nav>x</nav><p>base</p>"


def test_extends_keeps_djangos_errors():
    portal, _ = _engines()
    with pytest.raises(TemplateSyntaxError):
        portal.from_string('{% extends "base.html" %}{% extends "base.html" %}')
    with pytest.raises(TemplateSyntaxError):
        portal.from_string("{% extends %}")


TRANSLATE_SOURCES = [
    '{% load i18n %}{% translate "Search" %}',
    '{% load i18n %}{% trans "Search" context "page title" %}',
    "{% load i18n %}{% translate 'Skip to main content' %}",
    '{% load i18n %}{% translate "Search" noop %}',
    '{% load i18n %}{% translate "Search" as label %}[{{ label }}]',
    "{% load i18n %}{% translate message %}",
    '{% load i18n %}{% translate "Search"|upper %}',
    '{% load i18n %}{% translate "Search" context kind %}',
    '{% load i18n %}{% autoescape off %}{% translate "<b>%%Search" %}{% endautoescape %}{% translate "<b>%%Search" %}',
]


@pytest.mark.parametrize("source", TRANSLATE_SOURCES)
def test_translate_gives_what_djangos_gives_in_every_language(source):
    plain = PlainEngine(libraries={"i18n": "tests.pages.reference_i18n"})
    template = Template(source)
    for language in ("de", "en", "de"):  # the second time in German from the kept rendering
        with translation.override(language):
            for message, kind in (("Search", "page title"), ("Documents", "")):
                context = {"message": message, "kind": kind}
                expected = plain.from_string(source).render(Context(context))
                assert template.render(Context(context)) == expected


def test_a_constant_text_is_rendered_once_per_language():
    template = Template('{% load i18n %}{% translate "Search" %}')
    with translation.override("de"):
        assert template.render(Context()) == "Suchen"
    with translation.override("en"):
        assert template.render(Context()) == "Search"
    node = template.nodelist[-1]
    assert type(node).__name__ == "ConstantTranslateNode" and len(node._rendered) == 2
    reference = PlainEngine(libraries={"i18n": "tests.pages.reference_i18n"})
    assert (
        type(reference.from_string('{% load i18n %}{% translate "Search" %}').nodelist[-1]).__name__ == "TranslateNode"
    )
