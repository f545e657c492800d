"""Pages of the written reports: the unit's reports by period, the principal's editor with
its preview and the submit button, and the office's view of a period (who submitted,
who is late, the ZIP and the consolidated workbook). Thin: writes in
``kpi.report_services``, reads in ``kpi.report_selectors``."""
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import access
from kpi import consolidated, report_content, report_selectors, report_services
from kpi.models import Report
from kpi.periods import QUARTER_NUMERALS, period_title, periods_of_year
from kpi.report_forms import DeadlineForm, PeriodChoiceForm, ReportTextForm
from kpi.views import OFFICE_PAGE_SIZE, _year

# The office's list of a period, by what it waits for (``UnitStatus.status``).
OFFICE_STATUSES = {
    "submitted": gettext_lazy("Submitted"),
    "late": gettext_lazy("Overdue, not submitted"),
    "waiting": gettext_lazy("Not yet submitted"),
}


@login_required
def report_list(request):
    """The unit's reports, period by period of the year."""
    if (request.user.is_office or request.user.is_administrator) and not request.GET.get("unit"):
        return redirect("kpi:reports-office")
    unit = access.unit_of_request(request)
    year = _year(request)
    reports = list(report_selectors.visible_reports(request.user).filter(unit=unit, year=year).order_by("-version"))
    periods = []
    for kind, quarter, period in periods_of_year(year):
        of_period = [r for r in reports if r.kind == kind and r.quarter == quarter]
        periods.append({"kind": kind, "quarter": quarter, "period": period, "reports": of_period,
                        "title": period_title(kind, year, quarter),
                        "draft": next((r for r in of_period if r.status == Report.Status.DRAFT), None)})
    return render(request, "kpi/reports/list.html", {
        "unit": unit, "year": year, "periods": periods, "years": [year - 1, year, year + 1],
        "can_manage": access.can_manage(request.user, unit),
    })


@login_required
@require_POST
def report_create(request):
    unit = access.unit_of_request(request, manage=True)
    form = PeriodChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reporting period."))
        return redirect(f"{reverse('kpi:reports')}?unit={unit.slug}")
    data = form.cleaned_data
    try:
        report = report_services.report_create(unit=unit, kind=data["kind"], year=data["year"], quarter=data["quarter"],
                                               actor=request.user)
    except report_services.ReportError as exc:
        report = exc.report
        messages.info(request, _("A draft of this period already exists; it is opened."))
    return redirect("kpi:report", pk=report.pk)


def _report_for(request, pk) -> Report:
    report = report_selectors.visible_reports(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request, pk):
    """A draft: the principal writes its text and sees the preview; a submitted report:
    its files. Everyone who reads the unit reads it."""
    report = _report_for(request, pk)
    can_manage = access.can_manage(request.user, report.unit) and report.status == Report.Status.DRAFT
    form = ReportTextForm.for_report(report)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = ReportTextForm.for_report(report, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            report_services.report_write(report=report, narrative=form.narrative(), difficulties=data["difficulties"],
                                         proposals=data["proposals"], recipients=data["recipients"])
            messages.success(request, _("The report was saved. Read the preview below before submitting it."))
            return redirect(f"{reverse('kpi:report', args=[report.pk])}#preview")
        messages.error(request, _("Nothing was saved; check the fields marked in red."))
    return render(request, "kpi/reports/detail.html", {
        "report": report, "form": form, "can_manage": can_manage, "unit": report.unit,
        "title": period_title(report.kind, report.year, report.quarter),
        "content": report_content.build(report, actor=request.user),
    })


@login_required
@require_POST
def report_submit(request, pk):
    report = _report_for(request, pk)
    if not access.can_manage(request.user, report.unit):
        raise PermissionDenied
    try:
        report = report_services.report_submit(report=report, actor=request.user)
    except report_services.ReportError:
        messages.error(request, _("This report was already submitted; to change it, make a correction."))
    else:
        messages.success(request, _("The report %(number)s was submitted to the office.") % {
            "number": report_content.number_line(report)})
    return redirect("kpi:report", pk=report.pk)


def _office_period(request):
    form = PeriodChoiceForm(request.GET or None)
    today = timezone.localdate()
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, data["kind"], data["year"], data["quarter"]
    quarter = (today.month - 1) // 3 + 1
    return PeriodChoiceForm(initial={"kind": "quarter", "year": today.year, "quarter": quarter}), "quarter", today.year, quarter


def _office_scope(request):
    if not (request.user.is_office or request.user.is_administrator):
        raise PermissionDenied
    return request.user.office if request.user.is_office else None, access.readable_units(request.user)


@login_required
def office_overview(request):
    """Per period: which units submitted, which are late against the office's deadline."""
    office, units = _office_scope(request)
    form, kind, year, quarter = _office_period(request)
    deadline, rows = report_selectors.period_overview(office=office, units=units, kind=kind, year=year, quarter=quarter,
                                                      today=timezone.localdate())
    query = f"kind={kind}&year={year}" + (f"&quarter={quarter}" if quarter else "")
    # A province waits for a thousand reports: the list filters by status, fifty to a page.
    counts = Counter(r.status for r in rows)
    status = request.GET.get("status", "")
    status = status if status in OFFICE_STATUSES else ""
    page = Paginator([r for r in rows if r.status == status] if status else rows, OFFICE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "kpi/reports/office.html", {
        "form": form, "rows": rows, "page": page, "deadline": deadline, "query": query, "office": office,
        "title": period_title(kind, year, quarter), "kind": kind, "year": year, "quarter": quarter,
        "quarters": list(enumerate(QUARTER_NUMERALS, start=1)),
        "status": status, "statuses": [(key, label, counts[key]) for key, label in OFFICE_STATUSES.items()],
        "submitted": sum(1 for r in rows if r.report), "late": sum(1 for r in rows if r.late),
        "deadline_form": DeadlineForm(initial={"kind": kind, "year": year, "quarter": quarter,
                                               "due_date": deadline.due_date if deadline else None}),
    })


@login_required
@require_POST
def office_deadline(request):
    office, _units = _office_scope(request)
    if office is None:
        raise PermissionDenied
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The deadline was not saved; give the period and a date (dd/mm/yyyy)."))
        return redirect("kpi:reports-office")
    data = form.cleaned_data
    report_services.report_deadline_set(office=office, kind=data["kind"], year=data["year"], quarter=data["quarter"],
                                        due_date=data["due_date"])
    messages.success(request, _("The deadline was saved."))
    query = f"kind={data['kind']}&year={data['year']}" + (f"&quarter={data['quarter']}" if data["quarter"] else "")
    return redirect(f"{reverse('kpi:reports-office')}?{query}")


@login_required
def office_download(request, fmt):
    """Every submitted report of the period: one ZIP of their files, or one workbook."""
    if fmt not in ("zip", "xlsx"):
        raise Http404
    office, units = _office_scope(request)
    _form, kind, year, quarter = _office_period(request)
    deadline, rows = report_selectors.period_overview(office=office, units=units, kind=kind, year=year, quarter=quarter,
                                                      today=timezone.localdate())
    name = consolidated.filename(kind, year, quarter)
    if fmt == "zip":
        handle = consolidated.write_zip([r.report for r in rows if r.report])
        return FileResponse(handle, as_attachment=True, filename=f"{name}.zip", content_type="application/zip")
    handle = consolidated.write_workbook(rows, deadline=deadline, kind=kind, year=year, quarter=quarter,
                                         office_name=office.name if office else "")
    return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx", content_type=consolidated.XLSX)
