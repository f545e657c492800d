"""Writes of the KPI app: yearly plans and their targets, monthly figures and evidence."""
import datetime
from decimal import Decimal

from django.db import transaction

from core.models import Field, Unit
from kpi.indicators import BY_KEY, MONTHLY_KEYS, default_targets
from kpi.models import Evidence, MonthlyFigure, PlanTask, PlanTaskEvidence, Target, YearPlan


class PlanError(Exception):
    """A plan change that cannot be made (shown to the user)."""


def plan_number(*, unit: Unit) -> str:
    """The plan's number as the unit writes it, e.g. "16/KH-MNTH" for Tuổi Hồng."""
    suffix = unit.code.rsplit(".", 1)[-1] if "." in unit.code else unit.slug.upper()
    return f"16/KH-{suffix}"


@transaction.atomic
def plan_create(*, unit: Unit, year: int, copy_previous: bool = False, number: str = "", title: str = "") -> YearPlan:
    """The plan of ``unit`` for ``year`` with the default targets of docs/domain/indicators.md,
    or with the targets and tasks of the previous year's plan when ``copy_previous`` (defaults
    if there is none). Copied tasks start again: no progress, no evidence, deadlines a year later."""
    if YearPlan.objects.filter(unit=unit, year=year).exists():
        raise PlanError("exists")
    plan = YearPlan.objects.create(
        unit=unit, year=year, number=number or plan_number(unit=unit),
        title=title or f"Kế hoạch cải cách hành chính năm {year}",
    )
    previous = YearPlan.objects.filter(unit=unit, year=year - 1).first() if copy_previous else None
    if previous is not None:
        rows = list(previous.targets.values_list("key", "field_key", "value"))
    else:
        rows = default_targets(Field.objects.all())
    Target.objects.bulk_create([Target(plan=plan, key=k, field_key=f, value=v) for k, f, v in rows])
    if previous is not None:
        PlanTask.objects.bulk_create([
            PlanTask(plan=plan, group=t.group, position=t.position, title=t.title, in_charge=t.in_charge,
                     deadline=_a_year_later(t.deadline))
            for t in previous.tasks.all()
        ])
    return plan


