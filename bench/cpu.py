"""Where a request's machine time goes: CPU seconds of the web server (the gunicorn processes
this benchmark started), PostgreSQL's processes, Redis and the whole machine, read before and
after a wrk run, divided by the requests it completed.

`make load` prints them for every page (bench/load.py). The machine column is what the
throughput ratios compare (on a CPU-bound machine, requests a second = CPUs / machine time per
request); the other columns say which process to add more of (README "Scaling"). wrk's own
time is in the machine column only (it has exited when the second reading is taken)."""
from dataclasses import dataclass

import psutil

GROUPS = ("web", "postgres", "redis")


@dataclass(frozen=True)
class Reading:
    seconds: dict[str, float]  # CPU seconds so far of each group, and of the whole machine ("machine")


def _group(process: psutil.Process, web: set[int]) -> str | None:
    if process.pid in web:
        return "web"
    name = process.info["name"] or ""
    if name.startswith("postgres") or name == "postmaster":
        return "postgres"
    if name.startswith("redis-server"):
        return "redis"
    return None


def _web_pids() -> set[int]:
    """The gunicorn master and workers started by this process (bench/server.py)."""
    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "gunicorn" in " ".join(child.cmdline()):
                found.add(child.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def read() -> Reading:
    """Each group's CPU seconds so far: its live processes' own, plus what their children that
    have ended had spent. PostgreSQL's backends end when the web server recycles a connection
    (CONN_MAX_AGE) and its autovacuum workers come and go; the postmaster that reaped them holds
    their time (Linux's cutime and cstime), so nothing spent between two readings is lost."""
    web = _web_pids()
    seconds = dict.fromkeys(GROUPS, 0.0)
    for process in psutil.process_iter(["name", "cpu_times"]):
        group = _group(process, web)
        times = process.info["cpu_times"]
        if group is None or times is None:  # gone, or not ours to read
            continue
        seconds[group] += times.user + times.system + times.children_user + times.children_system
    machine = psutil.cpu_times()
    seconds["machine"] = machine.user + machine.nice + machine.system + getattr(machine, "irq", 0.0) + getattr(
        machine, "softirq", 0.0)
    return Reading(seconds)


def per_request(before: Reading, after: Reading, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request of each group and of the machine."""
    return {key: 1000 * (after.seconds[key] - before.seconds[key]) / max(requests, 1) for key in before.seconds}


def table(rows: list[dict]) -> list[str]:
    """Markdown rows: each page's CPU per request by group, at each level of connections."""
    lines = ["| page | connections | web server | PostgreSQL | Redis | whole machine | vs trivial |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        cpu, reference = r["cpu"], r["cpu_reference"]
        lines.append(f"| {r['page']} | {r['c']} | {cpu['web']:.2f} ms | {cpu['postgres']:.2f} ms | "
                     f"{cpu['redis']:.2f} ms | {cpu['machine']:.2f} ms | "
                     f"{cpu['machine'] / reference['machine']:.1f}× |")
    return lines
