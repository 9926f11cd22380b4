"""Names for the few statements written as plain SQL (where the ORM cost more to build a query
than the database took to run it): taken from the models, so that a renamed table or column
cannot leave a statement behind."""

import copy
import operator
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections


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


# Stand-ins for a statement's values while the ORM compiles it: in the range of a 4-byte
# integer column (the ORM turns a value beyond it into "no rows" before any SQL is written)
# and far above any id this portal will hand out.
_STAND_IN_BASE = 2_000_000_000
_SHAPES_PER_CONNECTION = 256
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


_LENGTH = "length of "


def _length(name: str) -> str:
    return f"{_LENGTH}{name}"


def holds_stand_in(model, lookup: str) -> bool:
    """Whether the column that ``lookup`` (``"field__…__exact"`` from ``model``) compares holds
    a statement's stand-in values: a small integer column cannot, and the ORM would compile a
    statement that finds nothing. Such a value belongs to a statement's shape instead."""
    field = None
    for part in lookup.split("__")[:-1]:
        field = model._meta.get_field(part)
        if field.is_relation:
            model, field = field.related_model, field.related_model._meta.pk
    return field.get_internal_type() not in ("SmallIntegerField", "PositiveSmallIntegerField")


class _CompiledQuery:
    """Stands in for the statement's query during one run: gives the queryset's iterable the
    compiler with the run's values bound. Nothing can be chained onto it: a refinement would
    otherwise run with the stand-in values."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        if name in ("selected", "extra_select", "values_select", "annotation_select", "model"):
            return getattr(self._query, name)
        raise AttributeError(f"A compiled statement's query has no {name!r}: it cannot be refined.")


class Statement:
    """A query of fixed shape that the ORM compiles once per database connection; each run binds
    its values and loads the rows as the queryset itself would (model instances with their
    ``select_related`` objects and annotations, ``values()`` dicts or ``values_list()`` tuples,
    then ``prefetch_related``).

    ``build`` makes the queryset from keyword arguments. Those named in ``values`` are integers
    and those in ``texts`` strings, bound as parameters of the one statement (compared for
    equality: a value the ORM would change, as in ``__icontains``, is refused when compiled);
    those in ``lists`` are lists of integers (``pk__in``), compiled once per length. Any
    other argument (a page's offset, what the policy allows the viewer) is part of the
    statement's shape and compiled once per distinct value. Building and
    compiling a queryset cost the hot pages more CPU than the database took to answer them.
    """

    def __init__(
        self,
        build,
        *,
        values: tuple[str, ...],
        texts: tuple[str, ...] = (),
        lists: tuple[str, ...] = (),
        using: str = DEFAULT_DB_ALIAS,
    ):
        self.build = build
        self.values = values
        self.texts = texts
        self.lists = lists
        self.using = using

    def _stand_ins(self, shape: tuple) -> dict:
        """The values the statement is compiled with; a list's length is part of the shape."""
        numbers = {name: _STAND_IN_BASE + index for index, name in enumerate(self.values)}
        texts = {name: f"stand-in-{index}-{id(self):x}" for index, name in enumerate(self.texts)}
        lengths = dict(shape)
        lists = {
            name: [_STAND_IN_BASE + 1_000_000 * (index + 1) + item for item in range(lengths[_length(name)])]
            for index, name in enumerate(self.lists)
        }
        return numbers | texts | lists

    def _slots(self, params, stand_ins: dict) -> list[tuple[int, str, int | None]]:
        """(position in the parameters, value's name, index in its list or None)."""
        by_value = {}
        for name, value in stand_ins.items():
            if name in self.lists:
                by_value.update({item: (name, index) for index, item in enumerate(value)})
            else:
                by_value[value] = (name, None)
        hashable = [(position, param) for position, param in enumerate(params) if isinstance(param, int | str)]
        slots = [(position, *by_value[param]) for position, param in hashable if param in by_value]
        missing = set(by_value.values()) - {(name, index) for _, name, index in slots}
        if missing:
            names = sorted({name for name, _ in missing})
            raise ImproperlyConfigured(f"Statement values {names} are not parameters of its SQL.")
        return slots

    def _compile(self, conn, shape: tuple):
        stand_ins = self._stand_ins(shape)
        arguments = {key: value for key, value in shape if not key.startswith(_LENGTH)}
        queryset = self.build(**stand_ins, **arguments).using(self.using)
        compiler, sql, params = self._sql(queryset, conn)
        slots = self._slots(params, stand_ins) if sql is not None else []
        compiled = (queryset, compiler, sql, list(params), slots)
        per_shape = self._shapes(conn)
        if len(per_shape) >= _SHAPES_PER_CONNECTION:
            per_shape.clear()
        per_shape[shape] = compiled
        return compiled

    def _sql(self, queryset, conn) -> tuple:
        compiler = queryset.query.get_compiler(connection=conn)
        try:
            return (compiler, *compiler.as_sql())
        except EmptyResultSet:  # a shape that matches nothing, such as an empty slice
            return (compiler, None, ())

    def _bind(self, params: list, slots, kwargs: dict) -> tuple:
        """The parameters with this run's values; EmptyResultSet for a value no id can have
        (beyond a 64-bit integer), which the ORM too answers with no rows."""
        bound = list(params)
        for position, name, index in slots:
            value = kwargs[name] if index is None else kwargs[name][index]
            if name in self.texts:
                if not isinstance(value, str):
                    raise TypeError(f"Statement text {name!r} must be a str, not {type(value).__name__}.")
            else:
                value = operator.index(value)
                if not _BIGINT_MIN <= value <= _BIGINT_MAX:
                    raise EmptyResultSet
            bound[position] = value
        return tuple(bound)

    def _split(self, kwargs: dict) -> tuple:
        """The shape of a run: its arguments other than the bound values, and its lists' lengths."""
        bound = {*self.values, *self.texts, *self.lists}
        unknown = bound - set(kwargs)
        if unknown:
            raise TypeError(f"Statement values missing: {sorted(unknown)}")
        lengths = [(_length(name), len(kwargs[name])) for name in self.lists]
        return tuple(sorted([*lengths, *((key, value) for key, value in kwargs.items() if key not in bound)]))

    def _shapes(self, conn) -> dict:
        # Kept on the connection (its compilers refer to it), so they go with it.
        return conn.__dict__.setdefault("compiled_statements", {}).setdefault(self, {})

    def _entry(self, kwargs: dict) -> tuple:
        conn = connections[self.using]
        shape = self._split(kwargs)
        return self._shapes(conn).get(shape) or self._compile(conn, shape)

    def sql(self, **kwargs) -> tuple[str, tuple] | None:
        """The statement with these values bound, as ``build(**kwargs).query.sql_with_params()``
        gives it (for use inside a statement of one's own), or None where it matches nothing."""
        _, _, sql, params, slots = self._entry(kwargs)
        try:
            bound = self._bind(params, slots, kwargs)
        except EmptyResultSet:
            return None
        return None if sql is None else (sql, bound)

    def list(self, **kwargs) -> list:
        """The rows for these values, as ``list(self.build(**kwargs))`` would give them."""
        template, compiler, sql, params, slots = self._entry(kwargs)
        try:
            bound = (sql, self._bind(params, slots, kwargs))
        except EmptyResultSet:
            return []
        if sql is None:
            return []
        bound_compiler = copy.copy(compiler)
        bound_compiler.as_sql = lambda with_limits=True, with_col_aliases=False: bound
        queryset = type(template)(
            model=template.model, query=_CompiledQuery(template.query, bound_compiler), using=self.using
        )
        queryset._iterable_class = template._iterable_class
        queryset._fields = template._fields
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        queryset._known_related_objects = template._known_related_objects
        return list(queryset)

    def get(self, **kwargs):
        """The one row for these values; ``DoesNotExist`` or ``MultipleObjectsReturned`` as
        ``QuerySet.get()`` raises them."""
        rows = self.list(**kwargs)
        if len(rows) == 1:
            return rows[0]
        model = self._entry(kwargs)[0].model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}.")


