"""Demo data of this app for `manage.py seed_demo` (idempotent): the current year's
plan with the default targets, and the monthly figures entered so far."""
import calendar
import datetime
import random

from django.utils import timezone

from kpi.demo_tasks import NARRATIVE, TASKS
from kpi.models import MonthlyFigure, Report, YearPlan
from kpi.periods import QUARTER, report_period
from kpi.services import plan_create, plan_task_save


def seed_report(unit, principal, today) -> str:
    """The last quarterly report whose period has ended, written and submitted four days
    after its cut-off (so the office's page of that period has something to show)."""
    if principal is None or Report.objects.filter(unit=unit).exists():
        return ""
    from kpi import report_services

    ended = [q for q in (1, 2, 3, 4) if report_period(QUARTER, today.year, q).end + datetime.timedelta(days=4) < today]
    if not ended:
        return ""
    quarter = ended[-1]
    period = report_period(QUARTER, today.year, quarter)
    report = report_services.report_create(unit=unit, kind=QUARTER, year=today.year, quarter=quarter, actor=principal)
    report_services.report_write(
        report=report, narrative=NARRATIVE, difficulties="Phần mềm một cửa đôi khi chậm vào đầu năm học.",
        proposals="Đề nghị tổ chức tập huấn sử dụng chữ ký số cho viên chức văn phòng.",
        recipients=f"{unit.office.name};")
    sent = timezone.make_aware(datetime.datetime.combine(period.end + datetime.timedelta(days=4), datetime.time(9)))
    report = report_services.report_submit(report=report, actor=principal, now=sent)
    return f", quarterly report {report.number} of Q{quarter} submitted"


def seed_tasks(plan, today) -> int:
    """The plan's focus tasks (from the seed plan's wording), with progress as of ``today``:
    done when their deadline is long past, under way otherwise — and one left overdue."""
    if plan.tasks.exists():
        return 0
    for n, (group, title, in_charge, month) in enumerate(TASKS):
        deadline = datetime.date(plan.year, month, calendar.monthrange(plan.year, month)[1])
        task = plan_task_save(plan=plan, group=group, title=title, in_charge=in_charge, deadline=deadline)
        if deadline < today:
            task.progress = 80 if n == 5 else 100  # one task the principal still has to chase
        else:
            task.progress = min(90, max(0, 100 - (deadline - today).days // 3))
        task.save(update_fields=["progress"])
    return len(TASKS)


def seed(*, unit, users, today):
    plan = YearPlan.objects.filter(unit=unit, year=today.year).first()
    if plan is None:
        plan = plan_create(unit=unit, year=today.year, number=f"16/KH-{unit.abbreviation or 'MNTH'}",
                           title=f"Kế hoạch cải cách hành chính năm {today.year}")
    tasks = seed_tasks(plan, today)
    rng = random.Random(f"{unit.pk}-{today.year}")
    entered_by = users.get("principal")
    created = 0
    for month in range(1, today.month + 1):
        payments = rng.randint(170, 230)  # tuition and meals, one payment per child per month
        documents = rng.randint(35, 70)
        figures = {
            "e_payment_rate": (payments - rng.choice((0, 0, 1, 2, 4)), payments,
                               "Thu học phí, tiền ăn qua ngân hàng và ví điện tử"),
            "e_document_rate": (documents - rng.choice((0, 0, 0, 1)), documents,
                                "Văn bản gửi, nhận qua hệ thống quản lý văn bản điều hành"),
            "outreach_rate": (1, 1, "Bản tin CCHC trên trang Facebook, Zalo của trường") if month % 3 == 0 else None,
        }
        for key, value in figures.items():
            if value is None:
                continue
            numerator, denominator, note = value
            _figure, was_created = MonthlyFigure.objects.get_or_create(
                unit=unit, key=key, year=today.year, month=month,
                defaults={"numerator": numerator, "denominator": denominator, "note": note, "entered_by": entered_by},
            )
            created += was_created
    submitted = seed_report(unit, entered_by, today)
    return (f"kpi: plan {plan.number} of {today.year} ({plan.targets.count()} targets, {tasks} tasks added), "
            f"{created} monthly figures added{submitted}")


def recount_rollup(*, unit, users, today) -> str:
    """The demo data of the steps before this one went in with bulk_create, which sends no
    signals: recount the KPI rollup from the records (docs/kpi/rollup.md) before the
    written reports read it."""
    from kpi import rollup

    result = rollup.rebuild()
    return f"rollup: {result['days']} daily rows"
