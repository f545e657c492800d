"""The navbar of every page on base.html (templates/jinja2/_navbar.html, rendered by
{% navbar %}, docs/decisions/signed-in-frame.md): the sections a person may open, the one
they are in, their name, role and unit or office, the administration link for
administrators only, and forms (language, log out) whose CSRF token works."""
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import AdminFactory, OfficeUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

SECTIONS = {"/": "Trang chủ", "/dossiers/": "Hồ sơ", "/feedback/": "Phản ánh, kiến nghị",
            "/surveys/results/": "Khảo sát", "/kpi/": "Chỉ tiêu và báo cáo"}


def _nav(html: str) -> str:
    return html[html.index("<nav "):html.index("</nav>")]


def _items(nav: str) -> dict[str, bool]:
    """href -> active, for the section links."""
    return {href: bool(active) for active, href in
            re.findall(r'<a class="nav-link( active)?" href="([^"]+)">[^<]+</a></li>', nav)}


def _token(nav: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav))
    assert len(tokens) == 1  # the language form and the log-out form carry the same token
    return tokens.pop()


def test_staff_see_their_sections_the_one_they_are_in_and_their_unit():
    staff = StaffFactory()
    client = Client()
    client.force_login(staff)
    nav = _nav(client.get("/dossiers/").content.decode())
    assert _items(nav) == {"/": False, "/dossiers/": True, "/feedback/": False, "/surveys/results/": False,
                           "/kpi/": False}
    for href, label in SECTIONS.items():
        assert f'href="{href}">{label}</a>' in nav
    assert "Nguyễn Thị Lan" in nav and f"Cán bộ, viên chức · {staff.unit.name}" in nav
    assert "/admin/" not in nav
    assert '<input name="next" type="hidden" value="/dossiers/">' in nav


def test_an_office_account_sees_the_reports_its_units_register_and_its_office():
    """No desk's work lists, feedback inbox or survey pages: the reports, and the register of
    its units to find a dossier a citizen asks about."""
    office_user = OfficeUserFactory()
    client = Client()
    client.force_login(office_user)
    nav = _nav(client.get("/kpi/").content.decode())
    assert _items(nav) == {"/": False, "/dossiers/register/": False, "/kpi/": True}
    assert office_user.office.name in nav
    assert _items(_nav(client.get("/dossiers/register/").content.decode()))["/dossiers/register/"] is True


def test_administrators_get_the_administration_link():
    client = Client()
    client.force_login(AdminFactory())
    assert 'href="/admin/">Quản trị</a>' in _nav(client.get("/").content.decode())


def test_a_visitor_gets_the_language_switch_and_login_link_in_sight_and_no_account_menu():
    """A parent on a public page has nothing to open behind a menu button: the language switch
    and the login link sit in the bar itself, as on the pages of public_base.html."""
    nav = _nav(Client().get("/accounts/login/").content.decode())
    assert 'href="/accounts/login/">Đăng nhập</a>' in nav
    assert 'lang="vi">VI</button>' in nav and 'lang="en">EN</button>' in nav
    assert "navbar-toggler" not in nav and "navbar-collapse" not in nav
    assert "dropdown" not in nav and "bi-bell" not in nav and _items(nav) == {}


def test_the_forms_csrf_token_logs_out_and_switches_the_language():
    staff = StaffFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    token = _token(_nav(client.get("/kpi/").content.decode()))
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/kpi/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    nav = _nav(client.get("/kpi/").content.decode())
    assert 'href="/kpi/">Targets and reports</a>' in nav and "Log out" in nav
    assert 'class="btn btn-sm btn-light" lang="en"' in nav  # the language in use is marked
    out = client.post("/accounts/logout/", {"csrfmiddlewaretoken": _token(nav)})
    assert out.status_code == 302
    assert client.get("/kpi/").status_code == 302  # signed out


def test_base_html_renders_without_a_request():
    """A page rendered outside a request (no person, no CSRF token) still gets the navbar."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string("base.html", {})
    assert 'href="/accounts/login/">Đăng nhập</a>' in html and 'name="next" type="hidden" value=""' in html
