"""Outbox stream → Telegram. A (chat, story) claim in Redis makes each alert go out once across
workers and restarts; an entry is acknowledged only after Telegram accepted it (or it can never
be delivered), so a crash mid-send loses nothing.

The decisions are `bot.delivery_plan` (pure), Telegram's errors are `bot.send_errors` (one
table), the Redis bookkeeping of each outcome is `bot.delivery_book`; this module reads the
outbox, sends, and sends the digests of held alerts."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any, cast

from redis.asyncio import Redis
from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.delivery_book import CLAIM_TTL, GROUP, MAX_ATTEMPTS, DeliveryBook, DeliveryStats
from bot.delivery_plan import Action, Form, Pending, Plan, holds, plan
from bot.flood import FloodControl, Priority, retry_seconds
from bot.grace import finish_within
from bot.metrics import Metrics
from bot.render import render_alert, render_caption, render_digest
from bot.schedule import digest_due, in_quiet_hours
from bot.send_errors import Outcome, gone_reason, outcome_of
from bot.streams import Entry, ensure_group, read_group, run_loop
from bot.subscriptions import Chat, Subscriptions
from bot.topics import TopicFallback
from jobs.keys import Keys
from jobs.models import Item
from jobs.scripts import load_script
from jobs.text import stream_id
from jobs.wire import CLAIM_SENDING, ChatField, HeldRef, OutboxEntry

__all__ = ["CLAIM_TTL", "GROUP", "MAX_ATTEMPTS", "Delivery", "DeliveryStats", "holds"]

log = logging.getLogger(__name__)

RECLAIM_IDLE_MS = 30_000
REFUSED_PICTURE_TTL = 24 * 3600  # seconds a refused picture is sent as text to later chats
SENDING_TTL_MS = 25_000  # under RECLAIM_IDLE_MS: a crashed send's claim is gone when it is retried
RELEASE_EVERY = 30.0  # seconds between checks of held alerts
TRIM_EVERY = 60.0  # seconds between removals of acknowledged outbox entries
HEARTBEAT_EVERY = 10.0  # seconds between idle-time resets of entries waiting here (< RECLAIM_IDLE_MS)
FINISH_WITHIN = 3.0  # seconds sends in flight get at shutdown
# seconds before quick second and third tries after a 5xx or network error; past them the entry
# stays pending and is reclaimed after RECLAIM_IDLE_MS, up to MAX_ATTEMPTS, then dead-lettered
QUICK_RETRIES = (1.0, 4.0)


def _priority(pending: Pending) -> Priority:
    return Priority.BREAKING if pending.breaking else Priority.ALERT


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
        self.book = DeliveryBook(redis, keys, subs, self.metrics)
        self.max_in_flight = max_in_flight
        self._gate = asyncio.Semaphore(concurrency)
        self._claim_script = load_script(redis, "send_claim")
        self._next_release = 0.0
        self._releasing: asyncio.Task[None] | None = None
        self._next_heartbeat = 0.0
        self._next_trim = 0.0
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        # booked here already: the bot's rate limiter (if it has ours) must not book them twice
        self._booked: dict[str, Any] = (
            {"rate_limit_args": {"booked": True}} if isinstance(bot, ExtBot) and bot.rate_limiter else {}
        )
        self.topics = TopicFallback(redis, keys, bot, self.flood, self._booked)

    @property
    def stats(self) -> DeliveryStats:
        return self.book.stats

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
            safe = min(safe, pending["min"], key=stream_id)
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
        for pending in await self._prepare(entries):
            task = asyncio.create_task(self._guarded(pending), name=f"send {pending.entry_id}")
            self._in_flight[pending.entry_id] = task
            task.add_done_callback(lambda _, entry_id=pending.entry_id: self._in_flight.pop(entry_id, None))
        return len(entries)

    async def _finish(self, within: float) -> None:
        """Shutdown: sends in flight finish, or stay pending for the next start to reclaim (a
        digest cut short stays held, whole, for the next round)."""
        tasks = list(self._in_flight.values())
        if self._releasing is not None and not self._releasing.done():
            tasks.append(self._releasing)
        await finish_within(tasks, within)

    async def _prepare(self, entries: list[Entry]) -> list[Pending]:
        """Everything each entry's decision needs, for the whole batch in one round trip."""
        parsed: list[tuple[str, OutboxEntry]] = []
        for entry_id, fields in entries:
            try:
                parsed.append((entry_id, OutboxEntry.from_fields(fields)))
            except ValueError:
                log.warning("delivery: malformed outbox entry %s dropped", entry_id)
                await self.book.ack(entry_id)
        if not parsed:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for _, entry in parsed:
                pipe.hgetall(self.keys.chat(entry.chat))
                pipe.get(self.keys.sent_claim(entry.chat, entry.story))
                pipe.exists(self.keys.sent_update(entry.chat, entry.item))
                pipe.get(self.keys.item(entry.item))
                pipe.get(self.keys.story(entry.story))
            pictures = sorted({entry.image for _, entry in parsed if entry.image})
            for url in pictures:
                pipe.exists(self.keys.refused_picture(url))
            replies = await pipe.execute()
        refused = {url for url, hit in zip(pictures, replies[5 * len(parsed) :], strict=True) if hit}
        pendings = []
        for n, (entry_id, entry) in enumerate(parsed):
            info, first, update_sent, item_raw, story_raw = replies[5 * n : 5 * n + 5]
            chat = Chat.from_redis(entry.chat, info) if info else None
            raw = item_raw or story_raw
            pendings.append(Pending(entry_id, entry, chat, first, bool(update_sent), raw, entry.image in refused))
        pendings.sort(key=lambda pending: not pending.breaking)  # breaking items take their turn first
        return pendings

    async def _guarded(self, pending: Pending) -> None:
        try:
            await self._deliver(pending)
        except Exception:  # Redis trouble or a bug: the entry stays pending and is reclaimed later
            log.exception("delivery of %s to %s failed", pending.story, pending.chat_id)

    async def _deliver(self, pending: Pending) -> None:
        decision = plan(pending, time.time())
        if decision.action is Action.SKIP:
            await self.book.skipped(pending.entry_id)
        elif decision.action is Action.HOLD:
            await self.book.held(pending)
        elif decision.action is Action.SEND:
            await self._send(pending, decision)

    async def _send(self, pending: Pending, decision: Plan) -> None:
        """The turn first (it may be long for a busy group), then the claim: a claim only covers
        the send itself, and lapses before a crashed send's entry is reclaimed, so a crash costs
        at most one duplicate, never a lost alert."""
        assert pending.raw is not None and pending.chat is not None  # plan() sends only then
        item = Item.from_json(pending.raw)
        claim = decision.claim_key(self.keys, pending)
        await self.flood.acquire(pending.chat_id, _priority(pending))
        if not await self._claim(pending.chat_id, claim):
            await self.book.skipped(pending.entry_id)
            return
        form = Form(decision.photo, pending.chat.thread)
        try:
            message, form = await self._send_with_fallbacks(pending, item, decision, claim, form)
        except TelegramError as exc:
            await self._refused(pending, claim, exc)
            return
        await self.book.sent(pending, claim, message.message_id, item, photo=bool(form.photo))

    async def _claim(self, chat_id: int, claim: str) -> bool:
        """The claim, and a second look at the chat: it may have blocked us or said /stop while
        this send waited for its turn (one script call, jobs/lua/send_claim.lua)."""
        claimed = await self._claim_script(
            keys=[claim, self.keys.chat(chat_id), self.keys.chat_claims(chat_id)],
            args=[CLAIM_SENDING, SENDING_TTL_MS, ChatField.ACTIVE, int(time.time()), CLAIM_TTL],
        )
        return claimed == 1

    async def _send_with_fallbacks(
        self, pending: Pending, item: Item, decision: Plan, claim: str, form: Form
    ) -> tuple[Message, Form]:
        """A refused picture sends the alert as text, a deleted topic sends it to General, all
        under the one claim: only a definite refusal (a 400) falls back, never a time-out after
        which Telegram may have posted the photo, so a chat never gets the alert twice."""
        assert pending.chat is not None
        while True:
            try:
                return await self._send_with_retries(pending, item, decision, claim, form), form
            except TelegramError as exc:
                outcome = outcome_of(exc)
                if outcome is Outcome.TOPIC_GONE and form.thread:
                    if await self.topics.clear(pending.chat, form.thread):
                        await self.topics.note(pending.chat)  # before the alert: it says why General
                    form = replace(form, thread=0)
                    self.metrics.fallbacks.labels(kind="topic").inc()
                elif outcome in (Outcome.PHOTO_REFUSED, Outcome.DEAD) and form.photo:
                    log.info("photo for %s refused (%s): sending the alert as text", pending.chat_id, exc)
                    if outcome is Outcome.PHOTO_REFUSED:  # the picture itself: no other chat gets it
                        await self.redis.set(self.keys.refused_picture(form.photo), 1, ex=REFUSED_PICTURE_TTL)
                    form = replace(form, photo="")
                    self.metrics.fallbacks.labels(kind="photo").inc()
                else:
                    raise
            await self._keep_claim(claim)
            await self.flood.acquire(pending.chat_id, _priority(pending))

    async def _keep_claim(self, claim: str) -> None:
        """Still ours for another SENDING_TTL_MS: this send is still under way."""
        await self.redis.set(claim, CLAIM_SENDING, xx=True, px=SENDING_TTL_MS)

    async def _send_with_retries(self, pending: Pending, item: Item, decision: Plan, claim: str, form: Form) -> Message:
        """A 5xx or network error is tried again after QUICK_RETRIES; any other refusal, or the
        last try's, is raised for `_send_with_fallbacks` and `_refused`."""
        chat_id = pending.chat_id
        for backoff in (*QUICK_RETRIES, None):
            try:
                return await self._send_once(pending, item, decision, form)
            except TelegramError as exc:
                if backoff is None or outcome_of(exc) is not Outcome.RETRY:
                    raise
                log.info("send to %s failed (%s), trying again in %g s", chat_id, exc, backoff)
                self.metrics.send_retries.inc()
                await asyncio.sleep(backoff)
                await self._keep_claim(claim)
                await self.flood.acquire(chat_id, _priority(pending))  # a second try is a message too
        raise AssertionError("unreachable: the last try returns or raises")

    async def _send_once(self, pending: Pending, item: Item, decision: Plan, form: Form) -> Message:
        """A photo with the alert as its caption, or the alert as text; in the chat's topic."""
        chat = pending.chat
        assert chat is not None
        reply = decision.reply_to
        common: dict[str, Any] = {
            "chat_id": pending.chat_id,
            "parse_mode": ParseMode.HTML,
            "disable_notification": chat.muted,
            "message_thread_id": form.thread or None,
            "reply_parameters": ReplyParameters(message_id=reply, allow_sending_without_reply=True) if reply else None,
            **self._booked,
        }
        async with self._gate:
            if form.photo:
                caption = render_caption(item, update=decision.threaded, language=chat.language)
                return await self.bot.send_photo(photo=form.photo, caption=caption, **common)
            return await self.bot.send_message(
                text=render_alert(item, update=decision.threaded, language=chat.language),
                link_preview_options=LinkPreviewOptions(is_disabled=not item.url),
                **common,
            )

    async def _refused(self, pending: Pending, claim: str, exc: TelegramError) -> None:
        """Telegram said no: what that means is `bot.send_errors`' table, what is done about it
        the book's."""
        outcome = outcome_of(exc)
        if outcome is Outcome.GONE:
            await self.book.deactivated(pending, gone_reason(exc))
        elif outcome is Outcome.MIGRATED:
            await self.book.migrated(pending, claim, cast(ChatMigrated, exc).new_chat_id)
        elif outcome is Outcome.DEAD:
            await self.book.dead(pending, f"bad request: {exc.message}")
        else:
            if outcome is Outcome.RATE_LIMITED:
                self.metrics.telegram_429.inc()
                await self.flood.pause(pending.chat_id, retry_seconds(cast(RetryAfter, exc)))
            await self.book.failed(pending, claim, exc)

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
            if digest_due(now, chat.last_digest, chat.digest):
                sent += await self._release_chat(chat, now)
        return sent

    async def _release_chat(self, chat: Chat, now: float) -> int:
        """One chat's summary; on Telegram's refusal its alerts stay held for the next round."""
        entries = await self.redis.lrange(self.keys.held(chat.id), 0, -1)
        items = await self._held_items([HeldRef.from_json(entry) for entry in entries])
        sent = 0
        try:
            for text in render_digest(items, chat.language):
                await self.flood.acquire(chat.id, Priority.DIGEST)
                await self.bot.send_message(
                    chat.id,
                    text,
                    parse_mode=ParseMode.HTML,
                    disable_notification=chat.muted,
                    message_thread_id=chat.thread or None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    **self._booked,
                )
                sent += 1
        except Forbidden as exc:
            await self.subs.deactivate(chat.id, f"forbidden: {exc.message}")
            return sent
        except TelegramError as exc:
            log.warning("digest for %s not sent, kept for the next try: %s", chat.id, exc)
            if outcome_of(exc) is Outcome.TOPIC_GONE and chat.thread and await self.topics.clear(chat, chat.thread):
                await self.topics.note(chat)  # the next try goes to General
            return sent
        await self.book.released(chat.id, len(entries), now)
        return sent

    async def _held_items(self, refs: list[HeldRef]) -> list[Item]:
        """The held alerts still known: the item itself, else its story's first item."""
        items: list[Item] = []
        for ref in refs:
            data = await self.redis.get(self.keys.item(ref.item)) or await self.redis.get(self.keys.story(ref.story))
            if data:
                items.append(Item.from_json(data))
        return items
