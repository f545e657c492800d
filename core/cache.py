"""Django's Redis cache backend, keeping one client object per connection pool.

Django's ``RedisCacheClient`` wraps its pool in a new ``redis.Redis`` for every cache call,
and redis-py's constructor registers some 170 response callbacks: ~60 µs of CPU, more than
the GET itself on 127.0.0.1. Public pages make one or two cache calls a request (their rate
limits, the unit's page), so the client is kept; a ``redis.Redis`` over a connection pool is
safe to share between threads (docs/decisions/web-throughput.md)."""
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
