"""Every write to a dossier goes through here (HackSoft style: keyword-only, typed,
atomic). The lifecycle transitions are added beside ``dossier_receive``."""
import datetime

from django.db import connection, transaction
from django.utils import timezone

from core import workdays
from dossiers.models import DailySequence, Dossier, DossierEvent, Procedure


class TransitionError(Exception):
    """A transition the dossier's state does not allow (HTTP 409 in the API)."""


def next_sequence(*, unit, day: datetime.date) -> int:
    """The next number of ``unit`` on ``day``: one atomic upsert, so two desks that
    register at the same second get different numbers, and a rolled-back intake
    gives its number back (the counter row is part of the same transaction)."""
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, day],
        )
        return cursor.fetchone()[0]


def dossier_code(*, unit, day: datetime.date, number: int) -> str:
    """``<unit code>-<yyMMdd>-<4-digit sequence>``, as in 000.00.01.H29-260310-0420."""
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


@transaction.atomic
def dossier_receive(
    *,
    unit,
    procedure: Procedure,
    applicant_name: str,
    applicant_phone: str,
    received_at: datetime.datetime | None = None,
    actor=None,
    **details,
) -> Dossier:
    """Form 01: register a dossier, give it its code and promised return date.

    ``details`` are further Dossier fields (applicant_email, applicant_id_number,
    applicant_address, representative_name, request_summary, documents, sets_count,
    result_delivery, register_book, register_line, assigned_to)."""
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ValueError("received_at is in the future")
    if procedure.unit_id != unit.pk:
        raise ValueError("procedure of another unit")
    day = timezone.localdate(received_at)
    number = next_sequence(unit=unit, day=day)
    due_date = workdays.add_working_days(day, procedure.processing_days)
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        code=dossier_code(unit=unit, day=day, number=number),
        applicant_name=applicant_name,
        applicant_phone=applicant_phone,
        processing_days=procedure.processing_days,
        received_at=received_at,
        received_by=actor,
        due_date=due_date,
        due_at=workdays.due_at(due_date, unit.closing_time),
        **details,
    )
    DossierEvent.objects.create(
        dossier=dossier, unit=unit, action="receive", from_status="", to_status=dossier.status,
        at=received_at, recorded_at=now, actor=actor,
    )
    return dossier
