"""The forms of a dossier on the web: HTML previews (``/dossiers/<code>/print/<kind>/``)
and the PDF files (``/dossiers/<code>/documents/<form>.pdf``), both from
``dossiers.documents`` — numbers, titles and legal basis from ``dossiers.legal``, by the
date of each form's event."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework.views import APIView

from core.api_schema import documented
from dossiers import documents, selectors

PREVIEWS = ("receipt", "supplement", "rejection", "apology", "stop", "control")


@login_required
def print_form(request, code, form):
    """The HTML preview of one form (staff of the unit, the principal, offices read)."""
    if form not in PREVIEWS:
        raise Http404
    dossier = selectors.dossier_detail(user=request.user, code=code)
    try:
        html = documents.render_form_html(dossier=dossier, form=form, preview=True)
    except KeyError as error:
        raise Http404 from error
    return HttpResponse(html)


class DocumentPdf(APIView):
    """``GET /dossiers/<code>/documents/<form>.pdf``: the latest issued version of the
    form if one is stored, else the form rendered now. Session or token (docs/interfaces.md)."""

    @documented(
        summary="Tệp PDF của một biểu mẫu / One form as a PDF file",
        vi="Phiên bản đã ban hành mới nhất (có thể đã ký số) nếu đã lưu, nếu chưa thì biểu mẫu được tạo từ diễn "
           "biến của hồ sơ. Quyền như với hồ sơ: cán bộ và hiệu trưởng của đơn vị, cơ quan quản lý chỉ xem.",
        en="The latest issued (possibly signed) version if one is stored, else the form rendered from the dossier's "
           "events. Same access as the dossier: staff and principal of its unit, the supervising office read-only; "
           "404 for another unit's dossier or a form it does not have.",
        responses={(200, "application/pdf"): OpenApiResponse(
            OpenApiTypes.BINARY, description="Tệp PDF / the PDF file",
            examples=[OpenApiExample("pdf", summary="Ví dụ / Example", value="%PDF-1.7 …", media_type="application/pdf")],
        )},
        tags=["dossiers"],
    )
    def get(self, request, code, form):
        dossier = selectors.dossier_detail(user=request.user, code=code)
        try:
            item = documents.form_of(dossier=dossier, form=form)
        except KeyError as error:
            raise Http404 from error
        if form != item.number:
            raise Http404
        return documents.form_pdf_response(dossier=dossier, item=item)
