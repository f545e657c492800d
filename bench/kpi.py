#!/usr/bin/env python
"""KPI benchmark: the dashboard selector against one hand-written SQL query; the Excel report
against bare openpyxl write-only mode on the same query, rows and columns; the background
export (the Celery task's function) of 100k and 1M register rows in fresh processes, with its
progress writes and peak RSS. At 1,000,000 dossiers and 200,000 survey responses. Prints
figures; asserts nothing.

    .venv/bin/python bench/kpi.py [--dossiers 1000000] [--responses 200000] [--feedback 50000]
                                  [--excel 10000,100000] [--jobs 100000,1000000]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cchc_bench_kpi),
created and filled on first run with INSERT ... SELECT generate_series (a minute or two); the
export jobs it runs there are deleted afterwards, with their files.
"""
import argparse
import datetime
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_bench_kpi")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.pop("REDIS_URL", None)

UNITS = 20
START = datetime.datetime(2024, 12, 1, 7, 0)


def ensure_database():
    from urllib.parse import urlparse

    import psycopg2

    url = urlparse(BENCH_URL)
    conn = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                            password=url.password or "", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path.lstrip("/")])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
    conn.close()


def populate(n_dossiers, n_responses, n_feedback):
    from django.core.management import call_command
    from django.db import connection

    from core.models import Field, Office, Unit
    from dossiers.models import Dossier, Procedure
    from kpi.models import MonthlyFigure
    from kpi.services import plan_create
    from surveys.models import Questionnaire

    call_command("migrate", verbosity=0)
    if Dossier.objects.count() >= n_dossiers:
        return
    t0 = time.perf_counter()
    office, _ = Office.objects.get_or_create(code="bench-office", defaults={"name": "Phòng Nội vụ (bench)"})
    units = []
    for i in range(UNITS):
        unit, _ = Unit.objects.get_or_create(slug=f"bench-{i:02d}", defaults={
            "office": office, "code": f"000.00.{i:02d}.BENCH", "name": f"Trường mầm non số {i:02d}"})
        units.append(unit)
        for year in (2025, 2026):
            if not unit.plans.filter(year=year).exists():
                plan_create(unit=unit, year=year)
        for year, month in [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 12)]:
            for key in ("e_payment_rate", "e_document_rate"):
                MonthlyFigure.objects.get_or_create(unit=unit, key=key, year=year, month=month,
                                                    defaults={"numerator": 95, "denominator": 100})
    fields = list(Field.objects.filter(has_procedures=True))
    for unit in units:
        for field in fields:
            Procedure.objects.get_or_create(unit=unit, code=f"B-{field.key}", defaults={
                "name": f"Thủ tục {field.name}", "field": field, "processing_days": 5})
    Questionnaire.objects.get_or_create(unit=None, version=1, defaults={"title": "SIPAS"})
    span = 720 * 86400.0
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_proc")
        cur.execute("CREATE TABLE bench_proc AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, unit_id, field_id "
                    "FROM dossiers_procedure WHERE code LIKE 'B-%%'")
        cur.execute("SELECT count(*) FROM bench_proc")
        n_proc = cur.fetchone()[0]
        cur.execute("TRUNCATE dossiers_apology, dossiers_dossier CASCADE")
        cur.execute(f"""
            INSERT INTO dossiers_dossier (code, status, applicant_name, applicant_id_number, applicant_address,
              applicant_phone, applicant_email, representative_name, request_summary, documents, sets_count,
              processing_days, result_delivery, register_book, received_at, due_date, due_at, completed_at,
              returned_at, timeliness, tracking_secret, survey_token, created_at, updated_at, field_id, unit_id,
              procedure_id)
            SELECT 'BENCH-' || g, s.status, 'Nguyễn Văn ' || (g % 997), '', '', '0901234567', '', '', '', '[]', 1,
              5, CASE WHEN g % 5 = 0 THEN 'online' ELSE 'desk' END, 'Sổ 1', s.received_at,
              (s.received_at + interval '7 days')::date, (s.received_at + interval '7 days')::date + time '17:00',
              CASE WHEN s.done THEN s.received_at + (g % 10) * interval '1 day' END,
              CASE WHEN s.done AND s.status = 'returned' THEN s.received_at + (g % 10) * interval '1 day' + interval '2 hours' END,
              CASE WHEN s.done THEN CASE WHEN g % 10 < 5 THEN 'early' WHEN g % 10 < 8 THEN 'on_time' ELSE 'late' END END,
              md5(g::text), 'tok' || g, now(), now(), p.field_id, p.unit_id, p.id
            FROM generate_series(1, {n_dossiers}) g
            JOIN bench_proc p ON p.n = (g / 10) % {n_proc}
            CROSS JOIN LATERAL (SELECT
              timestamptz '{START:%Y-%m-%d %H:%M}+07' + (g * {span / n_dossiers}) * interval '1 second' AS received_at,
              CASE WHEN g % 20 = 0 THEN 'withdrawn' WHEN g % 20 IN (1, 2) THEN 'processing'
                   WHEN g % 2 = 0 THEN 'returned' ELSE 'completed' END AS status,
              g % 20 > 2 AS done) s
        """)
        cur.execute("""
            INSERT INTO dossiers_apology (dossier_id, unit_id, issued_at, recorded_at, reason, new_due_date, new_due_at, timely)
            SELECT id, unit_id, due_at - interval '2 days', due_at - interval '2 days', 'Cần xác minh thêm',
                   due_date + 5, due_at + interval '5 days', true
            FROM dossiers_dossier WHERE (timeliness = 'late' OR status = 'processing') AND id % 3 <> 0
        """)
        cur.execute("SELECT array_agg(id ORDER BY id) FROM core_field WHERE is_survey_area")
        areas = cur.fetchone()[0]
        cur.execute("SELECT id FROM surveys_questionnaire WHERE unit_id IS NULL AND version = 1")
        questionnaire = cur.fetchone()[0]
        cur.execute("SELECT array_agg(id ORDER BY id) FROM core_unit WHERE slug LIKE 'bench-%%'")
        unit_ids = cur.fetchone()[0]
        cur.execute("TRUNCATE surveys_response")
        cur.execute(f"""
            INSERT INTO surveys_response (source, overall, comment, answers, submitted_at, area_id, questionnaire_id, unit_id)
            SELECT CASE WHEN g %% 3 = 0 THEN 'dossier' ELSE 'open' END, 5 - (g %% 7) / 2, '', '{{}}',
              timestamptz '{START:%Y-%m-%d %H:%M}+07' + (g * {span / n_responses}) * interval '1 second',
              (%s::bigint[])[1 + g %% {len(areas)}], {questionnaire}, (%s::bigint[])[1 + g %% {UNITS}]
            FROM generate_series(1, {n_responses}) g
        """, [areas, unit_ids])
        cur.execute("TRUNCATE feedback_feedback CASCADE")
        cur.execute(f"""
            INSERT INTO feedback_feedback (code, kind, subject, content, name, phone, email, consent_publish, publishable,
              status, received_at, due_date, due_at, answer, answered_at, public_subject, public_content, public_answer,
              published_at, tracking_secret, created_at, updated_at, unit_id)
            SELECT 'FB-' || g, 'kien-nghi', 'Góp ý số ' || g, 'Nội dung', '', '', '', true, g %% 10 <> 0,
              CASE WHEN g %% 4 = 0 THEN 'new' WHEN g %% 4 = 1 THEN 'answered' ELSE 'published' END, r,
              (r + interval '7 days')::date, r + interval '7 days', '', CASE WHEN g %% 4 <> 0 THEN r + (g %% 9) * interval '1 day' END,
              '', '', '', CASE WHEN g %% 4 >= 2 AND g %% 10 <> 0 THEN r + interval '9 days' END, md5(g::text), now(), now(),
              (%s::bigint[])[1 + g %% {UNITS}]
            FROM generate_series(1, {n_feedback}) g
            CROSS JOIN LATERAL (SELECT timestamptz '{START:%Y-%m-%d %H:%M}+07' + (g * {span / n_feedback}) * interval '1 second' AS r) x
        """, [unit_ids])
        cur.execute("ANALYZE")
    print(f"populated {n_dossiers:,} dossiers, {n_responses:,} responses, {n_feedback:,} feedback "
          f"in {time.perf_counter() - t0:.0f} s")


