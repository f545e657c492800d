"""``field__any=[ids]``: ``field IN (ids)`` for long lists of ids (docs/decisions/long-id-lists.md).

A province office's thousand units reach the KPI counts and the register as lists of ids.
``field__in=ids`` prepares and writes each id on its own, a thousand placeholders that cost
Django about 8 ms to compile per query on the benchmark machine, more than PostgreSQL takes
to answer. ``field__any=ids`` sends the list as one array parameter, ``field = ANY(%s)``,
which PostgreSQL (14 and later) searches through a hash of the array. Other databases
(SQLite in development) get the plain ``IN``.

Registered on integer fields (ids, their auto fields) and foreign keys by ``core.apps``.
"""
from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Ids or model instances; each made a plain int once, not through the field.
        return [int(getattr(value, "pk", value)) for value in self.rhs]

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]
