"""Spam guard without a captcha: a honeypot field and per-address rate limits
(core/ratelimit.py: the client's address behind TRUSTED_PROXY_COUNT proxies, counted in
the cache). When the cache is down the guard fails OPEN — a parent's feedback matters
more than a few spam messages."""
from core import ratelimit

# (window in seconds, most sends from one address in it)
LIMITS = ((10 * 60, 5), (24 * 60 * 60, 20))
HONEYPOT_FIELD = "website"


def allow_send(request) -> bool:
    """Count one send from this client; False when a limit is exceeded."""
    return ratelimit.allows(request, scope="feedback", limits=LIMITS)
