"""Searching, with the access policy inside the query so counts and pages are right."""

from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Func, Value
from django.db.models.expressions import RawSQL

from accounts.models import User
from pages.sql import Statement, sql_names
from search.models import SearchEntry
from search.query import ParsedQuery, parse, to_fts5, to_pg_tsquery
from workspaces.models import Workspace
from workspaces.permissions import scoped_access, scoped_access_q, scoped_visible_q

WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C (body), B (metadata), A (title)
# What a result shows (search/search.html; the passage comes from body or meta).
RESULT_COLUMNS = ("id", "kind", "title", "meta", "body", "url", "created_at", "workspace", "author")


def visible_entries(user):
    return SearchEntry.objects.filter(scoped_visible_q(user, "workspace"))


def _expression(parsed: ParsedQuery, *, prefix: bool) -> str:
    """The engine's query for ``parsed``: a tsquery on PostgreSQL, an FTS5 expression on SQLite."""
    if connection.vendor == "postgresql":
        return to_pg_tsquery(parsed, prefix_last=prefix)
    return to_fts5(parsed, prefix_last=prefix)


def _matching(qs, expression: str, *, titles_only: bool = False):
    """``qs`` narrowed to the entries that match ``expression``, annotated with ``rank``."""
    if connection.vendor == "postgresql":
        query = SearchQuery(expression, search_type="raw", config="german")
        if titles_only:
            # The title lexemes (weight A) alone, as in the partial GIN index search_entry_title_gin
            # (migration 0004), which holds no replies: they carry no title of their own.
            titles = Func(F("rank_vector"), Value("{a}"), function="ts_filter", output_field=SearchVectorField())
            return (
                qs.exclude(kind=SearchEntry.Kind.POST)
                .annotate(title_vector=titles)
                .filter(title_vector=query)
                .annotate(rank=SearchRank(F("title_vector"), query))
            )
        # Matched on the whole text, ranked on the short rank_vector (see SearchEntry).
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("rank_vector"), query, weights=WEIGHTS))
    if titles_only:
        expression = f"title : ({expression})"
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
    rank = RawSQL(
        "(SELECT -bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts "
        "WHERE search_fts MATCH %s AND search_fts.rowid = search_searchentry.id)",
        [expression],
    )
    return qs.filter(id__in=matching).annotate(rank=rank)


def matching_entries(user, parsed: ParsedQuery, *, prefix: bool = False, titles_only: bool = False):
    """Entries the user may see that match ``parsed``, annotated with ``rank`` (higher is better)."""
    qs = visible_entries(user)
    if parsed.is_empty:
        return qs.none()
    return _matching(qs, _expression(parsed, prefix=prefix), titles_only=titles_only)


# What the result page reads of the matches (_counts_and_page_ids).
MATCH_COLUMNS = ("id", "kind", "created_at", "rank")

# The matches of a search without filters, compiled once per connection and kind of access:
# building the query through the ORM and compiling it cost more than a tenth of the page.
_MATCHES = Statement(
    lambda access, workspace_ids, expression: (
        _matching(SearchEntry.objects.filter(scoped_access_q(access, workspace_ids, "workspace")), expression)
        .order_by()
        .values(*MATCH_COLUMNS)
    ),
    values=(),
    texts=("expression",),
    lists=("workspace_ids",),
)


def matches(user, parsed: ParsedQuery, *, narrow=None) -> tuple[str, tuple] | None:
    """The statement (SQL and parameters) of the entries the user may see that match
    ``parsed``, with ``MATCH_COLUMNS``; None where nothing can match. ``narrow`` (a function of
    a queryset, such as the search filters') narrows them; without it the statement is one
    compiled before."""
    if parsed.is_empty:
        return None
    if narrow is None:
        access, workspace_ids = scoped_access(user)
        return _MATCHES.sql(access=access, workspace_ids=workspace_ids, expression=_expression(parsed, prefix=False))
    entries = narrow(matching_entries(user, parsed))
    if entries.query.is_empty():
        return None
    try:
        return entries.order_by().values(*MATCH_COLUMNS).query.sql_with_params()
    except EmptyResultSet:
        return None


@contextmanager
def custom_plans():
    """Plan the statements inside for their actual values. The database connections prepare
    repeated statements (``prepare_threshold`` in the settings), and PostgreSQL may then reuse a
    generic plan that cannot know how many entries a search word matches: the generic plan of
    the result query took twice as long as one made for the words searched. Inside the block
    the connection prepares nothing, so each statement is planned for its values; no round trip
    to the database (``SET LOCAL plan_cache_mode`` in a transaction of its own took three)."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None  # psycopg: prepare no statement
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


class _OnePage:
    """What ``Paginator`` needs when the count and the page's rows are already known."""

    def __init__(self, count: int, rows: list):
        self._count, self._rows = count, rows

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self._rows


