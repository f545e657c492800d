"""The daily rollup (docs/kpi/rollup.md) always answers what the records answer: for random
histories of dossiers, apologies, results, survey responses, feedback and ratings — created,
changed, moved and deleted in any order — and random periods, some crossing a change of
supervising office, ``kpi.rollup.sums`` equals ``kpi.live.sums`` for plain units and for
each office's scope, in total and by unit, field and month; and a rebuild from scratch
gives the same rows as the changes kept up one by one."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Unit
from core.services import supervision_change
from dossiers.models import Apology, Document, Dossier
from feedback.models import AnswerRating
from kpi import live, rollup, selectors
from kpi.indicators import Period
from kpi.models import DayCount, MonthCount
from tests.factories import (
    OfficeFactory,
    ProcedureFactory,
    UnitFactory,
    feedback_for_test,
    field,
    receive_dossier,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST = datetime.date(2026, 1, 1)
CHANGE = datetime.date(2026, 2, 17)  # unit A moves from office X to office Y
DAYS = 120
pytestmark = pytest.mark.django_db


def day(n: int) -> datetime.date:
    return FIRST + datetime.timedelta(days=n)


def moment(n: int, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day(n), datetime.time(hour), tzinfo=VN)


# One step of a history: (kind, which record, day number, hour, a small choice).
steps = st.lists(
    st.tuples(
        st.sampled_from(["receive", "complete", "reopen", "await", "move_due", "withdraw", "apologise", "unapologise",
                         "result", "delete", "respond", "feedback", "answer", "rate", "online"]),
        st.integers(0, 30), st.integers(0, DAYS - 1), st.sampled_from([0, 6, 9, 16, 23]), st.integers(0, 3),
    ),
    min_size=1, max_size=25,
)
periods = st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)).map(sorted)


def _world():
    x, y = OfficeFactory(name="Phòng GD&ĐT X"), OfficeFactory(name="UBND phường Y")
    a, b = UnitFactory(office=x), UnitFactory(office=x)
    supervision_change(unit=a, office=y, valid_from=CHANGE)
    procedures = [ProcedureFactory(unit=u, field=field(key), processing_days=3, online="full" if key == "tuyen-sinh" else "none")
                  for u in (a, b) for key in ("xac-nhan", "tuyen-sinh")]
    return x, y, a, b, procedures


def _play(history, procedures, units):
    dossiers, feedback = [], []

    def pick(items, i):
        items[:] = [o for o in items if type(o).objects.filter(pk=o.pk).exists()]
        return items[i % len(items)] if items else None

    for kind, i, n, hour, choice in history:
        if kind == "receive":
            d = receive_dossier(procedure=procedures[i % len(procedures)], received_at=moment(n, hour))
            if choice == 1:
                d.documents = [{"name": "Đơn", "kind": "original", "count": 1, "digitised": True}]
                d.save(update_fields=["documents"])
            dossiers.append(d)
        elif kind == "respond":
            survey_response_for_test(unit=units[i % 2], area_key=["cham-soc-giao-duc", "tuyen-sinh"][choice % 2],
                                     overall=1 + (i + choice) % 5, submitted_at=moment(n, hour),
                                     source=["open", "dossier"][choice % 2])
        elif kind == "feedback":
            feedback.append(feedback_for_test(unit=units[i % 2], received_at=moment(n, hour)))
        elif kind in ("answer", "rate"):
            f = pick(feedback, i)
            if f is None:
                continue
            f.refresh_from_db()
            if kind == "answer":
                f.answered_at = f.received_at + datetime.timedelta(days=choice * 4)
                f.publishable, f.published_at = choice != 2, f.answered_at if choice == 3 else None
                f.save()
            elif f.answered_at and not AnswerRating.objects.filter(feedback=f).exists():
                AnswerRating.objects.create(feedback=f, unit=f.unit, score=2 + choice)
        else:
            d = pick(dossiers, i)
            if d is None:
                continue
            d.refresh_from_db()
            if kind == "complete" and d.status in Dossier.OPEN_STATUSES:
                d.status, d.completed_at = Dossier.Status.COMPLETED, max(moment(n, hour), d.received_at)
                d.timeliness = ["early", "on_time", "late", "late"][choice]
                d.save()
            elif kind == "reopen" and d.status in (Dossier.Status.COMPLETED, Dossier.Status.RETURNED):
                d.status, d.completed_at, d.timeliness = Dossier.Status.PROCESSING, None, None
                d.save()
            elif kind == "await" and d.status in Dossier.OPEN_STATUSES:
                d.status = [Dossier.Status.AWAITING_SUPPLEMENT, Dossier.Status.PROCESSING][choice % 2]
                d.save(update_fields=["status"])
            elif kind == "move_due":
                d.due_date = day(n)
                d.due_at = moment(n, 17)
                d.save()
            elif kind == "withdraw" and d.status in Dossier.OPEN_STATUSES:
                d.status = Dossier.Status.WITHDRAWN
                d.save()
            elif kind == "apologise" and not Apology.objects.filter(dossier=d).exists():
                Apology.objects.create(dossier=d, unit=d.unit, issued_at=d.received_at, reason="Cần thêm thời gian",
                                       new_due_date=d.due_date + datetime.timedelta(days=7),
                                       new_due_at=d.due_at + datetime.timedelta(days=7), timely=choice % 2 == 0)
            elif kind == "unapologise":
                Apology.objects.filter(dossier=d).delete()
            elif kind == "result":
                Document.objects.create(dossier=d, unit=d.unit, kind=Document.Kind.RESULT, form="KQ",
                                        code=f"{d.code}-KQ{Document.objects.filter(dossier=d).count() + 1}",
                                        title="Kết quả", file=SimpleUploadedFile("kq.pdf", b"%PDF-1.4"),
                                        sha256="0" * 64)
            elif kind == "online":
                d.channel = Dossier.Channel.ONLINE if choice % 2 else Dossier.Channel.DIRECT
                d.save(update_fields=["channel"])
            elif kind == "delete" and choice == 0:
                d.delete()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(history=steps, period=periods, now_day=st.integers(0, DAYS + 10), now_hour=st.sampled_from([8, 17, 22]))
def test_the_rollup_answers_what_the_records_answer(tmp_path_factory, settings, history, period, now_day, now_hour):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    x, y, a, b, procedures = _world()
    _play(history, procedures, (a, b))
    start, end = day(period[0]), day(period[1])
    now = moment(now_day, now_hour)
    scopes = [Unit.objects.filter(pk__in=[a.pk, b.pk]), Unit.objects.supervised_by(x.pk), Unit.objects.supervised_by(y.pk)]
    for units in scopes:
        for by in (None, "unit", "field", "month", "field_month"):
            want = live.sums(units=units, start=start, end=end, now=now, by=by)
            got = rollup.sums(units=units, start=start, end=end, now=now, by=by)
            assert got == want, (by, getattr(units, "office_scope", None), history, period, now, {k: {n: v for n, v in c.items() if v} for k, c in got.items()}, {k: {n: v for n, v in c.items() if v} for k, c in want.items()})


@pytest.fixture
def history_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    x, y, a, b, procedures = _world()
    _play([("receive", i, i * 3, 9, i % 4) for i in range(12)]
          + [("complete", i, i * 3 + 4, 16, i % 4) for i in range(0, 12, 2)]
          + [("apologise", i, 0, 9, i) for i in range(1, 12, 3)]
          + [("respond", i, i * 5, 10, i % 4) for i in range(8)]
          + [("feedback", i, i * 7, 10, 0) for i in range(4)] + [("answer", i, 0, 0, i % 4) for i in range(4)],
          procedures, (a, b))
    return x, y, a, b


def _rows(model):
    """The rows with any count: (unit, field, day or month, counts)."""
    when = "day" if model is DayCount else "month"
    rows = [(r["unit_id"], r["field_id"] or 0, r[when], tuple(r[c] for c in rollup.COLUMNS)) for r in model.objects.values()]
    return sorted(r for r in rows if any(r[3]))


def test_a_rebuild_gives_the_rows_the_changes_kept(history_world):
    kept = {model: _rows(model) for model in (DayCount, MonthCount)}
    assert kept[DayCount]
    result = rollup.rebuild()
    assert result == {"days": DayCount.objects.count(), "months": MonthCount.objects.count()}
    for model, rows in kept.items():
        assert _rows(model) == rows


def test_the_indicators_read_from_the_rollup_equal_the_live_ones(history_world, monkeypatch):
    x, y, a, b = history_world
    period = Period(datetime.date(2026, 1, 10), datetime.date(2026, 4, 14))
    now = moment(100, 12)
    units = Unit.objects.supervised_by(x.pk)
    from_rollup = (selectors.indicator_rows(units=units, period=period, now=now),
                   selectors.unit_comparison(units=units, period=period, now=now),
                   selectors.monthly_series(units=units, period=period, now=now),
                   selectors.sipas_indices(units=units, period=period))
    monkeypatch.setattr(selectors, "counts_source", live.sums)
    from_records = (selectors.indicator_rows(units=units, period=period, now=now),
                    selectors.unit_comparison(units=units, period=period, now=now),
                    selectors.monthly_series(units=units, period=period, now=now),
                    selectors.sipas_indices(units=units, period=period))
    assert from_rollup == from_records
    assert any(r["denominator"] for r in from_rollup[0])