HAND_SQL = """
WITH d AS (
  SELECT d.field_id,
    count(*) FILTER (WHERE d.status IN ('completed', 'returned') AND d.completed_at >= %(s)s AND d.completed_at < %(e)s) AS completed,
    count(*) FILTER (WHERE d.status IN ('completed', 'returned') AND d.completed_at >= %(s)s AND d.completed_at < %(e)s
                     AND d.timeliness IN ('early', 'on_time')) AS on_time,
    count(*) FILTER (WHERE (d.status IN ('completed', 'returned') AND d.completed_at >= %(s)s AND d.completed_at < %(e)s AND d.timeliness = 'late')
                        OR (d.status IN ('received', 'processing', 'awaiting_supplement') AND d.due_date BETWEEN %(sd)s AND %(ed)s AND d.due_at < %(now)s)) AS late,
    count(*) FILTER (WHERE a.id IS NULL AND ((d.status IN ('completed', 'returned') AND d.completed_at >= %(s)s AND d.completed_at < %(e)s AND d.timeliness = 'late')
                        OR (d.status IN ('received', 'processing', 'awaiting_supplement') AND d.due_date BETWEEN %(sd)s AND %(ed)s AND d.due_at < %(now)s))) AS unapologised
  FROM dossiers_dossier d LEFT JOIN dossiers_apology a ON a.dossier_id = d.id
  WHERE d.unit_id = ANY(%(units)s)
    AND ((d.status IN ('completed', 'returned') AND d.completed_at >= %(s)s AND d.completed_at < %(e)s)
      OR (d.status IN ('received', 'processing', 'awaiting_supplement') AND d.due_date BETWEEN %(sd)s AND %(ed)s))
  GROUP BY d.field_id
), r AS (
  SELECT area_id, count(*) AS responses, count(*) FILTER (WHERE overall >= 4) AS satisfied,
         count(*) FILTER (WHERE source = 'dossier') AS d_responses, count(*) FILTER (WHERE source = 'dossier' AND overall >= 4) AS d_satisfied
  FROM surveys_response WHERE unit_id = ANY(%(units)s) AND submitted_at >= %(s)s AND submitted_at < %(e)s GROUP BY area_id
), f AS (
  SELECT count(*) AS received, count(answered_at) AS answered, count(*) FILTER (WHERE answered_at <= due_at) AS on_time,
         count(*) FILTER (WHERE answered_at IS NOT NULL AND publishable) AS publishable,
         count(*) FILTER (WHERE answered_at IS NOT NULL AND publishable AND published_at IS NOT NULL) AS published
  FROM feedback_feedback WHERE unit_id = ANY(%(units)s) AND received_at >= %(s)s AND received_at < %(e)s
), m AS (
  SELECT key, sum(numerator) AS n, sum(denominator) AS d FROM kpi_monthlyfigure
  WHERE unit_id = ANY(%(units)s) AND year * 100 + month BETWEEN %(ym1)s AND %(ym2)s GROUP BY key
), t AS (
  SELECT t.key, t.field_key, max(t.value) AS target FROM kpi_target t JOIN kpi_yearplan p ON p.id = t.plan_id
  WHERE p.unit_id = ANY(%(units)s) AND p.year = %(year)s GROUP BY t.key, t.field_key
)
SELECT (SELECT json_agg(d) FROM d), (SELECT json_agg(r) FROM r), (SELECT row_to_json(f) FROM f),
       (SELECT json_agg(m) FROM m), (SELECT json_agg(t) FROM t)
"""


