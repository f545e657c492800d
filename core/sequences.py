"""Gap-free daily numbering (dossier and feedback codes)."""
import datetime

from django.db import connection


def next_daily_number(model, *, unit, day: datetime.date) -> int:
    """The next number of ``unit`` on ``day`` in ``model`` (a table with unit, day, last
    and a unique (unit, day) constraint): one atomic upsert, so two desks that register
    at the same second get different numbers, and a rolled-back transaction gives its
    number back (the counter row is part of the same transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, day],
        )
        return cursor.fetchone()[0]
