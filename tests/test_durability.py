"""A Redis that crashes and comes back (kill -9, then a restart on the same data directory, as
the embedded Redis or compose's AOF Redis would) still has every subscription and every queued
alert, including one a sender had taken but not yet sent; delivery then finishes the job."""

from __future__ import annotations

import asyncio
import os
import signal

from factories import make_item

from bot.delivery import GROUP, Delivery
from bot.redis_server import EmbeddedRedis, connect
from bot.streams import ensure_group, read_group
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.publish import publish


async def test_a_crashed_redis_loses_no_subscription_and_no_queued_alert(tmp_path, botapi, bot):
    keys = Keys()
    server = EmbeddedRedis(tmp_path / "redis")
    redis = connect(server.start())
    subs = Subscriptions(redis, keys)
    await publish(redis, keys, [make_item("Quake hits Tokyo", "q1", regions=["Asia"])])
    await ensure_group(redis, keys.outbox, GROUP)
    for chat_id in (801, 802, 803):
        await subs.touch(chat_id, "private")
        await subs.add_region(chat_id, "Asia")
        await redis.xadd(keys.outbox, {"chat": chat_id, "story": "q1", "item": "q1", "update": 0, "breaking": 0})
    taken = await read_group(redis, keys.outbox, GROUP, "crashed", count=1, block_ms=0, min_idle_ms=30_000)
    assert len(taken) == 1  # a sender took one entry and then died with Redis
    await asyncio.sleep(1.5)  # appendfsync everysec: what is a second old is on disk
    assert server._proc is not None
    os.kill(server._proc.pid, signal.SIGKILL)
    server._proc.wait()
    await redis.aclose()

    redis = connect(server.start())
    subs = Subscriptions(redis, keys)
    try:
        for chat_id in (801, 802, 803):
            chat = await subs.get(chat_id)
            assert chat is not None and chat.regions == {"Asia"}
        assert await redis.xlen(keys.outbox) == 3
        delivery = Delivery(redis, keys, bot, subs, "new")
        await delivery.step()  # the two never taken
        assert sum(1 for c in (801, 802, 803) if botapi.messages_to(c)) == 2
        # the taken one is reclaimed once its sender has been silent long enough
        await redis.xclaim(keys.outbox, GROUP, "crashed", 0, [taken[0][0]], idle=60_000)
        await delivery.step()
        assert all(len(botapi.messages_to(c)) == 1 for c in (801, 802, 803))
        assert (await redis.xpending(keys.outbox, GROUP))["pending"] == 0
    finally:
        await redis.aclose()
        server.stop()
