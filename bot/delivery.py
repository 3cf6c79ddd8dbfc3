"""Outbox stream → Telegram. A (chat, story) claim in Redis makes each alert go out once across
workers and restarts; an entry is acknowledged only after Telegram accepted it (or it can never
be delivered), so a crash mid-send loses nothing."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from telegram import Bot, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.flood import FloodControl, Priority, retry_seconds
from bot.grace import finish_within
from bot.metrics import Metrics
from bot.render import render_alert, render_digest
from bot.schedule import digest_due, in_quiet_hours
from bot.streams import Entry, ensure_group, read_group, run_loop
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys
from jobs.models import Item

log = logging.getLogger(__name__)

GROUP = "senders"
CLAIM_TTL = 7 * 24 * 3600
MAX_ATTEMPTS = 5
RECLAIM_IDLE_MS = 30_000
SENDING_TTL_MS = 25_000  # under RECLAIM_IDLE_MS: a crashed send's claim is gone when it is retried
RELEASE_EVERY = 30.0  # seconds between checks of held alerts
TRIM_EVERY = 60.0  # seconds between removals of acknowledged outbox entries
HEARTBEAT_EVERY = 10.0  # seconds between idle-time resets of entries waiting here (< RECLAIM_IDLE_MS)
FINISH_WITHIN = 3.0  # seconds sends in flight get at shutdown
# seconds before quick second and third tries after a 5xx or network error; past them the entry
# stays pending and is reclaimed after RECLAIM_IDLE_MS, up to MAX_ATTEMPTS, then dead-lettered
QUICK_RETRIES = (1.0, 4.0)
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "chat_write_forbidden", "have no rights")


def _stream_id(entry_id: str) -> tuple[int, int]:
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


def holds(chat: Chat, breaking: bool, now: float) -> bool:
    """Whether an alert for this chat waits: quiet hours or a digest, unless the chat lets
    breaking items through."""
    waiting = chat.digest != "off" or in_quiet_hours(now, chat.timezone, chat.quiet_start, chat.quiet_end)
    return waiting and not (breaking and chat.override)


@dataclass(slots=True)
class DeliveryStats:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    deactivated: int = 0
    dead: int = 0
    held: int = 0
    released: int = 0


@dataclass(slots=True)
class _Send:
    """One outbox entry with everything Redis knew about it when its batch was read (one round
    trip for the whole batch); the claim is checked again, atomically, right before sending."""

    entry_id: str
    fields: dict[str, str]
    chat_id: int
    story: str
    item_key: str
    chat: Chat | None
    first: str | None  # the (chat, story) claim: "sending", "held" or the alert's message id
    update_sent: bool  # this very update was already threaded under the alert
    raw: str | None  # the item (or its story) as JSON; None once expired

    @property
    def breaking(self) -> bool:
        return self.fields.get("breaking") == "1"

    @property
    def update(self) -> bool:
        return self.fields.get("update") == "1"


class Delivery:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        bot: Bot,
        subs: Subscriptions,
        consumer: str,
        concurrency: int = 30,
        metrics: Metrics | None = None,
        flood: FloodControl | None = None,
        max_in_flight: int = 300,
    ) -> None:
        self.flood = flood or FloodControl(redis, keys)
        self.metrics = metrics or Metrics()
        self.redis = redis
        self.keys = keys
        self.bot = bot
        self.subs = subs
        self.consumer = consumer
        self.stats = DeliveryStats()
        self.max_in_flight = max_in_flight
        self._gate = asyncio.Semaphore(concurrency)
        self._next_release = 0.0
        self._releasing: asyncio.Task[None] | None = None
        self._next_heartbeat = 0.0
        self._next_trim = 0.0
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        # booked here already: the bot's rate limiter (if it has ours) must not book them twice
        self._booked: dict[str, Any] = (
            {"rate_limit_args": {"booked": True}} if isinstance(bot, ExtBot) and bot.rate_limiter else {}
        )

    async def run(self, stop: asyncio.Event) -> None:
        await ensure_group(self.redis, self.keys.outbox, GROUP)
        try:
            await run_loop("delivery", self._tick, stop)
        finally:
            await self._finish(FINISH_WITHIN)

    async def _tick(self) -> None:
        """Keep up to max_in_flight sends waiting for their turn, so the flood budget is never
        idle for want of work and one slow chat never holds up a batch."""
        now = time.time()
        if now >= self._next_release and (self._releasing is None or self._releasing.done()):
            # beside the alerts, not in their way: a top of the hour with a thousand digests due
            # must not hold up a breaking alert for half a minute
            self._next_release = now + RELEASE_EVERY
            self._releasing = asyncio.create_task(self._release_logged(now), name="release held")
        if now >= self._next_trim:
            self._next_trim = now + TRIM_EVERY
            await self.trim()
        if now >= self._next_heartbeat and self._in_flight:
            self._next_heartbeat = now + HEARTBEAT_EVERY
            # reset the idle time of entries still waiting here, so that nobody reclaims them
            await self.redis.xclaim(self.keys.outbox, GROUP, self.consumer, 0, list(self._in_flight), justid=True)
        if len(self._in_flight) >= self.max_in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            return
        await self._start(block_ms=1000)

    async def trim(self) -> int:
        """Remove the outbox entries every sender is done with: those before both the group's
        read position and its oldest pending entry. Trimming by length instead could drop
        alerts not yet sent when a backlog builds up."""
        groups = await self.redis.xinfo_groups(self.keys.outbox)
        ours = next((group for group in groups if group["name"] == GROUP), None)
        if ours is None or len(groups) > 1:
            return 0  # another group reads this stream too: what it still needs is unknown here
        safe = ours["last-delivered-id"]
        pending = await self.redis.xpending(self.keys.outbox, GROUP)
        if pending["pending"]:
            safe = min(safe, pending["min"], key=_stream_id)
        return await self.redis.xtrim(self.keys.outbox, minid=safe, approximate=False)

    async def step(self, block_ms: int = 0) -> int:
        """Read one batch and see every send in it through (tests and benchmarks)."""
        started = await self._start(block_ms)
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()))
        return started

    async def _start(self, block_ms: int) -> int:
        entries = await read_group(
            self.redis,
            self.keys.outbox,
            GROUP,
            self.consumer,
            count=min(100, self.max_in_flight - len(self._in_flight)),
            block_ms=block_ms,
            min_idle_ms=RECLAIM_IDLE_MS,
        )
        entries = [entry for entry in entries if entry[0] not in self._in_flight]
        for send in await self._prepare(entries):
            task = asyncio.create_task(self._guarded(send), name=f"send {send.entry_id}")
            self._in_flight[send.entry_id] = task
            task.add_done_callback(lambda _, entry_id=send.entry_id: self._in_flight.pop(entry_id, None))
        return len(entries)

    async def _finish(self, within: float) -> None:
        """Shutdown: sends in flight finish, or stay pending for the next start to reclaim (a
        digest cut short stays held, whole, for the next round)."""
        tasks = list(self._in_flight.values())
        if self._releasing is not None and not self._releasing.done():
            tasks.append(self._releasing)
        await finish_within(tasks, within)

    async def _prepare(self, entries: list[Entry]) -> list[_Send]:
        parsed: list[tuple[str, dict[str, str], int, str]] = []
        for entry_id, fields in entries:
            fields = fields or {}
            try:
                parsed.append((entry_id, fields, int(fields["chat"]), fields["story"]))
            except (KeyError, ValueError):
                log.warning("delivery: malformed outbox entry %s dropped", entry_id)
                await self._ack(entry_id)
        if not parsed:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for _, fields, chat_id, story in parsed:
                item_key = fields.get("item") or story
                pipe.hgetall(self.keys.chat(chat_id))
                pipe.get(self.keys.sent_claim(chat_id, story))
                pipe.exists(self.keys.sent_update(chat_id, item_key))
                pipe.get(self.keys.item(item_key))
                pipe.get(self.keys.story(story))
            replies = await pipe.execute()
        sends = []
        for n, (entry_id, fields, chat_id, story) in enumerate(parsed):
            info, first, update_sent, item_raw, story_raw = replies[5 * n : 5 * n + 5]
            sends.append(
                _Send(
                    entry_id=entry_id,
                    fields=fields,
                    chat_id=chat_id,
                    story=story,
                    item_key=fields.get("item") or story,
                    chat=Chat.from_redis(chat_id, info) if info else None,
                    first=first,
                    update_sent=bool(update_sent),
                    raw=item_raw or story_raw,
                )
            )
        sends.sort(key=lambda send: not send.breaking)  # breaking items take their turn first
        return sends

    def _count(self, outcome: str) -> None:
        setattr(self.stats, outcome, getattr(self.stats, outcome) + 1)
        self.metrics.sends.labels(outcome=outcome).inc()

    async def _ack(self, entry_id: str) -> None:
        await self.redis.xack(self.keys.outbox, GROUP, entry_id)

    async def _guarded(self, send: _Send) -> None:
        try:
            await self._deliver(send)
        except Exception:  # Redis trouble or a bug: the entry stays pending and is reclaimed later
            log.exception("delivery of %s to %s failed", send.story, send.chat_id)

    async def _deliver(self, send: _Send) -> None:
        entry_id, chat_id, story, chat = send.entry_id, send.chat_id, send.story, send.chat
        if chat is None or not chat.active:
            self._count("skipped")  # chat gone or blocked since matching
            await self._ack(entry_id)
            return
        if holds(chat, send.breaking, time.time()):
            await self._hold(entry_id, chat_id, story, send.item_key)
            return
        claim = self.keys.sent_claim(chat_id, story)
        already = send.first is not None
        reply_to: int | None = None
        if send.update and send.first is not None:
            if send.first == "sending":
                return  # the first alert is in flight: retried after RECLAIM_IDLE_MS, then threaded
            if not chat.updates or not send.first.isdigit():
                self._count("skipped")
                await self._ack(entry_id)
                return
            reply_to, claim, already = int(send.first), self.keys.sent_update(chat_id, send.item_key), send.update_sent
        if send.raw is None or already:
            self._count("skipped")  # expired, or already sent
            await self._ack(entry_id)
            return
        item = Item.from_json(send.raw)
        # the turn first (it may be long for a busy group), then the claim: a claim only covers
        # the send itself, and lapses before a crashed send's entry is reclaimed, so a crash
        # costs at most one duplicate, never a lost alert
        priority = Priority.BREAKING if send.breaking else Priority.ALERT
        await self.flood.acquire(chat_id, priority)
        # the claim, and a second look at the chat: it may have blocked us or said /stop while
        # this send waited for its turn
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(claim, "sending", nx=True, px=SENDING_TTL_MS)
            pipe.exists(self.keys.chat(chat_id))
            pipe.hget(self.keys.chat(chat_id), "active")
            claimed, known, active = await pipe.execute()
        if not claimed or not known or active == "0":
            if claimed:
                await self.redis.delete(claim)
            self._count("skipped")
            await self._ack(entry_id)
            return
        fields = send.fields
        try:
            for backoff in (*QUICK_RETRIES, None):
                try:
                    async with self._gate:
                        message = await self.bot.send_message(
                            chat_id=chat_id,
                            text=render_alert(item, update=reply_to is not None),
                            parse_mode=ParseMode.HTML,
                            disable_notification=chat.muted,
                            link_preview_options=LinkPreviewOptions(is_disabled=not item.url),
                            reply_parameters=(
                                ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                                if reply_to
                                else None
                            ),
                            **self._booked,
                        )
                    break
                except (Forbidden, ChatMigrated, BadRequest, RetryAfter):
                    raise
                except (NetworkError, TelegramError) as exc:  # 5xx, time-outs, connection trouble
                    if backoff is None:
                        raise
                    log.info("send to %s failed (%s), trying again in %g s", chat_id, exc, backoff)
                    self.metrics.send_retries.inc()
                    await asyncio.sleep(backoff)
                    await self.redis.set(claim, "sending", xx=True, px=SENDING_TTL_MS)  # still ours
                    await self.flood.acquire(chat_id, priority)  # a second try is a message too
        except Forbidden as exc:
            await self._gone(chat_id, f"forbidden: {exc.message}", entry_id)
            return
        except ChatMigrated as exc:
            # the group became a supergroup: move its settings and send this alert there
            log.info("chat %s migrated to %s", chat_id, exc.new_chat_id)
            await self.redis.delete(claim)
            await self.subs.migrate(chat_id, exc.new_chat_id)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.xadd(self.keys.outbox, {**fields, "chat": exc.new_chat_id})
                pipe.xack(self.keys.outbox, GROUP, entry_id)
                await pipe.execute()
            return
        except BadRequest as exc:
            if any(marker in exc.message.lower() for marker in _GONE):
                await self._gone(chat_id, exc.message, entry_id)
            else:
                await self._dead_letter(entry_id, chat_id, story, f"bad request: {exc.message}")
            return
        except (RetryAfter, NetworkError, TelegramError) as exc:
            if isinstance(exc, RetryAfter):
                self.metrics.telegram_429.inc()
                await self.flood.pause(chat_id, retry_seconds(exc))
            # not acknowledged: the entry stays pending and is reclaimed after RECLAIM_IDLE_MS
            await self.redis.delete(claim)
            self._count("failed")
            await self._maybe_dead(entry_id, chat_id, story, exc)
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(claim, message.message_id, ex=CLAIM_TTL)
            pipe.xack(self.keys.outbox, GROUP, entry_id)
            await pipe.execute()
        self.metrics.seen_to_sent.observe(max(0.0, time.time() - item.first_seen.timestamp()))
        self._count("sent")

    async def _hold(self, entry_id: str, chat_id: int, story: str, item_key: str) -> None:
        """Quiet hours or a digest: the alert waits in the chat's held list (nothing is lost)."""
        claim = self.keys.sent_claim(chat_id, story)
        if await self.redis.set(claim, "held", nx=True, ex=CLAIM_TTL):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.rpush(self.keys.held(chat_id), json.dumps({"story": story, "item": item_key}))
                pipe.sadd(self.keys.held_chats, chat_id)
                pipe.xack(self.keys.outbox, GROUP, entry_id)
                await pipe.execute()
            self._count("held")
        else:
            self._count("skipped")
            await self._ack(entry_id)

    async def _release_logged(self, now: float) -> None:
        try:
            await self.release_held(now)
        except Exception:  # Redis trouble or a bug: held alerts stay held for the next round
            log.exception("releasing held alerts failed")

    async def release_held(self, now: float) -> int:
        """Send each chat whose quiet hours ended, or whose digest period came round, one
        summary of what was held (split only to stay under Telegram's limit)."""
        sent = 0
        for raw_id in await self.redis.smembers(self.keys.held_chats):
            chat_id = int(raw_id)
            chat = await self.subs.get(chat_id)
            if chat is None or not chat.active:
                await self.redis.delete(self.keys.held(chat_id))
                await self.redis.srem(self.keys.held_chats, chat_id)
                continue
            if in_quiet_hours(now, chat.timezone, chat.quiet_start, chat.quiet_end):
                continue
            if not digest_due(now, chat.last_digest, chat.digest):
                continue
            entries = await self.redis.lrange(self.keys.held(chat_id), 0, -1)
            items: list[Item] = []
            for entry in entries:
                ref = json.loads(entry)
                data = await self.redis.get(self.keys.item(ref["item"])) or await self.redis.get(
                    self.keys.story(ref["story"])
                )
                if data:
                    items.append(Item.from_json(data))
            try:
                for text in render_digest(items):
                    await self.flood.acquire(chat_id, Priority.DIGEST)
                    await self.bot.send_message(
                        chat_id,
                        text,
                        parse_mode=ParseMode.HTML,
                        disable_notification=chat.muted,
                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                        **self._booked,
                    )
                    sent += 1
            except Forbidden as exc:
                await self.subs.deactivate(chat_id, f"forbidden: {exc.message}")
                continue
            except TelegramError as exc:
                log.warning("digest for %s not sent, kept for the next try: %s", chat_id, exc)
                continue
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.lpop(self.keys.held(chat_id), len(entries))
                pipe.hset(self.keys.chat(chat_id), "last_digest", now)
                await pipe.execute()
            if not await self.redis.llen(self.keys.held(chat_id)):
                await self.redis.srem(self.keys.held_chats, chat_id)
            self._count("released")
        return sent

    async def _gone(self, chat_id: int, reason: str, entry_id: str) -> None:
        log.info("chat %s deactivated: %s", chat_id, reason)
        await self.subs.deactivate(chat_id, reason)
        self._count("deactivated")
        await self._ack(entry_id)

    async def _maybe_dead(self, entry_id: str, chat_id: int, story: str, exc: Exception) -> None:
        pending = await self.redis.xpending_range(self.keys.outbox, GROUP, min=entry_id, max=entry_id, count=1)
        attempts = pending[0]["times_delivered"] if pending else 1
        log.warning("send to %s failed (attempt %d): %s", chat_id, attempts, exc)
        if attempts >= MAX_ATTEMPTS:
            await self._dead_letter(entry_id, chat_id, story, f"{type(exc).__name__}: {exc}")

    async def _dead_letter(self, entry_id: str, chat_id: int, story: str, reason: str) -> None:
        log.error("alert %s for chat %s dead-lettered: %s", story, chat_id, reason)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.keys.dead_letters, {"chat": chat_id, "story": story, "reason": reason[:500]}, maxlen=10_000)
            pipe.xack(self.keys.outbox, GROUP, entry_id)
            await pipe.execute()
        self._count("dead")
