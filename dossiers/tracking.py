"""Public tracking (/track/, /track/<code>/): status and dates for the applicant, no
personal data beyond initials. The QR link carries the secret; a code typed by hand
needs the last four digits of the phone.

Limits, built so that the parents behind a school's one Wi-Fi address are never
locked out, while the guessable path stays closed to guessers:

* the QR link (code + a secret nobody can guess) only meets a generous flood guard per
  network address (QR_LIMIT);
* a typed lookup (code + four digits, ten thousand possibilities) has a strict limit
  per CODE: after CODE_FAILURES wrong digits in an hour, typed lookups of that code
  pause (its owner still has the QR link and the unit's phone), plus a moderate limit
  per address (TYPED_LIMIT) against one guesser walking many codes.

Counters live in the cache (Redis) under a keyed hash, never the address or code
itself. Every limit fails OPEN: if the cache is down a parent can still see their
dossier; the secret and the four digits still protect it."""
import logging

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import ratelimit
from dossiers import selectors
from dossiers.forms import TrackForm

log = logging.getLogger(__name__)
# (window in seconds, lookups allowed in it)
QR_LIMIT = (600, 300)  # QR links opened per address: a flood guard only
TYPED_LIMIT = (600, 60)  # typed lookups per address
CODE_FAILURES = (3600, 5)  # wrong phone digits per code, then typed lookups of it pause


def _address_allows(request, path: str, limit: tuple[int, int]) -> bool:
    """Count one lookup of ``path`` ("qr" or "typed") from this client (core/ratelimit.py);
    False when it used up its window. Fails open."""
    return ratelimit.allows(request, scope=f"track-{path}", limits=(limit,))


def _code_key(code: str) -> str:
    return f"track-code-fail:{ratelimit.hashed(code.strip().upper())}"


def code_locked(code: str) -> bool:
    """True when the code had CODE_FAILURES wrong digits within the hour. Fails open."""
    try:
        return ratelimit.current(_code_key(code)) >= CODE_FAILURES[1]
    except Exception:  # noqa: BLE001 - cache down: fail open
        log.warning("tracking failure counter unavailable (cache down)")
        return False


def _count_failure(code: str) -> None:
    try:
        ratelimit.count((_code_key(code), CODE_FAILURES[0]))
    except Exception:  # noqa: BLE001 - cache down: fail open
        log.warning("tracking failure counter unavailable (cache down)")


@never_cache
def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if not _address_allows(request, "typed", TYPED_LIMIT):
            return render(request, "dossiers/track.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if code_locked(code):
                return render(request, "dossiers/track.html", {"form": form, "code_locked": True}, status=429)
            dossier = selectors.tracking_view(code=code, phone_last4=form.cleaned_data["phone"])
            if dossier is not None:
                return _show(request, dossier)
            _count_failure(code)
            form.add_error(None, _("No dossier matches this code and phone number."))
    return render(request, "dossiers/track.html", {"form": form})


@never_cache
def track_detail(request, code):
    secret = request.GET.get("s", "")
    if not secret:  # a typed link: ask for the phone digits
        return render(request, "dossiers/track.html", {"form": TrackForm(initial={"code": code})})
    if not _address_allows(request, "qr", QR_LIMIT):
        return render(request, "dossiers/track.html", {"form": TrackForm(initial={"code": code}), "limited": True}, status=429)
    dossier = selectors.tracking_view(code=code, secret=secret)
    if dossier is None:
        form = TrackForm(initial={"code": code})
        return render(request, "dossiers/track.html", {"form": form, "not_found": True}, status=404)
    return _show(request, dossier, secret=secret)


def _show(request, dossier: selectors.TrackedView, secret=""):
    # Electronic results are downloaded through the private link only, never by code
    # and phone digits alone.
    # Jinja2 in the frame of public_base.html (docs/decisions/public-frame.md): the page parents
    # open from the QR code, many at once.
    return render(request, "dossiers/track_detail.html", {"dossier": dossier, "secret": secret}, using="jinja2")
