"""Public tracking (/track/, /track/<code>/): status and dates for the applicant, no
personal data beyond initials. The QR link carries the secret; a code typed by hand
needs the last four digits of the phone. Lookups are rate limited per address."""
import logging

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dossiers import selectors
from dossiers.forms import TrackForm

log = logging.getLogger(__name__)
LIMIT = 20  # lookups per address
WINDOW = 600  # seconds


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request) -> bool:
    """True when this address used up its lookups. Fails open: if the cache (Redis) is
    down a parent can still see their dossier; the secret still protects it."""
    key = f"track-rate:{_client_ip(request)}"
    try:
        added = cache.add(key, 1, WINDOW)
        count = 1 if added else cache.incr(key)
    except Exception:  # noqa: BLE001 - cache down: fail open
        log.warning("tracking rate limit unavailable (cache down)")
        return False
    return count > LIMIT


@never_cache
def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request):
            return render(request, "dossiers/track.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            dossier = selectors.tracked_dossier(code=form.cleaned_data["code"], phone_last4=form.cleaned_data["phone"])
            if dossier is not None:
                return _show(request, dossier)
            form.add_error(None, _("No dossier matches this code and phone number."))
    return render(request, "dossiers/track.html", {"form": form})


@never_cache
def track_detail(request, code):
    secret = request.GET.get("s", "")
    if not secret:  # a typed link: ask for the phone digits
        return render(request, "dossiers/track.html", {"form": TrackForm(initial={"code": code})})
    if rate_limited(request):
        return render(request, "dossiers/track.html", {"form": TrackForm(initial={"code": code}), "limited": True}, status=429)
    dossier = selectors.tracked_dossier(code=code, secret=secret)
    if dossier is None:
        form = TrackForm(initial={"code": code})
        return render(request, "dossiers/track.html", {"form": form, "not_found": True}, status=404)
    return _show(request, dossier)


def _show(request, dossier):
    return render(request, "dossiers/track_detail.html", {
        "dossier": dossier, "apology": selectors.apology_of(dossier),
        "steps": selectors.events_of(dossier).exclude(action__in=("apology_warning",)),
    })
