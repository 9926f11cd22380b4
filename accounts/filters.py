import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Kommune, Profile, Topic, User
from pages.filters import ChoiceListFilter, FilterSet
from workspaces.signals import SHARED_KOMMUNEN, SHARED_TOPICS


class MemberFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kommune = ChoiceListFilter(
        label=_("Kommune"),
        field_name="profile__kommune",
        queryset=Kommune.objects.all(),
        empty_label=_("All"),
        shared=SHARED_KOMMUNEN,
    )
    function = django_filters.ChoiceFilter(
        label=_("Function"), field_name="profile__function", choices=Profile.Function.choices, empty_label=_("All")
    )
    topic = ChoiceListFilter(
        label=_("Topic"),
        field_name="profile__topics",
        queryset=Topic.objects.all(),
        empty_label=_("All"),
        shared=SHARED_TOPICS,
    )

    class Meta:
        model = User
        fields = []

    def filter_name(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(display_name__icontains=value) | Q(profile__organisation__icontains=value))
