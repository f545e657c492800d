from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("dossiers/", views.worklist, name="worklist"),
]
