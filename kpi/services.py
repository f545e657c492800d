"""Writes of the KPI app: yearly plans and their targets, monthly figures and evidence."""
import datetime
from decimal import Decimal

from django.db import transaction

from core.models import Field, Unit
from kpi.indicators import BY_KEY, MONTHLY_KEYS, default_targets
from kpi.models import Evidence, MonthlyFigure, Target, YearPlan


class PlanError(Exception):
    """A plan change that cannot be made (shown to the user)."""


def plan_number(unit: Unit) -> str:
    """The plan's number as the unit writes it, e.g. "16/KH-MNTH" for Tuổi Hồng."""
    suffix = unit.code.rsplit(".", 1)[-1] if "." in unit.code else unit.slug.upper()
    return f"16/KH-{suffix}"


@transaction.atomic
def plan_create(*, unit: Unit, year: int, copy_previous: bool = False, number: str = "", title: str = "") -> YearPlan:
    """The plan of ``unit`` for ``year`` with the default targets of DESIGN.md, or with the
    targets of the previous year's plan when ``copy_previous`` (defaults if there is none)."""
    if YearPlan.objects.filter(unit=unit, year=year).exists():
        raise PlanError("exists")
    plan = YearPlan.objects.create(
        unit=unit, year=year, number=number or plan_number(unit),
        title=title or f"Kế hoạch cải cách hành chính năm {year}",
    )
    previous = YearPlan.objects.filter(unit=unit, year=year - 1).first() if copy_previous else None
    if previous is not None:
        rows = list(previous.targets.values_list("key", "field_key", "value"))
    else:
        rows = default_targets(Field.objects.all())
    Target.objects.bulk_create([Target(plan=plan, key=k, field_key=f, value=v) for k, f, v in rows])
    return plan


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


def first_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)
