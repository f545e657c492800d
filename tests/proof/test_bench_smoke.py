"""The benchmark city still fits the models: bench/city.py writes with raw INSERTs into
the real tables, so a new NOT NULL column would break `make bench` silently. A tiny
city (0.1 %) is generated into a scratch database and the one-table printer runs. `make
load`'s CPU per request (bench/cpu.py) counts a PostgreSQL backend that ended between its
readings. bench/survey_write.py's pgbench scripts and bench/inprocess.py run on the tiny city and
leave it as built."""
import os
import re
import shutil
import subprocess
import sys
import time

import psycopg2
import pytest

from bench import city, run
from bench.common import ROOT
from tests.proof._pg import db_url

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def tiny_city(django_db_blocker):
    name = "cchc_proof_bench_smoke"
    url = db_url(name).replace("postgresql://", "postgres://", 1)
    with django_db_blocker.unblock():
        try:
            yield url, city.generate(url, fresh=True, scale=0.001, quiet=True)
        finally:
            admin = psycopg2.connect(db_url("postgres"))
            admin.autocommit = True
            with admin.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def test_a_tiny_city_is_generated_into_the_real_tables(tiny_city):
    url, counts = tiny_city
    assert counts["dossiers_dossier"] == 1000 and counts["surveys_response"] == 200
    assert counts["feedback_feedback"] == 50 and counts["core_unit"] == 2
    assert counts["core_notification"] == 2 * 2 * city.NOTICES  # each school's staff member and principal
    again = city.generate(url, scale=0.001, quiet=True)  # idempotent
    assert again == counts


def _answers_and_their_counts(url):
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM surveys_response")
            answers = cur.fetchone()[0]
            cur.execute("SELECT sum(responses), sum(satisfied), sum(access_n) FROM kpi_daycount")
            days = cur.fetchone()
            cur.execute("SELECT sum(responses), sum(satisfied), sum(access_n) FROM kpi_monthcount")
            return answers, days, cur.fetchone()
    finally:
        conn.close()


@pytest.mark.skipif(not shutil.which("pgbench"), reason="pgbench comes with PostgreSQL's server package")
def test_the_database_share_of_a_survey_answer_is_measured_and_taken_back(tiny_city):
    url, _counts = tiny_city
    before = _answers_and_their_counts(url)
    done = subprocess.run(
        [sys.executable, "-m", "bench.survey_write", "--levels", "2", "--seconds", "1"],
        env={**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all("failed 0" in line for line in lines)
    written = [int(re.search(r"\(([\d,]+) answers/s", line).group(1).replace(",", "")) for line in lines]
    assert all(n > 0 for n in written)
    assert "INSERT + rollup, one unit and area, 2 connections" in lines[1]
    assert _answers_and_their_counts(url) == before  # every answer deleted, every count taken back


def test_cpu_per_request_in_process_is_printed_for_each_page_and_the_answers_are_taken_back(tiny_city):
    url, _counts = tiny_city
    before = _answers_and_their_counts(url)
    done = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", "--n", "10"],
        env={**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = dict(re.findall(r"^(\w+)\s+([\d.]+) ms CPU a request", done.stdout, re.M))
    assert set(figures) == {"trivial", "tracking", "dashboard", "survey"}
    assert all(float(ms) > 0 for ms in figures.values())
    assert _answers_and_their_counts(url) == before  # every answer POSTed deleted, its counts taken back


def test_the_table_shows_each_figure_beside_its_reference():
    rows = [{"module": "m", "name": "reference", "figure": 2.0, "unit": "ms", "reference": "-", "ratio": None,
             "goal": "-"},
            {"module": "m", "name": "page", "figure": 5.0, "unit": "ms", "reference": "trivial view", "ratio": 2.5,
             "goal": "< 300 ms"}]
    table = run.table(rows).splitlines()
    assert table[0].startswith("| module | benchmark | figure | reference | ratio | goal |")
    assert table[3] == "| m | page | 5.00 ms | trivial view | 2.50× | < 300 ms |"


def test_load_rounds_stand_for_a_page_by_their_median_ratio_to_an_unflattering_reference():
    """make load --rounds: each round's ratio is to the higher of its own trivial run and the
    level's median; the median round stands for the page, with the spread and every error."""
    from bench.load import goal_of, rated_level

    def run(rps, errors=0):
        return {"rps": rps, "errors": errors, "cpu": {"web": 1000 / rps}, "p50_us": 1000, "p95_us": 2000}

    # Trivial runs 1,000, 1,100 and 500 (a neighbour slowed the last): the level's median is 1,000.
    pairs = [(run(1000), run(240)), (run(1100), run(330, errors=2)), (run(500), run(260))]
    rows = rated_level("trivial", 32, [t for t, _r in pairs], [
        {"page": "dashboard", "c": 32, "goal": (0.25, 32), "pairs": pairs}])
    reference, page = rows
    assert (reference["page"], reference["rps"], reference["ratio"]) == ("trivial", 1000, 1.0)
    # 240/1000, 330/1100 and 260/1000 (not 260/500 = 0.52): the median round is 260 at 0.26×.
    assert page["rps"] == 260 and page["ratio"] == pytest.approx(0.26)
    assert page["spread"] == pytest.approx((0.24, 0.30))
    assert page["errors"] == 2  # of every round, not only the median one
    assert page["cpu_reference"] == reference["cpu"]
    assert goal_of(page) == ("no errors, ≥ 0.25×", "**no**")  # an error in any round misses the goal
    single = rated_level("trivial", 8, [run(1000)], [{"page": "p", "c": 8, "goal": None, "pairs": [(run(1000), run(300))]}])
    assert single[1]["ratio"] == pytest.approx(0.30) and "spread" not in single[1]


def test_cpu_per_request_is_each_groups_time_between_the_readings_per_request():
    from bench import cpu

    before = cpu.Reading({"web": 2.0, "postgres": 5.0, "redis": 1.0, "machine": 100.0})
    after = cpu.Reading({"web": 2.5, "postgres": 5.4, "redis": 1.2, "machine": 101.5})
    assert cpu.per_request(before, after, requests=100) == pytest.approx(
        {"web": 5.0, "postgres": 4.0, "redis": 2.0, "machine": 15.0})


def test_cpu_readings_find_the_database_server_and_the_machine_busy():
    from bench import cpu

    first = cpu.read()
    conn = psycopg2.connect(db_url("postgres"))
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM generate_series(1, 2000000)")  # a backend at work…
    conn.close()  # …that has ended, and been reaped, when the second reading is taken
    time.sleep(0.2)
    spent = cpu.per_request(first, cpu.read(), requests=1)
    assert spent["postgres"] > 50  # ms: counting two million rows is not free
    # The machine's time comes from per-CPU tick sampling (/proc/stat), a process's from its own
    # accounting: the two differ by a tick or two (10 ms each) over the same work.
    assert spent["machine"] >= spent["postgres"] - 30
