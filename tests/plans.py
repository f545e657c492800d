"""The plan PostgreSQL would run a statement with, sequential scans priced out: what a test asks
when the question is whether an index can serve the statement (a table of a few rows is read
whole whatever its indexes). ``SET LOCAL`` lasts to the end of the test's transaction."""
from django.db import connection


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def queryset_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return plan(sql, params)
