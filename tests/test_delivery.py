"""The sender loop against real Redis and the Bot API stand-in: a busy group never holds up
other chats, and a chat that leaves while its alert waits for a turn is not sent to."""

from __future__ import annotations

import asyncio
import time

from factories import make_item
from telegram import Bot
from telegram.ext import ExtBot

from bot.delivery import GROUP, Delivery
from bot.flood import FloodControl
from bot.metrics import Metrics
from bot.ratelimit import FloodRateLimiter
from bot.streams import ensure_group
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.publish import publish


async def _queue(redis, keys: Keys, chat_id: int, story: str) -> None:
    await redis.xadd(keys.outbox, {"chat": chat_id, "story": story, "item": story, "update": 0, "breaking": 0})


async def _quake_queued_for(redis, keys: Keys, subs: Subscriptions, chat_ids) -> None:
    """One story, and an outbox entry for each of these private chats."""
    await publish(redis, keys, [make_item("Quake hits Tokyo", "q1")])
    await ensure_group(redis, keys.outbox, GROUP)
    for chat_id in chat_ids:
        await subs.touch(chat_id, "private")
        await _queue(redis, keys, chat_id, "q1")


async def _one_step(redis, keys: Keys, subs: Subscriptions, bot: Bot) -> Delivery:
    """A sender that reads one batch and sees every send in it through."""
    delivery = Delivery(redis, keys, bot, subs, "t")
    await delivery.step()
    return delivery


async def test_a_busy_group_does_not_hold_up_other_chats(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    stories = [f"s{n}" for n in range(3)]
    await publish(redis, keys, [make_item(f"Story number {n}", key) for n, key in enumerate(stories)])
    await ensure_group(redis, keys.outbox, GROUP)
    group, people = -5001, list(range(501, 506))
    await subs.touch(group, "group")
    for story in stories:  # three alerts for one group: 20 a minute means one every 3 s
        await _queue(redis, keys, group, story)
    for chat_id in people:
        await subs.touch(chat_id, "private")
        await _queue(redis, keys, chat_id, "s0")
    stop = asyncio.Event()
    delivery = Delivery(redis, keys, bot, subs, "t", max_in_flight=4)
    runner = asyncio.create_task(delivery.run(stop))
    try:
        for _ in range(200):
            if all(botapi.messages_to(chat_id) for chat_id in people):
                break
            await asyncio.sleep(0.05)
        assert all(botapi.messages_to(chat_id) for chat_id in people)
        assert len(botapi.messages_to(group)) < 3  # the group's last alert is still waiting its turn
        for _ in range(200):
            if len(botapi.messages_to(group)) == 3:
                break
            await asyncio.sleep(0.05)
        assert len(botapi.messages_to(group)) == 3
    finally:
        stop.set()
        await runner
    assert (await redis.xpending(keys.outbox, GROUP))["pending"] == 0


async def test_a_chat_that_leaves_while_waiting_is_not_sent_to(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    await _quake_queued_for(redis, keys, subs, (601,))
    flood = FloodControl(redis, keys)
    await flood.acquire(601)  # the chat just had a message: this alert waits about a second
    delivery = Delivery(redis, keys, bot, subs, "t", flood=flood)
    step = asyncio.create_task(delivery.step())
    await asyncio.sleep(0.3)
    await subs.deactivate(601, "forbidden: bot was blocked by the user")
    await step
    assert botapi.messages_to(601) == []
    assert delivery.stats.skipped == 1 and delivery.stats.sent == 0
    assert (await redis.xpending(keys.outbox, GROUP))["pending"] == 0


async def test_bad_gateways_are_tried_again_then_left_for_a_later_retry(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    botapi.state.failures = {701: 2, 702: 5}  # 701 recovers on the third try, 702 does not
    await _quake_queued_for(redis, keys, subs, (701, 702))
    delivery = await _one_step(redis, keys, subs, bot)
    assert len(botapi.messages_to(701)) == 1 and botapi.messages_to(702) == []
    assert delivery.stats.sent == 1 and delivery.stats.failed == 1
    assert botapi.state.failures[702] == 2  # three tries, then it waits for the outbox's retry
    pending = await redis.xpending_range(keys.outbox, GROUP, min="-", max="+", count=10)
    assert len(pending) == 1  # 702's entry stays, to be reclaimed later
    assert not await redis.exists(keys.sent_claim(702, "q1"))  # and nothing stops that retry


async def test_only_entries_every_sender_is_done_with_are_trimmed(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    botapi.state.failures = {903: 99}  # 903's alert keeps failing: it stays pending
    await _quake_queued_for(redis, keys, subs, range(901, 906))
    delivery = await _one_step(redis, keys, subs, bot)
    await _queue(redis, keys, 906, "q1")  # not read by anyone yet
    assert await delivery.trim() == 2  # 901 and 902: sent and acknowledged, before anything pending
    left = [int(fields["chat"]) for _, fields in await redis.xrange(keys.outbox)]
    assert left == [903, 904, 905, 906]


async def test_a_429_on_an_alert_is_counted_once_through_the_bots_rate_limiter(redis, botapi):
    """In the application the bot has our rate limiter; the delivery loop, not the limiter,
    handles an alert's 429, so it is counted (and the chat paused) once."""
    keys, subs, metrics = Keys(), Subscriptions(redis, Keys()), Metrics()
    await _quake_queued_for(redis, keys, subs, (951,))
    botapi.state.strict = True
    botapi.state.last_send[951] = time.monotonic()  # Telegram saw a message to 951 just now
    flood = FloodControl(redis, keys)
    bot = ExtBot(botapi.token, base_url=botapi.base_url, rate_limiter=FloodRateLimiter(flood, metrics))
    await bot.initialize()
    try:
        delivery = Delivery(redis, keys, bot, subs, "t", metrics=metrics, flood=flood)
        await delivery.step()
    finally:
        await bot.shutdown()
    assert botapi.state.too_many == 1 and delivery.stats.failed == 1
    assert "\nnewsbot_telegram_429_total 1.0\n" in await metrics.render()


async def _scans(redis) -> int:
    return (await redis.info("commandstats")).get("cmdstat_scan", {}).get("calls", 0)


async def test_stop_forgets_a_chats_claims_without_scanning_the_keyspace(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    await _quake_queued_for(redis, keys, subs, (961, 962))
    await _one_step(redis, keys, subs, bot)
    await publish(redis, keys, [make_item("Quake toll rises to 12", "q1u", story="q1", update=True)])
    for chat_id in (961, 962):
        await redis.xadd(keys.outbox, {"chat": chat_id, "story": "q1", "item": "q1u", "update": 1, "breaking": 0})
    await _one_step(redis, keys, subs, bot)
    assert len(botapi.messages_to(961)) == 2  # the alert, and the update threaded under it
    claims = [keys.sent_claim(961, "q1"), keys.sent_update(961, "q1u")]
    assert sorted(await redis.zrange(keys.chat_claims(961), 0, -1)) == sorted(claims)
    await redis.mset({f"unrelated:{n}": n for n in range(2000)})
    scans = await _scans(redis)
    await subs.forget(961)
    assert await _scans(redis) == scans  # O(the chat's own keys), not O(every key in Redis)
    assert await redis.exists(*claims, keys.chat_claims(961)) == 0
    assert [k async for k in redis.scan_iter("nb:sent:961:*")] == []
    assert await redis.exists(keys.sent_claim(962, "q1"), keys.sent_update(962, "q1u")) == 2  # others untouched
