"""Shared by the benchmark modules: the bench database, timing, and result rows.

Every module bench/<name>.py exposes ``run(db_url) -> list[dict]``, one dict per
figure: {name, figure, unit, reference, ratio, goal} (see bench/README.md)."""
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench"


def bench_db_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)


def setup_django(db_url: str):
    """Django on the bench database with bench settings (call before any model import)."""
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def timed(fn, *, repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def row(name: str, figure: float, unit: str, reference: str, reference_figure: float | None, goal: str) -> dict:
    """One line of the table; ratio = figure / the reference's figure."""
    ratio = (figure / reference_figure) if reference_figure else None
    return {"name": name, "figure": figure, "unit": unit, "reference": reference, "ratio": ratio, "goal": goal}
