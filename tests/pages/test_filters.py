"""The filter forms' model choice lists: read with one ordinary query, in the queryset's order;
shared lists from the cache until they change."""

import django_filters
import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory

from accounts.models import Kommune
from documents.filters import DocumentFilter
from documents.models import Document
from events.filters import EventFilter
from events.models import Event, Registration
from pages.filters import ChoiceListFilter, FilterSet
from tests.documents.factories import WorkspaceFactory, member_of
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from workspaces.models import Workspace
from workspaces.signals import SHARED_KOMMUNEN, SHARED_TOPICS

pytestmark = pytest.mark.django_db


class KommuneFilter(django_filters.FilterSet):
    kommune = ChoiceListFilter(queryset=Kommune.objects.order_by("name"), empty_label="Alle")

    class Meta:
        model = Kommune
        fields = []


def test_choices_come_from_one_plain_query_in_order(monkeypatch, django_assert_num_queries):
    def no_server_side_cursor(*args, **kwargs):
        raise AssertionError("the choices opened a chunked (server-side) cursor")

    monkeypatch.setattr(connection, "chunked_cursor", no_server_side_cursor)
    field = KommuneFilter().form.fields["kommune"]
    with django_assert_num_queries(1):
        choices = [(str(value), label) for value, label in field.choices]
    expected = [(str(k.pk), k.name) for k in Kommune.objects.order_by("name")]
    assert choices == [("", "Alle"), *expected]
    assert len(expected) >= 20


def test_a_chosen_value_is_cleaned_to_its_row_and_an_unknown_one_is_a_form_error():
    jena = Kommune.objects.get(slug="stadt-jena")
    chosen = KommuneFilter({"kommune": jena.pk}).form
    assert chosen.is_valid() and chosen.cleaned_data["kommune"] == jena
    unknown = KommuneFilter({"kommune": 999999}).form
    assert not unknown.is_valid() and "kommune" in unknown.errors


class SharedKommuneFilter(django_filters.FilterSet):
    kommune = ChoiceListFilter(queryset=Kommune.objects.order_by("name"), empty_label="Alle", shared=SHARED_KOMMUNEN)

    class Meta:
        model = Kommune
        fields = []


def _choices():
    return [label for _value, label in SharedKommuneFilter().form.fields["kommune"].choices]


def test_a_shared_list_is_read_once_and_follows_every_change(django_assert_num_queries):
    first = _choices()
    with django_assert_num_queries(0):
        assert _choices() == first
    jena = Kommune.objects.get(slug="stadt-jena")
    jena.name = "Jena (Stadt)"
    jena.save()
    assert "Jena (Stadt)" in _choices() and "Jena (Stadt)" not in first
    jena.delete()
    assert "Jena (Stadt)" not in _choices()


def test_a_submitted_choice_is_found_in_the_shared_list_which_follows_a_deletion(django_assert_num_queries):
    _choices()
    jena = Kommune.objects.get(slug="stadt-jena")
    with django_assert_num_queries(0):
        form = SharedKommuneFilter({"kommune": str(jena.pk)}).form
        assert form.is_valid() and form.cleaned_data["kommune"] == jena
        unknown = SharedKommuneFilter({"kommune": "999999"}).form
        assert not unknown.is_valid() and "kommune" in unknown.errors
        assert not SharedKommuneFilter({"kommune": "x\x00"}).form.is_valid()
    gone = Kommune.objects.get(slug="stadt-jena")
    Kommune.objects.filter(pk=gone.pk).delete()
    form = SharedKommuneFilter({"kommune": gone.pk}).form
    assert not form.is_valid() and "kommune" in form.errors


