"""GET /api/v1/trust/: the PEM certificates of the roots the portal signs under, so that
anyone can check a signed document with their own tools (docs/signing.md)."""
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import permissions, renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from core import signing
from core.api_schema import documented


class PEMRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "pem"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode() if isinstance(data, str) else str(data).encode()


class TrustRoots(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [PEMRenderer, renderers.JSONRenderer]

    @documented(
        summary="Chứng thư gốc tin cậy / Trust roots (PEM)",
        vi="Các chứng thư gốc mà mọi chữ ký số của cổng thông tin quy về, dạng PEM (text/plain), hoặc "
           "`{\"pem\": \"...\"}` với `Accept: application/json`. Không cần tài khoản.",
        en="The root certificates every portal signature chains to, as PEM (text/plain), or "
           "`{\"pem\": \"...\"}` with `Accept: application/json`. No account needed.",
        responses={200: OpenApiResponse(description="PEM", examples=[
            OpenApiExample("PEM", value="-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n",
                           media_type="text/plain"),
            OpenApiExample("JSON", value={"pem": "-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n"},
                           media_type="application/json"),
        ])},
        tags=["verify"],
    )
    def get(self, request):
        pem = signing.trust_roots_pem()
        if request.accepted_renderer.format == "json":
            return Response({"pem": pem})
        return Response(pem)