class CountStatement(Statement):
    """``build(**kwargs).count()`` from a statement compiled once per connection: the SQL the
    ORM runs for the count is taken from its first run (with the stand-in values)."""

    def _sql(self, queryset, conn) -> tuple:
        seen = []

        def capture(execute, sql, params, many, context):
            seen.append((sql, params or ()))
            return execute(sql, params, many, context)

        with conn.execute_wrapper(capture):
            counted = queryset.count()
        if not seen and counted == 0:  # a shape that matches nothing: the ORM asked nothing
            return (None, None, ())
        if len(seen) != 1:
            raise ImproperlyConfigured(f"A count ran {len(seen)} statements.")
        return (None, *seen[0])

    def count(self, **kwargs) -> int:
        statement = self.sql(**kwargs)
        if statement is None:
            return 0
        with connections[self.using].cursor() as cursor:
            cursor.execute(*statement)
            return cursor.fetchone()[0]

    def list(self, **kwargs):
        raise TypeError("A CountStatement counts; use Statement for rows.")


class CompiledList:
    """What ``Paginator`` pages through when a list's count and rows come from compiled
    statements: ``rows`` is built with ``offset`` and ``limit`` besides ``values``. ``count``
    None where the caller sets the paginator's count itself (counted with other figures)."""

    def __init__(self, count: CountStatement | None, rows: Statement, **values):
        self._count = count
        self._rows = rows
        self._values = values

    def count(self) -> int:
        return self._count.count(**self._values)

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None or index.start is None or index.stop is None:
            raise TypeError("A compiled list is read in pages: [start:stop].")
        return self._rows.list(offset=index.start, limit=index.stop - index.start, **self._values)
