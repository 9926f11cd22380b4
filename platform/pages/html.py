"""Helpers for markup made in Python where a template partial per row is too slow (long lists:
posts, document rows, notification entries)."""

import html

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, formats, timezone, translation

# A number no primary key reaches; reversed once, then replaced by each object's id.
_SENTINEL = "918273645"

# {(view name, script prefix, URLconf): (before the id, after it)}: as many as there are
# such views.
_patterns: dict[tuple, tuple[str, str]] = {}


def url_pattern(name: str):
    """``pk -> URL`` of a view that takes one id or slug (characters a URL keeps as they are),
    reversed once per process: ``reverse()`` matched the pattern again on every call, some
    twenty times on a dashboard."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _patterns.get(key)
    if parts is None:
        parts = _patterns[key] = tuple(reverse(name, args=[_SENTINEL]).split(_SENTINEL))
    head, tail = parts
    return lambda pk: f"{head}{pk}{tail}"


# {(model field, language): {value: label}}: choices are code, not data, so this never grows
# beyond the fields shown in lists times the languages.
_choice_labels: dict[tuple, dict] = {}


def choice_label(obj, field_name: str) -> str:
    """``obj.get_<field_name>_display()`` for lists: Django's rebuilds the field's choices and
    translates every label on each call (about 0.1 ms per row for a list of document kinds);
    here the labels are translated once per process and language."""
    field = obj._meta.get_field(field_name)
    key = (field, translation.get_language())
    labels = _choice_labels.get(key)
    if labels is None:
        labels = _choice_labels[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)


def escape(text) -> str:
    """``django.utils.html.escape`` for markup built in Python: the same characters escaped
    the same way (both use ``html.escape``), without the lazy-string wrapper and the
    ``SafeString`` made for every value, which a page of posts calls six hundred times."""
    return html.escape(str(text))


def topic_badges(topics) -> str:
    """The light badges of a row's topics (documents, members), escaped."""
    return "".join(f'<span class="badge text-bg-light border me-1">{escape(topic.name)}</span>' for topic in topics)


# Django's date format characters that have a strftime directive with the same output.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y"}


def short_date_formatter():
    """``value -> {{ value|date:"SHORT_DATE_FORMAT" }}`` in the active language and time zone,
    looked up once per list: ``date_format`` per row resolved the format and built a
    formatter each time."""
    fmt = formats.get_format("SHORT_DATE_FORMAT")
    tz = timezone.get_current_timezone()
    pattern = "".join(_STRFTIME.get(char, char if not char.isalpha() else "\0") for char in fmt)
    if "\0" in pattern or "%" in fmt or "\\" in fmt:  # a directive strftime lacks, or an escape
        return lambda value: dateformat.format(value.astimezone(tz), fmt)
    return lambda value: value.astimezone(tz).strftime(pattern)
