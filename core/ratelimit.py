"""The client's address and short-lived counters in the cache (Redis): the one way the
public pages and forms (tracking, surveys, feedback, every new public form) limit a client.

``allows(request, scope=..., limits=...)`` is what a view calls: one hit of this client's
address in each (window seconds, hits allowed), False when a window is full, True when
the cache is down (public pages fail OPEN: a parent's answer matters more than a perfect
count). The address is ``client_address`` (TRUSTED_PROXY_COUNT), kept only as a keyed hash.

``count`` adds one hit to each key — a fixed window that starts with the key's first
hit — and returns the new totals. On Django's Redis backend all the keys take one
command, a small Lua script run by ``EVALSHA``: ``INCR`` each key and give a new key its
window with ``EXPIRE``, atomically in Redis, so a key never lives without its window. It is
one round trip, as the ``SET NX EX`` + ``INCR`` pipeline it replaced, with a third fewer
instructions in the web process (one command to send and one reply to parse, not two
of each; docs/decisions/web-throughput.md). Any other backend gets ``add``/``incr``.

Callers decide what a cache error means; the public pages fail OPEN (see callers)."""
import hashlib
import hmac
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError

log = logging.getLogger(__name__)

# KEYS: the counters; ARGV: their windows in seconds, in the same order. Returns the totals.
_COUNT = """local totals = {}
for i, key in ipairs(KEYS) do
  local total = redis.call('INCR', key)
  if total == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  totals[i] = total
end
return totals"""
_COUNT_SHA = hashlib.sha1(_COUNT.encode()).hexdigest()  # noqa: S324 - Redis names its scripts by SHA-1


def client_address(request) -> str:
    """The address of the client behind TRUSTED_PROXY_COUNT reverse proxies: REMOTE_ADDR
    when none; else the n-th address from the right of X-Forwarded-For, the one the
    outermost trusted proxy saw. Entries further left are the client's own words (any
    client can send the header), so they never count; a header shorter than the chain
    of proxies falls back to REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hashed(value: str) -> str:
    """A keyed hash of a network address (the cache never holds the address itself)."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:24]


def count(*keys: tuple[str, int]) -> list[int]:
    """Add one hit to each (key, window seconds); the totals, in order. Raises when the
    cache is unreachable."""
    backend = caches["default"]
    client_of = getattr(getattr(backend, "_cache", None), "get_client", None)
    if isinstance(backend, RedisCache) and client_of is not None:
        names = [backend.make_and_validate_key(key) for key, _window in keys]
        client = client_of(names[0], write=True)
        windows = [window for _key, window in keys]
        try:
            return client.evalsha(_COUNT_SHA, len(names), *names, *windows)
        except NoScriptError:  # the first count since Redis started (or SCRIPT FLUSH): EVAL loads it
            return client.eval(_COUNT, len(names), *names, *windows)
    totals = []
    for key, window in keys:
        totals.append(1 if backend.add(key, 1, window) else backend.incr(key))
    return totals


def current(key: str) -> int:
    """The key's total without adding to it (0 when absent). Raises when the cache is down."""
    return int(caches["default"].get(key) or 0)


def forget(key: str) -> None:
    caches["default"].delete(key)


def allows(request, *, scope: str, limits: Iterable[tuple[int, int]], per: str = "") -> bool:
    """Count one hit of this client in ``scope`` (and ``per``, e.g. a unit) for every
    (window seconds, hits allowed) of ``limits``; False when any window is full. Each
    window starts with its first hit. Fails open: the cache down, the hit is allowed."""
    limits = tuple(limits)
    address = hashed(client_address(request))
    try:  # every window counted in one round trip to Redis
        totals = count(*((f"rate:{scope}:{per}:{window}:{address}", window) for window, _allowed in limits))
    except Exception:  # noqa: BLE001 - cache down or flaky: fail open
        log.warning("%s rate limit unavailable (cache down); allowed", scope)
        return True
    return all(total <= allowed for total, (_window, allowed) in zip(totals, limits, strict=True))
