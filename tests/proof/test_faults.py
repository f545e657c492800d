"""Faults, as a city's IT office would provoke them, on private servers of the test's
own (tests/proof/servers.py): Redis stopped under a running portal, the engine's
process killed in the middle of a sweep, two engines at once, PostgreSQL restarted
under the web process."""
import datetime
import json
import re
import subprocess
import sys
import time

import psycopg2
import pytest
import requests
from django.core import signing
from django.db import connection

from core.models import EngineRun, Notification
from dossiers.models import Dossier, DossierEvent
from feedback.models import Feedback
from surveys import guard
from surveys.models import Response
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, receive_dossier
from tests.proof._pg import db_url
from tests.proof._state import engine_marked_something, engine_state
from tests.proof.servers import CeleryWorker, Gunicorn, count_mail, mail_log, portal_env, run_portal, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = "2026-03-20T09:00:00+07:00"
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def city(db):
    """One unit with open dossiers: long overdue, due on NOW's day, due next week."""
    staff = StaffFactory(username="canbo")
    principal = PrincipalFactory(username="hieutruong", unit=staff.unit)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    for day in (2, 3, 4, 13, 18):
        for i in range(3):
            dossier = receive_dossier(procedure=procedure, actor=staff,
                                      received_at=datetime.datetime(2026, 3, day, 8, i, tzinfo=TZ))
            dossier.assigned_to = staff
            dossier.save(update_fields=["assigned_to"])
    # Notices created earlier whose e-mail is still to be sent.
    for i in range(4):
        for user in (staff, principal):
            Notification.objects.create(user=user, unit=staff.unit, kind="proof-pending", subject_key=f"s:{i}",
                                        title=f"Nhắc việc {i}")
    return staff.unit, staff, principal


