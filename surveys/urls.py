from django.urls import include, path

from surveys import views

app_name = "surveys"
urlpatterns = [
    # Public (printed as QR codes: docs/interfaces.md, never change)
    path("survey/<str:token>/", views.dossier_survey, name="dossier"),
    path("survey/<str:token>/thanks/", views.dossier_thanks, name="dossier-thanks"),
    path("u/<slug:slug>/survey/<slug:area_key>/", views.open_survey, name="open"),
    path("u/<slug:slug>/survey/<slug:area_key>/thanks/", views.open_thanks, name="open-thanks"),
    path("u/<slug:slug>/survey/<slug:area_key>/qr.svg", views.open_survey_qr, name="qr"),
    # The unit's people
    # One prefix test for the section's pages, not one per page (Django tries patterns in order).
    path("surveys/", include([
        path("results/", views.results, name="results"),
        path("comments/<int:pk>/handled/", views.comment_handled, name="comment-handled"),
        path("posters/", views.posters, name="posters"),
        path("questionnaire/", views.questionnaire, name="questionnaire"),
        path("questionnaire/remove/", views.questionnaire_remove, name="questionnaire-remove"),
    ])),
]
