"""The benchmark scripts of the KPI and feedback apps (bench/kpi.py, bench/feedback_sweep.py)
are standalone: each builds its own database or rows and prints its figures. This module
runs them as they are and turns their printed figures into rows of the one table
(convention: bench/README.md). bench/deadlines.py has its own ``run(db_url)``."""
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, row

TIMEOUT = 1800


def _sibling(db_url: str, name: str) -> str:
    parts = urlsplit(db_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _script(name: str, *args: str, env: dict) -> str:
    path = ROOT / "bench" / name
    if not path.exists():
        return ""
    done = subprocess.run([sys.executable, str(path), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT, env={**os.environ, **env})
    if done.returncode != 0:
        print(f"bench/{name} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
    return done.stdout


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def kpi(db_url: str) -> list[dict]:
    out = _script("kpi.py", env={"BENCH_DATABASE_URL": _sibling(db_url, "cchc_bench_kpi")})
    rows = []
    for label, selector, hand in re.findall(r"^\s+(.+?)\s+selector\s+([\d.]+) ms\s+hand SQL\s+([\d.]+) ms", out, re.M):
        rows.append(row(f"KPI dashboard selector, {label}", _num(selector), "ms", "raw SQL", _num(hand), "≤ 1.5×"))
    # Throughput (issue 15): the portal's rows per second over bare openpyxl write-only mode's on the
    # same query, rows and columns; higher is better.
    for count, portal, bare in re.findall(
            r"register sheet,\s+([\d,]+) rows: portal\s+([\d,]+) rows/s\s+bare openpyxl\s+([\d,]+) rows/s", out):
        rows.append(row(f"Excel register sheet, {count} rows", _num(portal), "rows/s", "bare openpyxl", _num(bare),
                        "≥ 0.9×"))
    for count, portal, bare, peak in re.findall(
            r"whole report,\s+([\d,]+) register rows.*?: portal\s+([\d,]+) rows/s\s+bare openpyxl\s+([\d,]+) rows/s.*?"
            r"peak Python memory of the export\s+([\d.]+) MiB", out):
        rows.append(row(f"Excel report (every sheet), {count} register rows", _num(portal), "rows/s", "bare openpyxl",
                        _num(bare), "≥ 0.9×"))
        rows.append(row(f"Excel report, {count} rows: peak Python memory", _num(peak), "MiB", "-", None, "< 200 MiB"))
    jobs = re.findall(r"export job,\s+([\d,]+) rows:\s+([\d.]+) s .*?, (\w+), .*?(\d+) progress writes, "
                      r"([\d.]+)-([\d.]+) s apart.*?peak RSS\s+([\d.]+) MiB", out)
    for count, seconds, status, writes, low, high, _peak in jobs:
        rows.append(row(f"Excel export job (Celery task), {count} rows: {status}, {writes} progress writes "
                        f"{low}–{high} s apart", _num(seconds), "s", "-", None, "progress ≤ 1/s"))
    if len(jobs) == 2:  # memory flat from the smaller export to the larger (peak RSS of a fresh process)
        (small, *_, small_peak), (large, *_, large_peak) = jobs
        rows.append(row(f"Excel export job, {small} rows: peak RSS (reference)", _num(small_peak), "MiB", "-", None, "-"))
        rows.append(row(f"Excel export job, {large} rows: peak RSS", _num(large_peak), "MiB", f"{small} rows",
                        _num(small_peak), "≈ 1× (flat)"))
    return rows


def feedback(db_url: str) -> list[dict]:
    out = _script("feedback_sweep.py", "20000", env={"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    runs = re.findall(r"sweep run (\d+): ([\d.]+)s", out)
    rows = []
    if runs:
        rows.append(row("feedback sweep, 20k open items", _num(runs[0][1]) * 1000, "ms", "-", None, "< 2 s"))
    if len(runs) > 1:
        rows.append(row("feedback sweep re-run (nothing to do)", _num(runs[1][1]) * 1000, "ms", "-", None, "< 1 s"))
    return rows


def run(db_url: str) -> list[dict]:
    return kpi(db_url) + feedback(db_url)
