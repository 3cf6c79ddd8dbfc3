"""Publishing new items to the `stories` stream, where the bot's fan-out picks them up."""

from __future__ import annotations

from redis.asyncio import Redis

from jobs.keys import Keys
from jobs.models import Item
from jobs.wire import StoryEntry

STREAM_MAXLEN = 20_000
RECENT_LEN = 500
STORY_TTL = 7 * 24 * 3600


async def publish(redis: Redis, keys: Keys, items: list[Item]) -> None:
    if not items:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for item in items:
            data = item.to_json()
            if not item.update:
                pipe.set(keys.story(item.story), data, ex=STORY_TTL, nx=True)
            pipe.set(keys.item(item.key), data, ex=STORY_TTL)
            pipe.xadd(keys.stories, StoryEntry(data).to_fields(), maxlen=STREAM_MAXLEN, approximate=True)
            pipe.lpush(keys.recent, data)
        pipe.ltrim(keys.recent, 0, RECENT_LEN - 1)
        await pipe.execute()
