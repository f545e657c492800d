"""``GET /api/v1/kpi/?unit=&from=&to=`` (docs/interfaces.md): thin, the numbers come from
``kpi.selectors``."""
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_schema import documented
from core.replica import reads_from_replica
from kpi import selectors
from kpi.scope import period_scope

PERIOD_PARAMETERS = [
    OpenApiParameter("unit", str, required=False, description="Unit slug; omitted by an office account: every unit together."),
    OpenApiParameter("from", str, required=False, description="YYYY-MM-DD, included (default: 1 January)."),
    OpenApiParameter("to", str, required=False, description="YYYY-MM-DD, included (default: 31 December)."),
]

IndicatorRow = inline_serializer("KpiIndicator", {
    "key": serializers.CharField(),
    "field": serializers.CharField(allow_null=True),
    "name": serializers.CharField(),
    "target": serializers.FloatField(allow_null=True),
    "value": serializers.FloatField(allow_null=True),
    "numerator": serializers.IntegerField(),
    "denominator": serializers.IntegerField(),
    "met": serializers.BooleanField(allow_null=True),
})


SipasRow = inline_serializer("KpiSipasRow", {
    "key": serializers.CharField(),
    "name": serializers.CharField(),
    "value": serializers.FloatField(allow_null=True),
    "numerator": serializers.IntegerField(),
    "denominator": serializers.IntegerField(),
})


class KpiView(APIView):
    @documented(
        summary="Chỉ tiêu / Indicators",
        vi="Kết quả các chỉ tiêu của kế hoạch CCHC cho một đơn vị (hoặc mọi đơn vị của phòng quản lý) trong một kỳ, "
           "so với chỉ tiêu của kế hoạch năm. `value` là tỷ lệ phần trăm làm tròn hai chữ số, `null` khi mẫu số là 0.",
        en="The plan's indicators for a unit (or every unit of an office) over a period, against the yearly plan's "
           "targets. `value` is a percentage rounded to two decimals, `null` when the denominator is 0.",
        response_example={"unit": "mn-tuoi-hong", "from": "2026-01-01", "to": "2026-12-31", "indicators": [
            {"key": "dossier_on_time_rate", "field": None, "name": "Hồ sơ giải quyết đúng hạn", "target": 100.0,
             "value": 97.5, "numerator": 39, "denominator": 40, "met": False}]},
        parameters=PERIOD_PARAMETERS,
        responses=inline_serializer("KpiReport", {
            "unit": serializers.CharField(allow_null=True),
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "indicators": IndicatorRow.__class__(many=True),
            "sipas": inline_serializer("KpiSipas", {
                "overall": SipasRow.__class__(),
                "factors": SipasRow.__class__(many=True),
                "mean": serializers.FloatField(allow_null=True),
            }),
        }),
    )
    @reads_from_replica
    def get(self, request):
        period, units, unit = period_scope(request)
        return Response(selectors.kpi_report(units=units, period=period, unit=unit))


class ScorecardView(APIView):
    """``GET /api/v1/kpi/scorecard/?unit=&from=&to=``: the groups of Quyết định 766/QĐ-TTg
    the portal can score, with their points; unknown criteria are marked, not guessed."""

    @documented(
        summary="Bộ chỉ số phục vụ / National scorecard",
        vi="Các nhóm chỉ số của Quyết định 766/QĐ-TTg mà cổng đo được từ dữ liệu của mình, với điểm tối đa của "
           "từng nhóm; tiêu chí cổng không có dữ liệu được đánh dấu `known: false`, không tính điểm.",
        en="The groups of Quyết định 766/QĐ-TTg the portal can measure from its records, with each group's points; "
           "criteria it cannot know are marked `known: false` and left out of the score.",
        response_example={"unit": "mn-tuoi-hong", "from": "2026-01-01", "to": "2026-12-31", "points": 100,
                          "known_points": 64.33, "score": 58.1, "overdue_open": 1, "groups": [
                              {"key": "progress", "name": "Tiến độ, kết quả giải quyết", "points": 20,
                               "known_points": 20.0, "score": 19.5, "criteria": [
                                   {"key": "dossiers_on_time", "name": "Hồ sơ xử lý trước hạn, đúng hạn", "points": 20.0,
                                    "known": True, "numerator": 39, "denominator": 40, "rate": 97.5, "score": 19.5,
                                    "links": {"numerator": "https://cchc.example/dossiers/register/?…",
                                              "denominator": "https://cchc.example/dossiers/register/?…"}}]}]},
        parameters=PERIOD_PARAMETERS,
        responses=inline_serializer("Scorecard", {
            "unit": serializers.CharField(allow_null=True),
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "points": serializers.IntegerField(),
            "known_points": serializers.FloatField(),
            "score": serializers.FloatField(),
            "overdue_open": serializers.IntegerField(),
            "groups": serializers.ListField(child=serializers.DictField()),
        }),
    )
    @reads_from_replica
    def get(self, request):
        from kpi.scorecard import scorecard

        period, units, unit = period_scope(request)
        card = scorecard(units=units, period=period, unit=unit)
        for group in card["groups"]:
            for criterion in group["criteria"]:
                criterion["links"] = {k: request.build_absolute_uri(v) for k, v in criterion["links"].items() if v}
        return Response(card)
