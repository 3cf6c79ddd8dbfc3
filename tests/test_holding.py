"""Quiet hours and digests: alerts are held, then released as one summary; breaking items pass
if the chat allows it. Real Redis, and a real PTB Bot talking to the Bot API stand-in."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from factories import make_item

from bot.delivery import GROUP, Delivery
from bot.schedule import ScheduleError, digest_due, in_quiet_hours, local_minutes, parse_quiet, parse_timezone
from bot.streams import ensure_group
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.models import Item
from jobs.publish import publish


def test_quiet_hours_parsing_and_wraparound():
    assert parse_quiet("23:00-07:00") == (1380, 420)
    assert parse_quiet("9-17") == (540, 1020)
    for bad in ("", "25:00-07:00", "23:00", "07:00-07:00", "x" * 500):
        with pytest.raises(ScheduleError):
            parse_quiet(bad)
    midnight_beirut = datetime(2026, 11, 27, 22, 0, tzinfo=UTC).timestamp()  # 00:00 in Beirut (UTC+2)
    assert local_minutes(midnight_beirut, "Asia/Beirut") == 0
    assert in_quiet_hours(midnight_beirut, "Asia/Beirut", 1380, 420)
    assert not in_quiet_hours(midnight_beirut, "Asia/Beirut", 540, 1020)
    assert not in_quiet_hours(midnight_beirut, "Asia/Beirut", -1, -1)


def test_timezones_and_digest_periods():
    assert parse_timezone("Asia/Beirut") == "Asia/Beirut"
    for bad in ("", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x" * 100):
        with pytest.raises(ScheduleError):
            parse_timezone(bad)
    assert digest_due(1000, 0, "off")
    assert not digest_due(1000, 0, "hourly") and digest_due(3700, 0, "hourly")
    assert not digest_due(80000, 0, "daily") and digest_due(90000, 0, "daily")


def item(key: str, title: str, breaking: bool = False) -> Item:
    return make_item(title, key, source_name="Src", regions=["Asia"], breaking=breaking)


async def test_held_in_quiet_hours_then_released_as_one_summary(redis, botapi, bot):
    keys = Keys()
    subs = Subscriptions(redis, keys)
    minute = local_minutes(time.time(), "UTC")
    quiet = {"quiet_start": (minute - 30) % 1440, "quiet_end": (minute + 30) % 1440}
    for chat_id, override in ((11, 0), (12, 1)):
        await subs.touch(chat_id, "private")
        await subs.set_fields(chat_id, override=override, **quiet)
    await publish(redis, keys, [item("a", "Quake hits Tokyo"), item("b", "Typhoon nears Manila", breaking=True)])
    await ensure_group(redis, keys.outbox, GROUP)
    for chat_id in (11, 12):
        for key, brk in (("a", 0), ("b", 1)):
            await redis.xadd(keys.outbox, {"chat": chat_id, "story": key, "item": key, "update": 0, "breaking": brk})
    delivery = Delivery(redis, keys, bot, subs, "t")
    await delivery.step()
    # chat 11 holds both; chat 12 lets the breaking one through
    assert botapi.messages_to(11) == []
    assert len(botapi.messages_to(12)) == 1 and "Typhoon" in botapi.messages_to(12)[0]
    assert await redis.llen("nb:held:11") == 2 and await redis.llen("nb:held:12") == 1
    assert await delivery.release_held(time.time()) == 0  # still quiet: nothing released
    await subs.set_fields(11, quiet_start=-1, quiet_end=-1)
    assert await delivery.release_held(time.time()) == 1
    summary = botapi.messages_to(11)
    assert len(summary) == 1 and "Quake hits Tokyo" in summary[0] and "Typhoon nears Manila" in summary[0]
    assert await redis.llen("nb:held:11") == 0 and not await redis.sismember("nb:held:chats", "11")
    # the held story is claimed: a replay of the outbox entry sends nothing more
    await redis.xadd(keys.outbox, {"chat": 11, "story": "a", "item": "a", "update": 0, "breaking": 0})
    await delivery.step()
    assert len(botapi.messages_to(11)) == 1


async def test_digest_collects_until_its_period(redis, botapi, bot):
    keys = Keys()
    subs = Subscriptions(redis, keys)
    await subs.touch(21, "private")
    await subs.set_fields(21, digest="hourly", last_digest=time.time())
    await publish(redis, keys, [item(f"k{i}", f"Headline number {i} from Seoul") for i in range(60)])
    await ensure_group(redis, keys.outbox, GROUP)
    for i in range(60):
        await redis.xadd(keys.outbox, {"chat": 21, "story": f"k{i}", "item": f"k{i}", "update": 0, "breaking": 0})
    delivery = Delivery(redis, keys, bot, subs, "t")
    while await delivery.step():
        pass
    assert botapi.messages_to(21) == [] and await redis.llen("nb:held:21") == 60
    assert await delivery.release_held(time.time() + 600) == 0
    assert await delivery.release_held(time.time() + 3700) >= 1
    text = "\n".join(botapi.messages_to(21))
    assert all(f"Headline number {i} from Seoul" in text for i in range(60))
    assert all(len(t) <= 4096 for t in botapi.messages_to(21))
