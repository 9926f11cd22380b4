"""Filter fields shared by the list pages' filter forms."""

import django_filters
from django_filters import fields

from pages.shared_reads import shared_read


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

    def __init__(self, *args, shared=None, **kwargs):
        self.shared = shared
        super().__init__(*args, **kwargs)

    def choice_objects(self):
        if self.shared is None:
            return self.queryset.all()
        name, scopes = self.shared
        return shared_read(f"choices:{name}", scopes, lambda: list(self.queryset.all()))


class ChoiceListFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` for short lists (Kommunen, topics, workspaces). A list that is the
    same for everyone (``shared=(name, scopes)``, see ``pages.shared_reads``) comes from the
    cache; the choice a member submits is still looked up in the database."""

    field_class = _ListChoiceField
