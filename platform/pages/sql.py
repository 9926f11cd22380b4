"""Names for the few statements written as plain SQL (where the ORM cost more to build a query
than the database took to run it): taken from the models, so that a renamed table or column
cannot leave a statement behind."""

from django.db import connection


def sql_names(model, *fields: str) -> tuple[str, ...]:
    """``model``'s table and the columns of ``fields``, quoted for the database."""
    quote, meta = connection.ops.quote_name, model._meta
    return (quote(meta.db_table), *(quote(meta.get_field(name).column) for name in fields))
