"""Dossier API v1: procedures, dossiers, actions (CONTRACT.md)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api import ReadOnlyForOffice
from core.api_schema import documented
from core.uploads import private_file_response
from dossiers import documents, selectors, services, submissions
from dossiers.filters import RegisterFilter
from dossiers.models import ApplicantNotice, Document, Dossier, DossierEvent, Procedure, Submission
from dossiers.serializers import (
    ActionSerializer, ApplicantNoticeSerializer, DocumentSerializer, DossierCreateSerializer, DossierSerializer,
    ProcedureSerializer, SubmissionActionSerializer, SubmissionSerializer,
)

WRITE = [permissions.IsAuthenticated(), ReadOnlyForOffice()]

PROCEDURE_EXAMPLE = {
    "unit": "mn-tuoi-hong", "code": "TS-01", "name": "Tuyển sinh vào trường mầm non", "field": "tuyen-sinh",
    "processing_days": 5, "clock_on_supplement": "restart", "required_documents": ["Đơn xin nhập học"],
    "online": "partial", "fee": "", "legal_basis": "", "is_published": True,
}
DOSSIER_EXAMPLE = {
    "code": "000.00.01.H29-260310-0001", "unit": "mn-tuoi-hong", "procedure": "TS-01", "field": "tuyen-sinh",
    "status": "processing", "applicant_name": "Nguyễn Văn An", "received_at": "2026-03-10T08:15:00+07:00",
    "due_date": "2026-03-17", "due_at": "2026-03-17T17:00:00+07:00", "completed_at": None, "returned_at": None,
    "timeliness": None, "is_overdue": False, "channel": "online", "results": [], "apology": None,
    "events": [{"action": "receive", "at": "2026-03-10T08:15:00+07:00", "recorded_at": "2026-03-10T08:16:02+07:00",
                "actor": "staff", "note": "", "from_status": "", "to_status": "received"}],
    "tracking_url": "https://cchc.example.vn/track/000.00.01.H29-260310-0001/?k=…",
    "survey_url": "https://cchc.example.vn/survey/…/",
}


def _dossiers_for(user):
    events = DossierEvent.objects.select_related("actor").order_by("at", "id")
    return access.scoped(Dossier.objects.all(), user).select_related(
        "unit", "procedure", "field", "apology"
    ).prefetch_related(Prefetch("events", queryset=events), selectors.results_prefetch())


def _check_unit(user, unit):
    if not access.readable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if not access.can_write(user, unit):
        raise PermissionDenied


class ProcedureList(generics.ListCreateAPIView):
    serializer_class = ProcedureSerializer
    filterset_fields = []

    def get_permissions(self):
        return WRITE

    @documented(
        summary="Thủ tục hành chính / Procedures",
        vi="Danh mục thủ tục của các đơn vị mà tài khoản được xem.",
        en="The procedure catalogue of the units the account may read.",
        parameters=[OpenApiParameter("unit", str, description="Mã đơn vị (slug) / unit slug")],
        response_example=PROCEDURE_EXAMPLE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @documented(
        summary="Thêm thủ tục / Add a procedure",
        vi="Hiệu trưởng thêm một thủ tục vào danh mục của đơn vị.",
        en="The principal adds a procedure to the unit's catalogue.",
        request_example=PROCEDURE_EXAMPLE,
        response_example=PROCEDURE_EXAMPLE,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.scoped(Procedure.objects.select_related("unit", "field"), self.request.user)
        return access.narrowed_to_unit(qs, self.request).order_by("unit_id", "field__position", "code")

    def perform_create(self, serializer):
        unit = serializer.validated_data["unit"]
        if not access.can_manage(self.request.user, unit):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("unit")
        serializer.instance = services.procedure_save(unit=unit, **data)


class DossierList(generics.ListCreateAPIView):
    filterset_class = RegisterFilter

    def get_permissions(self):
        return WRITE

    def get_serializer_class(self):
        return DossierCreateSerializer if self.request.method == "POST" else DossierSerializer

    @documented(
        summary="Sổ theo dõi hồ sơ / Dossiers",
        vi="Hồ sơ của các đơn vị mà tài khoản được xem, lọc theo đơn vị, trạng thái, quá hạn và ngày tiếp nhận.",
        en="Dossiers of the units the account may read, filtered by unit, status, overdue and intake dates.",
        parameters=[OpenApiParameter("unit", str, description="Mã đơn vị (slug) / unit slug")],
        responses=DossierSerializer(many=True),
        response_example=DOSSIER_EXAMPLE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.narrowed_to_unit(_dossiers_for(self.request.user), self.request).order_by("-received_at", "-id")

    @documented(
        summary="Tiếp nhận hồ sơ / Receive a dossier",
        vi="Ghi một hồ sơ mới (mẫu 01): mã hồ sơ và ngày hẹn trả tính theo ngày làm việc. "
           "`received_at` có thể là thời điểm đã qua (ghi sau từ sổ giấy), không được ở tương lai.",
        en="Log a new dossier (form 01): code and due date in working days. `received_at` may be in the past "
           "(logged after the paper register), never in the future.",
        request=DossierCreateSerializer,
        responses={201: DossierSerializer},
        request_example={"unit": "mn-tuoi-hong", "procedure": "TS-01", "applicant_name": "Nguyễn Văn An",
                         "applicant_phone": "0901234567", "request_summary": "Xin nhập học cho con"},
        response_example=DOSSIER_EXAMPLE,
    )
    def post(self, request, *args, **kwargs):
        serializer = DossierCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = data.pop("unit")
        if not access.readable_units(request.user).filter(pk=unit.pk).exists():
            return Response({"unit": ["Unknown unit."]}, status=status.HTTP_400_BAD_REQUEST)
        _check_unit(request.user, unit)
        procedure = data.pop("procedure")
        dossier = services.dossier_receive(
            unit=unit, procedure=procedure, applicant_name=data.pop("applicant_name"),
            applicant_phone=data.pop("applicant_phone"), received_at=data.pop("received_at"), actor=request.user,
            assigned_to=request.user if request.user.unit_id == unit.pk else None, **data,
        )
        return Response(DossierSerializer(_dossiers_for(request.user).get(pk=dossier.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=documented(
    summary="Một hồ sơ / One dossier",
    vi="Hồ sơ theo mã, với lịch sử xử lý (phiếu kiểm soát), thư xin lỗi và kết quả.",
    en="A dossier by its code, with its history (control sheet), apology and results.",
    response_example=DOSSIER_EXAMPLE,
))
class DossierDetail(generics.RetrieveAPIView):
    serializer_class = DossierSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return _dossiers_for(self.request.user)


class DossierAction(APIView):
    def get_permissions(self):
        return WRITE

    @documented(
        summary="Thao tác trên hồ sơ / Act on a dossier",
        vi="Một bước xử lý: start, request_supplement, resume, complete, return, reject, withdraw, apologize, "
           "stop. Trạng thái không cho phép thì trả 409; `at` mặc định là bây giờ, không ở tương lai, "
           "không trước sự kiện trước đó.",
        en="One step of the lifecycle. A state that does not allow it answers 409; `at` defaults to now, never in "
           "the future, never before the previous event.",
        request=ActionSerializer,
        responses={200: DossierSerializer},
        request_example={"action": "request_supplement", "reason": "Thiếu bản sao giấy khai sinh"},
        response_example=DOSSIER_EXAMPLE,
    )
    def post(self, request, code):
        dossier = access.get_object_for_user(Dossier.objects.select_related("unit"), request.user, code=code)
        if not access.can_write(request.user, dossier.unit):
            raise PermissionDenied
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.dossier_transition(
                dossier=dossier, action=data["action"], actor=request.user, at=data["at"], note=data["note"],
                reason=data["reason"], new_due_date=data["new_due_date"],
            )
        except services.TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return Response(DossierSerializer(_dossiers_for(request.user).get(pk=dossier.pk)).data)


class DossierNotices(generics.ListAPIView):
    """The notices sent to the applicant of one dossier, oldest first (paginated, as every
    list of the API)."""

    serializer_class = ApplicantNoticeSerializer

    @documented(
        summary="Thông báo cho người nộp / Notices to the applicant",
        vi="Các thông báo đã gửi (hoặc không gửi được) cho người nộp hồ sơ qua e-mail, SMS, Zalo, cũ trước; "
           "địa chỉ được che bớt. `status`: pending (chờ gửi), sent (đã gửi), failed (không gửi được).",
        en="The notices sent (or failing) to the applicant by e-mail, SMS and Zalo, oldest first; the address "
           "is masked. `status`: pending, sent or failed.",
        # One item: drf-spectacular puts it in the "results" of the paginated answer.
        response_example={"event": "receive", "channel": "sms", "to": "091****678", "status": "sent",
                          "sent_at": "2026-03-02T09:00:04+07:00"},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no dossier
            return ApplicantNotice.objects.none()
        dossier = access.get_object_for_user(Dossier.objects.select_related("unit"), self.request.user,
                                             code=self.kwargs["code"])
        return selectors.notices_to_applicant(dossier=dossier)


@extend_schema_view(get=documented(
    summary="Biểu mẫu của hồ sơ / Forms of a dossier",
    vi="Các biểu mẫu mà diễn biến của hồ sơ đã tạo ra (01 và phiếu kiểm soát luôn có; 02 khi yêu cầu bổ sung, "
       "03 khi từ chối, 04 khi có văn bản xin lỗi, 05 khi dừng giải quyết), số mẫu và tên theo văn bản pháp lý "
       "có hiệu lực vào ngày của sự kiện, kèm đường dẫn tệp PDF.",
    en="The forms the dossier's events have given it (01 and the control sheet always; 02 after a supplement "
       "request, 03 after a refusal, 04 with an apology, 05 after a stop), numbered and titled by the legal basis "
       "in force on the event's date, each with its PDF URL.",
    response_example={"count": 2, "next": None, "previous": None, "results": [
        {"form": "01", "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "legal_basis": "tt03-2025",
         "code": "000.00.01.H29-260302-0001-01",
         "url": "https://cchc.example.vn/dossiers/000.00.01.H29-260302-0001/documents/01.pdf", "signed": False},
        {"form": "06", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ", "legal_basis": "tt03-2025",
         "code": "000.00.01.H29-260302-0001-06",
         "url": "https://cchc.example.vn/dossiers/000.00.01.H29-260302-0001/documents/06.pdf", "signed": False},
    ]},
))
class DossierDocuments(generics.ListAPIView):
    """The forms a dossier has, by the legal basis in force on each form's event."""

    serializer_class = DocumentSerializer

    def get_queryset(self):
        return _dossiers_for(self.request.user)

    def list(self, request, code):
        dossier = access.get_object_for_user(
            Dossier.objects.select_related("unit", "procedure", "received_by"), request.user, code=code)
        latest = {}
        for document in Document.objects.filter(dossier=dossier, kind=Document.Kind.FORM).order_by("code", "version"):
            latest[document.code] = document
        rows = []
        for item in documents.forms_of(dossier=dossier):
            code_ = item.code(dossier)
            stored = latest.get(code_)
            rows.append({
                "form": item.number, "title": item.title, "legal_basis": item.legal_basis, "code": code_,
                "url": request.build_absolute_uri(reverse("dossiers:document-pdf", args=[dossier.code, item.number])),
                "signed": bool(stored and stored.is_signed),
            })
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)


