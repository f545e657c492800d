"""Dossier API v1: procedures, dossiers, actions (CONTRACT.md)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api import ReadOnlyForOffice
from dossiers import selectors, services
from dossiers.filters import RegisterFilter
from dossiers.models import Dossier, DossierEvent, Procedure
from dossiers.serializers import (
    ActionSerializer, ApplicantNoticeSerializer, DossierCreateSerializer, DossierSerializer, ProcedureSerializer,
)

WRITE = [permissions.IsAuthenticated(), ReadOnlyForOffice()]


def _dossiers_for(user):
    events = DossierEvent.objects.select_related("actor").order_by("at", "id")
    return access.scoped(Dossier.objects.all(), user).select_related(
        "unit", "procedure", "field", "apology"
    ).prefetch_related(Prefetch("events", queryset=events))


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


class DossierNotices(APIView):
    """The notices sent to the applicant of one dossier, oldest first."""

    @extend_schema(
        responses=ApplicantNoticeSerializer(many=True),
        # One item: drf-spectacular shows it inside the list of a many=True answer.
        examples=[OpenApiExample("Receipt told by SMS", response_only=True, value={
            "event": "receive", "channel": "sms", "to": "091****678", "status": "sent",
            "sent_at": "2026-03-02T09:00:04+07:00",
        })],
    )
    def get(self, request, code):
        dossier = access.get_object_for_user(Dossier.objects.select_related("unit"), request.user, code=code)
        return Response(ApplicantNoticeSerializer(selectors.applicant_notices(dossier), many=True).data)
