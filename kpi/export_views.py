"""``GET /reports/kpi.xlsx?unit=&from=&to=`` (docs/interfaces.md), session or token auth.

Small reports are written to a temporary file and streamed back; when the register
has more rows than ``KPI_EXPORT_ASYNC_ROWS`` the export runs in Celery and the user
is sent to a page with a progress bar and, at the end, the download."""
import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.replica import reads_from_replica
from kpi import excel, services
from kpi.models import ExportJob
from kpi.scope import period_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def async_threshold() -> int:
    return settings.KPI_EXPORT_ASYNC_ROWS


class ExcelReport(APIView):
    # A file, not JSON: outside the OpenAPI schema of /api/v1/ (docs/interfaces.md documents it).
    schema = None

    @reads_from_replica
    def get(self, request):
        period, units, unit = period_scope(request)
        size = excel.register_size(units, period)
        if size > async_threshold():
            job = services.export_job_start(user=request.user, unit=unit, period=period, rows_total=size)
            url = reverse("kpi:export-job", args=[job.pk])
            if "text/html" in request.headers.get("Accept", ""):
                return redirect(url)
            return Response({"job": request.build_absolute_uri(url), "status": job.status}, status=status.HTTP_202_ACCEPTED)
        handle = tempfile.TemporaryFile()
        excel.write_report(handle, units=units, period=period, office=unit is None,
                           unit_name=excel.scope_name(request.user, unit))
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=excel.filename(unit, period), content_type=XLSX)


def _job_for(request, pk):
    job = get_object_or_404(ExportJob, pk=pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


@login_required
def export_job(request, pk):
    job = _job_for(request, pk)
    return render(request, "kpi/export_job.html", {
        "job": job, "navbar_section": "dossiers" if job.params.get("kind") == "register" else None,
    })


@login_required
def export_job_status(request, pk):
    """The htmx fragment the job page polls."""
    return render(request, "kpi/_export_progress.html", {"job": _job_for(request, pk)})


@login_required
def export_job_download(request, pk):
    job = _job_for(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    name = job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
