"""Dossier intake on a table of a million dossiers: the real service (gap-free
daily code, due date from the working-day calendar, event) beside a raw INSERT of
the same row. Every write is rolled back: the city stays as generated."""
from bench.common import row, setup_django, timed

N = 50


def run(db_url: str) -> list[dict]:
    setup_django(db_url)
    from django.db import connection, transaction
    from django.utils import timezone

    from dossiers.models import Dossier, Procedure
    from dossiers.services import dossier_receive

    procedure = Procedure.objects.select_related("unit").filter(unit__slug="bench-0001").first()
    if procedure is None:
        return [row("dossier intake (no bench data)", 0, "ms", "-", None, "-")]

    def service():
        with transaction.atomic():
            for _ in range(N):
                dossier_receive(unit=procedure.unit, procedure=procedure, applicant_name="Nguyễn Văn An",
                                applicant_phone="0901234567", received_at=timezone.now(), actor=None)
            transaction.set_rollback(True)

    table = Dossier._meta.db_table

    def raw():
        with transaction.atomic(), connection.cursor() as cur:
            for i in range(N):
                cur.execute(
                    f"INSERT INTO {table} (unit_id, procedure_id, field_id, code, status, applicant_name, "  # noqa: S608
                    "applicant_id_number, applicant_address, applicant_phone, applicant_email, representative_name, "
                    "request_summary, documents, sets_count, processing_days, result_delivery, register_book, "
                    "received_at, due_date, due_at, tracking_secret, survey_token, created_at, updated_at) VALUES "
                    "(%s, %s, %s, %s, 'received', 'Nguyễn Văn An', '', '', '0901234567', '', '', '', '[]', 1, %s, "
                    "'desk', '', now(), current_date + 7, now() + interval '7 days', 'x', %s, now(), now())",
                    [procedure.unit_id, procedure.pk, procedure.field_id, f"RAW-{i}", procedure.processing_days,
                     f"raw-token-{i}"],
                )
            transaction.set_rollback(True)

    reference = timed(raw, repeat=3) / N
    figure = timed(service, repeat=3) / N
    return [
        row("raw SQL INSERT of one dossier (reference)", reference, "ms", "-", None, "-"),
        row("dossier intake service (code, due date, event)", figure, "ms", "raw INSERT", reference, "< 50 ms"),
    ]
