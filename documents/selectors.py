"""Reads of the document library, already filtered by the policy and prefetched."""

from collections import Counter

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import Document, DocumentVersion
from documents.permissions import (
    check_view_document,
    filter_documents_for_access,
    filter_documents_visible_to,
    filter_workspace_documents,
    workspace_documents_access,
)
from pages.filters import attach_shared
from pages.sql import CompiledList, Statement, holds_stand_in
from workspaces.permissions import scoped_access
from workspaces.signals import SHARED_KOMMUNEN, SHARED_TOPICS

# No list of documents shows a version's extracted text: 12 KB on average in the benchmark's
# data, far more for a long report. The library's list reads only the columns its rows show
# (LIST_COLUMNS): building twenty documents with every column of four joined tables cost more
# than naming the columns (44 instead of 52 million instructions per page in the benchmark).
NOT_SHOWN = "current_version__text"
LIST_COLUMNS = (
    *("title", "kind", "year", "created_at", "workspace", "uploaded_by", "current_version"),
    *("workspace__name", "uploaded_by__display_name", "current_version__file_type", "current_version__size"),
)


def documents_visible_to(user):
    """Every document the user may see, with its workspace, uploader and current version joined
    (without the version's extracted text)."""
    qs = Document.objects.select_related("workspace", "uploaded_by", "current_version").defer(NOT_SHOWN)
    return filter_documents_visible_to(user, qs)


def with_row_details(documents) -> list[Document]:
    """``documents`` as a list, each with what a list row shows besides the joined columns:
    ``topic_list`` and ``kommune_list`` (``pages.filters.attach_shared``)."""
    documents = list(documents)
    attach_shared(documents, Document.topics, SHARED_TOPICS, "topic_list")
    attach_shared(documents, Document.kommunen, SHARED_KOMMUNEN, "kommune_list")
    return documents


def _titles(workspace, access: bool):
    """The workspace home's short lists show a title and a link: no joins, two columns."""
    return filter_workspace_documents(access, Document.objects.filter(workspace=workspace).only("id", "title"))


_LATEST_TITLES = Statement(
    lambda workspace, access, limit: _titles(workspace, access).order_by("-created_at", "-id")[:limit],
    values=("workspace",),
)
_PINNED_TITLES = Statement(
    lambda workspace, access, limit: (
        _titles(workspace, access).filter(pinned_at__isnull=False).order_by("-pinned_at", "-id")[:limit]
    ),
    values=("workspace",),
)


def latest_documents_for_workspace(user, workspace, limit: int = 5):
    """The newest documents of a workspace the user may see (empty for outsiders)."""
    access = workspace_documents_access(user, workspace)
    return _LATEST_TITLES.list(workspace=workspace.pk, access=access, limit=limit)


def pinned_documents_for_workspace(user, workspace, limit: int = 10):
    """The workspace's pinned documents the user may see, most recently pinned first."""
    access = workspace_documents_access(user, workspace)
    return _PINNED_TITLES.list(workspace=workspace.pk, access=access, limit=limit)


_DOCUMENT = Statement(
    lambda pk: (
        Document.objects.select_related("workspace", "uploaded_by", "current_version", "current_version__uploaded_by")
        .defer(NOT_SHOWN)
        .filter(pk=pk)
    ),
    values=("pk",),
)


def document_for_user(user, pk: int) -> Document:
    """The document, or 404 when it does not exist or the user may not know it exists. The
    current version's extracted text is read only when asked for (re-indexing after an edit)."""
    try:
        document = _DOCUMENT.get(pk=pk)
    except Document.DoesNotExist:
        raise Http404
    check_view_document(user, document)
    return document


VERSION_COLUMNS = ("number", "created_at", "file_type", "size", "change_note", "uploaded_by__display_name")
_VERSIONS = Statement(
    lambda document: (
        DocumentVersion.objects.filter(document=document).select_related("uploaded_by").only(*VERSION_COLUMNS)
    ),
    values=("document",),
)


def versions_of(document: Document) -> list[DocumentVersion]:
    """The versions table of the document's page: what it shows, not the extracted texts."""
    return _VERSIONS.list(document=document.pk)


