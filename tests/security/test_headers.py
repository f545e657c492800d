"""The security headers of every response: CSP without inline script or style,
HSTS (on HTTPS), nosniff, frame denial, referrer policy, safe cookies."""
import pytest
from django.test import override_settings

from tests.factories import StaffFactory

PAGES = ["/accounts/login/", "/healthz", "/api/v1/schema/"]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_public_pages(client, path):
    response = client.get(path, secure=True)
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert not any("'unsafe-inline'" in v or "'unsafe-eval'" in v for v in csp.values() for v in v)
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts


@pytest.mark.django_db
def test_signed_in_pages_carry_the_same_policy_and_safe_cookies(client):
    client.force_login(StaffFactory())
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_login_cookies_are_secure_and_http_only(client):
    StaffFactory(username="lan")
    response = client.post("/accounts/login/", {"username": "lan", "password": "pass-12345"}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_except_the_health_check(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
