"""The Redis channel layer with a bulk send for fan-outs and a quicker receive.

A reply in a thread with 500 watchers sends 500 messages, one to each watcher's group.
channels_redis's ``group_send`` costs four round trips per group (expire the group, read its
channels, expire the channels' queues, a Lua script that adds the message), and the sending
worker's Python spent 160–440 ms on the 500 of them in the websocket benchmark: most of the
latency from commit to receipt. ``group_send_many`` does the same work for all groups at once:
one pipeline reads every group, one pipeline expires the queues, one script adds every message.
What reaches a consumer is exactly what ``group_send`` would have put there (the same
serialised message per queue, the same capacity check, the same expiry); written against
channels_redis 4.3 (pinned), whose helpers it uses.
"""

import asyncio
import time
from collections import defaultdict

from channels_redis.core import RedisChannelLayer

# channels_redis's group_send script, for many queues and messages in one call. A queue may
# appear more than once (all websockets of a worker process share one): each occurrence adds
# its own message, and the capacity is checked before each.
SEND_MANY_LUA = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 1]
local expiry = ARGV[#ARGV]
for i=1,#KEYS do
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""
SCRIPT_CHUNK = 1000  # messages per script call

# channels_redis's receive, for a queue that already holds a message, in one round trip: put
# back what an interrupted receive left in the backup queue, pop the oldest message and keep
# it in the backup queue until it has been handed over. Returns nothing for an empty queue.
POP_LUA = """
local backed_up = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = #backed_up, 1, -2 do
    redis.call('ZADD', KEYS[1], backed_up[i], backed_up[i - 1])
end
redis.call('DEL', KEYS[2])
local popped = redis.call('ZPOPMIN', KEYS[1])
if popped[1] then
    redis.call('ZADD', KEYS[2], popped[2], popped[1])
    return popped[1]
end
return false
"""


class PortalRedisChannelLayer(RedisChannelLayer):
    async def group_send_many(self, messages: dict[str, dict]) -> int:
        """Send ``messages[group]`` to every channel of each group; returns how many messages
        were dropped because a queue was full (channels_redis only logs that)."""
        groups_by_host = defaultdict(list)
        for group in messages:
            assert self.require_valid_group_name(group), "Group name not valid"
            groups_by_host[self.consistent_hash(group)].append(group)
        # queue host index -> [(redis key, serialised message, capacity)]
        queued = defaultdict(list)
        for host, groups in groups_by_host.items():
            pipe = self.connection(host).pipeline(transaction=False)
            oldest = int(time.time()) - self.group_expiry
            for group in groups:
                pipe.zremrangebyscore(self._group_key(group), min=0, max=oldest)
                pipe.zrange(self._group_key(group), 0, -1)
            replies = await pipe.execute()
            for group, members in zip(groups, replies[1::2], strict=True):
                if not members:
                    continue
                channel_names = [member.decode("utf8") for member in members]
                by_connection, key_to_message, key_to_capacity = self._map_channel_keys_to_connection(
                    channel_names, messages[group]
                )
                for index, keys in by_connection.items():
                    queued[index].extend((key, key_to_message[key], key_to_capacity[key]) for key in keys)
        dropped = 0
        for index, items in queued.items():
            connection = self.connection(index)
            pipe = connection.pipeline(transaction=False)
            oldest = int(time.time()) - int(self.expiry)
            for key in {key for key, _message, _capacity in items}:
                pipe.zremrangebyscore(key, min=0, max=oldest)
            await pipe.execute()
            # In chunks: Redis runs a script to its end before it serves anyone else.
            for start in range(0, len(items), SCRIPT_CHUNK):
                chunk = items[start : start + SCRIPT_CHUNK]
                args = [message for _key, message, _capacity in chunk]
                args += [capacity for _key, _message, capacity in chunk]
                args += [time.time(), self.expiry]
                keys = [key for key, _message, _capacity in chunk]
                dropped += await connection.eval(SEND_MANY_LUA, len(keys), *keys, *args)
        return dropped

    async def _brpop_with_clean(self, index, channel, timeout):
        """One message of ``channel``, as channels_redis's own receive does it, but a message
        that is already waiting costs one round trip instead of three (clean-up script,
        BZPOPMIN, backup ZADD). A worker with 250 websockets in a fan-out pops 250 messages in a
        row; only an empty queue falls back to the blocking pop."""
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            # Cancelled while a previous pop was blocked: redis-py's read timeout (asyncio.timeout
            # on Python 3.11) can swallow the cancellation, and channels_redis would then pop
            # again and again, keeping a closed socket's receive alive for good.
            raise asyncio.CancelledError
        connection = self.connection(index)
        member = await connection.eval(POP_LUA, 2, channel, self._backup_channel_name(channel))
        if member is not None:
            return member
        return await super()._brpop_with_clean(index, channel, timeout)
