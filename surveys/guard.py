"""Ballot-stuffing guard for the open surveys, built so that a hundred parents behind
the school's one Wi-Fi address are never locked out:

* a signed cookie per area on the phone that answered (a repeat from the same browser
  is thanked, not counted);
* short-lived counters per network address in the cache (Redis), keyed by a keyed
  hash of the address so not even the cache holds it, generous enough for a parents'
  meeting and never stored with the answer; when the cache is down the guard fails
  OPEN — a parent's answer matters more than a perfect count;
* a honeypot field that people never see and bots fill in;
* a signed start time: a form sent back faster than a person can tap is asked to
  confirm (a person just sends again; nothing they chose is lost).
"""
import time

from django.conf import settings
from django.core import signing

from core import ratelimit

HONEYPOT_FIELD = "website"
COOKIE_PREFIX = "cchc_survey_"
COOKIE_MAX_AGE = 7 * 24 * 3600
COOKIE_SALT = "surveys.answered"
STARTED_SALT = "surveys.started"
MIN_SECONDS = 2


def address_allows(request, *, unit_id: int) -> bool:
    """Count one answer from this client for the unit in every window of
    SURVEY_ADDRESS_LIMITS (core/ratelimit.py); False when a window is full. Any cache
    error lets the answer through (fail open: never lose a parent's answer)."""
    return ratelimit.allows(request, scope="survey", per=str(unit_id), limits=settings.SURVEY_ADDRESS_LIMITS)


def cookie_name(unit_id: int, area_key: str) -> str:
    return f"{COOKIE_PREFIX}{unit_id}_{area_key.replace('-', '_')}"


def has_answered_cookie(request, *, unit_id: int, area_key: str) -> bool:
    name = cookie_name(unit_id, area_key)
    try:
        return request.get_signed_cookie(name, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE) == "1"
    except (KeyError, signing.BadSignature):
        return False


def set_answered_cookie(response, *, unit_id: int, area_key: str):
    response.set_signed_cookie(
        cookie_name(unit_id, area_key), "1", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def too_fast(token: str) -> bool:
    """True for a missing/forged start stamp or a form sent back in under MIN_SECONDS."""
    try:
        started = signing.loads(token or "", salt=STARTED_SALT, max_age=24 * 3600)
    except signing.SignatureExpired:
        return False  # a page left open overnight: a person, not a script
    except signing.BadSignature:
        return True
    return time.time() - started < MIN_SECONDS


def honeypot_filled(data) -> bool:
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
