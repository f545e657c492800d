"""What desk staff, offices and parents see fits their screens: the register on a
1366-pixel desktop shows every column without scrolling sideways, an office's comparison
takes the screen's width; on a parent's phone whole lines are tap targets, not 16-pixel
boxes."""
import pytest
from django.utils import timezone

from kpi.services import plan_create
from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.e2e.test_kpi_journey import _activity
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
    apologise_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
)


@pytest.mark.django_db(transaction=True)
def test_register_shows_every_column_on_a_desktop_without_sideways_scrolling(
    live_server, desktop, login, screenshot, reference_fields
):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", unit__abbreviation="MNTH")
    staff.unit.code = "000.00.01.H29.MNTH"
    staff.unit.save()
    procedure = ProcedureFactory(unit=staff.unit, name="Miễn, giảm học phí đối với trẻ mầm non", field=field("hoc-phi"))
    for name in ("Nguyễn Hoài Hòa", "Trần Thị Ngọc Bảo Quyên"):
        receive_dossier(procedure=procedure, actor=staff, applicant_name=name)

    login(desktop, staff)
    desktop.goto(f"{live_server.url}/dossiers/register/")
    screenshot(desktop, "register-desktop")
    wrapper, table = desktop.evaluate(
        "[document.querySelector('.table-responsive').clientWidth, document.querySelector('.table-register').scrollWidth]"
    )
    assert table <= wrapper
    assert desktop.locator(".table-register thead th", has_text="Tình trạng").is_visible()


@pytest.mark.django_db(transaction=True)
def test_an_offices_register_with_its_unit_column_and_two_badges_fits_a_desktop(
    live_server, desktop, login, screenshot, reference_fields
):
    """The office's register adds the unit column, and a dossier may carry two badges (an
    apology and late, or overdue and an apology): the badges stack in their cell instead of
    pushing the table past a 1366-pixel screen."""
    office = OfficeUserFactory()
    for name in ("Trường Trung học cơ sở Nguyễn Thái Bình", "Trường mầm non Tuổi Hồng"):
        unit = UnitFactory(office=office.office, name=name)
        procedure = ProcedureFactory(unit=unit, name="Miễn, giảm học phí đối với trẻ mầm non", field=field("hoc-phi"))
        late = receive_dossier(procedure=procedure, applicant_name="Trần Thị Ngọc Bảo Quyên",
                               received_at=timezone.now() - timezone.timedelta(days=30))
        finish_dossier_for_test(late, completed_at=timezone.now(), timeliness="late")
        apologise_for_test(late, timely=False)
        overdue = receive_dossier(procedure=procedure, applicant_name="Nguyễn Hoài Hòa",
                                  received_at=timezone.now() - timezone.timedelta(days=30))
        apologise_for_test(overdue)

    login(desktop, office)
    desktop.goto(f"{live_server.url}/dossiers/register/")
    screenshot(desktop, "register-office-desktop")
    assert desktop.locator(".table-register thead th", has_text="Đơn vị").is_visible()
    assert desktop.locator(".table-register .badge", has_text="Xin lỗi").count() == 4
    assert desktop.locator(".table-register .badge-overdue").count() == 2  # open and past due
    assert desktop.locator(".table-register .badge.text-bg-danger").count() == 2  # returned late
    wrapper, table = desktop.evaluate(
        "[document.querySelector('.table-responsive').clientWidth, document.querySelector('.table-register').scrollWidth]"
    )
    assert table <= wrapper


