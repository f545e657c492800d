"""Yearly plans (defaults, copy from last year, edited by the principal only), monthly
figures with private evidence, the public section and the demo seed."""
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import User
from kpi import demo
from kpi.models import Evidence, MonthlyFigure, Target, YearPlan
from kpi.public import section
from kpi.services import plan_create
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    StaffFactory,
    UnitFactory,
    finish_dossier_for_test,
    receive_dossier,
    survey_response_for_test,
)


def targets(plan):
    return {(t.key, t.field_key): float(t.value) for t in plan.targets.all()}


@pytest.mark.django_db
def test_principal_creates_the_plan_with_the_default_targets(client):
    principal = PrincipalFactory()
    client.force_login(principal)
    response = client.post("/kpi/plan/new/", {"year": 2026, "copy": "defaults"})
    assert response.status_code == 302
    plan = YearPlan.objects.get(unit=principal.unit, year=2026)
    t = targets(plan)
    assert t[("dossier_on_time_rate", "")] == 100 and t[("dossier_on_time_rate", "xu-ly-don")] == 98
    assert t[("dossier_on_time_rate", "khieu-nai-to-cao")] == 95 and t[("late_apology_rate", "")] == 100
    assert t[("satisfaction_rate", "giao-duc-hoa-nhap")] == 99 and t[("dossier_satisfaction_rate", "")] == 99
    assert t[("e_payment_rate", "")] == 100 and t[("feedback_published_rate", "")] == 100


