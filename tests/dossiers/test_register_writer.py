"""The register writer (dossiers.export) streams: rows are read from a server-side cursor a
chunk at a time, and progress is reported at a bounded rate, with the total at the end."""
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from openpyxl import Workbook

from dossiers.export import register_rows, write_register
from dossiers.models import Dossier
from tests.factories import ProcedureFactory, receive_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def five(db):
    procedure = ProcedureFactory()
    for day in range(1, 6):
        receive_dossier(procedure=procedure, received_at=datetime.datetime(2026, 3, day, 9, tzinfo=VN),
                        applicant_name=f"Người nộp {day}")
    return Dossier.objects.order_by("received_at", "id")


def test_register_rows_are_read_one_chunk_at_a_time(five, monkeypatch):
    monkeypatch.setattr("dossiers.export.CHUNK", 2)
    connection = connections["default"]
    fetches = []
    chunked_cursor = connection.chunked_cursor

    def counting_cursor():
        cursor = chunked_cursor()
        fetchmany = cursor.fetchmany

        def counted(size):
            rows = fetchmany(size)
            fetches.append(len(rows))
            return rows

        cursor.fetchmany = counted
        return cursor

    monkeypatch.setattr(connection, "chunked_cursor", counting_cursor)
    rows = register_rows(five)
    first = next(rows)
    assert first[4] == "Người nộp 1" and fetches == [2]  # one chunk read, not the register
    assert [r[4] for r in rows] == [f"Người nộp {n}" for n in range(2, 6)]
    assert fetches[:3] == [2, 2, 1]


@pytest.mark.parametrize("seconds, reported", [(0, [2, 4, 5]), (3600, [2, 5])])
def test_progress_at_most_once_a_period_and_the_total_at_the_end(five, monkeypatch, seconds, reported):
    monkeypatch.setattr("dossiers.export.CHUNK", 2)
    monkeypatch.setattr("dossiers.export.PROGRESS_SECONDS", seconds)
    calls = []
    workbook = Workbook(write_only=True)
    assert write_register(workbook, five, progress=calls.append) == 5
    workbook.save(io.BytesIO())
    assert calls == reported
