"""The portal's URLs plus the trivial reference view (bench settings only)."""
from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The cheapest Django answer: the reference for every page figure."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("cchc_portal.urls")),
]
