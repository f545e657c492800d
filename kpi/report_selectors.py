"""Reads of the written reports: who sees which, and the office's view of a period
(which units submitted, which are late against its deadline)."""
import dataclasses
import datetime

from django.db.models import Q

from core import access
from core.models import InVietnameseOrder
from kpi.models import Report, ReportDeadline


def visible_reports(user):
    """Reports ``user`` may read: a unit's people read its drafts and reports; an office
    reads only what was submitted to it."""
    reports = access.scoped(Report.objects.select_related("unit", "replaces"), user)
    if user.is_authenticated and user.is_office:
        reports = reports.filter(status=Report.Status.SUBMITTED)
    return reports


def latest_submitted(units, *, kind: str, year: int, quarter: int | None):
    """The latest submitted version of each unit's report of a period: ``{unit_id: report}``."""
    reports = (
        Report.objects.filter(unit__in=units, kind=kind, year=year, status=Report.Status.SUBMITTED)
        .filter(Q(quarter=quarter) if quarter else Q(quarter__isnull=True))
        .select_related("unit", "replaces").order_by("unit_id", "-version")
    )
    out = {}
    for report in reports:
        out.setdefault(report.unit_id, report)
    return out


@dataclasses.dataclass
class UnitStatus:
    unit: object
    report: Report | None
    first_submitted_at: datetime.datetime | None
    late: bool

    @property
    def status(self) -> str:
        """What the office's list filters by: "submitted" (late or not), else "late" (the
        deadline passed with nothing submitted) or "waiting"."""
        return "submitted" if self.report else "late" if self.late else "waiting"


def period_overview(*, office, units, kind: str, year: int, quarter: int | None, today: datetime.date):
    """``(deadline or None, [UnitStatus])``: one row per unit the office supervised during the
    period (every readable unit for an administrator), its latest report, and whether it is
    late — its first version submitted after the deadline, or nothing submitted and the
    deadline passed."""
    from django.utils import timezone

    from kpi.periods import report_period

    # The units the office supervised during the report's period: a ward that handed its schools
    # over expects no report from them afterwards (docs/domain/supervision.md).
    period = report_period(kind, year, quarter)
    units = units.supervised_during(period.start, period.end)
    deadline = None
    if office is not None:
        deadline = ReportDeadline.objects.filter(office=office, kind=kind, year=year, quarter=quarter or 0).first()
    due = deadline.due_date if deadline else None
    latest = latest_submitted(units, kind=kind, year=year, quarter=quarter)
    first = {}
    for report in Report.objects.filter(unit__in=units, kind=kind, year=year, version=1,
                                        status=Report.Status.SUBMITTED).filter(
            Q(quarter=quarter) if quarter else Q(quarter__isnull=True)):
        first[report.unit_id] = report.submitted_at
    rows = []
    for unit in units.order_by(InVietnameseOrder("name")):
        submitted = first.get(unit.pk)
        if due is None:
            late = False
        elif submitted is None:
            late = today > due
        else:
            late = timezone.localdate(submitted) > due
        rows.append(UnitStatus(unit=unit, report=latest.get(unit.pk), first_submitted_at=submitted, late=late))
    return deadline, rows
