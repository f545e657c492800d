"""Django's model backend, reading the signed-in person with their unit and office in one
prepared statement (docs/decisions/prepared-statements.md).

Every signed-in page loads its user (``ModelBackend.get_user``) and, through ``core.access``
and the navbar, the user's unit or office: two ORM queries of ~0.45 ms each, most of it
compiling the query and building the model, against ~0.1 ms for PostgreSQL to answer. Here
one constant statement, prepared once per connection (core/db.py), reads the three rows,
and the unit and office are cached on the user as ``select_related`` would cache them.

Passwords are Django's: ``authenticate`` is ModelBackend's. ``django.contrib.auth``'s own
ModelBackend stays in AUTHENTICATION_BACKENDS, after this one, only so that sessions signed
in before this backend existed (which name it) stay signed in; so that it never checks a
password a second time, a failed check here ends the attempt (``PermissionDenied``: Django
then reports the failure, which django-axes counts, exactly as before)."""
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections, router

from core import db as core_db


class Backend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied  # the one password check (see the module's docstring)
        return user

    def get_user(self, user_id):
        user = _read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _statement():
    """The statement and, for each model read (user, unit, office), its fields in order, their
    attribute names and the foreign key of the user that leads to it."""
    user_model = get_user_model()
    related = [user_model._meta.get_field(name) for name in ("unit", "office")]
    parts = [(user_model, "u", None)] + [(f.related_model, f"r{i}", f) for i, f in enumerate(related)]
    columns = ", ".join(f"{alias}.{f.column}" for model, alias, _fk in parts for f in model._meta.concrete_fields)
    joins = " ".join(f"LEFT JOIN {fk.related_model._meta.db_table} {alias} ON {alias}.{fk.target_field.column} = u.{fk.column}"
                     for _model, alias, fk in parts[1:])
    sql = f"SELECT {columns} FROM {user_model._meta.db_table} u {joins} WHERE u.{user_model._meta.pk.column} = %s"  # noqa: S608 - the models' tables and columns; the id is a parameter
    return sql, [(model, list(model._meta.concrete_fields), [f.attname for f in model._meta.concrete_fields], fk)
                 for model, _alias, fk in parts]


def _read(user_id):
    sql, parts = _statement()
    user_model = parts[0][0]
    alias = router.db_for_read(user_model)
    with connections[alias].cursor() as cursor:
        core_db.execute(cursor, sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    # psycopg2's values as they are: no field of these three models needs the ORM's conversion
    # (tests/core/test_signed_in_reads.py fails the day one does).
    for model, fields, names, _fk in parts:
        values = row[start:start + len(fields)]
        start += len(fields)
        objects.append(model.from_db(alias, names, values) if values[0] is not None else None)
    user = objects[0]
    for (_model, _fields, _names, fk), obj in zip(parts[1:], objects[1:], strict=True):
        fk.set_cached_value(user, obj)  # None too: no query for an account without a unit
    return user
