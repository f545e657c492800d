"""``GET/POST /api/v1/reports/`` and ``POST /api/v1/reports/<id>/actions/`` (docs/interfaces.md),
and the report's files (session or token). Thin: writes in ``kpi.report_services``."""
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api_schema import documented
from core.models import InVietnameseOrder
from kpi import report_content, report_documents, report_selectors, report_services
from kpi.models import Report
from kpi.periods import KINDS

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    docx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    replaces = serializers.PrimaryKeyRelatedField(read_only=True)
    # "from" is a Python keyword: declared through the class namespace.
    locals()["from"] = serializers.DateField(source="period_start", read_only=True)
    locals()["to"] = serializers.DateField(source="period_end", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "unit", "kind", "year", "quarter", "from", "to", "number", "status", "submitted_at",
                  "docx_url", "pdf_url", "version", "replaces"]

    def _url(self, obj, ext) -> str:
        url = reverse("kpi:report-file", args=[obj.pk, ext])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_docx_url(self, obj) -> str:
        return self._url(obj, "docx")

    def get_pdf_url(self, obj) -> str:
        return self._url(obj, "pdf")


REPORT_EXAMPLE = {
    "id": 12, "unit": "mn-tuoi-hong", "kind": "quarter", "year": 2026, "quarter": 1, "from": "2025-12-15",
    "to": "2026-03-14", "number": 3, "status": "submitted", "submitted_at": "2026-03-16T09:30:00+07:00",
    "docx_url": "https://cchc.example/kpi/reports/12/bao-cao.docx",
    "pdf_url": "https://cchc.example/kpi/reports/12/bao-cao.pdf", "version": 1, "replaces": None,
}


class ReportCreateSerializer(serializers.Serializer):
    unit = serializers.SlugField()
    kind = serializers.ChoiceField(choices=KINDS)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)

    def validate(self, data):
        if data["kind"] == "quarter" and not data.get("quarter"):
            raise serializers.ValidationError({"quarter": ["A quarterly report needs its quarter (1–4)."]})
        return data


class ReportList(generics.ListAPIView):
    serializer_class = ReportSerializer

    @documented(
        summary="Báo cáo định kỳ / Periodic reports",
        vi="Các báo cáo định kỳ về công tác CCHC (quý, 6 tháng, 9 tháng, năm) mà tài khoản được xem; phòng quản lý "
           "chỉ thấy báo cáo đã gửi. Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước đến ngày 14).",
        en="The periodic reports on administrative reform (quarter, six months, nine months, year) the account may "
           "read; an office sees submitted ones only. Periods of Nghị định 09/2019 (15th of the month before to the 14th).",
        response_example={"count": 1, "next": None, "previous": None, "results": [REPORT_EXAMPLE]},
        parameters=[OpenApiParameter("unit", str, required=False, description="Unit slug."),
                    OpenApiParameter("year", int, required=False, description="Year reported on.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        reports = report_selectors.visible_reports(self.request.user).order_by("-year", "period_end", InVietnameseOrder("unit__name"), "-version")
        reports = access.narrowed_to_unit(reports, self.request)
        year = self.request.query_params.get("year")
        if year and year.isdigit():
            reports = reports.filter(year=int(year))
        return reports

    @documented(
        summary="Lập báo cáo (bản nháp) / Make a draft report",
        vi="Hiệu trưởng lập bản nháp báo cáo của một kỳ; kỳ đã có báo cáo đã gửi thì bản nháp là báo cáo thay thế "
           "(phiên bản mới). 409 khi kỳ này đã có bản nháp.",
        en="The principal makes a draft report for a period; when the period already has a submitted report the "
           "draft is its correction (a new version). 409 when the period already has a draft.",
        request_example={"unit": "mn-tuoi-hong", "kind": "quarter", "year": 2026, "quarter": 1},
        response_example={**REPORT_EXAMPLE, "number": None, "status": "draft", "submitted_at": None},
        request=ReportCreateSerializer, responses={201: ReportSerializer},
    )
    def post(self, request):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = access.get_unit_for_user(request.user, data.validated_data["unit"])
        if not access.can_manage(request.user, unit):
            raise PermissionDenied("Only the principal writes the unit's reports.")
        try:
            report = report_services.report_create(
                unit=unit, kind=data.validated_data["kind"], year=data.validated_data["year"],
                quarter=data.validated_data.get("quarter"), actor=request.user)
        except report_services.ReportError as exc:
            return Response({"detail": "A draft of this period exists.", "id": exc.report and exc.report.pk},
                            status=status.HTTP_409_CONFLICT)
        return Response(ReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ReportActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit"])


class ReportAction(APIView):
    @documented(
        summary="Gửi báo cáo / Submit a report",
        vi="Hiệu trưởng gửi báo cáo: báo cáo được cấp số (theo đơn vị và năm, không bỏ số), số liệu và tệp được chốt. "
           "409 khi báo cáo đã gửi.",
        en="The principal submits the report: it is numbered (per unit and year, without gaps), its figures and "
           "files are frozen. 409 when it was already submitted.",
        request_example={"action": "submit"}, response_example=REPORT_EXAMPLE,
        request=ReportActionSerializer, responses={200: ReportSerializer},
    )
    def post(self, request, pk):
        report = report_selectors.visible_reports(request.user).filter(pk=pk).first()
        if report is None:
            raise Http404
        data = ReportActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not access.can_manage(request.user, report.unit):
            raise PermissionDenied("Only the principal submits the unit's reports.")
        try:
            report = report_services.report_submit(report=report, actor=request.user)
        except report_services.ReportError:
            return Response({"detail": "The report is already submitted."}, status=status.HTTP_409_CONFLICT)
        return Response(ReportSerializer(report, context={"request": request}).data)


class ReportFile(APIView):
    """The report as DOCX or PDF: a submitted report's stored bytes; a draft rendered
    from live data (the preview)."""

    schema = None

    def get(self, request, pk, ext):
        report = report_selectors.visible_reports(request.user).filter(pk=pk).first()
        if report is None or ext not in CONTENT_TYPES:
            raise Http404
        name = f"bao-cao-cchc-{report.unit.slug}-{report.year}-{report.kind}{report.quarter or ''}-v{report.version}.{ext}"
        if report.status == Report.Status.SUBMITTED:
            return FileResponse(getattr(report, ext).open("rb"), filename=name, content_type=CONTENT_TYPES[ext],
                                as_attachment=ext == "docx")
        content = report_content.build(report, actor=request.user)
        data = report_documents.render_pdf(content) if ext == "pdf" else report_documents.render_docx(content)
        response = FileResponse(iter([data]), filename=name, content_type=CONTENT_TYPES[ext], as_attachment=ext == "docx")
        response["Content-Length"] = str(len(data))
        return response
