"""``GET /api/v1/kpi/?unit=&from=&to=`` (CONTRACT.md): thin, the numbers come from
``kpi.selectors``."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kpi import selectors
from kpi.forms import PeriodForm
from kpi.scope import units_for

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


class KpiView(APIView):
    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=inline_serializer("KpiReport", {
            "unit": serializers.CharField(allow_null=True),
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "indicators": IndicatorRow.__class__(many=True),
        }),
    )
    def get(self, request):
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            return Response(form.api_errors(), status=status.HTTP_400_BAD_REQUEST)
        units, unit = units_for(request.user, form.cleaned_data["unit"])
        return Response(selectors.kpi_report(units=units, period=form.period, unit=unit))


class ScorecardView(APIView):
    """``GET /api/v1/kpi/scorecard/?unit=&from=&to=``: the groups of Quyết định 766/QĐ-TTg
    the portal can score, with their points; unknown criteria are marked, not guessed."""

    @extend_schema(
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
    def get(self, request):
        from kpi.scorecard import scorecard

        form = PeriodForm(request.query_params)
        if not form.is_valid():
            return Response(form.api_errors(), status=status.HTTP_400_BAD_REQUEST)
        units, unit = units_for(request.user, form.cleaned_data["unit"])
        card = scorecard(units=units, period=form.period, unit=unit)
        for group in card["groups"]:
            for criterion in group["criteria"]:
                criterion["links"] = {k: request.build_absolute_uri(v) for k, v in criterion["links"].items() if v}
        return Response(card)
