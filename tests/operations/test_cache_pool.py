"""The Redis cache keeps one connection pool per server process.

Django makes a cache object per asynchronous context, and every ASGI request is one: with the
stock backend each request opened a new TCP connection to Redis only to read its session.
"""

import asyncio
import uuid

from asgiref.sync import sync_to_async

from portal.cache import PortalRedisCache
from tests.servers import needs_redis

REDIS_URL = "redis://127.0.0.1:6379/0"


def _cache():
    return PortalRedisCache(REDIS_URL, {"KEY_PREFIX": "cache-pool-test"})


def test_cache_objects_of_one_process_share_a_connection_pool():
    first, second = _cache(), _cache()
    assert first is not second
    assert first._cache._get_connection_pool(False) is second._cache._get_connection_pool(True)


def test_cache_objects_of_one_process_share_a_client_per_pool():
    first, second = _cache(), _cache()
    assert first._cache.get_client(write=False) is second._cache.get_client(write=True)
    other_db = PortalRedisCache("redis://127.0.0.1:6379/5", {})
    assert other_db._cache.get_client() is not first._cache.get_client()
    assert other_db._cache.get_client().connection_pool is other_db._cache._get_connection_pool(False)


def test_another_server_or_other_options_get_a_pool_of_their_own():
    default = _cache()._cache._get_connection_pool(False)
    other_db = PortalRedisCache("redis://127.0.0.1:6379/5", {})._cache._get_connection_pool(False)
    other_options = PortalRedisCache(REDIS_URL, {"OPTIONS": {"socket_timeout": 3}})._cache._get_connection_pool(False)
    assert len({id(default), id(other_db), id(other_options)}) == 3
    assert other_options.connection_kwargs["socket_timeout"] == 3


@needs_redis
def test_requests_in_their_own_contexts_reuse_the_connections_of_the_pool():
    """Fifty reads, each in a fresh context as an ASGI request runs, need no new connection
    after the first: the pool never holds more than the concurrent reads needed."""
    key = f"session-{uuid.uuid4().hex}"
    _cache().set(key, {"member": 7}, 30)
    pool = _cache()._cache._get_connection_pool(False)

    def opened() -> int:
        # The pool is the process's: earlier tests may have left connections in it.
        return len(pool._available_connections) + len(pool._in_use_connections)

    def read():
        return _cache().get(key)

    async def fifty_requests():
        return [await sync_to_async(read, thread_sensitive=False)() for _ in range(50)]

    before = opened()
    assert before >= 1
    assert asyncio.run(fifty_requests()) == [{"member": 7}] * 50
    assert opened() == before
    _cache().delete(key)