def serve_result(document: Document):
    """The result's exact issued bytes, as a download (never rendered inline as HTML)."""
    return private_file_response(document.file, content_type="application/pdf", filename=f"{document.code}.pdf",
                                 attachment=True)


class DossierResult(APIView):
    """The PDF of one electronic result (the ``url`` of ``results`` in a dossier)."""

    @documented(
        summary="Tải kết quả điện tử / Download an electronic result",
        vi="Tệp PDF của kết quả `<mã hồ sơ>-KQ<n>` đúng như đã cấp (SHA-256 trong `results` của hồ sơ).",
        en="The PDF of result `<dossier code>-KQ<n>`, the exact bytes issued (SHA-256 in the dossier's `results`).",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        examples=[OpenApiExample("response", summary="Ví dụ / Example", value="%PDF-1.7 …", response_only=True,
                                 media_type="application/pdf")],
    )
    def get(self, request, code, result):
        dossier = access.get_object_for_user(Dossier.objects.select_related("unit"), request.user, code=code)
        found = next((d for d in selectors.dossier_results(dossier=dossier) if d.code == result), None)
        if found is None:
            raise Http404
        return serve_result(found)


SUBMISSION_EXAMPLE = {
    "reference": "000.00.01.H29-TT-261130-001", "unit": "mn-tuoi-hong", "procedure": "MN-HP-01",
    "applicant_name": "Phạm Thị Thu", "submitted_at": "2026-11-30T08:15:00+07:00", "status": "new",
    "refuse_reason": "", "dossier": None,
}


