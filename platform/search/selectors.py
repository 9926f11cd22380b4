"""Searching, with the access policy inside the query so counts and pages are right."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F
from django.db.models.expressions import RawSQL

from search.models import SearchEntry
from search.query import ParsedQuery, parse, to_fts5, to_pg_tsquery
from workspaces.permissions import scoped_visible_q


def visible_entries(user):
    return SearchEntry.objects.filter(scoped_visible_q(user, "workspace"))


def matching_entries(user, parsed: ParsedQuery, *, prefix: bool = False, titles_only: bool = False):
    """Entries the user may see that match ``parsed``, annotated with ``rank`` (higher is better)."""
    qs = visible_entries(user)
    if parsed.is_empty:
        return qs.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(to_pg_tsquery(parsed, prefix_last=prefix), search_type="raw", config="german")
        weights = [0.0, 0.0, 0.2, 1.0] if titles_only else [0.1, 0.2, 0.4, 1.0]
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query, weights=weights))
    expression = to_fts5(parsed, prefix_last=prefix)
    if titles_only:
        expression = f"title : ({expression})"
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
    rank = RawSQL(
        "(SELECT -bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts "
        "WHERE search_fts MATCH %s AND search_fts.rowid = search_searchentry.id)",
        [expression],
    )
    return qs.filter(id__in=matching).annotate(rank=rank)


def counts_per_kind(entries) -> dict[str, int]:
    return dict(SearchEntry.objects.filter(pk__in=entries.values("pk")).values_list("kind").annotate(n=Count("id")))


def order_results(entries, sort: str = "relevance"):
    ordering = ["-created_at", "-id"] if sort == "date" else ["-rank", "-created_at", "-id"]
    return entries.select_related("workspace", "author").order_by(*ordering)


def search(user, raw_query: str):
    parsed = parse(raw_query)
    return parsed, matching_entries(user, parsed)


def suggest(user, raw_query: str, limit: int = 8):
    """Title suggestions for the header's quick search: prefix match on the last word."""
    parsed = parse(raw_query)
    if parsed.is_empty or sum(len(t) for t in parsed.terms) < 2:
        return []
    entries = matching_entries(user, ParsedQuery(terms=parsed.terms), prefix=True, titles_only=True)
    # Replies carry their thread's title; the thread itself is the suggestion.
    rows = entries.exclude(kind=SearchEntry.Kind.POST).order_by("-rank", "-created_at").values("kind", "title", "url")
    suggestions, seen = [], set()
    for row in rows[: limit * 3]:
        if row["title"] not in seen:
            seen.add(row["title"])
            suggestions.append(row)
        if len(suggestions) == limit:
            break
    return suggestions
