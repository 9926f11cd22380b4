"""The filter forms' model choice lists: read with one ordinary query, in the queryset's order."""

import django_filters
import pytest
from django.db import connection

from accounts.models import Kommune
from pages.filters import ChoiceListFilter

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
