"""Django's Redis cache with one connection pool per server process.

Django keeps a cache object per asynchronous context, and under ASGI every request is a
context of its own: with the stock backend each request built a new RedisCache, a new
connection pool and a new TCP connection to Redis (connect, two CLIENT SETINFO round trips,
and redis-py's package metadata lookup), only to read the session. That was about a third of
the server's time for a small logged-in page (docs/benchmarks.md). Here all cache objects of
a process share one thread-safe pool per server address; redis-py resets a pool it finds in a
forked child. They share one client per pool as well: a redis-py client takes its connections
from the pool for each command, and building one cost 50 µs on every cache access.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict[tuple, object] = {}
_clients: dict[object, object] = {}
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        server = self._servers[self._get_connection_pool_index(write)]
        key = (
            server,
            self._pool_class,
            tuple(sorted((name, repr(value)) for name, value in self._pool_options.items())),
        )
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(server, **self._pool_options)
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(pool)
        if client is None:
            client = _clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
