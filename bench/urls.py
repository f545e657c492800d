"""The portal's URLs plus the trivial reference view (bench settings only)."""
from django.http import HttpResponse
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


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("cchc_portal.urls")),
]
