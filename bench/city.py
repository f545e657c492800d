"""Synthetic data for a city: 1,000 units, 1,000,000 dossiers, 200,000 survey
responses, 50,000 feedback items, 300 notices for each person of a school, about four
history lines (events) a dossier, written with INSERT ... SELECT generate_series
into the real tables of a separate database (migrated first).

    python -m bench.city [--fresh] [--scale 1.0]

Idempotent: a database that already holds the city at this scale is left as is.
Open dossiers past their due time are left unmarked, so the deadline engine has work.
Dates are spread over 2025-01-01 .. 2026-11-20; due dates are approximate (calendar
days x 1.4), which is all a benchmark needs."""
import argparse
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from bench.common import ROOT, bench_db_url
from core.text import MARKED, PLAIN

UNITS, OFFICES = 1_000, 20
DOSSIERS, RESPONSES, FEEDBACK = 1_000_000, 200_000, 50_000
NOTICES = 300  # per person of a school: a few years of the deadline engine's notices
BENCH_PASSWORD = "bench12345"
LOCAL = "Asia/Ho_Chi_Minh"


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def ensure_database(url: str, fresh: bool):
    parts = urlsplit(libpq(url))
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def migrate(url: str):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def password_hash() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django
    from django.conf import settings

    if not settings.configured or not hasattr(settings, "PASSWORD_HASHERS"):
        django.setup()
    from django.contrib.auth.hashers import make_password

    return make_password(BENCH_PASSWORD)


