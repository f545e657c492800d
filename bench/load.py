"""`make load`: gunicorn (bench settings, the city database) on 127.0.0.1 and wrk on
the same machine, at rising concurrency: throughput, median and p95 latency and
errors of each page, beside the trivial Django view served by the same gunicorn.

Bounded: each step lasts --duration seconds (default 5), only 127.0.0.1 is targeted."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.city import BENCH_PASSWORD
from bench import cpu, roundtrips
from bench.common import ROOT, bench_db_url, setup_django
from bench.server import gunicorn, gunicorn_settings, signed_in

SCRIPT = Path(__file__).with_name("wrk_report.lua")


def wrk(url: str, *, connections: int, duration: int, cookie: str = "", post: tuple[str, str] | None = None) -> dict:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load tests target this machine only")
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
           "-s", str(SCRIPT)]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    if post:
        cmd += ["--", "POST", post[0], post[1]]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    line = next((li for li in done.stdout.splitlines() if li.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    data = json.loads(line[len("WRK-JSON "):])
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    data["errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"] + (
        int(non_2xx.group(1)) if non_2xx else 0)
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def wrk_cpu(url: str, **kwargs) -> dict:
    """``wrk`` with the CPU each group of processes spent per completed request (bench/cpu.py)."""
    before = cpu.read()
    result = wrk(url, **kwargs)
    return {**result, "cpu": cpu.per_request(before, cpu.read(), result["requests"])}


def targets(base: str, db_url: str) -> list[dict]:
    """The pages under load; those of apps not merged yet are skipped when they 404. Each page's
    ``goal`` is (throughput it must reach, as a ratio to the trivial view; from how many
    connections on): issue 7 for the unit's page, issue 15 for the others."""
    found = [{"name": "unit public page", "path": "/u/bench-0001/", "goal": (0.50, 1)}]
    code, secret = _latest_code(db_url)
    answer = {"access": 5, "procedure": 4, "staff": 5, "result": 4, "feedback_handling": 4, "overall": 5,
              "comment": "Rất hài lòng"}
    candidates = [
        {"name": "tracking page (QR link)", "path": f"/track/{code}/?s={secret}", "goal": (0.30, 8)},
        {"name": "survey submission (POST)", "path": "/u/bench-0001/survey/cham-soc-giao-duc/", "goal": (0.30, 8),
         "post": answer},
        # The answer's round trips (BEGIN, INSERT, the rollup, COMMIT; the questionnaire, the flood
        # guard, the dashboard's version) in a POST that does nothing else (bench/urls.py): the most
        # any survey answer with those trips could reach, its own work costing nothing.
        {"name": "floor: a POST with the answer's 4 + 3 trips", "path": "/bench/post/4/3/", "post": answer},
        {"name": "principal's dashboard", "path": "/kpi/", "who": "principal-bench-0001", "goal": (0.25, 32)},
    ]
    for target in candidates:
        session = signed_in(base, target["who"], BENCH_PASSWORD) if target.get("who") else requests.Session()
        probe = session.get(base + target["path"], timeout=60)
        if probe.status_code == 404:
            print(f"  (skipped {target['name']}: {target['path']} is not there yet)", file=sys.stderr)
            continue
        target["cookie"] = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        if target.get("post"):
            token = session.cookies.get("csrftoken") or re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', probe.text).group(1)
            started = re.search(r'name="started" value="([^"]+)"', probe.text)
            body = {**target["post"], "website": "", **({"started": started.group(1)} if started else {})}
            target["post_args"] = (urlencode(body), token)
        found.append(target)
    return found