def timed(fn, repeat=5):
    fn()  # warm the caches
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), result


def bench_selector(label, unit_ids, period, now):
    from django.db import connection

    from core.models import Unit
    from kpi import selectors

    units = Unit.objects.filter(pk__in=unit_ids)
    params = {
        "units": list(unit_ids), "s": period.start_at, "e": period.end_before, "sd": period.start, "ed": period.end,
        "now": now, "ym1": period.start.year * 100 + period.start.month, "ym2": period.end.year * 100 + period.end.month,
        "year": period.year,
    }

    def hand():
        with connection.cursor() as cur:
            cur.execute(HAND_SQL, params)
            return cur.fetchone()

    t_sel, rows = timed(lambda: selectors.indicator_rows(units=units, period=period, now=now))
    t_sql, raw = timed(hand)
    on_time = next(r for r in rows if r["key"] == "dossier_on_time_rate" and r["field"] is None)
    hand_on_time = (sum(x["on_time"] for x in raw[0]), sum(x["completed"] for x in raw[0]))
    same = hand_on_time == (on_time["numerator"], on_time["denominator"])
    print(f"  {label:<34} selector {t_sel * 1000:8.1f} ms   hand SQL {t_sql * 1000:8.1f} ms   "
          f"ratio {t_sel / t_sql:5.2f}x   (on time {on_time['numerator']:,}/{on_time['denominator']:,}, same numbers: {same})")


