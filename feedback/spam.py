"""Spam guard without a captcha: a honeypot field and per-address rate limits held
in the Django cache (Redis). When the cache is down the guard fails OPEN — a parent's
feedback matters more than a few spam messages."""
import hashlib
import logging

from django.core.cache import cache

log = logging.getLogger(__name__)

# (window in seconds, most sends from one address in it)
LIMITS = ((10 * 60, 5), (24 * 60 * 60, 20))
HONEYPOT_FIELD = "website"


def client_address(request) -> str:
    # Behind the proxy of docker-compose, the client is the first X-Forwarded-For hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else "") or request.META.get("REMOTE_ADDR", "")


def _key(address: str, window: int) -> str:
    # Only a hash of the address is kept, and only for the window.
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"feedback:rate:{window}:{digest}"


def allow_send(address: str) -> bool:
    """Count one send from ``address``; False when a limit is exceeded."""
    try:
        allowed = True
        for window, limit in LIMITS:
            key = _key(address, window)
            cache.add(key, 0, timeout=window)
            if cache.incr(key) > limit:
                allowed = False
        return allowed
    except Exception:  # noqa: BLE001 - cache down: fail open, the form still works
        log.warning("feedback rate limit skipped: cache unavailable", exc_info=True)
        return True
