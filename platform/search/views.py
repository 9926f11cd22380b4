from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from search import selectors
from search.filters import SearchFilter
from search.highlight import highlight_title, passage
from search.models import SearchEntry
from search.query import parse
from search.rendering import result_items
from workspaces.rendering import shared_blank_filter_form, shared_filter_form

RESULTS_PER_PAGE = 20


def search(request):
    raw_query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    if kind not in SearchEntry.Kind.values:
        kind = ""
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    parsed = parse(raw_query)
    user = request.user
    # Without filters sent, neither the FilterSet nor its form is made (unless the blank form
    # was never rendered), and the matches come from the statement compiled for them.
    result_filter = None
    if set(request.GET) & set(SearchFilter.base_filters):
        result_filter = SearchFilter(request.GET, queryset=SearchEntry.objects.none(), user=user)
        filter_form = shared_filter_form(result_filter.form, user)
    else:
        filter_form = shared_blank_filter_form(
            SearchFilter, lambda: SearchFilter(queryset=SearchEntry.objects.none(), user=user), user
        )
    if not raw_query:
        counts, page = {}, Paginator([], RESULTS_PER_PAGE).page(1)
    else:
        if result_filter is None:
            matched = selectors.matches(user, parsed)
        elif result_filter.is_valid():
            matched = selectors.matches(user, parsed, narrow=result_filter.filter_queryset)
        else:
            matched = None
        counts, page = selectors.result_page(
            matched, kind=kind, sort=sort, page_number=request.GET.get("page"), per_page=RESULTS_PER_PAGE
        )
    stems = parsed.stems()
    results = [
        {
            "entry": entry,
            "title": highlight_title(entry.title, stems),
            "passage": passage(entry.body or entry.meta, stems),
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    for key in ("page", "kind"):
        tab_query.pop(key, None)
    tabs = [
        {"kind": value, "label": label, "count": counts.get(value, 0), "active": value == kind}
        for value, label in SearchEntry.Kind.choices
    ]
    return render(
        request,
        "search/search.html",
        {
            "q": raw_query,
            "kind": kind,
            "sort": sort,
            "filter": result_filter,
            "filter_form": filter_form,
            "page": page,
            "results": results,
            "result_items": result_items(results),
            "tabs": tabs,
            "total": sum(counts.values()),
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
        },
    )


def suggestions(request):
    raw_query = request.GET.get("q", "").strip()[:100]
    items = selectors.suggest(request.user, raw_query)
    if request.headers.get("HX-Request"):
        return render(request, "search/partials/suggestions.html", {"items": items, "q": raw_query})
    return JsonResponse({"items": items})
