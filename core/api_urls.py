from django.urls import path

from core import api, signing_api

urlpatterns = [
    path("units/", api.UnitList.as_view(), name="api-units"),
    path("fields/", api.FieldList.as_view(), name="api-fields"),
    path("calendar/", api.CalendarView.as_view(), name="api-calendar"),
    path("calendar/add-working-days/", api.AddWorkingDaysView.as_view(), name="api-add-working-days"),
    path("trust/", signing_api.TrustRoots.as_view(), name="api-trust"),
]