def period_with_rows(n_rows):
    """A period starting at the first dossier whose register (every unit) has about ``n_rows``
    rows; the whole table from ``n_rows`` = its size on."""
    from django.utils import timezone

    from dossiers.models import Dossier
    from kpi.indicators import Period

    by_date = Dossier.objects.order_by("received_at").values_list("received_at", flat=True)
    first = by_date.first()
    if n_rows >= Dossier.objects.count():
        return Period(timezone.localdate(first), timezone.localdate(by_date.last()))
    return Period(timezone.localdate(first), timezone.localdate(by_date[n_rows - 1]) - datetime.timedelta(days=1))


# The register's database columns, fetched the way dossiers.export fetches them.
REGISTER_COLUMNS = (
    "register_line", "code", "procedure__name", "sets_count", "applicant_name", "applicant_address",
    "applicant_phone", "unit__name", "received_at", "due_at", "completed_at", "returned_at", "status",
    "timeliness", "result_delivery", "field__name", "channel",
)


def bare_register(workbook, units, period):
    """The register sheet as bare openpyxl writes it: the same query (the same columns, a
    server-side cursor, 2,000 rows a fetch), the same 17 columns per row (the office's
    register: 16 of the form and the unit) with the same blanks, plain values — the stored
    texts and codes instead of the portal's labels and notes, times with their zone dropped
    (openpyxl refuses aware ones) — no title block, no styles."""
    from kpi.excel import register_queryset

    ws = workbook.create_sheet("Sổ theo dõi hồ sơ")
    rows = register_queryset(units, period).order_by("received_at", "id").values_list(*REGISTER_COLUMNS)
    n = 0
    for n, (line, code, procedure, sets, name, address, phone, unit_name, received, due, completed, returned, status,
            timely, how, field, channel) in enumerate(rows.iterator(chunk_size=2000), start=1):
        ws.append([line, code, procedure, sets, name, address, unit_name, received.replace(tzinfo=None),
                   due and due.replace(tzinfo=None), None, completed and completed.replace(tzinfo=None),
                   returned and returned.replace(tzinfo=None), None, status, field, channel, unit_name])
    return n


def bare_feedback(workbook, units, period):
    """The feedback sheet's rows and 11 columns (office report), plain values."""
    from kpi.excel import feedback_queryset

    ws = workbook.create_sheet("PAKN")
    items = feedback_queryset(units, period).order_by("received_at", "id").values_list(
        "code", "kind", "subject", "received_at", "due_at", "answered_at", "published_at", "status", "unit__name")
    n = 0
    for n, (code, kind, subject, received, due, answered, published, status, unit_name) in enumerate(
            items.iterator(chunk_size=2000), start=1):
        ws.append([n, code, kind, subject, received.replace(tzinfo=None), due.replace(tzinfo=None),
                   answered and answered.replace(tzinfo=None), None, published and published.replace(tzinfo=None),
                   status, unit_name])
    return n