STEPS = [
    ("offices", """
INSERT INTO core_office (name, code)
SELECT 'Phường ' || g, 'bench-office-' || g FROM generate_series(1, %(offices)s) g"""),
    ("units", """
INSERT INTO core_unit (office_id, slug, code, name, address, phone, email, closing_time, feedback_days,
                       head_name, head_title)
SELECT o.id, 'bench-' || lpad(g::text, greatest(4, length(g::text)), '0'), '000.00.' || lpad(g::text, greatest(4, length(g::text)), '0') || '.B29',
       'Trường mầm non số ' || g, g || ' Lê Lợi, TP. Hồ Chí Minh', '028 3822 ' || lpad(g::text, greatest(4, length(g::text)), '0'),
       'mn' || g || '@example.vn', '17:00', 5, 'Nguyễn Thị Hiệu ' || g, 'Hiệu trưởng'
FROM generate_series(1, %(units)s) g
JOIN core_office o ON o.code = 'bench-office-' || (1 + (g - 1) %% %(offices)s)"""),
    # Each unit supervised by its office since the far past (docs/domain/supervision.md).
    ("supervisions", """
INSERT INTO core_supervision (office_id, unit_id, valid_from, valid_to)
SELECT u.office_id, u.id, DATE '2000-01-01', NULL FROM core_unit u
WHERE u.slug LIKE 'bench-%%' AND NOT EXISTS (SELECT 1 FROM core_supervision s WHERE s.unit_id = u.id)"""),
    ("users", """
INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                       date_joined, role, unit_id, office_id)
SELECT %(password)s, false, r.role || '-' || u.slug, 'Lan', 'Nguyễn Thị', r.role || '-' || u.slug || '@example.vn',
       false, true, now(), r.role, u.id, NULL
FROM core_unit u CROSS JOIN (VALUES ('staff'), ('principal')) r(role) WHERE u.slug LIKE 'bench-%%'
UNION ALL
SELECT %(password)s, false, 'office-' || o.code, 'Hùng', 'Trần Văn', 'office-' || o.code || '@example.vn',
       false, true, now(), 'office', NULL, o.id
FROM core_office o WHERE o.code LIKE 'bench-office-%%'"""),
    ("procedures", """
INSERT INTO dossiers_procedure (unit_id, code, name, field_id, processing_days, clock_on_supplement,
                                required_documents, fee, legal_basis, is_published, is_active, created_at, updated_at)
SELECT u.id, 'TTHC-' || f.key, 'Thủ tục ' || f.name, f.id, 5 + (f.position %% 3) * 5, 'restart',
       '["Đơn đề nghị"]', '', '', true, true, now(), now()
FROM core_unit u CROSS JOIN core_field f WHERE u.slug LIKE 'bench-%%' AND f.has_procedures"""),
    ("lookup tables", """
DROP TABLE IF EXISTS bench_u, bench_p;
CREATE UNLOGGED TABLE bench_u AS
  SELECT u.id, u.code, (row_number() OVER (ORDER BY u.id) - 1)::int AS i,
         (SELECT id FROM core_user s WHERE s.unit_id = u.id AND s.role = 'staff') AS staff_id,
         (SELECT id FROM core_user s WHERE s.unit_id = u.id AND s.role = 'principal') AS principal_id
  FROM core_unit u WHERE u.slug LIKE 'bench-%%';
CREATE UNLOGGED TABLE bench_p AS
  SELECT p.id, p.unit_id, p.field_id, p.processing_days,
         (row_number() OVER (PARTITION BY p.unit_id ORDER BY p.id) - 1)::int AS k,
         (count(*) OVER (PARTITION BY p.unit_id))::int AS n
  FROM dossiers_procedure p JOIN bench_u u ON u.id = p.unit_id;
CREATE INDEX ON bench_u (i); CREATE INDEX ON bench_p (unit_id, k); ANALYZE bench_u; ANALYZE bench_p"""),
    ("dossiers", """
INSERT INTO dossiers_dossier (unit_id, procedure_id, field_id, code, status, applicant_name, applicant_id_number,
    applicant_address, applicant_phone, applicant_email, representative_name, request_summary, documents, sets_count,
    processing_days, result_delivery, register_book, received_at, assigned_to_id, due_date, due_at, completed_at,
    returned_at, timeliness, tracking_secret, survey_token, created_at, updated_at, search_text)
SELECT unit_id, procedure_id, field_id, code, status, applicant_name, '', '', phone, '', '', 'Đề nghị giải quyết',
       '[]', 1, processing_days, 'desk', '', received_at, staff_id, due_date,
       (due_date + time '17:00') AT TIME ZONE %(tz)s, completed_at,
       CASE WHEN status = 'returned' THEN completed_at + interval '1 day' END,
       CASE WHEN completed_at IS NULL THEN NULL
            WHEN (completed_at AT TIME ZONE %(tz)s)::date < due_date THEN 'early'
            WHEN (completed_at AT TIME ZONE %(tz)s)::date = due_date THEN 'on_time' ELSE 'late' END,
       substr(md5(g::text || 'secret'), 1, 16), md5(g::text || 'survey'), received_at, received_at,
       -- core.text.fold in SQL, as the migration that added the column fills it
       translate(lower((code || ' ' || applicant_name) COLLATE "vi_natural"), %(marked)s, %(plain)s)
FROM (
  SELECT g, u.id AS unit_id, p.id AS procedure_id, p.field_id, p.processing_days, u.staff_id,
         u.code || '-' || to_char(r.received_at AT TIME ZONE %(tz)s, 'YYMMDD') || '-' || lpad(g::text, 7, '0') AS code,
         (ARRAY['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Cường', 'Phạm Thị Dung', 'Hoàng Văn Em',
                'Võ Thị Phương', 'Đặng Minh Giang', 'Bùi Thị Hạnh'])[1 + g %% 8] AS applicant_name,
         '09' || lpad((g * 7919 %% 100000000)::text, 8, '0') AS phone,
         r.received_at, r.h,
         ((r.received_at AT TIME ZONE %(tz)s)::date + ceil(p.processing_days * 1.4)::int) AS due_date,
         CASE WHEN r.received_at > timestamptz '2026-11-01' AND r.h < 60 THEN 'processing'
              WHEN r.h < 3 THEN 'processing' WHEN r.h < 4 THEN 'awaiting_supplement'
              WHEN r.h < 7 THEN 'rejected' WHEN r.h < 9 THEN 'withdrawn'
              WHEN r.h < 13 THEN 'completed' ELSE 'returned' END AS status
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
  JOIN bench_u u ON u.i = g %% %(units)s
  CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 08:00+07' + (g::float8 / %(dossiers)s) * interval '688 days'
                             + (g * 7919 %% 540) * interval '1 minute' AS received_at,
                             abs(hashint4((g)::int)::bigint) %% 100 AS h) r
  JOIN bench_p p ON p.unit_id = u.id AND p.k = (g / %(units)s) %% p.n
) d
CROSS JOIN LATERAL (
  SELECT CASE WHEN d.status IN ('completed', 'returned')
              THEN d.received_at + (ceil(d.processing_days * 1.4) * (0.3 + (abs(hashint4((g + 1)::int)::bigint) %% 100) / 130.0))
                   * interval '1 day' END AS completed_at
) c"""),
    ("apologies", """
INSERT INTO dossiers_apology (dossier_id, unit_id, issued_at, recorded_at, reason, new_due_date, new_due_at, timely,
                              signed_by_id)
SELECT d.id, d.unit_id, d.due_at - interval '2 days', d.due_at - interval '2 days', 'Cần xác minh thêm thông tin',
       d.due_date + 5, d.due_at + interval '5 days', abs(hashint4((d.id::int)::int)::bigint) %% 10 < 8, u.principal_id
FROM dossiers_dossier d JOIN bench_u u ON u.id = d.unit_id
WHERE d.timeliness = 'late' AND abs(hashint4((d.id::int + 3)::int)::bigint) %% 10 < 7"""),
    ("survey responses", """
INSERT INTO surveys_response (unit_id, questionnaire_id, source, area_id, access, procedure, staff, result,
                              feedback_handling, overall, comment, answers, submitted_at)
SELECT u.id, q.id, CASE WHEN g %% 2 = 0 THEN 'dossier' ELSE 'open' END, a.id,
       4 + g %% 2, 3 + g %% 3, 5 - g %% 2, 4, 3 + g %% 3,
       CASE WHEN h < 62 THEN 5 WHEN h < 88 THEN 4 WHEN h < 94 THEN 3 WHEN h < 98 THEN 2 ELSE 1 END,
       CASE WHEN g %% 10 = 0 THEN 'Cô giáo rất tận tình' ELSE '' END, '{}',
       timestamptz '2025-01-02 09:00+07' + (g::float8 / %(responses)s) * interval '685 days'
FROM generate_series(0, %(responses)s - 1) g
CROSS JOIN LATERAL (SELECT abs(hashint4((g + 11)::int)::bigint) %% 100 AS h) r
JOIN bench_u u ON u.i = g %% %(units)s
JOIN (SELECT id, (row_number() OVER (ORDER BY position, id) - 1)::int AS k, count(*) OVER () AS n
      FROM core_field WHERE is_survey_area) a ON a.k = (g / %(units)s) %% a.n
CROSS JOIN (SELECT id FROM surveys_questionnaire WHERE unit_id IS NULL ORDER BY version LIMIT 1) q"""),
    ("feedback", """
INSERT INTO feedback_feedback (unit_id, code, kind, subject, content, name, phone, email, consent_publish, publishable,
    status, received_at, due_date, due_at, assigned_to_id, answer, answered_at, answered_by_id, public_subject,
    public_content, public_answer, published_at, closed_at, tracking_secret, created_at, updated_at)
SELECT unit_id, 'PAKN-B' || lpad(g::text, 6, '0'), (ARRAY['phan-anh', 'kien-nghi', 'gop-y'])[1 + g %% 3],
       'Góp ý số ' || g, 'Nội dung phản ánh, kiến nghị số ' || g, 'Phụ huynh ' || g, '0912345678', '', true,
       h %% 20 <> 0, status, received_at, due_date, (due_date + time '17:00') AT TIME ZONE %(tz)s, staff_id,
       CASE WHEN answered_at IS NOT NULL THEN 'Nhà trường xin trả lời như sau' ELSE '' END, answered_at,
       CASE WHEN answered_at IS NOT NULL THEN staff_id END,
       CASE WHEN status = 'published' THEN 'Góp ý số ' || g ELSE '' END,
       CASE WHEN status = 'published' THEN 'Nội dung đã biên tập' ELSE '' END,
       CASE WHEN status = 'published' THEN 'Câu trả lời công khai' ELSE '' END,
       CASE WHEN status = 'published' THEN answered_at + interval '1 day' END,
       CASE WHEN status = 'closed' THEN answered_at + interval '2 days' END,
       substr(md5(g::text || 'fb'), 1, 16), received_at, received_at
FROM (
  SELECT g, u.id AS unit_id, u.staff_id, h, r.received_at,
         (r.received_at AT TIME ZONE %(tz)s)::date + 7 AS due_date,
         CASE WHEN h < 8 THEN 'new' WHEN h < 12 THEN 'in_progress' WHEN h < 27 THEN 'answered'
              WHEN h < 32 THEN 'closed' ELSE 'published' END AS status,
         CASE WHEN h >= 12 THEN r.received_at + (1 + h %% 9) * interval '1 day' END AS answered_at
  FROM generate_series(0, %(feedback)s - 1) g
  JOIN bench_u u ON u.i = (g * 7) %% %(units)s
  CROSS JOIN LATERAL (SELECT timestamptz '2025-01-03 10:00+07' + (g::float8 / %(feedback)s) * interval '684 days'
                             AS received_at, abs(hashint4((g + 5)::int)::bigint) %% 100 AS h) r
) f"""),
    ("analyze", "DROP TABLE bench_u, bench_p; ANALYZE"),
]


