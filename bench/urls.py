"""The portal's URLs plus the trivial reference view (bench settings only)."""
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import include, path

import dossiers.tracking
import feedback.spam

# The load generator is one address: per-address limits would measure the limiter, not
# the page (their cache calls still run). Bench settings only; production keeps them.
dossiers.tracking.QR_LIMIT = dossiers.tracking.TYPED_LIMIT = (600, 10**9)  # (window seconds, allowed)
feedback.spam.LIMITS = ((600, 10**9),)


def trivial(request):
    """The cheapest Django answer: the reference for every page figure."""
    return HttpResponse(b"ok", content_type="text/plain")


def cache_reads(request, n):
    """The trivial view plus ``n`` reads of one key through Django's cache (Redis): the cost of
    a round trip to Redis under load (bench/roundtrips.py)."""
    for _ in range(n):
        cache.get("bench:roundtrip")
    return HttpResponse(b"ok", content_type="text/plain")


def sql_reads(request, n):
    """The trivial view plus ``n`` ``SELECT 1`` through Django's connection: the cost of a round
    trip to PostgreSQL under load (bench/roundtrips.py)."""
    with connection.cursor() as cursor:
        for _ in range(n):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return HttpResponse(b"ok", content_type="text/plain")


def post_floor(request, sql, redis):
    """The floor of a public form's POST (bench/load.py): Django's request cycle, the CSRF check and
    the parsed body, ``sql`` statements (``SELECT 1``) and ``redis`` cache reads, then a redirect,
    and none of the form's own work. With a survey answer's 4 and 3 it is what the answer would
    cost if validating, saving and counting it took no time at all. A GET gives the CSRF cookie
    and token to post with."""
    if request.method != "POST":
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')
    request.POST.get("overall")
    for _ in range(redis):
        cache.get("bench:roundtrip")
    if sql:
        with connection.cursor() as cursor:
            for _ in range(sql):
                cursor.execute("SELECT 1")
                cursor.fetchone()
    return HttpResponseRedirect("/bench/trivial/")


urlpatterns = [
    path("bench/post/<int:sql>/<int:redis>/", post_floor),
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/redis/<int:n>/", cache_reads),
    path("bench/sql/<int:n>/", sql_reads),
    path("", include("cchc_portal.urls")),
]
