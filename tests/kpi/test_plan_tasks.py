"""The plan's tasks: grouped as the seed plan, edited by the principal, progress and
evidence by staff, copied with last year's plan, overdue ones on the dashboard."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kpi import demo
from kpi.models import PlanTask, Report, YearPlan
from kpi.services import plan_create, plan_task_save
from tests.factories import OfficeUserFactory, PrincipalFactory, StaffFactory


@pytest.mark.django_db
def test_principal_adds_a_task_and_the_plan_lists_it_in_its_group(client):
    principal = PrincipalFactory()
    plan = plan_create(unit=principal.unit, year=2026)
    client.force_login(principal)
    response = client.post(f"/kpi/plan/{plan.pk}/tasks/new/", {
        "group": "procedures", "title": "Công khai đầy đủ 100% thủ tục hành chính", "in_charge": "Tổ văn phòng",
        "deadline": "31/03/2026"})
    assert response.status_code == 302
    task = PlanTask.objects.get(plan=plan)
    assert (task.group, task.deadline, task.in_charge) == ("procedures", datetime.date(2026, 3, 31), "Tổ văn phòng")
    page = client.get("/kpi/plan/", {"year": 2026}).content.decode()
    section = page.split('data-testid="task-group-procedures"', 1)[1].split("</section>", 1)[0]
    assert "Công khai đầy đủ 100% thủ tục hành chính" in section and "31/03/2026" in section
    assert "8. " in page and "Khảo sát, đánh giá sự hài lòng" in page


@pytest.mark.django_db
def test_staff_records_progress_with_evidence_but_cannot_edit_the_task(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = StaffFactory()
    task = plan_task_save(plan=plan_create(unit=staff.unit, year=2026), group="e_government", title="Văn bản điện tử")
    client.force_login(staff)
    response = client.post(f"/kpi/tasks/{task.pk}/", {
        "part": "progress", "progress": "60", "progress_note": "Đã gửi 120 văn bản",
        "evidence": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 proof")})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress == 60 and task.evidence.get().original_name == "bao-cao.pdf"
    assert client.post(f"/kpi/tasks/{task.pk}/", {"part": "task", "group": "procedures", "title": "x"}).status_code == 403
    assert client.post(f"/kpi/tasks/{task.pk}/", {"part": "progress", "progress": "140"}).status_code == 200
    task.refresh_from_db()
    assert task.progress == 60 and task.group == "e_government"
    office = OfficeUserFactory(office=staff.unit.office)
    client.force_login(office)
    evidence = task.evidence.get()
    assert client.get(f"/kpi/tasks/evidence/{evidence.pk}/").status_code == 200
    assert client.post(f"/kpi/tasks/{task.pk}/", {"part": "progress", "progress": "90"}).status_code == 403


@pytest.mark.django_db
def test_copying_last_years_plan_copies_its_tasks_without_their_progress():
    principal = PrincipalFactory()
    last = plan_create(unit=principal.unit, year=2025)
    task = plan_task_save(plan=last, group="civil_service", title="Bồi dưỡng viên chức", in_charge="Phó Hiệu trưởng",
                          deadline=datetime.date(2025, 8, 31))
    PlanTask.objects.filter(pk=task.pk).update(progress=100)
    plan = plan_create(unit=principal.unit, year=2026, copy_previous=True)
    copied = plan.tasks.get()
    assert (copied.group, copied.title, copied.in_charge) == ("civil_service", "Bồi dưỡng viên chức", "Phó Hiệu trưởng")
    assert copied.deadline == datetime.date(2026, 8, 31) and copied.progress == 0


@pytest.mark.django_db
def test_principal_sees_overdue_tasks_on_the_dashboard(client):
    principal = PrincipalFactory()
    today = timezone.localdate()
    plan = plan_create(unit=principal.unit, year=today.year)
    plan_task_save(plan=plan, group="direction", title="Kiện toàn Ban Chỉ đạo CCHC", deadline=today - datetime.timedelta(days=3))
    done = plan_task_save(plan=plan, group="direction", title="Nhiệm vụ đã xong", deadline=today - datetime.timedelta(days=3))
    PlanTask.objects.filter(pk=done.pk).update(progress=100)
    plan_task_save(plan=plan, group="direction", title="Nhiệm vụ chưa đến hạn", deadline=today + datetime.timedelta(days=3))
    client.force_login(principal)
    page = client.get("/kpi/").content.decode()
    box = page.split('data-testid="overdue-tasks"', 1)[1].split("</section>", 1)[0]
    assert "Kiện toàn Ban Chỉ đạo CCHC" in box
    assert "Nhiệm vụ đã xong" not in box and "Nhiệm vụ chưa đến hạn" not in box


@pytest.mark.django_db
def test_demo_plan_has_the_seed_plans_tasks_in_every_group_and_a_submitted_report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    principal = PrincipalFactory()
    today = datetime.date(2026, 11, 30)
    demo.seed(unit=principal.unit, users={"principal": principal}, today=today)
    demo.seed(unit=principal.unit, users={"principal": principal}, today=today)
    plan = YearPlan.objects.get(unit=principal.unit, year=2026)
    assert set(plan.tasks.values_list("group", flat=True)) == set(PlanTask.Group.values)
    assert plan.tasks.count() == len(demo.TASKS)
    assert plan.tasks.filter(deadline__lt=today, progress__lt=100).count() == 1
    report = Report.objects.get(unit=principal.unit)  # the second seed added none
    assert (report.kind, report.quarter, report.status, report.number) == ("quarter", 3, "submitted", 1)
    assert report.submitted_at.date() == datetime.date(2026, 9, 18) and report.narrative["procedures"]