def copy_of_test_database(name: str) -> str:
    """A copy of the test database as it is now (CREATE DATABASE ... TEMPLATE)."""
    source = connection.settings_dict["NAME"]
    connection.close()
    admin = psycopg2.connect(db_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    admin.close()
    return db_url(name)


def drop_database(name: str):
    admin = psycopg2.connect(db_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def reference(city, private_redis, tmp_path):
    """The state and the e-mail of ONE clean engine run on a copy of the same data."""
    name = f"{connection.settings_dict['NAME']}_ref"
    url = copy_of_test_database(name)
    mail = tmp_path / "reference-mail"
    done = run_portal("-m", "tests.proof.actions", "engine", NOW,
                      env=portal_env(database_url=url, redis_url=private_redis.url(), mail_dir=mail))
    assert done.returncode == 0, done.stderr
    state = engine_state(url)
    drop_database(name)
    assert engine_marked_something(state), "the clean run marked nothing: the fixture has no overdue dossier"
    return state, count_mail(mail)


def engine(env, *extra, timeout=60) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.proof.actions", "engine", NOW, *extra],
                            env=env, cwd=str(db_root()), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def db_root():
    from tests.proof.servers import ROOT

    return ROOT


def test_redis_stopped_pages_work_notices_wait_and_the_engine_catches_up_once(city, private_redis, tmp_path):
    unit, staff, principal = city
    mail = tmp_path / "mail"
    env = portal_env(database_url=db_url(), redis_url=private_redis.url(), mail_dir=mail)
    web, worker = Gunicorn(env), CeleryWorker(env)
    web.start()
    worker.start()
    try:
        private_redis.stop()

        # Pages still answer; /healthz says what is wrong (200: the database is up).
        status, body = web.get("/healthz")
        assert status == 200 and json.loads(body)["broker"] == "error"
        for path in ("/accounts/login/", f"/u/{unit.slug}/", "/api/v1/schema/"):
            assert web.get(path)[0] in (200, 401, 403), path

        # A parent's survey answer and a citizen's feedback are received all the same.
        survey, sent_feedback = public_forms_with_redis_stopped(web, unit)
        assert survey == 302 and sent_feedback == 302
        assert Response.objects.filter(unit=unit, comment="Redis đang dừng").count() == 1
        received = Feedback.objects.get(unit=unit, subject="Redis đang dừng")

        # A notice created while the broker is down is kept; its e-mail waits.
        done = run_portal("-m", "tests.proof.actions", "notify", str(staff.pk), "during-outage", env=env)
        assert done.returncode == 0, done.stderr
        outcome = json.loads(done.stdout.splitlines()[-1])
        # Created, and the failed enqueue on commit did not hang the caller (a page would wait for it).
        assert outcome["created"] == 1 and outcome["seconds"] < 5
        assert Notification.objects.filter(subject_key="during-outage", emailed_at__isnull=True).count() == 1
        # Even the beat task itself cannot be sent, and the caller is not broken by it.
        sent = run_portal("-m", "tests.proof.actions", "enqueue-engine", env=env)
        outcome = json.loads(sent.stdout.splitlines()[-1])
        assert sent.returncode == 0 and outcome["sent"] is False and outcome["seconds"] < 5
        assert count_mail(mail) == {}

        # Redis is back: beat sends the engine task, the worker runs it and catches up.
        private_redis.start()
        wait_for(lambda: json.loads(web.get("/healthz")[1])["broker"] == "ok", 10, "broker ok again")
        wait_for(lambda: json.loads(run_portal("-m", "tests.proof.actions", "enqueue-engine", env=env)
                                    .stdout.splitlines()[-1])["sent"], 15, "engine task sent", interval=0.5)
        wait_for(lambda: EngineRun.objects.exists()
                 and not Notification.objects.filter(emailed_at__isnull=True).exists()
                 and sum(count_mail(mail).values()) >= Notification.objects.count(), 45,
                 "every notice e-mailed", 0.5)
        expected = Notification.objects.count()  # the earlier notices and those the engine created

        assert Feedback.objects.filter(pk=received.pk).exists()

        # Later runs (a second beat tick, the command) send nothing again.
        runs = EngineRun.objects.count()
        assert run_portal("manage.py", "check_deadlines", env=env).returncode == 0  # the same "now" as beat
        assert run_portal("-m", "tests.proof.actions", "enqueue-engine", env=env).returncode == 0
        # Both runs recorded: a run records itself after its e-mails went out.
        wait_for(lambda: EngineRun.objects.count() >= runs + 2, 45, "both later engine runs recorded", 0.2)
        notices = Notification.objects.count()
        assert sum(count_mail(mail).values()) == expected == notices, mail_log(mail)[:3000]
        # The engine did catch up: the open dossiers past due are marked, each once.
        assert Dossier.objects.filter(overdue_at__isnull=False).count() == 15
        assert DossierEvent.objects.filter(action="overdue").count() == 15
    finally:
        worker.stop()
        web.stop()


def public_forms_with_redis_stopped(web, unit) -> tuple[int, int]:
    """Answer the open survey and send feedback through gunicorn as a browser would."""
    survey_url = f"{web.base}/u/{unit.slug}/survey/cham-soc-giao-duc/"
    feedback_url = f"{web.base}/feedback/new/?unit={unit.slug}"
    browser = requests.Session()
    survey_page = browser.get(survey_url, timeout=15).text
    browser.get(feedback_url, timeout=15)
    started = re.search(r'name="started" value="([^"]+)"', survey_page).group(1)
    # The stuffing guard wants a person's pace: wait until the signed start stamp is old enough.
    stamp = json.loads(signing.b64_decode(started.split(":")[0].encode()))
    wait_for(lambda: time.time() - stamp >= guard.MIN_SECONDS + 0.2, 10, "a person's pace", 0.1)
    token = browser.cookies["csrftoken"]
    answers = {"access": 5, "procedure": 4, "staff": 5, "result": 4, "feedback_handling": 5, "overall": 5,
               "comment": "Redis đang dừng", "website": "", "started": started, "csrfmiddlewaretoken": token}
    survey = browser.post(survey_url, data=answers, timeout=15, allow_redirects=False).status_code
    sent = browser.post(feedback_url, data={
        "kind": "gop-y", "subject": "Redis đang dừng", "content": "Góp ý khi máy chủ hàng đợi dừng.",
        "name": "Phụ huynh", "phone": "0912345678", "email": "", "consent_publish": "on", "website": "",
        "csrfmiddlewaretoken": token}, timeout=15, allow_redirects=False).status_code
    return survey, sent


def test_engine_killed_inside_its_sweeps_then_rerun_ends_like_one_clean_run(city, reference, private_redis, tmp_path):
    ref_state, ref_mail = reference
    mail = tmp_path / "mail"
    env = portal_env(database_url=db_url(), redis_url=private_redis.url(), mail_dir=mail)
    # SIGKILL inside each sweep's transaction, before it commits (a worker lost mid-sweep).
    for die_in in ("dossiers.deadlines.sweep", "feedback.deadlines.sweep"):
        killed = engine(env, "--die-in", die_in)
        killed.wait(timeout=60)
        assert killed.returncode == -9, killed.stderr.read()
    rerun = engine(env)
    assert rerun.wait(timeout=60) == 0, rerun.stderr.read()
    assert engine_state(db_url()) == ref_state
    assert count_mail(mail) == ref_mail


def test_two_engines_at_once_mark_and_send_nothing_twice(city, reference, private_redis, tmp_path):
    ref_state, ref_mail = reference
    mail = tmp_path / "mail"
    env = portal_env(database_url=db_url(), redis_url=private_redis.url(), mail_dir=mail)
    start_at = str(time.time() + 1.5)
    runs = [engine(env, "--start-at", start_at) for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=90) == 0, run.stderr.read()
    assert engine_state(db_url()) == ref_state
    assert count_mail(mail) == ref_mail
    assert sum(ref_mail.values()) == len(ref_state["notifications"]) >= 8  # one e-mail per notice


def test_postgresql_restarted_under_gunicorn_requests_recover_without_restarting_it(private_postgres, private_redis, city):
    unit = city[0]
    # The private cluster gets a copy of the test database (schema and rows).
    name = "cchc_restart"
    admin = psycopg2.connect(private_postgres.url())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", db_url()], capture_output=True, check=True, timeout=60)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", private_postgres.url(name)], input=dump.stdout,
                   capture_output=True, check=True, timeout=60)

    web = Gunicorn(portal_env(database_url=private_postgres.url(name), redis_url=private_redis.url()), workers=2)
    web.start()
    try:
        pages = ("/healthz", f"/u/{unit.slug}/", "/accounts/login/")
        for _ in range(3):  # every worker holds a persistent connection
            for path in pages:
                assert web.get(path)[0] == 200, path
        workers = web.worker_pids()
        assert len(workers) == 2

        private_postgres.stop()
        status, body = web.get("/healthz")
        assert status == 503 and json.loads(body)["database"] == "error"
        private_postgres.start()

        for _ in range(4):
            for path in pages:
                assert web.get(path)[0] == 200, path
        assert web.worker_pids() == workers, "gunicorn workers were restarted"
        assert web.proc.poll() is None
    finally:
        web.stop()
