"""Benchmark of the deadline engine's dossier sweep on PostgreSQL.

Builds 1,000,000 dossiers (200,000 open) and 20,000 apology letters of closed dossiers
with INSERT ... SELECT generate_series in a database of its own, then times, each inside a rolled-back transaction so that both
start from the same rows:

- the engine: ``dossiers.deadlines.sweep(now)`` (mark overdue + events, warnings +
  events + notices, promises), then ``SET CONSTRAINTS ALL IMMEDIATE``: the deferred
  foreign-key checks of the rows it inserted, which its commit would run;
- one hand-written ``UPDATE`` that marks the same rows (overdue_at on the overdue ones,
  warned_at on the ones due by the next working day) and writes nothing else: no
  events, no notices.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_dossiers \\
        .venv/bin/python bench/deadlines.py [--rows 1000000] [--open 200000] [--repeat 3]

Goals (issue 15): the engine writes >= 18,000 items a second (items = dossiers marked +
events + notices written) and takes <= 2x the hand-written statement. It also prints the
share of the updates that were heap-only (HOT: no index entries written;
docs/domain/deadline-engine.md, "Heap-only updates") and, when the server runs on this
machine, the CPU time its backend spent on each (steadier than wall time on a shared
machine). Each run starts from freshly vacuumed tables. ``make bench`` runs it through
``run(db_url)`` on the sibling database ``cchc_bench_dossiers``.
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
                completed_at, returned_at, timeliness, tracking_secret, survey_token, created_at, updated_at,
                search_text)
            SELECT %(unit)s, %(procedure)s, %(field)s, 'BENCH-' || lpad(i::text, 7, '0'),
                   CASE WHEN i <= %(open)s THEN (ARRAY['received','processing','processing','awaiting_supplement'])[1 + i %% 4]
                        ELSE 'returned' END,
                   'Nguyễn Văn ' || i, '', '', '0901234567', '', '', '', '[]'::jsonb, 1, 5, 'desk', '',
                   d.due - interval '7 days', %(staff)s, d.due::date, d.due,
                   CASE WHEN i > %(open)s THEN d.due - interval '1 day' END,
                   CASE WHEN i > %(open)s THEN d.due END,
                   CASE WHEN i > %(open)s THEN 'early' END,
                   md5(i::text), 'bench-' || i, %(now)s, %(now)s,
                   'bench-' || lpad(i::text, 7, '0') || ' nguyen van ' || i  -- the code and name folded
            FROM generate_series(1, %(rows)s) AS i,
                 LATERAL (SELECT date_trunc('day', %(now)s::timestamptz) + interval '10 hours'
                                 + ((i %% 60) - 20) * interval '1 day' AS due) d
            """,
            {"unit": unit.pk, "procedure": procedure.pk, "field": procedure.field_id, "open": open_rows, "rows": rows,
             "staff": staff.pk, "now": now},
        )
        # Apology letters of closed dossiers, their new date long past (like the city's late
        # ones): never marked, as the dossier is closed, but the promise rule must skip them
        # every run.
        cursor.execute(
            """
            INSERT INTO dossiers_apology (dossier_id, unit_id, issued_at, recorded_at, reason, new_due_date,
                                          new_due_at, timely, signed_by_id)
            SELECT id, unit_id, due_at - interval '2 days', due_at - interval '2 days', 'Cần xác minh thêm',
                   due_date - 30, due_at - interval '30 days', true, NULL
            FROM dossiers_dossier WHERE id > %(open)s AND id %% 40 = 0
            """,
            {"open": open_rows},
        )
        cursor.execute("VACUUM ANALYZE dossiers_dossier, dossiers_apology")
    print(f"built {rows:,} dossiers ({open_rows:,} open) in {time.perf_counter() - t0:.1f} s")
    return now + datetime.timedelta(minutes=1)


GOAL_ITEMS = 18_000  # items a second
GOAL_RATIO = 2.0  # x the hand-written UPDATE


