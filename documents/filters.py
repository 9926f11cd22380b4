import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Kommune, Topic
from documents.filetypes import FILE_TYPE_CHOICES
from documents.models import Document
from pages.filters import ChoiceListFilter, FilterSet
from workspaces.models import Workspace
from workspaces.permissions import filter_workspaces_visible_to
from workspaces.selectors import visible_workspace
from workspaces.signals import SHARED_KOMMUNEN, SHARED_TOPICS


def _visible_workspaces(request):
    if request is None:
        return Workspace.objects.none()
    return filter_workspaces_visible_to(request.user, Workspace.objects.all())


def _visible_workspace(request, slug: str):
    return None if request is None else visible_workspace(request.user, slug)


class DocumentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Title or description"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Document kind"), choices=Document.Kind.choices, empty_label=_("All"))
    topic = ChoiceListFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All"),
        shared=SHARED_TOPICS,
    )
    kommune = ChoiceListFilter(
        label=_("Kommune"),
        field_name="kommunen",
        queryset=Kommune.objects.all(),
        to_field_name="slug",
        empty_label=_("All"),
        shared=SHARED_KOMMUNEN,
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=1990, max_value=2100)
    workspace = ChoiceListFilter(
        label=_("Library"),
        queryset=_visible_workspaces,
        lookup=_visible_workspace,
        to_field_name="slug",
        empty_label=_("All libraries"),
    )
    # A name, not a list: with two thousand members a <select> of every uploader was most of the page.
    uploader = django_filters.CharFilter(
        label=_("Uploaded by"), field_name="uploaded_by__display_name", lookup_expr="icontains", max_length=100
    )
    file_type = django_filters.ChoiceFilter(
        label=_("File type"), field_name="current_version__file_type", choices=FILE_TYPE_CHOICES, empty_label=_("All")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "date"), ("title", "title")),
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            ("title", _("Title A–Z")),
            ("-title", _("Title Z–A")),
        ],
        empty_label=None,
    )

    class Meta:
        model = Document
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
