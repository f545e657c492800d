from django.urls import path

from kpi import api

urlpatterns = [
    path("kpi/", api.KpiView.as_view(), name="api-kpi"),
]