def rated_level(reference_name: str, level: int, references: list[dict], page_rows: list[dict]) -> list[dict]:
    """The rows of one level: the reference row (the median of the level's trivial runs), then
    each page's row from its rounds (``"pairs"``: (trivial run, page run)). A round's ratio is
    the page's throughput over the higher of its own trivial run and that median: a reference
    run slowed by a neighbour must not make a page look faster than it is. The round of the
    median ratio stands for the page, with the rounds' spread and the errors of every round."""
    middle = sorted(references, key=lambda r: r["rps"])[len(references) // 2]
    rows = [{"page": reference_name, "c": level, **middle, "ratio": 1.0, "goal": None, "cpu_reference": middle["cpu"]}]
    for page_row in page_rows:
        pairs = page_row.pop("pairs")
        rated = sorted(((result["rps"] / max(trivial["rps"], middle["rps"]), trivial, result)
                        for trivial, result in pairs), key=lambda rated_pair: rated_pair[0])
        ratio, trivial, result = rated[len(rated) // 2]
        page_row.update(result)
        page_row["ratio"] = ratio
        page_row["errors"] = sum(result["errors"] for _t, result in pairs)
        page_row["cpu_reference"] = max(trivial, middle, key=lambda r: r["rps"])["cpu"]  # the same rule
        if len(rated) > 1:
            page_row["spread"] = (rated[0][0], rated[-1][0])
        rows.append(page_row)
    return rows


def goal_of(row: dict) -> tuple[str, str]:
    """The goal of a table row and whether it was met: no errors, and from the page's number
    of connections on, at least its ratio to the trivial view."""
    ratio, from_connections = row["goal"] or (None, 0)
    if ratio is not None and row["c"] >= from_connections:
        return f"no errors, ≥ {ratio:.2f}×", "yes" if row["errors"] == 0 and row["ratio"] >= ratio else "**no**"
    return "no errors", "yes" if row["errors"] == 0 else "**no**"


@contextmanager
def answers_taken_back(db_url: str):
    """The survey answers POSTed inside the block are deleted when it ends and their counts
    taken away from the rollup (kpi.rollup.apply, docs/kpi/rollup.md), so that every step
    starts from the city as built and the run leaves it as it found it: figures that do not
    drift from run to run, and the city of bench/city.py."""
    last = last_answer(db_url)
    try:
        yield
    finally:
        _drained(after=last)
        take_back_answers(after=last)


def last_answer(db_url: str) -> int:
    setup_django(db_url)
    from django.db.models import Max

    from surveys.models import Response

    return Response.objects.aggregate(last=Max("pk"))["last"] or 0


def _drained(*, after: int, quiet: float = 1.0, limit: float = 60) -> None:
    """Wait until the requests wrk left queued in gunicorn have stopped adding answers."""
    from surveys.models import Response

    seen, deadline = -1, time.monotonic() + limit
    while time.monotonic() < deadline:
        count = Response.objects.filter(pk__gt=after).count()
        if count == seen:
            return
        seen = count
        time.sleep(quiet)


def take_back_answers(*, after: int, counted: bool = True) -> int:
    """Delete the answers with an id above ``after`` (the load test's: nothing else writes to
    the bench city) and take their counts away from the rollup, in one transaction; how many.
    ``counted=False``: answers written without their counts (bench/survey_write.py's INSERT
    alone) are only deleted, for taking back what was never added would leave the rollup short."""
    from django.db import connection, transaction

    from kpi import rollup
    from surveys.models import Response

    with transaction.atomic():
        ids = list(Response.objects.filter(pk__gt=after).values_list("pk", flat=True))
        if counted:
            rollup.apply(sources=("responses",), ids=ids, sign=-1)  # one statement, not a signal per answer
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Response._meta.db_table} WHERE id > %s", [after])  # noqa: S608
            deleted = cursor.rowcount
    return deleted


def _latest_code(db_url: str) -> tuple[str, str]:
    from bench.pages import tracking_code

    return tracking_code(db_url)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,8,32", help="concurrent connections, rising")
    parser.add_argument("--duration", type=int, default=5, help="seconds per step (bounded)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="pairs (trivial view, page) per page and level; the median pair's ratio is shown, "
                             "with the spread of the rounds")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument("--skip-city", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("make load needs wrk: apt-get install -y wrk")
    db_url = bench_db_url()
    os.environ["DATABASE_URL"] = db_url  # before generate() loads the settings (bench.common.setup_django)
    if not args.skip_city:
        from bench.city import generate

        generate(db_url)
    levels = [int(x) for x in args.levels.split(",")]
    rows = []
    server = gunicorn_settings(workers=args.workers, threads=args.threads)
    load_before = os.getloadavg()
    first = last_answer(db_url)
    with gunicorn(db_url, workers=args.workers, threads=args.threads) as base:
        pages = [{"name": "trivial Django view (reference)", "path": "/bench/trivial/"}] + targets(base, db_url)
        time.sleep(2.5)  # the survey's signed start time must be older than a person's fastest tap
        reference, measured = pages[0], pages[1:]
        for page in pages:  # every worker process imports, compiles its templates, connects: not measured
            with answers_taken_back(db_url):
                wrk(base + page["path"], connections=8, duration=1, cookie=page.get("cookie", ""),
                    post=page.get("post_args"))
        for level in levels:
            # The machine is shared: each page is compared with the trivial view measured
            # just before it (same minute, same neighbours); the reference row shows the
            # median of those runs.
            references, page_rows = [], []
            for page in measured:
                # --rounds N: N pairs (trivial, page) in a row; the round of the median ratio stands
                # for the page, and the table shows the spread of the rounds.
                pairs = []
                for _ in range(args.rounds):
                    trivial = wrk_cpu(base + reference["path"], connections=level, duration=args.duration)
                    with answers_taken_back(db_url):
                        result = wrk_cpu(base + page["path"], connections=level, duration=args.duration,
                                         cookie=page.get("cookie", ""), post=page.get("post_args"))
                    pairs.append((trivial, result))
                    print(f"  c={level:<3} {page['name']:<34} {result['rps']:8.0f} req/s "
                          f"(trivial {trivial['rps']:.0f})", file=sys.stderr)
                references.extend(trivial for trivial, _result in pairs)
                page_rows.append({"page": page["name"], "c": level, "goal": page.get("goal"), "pairs": pairs})
            rows.extend(rated_level(reference["name"], level, references, page_rows))
        trips = roundtrips.measure_all(base, connections=32, duration=min(args.duration, 4))
    take_back_answers(after=first)  # any a stopped gunicorn still saved
    load_after = os.getloadavg()
    lines = [f"gunicorn {server['workers']} {server['worker_class']} workers × {server['threads']} threads "
             f"(gunicorn.conf.py); wrk on the same machine; {args.duration} s per step, {args.rounds} round(s) per page "
             "(the median shown); each page's ratio is to the "
             "trivial view measured just before it, or to their median (the reference row) when that is higher; load average "
             f"{load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} CPUs)",
             "", "| page | connections | req/s | median | p95 | errors | throughput vs trivial | goal | met |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        goal, met = goal_of(r)
        spread = f" (rounds {r['spread'][0]:.2f}–{r['spread'][1]:.2f}×)" if r.get("spread") else ""
        lines.append(f"| {r['page']} | {r['c']} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} ms | "
                     f"{r['p95_us'] / 1000:.1f} ms | {r['errors']} | {r['ratio']:.2f}×{spread} | {goal} | {met} |")
    lines += ["", "CPU per request (bench/cpu.py): the web server's processes, PostgreSQL's, Redis and the whole "
              "machine (wrk's share is in the last); a page's \"vs trivial\" is its machine time over that of the "
              "trivial run its ratio is to:", "", *cpu.table(rows)]
    lines += ["", "What one round trip costs at 32 connections (bench/roundtrips.py), and the most a page that "
              "makes 2, 4 or 7 of them and nothing else could reach:", "", *roundtrips.table(trips)]
    out = "\n".join(lines)
    print(out)
    target = ROOT / "var" / "bench" / "load.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(out + "\n")


if __name__ == "__main__":
    main()
