from django.urls import path

from kpi import export_views, report_api, report_views, task_views, views

app_name = "kpi"
urlpatterns = [
    path("kpi/", views.dashboard, name="dashboard"),
    path("kpi/plan/", views.plan, name="plan"),
    path("kpi/scorecard/", views.scorecard, name="scorecard"),
    path("kpi/plan/new/", views.plan_create, name="plan-create"),
    path("kpi/plan/<int:plan_pk>/tasks/new/", task_views.task_add, name="task-add"),
    path("kpi/tasks/<int:pk>/", task_views.task_detail, name="task"),
    path("kpi/tasks/evidence/<int:pk>/", task_views.task_evidence, name="task-evidence"),
    path("kpi/figures/", views.figures, name="figures"),
    path("kpi/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("kpi/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("kpi/reports/", report_views.report_list, name="reports"),
    path("kpi/reports/new/", report_views.report_create, name="report-create"),
    path("kpi/reports/office/", report_views.office_overview, name="reports-office"),
    path("kpi/reports/office/deadline/", report_views.office_deadline, name="reports-office-deadline"),
    path("kpi/reports/office/bao-cao.<str:fmt>", report_views.office_download, name="reports-office-download"),
    path("kpi/reports/<int:pk>/", report_views.report_detail, name="report"),
    path("kpi/reports/<int:pk>/submit/", report_views.report_submit, name="report-submit"),
    path("kpi/reports/<int:pk>/bao-cao.<str:ext>", report_api.ReportFile.as_view(), name="report-file"),
    path("reports/kpi.xlsx", export_views.ExcelReport.as_view(), name="export"),
    path("reports/jobs/<int:pk>/", export_views.export_job, name="export-job"),
    path("reports/jobs/<int:pk>/status/", export_views.export_job_status, name="export-job-status"),
    path("reports/jobs/<int:pk>/download/", export_views.export_job_download, name="export-job-download"),
]
