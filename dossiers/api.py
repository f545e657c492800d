"""Dossier API v1: procedures, dossiers, actions (CONTRACT.md)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api import ReadOnlyForOffice
from core.uploads import private_file_response
from dossiers import services, submissions
from dossiers.filters import RegisterFilter
from dossiers.models import Document, Dossier, DossierEvent, Procedure, Submission
from dossiers.serializers import (
    ActionSerializer, DossierCreateSerializer, DossierSerializer, ProcedureSerializer, SubmissionActionSerializer,
    SubmissionSerializer,
)

WRITE = [permissions.IsAuthenticated(), ReadOnlyForOffice()]


def _dossiers_for(user):
    events = DossierEvent.objects.select_related("actor").order_by("at", "id")
    return access.scoped(Dossier.objects.all(), user).select_related(
        "unit", "procedure", "field", "apology"
    ).prefetch_related(Prefetch("events", queryset=events), services.results_prefetch())


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

    @extend_schema(parameters=[OpenApiParameter("unit", str, description="unit slug")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.scoped(Procedure.objects.select_related("unit", "field"), self.request.user)
        slug = self.request.query_params.get("unit")
        if slug:
            qs = qs.filter(unit__slug=slug)
        return qs.order_by("unit_id", "field__position", "code")

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

    @extend_schema(parameters=[OpenApiParameter("unit", str, description="unit slug")], responses=DossierSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = _dossiers_for(self.request.user)
        slug = self.request.query_params.get("unit")
        if slug:
            qs = qs.filter(unit__slug=slug)
        return qs.order_by("-received_at", "-id")

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer})
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


class DossierDetail(generics.RetrieveAPIView):
    serializer_class = DossierSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return _dossiers_for(self.request.user)


class DossierAction(APIView):
    def get_permissions(self):
        return WRITE

    @extend_schema(request=ActionSerializer, responses={200: DossierSerializer})
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


def serve_result(document: Document):
    """The result's exact issued bytes, as a download (never rendered inline as HTML)."""
    return private_file_response(document.file, content_type="application/pdf", filename=f"{document.code}.pdf",
                                 attachment=True)


class DossierResult(APIView):
    """The PDF of one electronic result (the ``url`` of ``results`` in a dossier)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Download an electronic result")
    def get(self, request, code, result):
        dossier = access.get_object_for_user(Dossier.objects.select_related("unit"), request.user, code=code)
        document = services.result_documents(dossier)
        found = next((d for d in document if d.code == result), None)
        if found is None:
            raise Http404
        return serve_result(found)


SUBMISSION_EXAMPLE = {
    "reference": "000.00.01.H29-TT-261130-001", "unit": "mn-tuoi-hong", "procedure": "MN-TS-01",
    "applicant_name": "Phạm Thị Thu", "submitted_at": "2026-11-30T08:15:00+07:00", "status": "new",
    "refuse_reason": "", "dossier": None,
}


class SubmissionList(generics.ListAPIView):
    """Online submissions of the units the account reads (staff, principal: their own)."""

    serializer_class = SubmissionSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, description="unit slug"),
                    OpenApiParameter("status", str, enum=[s.value for s in Submission.Status])],
        examples=[OpenApiExample("A submission waiting for the unit", value=SUBMISSION_EXAMPLE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.scoped(Submission.objects.select_related("unit", "procedure", "dossier"), self.request.user)
        slug = self.request.query_params.get("unit")
        if slug:
            qs = qs.filter(unit__slug=slug)
        wanted = self.request.query_params.get("status")
        if wanted:
            qs = qs.filter(status=wanted)
        return qs.order_by("-submitted_at", "-id")


class SubmissionAction(APIView):
    """Accept (the dossier is registered, ``channel = online``) or refuse (reason required)."""

    def get_permissions(self):
        return WRITE

    @extend_schema(
        request=SubmissionActionSerializer,
        responses={200: SubmissionSerializer, 400: OpenApiResponse(description="invalid input, e.g. no reason"),
                   409: OpenApiResponse(description="the submission was already accepted or refused")},
        examples=[
            OpenApiExample("Accept", value={"action": "accept"}, request_only=True),
            OpenApiExample("Refuse", value={"action": "refuse", "reason": "Ảnh giấy khai sinh bị mờ, không đọc được."},
                           request_only=True),
            OpenApiExample("Accepted", response_only=True, status_codes=["200"],
                           value={**SUBMISSION_EXAMPLE, "status": "accepted", "dossier": "000.00.01.H29-261130-0007"}),
        ],
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

