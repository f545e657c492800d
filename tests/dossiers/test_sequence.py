"""Dossier codes: unit code, day, 4-digit sequence; gap-free and unique even when two
desks register at the same second (PostgreSQL, separate connections)."""
import threading

import pytest
from django.db import connection
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.services import dossier_receive
from tests.factories import ProcedureFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_gives_distinct_gap_free_codes(reference_fields):
    procedure = ProcedureFactory()
    unit = procedure.unit
    at = timezone.now()
    barrier = threading.Barrier(8)
    errors = []

    def desk(n):
        try:
            barrier.wait()
            for i in range(5):
                dossier_receive(unit=unit, procedure=procedure, applicant_name=f"Người {n}-{i}",
                                applicant_phone="0901234567", received_at=at)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    day = timezone.localdate(at)
    assert codes == [f"{unit.code}-{day:%y%m%d}-{n:04d}" for n in range(1, 41)]


@pytest.mark.django_db
def test_a_rolled_back_intake_gives_its_number_back():
    from django.db import transaction

    procedure = ProcedureFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_receive(unit=procedure.unit, procedure=procedure, applicant_name="A", applicant_phone="0901234567")
        raise RuntimeError
    dossier = dossier_receive(unit=procedure.unit, procedure=procedure, applicant_name="B", applicant_phone="0901234567")
    assert dossier.code.endswith("-0001")
