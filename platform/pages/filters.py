"""The list pages' FilterSet and the filter fields their forms share."""

import copy
from decimal import Decimal
from functools import partial

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.http import QueryDict
from django_filters import fields
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import FilterMethod

from pages.shared_reads import shared_read
from pages.sql import sql_names


def shared_objects(shared, queryset) -> list:
    """The rows of a short list that is the same for everyone (``shared=(name, scopes)``, e.g.
    every Kommune), from the cache (``pages.shared_reads``)."""
    name, scopes = shared
    return shared_read(f"choices:{name}", scopes, lambda: list(queryset.all()))


def _links_sql(relation, count: int) -> str:
    """``SELECT owner, target FROM <link table> WHERE owner IN (…)``, names from the models."""
    field = relation.field
    table, owner, target = sql_names(relation.through, field.m2m_field_name(), field.m2m_reverse_field_name())
    return f"SELECT {owner}, {target} FROM {table} WHERE {owner} IN ({', '.join(['%s'] * count)})"  # noqa: S608


def attach_shared(owners, relation, shared, attribute: str) -> None:
    """Sets ``attribute`` on each of ``owners`` (rows of a page) to the list of what they link
    to through the many-to-many ``relation`` (e.g. ``Document.topics``), in the list's order:
    the links as pairs of ids in one statement of plain SQL (through the ORM it cost three times
    as long to build as to run), the objects from the shared list. A prefetch built a model
    instance per link (14 % of the document list's time)."""
    field = relation.field
    ids = [row.pk for row in owners]
    linked: dict[int, set] = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_links_sql(relation, len(ids)), ids)
            for owner_id, target_id in cursor.fetchall():
                linked.setdefault(owner_id, set()).add(target_id)
    everything = shared_objects(shared, field.related_model.objects.all()) if linked else []
    for row in owners:
        wanted = linked.get(row.pk)
        setattr(row, attribute, [obj for obj in everything if obj.pk in wanted] if wanted else [])


class _ListChoiceIterator(fields.ModelChoiceIterator):
    """The choices read with one ordinary query. Django reads them with ``iterator()``, which
    on PostgreSQL opens a server-side cursor: four round trips instead of one for a list of
    Kommunen or topics (13 round trips for the document list's filter form)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.choice_objects():
            yield self.choice(obj)


class _ListChoiceField(fields.ModelChoiceField):
    iterator = _ListChoiceIterator

    def __init__(self, *args, shared=None, lookup=None, **kwargs):
        self.shared = shared
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        """The submitted choice, found in the shared list or by ``lookup`` where there is one
        (not by a query compiled for every request); otherwise as Django finds it."""
        if (self.shared is None and self.lookup is None) or value in self.empty_values:
            return super().to_python(value)
        if self.null_label is not None and value == self.null_value:
            return value
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if self.lookup is not None:
            found = self.lookup(str(value))
        else:
            found = next((obj for obj in self.choice_objects() if str(getattr(obj, key)) == str(value)), None)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found

    def choice_objects(self):
        if self.shared is None:
            return self.queryset.all()
        return shared_objects(self.shared, self.queryset)


class ChoiceListFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` for short lists (Kommunen, topics, workspaces). A list that is the
    same for everyone (``shared=(name, scopes)``, see ``pages.shared_reads``) comes from the
    cache, and the choice a member submits is found in it. A list that depends on the member
    may name ``lookup(request, value)``, which returns the choice (as the ``queryset`` of the
    request would) or None."""

    field_class = _ListChoiceField

    def __init__(self, *args, lookup=None, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if self.lookup is not None:
            self.extra["lookup"] = partial(self.lookup, self.get_request())
        return super().field


class _FieldsOfFilterSet(forms.Form):
    """A filter form whose fields are its FilterSet's (given, not copied from the class)."""

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = fields


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, made for each request at less cost and with the same
    behaviour: its filters are copied one level deep (django-filter deep-copies them, with
    their querysets and widgets), and the form class is made once per FilterSet class (not
    for every request), its fields the filters' own. Both took a sixth of a filtered
    document list."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__ (25.1) but for the copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: self._copy(filter_, queryset.model) for name, filter_ in self.base_filters.items()}

    def _copy(self, filter_, model):
        copied = copy.copy(filter_)
        copied.extra = dict(filter_.extra)  # a filter puts its queryset or choices there
        copied.__dict__.pop("_field", None)  # each FilterSet makes its own fields
        if isinstance(copied.__dict__.get("filter"), FilterMethod):
            copied.filter = FilterMethod(copied)  # bound to this copy (and so to this FilterSet)
        copied.model, copied.parent = model, self
        return copied

    @classmethod
    def get_form_class(cls):
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = type(f"{cls.__name__}Form", (_FieldsOfFilterSet, cls._meta.form), {})
            cls._form_class = form_class
        return form_class

    def plain_lookups(self) -> tuple[dict, tuple] | None:
        """What the filters sent do, for a statement compiled once per kind of request:
        ``({lookup: value}, ordering)``, each value an integer (a model choice by its id) or a
        text compared for equality, the ordering from an ``OrderingFilter``. None where a
        filter does more than such a lookup (a method, an exclusion, a search for words) or
        the form has errors: then the FilterSet's ``qs`` is the way."""
        if not self.is_bound:
            return {}, ()
        if not self.is_valid():
            return None
        lookups, ordering = {}, ()
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if value in EMPTY_VALUES:
                continue
            if isinstance(filter_, django_filters.OrderingFilter):
                ordering = tuple(filter_.get_ordering_value(param) for param in value)
                continue
            if filter_.method is not None or filter_.exclude or filter_.distinct or filter_.lookup_expr != "exact":
                return None
            if value == getattr(filter_, "null_value", None):  # a choice of "none" filters on NULL
                return None
            if isinstance(value, Model):
                value = value.pk
            elif isinstance(value, Decimal) and value == value.to_integral_value():
                value = int(value)
            if type(value) not in (int, str):
                return None
            lookups[f"{filter_.field_name}__exact"] = value
        return lookups, ordering

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = {name: filter_.field for name, filter_ in self.filters.items()}
            data = self.data if self.is_bound else None
            self._form = self.get_form_class()(data, prefix=self.form_prefix, fields=fields)
        return self._form
