"""`python -m bench.roundtrips`: what one round trip to PostgreSQL or to Redis costs under load,
in trivial requests — the unit of `make load`'s ratios.

gunicorn (gunicorn.conf.py, bench settings) and wrk on 127.0.0.1 at 32 connections: the trivial
view, then the same view making 1, 4 and 8 round trips (`SELECT 1` through Django's connection;
a cache read through Django's Redis cache), each step beside a trivial run of the same minute.
A request's machine time is 1 / throughput; a round trip's share is the slope of that time
against the number of round trips, divided by the trivial request's time. A page that makes k
round trips and nothing else can then reach at most 1 / (1 + k × share) of the trivial view's
throughput: the ceiling the README's "Performance and reliability" compares each page with."""
import argparse
import os
import statistics
import sys

from bench.common import ROOT, bench_db_url, setup_django
from bench import load  # its wrk(); imported as a module: bench.load imports this one
from bench.server import gunicorn, gunicorn_settings

COUNTS = (1, 4, 8)


def measure(base: str, kind: str, *, connections: int, duration: int) -> dict:
    """Machine milliseconds per request for 0 and COUNTS round trips, each beside its trivial run."""
    rows = []
    for n in COUNTS:
        trivial = load.wrk(base + "/bench/trivial/", connections=connections, duration=duration)
        page = load.wrk(base + f"/bench/{kind}/{n}/", connections=connections, duration=duration)
        if page["errors"] or trivial["errors"]:
            raise RuntimeError(f"errors under load: {kind}/{n}")
        rows.append((n, 1000 / trivial["rps"], 1000 / page["rps"]))
    zero = statistics.median(t for _n, t, _p in rows)
    # The slope, through the origin, of (page time − the trivial time beside it) against n.
    points = [(n, p - t) for n, t, p in rows]
    slope = sum(n * d for n, d in points) / sum(n * n for n, _d in points)
    return {"kind": kind, "trivial_ms": zero, "per_trip_ms": slope, "share": slope / zero,
            "rows": rows}


def table(found: list[dict]) -> list[str]:
    names = {"sql": "PostgreSQL (`SELECT 1`)", "redis": "Redis (a cache read)"}
    lines = ["| round trip to | machine time per trip | in trivial requests | ceiling with 2 / 4 / 7 trips |",
             "|---|---:|---:|---|"]
    for f in found:
        ceilings = " / ".join(f"{1 / (1 + k * f['share']):.2f}×" for k in (2, 4, 7))
        lines.append(f"| {names[f['kind']]} | {f['per_trip_ms'] * 1000:.0f} µs | {f['share']:.2f} | {ceilings} |")
    lines += ["", "machine ms per request (the trivial run beside it → with n trips): " + "; ".join(
        f"{f['kind']} " + ", ".join(f"n={n}: {t:.3f} → {p:.3f}" for n, t, p in f["rows"]) for f in found)]
    return lines


def measure_all(base: str, *, connections: int, duration: int) -> list[dict]:
    for path in ("/bench/sql/1/", "/bench/redis/1/"):  # warm every worker
        load.wrk(base + path, connections=8, duration=1)
    return [measure(base, kind, connections=connections, duration=duration) for kind in ("sql", "redis")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=4)
    args = parser.parse_args()
    db_url = bench_db_url()
    os.environ["DATABASE_URL"] = db_url
    setup_django(db_url)
    server = gunicorn_settings()
    with gunicorn(db_url) as base:
        found = measure_all(base, connections=args.connections, duration=args.duration)
    lines = [f"gunicorn {server['workers']} {server['worker_class']} workers × {server['threads']} threads; wrk at "
             f"{args.connections} connections on the same machine ({os.cpu_count()} CPUs), {args.duration} s per step",
             "", *table(found)]
    out = "\n".join(lines)
    print(out)
    target = ROOT / "var" / "bench" / "roundtrips.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
