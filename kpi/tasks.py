"""Long work of the KPI app: large Excel exports."""
from celery import shared_task


@shared_task(ignore_result=True)
def export_report(job_id: int):
    """Write the Excel report of an ExportJob; the page polls ``rows_done``."""
    from kpi.services import export_job_run

    export_job_run(job_id=job_id)
