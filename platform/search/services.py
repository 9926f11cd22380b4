"""Keeping the index current. Write services call ``update_index(obj)`` after changing a
searchable object and ``remove_from_index(obj)`` when deleting it, inside their transaction."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone

from search.models import SearchEntry
from search.registry import builder_for, registered
from search.text import folded_text, index_tokens

BODY_LIMIT = 300_000  # characters of body text indexed per object
RANK_BODY_CHARS = 2_000  # characters of body text that count for ranking (see SearchEntry.rank_vector)


def _weighted_vector(title: str, meta: str, body: str):
    return (
        SearchVector(Value(folded_text(title)), weight="A", config="german")
        + SearchVector(Value(folded_text(meta)), weight="B", config="german")
        + SearchVector(Value(folded_text(body)), weight="C", config="german")
    )


def _write_engine_index(entry: SearchEntry) -> None:
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(pk=entry.pk).update(
            search_vector=_weighted_vector(entry.indexed_title, entry.meta, entry.body),
            rank_vector=_weighted_vector(entry.indexed_title, entry.meta, entry.body[:RANK_BODY_CHARS]),
        )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
                [entry.pk, index_tokens(entry.indexed_title), index_tokens(entry.meta), index_tokens(entry.body)],
            )


def _delete_engine_index(entry_ids) -> None:
    if connection.vendor == "sqlite" and entry_ids:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[pk] for pk in entry_ids])


def update_index(obj) -> SearchEntry | None:
    """Create, refresh or remove ``obj``'s entry, according to its registered builder."""
    registration = builder_for(obj)
    if registration is None:
        return None
    kind, build, _queryset = registration
    data = build(obj)
    if data is None:
        remove_from_index(obj, kind=kind)
        return None
    with transaction.atomic():
        entry, _created = SearchEntry.objects.update_or_create(
            kind=kind,
            object_id=obj.pk,
            defaults={
                "workspace": data.workspace,
                "title": (data.title or "")[:300],
                "meta": data.meta or "",
                "body": (data.body or "")[:BODY_LIMIT],
                "url": data.url[:500],
                "author": data.author,
                "document_kind": data.document_kind or "",
                "year": data.year,
                "created_at": data.created_at or timezone.now(),
            },
        )
        entry.kommunen.set(list(data.kommunen))
        entry.topics.set(list(data.topics))
        _write_engine_index(entry)
    return entry


def remove_from_index(obj, *, kind: str | None = None) -> None:
    if kind is None:
        registration = builder_for(obj)
        if registration is None:
            return
        kind = registration[0]
    ids = list(SearchEntry.objects.filter(kind=kind, object_id=obj.pk).values_list("pk", flat=True))
    with transaction.atomic():
        _delete_engine_index(ids)
        SearchEntry.objects.filter(pk__in=ids).delete()


def remove_many_from_index(*, kind: str, object_ids) -> None:
    ids = list(SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list("pk", flat=True))
    with transaction.atomic():
        _delete_engine_index(ids)
        SearchEntry.objects.filter(pk__in=ids).delete()


def rebuild_index(stdout=None) -> int:
    """Drop and rebuild every entry from the registered models; returns the entry count."""
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
        SearchEntry.objects.all().delete()
    total = 0
    for label, (kind, _build, queryset) in registered().items():
        from django.apps import apps

        objects = queryset() if queryset else apps.get_model(label)._default_manager.all()
        count = 0
        for obj in objects.iterator(chunk_size=500) if hasattr(objects, "iterator") else objects:
            if update_index(obj) is not None:
                count += 1
        total += count
        if stdout is not None:
            stdout.write(f"{kind}: {count}")
    return total
