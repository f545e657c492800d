from django.urls import path

from kpi import api, report_api

urlpatterns = [
    path("kpi/", api.KpiView.as_view(), name="api-kpi"),
    path("kpi/scorecard/", api.ScorecardView.as_view(), name="api-scorecard"),
    path("reports/", report_api.ReportList.as_view(), name="api-reports"),
    path("reports/<int:pk>/actions/", report_api.ReportAction.as_view(), name="api-report-actions"),
]
