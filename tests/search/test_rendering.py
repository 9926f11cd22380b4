"""The result list made in Python (search.rendering): what the template partial showed, escaped."""

from datetime import UTC, datetime

from django.utils import translation

from pages.html import short_date_formatter
from search.highlight import highlight_title, passage
from search.models import SearchEntry
from search.rendering import result_items


def _result(**fields):
    entry = SearchEntry(
        kind=SearchEntry.Kind.DOCUMENT,
        title=fields.pop("title", "Sozialbericht"),
        url=fields.pop("url", "/documents/7/"),
        created_at=datetime(2026, 3, 5, 23, 30, tzinfo=UTC),
    )
    entry.workspace_name = fields.pop("workspace_name", "")
    entry.author_name = fields.pop("author_name", "")
    stems = {"sozialbericht"}
    return {
        "entry": entry,
        "title": highlight_title(entry.title, stems),
        "passage": passage(fields.pop("body", ""), stems),
    }


def test_a_result_shows_its_link_kind_workspace_author_local_date_and_passage():
    with translation.override("de"):
        html = result_items(
            [_result(workspace_name="LSS Gera", author_name="Anna Bergmann", body="Der Sozialbericht 2025")]
        )

    assert '<a href="/documents/7/"><mark>Sozialbericht</mark></a>' in html
    # 23:30 UTC is the next day in Thuringia; the kind's German label.
    assert '<p class="small text-body-secondary mb-1">Dokumente · LSS Gera · Anna Bergmann · 06.03.2026</p>' in html
    assert '<p class="mb-0 search-passage">Der <mark>Sozialbericht</mark> 2025</p>' in html


def test_names_and_links_are_escaped_and_a_missing_passage_leaves_no_paragraph():
    html = result_items(
        [_result(workspace_name="<b>WS</b>", author_name='"><script>alert(1)</script>', url='/x/?a=1&b="2"')]
    )

    assert "<script>" not in html and "<b>WS</b>" not in html
    assert "&lt;b&gt;WS&lt;/b&gt;" in html and "&quot;&gt;&lt;script&gt;" in html
    assert 'href="/x/?a=1&amp;b=&quot;2&quot;"' in html
    assert "search-passage" not in html


def test_no_results_say_so_in_the_active_language():
    with translation.override("de"):
        assert result_items([]) == "<li>Nichts gefunden. Versuchen Sie es mit weniger oder anderen Wörtern.</li>"
    with translation.override("en"):
        assert result_items([]) == "<li>Nothing found. Try fewer or other words.</li>"


def test_short_dates_follow_the_language_and_the_portals_time_zone():
    value = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    with translation.override("de"):
        assert short_date_formatter()(value) == "06.03.2026"
    with translation.override("en"):
        assert short_date_formatter()(value) == "03/06/2026"


def test_short_dates_in_a_format_strftime_cannot_make_are_formatted_by_django(settings):
    from django.utils import formats

    value = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)
    for fmt, expected in (("Y\\.m.d", "2026.03.05"), ("j. n. Y", "5. 3. 2026"), ("d.m.Y %", "05.03.2026 %")):
        settings.SHORT_DATE_FORMAT = fmt
        with translation.override(None):
            assert short_date_formatter()(value) == expected == formats.date_format(value, fmt)