# Added to a city built before them (idempotent): the province office and the KPI rollup.
PROVINCE = "bench-province"
EXTRAS = [
    # Since 1/7/2025 one body supervises every school of the province (docs/domain/supervision.md):
    # the twenty ward offices' supervisions end on 30/6/2025, the province's start on 1/7/2025.
    ("province office", """
INSERT INTO core_office (name, code) SELECT 'Sở Giáo dục và Đào tạo', %(province)s
WHERE NOT EXISTS (SELECT 1 FROM core_office WHERE code = %(province)s);
UPDATE core_supervision s SET valid_to = DATE '2025-06-30'
FROM core_office o WHERE o.id = s.office_id AND o.code LIKE 'bench-office-%%' AND s.valid_to IS NULL;
INSERT INTO core_supervision (office_id, unit_id, valid_from, valid_to)
SELECT p.id, u.id, DATE '2025-07-01', NULL FROM core_unit u JOIN core_office p ON p.code = %(province)s
WHERE u.slug LIKE 'bench-%%' AND NOT EXISTS (SELECT 1 FROM core_supervision s WHERE s.unit_id = u.id AND s.valid_to IS NULL);
UPDATE core_unit u SET office_id = p.id FROM core_office p WHERE p.code = %(province)s AND u.slug LIKE 'bench-%%';
INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                       date_joined, role, unit_id, office_id)
SELECT %(password)s, false, 'office-' || o.code, 'Minh', 'Lê Văn', 'office-' || o.code || '@example.vn',
       false, true, now(), 'office', NULL, o.id
FROM core_office o WHERE o.code = %(province)s AND NOT EXISTS (SELECT 1 FROM core_user WHERE username = 'office-' || o.code)"""),
    # A few years of the deadline engine's notices for every person of a school (NOTICES each,
    # all read and e-mailed but the newest three): every signed-in page counts the unread ones.
    ("notices", """
INSERT INTO core_notification (user_id, unit_id, kind, subject_key, title, body, link, created_at, read_at, emailed_at)
SELECT u.id, u.unit_id, 'due_soon', 'bench:' || g, 'Hồ sơ sắp đến hạn', '', '',
       timestamptz '2026-11-19 08:00+07' - g * interval '3 hours', CASE WHEN g > 3 THEN timestamptz '2026-11-20 08:00+07' END,
       timestamptz '2026-11-19 08:00+07' - g * interval '3 hours'
FROM core_user u CROSS JOIN generate_series(1, %(notices)s) g
WHERE u.unit_id IS NOT NULL AND u.username LIKE '%%-bench-%%'
  AND NOT EXISTS (SELECT 1 FROM core_notification WHERE subject_key LIKE 'bench:%%')"""),
    # Each dossier's history as the services write it (form 05's lines, the tracking page's
    # steps): received, handled, then completed and returned, rejected or withdrawn, and the
    # apology letter where there is one. About four lines a dossier.
    ("dossier events", """
INSERT INTO dossiers_dossierevent (dossier_id, action, from_status, to_status, at, recorded_at, actor_id, note)
SELECT d.id, v.action, v.from_status, v.to_status, v.at, v.at, d.assigned_to_id, ''
FROM dossiers_dossier d
LEFT JOIN dossiers_apology a ON a.dossier_id = d.id
CROSS JOIN LATERAL (VALUES
    ('receive', '', 'received', d.received_at),
    ('start', 'received', 'processing', CASE WHEN d.status NOT IN ('withdrawn') THEN d.received_at + interval '1 hour' END),
    ('apologize', 'processing', 'processing', a.issued_at),
    ('complete', 'processing', 'completed', d.completed_at),
    ('return', 'completed', 'returned', d.returned_at),
    ('reject', 'processing', 'rejected', CASE WHEN d.status = 'rejected' THEN d.received_at + interval '1 day' END),
    ('withdraw', 'received', 'withdrawn', CASE WHEN d.status = 'withdrawn' THEN d.received_at + interval '2 hours' END),
    ('request_supplement', 'processing', 'awaiting_supplement',
     CASE WHEN d.status = 'awaiting_supplement' THEN d.received_at + interval '1 day' END)
) v(action, from_status, to_status, at)
WHERE v.at IS NOT NULL AND d.code LIKE '%%.B29-%%'
  AND NOT EXISTS (SELECT 1 FROM dossiers_dossierevent e JOIN dossiers_dossier x ON x.id = e.dossier_id
                  WHERE x.code LIKE '%%.B29-%%' LIMIT 1);
ANALYZE dossiers_dossierevent"""),
]