def saved(write):
    """Run ``write(workbook)`` on a write-only workbook, save it; its return value."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    result = write(workbook)
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
    return result


def portal_register(units, period):
    from dossiers.export import register_heading, write_register
    from kpi.excel import period_text, register_queryset

    register = register_queryset(units, period).order_by("received_at", "id")
    return saved(lambda workbook: write_register(
        workbook, register, heading=register_heading(unit_name="bench", period=period_text(period)), unit_column=True))


def portal_export(units, period):
    from kpi.excel import write_report

    with tempfile.TemporaryFile() as handle:
        return write_report(handle, units=units, period=period, office=True)


def bench_excel(sizes):
    from core.models import Unit
    from kpi.excel import feedback_queryset

    units = Unit.objects.filter(slug__startswith="bench-")
    print("Excel report vs bare openpyxl (write_only=True, plain values): the same query, rows and columns, "
          "best of 2 alternating runs:")
    for n in sizes:
        period = period_with_rows(n)
        feedback = feedback_queryset(units, period).count()
        best = {}
        for _ in range(2):  # alternate, so a neighbour's load falls on both alike
            for name, fn in (("register", lambda: portal_register(units, period)),
                             ("bare register", lambda: saved(lambda wb: bare_register(wb, units, period))),
                             ("report", lambda: portal_export(units, period)),
                             ("bare report", lambda: saved(lambda wb: (bare_register(wb, units, period),
                                                                       bare_feedback(wb, units, period))))):
                t0 = time.perf_counter()
                fn()
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - t0)
        rows = register_size(units, period)
        print(f"  register sheet, {rows:>9,} rows: portal {rows / best['register']:8,.0f} rows/s   bare openpyxl "
              f"{rows / best['bare register']:8,.0f} rows/s   ratio {best['bare register'] / best['register']:4.2f}x")
        total = rows + feedback
        gc.collect()
        tracemalloc.start()
        portal_export(units, period)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  whole report, {rows:>9,} register rows ({total:,} rows with the feedback sheet's): "
              f"portal {total / best['report']:8,.0f} rows/s   bare openpyxl {total / best['bare report']:8,.0f} rows/s"
              f"   ratio {best['bare report'] / best['report']:4.2f}x   peak Python memory of the export {peak / 2**20:6.1f} MiB")


def register_size(units, period):
    from kpi.excel import register_size as size

    return size(units, period)


def rss():
    """This process's resident memory now (VmRSS) and at its highest (VmHWM), in MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def export_job_child(n_rows):
    """In a fresh process: one export job of the whole register (every unit, an administrator's
    report) run by the Celery task's function, as the worker runs it. Prints one JSON line:
    rows, seconds, the progress writes (from the job's own UPDATEs) and what another connection
    polling the job saw, peak RSS. The job and its file are deleted afterwards."""
    import json
    import threading

    import psycopg2
    from django.db import connection

    from core.models import Unit, User
    from kpi.models import ExportJob
    from kpi.tasks import export_report

    admin, _ = User.objects.get_or_create(username="bench-kpi-admin", defaults={"role": User.Role.ADMIN})
    period = period_with_rows(n_rows)
    size = register_size(Unit.objects.all(), period)
    job = ExportJob.objects.create(requested_by=admin, rows_total=size, params={
        "unit": None, "from": period.start.isoformat(), "to": period.end.isoformat()})
    writes = []

    def count_progress(execute, sql, params, many, context):
        if sql.startswith('UPDATE "kpi_exportjob" SET "rows_done"'):
            writes.append((time.perf_counter(), params[0]))
        return execute(sql, params, many, context)

    seen, stop = [], threading.Event()

    def poll():  # what the progress page reads, from another connection
        other = psycopg2.connect(BENCH_URL)
        other.autocommit = True
        with other.cursor() as cur:
            while not stop.wait(0.2):
                cur.execute("SELECT rows_done FROM kpi_exportjob WHERE id = %s", [job.pk])
                value = cur.fetchone()[0]
                if not seen or seen[-1] != value:
                    seen.append(value)
        other.close()

    before = rss()["VmRSS"]
    poller = threading.Thread(target=poll)
    poller.start()
    t0 = time.perf_counter()
    try:
        with connection.execute_wrapper(count_progress):
            export_report(job.pk)
    finally:
        elapsed = time.perf_counter() - t0
        stop.set()
        poller.join()
    job.refresh_from_db()
    gaps = [b[0] - a[0] for a, b in zip([(t0, 0)] + writes, writes)]
    result = {
        "rows": size, "seconds": elapsed, "status": job.status, "rows_done": job.rows_done, "writes": len(writes),
        "first_write": gaps[0] if gaps else 0, "min_gap": min(gaps[1:], default=0), "max_gap": max(gaps[1:], default=0),
        "seen": len(seen), "rss_start": before, "rss_peak": rss()["VmHWM"],
    }
    if job.file:
        result["file_rows"] = register_lines(job.file.path)
        job.file.delete(save=False)
    job.delete()
    print("EXPORT-JOB " + json.dumps(result))


