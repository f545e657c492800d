"""What every signed-in page reads before its own work: the session, the person with their
unit and office, and the unread-notice count of the navbar, in one prepared statement
(core/sessions.py, core/auth.py, core/db.py) instead of ORM queries; the cookie, the
password checks and the sessions of people already signed in are Django's."""
import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import auth, sessions
from core import db as core_db
from core.context_processors import unread_count_sql
from core.models import Notification, Session, User
from tests import plans
from tests.factories import OfficeUserFactory, PrincipalFactory

pytestmark = pytest.mark.django_db


BELL = '<i class="bi bi-bell" aria-hidden="true"></i>'


def _sent(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries]


def _notify(user, n, *, read=False):
    for i in range(n):
        Notification.objects.create(user=user, unit=user.unit, kind="test", subject_key=f"t:{read}:{i}",
                                    title=f"Thông báo {i}", read_at=timezone.now() if read else None)


def _name(sql: str) -> str:
    return core_db.convert(sql)[0]


def test_a_session_of_djangos_own_table_is_copied_by_the_upgrade_and_the_person_stays_signed_in(client):
    principal, visitor = PrincipalFactory(), DjangoStore()
    # Sessions as the releases before this one wrote them: Django's store and table.
    old = DjangoStore()
    old["_auth_user_id"] = str(principal.pk)
    old["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    old["_auth_user_hash"] = principal.get_session_auth_hash()
    old.create()
    visitor["django_language"] = "en"
    visitor.create()
    upgrade = importlib.import_module("core.migrations.0010_session_with_person")
    upgrade.copy_sessions(apps, SimpleNamespace(connection=connection))
    assert dict(Session.objects.values_list("session_key", "user_id")) == {
        old.session_key: principal.pk, visitor.session_key: None}
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/kpi/")
    assert page.status_code == 200
    assert (principal.get_full_name() or principal.username) in page.content.decode()
    sent = _sent(queries)
    assert sent[0].startswith(f"EXECUTE {_name(sessions._statement())}(")  # the session with its person, prepared
    assert not any("django_session" in sql or "core_session" in sql for sql in sent)


def test_an_expired_or_unknown_session_is_nobody(client):
    principal = PrincipalFactory()
    client.force_login(principal)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/kpi/").status_code == 200
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get("/kpi/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get("/kpi/").status_code == 302


def test_signing_in_and_out_still_write_and_delete_the_row(client):
    principal = PrincipalFactory()
    signed_in = client.post("/accounts/login/", {"username": principal.username, "password": "pass-12345"})
    assert signed_in.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == principal.pk  # the person beside the data
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/kpi/").status_code == 302


def test_the_navbar_counts_only_the_persons_unread_notices(client):
    principal, other = PrincipalFactory(), PrincipalFactory()
    _notify(principal, 3)
    _notify(principal, 2, read=True)
    _notify(other, 4)
    client.force_login(principal)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/kpi/")
    assert f'{BELL} <span class="badge text-bg-warning">3</span>' in page.content.decode()
    assert not any("core_notification" in sql for sql in _sent(queries))  # prepared: EXECUTE only
    Notification.objects.filter(user=principal).update(read_at=timezone.now())
    page = client.get("/kpi/").content.decode()
    assert f"{BELL}</a>" in page  # the bell without a count


@pytest.mark.postgres
def test_the_unread_count_reads_only_the_unread_notices_of_the_person():
    """Years of read notices behind a person must not make every page slower: the count is
    answered from the partial index of unread notices (core 0009), not the person's rows."""
    principal = PrincipalFactory()
    _notify(principal, 2)
    _notify(principal, 40, read=True)
    plan = plans.plan(unread_count_sql("%s"), [principal.pk])  # the text both statements use
    assert "notification_unread" in plan, plan


def _sign_in(client, user, password="pass-12345"):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def test_a_page_reads_the_person_unit_and_office_in_one_statement(client):
    principal = PrincipalFactory()
    assert _sign_in(client, principal).status_code == 302
    assert client.session["_auth_user_backend"] == "core.auth.Backend"
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/kpi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert principal.get_full_name() in html and principal.unit.name in html  # the account menu
    sent = _sent(queries)
    assert sent[0].startswith(f"EXECUTE {_name(sessions._statement())}(")  # session, person, unit, office, count
    # Neither the person's own statement, nor the count's, nor the ORM's read of the user or
    # its fetch of the user's unit by id.
    count_alone = _name("SELECT count(*) FROM core_notification WHERE user_id = %s AND read_at IS NULL")
    assert not any(_name(auth._statement()) in sql or count_alone in sql for sql in sent)
    assert not any('"core_user"."password"' in sql for sql in sent)
    assert not any(f'WHERE "core_unit"."id" = {principal.unit_id} LIMIT 21' in sql for sql in sent)


def test_an_office_account_gets_its_office_from_the_same_statement(client):
    office_user = OfficeUserFactory()
    client.force_login(office_user, backend="core.auth.Backend")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/")
    assert page.status_code == 200 and office_user.office.name in page.content.decode()  # the account menu
    assert not any(f'WHERE "core_office"."id" = {office_user.office_id} LIMIT 21' in sql for sql in _sent(queries))


def test_a_wrong_password_is_checked_once_and_counted_by_axes(client, monkeypatch, settings):
    settings.AXES_FAILURE_LIMIT = 2
    principal = PrincipalFactory()
    checks, check = [], User.check_password

    def spy(user, raw):
        checks.append(raw)
        return check(user, raw)

    monkeypatch.setattr(User, "check_password", spy)
    assert _sign_in(client, principal, "sai-mat-khau").status_code == 200
    assert checks == ["sai-mat-khau"]  # Django's ModelBackend, listed after, did not check again
    _sign_in(client, principal, "sai-mat-khau")
    assert _sign_in(client, principal).status_code == 429  # locked out after two failures, as before
    assert "_auth_user_id" not in client.session


def test_a_changed_password_or_a_closed_account_signs_the_person_out(client):
    principal = PrincipalFactory()
    _sign_in(client, principal)
    assert client.get("/kpi/").status_code == 200
    principal.set_password("mot-mat-khau-moi-2026")
    principal.save()
    assert client.get("/kpi/").status_code == 302  # the session's password hash no longer matches
    _sign_in(client, principal, "mot-mat-khau-moi-2026")
    assert client.get("/kpi/").status_code == 200
    User.objects.filter(pk=principal.pk).update(is_active=False)
    assert client.get("/kpi/").status_code == 302


def test_no_field_of_the_person_unit_or_office_needs_the_orms_conversion():
    """core/auth.py builds them from psycopg2's values as they come; a field with a converter
    (a JSONField, say) would need the ORM's conversion there first."""
    from core import auth

    _columns, _joins, parts = auth.person_select()
    assert [model.__name__ for model, *_rest in parts] == ["User", "Unit", "Office"]
    for model, fields, _names, _fk in parts:
        for field in fields:
            column = field.get_col(model._meta.db_table)
            assert not connection.ops.get_db_converters(column) + field.get_db_converters(connection), field


def test_the_person_is_the_one_the_session_data_names_whatever_the_column_says(client):
    """The column only saves a round trip: Django's decoded data decides who is signed in."""
    principal, other = PrincipalFactory(), PrincipalFactory()
    client.force_login(principal)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(user_id=other.pk)
    page = client.get("/kpi/")
    assert page.status_code == 200 and page.wsgi_request.user.pk == principal.pk != other.pk
    assert principal.unit.name in page.content.decode()


def test_a_visitors_session_names_nobody(client):
    store = sessions.SessionStore()
    store["django_language"] = "en"
    store.create()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get("/kpi/").status_code == 302  # nobody signed in


def test_expired_sessions_are_deleted_every_night_by_a_schedule_the_administrator_sees(client):
    from django_celery_beat.models import PeriodicTask

    from core.tasks import clear_expired_sessions

    client.force_login(PrincipalFactory())
    kept = client.cookies[settings.SESSION_COOKIE_NAME].value
    stale = sessions.SessionStore()
    stale["django_language"] = "vi"
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - datetime.timedelta(days=1))
    clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == [kept]
    assert client.get("/kpi/").status_code == 200  # a valid session is left alone

    schedule = importlib.import_module("core.migrations.0011_clear_sessions_schedule")
    PeriodicTask.objects.filter(task=schedule.TASK).delete()
    schedule.create(apps, None)
    task = PeriodicTask.objects.get(task=schedule.TASK)
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