def _a_year_later(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- the plan's tasks ---------------------------------------------------------------------

def _check_progress(progress: int) -> None:
    if not 0 <= progress <= 100:
        raise PlanError("progress must be 0..100")


@transaction.atomic
def plan_task_save(
    *, plan: YearPlan, group: str, title: str, in_charge: str = "", deadline: datetime.date | None = None,
    task: PlanTask | None = None,
) -> PlanTask:
    """Add a task to ``plan`` (or change ``task``): what, in which group, who, by when."""
    if group not in PlanTask.Group.values:
        raise PlanError(f"unknown group {group}")
    if task is None:
        last = plan.tasks.filter(group=group).order_by("-position").values_list("position", flat=True).first()
        task = PlanTask(plan=plan, position=(last or 0) + 1)
    task.group, task.title, task.in_charge, task.deadline = group, title, in_charge, deadline
    task.save()
    return task


@transaction.atomic
def plan_task_progress(*, task: PlanTask, progress: int, note: str = "", actor=None, files=()) -> PlanTask:
    """Record how far ``task`` has come, with evidence ``files``."""
    _check_progress(progress)
    task.progress, task.progress_note = progress, note
    task.save(update_fields=["progress", "progress_note", "updated_at"])
    for upload in files:
        PlanTaskEvidence.objects.create(task=task, file=upload, original_name=upload.name[:255], uploaded_by=actor)
    return task


@transaction.atomic
def plan_task_delete(*, task: PlanTask) -> None:
    for evidence in task.evidence.all():
        evidence.file.delete(save=False)
    task.delete()


@transaction.atomic
def plan_update(*, plan: YearPlan, number: str, title: str, targets: dict[tuple[str, str], Decimal | None]) -> YearPlan:
    """Set the plan's number, title and targets; a target of None removes that row."""
    for key, _field in targets:
        if key not in BY_KEY:
            raise PlanError(f"unknown indicator {key}")
    plan.number, plan.title = number, title
    plan.save(update_fields=["number", "title"])
    for (key, field_key), value in targets.items():
        if value is None:
            Target.objects.filter(plan=plan, key=key, field_key=field_key).delete()
        else:
            Target.objects.update_or_create(plan=plan, key=key, field_key=field_key, defaults={"value": value})
    return plan


@transaction.atomic
def monthly_figure_save(
    *, unit: Unit, key: str, year: int, month: int, numerator: int, denominator: int, note: str = "",
    actor=None, files=(),
) -> MonthlyFigure:
    """Enter (or correct) the figure of ``key`` for a month, attaching evidence ``files``."""
    if key not in MONTHLY_KEYS:
        raise PlanError(f"{key} is not entered by hand")
    if numerator > denominator:
        raise PlanError("numerator > denominator")
    figure, _created = MonthlyFigure.objects.update_or_create(
        unit=unit, key=key, year=year, month=month,
        defaults={"numerator": numerator, "denominator": denominator, "note": note, "entered_by": actor},
    )
    for upload in files:
        evidence_add(figure=figure, upload=upload, actor=actor)
    return figure


def evidence_add(*, figure: MonthlyFigure, upload, actor=None) -> Evidence:
    return Evidence.objects.create(figure=figure, file=upload, original_name=upload.name[:255], uploaded_by=actor)


def evidence_delete(*, evidence: Evidence) -> None:
    evidence.file.delete(save=False)
    evidence.delete()


# --- Excel exports run by Celery ------------------------------------------------------------

def export_job_start(*, user, unit, period, rows_total: int):
    """Record a large export and send it to Celery once the transaction commits."""
    from core.tasks import enqueue
    from kpi.models import ExportJob
    from kpi.tasks import export_report

    job = ExportJob.objects.create(
        requested_by=user, rows_total=rows_total,
        params={"unit": unit.slug if unit else None, "from": period.start.isoformat(), "to": period.end.isoformat()},
    )
    transaction.on_commit(lambda: enqueue(export_report, job.pk))
    return job


def register_export_start(*, user, query: str, rows: int) -> str:
    """Take over the register download of ``query`` (the register page's filters, a query
    string) that is too long for one request: record it, send it to Celery once the
    transaction commits, and return the address of its page (core.registry.large_export)."""
    from django.urls import reverse

    from core.tasks import enqueue
    from kpi.models import ExportJob
    from kpi.tasks import export_report

    job = ExportJob.objects.create(requested_by=user, rows_total=rows, params={"kind": "register", "query": query})
    transaction.on_commit(lambda: enqueue(export_report, job.pk))
    return reverse("kpi:export-job", args=[job.pk])


def _write_export(job, destination, progress) -> str:
    """Write the file of ``job`` (the KPI report, or the register download) to ``destination``; its name."""
    from django.http import QueryDict

    from dossiers.export import write_register_file
    from kpi import excel
    from kpi.indicators import Period
    from kpi.scope import units_for

    if job.params.get("kind") == "register":
        return write_register_file(destination, user=job.requested_by, query=QueryDict(job.params["query"]),
                                   progress=progress)
    units, unit = units_for(job.requested_by, job.params.get("unit"))
    period = Period(datetime.date.fromisoformat(job.params["from"]), datetime.date.fromisoformat(job.params["to"]))
    excel.write_report(destination, units=units, period=period, office=unit is None, progress=progress,
                       unit_name=excel.scope_name(job.requested_by, unit))
    return excel.filename(unit, period)


def export_job_run(*, job_id: int) -> None:
    """Run one export job, once: a second delivery of the task finds it no longer pending."""
    import tempfile

    from django.core.files import File
    from django.utils import timezone

    from kpi.models import ExportJob

    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(status=ExportJob.Status.RUNNING):
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        def progress(done):
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)

        with tempfile.TemporaryFile() as tmp:
            name = _write_export(job, tmp, progress)
            tmp.seek(0)
            job.file.save(name, File(tmp), save=False)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.DONE, file=job.file.name, finished_at=timezone.now(),
        )
    except Exception as exc:  # noqa: BLE001 - the page must show the failure, not spin forever
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
