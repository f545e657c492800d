"""Single-request latency of the pages people open, beside the trivial Django view
served by the same gunicorn (median of sequential requests, warm)."""
import statistics
import time

import requests

from bench.city import BENCH_PASSWORD
from bench.common import row
from bench.server import gunicorn, signed_in

REQUESTS = 30
# (name, path, who) — who: None for anonymous, else a bench username pattern.
PAGES = [
    ("health check /healthz", "/healthz", None),
    ("unit public page /u/<slug>/", "/u/bench-0001/", None),
    ("staff home /", "/", "staff-bench-0001"),
    ("API units list (office of 50 units)", "/api/v1/units/", "office-bench-office-1"),
]
# Pages of the other apps, measured once they exist (after the merge).
LATER = [
    ("tracking page /track/<code>/?s=", "/track/{code}/?s={secret}", None),
    ("open survey form", "/u/bench-0001/survey/cham-soc-giao-duc/", None),
    ("feedback form", "/feedback/new/?unit=bench-0001", None),
    ("principal's dashboard /kpi/", "/kpi/", "principal-bench-0001"),
    ("ward office's dashboard (50 units, 1st half of 2025)", "/kpi/?from=2025-01-01&to=2025-06-30",
     "office-bench-office-1"),
    ("dossier worklist", "/dossiers/", "staff-bench-0001"),
    ("API dossiers of a unit", "/api/v1/dossiers/?unit=bench-0001", "staff-bench-0001"),
    ("API KPI of a ward office (50 units, 1st half of 2025)", "/api/v1/kpi/?from=2025-01-01&to=2025-06-30",
     "office-bench-office-1"),
    # The province office supervises every unit of the city since 1/7/2025 (bench/city.py).
    ("province office's comparison page (every unit, a year)", "/kpi/?from=2026-01-01&to=2026-12-31",
     "office-bench-province"),
    ("API KPI of the province office (every unit, a year)", "/api/v1/kpi/?from=2026-01-01&to=2026-12-31",
     "office-bench-province"),
    # The register (docs/decisions/register-search.md, docs/domain/supervision.md): a unit's,
    # searched by a name typed without marks; the province office's, over the 760,000 dossiers
    # it reads: unfiltered, by a common name (a city of eight names: 95,000 rows), by part of
    # one code.
    ("register, a name without marks (one unit)", "/dossiers/register/?q=nguyen+van+an", "staff-bench-0001"),
    ("province office's register, every dossier", "/dossiers/register/", "office-bench-province"),
    ("province office's register, a common name", "/dossiers/register/?q=tran+thi+binh", "office-bench-province"),
    ("province office's register, part of a code", "/dossiers/register/?q=0999000", "office-bench-province"),
    # The scorecard of every unit side by side (docs/legal/scorecard.md): the issue sets it no
    # goal; printed so that its growth with the units shows.
    ("province office's scorecard page (every unit, 2026)", "/kpi/scorecard/?from=2026-01-01&to=2026-12-31", "office-bench-province"),
]
# Pages printed without a goal of their own.
NO_GOAL = {"/kpi/scorecard/?from=2026-01-01&to=2026-12-31"}


def median_ms(session, url: str, n: int = REQUESTS) -> tuple[float, int]:
    session.get(url, timeout=120)  # warm
    samples, status = [], 200
    for _ in range(n):
        start = time.perf_counter()
        resp = session.get(url, timeout=120)
        samples.append((time.perf_counter() - start) * 1000)
        status = resp.status_code if resp.status_code != 200 else status
    return statistics.median(samples), status


def tracking_code(db_url) -> tuple[str, str]:
    """The code and tracking secret of the latest dossier of unit bench-0001 (its QR link)."""
    import psycopg2

    with psycopg2.connect(db_url.replace("postgres://", "postgresql://", 1)) as conn, conn.cursor() as cur:
        cur.execute("SELECT code, tracking_secret FROM dossiers_dossier WHERE code LIKE '000.00.0001.B29-%' "
                    "ORDER BY id DESC LIMIT 1")
        found = cur.fetchone()
    return found if found else ("none", "none")


def run(db_url: str) -> list[dict]:
    rows = []
    with gunicorn(db_url, workers=2) as base:
        anonymous = requests.Session()
        trivial, _ = median_ms(anonymous, base + "/bench/trivial/", 50)
        rows.append(row("trivial Django view (reference)", trivial, "ms", "-", None, "-"))
        sessions = {None: anonymous}
        code, secret = tracking_code(db_url)
        for name, path, who, later in [(*p, False) for p in PAGES] + [(*p, True) for p in LATER]:
            path = path.format(code=code, secret=secret)
            if who not in sessions:
                sessions[who] = signed_in(base, who, BENCH_PASSWORD)
            probe = sessions[who].get(base + path, timeout=120, allow_redirects=False)
            if probe.status_code == 404 and later:
                continue  # that app's page is not there yet
            figure, status = median_ms(sessions[who], base + path)
            label = name if status == 200 else f"{name} [HTTP {status}]"
            goal = "≤ 30 ms" if who and who.startswith("principal") else "-" if path in NO_GOAL else "≤ 300 ms"
            rows.append(row(label, figure, "ms", "trivial view", trivial, goal))
    rows.append(_dashboard_computed(db_url, trivial))
    return rows


def _dashboard_computed(db_url: str, trivial: float) -> dict:
    """The principal's dashboard with its body computed on every request (the cache of
    kpi/dashboard_cache.py off): what the first read after a change costs."""
    import os

    os.environ["KPI_DASHBOARD_CACHE_SECONDS"] = "0"
    try:
        with gunicorn(db_url, workers=2) as base:
            figure, status = median_ms(signed_in(base, "principal-bench-0001", BENCH_PASSWORD), base + "/kpi/")
    finally:
        del os.environ["KPI_DASHBOARD_CACHE_SECONDS"]
    name = "principal's dashboard /kpi/, body computed (first read after a change)"
    return row(name if status == 200 else f"{name} [HTTP {status}]", figure, "ms", "trivial view", trivial, "≤ 30 ms")
