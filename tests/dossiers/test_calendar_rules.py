"""Deadlines as the calendar and the law set them (docs/domain/counting-and-words.md): a 0-day
procedure after hours, an apology's new date on a working day, and a dossier awaiting a
supplement that is never overdue anywhere."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dossiers import selectors
from dossiers.models import Apology, Dossier
from dossiers.services import dossier_transition
from kpi.indicators import Period
from kpi.selectors import dossier_breakdown
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, dossier_in, receive_dossier

pytestmark = pytest.mark.django_db


def _local(y, m, d, h, minute=0):
    return timezone.make_aware(datetime.datetime(y, m, d, h, minute))


@pytest.mark.parametrize(("received", "due", "why"), [
    (_local(2026, 3, 6, 10), datetime.date(2026, 3, 6), "working day before closing: the same day"),
    (_local(2026, 3, 6, 17, 30), datetime.date(2026, 3, 9), "after closing time on Friday: Monday"),
    (_local(2026, 3, 7, 9), datetime.date(2026, 3, 9), "on a Saturday: Monday"),
    (_local(2026, 1, 2, 9), datetime.date(2026, 1, 5), "on the swapped New Year day off 02/01/2026: Monday 05/01"),
    (_local(2026, 1, 9, 18), datetime.date(2026, 1, 10), "Friday evening before the make-up Saturday 10/01/2026"),
])
def test_a_zero_day_procedure_is_due_the_next_working_day_when_received_off_hours(received, due, why):
    procedure = ProcedureFactory(processing_days=0)
    dossier = receive_dossier(procedure=procedure, received_at=received)
    assert dossier.due_date == due, why
    assert timezone.localtime(dossier.due_at).date() == due


def test_a_five_day_procedure_still_counts_from_the_day_of_receipt():
    dossier = receive_dossier(procedure=ProcedureFactory(processing_days=5), received_at=_local(2026, 3, 6, 17, 30))
    assert dossier.due_date == datetime.date(2026, 3, 13)


@pytest.fixture
def late_dossier():
    principal = PrincipalFactory()
    procedure = ProcedureFactory(unit=principal.unit, processing_days=5)
    dossier = dossier_in("processing", procedure=procedure, received_at=_local(2026, 3, 2, 9))  # due Mon 9/3
    return principal, dossier


@pytest.mark.parametrize(("new_date", "why"), [
    (datetime.date(2026, 3, 14), "a Saturday"),
    (datetime.date(2026, 4, 30), "a public holiday"),
    (datetime.date(2026, 3, 9), "the current due date itself"),
])
def test_an_apologys_new_date_must_be_a_working_day_after_the_due_date(late_dossier, new_date, why):
    principal, dossier = late_dossier
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        dossier_transition(dossier=dossier, action="apologize", actor=principal, at=_local(2026, 3, 5, 10),
                           reason="Cần xác minh thêm", new_due_date=new_date)
    message = error.value.message_dict["new_due_date"][0]
    assert "ngày" in message and "/2026" in message, why  # Vietnamese, with the date
    assert not Apology.objects.exists()
    assert not dossier.events.filter(action="apologize").exists()


def test_an_apology_on_a_working_day_after_the_due_date_is_saved(late_dossier):
    principal, dossier = late_dossier
    dossier_transition(dossier=dossier, action="apologize", actor=principal, at=_local(2026, 3, 5, 10),
                       reason="Cần xác minh thêm", new_due_date=datetime.date(2026, 3, 16))
    assert Apology.objects.get(dossier=dossier).new_due_date == datetime.date(2026, 3, 16)


@pytest.fixture
def waiting(client):
    """A dossier past its due date, but awaiting the applicant's supplement."""
    staff = StaffFactory()
    procedure = ProcedureFactory(unit=staff.unit, processing_days=1)
    received = timezone.now() - datetime.timedelta(days=20)
    dossier = dossier_in("awaiting_supplement", procedure=procedure, received_at=received, actor=staff)
    assert dossier.due_at < timezone.now()
    client.force_login(staff)
    return staff, dossier


def test_a_dossier_awaiting_a_supplement_is_not_overdue_in_the_model_or_the_api(waiting):
    staff, dossier = waiting
    assert Dossier.objects.get(pk=dossier.pk).is_overdue is False
    api = APIClient()
    api.force_authenticate(staff)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").json()["is_overdue"] is False


def test_a_dossier_awaiting_a_supplement_has_no_overdue_badge_in_the_worklist(client, waiting):
    staff, dossier = waiting
    page = client.get(reverse("dossiers:unit")).content.decode()
    assert dossier.code in page
    assert "badge-overdue" not in page
    assert selectors.worklist_counts(user=staff, unit=staff.unit)["overdue"] == 0
    assert not selectors.with_flags(queryset=Dossier.objects.filter(pk=dossier.pk)).get().overdue_now


def test_a_dossier_awaiting_a_supplement_is_not_counted_overdue_by_the_kpi(waiting):
    staff, dossier = waiting
    period = Period(dossier.due_date - datetime.timedelta(days=5), timezone.localdate())
    counts = dossier_breakdown(units=[staff.unit], period=period)
    assert counts["overdue"] == 0
    dossier_transition(dossier=dossier, action="resume", actor=staff)
    # Resumed: the clock runs again from today, so it is not overdue yet either.
    assert Dossier.objects.get(pk=dossier.pk).is_overdue is False
