"""The plan PostgreSQL would run a statement with, sequential scans priced out: what a test asks
when the question is whether an index can serve the statement (a table of a few rows is read
whole whatever its indexes). ``SET LOCAL`` lasts to the end of the test's transaction.

``only_index`` asks whether that one index can serve the statement: the table's other indexes
(but those a constraint needs) are dropped inside the test's transaction, which puts them back
when it rolls back. Between two indexes that both could, the planner's choice follows the
table's statistics, which depend on what earlier tests left behind."""
from django.db import connection


def plan(sql: str, params=(), *, only_index: str | None = None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if only_index:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text FROM pg_index i "
                "WHERE i.indrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = %s::regclass) "
                "AND i.indexrelid <> %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [only_index, only_index])
            for (other,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {other}")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def queryset_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return plan(sql, params)
