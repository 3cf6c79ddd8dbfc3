"""Delivery's bookkeeping: one named method per outcome of an outbox entry (sent, held,
failed, deactivated, migrated, dead, skipped, released), each writing its Redis changes in one
transaction with the entry's acknowledgement, as arq's worker finishes a job in
`finish_job`/`finish_failed_job`. An entry is acknowledged only here, so "never a lost alert"
is checked in one module."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.delivery_plan import Pending
from bot.metrics import Metrics
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.models import Item
from jobs.wire import CLAIM_HELD, ChatField, DeadLetter, HeldRef, claim_message_id, claim_value

log = logging.getLogger(__name__)

GROUP = "senders"
CLAIM_TTL = 7 * 24 * 3600
MAX_ATTEMPTS = 5
DEAD_LETTERS_KEPT = 10_000


@dataclass(slots=True)
class DeliveryStats:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    deactivated: int = 0
    dead: int = 0
    held: int = 0
    released: int = 0


def index_claim(pipe: Pipeline, keys: Keys, chat_id: int, claim: str) -> None:
    """List a claim in its chat's claim index (see jobs/lua/send_claim.lua, which does the same
    for a claim taken before a send), so /stop forgets the chat in O(its own claims)."""
    now = int(time.time())
    index = keys.chat_claims(chat_id)
    pipe.zadd(index, {claim: now})
    pipe.zremrangebyscore(index, "-inf", f"({now - CLAIM_TTL}")
    pipe.expire(index, CLAIM_TTL)


class DeliveryBook:
    def __init__(self, redis: Redis, keys: Keys, subs: Subscriptions, metrics: Metrics) -> None:
        self.redis = redis
        self.keys = keys
        self.subs = subs
        self.metrics = metrics
        self.stats = DeliveryStats()

    def _count(self, outcome: str) -> None:
        setattr(self.stats, outcome, getattr(self.stats, outcome) + 1)
        self.metrics.sends.labels(outcome=outcome).inc()

    async def ack(self, entry_id: str) -> None:
        """Done with an entry that is no alert at all (malformed): not an outcome, not counted."""
        await self.redis.xack(self.keys.outbox, GROUP, entry_id)

    async def skipped(self, entry_id: str) -> None:
        """Nothing to deliver (chat gone, story expired, updates off) or delivered already."""
        self._count("skipped")
        await self.ack(entry_id)

    async def sent(self, pending: Pending, claim: str, message_id: int, item: Item, photo: bool = False) -> None:
        """Telegram accepted it: the claim keeps the message id, for later reports to reply to,
        and whether it carried a picture. An update that carried one marks its story's alert
        too, so the thread has one picture at most."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(claim, claim_value(message_id, photo), ex=CLAIM_TTL)
            if photo and pending.entry.update and claim_message_id(pending.first) is not None:
                story_claim = self.keys.sent_claim(pending.chat_id, pending.story)
                pipe.set(story_claim, claim_value(claim_message_id(pending.first) or 0, True), xx=True, keepttl=True)
            index_claim(pipe, self.keys, pending.chat_id, claim)
            pipe.xack(self.keys.outbox, GROUP, pending.entry_id)
            await pipe.execute()
        self.metrics.seen_to_sent.observe(max(0.0, time.time() - item.first_seen.timestamp()))
        self._count("sent")

    async def held(self, pending: Pending) -> None:
        """Quiet hours or a digest: the alert waits in the chat's held list (nothing is lost),
        unless the story was held or sent to this chat already."""
        claim = self.keys.sent_claim(pending.chat_id, pending.story)
        if not await self.redis.set(claim, CLAIM_HELD, nx=True, ex=CLAIM_TTL):
            await self.skipped(pending.entry_id)
            return
        ref = HeldRef(story=pending.story, item=pending.entry.item)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(self.keys.held(pending.chat_id), ref.to_json())
            pipe.sadd(self.keys.held_chats, pending.chat_id)
            index_claim(pipe, self.keys, pending.chat_id, claim)
            pipe.xack(self.keys.outbox, GROUP, pending.entry_id)
            await pipe.execute()
        self._count("held")

    async def failed(self, pending: Pending, claim: str, exc: Exception) -> None:
        """Worth another try: not acknowledged, the entry stays pending and is reclaimed later,
        with nothing (no claim) stopping that retry; past MAX_ATTEMPTS it is dead-lettered."""
        await self.redis.delete(claim)
        self._count("failed")
        entry_id = pending.entry_id
        found = await self.redis.xpending_range(self.keys.outbox, GROUP, min=entry_id, max=entry_id, count=1)
        attempts = found[0]["times_delivered"] if found else 1
        log.warning("send to %s failed (attempt %d): %s", pending.chat_id, attempts, exc)
        if attempts >= MAX_ATTEMPTS:
            await self.dead(pending, f"{type(exc).__name__}: {exc}")

    async def deactivated(self, pending: Pending, reason: str) -> None:
        """The chat blocked or removed us: switched off, not retried."""
        log.info("chat %s deactivated: %s", pending.chat_id, reason)
        await self.subs.deactivate(pending.chat_id, reason)
        self._count("deactivated")
        await self.ack(pending.entry_id)

    async def migrated(self, pending: Pending, claim: str, new_chat_id: int) -> None:
        """The group became a supergroup: its settings move, and this alert goes there."""
        log.info("chat %s migrated to %s", pending.chat_id, new_chat_id)
        await self.redis.delete(claim)
        await self.subs.migrate(pending.chat_id, new_chat_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.keys.outbox, pending.entry.for_chat(new_chat_id).to_fields())
            pipe.xack(self.keys.outbox, GROUP, pending.entry_id)
            await pipe.execute()

    async def dead(self, pending: Pending, reason: str) -> None:
        """Never deliverable: into the dead-letter stream, counted, for a person to look at."""
        log.error("alert %s for chat %s dead-lettered: %s", pending.story, pending.chat_id, reason)
        letter = DeadLetter(chat=pending.chat_id, story=pending.story, reason=reason)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.keys.dead_letters, letter.to_fields(), maxlen=DEAD_LETTERS_KEPT)
            pipe.xack(self.keys.outbox, GROUP, pending.entry_id)
            await pipe.execute()
        self._count("dead")

    async def released(self, chat_id: int, count: int, now: float) -> None:
        """A chat's summary of held alerts went out: those alerts leave its held list (any held
        meanwhile stay for the next summary) and its digest period starts again."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpop(self.keys.held(chat_id), count)
            pipe.hset(self.keys.chat(chat_id), ChatField.LAST_DIGEST, now)
            await pipe.execute()
        if not await self.redis.llen(self.keys.held(chat_id)):
            await self.redis.srem(self.keys.held_chats, chat_id)
        self._count("released")
