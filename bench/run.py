"""`make bench`: build the synthetic city if needed, run every benchmark module of
bench/ and print ONE table (figure, its reference, the ratio, the goal).

Each module bench/<name>.py with a ``run(db_url) -> list[dict]`` is a benchmark;
see bench/README.md. Modules run one after the other, each in its own process
(a fresh Django and connection), on the database BENCH_DATABASE_URL."""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, bench_db_url

HELPERS = {"__init__", "common", "city", "cpu", "run", "load", "roundtrips", "server", "settings", "urls"}
ORDER = ["standalone", "intake", "pages"]


def modules() -> list[str]:
    """Modules that follow the convention (a top-level ``def run(db_url``); standalone
    scripts in bench/ are listed on stderr and left out."""
    found = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.stem in HELPERS:
            continue
        if "\ndef run(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
        else:
            print(f"  (bench/{path.name} has no run(db_url): not in the table)", file=sys.stderr)
    return sorted(found, key=lambda m: (ORDER.index(m) if m in ORDER else len(ORDER), m))


def run_module(name: str, db_url: str) -> list[dict]:
    code = ("import json, sys; from bench.common import setup_django; import importlib; "
            f"rows = importlib.import_module('bench.{name}').run({db_url!r}); "
            "print('BENCH-ROWS ' + json.dumps(rows, default=str))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": db_url}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-ROWS "):
            rows = json.loads(line[len("BENCH-ROWS "):])
            print(f"  {name}: {len(rows)} figures in {time.monotonic() - started:.0f} s", file=sys.stderr)
            return [{"module": name, **r} for r in rows]
    print(f"  {name}: FAILED\n{done.stderr[-3000:]}", file=sys.stderr)
    return [{"module": name, "name": f"{name} failed (see stderr)", "figure": None, "unit": "", "reference": "",
             "ratio": None, "goal": ""}]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(li for li in Path("/proc/meminfo").read_text().splitlines()
                          if li.startswith("MemTotal")).split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "?"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} CPU ({cpu}), {memory} RAM, {platform.system()} {platform.release()}, Python " \
           f"{platform.python_version()}, {pg}"


def fmt(value, unit="") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text} {unit}".strip()


def table(rows: list[dict]) -> str:
    lines = ["| module | benchmark | figure | reference | ratio | goal |", "|---|---|---:|---|---:|---|"]
    for r in rows:
        ratio = f"{r['ratio']:.2f}×" if isinstance(r.get("ratio"), (int, float)) else "-"
        lines.append(f"| {r['module']} | {r['name']} | {fmt(r.get('figure'), r.get('unit', ''))} | "
                     f"{r.get('reference') or '-'} | {ratio} | {r.get('goal') or '-'} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Run every benchmark of bench/ and print one table.")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city to generate")
    parser.add_argument("--only", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument("--skip-city", action="store_true", help="do not check the city (migrate, generate if missing)")
    args = parser.parse_args()
    db_url = bench_db_url()
    if not db_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    if not args.skip_city:
        from bench.city import generate

        print("city:", generate(db_url, scale=args.scale), file=sys.stderr)
    rows = []
    for name in args.only or modules():
        rows.extend(run_module(name, db_url))
    out = table(rows)
    header = f"Machine: {machine()}\nData: {db_url.rsplit('/', 1)[-1]} ({time.strftime('%Y-%m-%d %H:%M %Z')})"
    print(header + "\n\n" + out)
    target = ROOT / "var" / "bench" / "latest.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + "\n\n" + out + "\n")


if __name__ == "__main__":
    main()