def _counts_and_page_ids(matched: tuple[str, tuple], *, kind: str, sort: str, offset: int, limit: int):
    """One pass over the matches: hits per kind (for the tabs) and the ids of one page.

    The matches are read once into a materialised CTE; ranking all of them and counting them
    in separate queries read every matching row twice.
    """
    sql, params = matched
    order = "created_at DESC, id DESC" if sort == "date" else "rank DESC, created_at DESC, id DESC"
    where = "WHERE kind = %s" if kind else ""
    statement = (
        f"WITH m AS MATERIALIZED ({sql}) "  # noqa: S608 (compiled queryset, placeholders)
        "SELECT kind, COUNT(*), NULL, NULL, NULL FROM m GROUP BY kind "
        "UNION ALL SELECT NULL, NULL, id, rank, created_at FROM "
        f"(SELECT id, rank, created_at FROM m {where} ORDER BY {order} LIMIT %s OFFSET %s) AS page"
    )
    with custom_plans(), connection.cursor() as cursor:
        cursor.execute(statement, [*params, *([kind] if kind else []), limit, offset])
        rows = cursor.fetchall()
    counts = {row[0]: row[1] for row in rows if row[0] is not None}
    hits = [row[2:] for row in rows if row[0] is None]
    hits.sort(
        key=(lambda hit: (hit[2], hit[0])) if sort == "date" else (lambda hit: (hit[1], hit[2], hit[0])), reverse=True
    )
    return counts, [hit[0] for hit in hits]


def _result_rows_sql(count: int) -> str:
    """A page's entries by id with their workspace's and author's names (``workspace_name``,
    ``author_name``), in plain SQL: through the ORM (``select_related`` and ``only``) the
    statement cost more to build than to run (3 ms of a 20 ms page, the database 0.7 ms).
    The names come from subqueries, a lookup by primary key for each of the page's entries:
    joined, PostgreSQL hashed every member (1.0 of its 1.1 ms on the bench data)."""
    entry, *columns = sql_names(SearchEntry, *RESULT_COLUMNS)
    entry_id, workspace_id, author_id = columns[0], columns[-2], columns[-1]
    workspace, workspace_pk, workspace_name = sql_names(Workspace, "id", "name")
    user, user_pk, display_name = sql_names(User, "id", "display_name")
    selected = ", ".join(f"e.{column}" for column in columns)
    return (
        f"SELECT {selected}, "  # noqa: S608
        f"(SELECT w.{workspace_name} FROM {workspace} w WHERE w.{workspace_pk} = e.{workspace_id}) AS workspace_name, "
        f"(SELECT u.{display_name} FROM {user} u WHERE u.{user_pk} = e.{author_id}) AS author_name "
        f"FROM {entry} e WHERE e.{entry_id} IN ({', '.join(['%s'] * count)})"
    )


def result_page(matched, *, kind: str = "", sort: str = "relevance", page_number=None, per_page: int = 20):
    """Counts per kind and one ``Page`` of entries (``kind`` narrows the page, not the counts)
    from ``matched``, the statement ``matches`` gave.

    Like ``Paginator.get_page``: a page number that is not a number gives the first page, one
    past the end the last.
    """
    if matched is None:
        return {}, Paginator([], per_page).page(1)
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    counts, ids = _counts_and_page_ids(matched, kind=kind, sort=sort, offset=(number - 1) * per_page, limit=per_page)
    total = counts.get(kind, 0) if kind else sum(counts.values())
    last = max(1, -(-total // per_page))
    if number > last:
        number = last
        counts, ids = _counts_and_page_ids(
            matched, kind=kind, sort=sort, offset=(number - 1) * per_page, limit=per_page
        )
    found = {entry.pk: entry for entry in SearchEntry.objects.raw(_result_rows_sql(len(ids)), ids)} if ids else {}
    rows = [found[pk] for pk in ids if pk in found]
    return counts, Paginator(_OnePage(total, rows), per_page).page(number)


def search(user, raw_query: str):
    """The parsed query and the matching entries the user may see, as a queryset."""
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
    with custom_plans():
        rows = list(rows[: limit * 3])
    suggestions, seen = [], set()
    for row in rows:
        if row["title"] not in seen:
            seen.add(row["title"])
            suggestions.append(row)
        if len(suggestions) == limit:
            break
    return suggestions