def add_extras(url: str, cur, params: dict, say) -> None:
    for name, sql in EXTRAS:
        started = time.monotonic()
        cur.execute(sql, params)
        say(f"{name:>18}: {time.monotonic() - started:6.1f} s")
    cur.execute("SELECT count(*) FROM kpi_daycount")
    if not cur.fetchone()[0]:
        started = time.monotonic()
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        subprocess.run([sys.executable, "manage.py", "rebuild_kpi_rollup"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        say(f"{'kpi rollup':>18}: {time.monotonic() - started:6.1f} s")


def existing(cur) -> int:
    cur.execute("SELECT count(*) FROM core_unit WHERE slug LIKE 'bench-%%'")
    return cur.fetchone()[0]


def generate(url: str, *, fresh: bool = False, scale: float = 1.0, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    ensure_database(url, fresh)
    say("migrating", url.rsplit("/", 1)[-1], "...")
    migrate(url)
    params = {"offices": OFFICES, "units": max(2, int(UNITS * scale)), "dossiers": int(DOSSIERS * scale),
              "responses": int(RESPONSES * scale), "feedback": int(FEEDBACK * scale), "tz": LOCAL,
              "marked": MARKED, "plain": PLAIN, "notices": NOTICES}
    conn = psycopg2.connect(libpq(url))
    conn.autocommit = True
    with conn.cursor() as cur:
        params["password"] = password_hash()
        params["province"] = PROVINCE
        if existing(cur):
            say("the city is already there (use --fresh to rebuild)")
            add_extras(url, cur, params, say)
            return counts(cur)
        cur.execute("SET synchronous_commit = off")
        for name, sql in STEPS:
            started = time.monotonic()
            if name == "dossiers":  # in slices, so that progress shows and memory stays small
                step = 250_000
                for first in range(0, params["dossiers"], step):
                    cur.execute(sql, {**params, "first": first, "last": min(first + step, params["dossiers"]) - 1})
            else:
                cur.execute(sql, params)
            say(f"{name:>18}: {time.monotonic() - started:6.1f} s")
        add_extras(url, cur, params, say)
        result = counts(cur)
    conn.close()
    return result


def counts(cur) -> dict:
    out = {}
    for table in ("core_unit", "dossiers_dossier", "dossiers_apology", "surveys_response", "feedback_feedback",
                  "core_notification", "dossiers_dossierevent", "kpi_daycount", "kpi_monthcount"):
        cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
        out[table] = cur.fetchone()[0]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (0.01 for a quick try)")
    args = parser.parse_args()
    started = time.monotonic()
    result = generate(bench_db_url(), fresh=args.fresh, scale=args.scale)
    print(result, f"in {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
