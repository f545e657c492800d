"""POST /api/v1/verify/: check a signed PDF (multipart ``file``), no account needed."""
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import parsers, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import signing
from core.api_schema import documented
from dossiers import verification

VerdictSerializer = inline_serializer("Verification", {
    "valid": serializers.BooleanField(help_text="intact, cryptographically sound and trusted"),
    "intact": serializers.BooleanField(help_text="not a byte changed since signing"),
    "trusted": serializers.BooleanField(help_text="signed under one of GET /api/v1/trust/"),
    "signer": serializers.CharField(allow_null=True, help_text="common name of the (last) signer's certificate"),
    "signed_at": serializers.DateTimeField(allow_null=True),
    "document": inline_serializer("VerifiedDocument", {
        "code": serializers.CharField(), "form": serializers.CharField(), "unit": serializers.CharField(),
    }, allow_null=True),
    "status": serializers.ChoiceField(choices=[
        "valid", "tampered", "untrusted", "invalid", "unsigned", "not_pdf", "damaged", "too_large", "too_complex"]),
    "message": serializers.CharField(),
    "timestamped": serializers.BooleanField(help_text="PAdES B-T: carries a timestamp token"),
    "sha256": serializers.CharField(allow_null=True),
})

VALID_EXAMPLE = {
    "valid": True, "intact": True, "trusted": True, "signer": "Trần Thị Mỹ Hạnh (DEMO — không có giá trị pháp lý)",
    "signed_at": "2026-11-30T09:15:02+07:00",
    "document": {"code": "000.00.01.H29.MNTH-261130-0001-04", "form": "04", "unit": "Trường mầm non Tuổi Hồng"},
    "status": "valid", "message": "Chữ ký số hợp lệ: tệp còn nguyên vẹn và được ký bằng chứng thư số tin cậy.",
    "timestamped": False, "sha256": "9d44f80f6e8bbb75b36c195793dffa6f9a57a9d18b9e2496925615a430eb89d3",
}
TAMPERED_EXAMPLE = {**VALID_EXAMPLE, "valid": False, "intact": False, "document": None, "status": "tampered",
                    "message": "Tệp đã bị thay đổi sau khi ký: chữ ký không còn giá trị.",
                    "sha256": "5392add22b92b756d9b9c2c3a10be416683bd5f51209eee257046cb8eef8bfea"}
NOT_PDF_EXAMPLE = {"valid": False, "intact": False, "trusted": False, "signer": None, "signed_at": None,
                   "document": None, "status": "not_pdf", "message": "Tệp này không phải là tệp PDF.",
                   "timestamped": False, "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}


class Verify(APIView):
    authentication_classes = []  # public: no account, hence no CSRF either
    permission_classes = [permissions.AllowAny]
    parser_classes = [parsers.MultiPartParser]

    @documented(
        summary="Kiểm tra văn bản đã ký số / Verify a signed PDF",
        vi="Tải tệp PDF lên (multipart, trường `file`), không cần tài khoản. Mọi câu trả lời về một tệp là 200 "
           "kèm kết luận (`status` cho biết vì sao không hợp lệ); văn bản được tìm theo SHA-256 của tệp. Tệp lớn hơn "
           f"{settings.SIGNING_VERIFY_MAX_BYTES // (1024 * 1024)} MB nhận 413 trước khi được đọc; quá 30 tệp mỗi 10 phút "
           "từ một địa chỉ nhận 429.",
        en="Upload a PDF as multipart `file`; no account needed. Every answer about a file is 200 with the verdict "
           "(`status` says why it is not valid); the document is found by the SHA-256 of the bytes. Files over "
           f"{settings.SIGNING_VERIFY_MAX_BYTES // (1024 * 1024)} MB get 413 before they are read; more than 30 files "
           "per address in 10 minutes get 429.",
        request={"multipart/form-data": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
        examples=[OpenApiExample("A PDF file", summary="Ví dụ / Example", request_only=True,
                                 media_type="multipart/form-data", value={"file": "(van-ban-da-ky.pdf, binary)"})],
        responses={
            200: OpenApiResponse(VerdictSerializer, examples=[
                OpenApiExample("Signed and intact", value=VALID_EXAMPLE),
                OpenApiExample("One byte changed", value=TAMPERED_EXAMPLE),
                OpenApiExample("Not a PDF", value=NOT_PDF_EXAMPLE),
            ]),
            413: OpenApiResponse(VerdictSerializer, description="Tệp quá lớn / larger than the limit"),
            429: OpenApiResponse(description="Quá nhiều tệp từ địa chỉ này / too many files from this address"),
        },
        tags=["verify"],
    )
    def post(self, request):
        if verification.body_too_large(request):
            return Response(verification.verdict_payload(signing.Verdict("too_large"), None),
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        if not verification.address_allows(request, "upload", verification.UPLOAD_LIMITS):
            return Response({"detail": _("Too many files from this connection. Please try again in a few minutes.")},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": [_("Choose a PDF file.")]}, status=status.HTTP_400_BAD_REQUEST)
        if upload.size > settings.SIGNING_VERIFY_MAX_BYTES:
            return Response(verification.verdict_payload(signing.Verdict("too_large"), None),
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        verdict, document = verification.verification(upload.read())
        return Response(verification.verdict_payload(verdict, document))
