from django.urls import path

from kpi import views

app_name = "kpi"
urlpatterns = [
    path("kpi/", views.dashboard, name="dashboard"),
]