@pytest.mark.django_db
def test_copy_from_last_year_and_edit_targets(client):
    principal = PrincipalFactory()
    last = plan_create(unit=principal.unit, year=2025)
    Target.objects.filter(plan=last, key="dossier_on_time_rate", field_key="xu-ly-don").update(value=97)
    client.force_login(principal)
    client.post("/kpi/plan/new/", {"year": 2026, "copy": "previous"})
    plan = YearPlan.objects.get(unit=principal.unit, year=2026)
    assert targets(plan)[("dossier_on_time_rate", "xu-ly-don")] == 97

    page = client.get("/kpi/plan/", {"year": 2026})
    form_data = {name: field.initial if field.initial is not None else "" for name, field in page.context["form"].fields.items()}
    form_data.update({"number": "20/KH-MNTH", "title": "Kế hoạch CCHC 2026", "t__dossier_on_time_rate__xu-ly-don": "99.5",
                      "t__outreach_rate__": ""})
    response = client.post("/kpi/plan/?year=2026", form_data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.number == "20/KH-MNTH"
    assert targets(plan)[("dossier_on_time_rate", "xu-ly-don")] == 99.5 and ("outreach_rate", "") not in targets(plan)

    form_data["t__late_apology_rate__"] = "120"
    bad = client.post("/kpi/plan/?year=2026", form_data)
    assert bad.status_code == 200 and "từ 0 đến 100" in bad.content.decode()
    assert targets(plan)[("late_apology_rate", "")] == 100


@pytest.mark.django_db
def test_staff_and_office_cannot_change_targets(client):
    staff = StaffFactory()
    plan = plan_create(unit=staff.unit, year=2026)
    client.force_login(staff)
    assert client.post("/kpi/plan/new/", {"year": 2027}).status_code == 403
    assert client.post("/kpi/plan/?year=2026", {"number": "x"}).status_code == 403
    office = OfficeUserFactory(office=staff.unit.office)
    client.force_login(office)
    assert client.get("/kpi/plan/", {"unit": staff.unit.slug, "year": 2026}).status_code == 200
    assert client.post(f"/kpi/plan/?unit={staff.unit.slug}&year=2026", {"number": "x"}).status_code == 403
    assert YearPlan.objects.get(pk=plan.pk).number == plan.number


@pytest.mark.django_db
def test_monthly_figure_with_private_evidence(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = StaffFactory()
    client.force_login(staff)
    upload = SimpleUploadedFile("sao-ke-thang-3.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/kpi/figures/?year=2026", {
        "key": "e_payment_rate", "year": 2026, "month": 3, "numerator": 190, "denominator": 200,
        "note": "Thu học phí qua ngân hàng", "evidence": upload,
    })
    assert response.status_code == 302
    figure = MonthlyFigure.objects.get(unit=staff.unit)
    assert (figure.numerator, figure.denominator, figure.entered_by) == (190, 200, staff)
    evidence = Evidence.objects.get(figure=figure)
    download = client.get(f"/kpi/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"

    client.force_login(StaffFactory())  # another unit
    assert client.get(f"/kpi/evidence/{evidence.pk}/").status_code == 404
    client.force_login(OfficeUserFactory(office=staff.unit.office))
    assert client.get(f"/kpi/evidence/{evidence.pk}/").status_code == 200
    assert client.post(f"/kpi/figures/?unit={staff.unit.slug}", {"key": "e_payment_rate"}).status_code == 403


@pytest.mark.django_db
def test_bad_monthly_figure_keeps_the_input_and_says_why(client):
    client.force_login(StaffFactory())
    response = client.post("/kpi/figures/?year=2026", {
        "key": "e_document_rate", "year": 2026, "month": 13, "numerator": 12, "denominator": 10, "note": "giữ lại",
        "evidence": SimpleUploadedFile("virus.exe", b"MZ"),
    })
    html = response.content.decode()
    assert response.status_code == 200 and not MonthlyFigure.objects.exists()
    assert "Tháng là số từ 1 đến 12" in html and "giữ lại" in html
    assert "tệp PDF, ảnh, Word hoặc Excel" in html


@pytest.mark.django_db
def test_public_section_shows_this_years_rates_only_with_data():
    unit = UnitFactory()
    assert section(unit)["rows"] == []
    now = timezone.now()
    dossier = receive_dossier(unit=unit, received_at=now - datetime.timedelta(hours=2))
    finish_dossier_for_test(dossier, completed_at=now - datetime.timedelta(hours=1), timeliness="on_time")
    survey_response_for_test(unit=unit, overall=5, submitted_at=now - datetime.timedelta(minutes=5))
    rows = {(r["key"], r["field"]): r for r in section(unit)["rows"]}
    assert rows[("dossier_on_time_rate", None)]["value"] == 100.0
    assert rows[("satisfaction_rate", None)]["value"] == 100.0
    assert ("satisfaction_rate", "cham-soc-giao-duc") in rows and ("satisfaction_rate", "tuyen-sinh") not in rows


@pytest.mark.django_db
def test_public_page_renders_the_rates(client):
    unit = UnitFactory()
    survey_response_for_test(unit=unit, overall=4, submitted_at=timezone.now() - datetime.timedelta(minutes=5))
    html = client.get(f"/u/{unit.slug}/").content.decode()
    assert 'data-testid="public-rates"' in html and "100,00%" in html
    area = re.search(r'data-field="cham-soc-giao-duc">(.*?)</span>', html, re.S).group(1)
    assert "Chăm sóc, giáo dục trẻ" in area and "Mức độ hài lòng" not in area  # under its overall rate, not repeated


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    unit = UnitFactory()
    principal = PrincipalFactory(unit=unit)
    today = datetime.date(2026, 6, 15)
    demo.seed(unit=unit, users={"principal": principal}, today=today)
    counts = (YearPlan.objects.count(), Target.objects.count(), MonthlyFigure.objects.count())
    demo.seed(unit=unit, users={"principal": principal}, today=today)
    assert (YearPlan.objects.count(), Target.objects.count(), MonthlyFigure.objects.count()) == counts
    plan = YearPlan.objects.get()
    assert plan.number == "16/KH-MNTH" and plan.year == 2026
    assert MonthlyFigure.objects.filter(key="e_payment_rate").count() == 6
    assert all(f.numerator <= f.denominator for f in MonthlyFigure.objects.all())
    assert User.objects.count() == 1
