"""Channel layers: one for a single process (the default), one over Redis for several workers.

``LocalChannelLayer`` is Channels' in-memory layer, made cheap for big groups.

Same contract as ``channels.layers.InMemoryChannelLayer`` (at most once, per-channel capacity,
messages expire, an expired message drops its channel from every group). What it does not do
is pay per member for each group message: Channels' version starts a task and copies the
message for every member, and scans every channel's queue for expired messages on every send
and receive. One note to a 200-socket board cost 200 tasks, 200 deep copies and 40,000 queue
checks; at 20 notes/s one worker fell minutes behind (docs/benchmarks.md).

Here a group message is copied once and shared by its members (consumers only read messages),
and expired messages are swept at most once a second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, decode_hosts

log = logging.getLogger("flipchart.layers")

SWEEP_EVERY = 1.0  # seconds between sweeps for expired messages


class LocalChannelLayer(InMemoryChannelLayer):
    def __init__(self, capacity=1000, **kwargs):
        super().__init__(capacity=capacity, **kwargs)
        self._swept_at = 0.0

    def _clean_expired(self):
        """Channels calls this on every send and receive; once a second is enough."""
        now = time.monotonic()
        if now - self._swept_at >= SWEEP_EVERY:
            self._swept_at = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        entry = (time.time() + self.expiry, deepcopy(message))  # one copy, shared: read-only
        full = 0
        for channel in list(members):
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
            try:
                queue.put_nowait(entry)
            except asyncio.QueueFull:
                full += 1  # at most once: that consumer catches up from the database
        if full:
            log.warning("group %s: %d of %d members full, dropped", group, full, len(members))


class _Shard(RedisSingleShardConnection):
    """channels-redis's pub/sub connection, telling its sockets when Redis comes back.

    Whatever was published while Redis was away is lost (at most once), and a board may stay
    quiet for a while afterwards. So once the subscription is restored, every socket of this
    worker gets a ``layer.restored`` message and catches up from the database (the consumer's
    ``layer_restored``). tests/scale/test_faults.py stops Redis mid-meeting."""

    async def _do_receiving(self):
        failing = False
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=0.1
                    )
                    if failing:  # read again: redis-py has reconnected and resubscribed
                        failing = False
                        log.warning("Redis is back: this worker's boards catch up")
                        self._tell_every_socket({"type": "layer.restored"})
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception:
                if not failing:
                    log.warning("lost Redis: live updates pause", exc_info=True)
                failing = True
                await asyncio.sleep(0.5)

    def _tell_every_socket(self, message: dict) -> None:
        data = self.channel_layer.channel_layer.serialize(message)
        for queue in self.channel_layer.channels.values():
            queue.put_nowait(data)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, hosts=hosts, **kwargs)
        self._shards = [_Shard(host, self) for host in decode_hosts(hosts)]


class RedisLayer(RedisPubSubChannelLayer):
    """The layer for several workers: Redis pub/sub (one message per board event, whatever
    the number of sockets), with sockets told to catch up after a Redis outage."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
