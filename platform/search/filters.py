import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Kommune, Topic
from pages.filters import ChoiceListFilter, FilterSet
from search.models import SearchEntry
from workspaces.models import Workspace
from workspaces.permissions import filter_workspaces_visible_to
from workspaces.signals import SHARED_KOMMUNEN, SHARED_TOPICS


class SearchFilter(FilterSet):
    """Narrows already-matched, already-policy-filtered entries."""

    workspace = ChoiceListFilter(label=_("Workspace"), queryset=Workspace.objects.none(), empty_label=_("All"))
    kommune = ChoiceListFilter(
        label=_("Kommune"),
        field_name="kommunen",
        queryset=Kommune.objects.all(),
        empty_label=_("All"),
        shared=SHARED_KOMMUNEN,
    )
    topic = ChoiceListFilter(
        label=_("Topic"), field_name="topics", queryset=Topic.objects.all(), empty_label=_("All"), shared=SHARED_TOPICS
    )
    year = django_filters.NumberFilter(label=_("Year"), widget=forms.NumberInput(attrs={"min": 1990, "max": 2100}))
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SearchEntry
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["workspace"].queryset = filter_workspaces_visible_to(user, Workspace.objects.all())
