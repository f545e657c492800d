"""API pieces shared by every app: parser, pagination, permissions, and the
units, fields and calendar endpoints."""
import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, workdays
from core.api_schema import documented
from core.models import CalendarDay, Field, InVietnameseOrder, Unit


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


@extend_schema_view(get=documented(
    summary="Đơn vị / Units",
    vi="Các đơn vị mà tài khoản được xem: đơn vị của mình, hoặc mọi đơn vị mà phòng quản lý giám sát.",
    en="The units the account may read: its own unit, or every unit its office supervises.",
    response_example={"slug": "mn-tuoi-hong", "code": "000.00.01.H29", "name": "Trường mầm non Tuổi Hồng"},
))
class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return access.readable_units(self.request.user).order_by(InVietnameseOrder("name"))


@extend_schema_view(get=documented(
    summary="Lĩnh vực / Fields",
    vi="Các lĩnh vực thủ tục (cũng là lĩnh vực khảo sát) với chỉ tiêu mặc định.",
    en="Fields of procedures (also the survey service areas) with their default target.",
    response_example={"key": "tuyen-sinh", "name": "Tuyển sinh", "target": 100.0},
))
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

    @documented(
        summary="Lịch làm việc / Working calendar",
        vi="Những ngày của một năm khác với thứ Hai–thứ Sáu: ngày nghỉ lễ, nghỉ bù và ngày làm việc bù.",
        en="The days of a year that differ from Monday to Friday: public holidays, days off in lieu, make-up working days.",
        parameters=[OpenApiParameter("year", int, required=False, description="Năm / Year (default: this year)")],
        response_example={"date": "2026-01-10", "kind": "working", "name": "Làm bù cho ngày 02/01/2026"},
    )
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

    @documented(
        summary="Thêm ngày vào lịch / Add a calendar day",
        vi="Quản trị viên thêm hoặc sửa một ngày nghỉ hay ngày làm việc bù; hạn giải quyết tính lại ngay.",
        en="An administrator adds or changes a holiday or a make-up working day; deadlines use it at once.",
        request_example={"date": "2026-01-10", "kind": "working", "name": "Làm bù cho ngày 02/01/2026"},
        response_example={"date": "2026-01-10", "kind": "working", "name": "Làm bù cho ngày 02/01/2026"},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

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
    @documented(
        summary="Cộng ngày làm việc / Add working days",
        vi="Ngày hẹn trả: ngày làm việc thứ N sau ngày bắt đầu (ngày bắt đầu không tính).",
        en="The due date: the N-th working day after the start day (the start day never counts).",
        parameters=[AddWorkingDaysQuery],
        responses=inline_serializer("DueDate", {"due_date": serializers.DateField()}),
        response_example={"due_date": "2026-01-12"},
    )
    def get(self, request):
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        due = workdays.add_working_days(query.validated_data["start"], query.validated_data["days"])
        return Response({"due_date": due.isoformat()})
