from django.urls import include, path

from kpi import export_views, report_api, report_views, task_views, views

app_name = "kpi"
urlpatterns = [
    # One prefix test for the section's pages, not one per page (Django tries patterns in order).
    path("kpi/", include([
        path("", views.dashboard, name="dashboard"),
        path("plan/", views.plan, name="plan"),
        path("scorecard/", views.scorecard, name="scorecard"),
        path("plan/new/", views.plan_create, name="plan-create"),
        path("plan/<int:plan_pk>/tasks/new/", task_views.task_add, name="task-add"),
        path("tasks/<int:pk>/", task_views.task_detail, name="task"),
        path("tasks/evidence/<int:pk>/", task_views.task_evidence, name="task-evidence"),
        path("figures/", views.figures, name="figures"),
        path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
        path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
        path("reports/", report_views.report_list, name="reports"),
        path("reports/new/", report_views.report_create, name="report-create"),
        path("reports/office/", report_views.office_overview, name="reports-office"),
        path("reports/office/deadline/", report_views.office_deadline, name="reports-office-deadline"),
        path("reports/office/bao-cao.<str:fmt>", report_views.office_download, name="reports-office-download"),
        path("reports/<int:pk>/", report_views.report_detail, name="report"),
        path("reports/<int:pk>/submit/", report_views.report_submit, name="report-submit"),
        path("reports/<int:pk>/bao-cao.<str:ext>", report_api.ReportFile.as_view(), name="report-file"),
    ])),
    path("reports/", include([
        path("kpi.xlsx", export_views.ExcelReport.as_view(), name="export"),
        path("jobs/<int:pk>/", export_views.export_job, name="export-job"),
        path("jobs/<int:pk>/status/", export_views.export_job_status, name="export-job-status"),
        path("jobs/<int:pk>/download/", export_views.export_job_download, name="export-job-download"),
    ])),
]
