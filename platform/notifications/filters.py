import django_filters
from django.utils.translation import gettext_lazy as _

from notifications import registry
from notifications.models import Notification
from pages.filters import ChoiceListFilter, FilterSet


def _kind_choices():
    return sorted(((key, str(kind.label)) for key, kind in registry.kinds().items()), key=lambda choice: choice[1])


def _workspaces(request):
    from workspaces.selectors import visible_workspaces

    if request is None:
        from workspaces.models import Workspace

        return Workspace.objects.none()
    return visible_workspaces(request.user)


class NotificationFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("unread", _("Unread")), ("read", _("Read"))],
        empty_label=_("All"),
        method="filter_status",
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=_kind_choices, empty_label=_("All kinds"))
    workspace = ChoiceListFilter(label=_("Workspace"), queryset=_workspaces, empty_label=_("All workspaces"))

    class Meta:
        model = Notification
        fields = ["status", "kind", "workspace"]

    def filter_status(self, queryset, name, value):
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
