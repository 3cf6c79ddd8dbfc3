"""Flood control shared through Redis: two sender instances together stay within the global
and per-chat budgets (times are given, so the checks are exact), and a strict Bot API stand-in
that answers 429 to a private chat sent to twice within a second never has to, replies to
commands included."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from botprocess import start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until

from bot.config import ConfigError, Settings
from bot.flood import FloodControl, FloodLimits, Priority
from jobs.keys import Keys


async def test_two_instances_share_one_budget(redis):
    limits = FloodLimits(overall_per_second=10, private_per_second=1, group_per_minute=20, margin=1.0, tolerance_ms=0)
    a, b = FloodControl(redis, Keys(), limits), FloodControl(redis, Keys(), limits)
    t = 1_000_000.0
    assert await a.wait_ms(1, t) == 0
    assert await b.wait_ms(1, t + 10) > 0  # same private chat within a second, other instance
    assert await b.wait_ms(1, t + 1000) == 0
    assert await a.wait_ms(2, t + 1000) == 100  # global spacing: 10/s
    assert await b.wait_ms(-5, t + 1100) == 0
    assert await a.wait_ms(-5, t + 2200) > 0  # a group: 20 per minute
    assert await a.wait_ms(-5, t + 4100) == 0
    assert await b.wait_ms(3, t + 4199.6) == 1  # 0.4 ms early: told to wait, not booked
    assert await b.wait_ms(3, t + 4200) == 0
    # over one simulated second, many chats on two instances: at most 10 sends get through
    start, admitted = t + 10_000, 0
    for step in range(1000):
        for chat in range(100, 150):
            limiter = a if chat % 2 else b
            if await limiter.wait_ms(chat, start + step) == 0:
                admitted += 1
    assert admitted == 10


def test_strict_api_never_answers_429(tmp_path, botapi, site, redis_url, clean_redis):
    botapi.state.strict = True
    site.put("/", ticker_page(["An old line from Gaza"]))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "tick", "Tick")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        botapi.send_command(6001, "/subscribe Palestine")
        assert botapi.wait_for(lambda: len(botapi.messages_to(6001)) == 1, 30)
        assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")
        lines = ["Strike on Jabalia camp kills 4", "Settlers torch cars in Huwara", "Raid on Balata camp in Nablus"]
        site.put("/", ticker_page([*lines, "An old line from Gaza"]))
        assert botapi.wait_for(lambda: len(botapi.messages_to(6001)) >= 2, 30)
        botapi.send_command(6001, "/list")  # a reply wanted while alerts are going out
        assert botapi.wait_for(lambda: len(botapi.messages_to(6001)) == 5, 30)
        time.sleep(1)
        sends = sorted(s.at for s in botapi.state.sent if s.chat_id == 6001)
        assert botapi.state.too_many == 0, sends
        # the reply to /subscribe is booked in the same budget as the alerts that follow it
        assert all(later - earlier >= 0.95 for earlier, later in itertools.pairwise(sends))
    finally:
        stop_bot(proc)


def test_limits_come_from_the_environment_and_bad_values_are_refused():
    settings = Settings.from_env({"NEWSBOT_RATE_OVERALL": "25", "NEWSBOT_RATE_MARGIN": "1.1"})
    assert (settings.rate_overall, settings.rate_private, settings.rate_margin) == (25.0, 1.0, 1.1)
    for name, value in (("NEWSBOT_RATE_MARGIN", "0.9"), ("NEWSBOT_RATE_MARGIN", "x"), ("NEWSBOT_RATE_GROUP", "0")):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({name: value})


async def test_replies_go_first_and_a_waiting_chat_does_not_hold_the_line(redis):
    """One process's waiters take the global budget in priority order; a waiter held back by its
    own chat steps aside instead of blocking everyone behind it."""
    limits = FloodLimits(overall_per_second=20, private_per_second=1, group_per_minute=20)
    flood = FloodControl(redis, Keys(), limits)
    await flood.acquire(1)  # chat 1 has just had a message: its next turn is a second away
    order: list[int] = []

    async def send(chat_id: int, priority: Priority) -> None:
        await flood.acquire(chat_id, priority)
        order.append(chat_id)

    tasks = [asyncio.create_task(send(1, Priority.BREAKING))]
    tasks += [asyncio.create_task(send(chat, Priority.ALERT)) for chat in range(100, 106)]
    await asyncio.sleep(0)  # all of them are in line now
    tasks.append(asyncio.create_task(send(7, Priority.REPLY)))
    await asyncio.gather(*tasks)
    assert order.index(7) <= 1  # the reply overtook the alerts queued before it
    assert order[-1] == 1  # chat 1 waited for its own turn, the others went meanwhile
    assert sorted(order[:-1]) == [7, *range(100, 106)]


async def test_cancelled_waiters_leave_the_line(redis):
    flood = FloodControl(redis, Keys(), FloodLimits(overall_per_second=10))
    waiters = [asyncio.create_task(flood.acquire(chat)) for chat in range(200, 205)]
    await asyncio.sleep(0.05)
    for task in waiters[1:4]:
        task.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    await asyncio.wait_for(flood.acquire(300), 5)  # the turnstile was handed on, not lost
    assert not flood._line and not flood._busy


def test_many_chats_at_the_ceiling_without_a_429(tmp_path, botapi, site, redis_url, clean_redis):
    """As an outside check would: the bot as a process, a stand-in answering 429 past 30
    messages in any second or a second message to a chat within a second, 100 chats subscribing
    at once (100 replies) and then one story for all of them (100 alerts). The stand-in shares
    the test runner's interpreter, so its arrival stamps wobble more than Telegram's would: the
    margin is wider here than the default, which bench/delivery_bench.py measures on its own."""
    botapi.state.strict, botapi.state.overall_per_second = True, 30
    site.put("/", ticker_page(["An old line from Gaza"]))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "tick", "Tick")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, extra_env={"NEWSBOT_RATE_MARGIN": "1.1"})
    chats = range(7001, 7101)
    try:
        for chat_id in chats:
            botapi.send_command(chat_id, "/subscribe Palestine")
        assert botapi.wait_for(lambda: all(botapi.messages_to(c) for c in chats), 60)
        assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")
        site.put("/", ticker_page(["Strike on Jabalia camp kills 4", "An old line from Gaza"]))
        assert botapi.wait_for(lambda: all(len(botapi.messages_to(c)) == 2 for c in chats), 60)
        assert botapi.state.too_many == 0  # never 31 in a second, never two to a chat within one
    finally:
        stop_bot(proc)
