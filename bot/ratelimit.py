"""Every message the bot sends goes through one budget. PTB hands each Bot API call to this rate
limiter (its BaseRateLimiter extension point, in place of AIORateLimiter, whose budget lives in
one process): replies to commands, menu edits and admin notices are booked in the same Redis
budget as alerts, ahead of them, so a burst of commands during a big fan-out cannot push the
bot over Telegram's limits. Alerts are booked by the delivery loop itself before it claims a
send, and pass here with ``rate_limit_args={"booked": True}``."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from redis.exceptions import RedisError
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.flood import ChatId, FloodControl, FloodLimits, Priority, retry_seconds
from bot.metrics import Metrics

log = logging.getLogger(__name__)

# calls that put a new message in a chat: booked in the chat's budget and the global one
_SENDS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages", "sendMessage"})
# calls that change what is there: the global budget only (a menu must not lag a second per tap)
_EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"})


def _limited(endpoint: str) -> tuple[bool, bool]:
    """(in the global budget, in the chat's budget) for a Bot API method."""
    if endpoint in _SENDS or (endpoint.startswith("send") and endpoint != "sendChatAction"):
        return True, True
    return endpoint in _EDITS, False


class LocalBudget:
    """The same limits kept in this process only, for while Redis is down: a reply ("storage is
    unavailable") must still go out, and still not flood. Other instances do not see these
    sends; for the minutes of an outage that is the lesser harm than no answer at all."""

    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self._next: dict[ChatId | None, float] = {}  # budget (None: global) → earliest next send

    def _interval(self, chat_id: ChatId | None) -> float:
        lim = self.limits
        if chat_id is None:
            return lim.margin / lim.overall_per_second
        if isinstance(chat_id, int) and chat_id > 0:
            return lim.margin / lim.private_per_second
        return lim.margin * 60.0 / lim.group_per_minute

    async def acquire(self, chat_id: ChatId | None) -> None:
        """Books the global budget and the chat's (if any) and sleeps until both allow."""
        now = time.monotonic()
        at = now
        for key in (None, chat_id) if chat_id is not None else (None,):
            at = max(at, self._next.get(key, now))
        for key in (None, chat_id) if chat_id is not None else (None,):
            self._next[key] = at + self._interval(key)
        if at > now:
            await asyncio.sleep(at - now)


REDIS_DOWN_RECHECK = 10.0  # seconds the local budget is used after Redis failed, before asking it again


class FloodRateLimiter(BaseRateLimiter[dict[str, Any]]):
    def __init__(self, flood: FloodControl, metrics: Metrics, max_retries: int = 2) -> None:
        self.flood = flood
        self.metrics = metrics
        self.max_retries = max_retries
        self.local = LocalBudget(flood.limits)
        self._redis_down_until = 0.0

    async def _acquire(self, chat_id: ChatId | None) -> None:
        """The shared budget in Redis; the local one while Redis is down (each failing Redis
        call takes seconds of retries: after one, Redis is left alone for a while)."""
        if time.monotonic() >= self._redis_down_until:
            try:
                await self.flood.acquire(chat_id, Priority.REPLY)
                return
            except (RedisError, OSError) as exc:
                log.warning("flood control without Redis (%s): replies use this process's own budget", exc)
                self._redis_down_until = time.monotonic() + REDIS_DOWN_RECHECK
        await self.local.acquire(chat_id)

    async def initialize(self) -> None:
        """Nothing to set up: the budget lives in Redis."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if rate_limit_args and rate_limit_args.get("booked"):
            # an alert: the delivery loop booked its turn and handles its errors, a 429 included
            return await callback(*args, **kwargs)
        in_global, in_chat = _limited(endpoint)
        chat_id = data.get("chat_id")
        attempt = 0
        while True:
            if in_global:
                await self._acquire(chat_id if in_chat else None)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.metrics.telegram_429.inc()
                seconds = retry_seconds(exc)
                if chat_id is not None:
                    try:
                        await self.flood.pause(chat_id, seconds)
                    except (RedisError, OSError):
                        await asyncio.sleep(seconds)
                attempt += 1
                if attempt > self.max_retries:
                    raise  # a reply is given up after a few tries
                log.warning("%s to %s: Telegram asks for %.0f s, then trying again", endpoint, chat_id, seconds)
                if chat_id is None:
                    await asyncio.sleep(seconds)
