"""Names for the few statements written as plain SQL (where the ORM cost more to build a query
than the database took to run it): taken from the models, so that a renamed table or column
cannot leave a statement behind."""

from weakref import WeakKeyDictionary

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections


def sql_names(model, *fields: str) -> tuple[str, ...]:
    """``model``'s table and the columns of ``fields``, quoted for the database."""
    quote, meta = connection.ops.quote_name, model._meta
    return (quote(meta.db_table), *(quote(meta.get_field(name).column) for name in fields))


class RowByPk:
    """Instances of ``model`` by primary key, loaded as ``Model.objects.get(pk=…)`` loads them
    (the same columns, the database's converters, ``from_db``) from the statement the ORM
    compiled once per database connection. For the one lookup made on every request (the
    signed-in member): building it through the ORM took longer than the database took to
    answer it."""

    def __init__(self, model):
        self.model = model
        self._compiled: WeakKeyDictionary = WeakKeyDictionary()

    def _compile(self, conn):
        compiler = self.model._base_manager.filter(pk=0).query.get_compiler(connection=conn)
        sql, params = compiler.as_sql()
        if len(params) != 1:
            raise ImproperlyConfigured(f"{self.model.__name__}: a lookup by primary key took {len(params)} parameters.")
        columns = [column for column, _, _ in compiler.select]
        converters = list(compiler.get_converters(columns).items())
        compiled = self._compiled[conn] = (sql, [column.target.attname for column in columns], converters)
        return compiled

    def get(self, pk, *, using: str):
        conn = connections[using]
        sql, attnames, converters = self._compiled.get(conn) or self._compile(conn)
        field = self.model._meta.pk
        # A malformed id fails here with the ORM's own error ("Field 'id' expected a number …").
        value = field.get_db_prep_value(field.get_prep_value(pk), conn, prepared=True)
        with conn.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        values = list(row)
        for position, (functions, expression) in converters:
            for function in functions:
                values[position] = function(values[position], expression, conn)
        return self.model.from_db(using, attnames, values)
