from django.urls import path

from dossiers import api

urlpatterns = [
    path("procedures/", api.ProcedureList.as_view(), name="api-procedures"),
    path("dossiers/", api.DossierList.as_view(), name="api-dossiers"),
    path("dossiers/<str:code>/", api.DossierDetail.as_view(), name="api-dossier"),
    path("dossiers/<str:code>/actions/", api.DossierAction.as_view(), name="api-dossier-actions"),
    path("dossiers/<str:code>/results/<str:result>/", api.DossierResult.as_view(), name="api-dossier-result"),
    path("submissions/", api.SubmissionList.as_view(), name="api-submissions"),
    path("submissions/<str:reference>/actions/", api.SubmissionAction.as_view(), name="api-submission-actions"),
    path("dossiers/<str:code>/notices/", api.DossierNotices.as_view(), name="api-dossier-notices"),
    path("dossiers/<str:code>/documents/", api.DossierDocuments.as_view(), name="api-dossier-documents"),
]
