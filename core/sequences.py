"""Gap-free numbering (dossier and feedback codes daily, document numbers yearly)."""
import datetime

from django.db import connection


def _next(model, unit, column: str, value) -> int:
    """One atomic upsert on ``model`` (columns unit_id, ``column``, last, unique on the
    first two): two requests at the same second get different numbers, and a rolled-back
    transaction gives its number back (the counter row is part of the same transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, {column}, last) VALUES (%s, %s, 1) "  # noqa: S608 - names are ours
            f"ON CONFLICT (unit_id, {column}) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, value],
        )
        return cursor.fetchone()[0]


def next_daily_number(model, *, unit, day: datetime.date) -> int:
    """The next number of ``unit`` on ``day`` in ``model`` (unit, day, last)."""
    return _next(model, unit, "day", day)


def next_yearly_number(model, *, unit, year: int) -> int:
    """The next number of ``unit`` in ``year`` in ``model`` (unit, year, last): document
    numbers restart every year (Nghị định 30/2020)."""
    return _next(model, unit, "year", year)
