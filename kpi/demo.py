"""Demo data of this app for `manage.py seed_demo` (idempotent): the current year's
plan with the default targets, and the monthly figures entered so far."""
import random

from kpi.models import MonthlyFigure, YearPlan
from kpi.services import plan_create


def seed(*, unit, users, today):
    plan = YearPlan.objects.filter(unit=unit, year=today.year).first()
    if plan is None:
        plan = plan_create(unit=unit, year=today.year, number=f"16/KH-{unit.abbreviation or 'MNTH'}",
                           title=f"Kế hoạch cải cách hành chính năm {today.year}")
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
    return f"kpi: plan {plan.number} of {today.year} ({plan.targets.count()} targets), {created} monthly figures added"
