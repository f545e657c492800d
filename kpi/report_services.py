"""Writes of the written reports: create a draft (or a correction of a submitted report),
write its text, submit it (numbered, frozen, its files stored once), and the office's
deadlines."""
import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.sequences import next_yearly_number
from kpi import report_content, report_documents
from kpi.models import PlanTask, Report, ReportCounter, ReportDeadline
from kpi.periods import QUARTER, PeriodError, report_period


class ReportError(Exception):
    """A change the report's state does not allow (the API answers 409)."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


@transaction.atomic
def report_create(*, unit, kind: str, year: int, quarter: int | None = None, actor=None) -> Report:
    """A draft report of ``unit`` for a period. When the period already has a submitted
    report, the draft is its correction: the next version, replacing the latest one."""
    if kind != QUARTER:
        quarter = None
    period = report_period(kind, year, quarter)  # PeriodError for a period that does not exist
    same = Report.objects.select_for_update().filter(unit=unit, kind=kind, year=year, quarter=quarter)
    draft = same.filter(status=Report.Status.DRAFT).first()
    if draft is not None:
        raise ReportError("a draft of this period exists", report=draft)
    latest = same.filter(status=Report.Status.SUBMITTED).order_by("-version").first()
    recipients = latest.recipients if latest else f"{unit.office.name};"
    try:
        with transaction.atomic():
            return Report.objects.create(
                unit=unit, kind=kind, year=year, quarter=quarter, period_start=period.start, period_end=period.end,
                version=latest.version + 1 if latest else 1, replaces=latest, created_by=actor,
                narrative=dict(latest.narrative) if latest else {}, difficulties=latest.difficulties if latest else "",
                proposals=latest.proposals if latest else "", recipients=recipients,
            )
    except IntegrityError:  # a draft made at the same instant by another request
        raise ReportError("a draft of this period exists", report=same.filter(status=Report.Status.DRAFT).first()) from None


@transaction.atomic
def report_write(*, report: Report, narrative: dict[str, str], difficulties: str, proposals: str, recipients: str) -> Report:
    """The principal's text: a narrative per group of tasks, difficulties, proposals, recipients."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise ReportError("a submitted report does not change; make a correction")
    report.narrative = {k: v.strip() for k, v in narrative.items() if k in PlanTask.Group.values and v.strip()}
    report.difficulties, report.proposals, report.recipients = difficulties.strip(), proposals.strip(), recipients.strip()
    report.save(update_fields=["narrative", "difficulties", "proposals", "recipients", "updated_at"])
    return report


@transaction.atomic
def report_submit(*, report: Report, actor, now=None) -> Report:
    """Submit a draft: its number (per unit and year, gap-free), its figures and tasks
    frozen as of ``now``, its DOCX and PDF rendered once and stored with their SHA-256."""
    now = now or timezone.now()
    report = Report.objects.select_for_update(of=("self",)).select_related("unit__office", "replaces").get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise ReportError("the report is already submitted", report=report)
    report.number_year = timezone.localdate(now).year
    report.number = next_yearly_number(ReportCounter, unit=report.unit, year=report.number_year)
    report.frozen = report_content.freeze(report, actor=actor, now=now)
    report.status, report.submitted_at, report.submitted_by = Report.Status.SUBMITTED, now, actor
    content = report_content.build(report)
    name = f"bao-cao-cchc-{report.unit.slug}-{report.year}-{report.kind}{report.quarter or ''}-v{report.version}"
    docx, pdf = report_documents.render_docx(content), report_documents.render_pdf(content)
    report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    report.docx_sha256, report.pdf_sha256 = hashlib.sha256(docx).hexdigest(), hashlib.sha256(pdf).hexdigest()
    report.save()
    return report


@transaction.atomic
def report_deadline_set(*, office, kind: str, year: int, quarter: int | None, due_date) -> ReportDeadline:
    """The date by which ``office`` expects its units' report of a period."""
    if kind != QUARTER:
        quarter = None
    report_period(kind, year, quarter)
    deadline, _created = ReportDeadline.objects.update_or_create(
        office=office, kind=kind, year=year, quarter=quarter or 0, defaults={"due_date": due_date},
    )
    return deadline


__all__ = ["PeriodError", "ReportError", "report_create", "report_deadline_set", "report_submit", "report_write"]
