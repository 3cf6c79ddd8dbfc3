"""Our own flood control, shared by every sender through Redis, so several instances together
stay under Telegram's limits instead of each learning them from 429s and long bans.

GCRA (a leaky bucket kept as one timestamp per key) in one Lua call (jobs/lua/flood_gcra.lua):
the global budget and the chat's budget are checked together and spent only if both allow, else
the caller is told how long to wait and which budget it waits for.

Within one process a turnstile lets one waiter at a time ask for the global budget, in priority
order (command replies, then breaking alerts, then the rest): a hundred waiters polling Redis
together would each be told "33 ms", wake together, and burn the CPU the sends need. A waiter
held back by its own chat steps out of the line so that it never blocks the others."""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import warnings
from dataclasses import dataclass
from enum import IntEnum

from redis.asyncio import Redis
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from jobs.keys import Keys
from jobs.scripts import load_script

ChatId = int | str  # a numeric id, or a channel's @username


def retry_seconds(exc: RetryAfter) -> float:
    """PTB gives retry_after as whole seconds or, with PTB_TIMEDELTA set, as a timedelta; both
    are handled here, so PTB's warning about the change to come is not for our logs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Priority(IntEnum):
    """Who goes first when the global budget is the bottleneck."""

    REPLY = 0  # a person is waiting for an answer to a command
    BREAKING = 1
    ALERT = 2
    DIGEST = 3


@dataclass(frozen=True, slots=True)
class FloodLimits:
    overall_per_second: float = float(FloodLimit.MESSAGES_PER_SECOND)
    private_per_second: float = float(FloodLimit.MESSAGES_PER_SECOND_PER_CHAT)
    group_per_minute: float = float(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)
    # spacing 4% wider than the limits: whatever delays one send more than the next (a GC
    # pause, a busy core, the network) must not put 31 messages into one second at Telegram;
    # 30 slots of 34.7 ms leave 35 ms for that (measured worst here: 30 ms)
    margin: float = 1.04
    # a send may go this much before its slot in the global schedule, so the time a waiter
    # oversleeps is made up instead of lost; 30 slots still span more than a second
    tolerance_ms: float = 5.0


class FloodControl:
    def __init__(self, redis: Redis, keys: Keys, limits: FloodLimits | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.limits = limits or FloodLimits()
        self._script = load_script(redis, "flood_gcra")
        self._line: list[tuple[int, int, asyncio.Future[None]]] = []  # (priority, arrival, wake-up)
        self._arrivals = itertools.count()
        self._busy = False

    def _chat_interval_ms(self, chat_id: ChatId) -> float:
        if isinstance(chat_id, int) and chat_id > 0:  # users have positive ids; groups and channels negative
            return self.limits.margin * 1000.0 / self.limits.private_per_second
        return self.limits.margin * 60_000.0 / self.limits.group_per_minute

    async def try_book(self, chat_id: ChatId | None, now_ms: float | None = None) -> tuple[float, bool]:
        """(0, False) and the send is booked, or (ms to wait, whether the chat's own budget is
        what holds it back). The clock is Redis's own unless one is given (tests): senders on
        several machines then share one clock, and a booking is stamped when it is made, not
        when the caller last looked at its watch."""
        wait, by_chat = await self._script(
            keys=[self.keys.rate_global] if chat_id is None else [self.keys.rate_global, self.keys.rate_chat(chat_id)],
            args=[
                "" if now_ms is None else now_ms,
                self.limits.margin * 1000.0 / self.limits.overall_per_second,
                0 if chat_id is None else self._chat_interval_ms(chat_id),
                self.limits.tolerance_ms,
            ],
        )
        return float(wait), bool(by_chat)

    async def wait_ms(self, chat_id: ChatId | None, now_ms: float | None = None) -> float:
        """0 and the send is booked, or how long to wait before asking again."""
        return (await self.try_book(chat_id, now_ms))[0]

    async def pause(self, chat_id: ChatId, seconds: float) -> None:
        """Telegram answered 429 after all: nothing more goes to this chat until it allows."""
        now_s, now_us = await self.redis.time()
        until = now_s * 1000 + now_us / 1000 + seconds * 1000
        await self.redis.set(self.keys.rate_chat(chat_id), until, px=int(seconds * 1000) + 10_000)

    async def acquire(self, chat_id: ChatId | None, priority: Priority = Priority.ALERT) -> None:
        """Return once a send to this chat is booked in both budgets (the global one alone for
        chat_id None)."""
        while True:
            await self._enter(priority)
            try:
                while True:
                    wait, by_chat = await self.try_book(chat_id)
                    if not wait:
                        return
                    if by_chat:
                        break  # step out: the chat's turn is far off, the line must move on
                    await asyncio.sleep(wait / 1000)
            finally:
                self._leave()
            await asyncio.sleep(wait / 1000)

    async def _enter(self, priority: Priority) -> None:
        if not self._busy and not self._line:
            self._busy = True
            return
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._line, (int(priority), next(self._arrivals), wake))
        try:
            await wake
        except asyncio.CancelledError:
            if wake.done() and not wake.cancelled():
                self._leave()  # we were handed the turnstile as we were cancelled: pass it on
            raise

    def _leave(self) -> None:
        while self._line:
            _, _, wake = heapq.heappop(self._line)
            if not wake.done():
                wake.set_result(None)  # the turnstile passes straight to the next in line
                return
        self._busy = False
