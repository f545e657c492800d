"""Django's model backend, reading the signed-in person with their unit and office in one
prepared statement (docs/decisions/prepared-statements.md).

Every signed-in page loads its user (``ModelBackend.get_user``) and, through ``core.access``
and the navbar, the user's unit or office: two ORM queries of ~0.45 ms each, most of it
compiling the query and building the model, against ~0.1 ms for PostgreSQL to answer. Here
one constant statement, prepared once per connection (core/db.py), reads the three rows,
and the unit and office are cached on the user as ``select_related`` would cache them.
On a page, that statement's columns are read with the session itself (core/sessions.py), and
``AuthenticationMiddleware`` below hands that person to ``get_user``: one round trip for the
session, the person and the navbar's count.

Passwords are Django's: ``authenticate`` is ModelBackend's. ``django.contrib.auth``'s own
ModelBackend stays in AUTHENTICATION_BACKENDS, after this one, only so that sessions signed
in before this backend existed (which name it) stay signed in; so that it never checks a
password a second time, a failed check here ends the attempt (``PermissionDenied``: Django
then reports the failure, which django-axes counts, exactly as before)."""
import contextvars
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.utils.functional import SimpleLazyObject

from core import db as core_db


class Backend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied  # the one password check (see the module's docstring)
        return user

    def get_user(self, user_id):
        user = _read_with_session(user_id)
        if user is None:
            user = _read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


# The session store of the request whose user Django is loading (AuthenticationMiddleware).
_session = contextvars.ContextVar("core.auth.session", default=None)


def _read_with_session(user_id):
    """The person the session store read with the session (core/sessions.py), when it is the
    one the session names; None otherwise (then the person is read on their own)."""
    person = getattr(_session.get(), "person", None)
    return person if person is not None and str(person.pk) == str(user_id) else None


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the session store of the request in view while Django loads the user,
    so that the backend takes the person read along with the session instead of reading
    them again. Everything else (the session's hash check, the lazy user) is Django's."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    token = _session.set(request.session)
    try:
        return auth_middleware.get_user(request)
    finally:
        _session.reset(token)


@functools.cache
def person_select() -> tuple[str, str, list]:
    """What reads the person ``u`` with their unit and office: the select list, the joins from
    ``u`` and, for each model read (user, unit, office), its fields in order, their attribute
    names and the foreign key of the user that leads to it. Used by this module's statement
    and by the session's (core/sessions.py), which reads the person with the session."""
    user_model = get_user_model()
    related = [user_model._meta.get_field(name) for name in ("unit", "office")]
    parts = [(user_model, "u", None)] + [(f.related_model, f"r{i}", f) for i, f in enumerate(related)]
    columns = ", ".join(f"{alias}.{f.column}" for model, alias, _fk in parts for f in model._meta.concrete_fields)
    joins = " ".join(f"LEFT JOIN {fk.related_model._meta.db_table} {alias} ON {alias}.{fk.target_field.column} = u.{fk.column}"
                     for _model, alias, fk in parts[1:])
    return columns, joins, [(model, list(model._meta.concrete_fields), [f.attname for f in model._meta.concrete_fields], fk)
                            for model, _alias, fk in parts]


@functools.cache
def _statement() -> str:
    user_model = get_user_model()
    columns, joins, _parts = person_select()
    return f"SELECT {columns} FROM {user_model._meta.db_table} u {joins} WHERE u.{user_model._meta.pk.column} = %s"  # noqa: S608 - the models' tables and columns; the id is a parameter


def person_from_row(alias: str, row) -> "User | None":  # noqa: F821 - the user model, named for the reader
    """The person of ``row`` (the columns of ``person_select``, in its order) with their unit
    and office cached as ``select_related`` would cache them; None for a row of NULLs (a
    LEFT JOIN that found nobody)."""
    _columns, _joins, parts = person_select()
    objects, start = [], 0
    # psycopg2's values as they are: no field of these three models needs the ORM's conversion
    # (tests/core/test_signed_in_reads.py fails the day one does).
    for model, fields, names, _fk in parts:
        values = row[start:start + len(fields)]
        start += len(fields)
        objects.append(model.from_db(alias, names, values) if values[0] is not None else None)
    user = objects[0]
    if user is None:
        return None
    for (_model, _fields, _names, fk), obj in zip(parts[1:], objects[1:], strict=True):
        fk.set_cached_value(user, obj)  # None too: no query for an account without a unit
    return user


def _read(user_id):
    alias = router.db_for_read(get_user_model())
    with connections[alias].cursor() as cursor:
        core_db.execute(cursor, _statement(), [user_id])
        row = cursor.fetchone()
    return None if row is None else person_from_row(alias, row)