def _server_cpu(cursor) -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine (/proc): a figure the neighbours' load on a shared machine moves far
    less than wall time."""
    cursor.execute("SELECT pg_backend_pid()")
    try:
        fields = Path(f"/proc/{cursor.fetchone()[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn):
    """``fn()`` in a transaction rolled back afterwards: (seconds, its result, what the
    transaction wrote: events, notices, dossier rows updated and how many of them HOT, and
    the server's CPU seconds)."""
    from django.db import connection, transaction

    def written(cursor):
        cursor.execute(
            "SELECT (SELECT count(*) FROM dossiers_dossierevent), (SELECT count(*) FROM core_notification), "
            "pg_stat_get_xact_tuples_updated('dossiers_dossier'::regclass), "
            "pg_stat_get_xact_tuples_hot_updated('dossiers_dossier'::regclass)")
        return cursor.fetchone()

    with connection.cursor() as cursor:
        # Each run starts from the same pages: the rolled-back versions of the previous run
        # would otherwise fill the room heap-only updates need.
        cursor.execute("VACUUM dossiers_dossier, dossiers_dossierevent, core_notification")
    with transaction.atomic(), connection.cursor() as cursor:
        before = written(cursor)
        cpu = _server_cpu(cursor)
        start = time.perf_counter()
        result = fn()
        # The deferred foreign-key checks of what was inserted: the commit would run them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - start
        if cpu is not None:
            cpu = _server_cpu(cursor) - cpu
        after = written(cursor)
        transaction.set_rollback(True)
    events, notices, updated, hot = (a - b for a, b in zip(after, before))
    return elapsed, result, {"events": events, "notices": notices, "updated": updated, "hot": hot, "cpu": cpu}


def measure(*, rows: int, open_rows: int, repeat: int, skip_build: bool) -> dict:
    """Build (unless ``skip_build``) and time the engine and the hand-written UPDATE
    ``repeat`` times each, alternately. Medians in seconds, counts of the last run."""
    ensure_database()
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from core import workdays
    from dossiers import deadlines

    now = timezone.now() if skip_build else build(rows, open_rows)
    today = timezone.localdate(now)
    until = workdays.add_working_days(today, 1)

    def engine():
        return deadlines.sweep(now)

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

    engine_times, hand_times, engine_cpu, hand_cpu = [], [], [], []
    for _ in range(repeat):
        t, summary, engine_wrote = timed(engine)
        engine_times.append(t)
        engine_cpu.append(engine_wrote["cpu"])
        t, marked, hand_wrote = timed(by_hand)
        hand_times.append(t)
        hand_cpu.append(hand_wrote["cpu"])
    assert (summary["dossiers_overdue"], summary["dossiers_warned"]) == marked, (summary, marked)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN UPDATE dossiers_dossier SET overdue_at = now() "
            f"WHERE {deadlines.OPEN_CLOCK_RUNNING} AND overdue_at IS NULL AND due_at < now()")
        plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])
    # Steady state: a second sweep right after the first finds nothing to do.
    with transaction.atomic():
        deadlines.sweep(now)
        start = time.perf_counter()
        again = deadlines.sweep(now)
        again_s = time.perf_counter() - start
        transaction.set_rollback(True)
    engine_s, hand_s = statistics.median(engine_times), statistics.median(hand_times)
    items = sum(summary.values()) + engine_wrote["events"] + engine_wrote["notices"]  # every row marked, too
    cpu = (statistics.median(engine_cpu), statistics.median(hand_cpu)) if None not in engine_cpu + hand_cpu else None
    return {"engine_s": engine_s, "hand_s": hand_s, "summary": summary, "marked": marked, "wrote": engine_wrote,
            "hand_wrote": hand_wrote, "items": items, "again_s": again_s, "again": again, "plan": plan, "cpu": cpu}


def _hot_share(wrote: dict) -> str:
    return f"{wrote['hot']:,} of {wrote['updated']:,} updates heap-only ({100 * wrote['hot'] / max(wrote['updated'], 1):.0f} %)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    m = measure(rows=args.rows, open_rows=args.open, repeat=args.repeat, skip_build=args.skip_build)
    e, h, w = m["engine_s"], m["hand_s"], m["wrote"]
    print(f"engine sweep: {e * 1000:8.1f} ms  {m['summary']}")
    print(f"              wrote {w['events']:,} events, {w['notices']:,} notices; {_hot_share(w)}")
    print(f"hand SQL:     {h * 1000:8.1f} ms  marked overdue={m['marked'][0]}, warned={m['marked'][1]}; "
          f"{_hot_share(m['hand_wrote'])}")
    marked = sum(m["summary"].values())
    print(f"items (dossiers marked + events + notices): {m['items']:,}")
    print(f"throughput: {m['items'] / e:,.0f} items/s (goal >= {GOAL_ITEMS:,} items/s); "
          f"dossiers marked: {marked / e:,.0f}/s; marked + notices: {(marked + w['notices']) / e:,.0f}/s")
    print(f"ratio engine / hand-written: {e / h:.2f}x (goal <= {GOAL_RATIO:g}x bare UPDATE)")
    if m["cpu"]:
        print(f"server CPU: engine {m['cpu'][0]:.2f} s, hand-written {m['cpu'][1]:.2f} s, "
              f"ratio {m['cpu'][0] / m['cpu'][1]:.2f}x")
    print(f"plan: {m['plan']}")
    print(f"re-run right after: {m['again_s'] * 1000:.1f} ms {m['again']}")


def run(db_url: str) -> list[dict]:
    """``make bench`` (bench/README.md): the figures as rows of the one table, measured on
    the sibling database ``cchc_bench_dossiers`` (built here; the city is not touched)."""
    from bench.common import row

    os.environ["DATABASE_URL"] = db_url.rsplit("/", 1)[0] + "/cchc_bench_dossiers"
    m = measure(rows=1_000_000, open_rows=200_000, repeat=3, skip_build=False)
    e, h = m["engine_s"] * 1000, m["hand_s"] * 1000
    rows = [
        row("hand-written UPDATE marking the same rows (reference)", h, "ms", "-", None, "-"),
        row("deadline engine sweep, 1M dossiers (200k open)", e, "ms", "raw SQL", h, f"≤ {GOAL_RATIO:g}×"),
        row(f"deadline engine sweep: {m['items']:,} items (marked + events + notices)", m["items"] / (e / 1000),
            "items/s", "-", None, f"≥ {GOAL_ITEMS:,} items/s"),
    ]
    if m["cpu"]:
        rows.append(row("deadline engine sweep, server CPU time", m["cpu"][0] * 1000, "ms", "raw SQL (CPU)",
                        m["cpu"][1] * 1000, f"≤ {GOAL_RATIO:g}×"))
    rows.append(row("engine re-run right after (nothing to do)", m["again_s"] * 1000, "ms", "-", None, "< 1 s"))
    return rows


if __name__ == "__main__":
    main()
