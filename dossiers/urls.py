from django.urls import include, path

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
    # One prefix test for the section's pages, not one per page (Django tries patterns in order).
    path("dossiers/", include([
        path("", views.worklist, name="worklist"),
        path("unit/", views.unit_worklist, name="unit"),
        path("register/", views.register, name="register"),
        path("register.xlsx", views.register_export, name="register-export"),
        path("new/", views.intake, name="intake"),
        path("procedures/", views.procedures, name="procedures"),
        path("procedures/new/", views.procedure_edit, name="procedure-new"),
        path("procedures/<int:pk>/", views.procedure_edit, name="procedure-edit"),
        path("submissions/", views.submission_queue, name="submissions"),
        path("submissions/<str:reference>/", views.submission_detail, name="submission"),
        path("submissions/<str:reference>/act/", views.submission_act, name="submission-act"),
        path("submissions/<str:reference>/files/<int:pk>/", views.submission_file, name="submission-file"),
        path("<str:code>/", views.detail, name="detail"),
        path("<str:code>/result/", views.issue_result, name="result-issue"),
        path("<str:code>/act/", views.act, name="act"),
        path("<str:code>/print/<slug:form>/", printing.print_form, name="print"),
        path("<str:code>/documents/<str:form>.pdf", printing.DocumentPdf.as_view(), name="document-pdf"),
        path("<str:code>/documents/<int:pk>/sign/", signing_views.sign, name="sign"),
        path("<str:code>/documents/<int:pk>/file/", signing_views.document_file, name="document-file"),
    ])),
]
