"""Stories stream → matching → outbox stream. Consumer-group reads make this safe to run in
several instances: each story is matched once, and a crash before the ack replays it (delivery's
per-(chat, story) claim absorbs the replay)."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.matching import Matcher
from bot.metrics import Metrics
from bot.streams import ensure_group, read_group, run_loop
from jobs.keys import Keys
from jobs.wire import OutboxEntry, StoryEntry

log = logging.getLogger(__name__)

GROUP = "fanout"


class Fanout:
    def __init__(
        self, redis: Redis, keys: Keys, matcher: Matcher, consumer: str, metrics: Metrics | None = None
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.matcher = matcher
        self.consumer = consumer
        self.metrics = metrics or Metrics()

    async def run(self, stop: asyncio.Event) -> None:
        await ensure_group(self.redis, self.keys.stories, GROUP)
        await run_loop("fan-out", lambda: self.step(block_ms=1000), stop)

    async def warm_up(self) -> None:
        """Load the matching index at start-up, not when the first story is waiting for it."""
        try:
            await self.matcher.refresh()
        except RedisError as exc:
            log.warning("matching index not loaded yet (the first story will load it): %s", exc)

    async def step(self, block_ms: int = 0) -> int:
        entries = await read_group(
            self.redis, self.keys.stories, GROUP, self.consumer, count=50, block_ms=block_ms, min_idle_ms=60_000
        )
        for entry_id, fields in entries:
            await self._fan_one(entry_id, fields)
        return len(entries)

    async def _fan_one(self, entry_id: str, fields: dict[str, str] | None) -> None:
        try:
            item = StoryEntry.from_fields(fields).item() if fields else None
        except (KeyError, ValueError, TypeError) as exc:
            log.warning("fan-out: skipping malformed stream entry %s: %s", entry_id, exc)
            item = None
        if item is not None:
            chats = await self.matcher.match(item)
            async with self.redis.pipeline(transaction=False) as pipe:
                for chat_id in sorted(chats):
                    pipe.xadd(self.keys.outbox, OutboxEntry.of_item(item, chat_id).to_fields())
                pipe.xack(self.keys.stories, GROUP, entry_id)
                await pipe.execute()
            self.metrics.stories.inc()
            self.metrics.matches.inc(len(chats))
            if chats:
                log.info("story %s → %d chats", item.story, len(chats))
        else:
            await self.redis.xack(self.keys.stories, GROUP, entry_id)
