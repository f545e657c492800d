"""The benchmark city still fits the models: bench/city.py writes with raw INSERTs into
the real tables, so a new NOT NULL column would break `make bench` silently. A tiny
city (0.1 %) is generated into a scratch database and the one-table printer runs. `make
load`'s CPU per request (bench/cpu.py) counts a PostgreSQL backend that ended between its
readings."""
import time

import psycopg2
import pytest

from bench import city, run
from tests.proof._pg import db_url

pytestmark = pytest.mark.postgres


def test_a_tiny_city_is_generated_into_the_real_tables(django_db_blocker):
    name = "cchc_proof_bench_smoke"
    url = db_url(name).replace("postgresql://", "postgres://", 1)
    with django_db_blocker.unblock():
        try:
            counts = city.generate(url, fresh=True, scale=0.001, quiet=True)
            assert counts["dossiers_dossier"] == 1000 and counts["surveys_response"] == 200
            assert counts["feedback_feedback"] == 50 and counts["core_unit"] == 2
            again = city.generate(url, scale=0.001, quiet=True)  # idempotent
            assert again == counts
        finally:
            admin = psycopg2.connect(db_url("postgres"))
            admin.autocommit = True
            with admin.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def test_the_table_shows_each_figure_beside_its_reference():
    rows = [{"module": "m", "name": "reference", "figure": 2.0, "unit": "ms", "reference": "-", "ratio": None,
             "goal": "-"},
            {"module": "m", "name": "page", "figure": 5.0, "unit": "ms", "reference": "trivial view", "ratio": 2.5,
             "goal": "< 300 ms"}]
    table = run.table(rows).splitlines()
    assert table[0].startswith("| module | benchmark | figure | reference | ratio | goal |")
    assert table[3] == "| m | page | 5.00 ms | trivial view | 2.50× | < 300 ms |"


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
    assert spent["machine"] >= spent["postgres"]
