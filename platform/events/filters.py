import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration
from pages.filters import FilterSet
from workspaces.selectors import visible_workspaces

PORTAL_WIDE = "portal"


def _workspace_choices(request):
    choices = [(PORTAL_WIDE, _("Portal-wide dates"))]
    if request is None:
        return choices
    return choices + [(str(w.pk), w.name) for w in visible_workspaces(request.user).only("pk", "name")]


class EventFilter(FilterSet):
    """Filter by workspace (or portal-wide) and kind. The queryset is already permission-filtered,
    so choosing a workspace one may not see only yields an empty list."""

    workspace = django_filters.ChoiceFilter(
        label=_("Workspace"), method="filter_workspace", empty_label=_("All"), choices=[]
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All"))
    mine = django_filters.BooleanFilter(
        label=_("Only dates I registered for"), method="filter_mine", widget=django_filters.widgets.forms.CheckboxInput
    )

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["workspace"].extra["choices"] = _workspace_choices(request)

    def filter_workspace(self, queryset, name, value):
        if value == PORTAL_WIDE:
            return queryset.filter(workspace__isnull=True)
        return queryset.filter(workspace_id=value)

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(pk__in=Registration.objects.filter(user=self.request.user).values("event_id"))
