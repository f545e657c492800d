import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ProcedureFactory, receive_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_code_is_unit_date_and_daily_sequence():
    procedure = ProcedureFactory(unit__code="000.00.01.H29")
    at = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN)
    first = receive_dossier(procedure=procedure, received_at=at)
    second = receive_dossier(procedure=procedure, received_at=at)
    next_day = receive_dossier(procedure=procedure, received_at=at + datetime.timedelta(days=1))
    assert (first.code, second.code) == ("000.00.01.H29-260310-0001", "000.00.01.H29-260310-0002")
    assert next_day.code == "000.00.01.H29-260311-0001"


@pytest.mark.django_db
def test_due_date_counts_working_days_and_due_at_is_closing_time():
    procedure = ProcedureFactory(processing_days=1)
    dossier = receive_dossier(procedure=procedure, received_at=datetime.datetime(2026, 2, 13, 10, 0, tzinfo=VN))
    assert dossier.due_date == datetime.date(2026, 2, 23)  # across Tết 2026
    assert dossier.due_at == datetime.datetime(2026, 2, 23, 17, 0, tzinfo=VN)
    assert dossier.events.get().action == "receive"
