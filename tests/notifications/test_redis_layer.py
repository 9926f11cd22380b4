"""The Redis channel layer as production configures it: an idle websocket stays open, and a
fan-out in one bulk send delivers what one group_send per group would."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notifications.layers import PortalRedisChannelLayer
from tests.servers import needs_redis

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"  # the test only waits on a fresh channel; it writes nothing

SCRIPT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.CHANNEL_LAYERS["default"]))
"""


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


@needs_redis
async def test_an_idle_receive_outlasts_the_blocking_pop_without_a_redis_timeout():
    """A consumer with nothing to receive waits in BZPOPMIN for brpop_timeout (5 s). With
    redis-py 8's default socket timeout of 5 s that read raised redis TimeoutError and closed
    every idle websocket; now only this test's own wait ends it."""
    config = _layer_settings()
    assert config["BACKEND"] == "notifications.layers.PortalRedisChannelLayer"
    layer = PortalRedisChannelLayer(**config["CONFIG"])
    try:
        channel = await layer.new_channel()
        with pytest.raises(TimeoutError):  # asyncio's, not redis.exceptions.TimeoutError
            await asyncio.wait_for(layer.receive(channel), timeout=layer.brpop_timeout + 2)
    finally:
        await layer.close_pools()


@needs_redis
async def test_a_fan_out_to_more_sockets_than_one_process_queue_holds_by_default_loses_nothing():
    """All websockets of one worker process share one Redis queue, and channels_redis drops
    what exceeds its capacity (100 by default) without an error: a reply in a thread with 500
    watchers lost 16 % of its live pushes in the benchmark. The layer's capacity covers that,
    and the bulk send puts every group's own message on the shared queue."""
    config = _layer_settings()
    layer = PortalRedisChannelLayer(**{**config["CONFIG"], "prefix": "fanout-test"})
    try:
        channels = [await layer.new_channel() for _ in range(600)]  # one process: one queue
        for index, channel in enumerate(channels):
            await layer.group_add(f"user.fanout-{index}", channel)
        second_tab = await layer.new_channel()
        await layer.group_add("user.fanout-7", second_tab)
        messages = {f"user.fanout-{index}": {"type": "notify.new", "ids": [index]} for index in range(600)}
        messages["user.nobody-online"] = {"type": "notify.new", "ids": [-1]}
        assert await layer.group_send_many(messages) == 0
        received = await asyncio.wait_for(
            asyncio.gather(*(layer.receive(channel) for channel in [*channels, second_tab])), timeout=10
        )
        assert [message["ids"] for message in received] == [[index] for index in range(600)] + [[7]]
        with pytest.raises(TimeoutError):  # nothing else arrived: each message exactly once
            await asyncio.wait_for(layer.receive(channels[0]), timeout=0.5)
    finally:
        await layer.flush()
        await layer.close_pools()


@needs_redis
async def test_the_bulk_send_keeps_the_queue_capacity_and_reports_what_it_dropped():
    config = _layer_settings()
    layer = PortalRedisChannelLayer(**{**config["CONFIG"], "prefix": "capacity-test", "capacity": 5})
    try:
        channels = [await layer.new_channel() for _ in range(8)]
        for index, channel in enumerate(channels):
            await layer.group_add(f"user.cap-{index}", channel)
        dropped = await layer.group_send_many({f"user.cap-{i}": {"type": "notify.new", "ids": [i]} for i in range(8)})
        assert dropped == 3
        delivered = 0
        for channel in channels:
            try:
                await asyncio.wait_for(layer.receive(channel), timeout=0.3)
                delivered += 1
            except TimeoutError:
                pass
        assert delivered == 5
    finally:
        await layer.flush()
        await layer.close_pools()


@needs_redis
async def test_waiting_messages_arrive_in_order_in_one_round_trip_each_and_leave_no_backup():
    config = _layer_settings()
    layer = PortalRedisChannelLayer(**{**config["CONFIG"], "prefix": "pop-test"})
    try:
        channel = await layer.new_channel()
        for number in range(5):
            await layer.send(channel, {"type": "notify.new", "ids": [number]})
        connection = layer.connection(layer.consistent_hash(channel))
        calls = []
        original_eval, original_bzpopmin = connection.eval, connection.bzpopmin

        async def counting_eval(*args, **kwargs):
            calls.append("eval")
            return await original_eval(*args, **kwargs)

        async def counting_bzpopmin(*args, **kwargs):
            calls.append("bzpopmin")
            return await original_bzpopmin(*args, **kwargs)

        connection.eval, connection.bzpopmin = counting_eval, counting_bzpopmin
        received = [await asyncio.wait_for(layer.receive(channel), timeout=2) for _ in range(5)]
        assert [message["ids"] for message in received] == [[0], [1], [2], [3], [4]]
        assert calls == ["eval"] * 5  # no clean-up script, no blocking pop while messages wait
        await asyncio.gather(*layer.receive_cleaners)
        queue = layer.prefix + layer.non_local_name(channel)
        assert await original_eval("return redis.call('ZCARD', KEYS[1])", 1, layer._backup_channel_name(queue)) == 0
    finally:
        await layer.flush()
        await layer.close_pools()


@needs_redis
async def test_a_message_an_interrupted_receive_left_behind_is_delivered_and_an_empty_queue_still_waits():
    config = _layer_settings()
    layer = PortalRedisChannelLayer(**{**config["CONFIG"], "prefix": "pop-test"})
    try:
        channel = await layer.new_channel()
        queue = layer.prefix + layer.non_local_name(channel)
        connection = layer.connection(layer.consistent_hash(channel))
        # What a receive cancelled after its pop leaves: the message in the backup queue only.
        left_behind = layer.serialize({"type": "notify.new", "ids": [41], "__asgi_channel__": channel})
        await connection.zadd(layer._backup_channel_name(queue), {left_behind: 1.0})
        assert (await asyncio.wait_for(layer.receive(channel), timeout=2))["ids"] == [41]

        async def send_later():
            await asyncio.sleep(0.3)
            await layer.send(channel, {"type": "notify.new", "ids": [42]})

        sender = asyncio.ensure_future(send_later())
        assert (await asyncio.wait_for(layer.receive(channel), timeout=3))["ids"] == [42]
        await sender
    finally:
        await layer.flush()
        await layer.close_pools()


@needs_redis
async def test_a_receive_whose_cancellation_was_swallowed_does_not_pop_again():
    """A socket that closes while its receive waits in a blocking pop cancels that receive.
    When the cancellation is lost on the way (redis-py's read timeout on Python 3.11 can
    swallow it), channels_redis pops again in a loop; the layer stops at the next pop instead
    of keeping the closed socket's receive, and its Redis connection, alive for good."""
    layer = PortalRedisChannelLayer(hosts=[REDIS_URL])
    channel = "portal-test-cancelled-receive"

    async def cancelled_then_pop():
        task = asyncio.current_task()
        task.cancel()
        try:
            await asyncio.sleep(0)  # the cancellation arrives here and is swallowed
        except asyncio.CancelledError:
            pass
        assert task.cancelling() == 1
        return await layer._brpop_with_clean(0, layer.prefix + channel, timeout=1)

    with pytest.raises(asyncio.CancelledError):
        await asyncio.create_task(cancelled_then_pop())
    await layer.flush()
