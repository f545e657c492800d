"""The principal's dashboard body is kept in the cache exactly (kpi/dashboard_cache.py,
docs/decisions/dashboard-cache.md): the second read computes nothing, every change shows
on the very next read, the clock makes an entry lapse when "overdue" moves, each kind of
viewer has its own entry, nothing personal is cached, and a cache that is down only makes
the page slower."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kpi import dashboard_cache
from kpi.services import monthly_figure_save, plan_create, plan_task_progress, plan_task_save
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
    finish_dossier_for_test,
    receive_dossier,
    send_feedback,
    survey_response_for_test,
)

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")

CACHE_DOWN = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}}
# What computing the body reads; a read served from the cache reads none of it.
BODY_TABLES = ("kpi_daycount", "kpi_monthcount", "dossiers_dossier", "kpi_yearplan", "kpi_plantask",
               "kpi_target", "kpi_monthlyfigure", "core_field")


@pytest.fixture
def principal():
    return PrincipalFactory(unit=UnitFactory(name="Trường Mầm non Tuổi Hồng"))


@pytest.fixture
def client(principal):
    client = Client()
    client.force_login(principal)
    return client


def page(client, query=None) -> str:
    response = client.get("/kpi/", query or {})
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def card(html: str, key: str) -> tuple[int, int]:
    """(numerator, denominator) of the card of indicator ``key``."""
    section = html.split(f'data-testid="kpi-card-{key}"', 1)[1].split("</section>", 1)[0]
    counts = section.split('<p class="small mb-0">', 1)[1].split("</p>", 1)[0]
    text = re.sub(r"<[^>]+>", "", counts)
    numerator, denominator = re.search(r"(\d+)[^/]*/\s*(\d+)", text).groups()
    return int(numerator), int(denominator)


def overdue_without_apology(html: str) -> int:
    item = html.split('data-testid="overdue-no-apology">', 1)[1]
    return int(re.match(r"\s*(\d+)", item).group(1))


def body_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in BODY_TABLES)]


def test_the_second_read_comes_from_the_cache(client, principal):
    receive_dossier(unit=principal.unit)
    first = page(client)
    with CaptureQueriesContext(connection) as queries:
        again = page(client)
    assert body_queries(queries.captured_queries) == []
    # what is left: the session, the person, their unit, the unread notifications (base.html)
    assert len(queries.captured_queries) <= 4
    assert main(again) == main(first) and "Trường Mầm non Tuổi Hồng" in again
    assert card(again, "online_submission_rate")[1] == 1


def test_a_dossier_received_then_completed_shows_on_the_next_read(client, principal, django_capture_on_commit_callbacks):
    assert card(page(client), "online_submission_rate") == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(unit=principal.unit)
    html = page(client)
    assert card(html, "online_submission_rate")[1] == 1 and card(html, "dossier_on_time_rate") == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        finish_dossier_for_test(dossier, completed_at=dossier.received_at + datetime.timedelta(hours=1),
                                timeliness="on_time")
    assert card(page(client), "dossier_on_time_rate") == (1, 1)


def test_without_the_commit_the_cached_page_stays(client, principal):
    """What the tests above prove is the commit's doing: a change whose transaction has not
    committed (pytest-django never commits) leaves the entry as it was."""
    assert card(page(client), "online_submission_rate") == (0, 0)
    receive_dossier(unit=principal.unit)
    assert card(page(client), "online_submission_rate") == (0, 0)


def test_a_survey_answer_shows_on_the_next_read(client, principal, django_capture_on_commit_callbacks):
    assert card(page(client), "satisfaction_rate") == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        survey_response_for_test(unit=principal.unit, overall=5,
                                 submitted_at=dashboard_cache.now() - datetime.timedelta(minutes=5))
    assert card(page(client), "satisfaction_rate") == (1, 1)


def test_a_feedback_item_shows_on_the_next_read(client, principal, django_capture_on_commit_callbacks):
    assert card(page(client), "feedback_answered_rate") == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        send_feedback(unit=principal.unit)
    assert card(page(client), "feedback_answered_rate") == (0, 1)


def test_a_plan_task_and_a_monthly_figure_show_on_the_next_read(client, principal, django_capture_on_commit_callbacks):
    today = dashboard_cache.now().astimezone(VN).date()
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_create(unit=principal.unit, year=today.year)
    assert 'data-testid="overdue-tasks"' not in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        task = plan_task_save(plan=plan, group="direction", title="Kiện toàn Ban Chỉ đạo CCHC",
                              deadline=today - datetime.timedelta(days=1))
    assert "Kiện toàn Ban Chỉ đạo CCHC" in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        plan_task_progress(task=task, progress=100)
    assert "Kiện toàn Ban Chỉ đạo CCHC" not in page(client)

    month = datetime.date(today.year, 1, 1)  # the default period is the year so far
    assert card(page(client), "e_payment_rate") == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_figure_save(unit=principal.unit, key="e_payment_rate", year=month.year, month=month.month,
                            numerator=9, denominator=10)
    assert card(page(client), "e_payment_rate") == (9, 10)


MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def test_an_entry_lapses_when_a_dossier_due_today_passes_its_due_time(client, principal, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    due_at = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=VN)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(procedure=ProcedureFactory(unit=principal.unit),
                                  received_at=datetime.datetime(2026, 3, 5, 9, 0, tzinfo=VN))
        dossier.due_date, dossier.due_at = due_at.date(), due_at
        dossier.save(update_fields=["due_date", "due_at"])
    clock = {"now": due_at - datetime.timedelta(minutes=5)}
    monkeypatch.setattr(dashboard_cache, "now", lambda: clock["now"])

    assert overdue_without_apology(page(client, MARCH)) == 0
    clock["now"] = due_at - datetime.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        assert overdue_without_apology(page(client, MARCH)) == 0
    assert body_queries(queries.captured_queries) == []  # still the cached entry
    clock["now"] = due_at + datetime.timedelta(minutes=1)
    assert overdue_without_apology(page(client, MARCH)) == 1  # no write: the entry lapsed at 11:00


def test_an_entry_lapses_at_midnight(client, principal, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_create(unit=principal.unit, year=2026)
        plan_task_save(plan=plan, group="direction", title="Niêm yết thủ tục", deadline=datetime.date(2026, 3, 10))
    clock = {"now": datetime.datetime(2026, 3, 10, 23, 59, tzinfo=VN)}
    monkeypatch.setattr(dashboard_cache, "now", lambda: clock["now"])
    assert "Niêm yết thủ tục" not in page(client, MARCH)  # due today: not overdue yet
    clock["now"] = datetime.datetime(2026, 3, 11, 0, 1, tzinfo=VN)
    assert "Niêm yết thủ tục" in page(client, MARCH)


def test_the_page_works_when_the_cache_is_down(client, principal, settings, django_capture_on_commit_callbacks):
    settings.CACHES = CACHE_DOWN
    with django_capture_on_commit_callbacks(execute=True):  # the new version cannot be set: no error
        receive_dossier(unit=principal.unit)
    assert card(page(client), "online_submission_rate")[1] == 1
    with django_capture_on_commit_callbacks(execute=True):
        receive_dossier(unit=principal.unit)
    assert card(page(client), "online_submission_rate")[1] == 2


def test_each_kind_of_viewer_has_its_own_entry(principal):
    unit = principal.unit
    clients = {}
    for name, user in (("principal", principal), ("staff", StaffFactory(unit=unit)),
                       ("office", OfficeUserFactory(office=unit.office))):
        clients[name] = Client()
        clients[name].force_login(user)
    query = {"unit": unit.slug}
    as_principal = page(clients["principal"], query)
    as_staff = page(clients["staff"], query)
    as_office = page(clients["office"], query)
    create_plan = "/kpi/plan/?unit="
    assert create_plan in main(as_principal).split('data-testid="kpi-cards"')[0]  # "Create the plan"
    assert create_plan not in main(as_staff).split('data-testid="kpi-cards"')[0].split("alert-warning", 1)[1]
    # an office drills down: "All units", and links that name the unit
    assert f'href="/dossiers/register/?unit={unit.slug}' in as_office
    assert f'href="/dossiers/register/?unit={unit.slug}' not in as_principal + as_staff
    assert main(page(clients["staff"], query)) == main(as_staff)  # each from its own entry


def test_nothing_personal_goes_into_the_entry(client, principal):
    html = page(client, {"from": "not a date"})  # a message for this person, shown around the body
    assert "csrfmiddlewaretoken" in html
    viewer = dashboard_cache.Viewer(drill=False, office_id=None, can_manage=True, can_write=True)
    form_period = re.search(r'name="from" value="(\d\d)/(\d\d)/(\d{4})"', html).groups()
    to = re.search(r'name="to" value="(\d\d)/(\d\d)/(\d{4})"', html).groups()

    class Period:
        start = datetime.date(int(form_period[2]), int(form_period[1]), int(form_period[0]))
        end = datetime.date(int(to[2]), int(to[1]), int(to[0]))

    from django.core.cache import cache

    entry = cache.get(dashboard_cache._entry_key(principal.unit, Period, "vi", viewer, "/kpi/"))
    assert entry is not None and "Trường Mầm non Tuổi Hồng" in entry["html"]
    assert "csrfmiddlewaretoken" not in entry["html"] and 'role="alert"' not in entry["html"]
    assert principal.username not in entry["html"]
    assert 'role="alert"' in html  # the message itself was shown, around the cached body


def test_an_entry_filled_from_a_late_replica_is_not_kept(client, principal, monkeypatch):
    monkeypatch.setattr(dashboard_cache, "_from_replica", lambda: True)
    page(client)  # the unit's version was just set: the replica may not have what is behind it
    with CaptureQueriesContext(connection) as queries:
        page(client)
    assert body_queries(queries.captured_queries) != []


def test_who_just_wrote_never_reads_an_entry_computed_on_the_replica(client, principal, monkeypatch, settings):
    monkeypatch.setattr(dashboard_cache, "_from_replica", lambda: True)
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_CHECK_SECONDS = -3600, 0  # every version old enough
    page(client)
    with CaptureQueriesContext(connection) as queries:
        page(client)
    assert body_queries(queries.captured_queries) == []  # kept
    monkeypatch.setattr(dashboard_cache, "_pinned", lambda: True)
    with CaptureQueriesContext(connection) as queries:
        page(client)
    assert body_queries(queries.captured_queries) != []  # computed again, on the primary


def test_a_field_renamed_shows_on_every_dashboard(client, principal, django_capture_on_commit_callbacks):
    from tests.factories import field

    receive_dossier(procedure=ProcedureFactory(unit=principal.unit, field=field("xac-nhan")))
    assert "Xác nhận cấp mới" not in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        renamed = field("xac-nhan")
        renamed.name = "Xác nhận cấp mới"
        renamed.save()
    assert "Xác nhận cấp mới" in page(client)