def test_the_topic_list_follows_a_new_topic():
    from accounts.models import Topic

    class TopicFilter(django_filters.FilterSet):
        topic = ChoiceListFilter(queryset=Topic.objects.all(), empty_label="Alle", shared=SHARED_TOPICS)

        class Meta:
            model = Topic
            fields = []

    def labels():
        return [label for _value, label in TopicFilter().form.fields["topic"].choices]

    assert "Quartiersentwicklung neu" not in labels()
    Topic.objects.create(name="Quartiersentwicklung neu", slug="quartiersentwicklung-neu")
    assert "Quartiersentwicklung neu" in labels()


def test_a_workspace_the_member_may_not_see_is_refused_like_an_unknown_one(client):
    """The document list's library filter finds the chosen workspace by ``lookup`` (a compiled
    statement and the policy), as its queryset of the member's libraries would."""
    from django.urls import reverse

    from tests.documents.factories import WorkspaceFactory, member_of
    from tests.factories import MemberFactory
    from workspaces.models import Workspace

    private = WorkspaceFactory(slug="intern", visibility=Workspace.Visibility.MEMBERS_ONLY)
    member, insider = MemberFactory(), member_of(private)
    client.force_login(member)
    refused = client.get(reverse("documents:list"), {"workspace": "intern"})
    unknown = client.get(reverse("documents:list"), {"workspace": "gibt-es-nicht"})
    assert refused.status_code == unknown.status_code == 200
    assert refused.context["filter"].form.errors == unknown.context["filter"].form.errors != {}
    client.force_login(insider)
    chosen = client.get(reverse("documents:list"), {"workspace": "intern"})
    assert chosen.context["filter"].form.is_valid() and chosen.context["workspace"] == private


@pytest.mark.parametrize(
    ("url", "field"),
    [("/search/?q=Sozialraum", 'name="kommune"'), ("/members/", 'name="kommune"'), ("/notifications/", 'name="kind"')],
)
def test_a_list_without_filters_sent_makes_its_filterset_only_for_the_first_blank_form(
    member_client, monkeypatch, url, field
):
    made = []
    original = FilterSet.__init__

    def counting(self, *args, **kwargs):
        made.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FilterSet, "__init__", counting)
    first = member_client.get(url).content.decode()
    assert len(made) == 1 and field in first
    made.clear()
    second = member_client.get(url).content.decode()
    assert made == []
    assert second.count(field) == first.count(field) == 1
    sent = url + ("&" if "?" in url else "?") + "kommune=&kind="
    assert member_client.get(sent).status_code == 200 and len(made) == 1  # filters sent: the FilterSet


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_each_filterset_has_its_own_filters_fields_and_choices_and_one_form_class():
    private = WorkspaceFactory(slug="intern", visibility=Workspace.Visibility.MEMBERS_ONLY)
    insider, outsider = member_of(private), MemberFactory()
    data = QueryDict("workspace=intern&q=Bericht")
    inside = DocumentFilter(data, queryset=Document.objects.all(), request=_request_of(insider))
    outside = DocumentFilter(data, queryset=Document.objects.all(), request=_request_of(outsider))
    assert type(inside.form) is type(outside.form) and type(inside.form).__name__ == "DocumentFilterForm"
    for name in DocumentFilter.base_filters:
        assert inside.filters[name] is not outside.filters[name] is not DocumentFilter.base_filters[name]
        assert inside.form.fields[name] is not outside.form.fields[name]
        assert inside.filters[name].parent is inside
    assert inside.is_valid() and inside.form.cleaned_data["workspace"] == private
    assert not outside.is_valid() and "workspace" in outside.errors  # not offered to an outsider
    assert "_field" not in DocumentFilter.base_filters["workspace"].__dict__


def test_a_filter_method_runs_on_its_own_filterset():
    mine, other = MemberFactory(), MemberFactory()
    event = EventFactory()
    Registration.objects.create(event=event, user=mine)
    sets = [
        EventFilter(QueryDict("mine=on"), queryset=Event.objects.all(), request=_request_of(user))
        for user in (mine, other)
    ]
    assert [list(filterset.qs) for filterset in sets] == [[event], []]
