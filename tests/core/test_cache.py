"""The Redis cache backend keeps one client per pool (core/cache.py) and behaves as Django's."""
import pytest
from django.conf import settings
from django.core.cache import caches

from core import ratelimit


def test_the_portal_uses_it_with_redis():
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"


@pytest.mark.redis
def test_every_call_shares_one_client_and_the_counters_still_count(rf, settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "KEY_PREFIX": "test-cache-client"}}
    cache = caches["default"]
    try:
        assert cache._cache.get_client(write=True) is cache._cache.get_client() is cache._cache.get_client("k")
        cache.set("k", {"a": 1}, 30)
        assert cache.get("k") == {"a": 1} and cache.get_many(["k", "none"]) == {"k": {"a": 1}}
        request = rf.get("/", REMOTE_ADDR="10.0.0.7")
        assert [ratelimit.allows(request, scope="cache-test", limits=[(60, 2)]) for _ in range(3)] == [True, True, False]
    finally:
        cache.clear()


@pytest.mark.redis
def test_replies_are_parsed_by_hiredis(settings):
    """redis-py takes hiredis's C parser when the package is installed (requirements.txt):
    a cache call's Python parsing was a third of its CPU on 127.0.0.1."""
    from redis._parsers import _HiredisParser

    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "KEY_PREFIX": "test-cache-parser"}}
    client = caches["default"]._cache.get_client(write=True)
    connection = client.connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        client.connection_pool.release(connection)


def test_a_stopped_redis_still_fails_open(rf, settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    request = rf.get("/", REMOTE_ADDR="10.0.0.2")
    assert all(ratelimit.allows(request, scope="test", limits=[(60, 0)]) for _ in range(2))


@pytest.mark.redis
def test_a_counter_gets_its_window_at_its_first_hit_and_keeps_it(settings):
    """``count`` is one Lua script (EVALSHA): INCR, and EXPIRE only on the first hit, so a
    window is fixed from its first hit and no counter is ever left without one; after a
    SCRIPT FLUSH (a restarted Redis) it loads the script again."""
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "KEY_PREFIX": "test-cache-window"}}
    cache = caches["default"]
    client = cache._cache.get_client(write=True)
    try:
        assert ratelimit.count(("a", 60), ("b", 600)) == [1, 1]
        name_a, name_b = cache.make_key("a"), cache.make_key("b")
        assert 0 < client.ttl(name_a) <= 60 and 540 < client.ttl(name_b) <= 600
        client.expire(name_a, 30)  # as if 30 s of the window had gone by
        assert ratelimit.count(("a", 60)) == [2]
        assert client.ttl(name_a) <= 30  # a later hit does not start the window again
        client.script_flush()
        assert ratelimit.count(("a", 60), ("b", 600)) == [3, 2]
    finally:
        cache.clear()
