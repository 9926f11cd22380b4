"""Filter fields shared by the list pages' filter forms."""

import django_filters
from django_filters import fields


class _ListChoiceIterator(fields.ModelChoiceIterator):
    """The choices read with one ordinary query. Django reads them with ``iterator()``, which
    on PostgreSQL opens a server-side cursor: four round trips instead of one for a list of
    Kommunen or topics (13 round trips for the document list's filter form)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _ListChoiceField(fields.ModelChoiceField):
    iterator = _ListChoiceIterator


class ChoiceListFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` for short lists (Kommunen, topics, workspaces)."""

    field_class = _ListChoiceField
