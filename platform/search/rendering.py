"""The search page's results, made in Python (like ``forums.rendering``): through the template
each of the twenty results cost some fifteen variable lookups, a choice label and a date
filter. Every value is escaped; title and passage come marked and escaped from ``highlight``."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pages.html import choice_label, escape, short_date_formatter


def result_items(results) -> SafeString:
    """``results``: dicts of ``entry`` (with ``workspace_name`` and ``author_name``), ``title``
    and ``passage``, as the search view makes them; the ``<li>`` items of the result list."""
    if not results:
        nothing = escape(gettext("Nothing found. Try fewer or other words."))
        return mark_safe(f"<li>{nothing}</li>")  # noqa: S308
    short_date = short_date_formatter()
    items = []
    for result in results:
        entry = result["entry"]
        meta = [escape(choice_label(entry, "kind"))]
        if entry.workspace_name:
            meta.append(escape(entry.workspace_name))
        if entry.author_name:
            meta.append(escape(entry.author_name))
        meta.append(short_date(entry.created_at))
        passage = result["passage"]
        if passage:
            passage = f'\n          <p class="mb-0 search-passage">{passage}</p>'
        items.append(
            '<li class="mb-3">\n'
            '        <article class="card"><div class="card-body">\n'
            f'          <h2 class="h5 mb-1"><a href="{escape(entry.url)}">{result["title"]}</a></h2>\n'
            f'          <p class="small text-body-secondary mb-1">{" · ".join(meta)}</p>{passage}\n'
            "        </div></article>\n"
            "      </li>"
        )
    # Title and passage are escaped with their marks in search.highlight; the rest above.
    return mark_safe("\n      ".join(items))  # noqa: S308
