"""The Redis channel layer as production configures it: an idle websocket stays open."""

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from channels_redis.core import RedisChannelLayer

from notifications.services import SEND_BATCH

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"  # the test only waits on a fresh channel; it writes nothing

SCRIPT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.CHANNEL_LAYERS["default"]))
"""


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _layer_settings() -> dict:
    """CHANNEL_LAYERS["default"] as the settings build it with REDIS_URL set (read in a fresh
    interpreter: the test process runs on the in-memory layer)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(BASE_DIR / "platform") + os.pathsep + str(BASE_DIR),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not _redis_running(), reason="Redis is not running on 127.0.0.1:6379")
async def test_an_idle_receive_outlasts_the_blocking_pop_without_a_redis_timeout():
    """A consumer with nothing to receive waits in BZPOPMIN for brpop_timeout (5 s). With
    redis-py 8's default socket timeout of 5 s that read raised redis TimeoutError and closed
    every idle websocket; now only this test's own wait ends it."""
    config = _layer_settings()
    assert config["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    layer = RedisChannelLayer(**config["CONFIG"])
    try:
        channel = await layer.new_channel()
        with pytest.raises(TimeoutError):  # asyncio's, not redis.exceptions.TimeoutError
            await asyncio.wait_for(layer.receive(channel), timeout=layer.brpop_timeout + 2)
    finally:
        await layer.close_pools()


@pytest.mark.skipif(not _redis_running(), reason="Redis is not running on 127.0.0.1:6379")
async def test_a_fan_out_to_more_sockets_than_one_process_queue_holds_by_default_loses_nothing():
    """All websockets of one worker process share one Redis queue, and channels_redis drops
    what exceeds its capacity (100 by default) without an error: a reply in a thread with 500
    watchers lost 16 % of its live pushes in the benchmark. The layer's capacity covers that."""
    config = _layer_settings()
    layer = RedisChannelLayer(**{**config["CONFIG"], "prefix": "fanout-test"})
    try:
        channels = [await layer.new_channel() for _ in range(600)]
        for index, channel in enumerate(channels):
            await layer.group_add(f"user.fanout-{index}", channel)
        for start in range(0, 600, SEND_BATCH):  # as notifications.services.send_to_users sends
            await asyncio.gather(
                *(
                    layer.group_send(f"user.fanout-{index}", {"type": "notify.new", "ids": [index]})
                    for index in range(start, start + SEND_BATCH)
                )
            )
        received = await asyncio.wait_for(asyncio.gather(*(layer.receive(channel) for channel in channels)), timeout=10)
        assert [message["ids"] for message in received] == [[index] for index in range(600)]
    finally:
        await layer.flush()
        await layer.close_pools()