@pytest.mark.django_db(transaction=True)
def test_parent_phone_taps_whole_lines_on_the_feedback_form_and_procedure_list(
    live_server, phone, screenshot, reference_fields
):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng")
    ProcedureFactory(unit=staff.unit, name="Tuyển sinh trẻ vào nhà trẻ, mẫu giáo")

    phone.goto(f"{live_server.url}/feedback/new/?unit={staff.unit.slug}")
    screenshot(phone, "feedback-new-phone")
    for label in ("Phản ánh", "Kiến nghị", "Góp ý"):
        line = phone.locator(".form-check", has=phone.get_by_label(label, exact=True))
        assert line.bounding_box()["height"] >= 44
    phone.get_by_text("Kiến nghị", exact=True).click()
    assert phone.get_by_label("Kiến nghị", exact=True).is_checked()

    phone.goto(f"{live_server.url}/u/{staff.unit.slug}/")
    # The language switch in sight, no menu button to find it behind (as on the tracking page).
    assert phone.locator(".navbar-toggler").count() == 0
    assert phone.locator("[data-testid=visitor-nav] [lang=en]").is_visible()
    summary = phone.locator("summary", has_text="Giấy tờ cần mang theo").first
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    assert phone.get_by_text("Bản sao giấy khai sinh").is_visible()


@pytest.mark.django_db(transaction=True)
def test_office_comparison_scrolls_its_table_on_a_phone_and_takes_a_desktops_width(
    live_server, phone, desktop, login, screenshot, reference_fields
):
    """A dozen indicators side by side: on a phone the table scrolls, not the page; on a
    1366-pixel screen the table takes the screen's width (as the register does), not the
    1,140 pixels of the portal's reading column."""
    unit = UnitFactory(name="Trường mầm non Tuổi Hồng")
    plan_create(unit=unit, year=timezone.localdate().year)
    _activity(unit)
    office = OfficeUserFactory(office=unit.office)

    login(phone, office)
    phone.goto(f"{live_server.url}/kpi/")
    screenshot(phone, "kpi-office-phone")
    assert phone.locator("[data-testid=unit-row] .visually-hidden").count() > 0  # the met/not-met words
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    login(desktop, office)
    desktop.goto(f"{live_server.url}/kpi/")
    screenshot(desktop, "kpi-office-desktop")
    assert desktop.locator("[data-testid=unit-row]").count() == 1
    assert desktop.evaluate("document.querySelector('.kpi-compare').closest('.table-responsive').clientWidth") >= 1300
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.django_db(transaction=True)
def test_principal_dashboard_on_a_phone_keeps_each_count_pair_on_one_line(
    live_server, phone, login, screenshot, reference_fields
):
    unit = UnitFactory(name="Trường mầm non Tuổi Hồng")
    plan_create(unit=unit, year=timezone.localdate().year)
    _activity(unit)
    principal = PrincipalFactory(unit=unit)

    login(phone, principal)
    phone.goto(f"{live_server.url}/kpi/")
    screenshot(phone, "kpi-dashboard-phone")
    cells = phone.locator("[data-testid=detail-counts]")
    assert cells.count() > 0
    for i in range(cells.count()):
        # With a year of real data the squeezed column broke "92 / 110" into two lines.
        assert cells.nth(i).evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        numerator, denominator = cells.nth(i).locator("a").all()
        assert numerator.bounding_box()["y"] == denominator.bounding_box()["y"]


@pytest.mark.django_db(transaction=True)
def test_feedback_inbox_on_a_phone_keeps_room_for_the_subject(live_server, phone, login, screenshot, reference_fields):
    from feedback.services import feedback_assign, feedback_receive

    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", first_name="Lan", last_name="Nguyễn Thị")
    item = feedback_receive(unit=staff.unit, kind="gop-y", subject="Đề nghị bổ sung mái che sân chơi cho các lớp mầm",
                            content="Trời mưa các cháu không ra sân được.")
    feedback_assign(feedback=item, assignee=staff, actor=staff)

    login(phone, staff)
    phone.goto(f"{live_server.url}/feedback/")
    screenshot(phone, "feedback-inbox-phone")
    subject = phone.locator("[data-testid=inbox] td.inbox-subject").first
    # Squeezed between four other columns, the subject stood a word a line (about 60 px).
    assert subject.bounding_box()["width"] >= 170
    assert subject.get_by_text("Nguyễn Thị Lan").is_visible()  # who handles it, under the subject
    assert not phone.locator("[data-testid=inbox] th", has_text="Cán bộ xử lý").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