def version_for_user(user, document_pk: int, number: int) -> DocumentVersion:
    document = document_for_user(user, document_pk)
    version = get_object_or_404(DocumentVersion.objects.defer("text"), document=document, number=number)
    version.document = document
    return version


def list_columns(documents):
    """The columns a list row shows (``rendering.document_rows``), not every joined column."""
    return documents.only(*LIST_COLUMNS)


def facet_counts(qs) -> tuple[int, dict]:
    """How many documents the (already filtered) list holds and its facets,
    ``{"kind": [(value, label, count)], "file_type": [...]}``: one query grouped by kind and
    file type, summed here (three queries over the same rows before)."""
    return _facets(_facet_rows(qs))


def _facet_rows(qs):
    return (
        qs.order_by().prefetch_related(None).values_list("kind", "current_version__file_type").annotate(n=Count("id"))
    )


def _facets(rows) -> tuple[int, dict]:
    kinds, file_types = Counter(), Counter()
    for kind, file_type, count in rows:
        kinds[kind] += count
        if file_type:
            file_types[file_type] += count
    labels = dict(Document.Kind.choices)
    return sum(kinds.values()), {
        "kind": [
            (kind, labels.get(kind, kind), count)
            for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
        "file_type": [
            (file_type, file_type.upper(), count)
            for file_type, count in sorted(file_types.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


# --- The library's list from statements compiled once per connection ---------------------


def _library(access, workspace_ids, lookups: dict):
    qs = Document.objects.select_related("workspace", "uploaded_by", "current_version").defer(NOT_SHOWN)
    return filter_documents_for_access(access, workspace_ids, qs).filter(**lookups)


def _library_facets(access, workspace_ids, **lookups):
    return _facet_rows(_library(access, workspace_ids, lookups))


def _library_rows(access, workspace_ids, ordering, offset, limit, **lookups):
    qs = list_columns(_library(access, workspace_ids, lookups))
    return (qs.order_by(*ordering) if ordering else qs)[offset : offset + limit]


# {(builder, lookups and the types of their values): Statement}
_LIBRARY_STATEMENTS: dict[tuple, Statement] = {}


def _library_statement(build, lookups: dict) -> Statement:
    shape = (build, tuple(sorted((name, type(value)) for name, value in lookups.items())))
    statement = _LIBRARY_STATEMENTS.get(shape)
    if statement is None:
        statement = _LIBRARY_STATEMENTS[shape] = Statement(
            build,
            values=tuple(
                name for name, value in lookups.items() if type(value) is int and holds_stand_in(Document, name)
            ),
            texts=tuple(name for name, value in lookups.items() if type(value) is str),
            lists=("workspace_ids",),
        )
    return statement


def library(user, lookups: dict, ordering: tuple) -> tuple[int, dict, CompiledList]:
    """The documents the user may see narrowed by ``lookups`` (plain ORM lookups with an
    integer or a text each, ``pages.filters.FilterSet.plain_lookups``) and sorted by
    ``ordering`` (the model's order where empty): their count, their facets (as
    ``facet_counts``) and the list's rows to page through, from statements compiled once per
    connection and kind of list. Building and compiling the list's two queries through the
    ORM took a fifth of the filtered list's time."""
    access, workspace_ids = scoped_access(user)
    values = {"access": access, "workspace_ids": workspace_ids, **lookups}
    total, facets = _facets(_library_statement(_library_facets, lookups).list(**values))
    rows = CompiledList(None, _library_statement(_library_rows, lookups), ordering=ordering, **values)
    return total, facets, rows


def library_for(user, document_filter) -> tuple:
    """``library`` for the filters of ``document_filter`` (a ``DocumentFilter`` made with an
    empty queryset): from the compiled statements where its filters are plain lookups, else
    (a search for words, a form with errors) through the ORM, as its ``qs`` would filter."""
    plain = document_filter.plain_lookups()
    if plain is not None:
        return library(user, *plain)
    documents = documents_visible_to(user)
    if document_filter.is_bound:
        document_filter.is_valid()  # the fields without errors still narrow the list
        documents = document_filter.filter_queryset(documents)
    return (*facet_counts(documents), list_columns(documents))