class SubmissionList(generics.ListAPIView):
    """Online submissions of the units the account reads (staff, principal: their own)."""

    serializer_class = SubmissionSerializer

    @documented(
        summary="Hồ sơ nộp trực tuyến / Online submissions",
        vi="Hồ sơ phụ huynh nộp trực tuyến tại /u/<đơn vị>/nop-ho-so/, chờ đơn vị tiếp nhận hoặc từ chối; "
           "lọc theo đơn vị và trạng thái (new, accepted, refused).",
        en="Dossiers parents sent online at /u/<unit>/nop-ho-so/, waiting for the unit to accept or refuse them; "
           "filtered by unit and status (new, accepted, refused).",
        parameters=[OpenApiParameter("unit", str, description="Mã đơn vị (slug) / unit slug"),
                    OpenApiParameter("status", str, enum=[s.value for s in Submission.Status],
                                     description="Trạng thái / status")],
        response_example=SUBMISSION_EXAMPLE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.scoped(Submission.objects.select_related("unit", "procedure", "dossier"), self.request.user)
        qs = access.narrowed_to_unit(qs, self.request)
        wanted = self.request.query_params.get("status")
        if wanted:
            qs = qs.filter(status=wanted)
        return qs.order_by("-submitted_at", "-id")


class SubmissionAction(APIView):
    """Accept (the dossier is registered, ``channel = online``) or refuse (reason required)."""

    def get_permissions(self):
        return WRITE

    @documented(
        summary="Tiếp nhận hoặc từ chối hồ sơ trực tuyến / Accept or refuse an online submission",
        vi="`accept`: đăng ký hồ sơ ngay (mẫu 01, `channel` = online, các tệp là thành phần đã số hóa); "
           "`dossier` trong câu trả lời là mã hồ sơ mới. `refuse`: cần `reason`, phụ huynh đọc được lý do. "
           "Hồ sơ đã xử lý thì trả 409.",
        en="`accept`: registers the dossier now (form 01, `channel` online, the files as digitised components); "
           "`dossier` in the answer holds the new code. `refuse`: needs a `reason` the parent reads. "
           "A submission already handled answers 409.",
        request=SubmissionActionSerializer,
        responses={200: SubmissionSerializer},
        request_example={"action": "accept"},
        response_example={**SUBMISSION_EXAMPLE, "status": "accepted", "dossier": "000.00.01.H29-261130-0007"},
        examples=[OpenApiExample("refuse", summary="Từ chối / Refuse", request_only=True,
                                 value={"action": "refuse", "reason": "Ảnh giấy khai sinh bị mờ, không đọc được."})],
    )
    def post(self, request, reference):
        submission = access.get_object_for_user(Submission.objects.select_related("unit"), request.user, reference=reference)
        if not access.can_write(request.user, submission.unit):
            raise PermissionDenied
        serializer = SubmissionActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data["action"] == "accept":
                submission = submissions.submission_accept(submission=submission, actor=request.user)
            else:
                submission = submissions.submission_refuse(submission=submission, reason=data["reason"], actor=request.user)
        except services.TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(SubmissionSerializer(Submission.objects.select_related("unit", "procedure", "dossier")
                                             .get(pk=submission.pk)).data)
