from django.urls import path

from dossiers import online, printing, signing_views, tracking, verification, views

app_name = "dossiers"
urlpatterns = [
    # The public pages first: parents open them from QR codes many at once, and Django tries
    # the patterns in order (none of these can match a staff path, nor the other way round).
    path("track/", tracking.track, name="track"),
    path("track/<str:code>/", tracking.track_detail, name="track-detail"),
    path("verify/", verification.verify_upload, name="verify"),
    path("verify/<str:code>/", verification.verify_document, name="verify-document"),
    path("track/<str:code>/results/<str:result>/", online.track_result, name="track-result"),
    path("track/<str:code>/receipt/", online.track_receipt, name="track-receipt"),
    path("track/online/<str:reference>/", online.follow, name="online-follow"),
    path("u/<slug:slug>/nop-ho-so/", online.procedure_list, name="online-list"),
    path("u/<slug:slug>/nop-ho-so/<str:code>/", online.submit, name="online-submit"),
    path("dossiers/", views.worklist, name="worklist"),
    path("dossiers/unit/", views.unit_worklist, name="unit"),
    path("dossiers/register/", views.register, name="register"),
    path("dossiers/register.xlsx", views.register_export, name="register-export"),
    path("dossiers/new/", views.intake, name="intake"),
    path("dossiers/procedures/", views.procedures, name="procedures"),
    path("dossiers/procedures/new/", views.procedure_edit, name="procedure-new"),
    path("dossiers/procedures/<int:pk>/", views.procedure_edit, name="procedure-edit"),
    path("dossiers/submissions/", views.submission_queue, name="submissions"),
    path("dossiers/submissions/<str:reference>/", views.submission_detail, name="submission"),
    path("dossiers/submissions/<str:reference>/act/", views.submission_act, name="submission-act"),
    path("dossiers/submissions/<str:reference>/files/<int:pk>/", views.submission_file, name="submission-file"),
    path("dossiers/<str:code>/", views.detail, name="detail"),
    path("dossiers/<str:code>/result/", views.issue_result, name="result-issue"),
    path("dossiers/<str:code>/act/", views.act, name="act"),
    path("dossiers/<str:code>/print/<slug:form>/", printing.print_form, name="print"),
    path("dossiers/<str:code>/documents/<str:form>.pdf", printing.DocumentPdf.as_view(), name="document-pdf"),
    path("dossiers/<str:code>/documents/<int:pk>/sign/", signing_views.sign, name="sign"),
    path("dossiers/<str:code>/documents/<int:pk>/file/", signing_views.document_file, name="document-file"),
]
