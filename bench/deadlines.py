"""Benchmark of the deadline engine's dossier sweep on PostgreSQL.

Builds 1,000,000 dossiers (200,000 open) with INSERT ... SELECT generate_series in a
database of its own, then times, each inside a rolled-back transaction so that both
start from the same rows:

- the engine: ``dossiers.deadlines.sweep(now)`` (mark overdue + events, warnings +
  events + notices, promises);
- one hand-written ``UPDATE`` that marks the same rows (overdue_at on the overdue ones,
  warned_at on the ones due by the next working day) and writes nothing else: no
  events, no notices.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_dossiers \\
        .venv/bin/python bench/deadlines.py [--rows 1000000] [--open 200000] [--repeat 3]

The goal is the engine within 2x of the hand-written statement.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_bench_dossiers")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")


def ensure_database():
    import psycopg2

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def build(rows: int, open_rows: int):
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from core.models import Field, Office, Unit, User
    from dossiers.models import Procedure

    call_command("migrate", verbosity=0)
    office, _ = Office.objects.get_or_create(code="bench", defaults={"name": "Bench office"})
    unit, _ = Unit.objects.get_or_create(slug="bench", defaults={"office": office, "code": "BENCH", "name": "Bench unit"})
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": "staff", "unit": unit})
    User.objects.get_or_create(username="bench-principal", defaults={"role": "principal", "unit": unit})
    procedure, _ = Procedure.objects.get_or_create(
        unit=unit, code="B-01", defaults={"name": "Bench", "field": Field.objects.get(key="xac-nhan"), "processing_days": 5})
    now = timezone.now()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE dossiers_dossierevent, dossiers_apology, dossiers_dossier, core_notification RESTART IDENTITY CASCADE")
        # Open rows: due from 20 days ago to 40 days ahead (a third overdue); closed rows: returned.
        cursor.execute(
            """
            INSERT INTO dossiers_dossier (
                unit_id, procedure_id, field_id, code, status, applicant_name, applicant_id_number, applicant_address,
                applicant_phone, applicant_email, representative_name, request_summary, documents, sets_count,
                processing_days, result_delivery, register_book, received_at, assigned_to_id, due_date, due_at,
                completed_at, returned_at, timeliness, tracking_secret, survey_token, created_at, updated_at)
            SELECT %(unit)s, %(procedure)s, %(field)s, 'BENCH-' || lpad(i::text, 7, '0'),
                   CASE WHEN i <= %(open)s THEN (ARRAY['received','processing','processing','awaiting_supplement'])[1 + i %% 4]
                        ELSE 'returned' END,
                   'Nguyễn Văn ' || i, '', '', '0901234567', '', '', '', '[]'::jsonb, 1, 5, 'desk', '',
                   d.due - interval '7 days', %(staff)s, d.due::date, d.due,
                   CASE WHEN i > %(open)s THEN d.due - interval '1 day' END,
                   CASE WHEN i > %(open)s THEN d.due END,
                   CASE WHEN i > %(open)s THEN 'early' END,
                   md5(i::text), 'bench-' || i, %(now)s, %(now)s
            FROM generate_series(1, %(rows)s) AS i,
                 LATERAL (SELECT date_trunc('day', %(now)s::timestamptz) + interval '10 hours'
                                 + ((i %% 60) - 20) * interval '1 day' AS due) d
            """,
            {"unit": unit.pk, "procedure": procedure.pk, "field": procedure.field_id, "open": open_rows, "rows": rows,
             "staff": staff.pk, "now": now},
        )
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    print(f"built {rows:,} dossiers ({open_rows:,} open) in {time.perf_counter() - t0:.1f} s")
    return now + datetime.timedelta(minutes=1)


def timed(fn):
    from django.db import transaction

    with transaction.atomic():
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from dossiers import deadlines

    now = timezone.now() if args.skip_build else build(args.rows, args.open)

    def engine():
        return deadlines.sweep(now)

    from core import workdays

    today = timezone.localdate(now)
    until = workdays.add_working_days(today, 1)

    def by_hand():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE dossiers_dossier d SET
                    overdue_at = CASE WHEN d.due_at < %(now)s THEN %(now)s ELSE d.overdue_at END,
                    warned_at = CASE WHEN d.due_at >= %(now)s THEN %(now)s ELSE d.warned_at END
                WHERE d.status IN ('received', 'processing') AND (
                    (d.overdue_at IS NULL AND d.due_at < %(now)s)
                    OR (d.warned_at IS NULL AND d.due_date BETWEEN %(today)s AND %(until)s AND d.due_at >= %(now)s
                        AND NOT EXISTS (SELECT 1 FROM dossiers_apology a WHERE a.dossier_id = d.id)))
                RETURNING (d.due_at < %(now)s)
                """,
                {"now": now, "today": today, "until": until},
            )
            flags = [row[0] for row in cursor.fetchall()]
            return sum(flags), len(flags) - sum(flags)

    engine_times, hand_times = [], []
    for _ in range(args.repeat):
        t, summary = timed(engine)
        engine_times.append(t)
        t, marked = timed(by_hand)
        hand_times.append(t)
    assert (summary["dossiers_overdue"], summary["dossiers_warned"]) == marked, (summary, marked)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN UPDATE dossiers_dossier SET overdue_at = now() WHERE status IN ('received', 'processing', "
            "'awaiting_supplement') AND overdue_at IS NULL AND due_at < now() AND status <> 'awaiting_supplement'")
        plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])
    e, h = statistics.median(engine_times), statistics.median(hand_times)
    print(f"engine sweep: {e * 1000:8.1f} ms  {summary}")
    print(f"hand SQL:     {h * 1000:8.1f} ms  marked overdue={marked[0]}, warned={marked[1]}")
    print(f"ratio engine / hand-written: {e / h:.2f}x (goal <= 2x)")
    print(f"plan: {plan}")
    # Steady state: a second sweep right after the first finds nothing to do.
    from django.db import transaction

    with transaction.atomic():
        deadlines.sweep(now)
        start = time.perf_counter()
        again = deadlines.sweep(now)
        print(f"re-run right after: {(time.perf_counter() - start) * 1000:.1f} ms {again}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
