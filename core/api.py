"""API pieces shared by every app: parser, pagination, permissions, and the
units, fields and calendar endpoints."""
import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, workdays
from core.models import CalendarDay, Field, Unit


class IsAdministrator(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_administrator)


class ReadOnlyForOffice(permissions.BasePermission):
    """Office accounts read their units and never write."""

    message = _("Office accounts can only read.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and not request.user.is_office)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["slug", "code", "name"]


class FieldSerializer(serializers.ModelSerializer):
    target = serializers.DecimalField(source="default_target", max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Field
        fields = ["key", "name", "target"]


class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return access.readable_units(self.request.user).order_by("name")


class FieldList(generics.ListAPIView):
    serializer_class = FieldSerializer
    queryset = Field.objects.all()


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarView(generics.ListCreateAPIView):
    """Days of a year that differ from Monday-to-Friday; administrators add days."""

    serializer_class = CalendarDaySerializer
    queryset = CalendarDay.objects.none()

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAdministrator()]
        return [permissions.IsAuthenticated()]

    @extend_schema(parameters=[OpenApiParameter("year", int, required=False)])
    def get(self, request, *args, **kwargs):
        try:
            year = int(request.query_params.get("year") or datetime.date.today().year)
            if not 1900 <= year <= 2200:
                raise ValueError
        except ValueError:
            return Response({"year": [_("Enter a year such as 2026.")]}, status=status.HTTP_400_BAD_REQUEST)
        days = workdays.days_that_differ(year)
        page = self.paginate_queryset(days)
        return self.get_paginated_response(CalendarDaySerializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from core.services import calendar_day_save

        day = calendar_day_save(**serializer.validated_data)
        return Response(CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)


class AddWorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=0, max_value=365)


class AddWorkingDaysView(APIView):
    @extend_schema(
        parameters=[AddWorkingDaysQuery],
        responses=inline_serializer("DueDate", {"due_date": serializers.DateField()}),
    )
    def get(self, request):
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        due = workdays.add_working_days(query.validated_data["start"], query.validated_data["days"])
        return Response({"due_date": due.isoformat()})
