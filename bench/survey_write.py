"""`python -m bench.survey_write`: what PostgreSQL alone spends on one survey answer, without the
web server: the answer's INSERT and its commit, then the same with the rollup statement that
the KPI receivers run in the same transaction (kpi/rollup.py, docs/kpi/rollup.md).

pgbench on 127.0.0.1, 5 s per step at 8 and 32 connections, three scripts with the same INSERT:
- the INSERT alone (the reference);
- the INSERT and the rollup statement, every connection answering for the same unit and area on
  the same day: every answer adds to the same two rollup rows, as in `make load`'s survey step;
- the same, each connection answering for a unit of its own (two rollup rows per connection), as
  answers arrive from a city's schools.

Each step prints answers a second and the CPU per answer of PostgreSQL's processes and of the
whole machine (bench/cpu.py; pgbench's own share is in the machine column only). On a machine
whose CPUs are saturated, answers a second = CPUs / machine time per answer: the database's own
ceiling for survey answers, beside which `make load`'s survey figure is read (README "Scaling").
Each step's answers are deleted when it ends, and the counts the rollup statement added are
taken back, so the city is left as it was built."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import cpu
from bench.common import bench_db_url, row, setup_django

UNIT_SLUG, AREA_KEY = "bench-0001", "cham-soc-giao-duc"
LEVELS = (8, 32)
SECONDS = 5
SENTINEL = 987654321987654  # stands for the new answer's id in the rollup statement's id list


def _scripts(folder: Path) -> dict[str, Path]:
    """pgbench scripts: the INSERT of an answer as the survey service writes it, alone and followed
    by the rollup statement of kpi.rollup for that one answer (its parameters written in)."""
    from django.db import connection

    from core.models import Field, Unit
    from kpi import rollup
    from surveys.models import Response
    from surveys.selectors import active_questionnaire

    unit = Unit.objects.get(slug=UNIT_SLUG)
    area = Field.objects.get(key=AREA_KEY)
    table = Response._meta.db_table
    # Every unit of the bench city answers the national questionnaire (bench/city.py).
    questionnaire = active_questionnaire(unit=unit)
    insert = (
        f"INSERT INTO {table} (unit_id, questionnaire_id, source, area_id, access, procedure, staff, result, "  # noqa: S608 - the model's table
        "feedback_handling, overall, comment, answers, submitted_at) "
        f"VALUES ((:u)::bigint, {questionnaire.pk}, 'open', {area.pk}, 5, 4, 5, 4, 4, 5, 'Rất hài lòng', '{{}}'::jsonb, "
        "date_trunc('hour', now())) RETURNING id \\gset"
    )
    sql, params, markers = rollup._contribution_sql(("responses",), "id")  # the statement the receivers run
    values = {**params, **dict.fromkeys(markers, [SENTINEL]), "sign": 1}
    with connection.cursor() as cursor:
        statement = cursor.mogrify(sql, {k: (str(v) if hasattr(v, "label") else v) for k, v in values.items()}).decode()
    statement = re.sub(rf"ARRAY\[{SENTINEL}\]", "ARRAY[:id]", statement)
    one_unit = f"\\set u {unit.pk}\n"
    # Consecutive ids from the bench unit on (bench/city.py creates the units in one batch).
    own_unit = f"\\set u {unit.pk} + :client_id\n"
    # Planned once and executed with its generic plan, as core/db.py runs it in production.
    generic = "SET LOCAL plan_cache_mode = force_generic_plan;\n"
    bodies = {
        "insert": one_unit + f"BEGIN;\n{insert}\nCOMMIT;\n",
        "one unit": one_unit + f"BEGIN;\n{insert}\n{generic}{statement};\nCOMMIT;\n",
        "own unit": own_unit + f"BEGIN;\n{insert}\n{generic}{statement};\nCOMMIT;\n",
    }
    paths = {}
    for name, body in bodies.items():
        paths[name] = folder / (name.replace(" ", "_") + ".sql")
        paths[name].write_text(body)
    return paths


def _units_are_consecutive(count: int) -> bool:
    from core.models import Unit

    first = Unit.objects.get(slug=UNIT_SLUG).pk
    return Unit.objects.filter(pk__gte=first, pk__lt=first + count).count() == count


def pgbench(db_url: str, script: Path, *, connections: int, seconds: int) -> dict:
    """One pgbench run: answers a second and CPU ms per answer by group (bench/cpu.py)."""
    before = cpu.read()
    done = subprocess.run(
        ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", str(script), db_url],
        capture_output=True, text=True, check=True,
    )
    time.sleep(0.5)  # pgbench's backends end after it does: their time counts once they are reaped
    after = cpu.read()
    answers = int(re.search(r"number of transactions actually processed: (\d+)", done.stdout).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    return {"answers": answers, "per_second": answers / seconds, "failed": int(failed.group(1)) if failed else 0,
            "cpu": cpu.per_request(before, after, answers)}


def measure(db_url: str, *, levels=LEVELS, seconds: int = SECONDS) -> list[dict]:
    """Every script at every level. After each step its answers are deleted: those of the
    INSERT alone as they are (they added nothing to the rollup), the others with their counts
    taken back (bench.load.take_back_answers), so the city stays as it was built."""
    from bench.load import last_answer, take_back_answers

    if not _units_are_consecutive(max(levels)):
        raise RuntimeError("bench/survey_write.py needs the bench city's consecutive unit ids")
    found = []
    with tempfile.TemporaryDirectory() as folder:
        scripts = _scripts(Path(folder))
        for level in levels:
            for name, script in scripts.items():
                last = last_answer(db_url)
                try:
                    found.append({"script": name, "c": level,
                                  **pgbench(db_url, script, connections=level, seconds=seconds)})
                finally:
                    take_back_answers(after=last, counted=name != "insert")
    return found


LABELS = {
    "insert": "INSERT alone",
    "one unit": "INSERT + rollup, one unit and area",
    "own unit": "INSERT + rollup, a unit per connection",
}


def run(db_url: str, *, levels=LEVELS, seconds: int = SECONDS) -> list[dict]:
    if not shutil.which("pgbench"):
        print("  (skipped survey_write: pgbench is not on this machine)", file=sys.stderr)
        return []
    setup_django(db_url)
    rows = []
    results = measure(db_url, levels=levels, seconds=seconds)
    for level in levels:
        at = {r["script"]: r for r in results if r["c"] == level}
        reference = at["insert"]["cpu"]["machine"]
        for name in ("insert", "one unit", "own unit"):
            r = at[name]
            rows.append(row(
                f"survey answer in PostgreSQL alone, {LABELS[name]}, {level} connections "
                f"({r['per_second']:,.0f} answers/s; PostgreSQL {r['cpu']['postgres']:.2f} ms, failed {r['failed']})",
                r["cpu"]["machine"], "ms machine CPU per answer",
                "the INSERT alone", reference, "sizing (README Scaling)"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="pgbench connections")
    parser.add_argument("--seconds", type=int, default=SECONDS, help="seconds per step")
    args = parser.parse_args()
    db_url = bench_db_url()
    os.environ["DATABASE_URL"] = db_url
    for r in run(db_url, levels=[int(x) for x in args.levels.split(",")], seconds=args.seconds):
        print(f"{r['name']}: {r['figure']:.3f} {r['unit']} ({r['ratio']:.2f}× {r['reference']})")


if __name__ == "__main__":
    main()