def register_lines(path):
    """The register's data rows in a saved report (its second sheet), counted in the XML."""
    import zipfile

    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet2.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            count += (tail + chunk).count(b"</row>")
            tail = chunk[-5:]
    return count - 6  # title block (4 lines), a blank row, the header row


def bench_export_jobs(sizes):
    """Each size in a fresh process (peak RSS is a high-water mark)."""
    import json
    import subprocess

    print("Background export (kpi.tasks.export_report run as the Celery worker runs it; the whole report of every "
          "unit), each in a fresh process:")
    peaks = {}
    for n in sizes:
        done = subprocess.run([sys.executable, __file__, "--export-job", str(n)], capture_output=True, text=True,
                              env=os.environ)
        line = next((x for x in done.stdout.splitlines() if x.startswith("EXPORT-JOB ")), None)
        if line is None:
            print(f"  export job of {n:,} rows failed:\n{done.stderr[-2000:]}")
            continue
        r = json.loads(line[len("EXPORT-JOB "):])
        peaks[n] = r
        print(f"  export job, {r['rows']:>9,} rows: {r['seconds']:6.1f} s ({r['rows'] / r['seconds']:,.0f} rows/s), "
              f"{r['status']}, rows_done {r['rows_done']:,}, register sheet {r.get('file_rows', 0):,} lines; "
              f"{r['writes']} progress writes, {r['min_gap']:.1f}-{r['max_gap']:.1f} s apart, first after {r['first_write']:.1f} s; "
              f"another connection saw {r['seen']} values; peak RSS {r['rss_peak']:6.1f} MiB "
              f"({r['rss_peak'] - r['rss_start']:+.1f} MiB while exporting)")
    if len(peaks) == 2:
        small, large = (peaks[n] for n in sorted(peaks))
        print(f"  peak RSS, {large['rows']:,} rows over {small['rows']:,} rows: {large['rss_peak']:.1f} / "
              f"{small['rss_peak']:.1f} MiB = {large['rss_peak'] / small['rss_peak']:4.2f}x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--feedback", type=int, default=50_000)
    parser.add_argument("--excel", default="10000,100000")
    parser.add_argument("--jobs", default="100000,1000000", help="rows of the background exports ('' for none)")
    parser.add_argument("--export-job", type=int, help=argparse.SUPPRESS)  # the child of bench_export_jobs
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    if args.export_job:  # on the database the parent filled
        export_job_child(args.export_job)
        return
    populate(args.dossiers, args.responses, args.feedback)
    from kpi import rollup
    from kpi.models import DayCount

    if not DayCount.objects.exists():  # the rows went in with INSERT … SELECT: recount (docs/kpi/rollup.md)
        started = time.perf_counter()
        rollup.rebuild()
        print(f"KPI rollup rebuilt in {time.perf_counter() - started:.0f} s")

    from django.utils import timezone

    from core.models import Unit
    from kpi.indicators import Period

    now = timezone.make_aware(datetime.datetime(2026, 11, 27, 9, 0))
    unit_ids = list(Unit.objects.filter(slug__startswith="bench-").order_by("slug").values_list("pk", flat=True))
    print("Dashboard selector (indicator_rows over the daily rollup) vs one hand-written SQL query over the records, "
          "median of 5:")
    bench_selector("one unit, year 2026", unit_ids[:1], Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)), now)
    bench_selector("one unit, March 2026", unit_ids[:1], Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)), now)
    bench_selector(f"office ({len(unit_ids)} units), year 2026", unit_ids, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)), now)
    bench_excel([int(x) for x in args.excel.split(",") if x])
    bench_export_jobs([int(x) for x in args.jobs.split(",") if x])


if __name__ == "__main__":
    main()
