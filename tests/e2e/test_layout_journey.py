"""What desk staff and parents see fits their screens: the register on a 1366-pixel
desktop shows every column without scrolling sideways."""
import pytest

from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.factories import ProcedureFactory, StaffFactory, receive_dossier


@pytest.mark.django_db(transaction=True)
def test_register_shows_every_column_on_a_desktop_without_sideways_scrolling(
    live_server, desktop, login, screenshot, reference_fields
):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", unit__abbreviation="MNTH")
    procedure = ProcedureFactory(unit=staff.unit, name="Miễn, giảm học phí đối với trẻ mầm non")
    receive_dossier(procedure=procedure, actor=staff, applicant_name="Nguyễn Hoài Hòa")

    login(desktop, staff)
    desktop.goto(f"{live_server.url}/dossiers/register/")
    screenshot(desktop, "register-desktop")
    wrapper, table = desktop.evaluate(
        "[document.querySelector('.table-responsive').clientWidth, document.querySelector('.table-register').scrollWidth]"
    )
    assert table <= wrapper
    assert desktop.locator(".table-register thead th", has_text="Tình trạng").is_visible()
