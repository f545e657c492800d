"""Hostile input on every page and public form: never a server error, never the
markup echoed back unescaped. Public forms of the other apps (survey, feedback,
tracking, uploads) are added to FORMS when their pages exist."""
import pytest

from tests.factories import StaffFactory
from tests.security.nasty import NASTY, leaks
from tests.security.test_url_walker import EXPECTATIONS, World
from tests.security.urlmap import routes, url_for

QUERY_KEYS = ("page", "q", "unit", "status", "year", "start", "days", "from", "to", "next", "field", "area",
              "overdue", "received_from", "received_to", "kind")


def check(response, what: str, problems: list):
    if response.status_code >= 500:
        problems.append(f"{what}: {response.status_code}")
    elif leak := leaks(response):
        problems.append(f"{what}: echoes {leak!r} unescaped")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_hostile_query_strings_on_every_url(client, role):
    world = World()
    if role == "staff":
        client.force_login(world.staff)
    problems = []
    for key, route in sorted(routes().items()):
        expect = EXPECTATIONS.get(key)
        if expect is None:
            continue
        url = url_for(route, expect.kwargs(world) if expect.kwargs else world.default_kwargs(route.params))
        # Each request carries a different hostile value in each key, rotated so every value is sent.
        for start in range(0, len(NASTY), 4):
            query = {k: NASTY[(start + i) % len(NASTY)] for i, k in enumerate(QUERY_KEYS)}
            response = client.get(url, query)
            check(response, f"GET {url} ?{str(query)[:80]}", problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_hostile_slugs_and_codes_in_paths_are_404_not_500(client):
    problems = []
    for value in ["<script>", "' OR 1=1", "%00", "..%2f..%2fetc", "A" * 300, "%E2%80%AE"]:
        for path in (f"/u/{value}/", f"/api/v1/dossiers/{value}/", f"/track/{value}/", f"/feedback/{value}/",
                     f"/survey/{value}/"):
            response = client.get(path)
            check(response, f"GET {path[:60]}", problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_hostile_login_attempts_are_refused_without_error_or_echo(client):
    StaffFactory(username="lan")
    problems = []
    for value in NASTY:
        response = client.post("/accounts/login/", {"username": value, "password": value})
        check(response, f"POST login {value[:30]!r}", problems)
        if response.status_code == 302:
            problems.append(f"POST login {value[:30]!r}: logged in")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_hostile_json_to_the_api_is_a_400_or_403_not_a_500(client):
    world = World()
    client.force_login(world.admin)
    problems = []
    for value in NASTY:
        for body in ({"date": value, "kind": value, "name": value}, [value], value):
            response = client.post("/api/v1/calendar/", body, content_type="application/json")
            check(response, f"POST /api/v1/calendar/ {str(body)[:40]!r}", problems)
        response = client.post("/api/v1/calendar/", b"{not json" + value.encode(), content_type="application/json")
        check(response, "POST /api/v1/calendar/ broken JSON", problems)
    assert not problems, "\n".join(problems)
