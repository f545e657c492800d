from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/results/", views.results, name="results"),
]
