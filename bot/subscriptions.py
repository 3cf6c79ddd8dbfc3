"""Chats and what they follow, stored in Redis without TTL (durable data), with reverse indexes
(region → chats, keyword anchor → chats) so matching never loops over every chat."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from redis.asyncio import Redis

from bot.query import Query, parse_query, parse_stored
from jobs.keys import Keys

MAX_KEYWORDS = 50
MAX_EXCLUDES = 50
CHANGES_KEPT = 100_000


def _int(value: str | None, default: int) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


class LimitReached(ValueError):
    pass


@dataclass(slots=True)
class Chat:
    id: int
    active: bool = True
    paused: bool = False
    muted: bool = False
    updates: bool = True  # later reports of a story arrive as replies to its alert
    breaking_only: bool = False
    timezone: str = "UTC"
    quiet_start: int = -1  # minutes after local midnight; -1: no quiet hours
    quiet_end: int = -1
    digest: str = "off"  # off | hourly | daily
    override: bool = False  # breaking items skip quiet hours and digests
    last_digest: float = 0.0
    kind: str = "private"
    title: str = ""
    regions: set[str] = field(default_factory=set)
    keywords: dict[str, str] = field(default_factory=dict)  # canonical key → as typed
    excludes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_redis(
        cls,
        chat_id: int,
        info: dict[str, str],
        regions: set[str] | None = None,
        keywords: dict[str, str] | None = None,
        excludes: dict[str, str] | None = None,
    ) -> Chat:
        """From the chat's settings hash (and, for matching, what it follows)."""
        return cls(
            id=chat_id,
            active=info.get("active", "1") == "1",
            paused=info.get("paused", "0") == "1",
            muted=info.get("muted", "0") == "1",
            updates=info.get("updates", "1") == "1",
            breaking_only=info.get("breaking_only", "0") == "1",
            timezone=info.get("timezone", "UTC"),
            quiet_start=_int(info.get("quiet_start"), -1),
            quiet_end=_int(info.get("quiet_end"), -1),
            digest=info.get("digest", "off"),
            override=info.get("override", "0") == "1",
            last_digest=float(_int(info.get("last_digest"), 0)),
            kind=info.get("kind", "private"),
            title=info.get("title", ""),
            regions=set(regions or ()),
            keywords=keywords or {},
            excludes=excludes or {},
        )

    @property
    def follows_anything(self) -> bool:
        return bool(self.regions or self.keywords)


# KEYS: for each chat its settings hash, regions set, keywords hash and exclusions hash.
# Returns, per chat, {flat settings, regions, flat keywords, flat exclusions}.
_GET_CHATS = """
local out = {}
for i = 1, #KEYS, 4 do
  out[#out + 1] = {
    redis.call('HGETALL', KEYS[i]),
    redis.call('SMEMBERS', KEYS[i + 1]),
    redis.call('HGETALL', KEYS[i + 2]),
    redis.call('HGETALL', KEYS[i + 3]),
  }
end
return out
"""


def _pairs(flat: list[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


class Subscriptions:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._get_chats = redis.register_script(_GET_CHATS)

    async def _changed(self, chat_id: int) -> None:
        """Every instance's matcher replays this log to keep its in-memory index current."""
        await self.redis.xadd(self.keys.chat_changes, {"chat": chat_id}, maxlen=CHANGES_KEPT, approximate=True)

    async def touch(self, chat_id: int, kind: str, title: str = "") -> bool:
        """Record a chat that spoke to us; a chat that had blocked us and returns is active
        again. Returns True if the chat is new."""
        key = self.keys.chat(chat_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(self.keys.chats, chat_id)
            pipe.hsetnx(key, "created", int(time.time()))
            pipe.hset(key, mapping={"kind": kind, "title": title[:128], "active": 1})
            pipe.hdel(key, "inactive_reason")
            result = await pipe.execute()
        await self._changed(chat_id)
        return bool(result[0])

    async def get(self, chat_id: int) -> Chat | None:
        found = await self.get_many([chat_id])
        return found[0] if found else None

    async def get_many(self, chat_ids: list[int]) -> list[Chat]:
        """The chats that exist among chat_ids, in one script call: a pipeline would cost the
        client a parsed reply per key, four per chat, which is most of loading 100k chats."""
        if not chat_ids:
            return []
        keys = []
        for chat_id in chat_ids:
            keys += [
                self.keys.chat(chat_id),
                self.keys.chat_regions(chat_id),
                self.keys.chat_keywords(chat_id),
                self.keys.chat_excludes(chat_id),
            ]
        replies = await self._get_chats(keys=keys)
        chats = []
        for chat_id, (info, regions, keywords, excludes) in zip(chat_ids, replies, strict=True):
            if info:
                chats.append(Chat.from_redis(chat_id, _pairs(info), set(regions), _pairs(keywords), _pairs(excludes)))
        return chats

    async def add_region(self, chat_id: int, region: str) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(self.keys.chat_regions(chat_id), region)
            pipe.sadd(self.keys.region_index(region), chat_id)
            added, _ = await pipe.execute()
        await self._changed(chat_id)
        return bool(added)

    async def remove_region(self, chat_id: int, region: str) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.srem(self.keys.chat_regions(chat_id), region)
            pipe.srem(self.keys.region_index(region), chat_id)
            removed, _ = await pipe.execute()
        await self._changed(chat_id)
        return bool(removed)

    async def add_keyword(self, chat_id: int, text: str) -> tuple[Query, bool]:
        """Raises QueryError for unusable input and LimitReached past the per-chat cap."""
        query = parse_query(text)
        key = self.keys.chat_keywords(chat_id)
        if await self.redis.hexists(key, query.key):
            return query, False
        if await self.redis.hlen(key) >= MAX_KEYWORDS:
            raise LimitReached(f"at most {MAX_KEYWORDS} keywords per chat; /unsubscribe some first")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, query.key, text.strip()[:100])
            pipe.sadd(self.keys.keyword_index(query.anchor), f"{chat_id}")
            pipe.sadd(self.keys.keyword_terms, query.anchor)
            pipe.incr(self.keys.index_version)
            await pipe.execute()
        await self._changed(chat_id)
        return query, True

    async def remove_keyword(self, chat_id: int, text: str) -> bool:
        query = parse_stored(text)
        key = self.keys.chat_keywords(chat_id)
        if not await self.redis.hdel(key, query.key):
            return False
        await self._unindex_anchor(chat_id, query.anchor, await self.redis.hkeys(key))
        await self._changed(chat_id)
        return True

    async def _unindex_anchor(self, chat_id: int, anchor: str, remaining_keys: list[str]) -> None:
        """Another of the chat's queries may share the anchor; only drop it when none does."""
        if any(parse_stored(k).anchor == anchor for k in remaining_keys):
            return
        idx = self.keys.keyword_index(anchor)
        await self.redis.srem(idx, f"{chat_id}")
        if not await self.redis.scard(idx):
            await self.redis.srem(self.keys.keyword_terms, anchor)
        await self.redis.incr(self.keys.index_version)

    async def add_exclude(self, chat_id: int, text: str) -> tuple[Query, bool]:
        query = parse_query(text)
        key = self.keys.chat_excludes(chat_id)
        if await self.redis.hexists(key, query.key):
            return query, False
        if await self.redis.hlen(key) >= MAX_EXCLUDES:
            raise LimitReached(f"at most {MAX_EXCLUDES} exclusions per chat")
        await self.redis.hset(key, query.key, text.strip()[:100])
        await self._changed(chat_id)
        return query, True

    async def remove_exclude(self, chat_id: int, text: str) -> bool:
        removed = bool(await self.redis.hdel(self.keys.chat_excludes(chat_id), parse_stored(text).key))
        await self._changed(chat_id)
        return removed

    async def clear(self, chat_id: int) -> int:
        """Unsubscribe from everything (exclusions stay: they are a preference, not a follow)."""
        chat = await self.get(chat_id)
        if chat is None:
            return 0
        for region in chat.regions:
            await self.remove_region(chat_id, region)
        await self.redis.delete(self.keys.chat_keywords(chat_id))
        for anchor in {parse_stored(k).anchor for k in chat.keywords}:
            await self._unindex_anchor(chat_id, anchor, [])
        await self._changed(chat_id)
        return len(chat.regions) + len(chat.keywords)

    async def forget(self, chat_id: int) -> None:
        """/stop: every trace of the chat goes, indexes included."""
        await self.clear(chat_id)
        await self.redis.delete(
            self.keys.chat(chat_id),
            self.keys.chat_regions(chat_id),
            self.keys.chat_keywords(chat_id),
            self.keys.chat_excludes(chat_id),
            self.keys.held(chat_id),
        )
        await self.redis.srem(self.keys.chats, chat_id)
        await self.redis.srem(self.keys.held_chats, chat_id)
        await self._changed(chat_id)
        async for key in self.redis.scan_iter(match=self.keys.sent_claim(chat_id, "*"), count=500):
            await self.redis.delete(key)

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup (Telegram's ChatMigrated): everything moves to the new id."""
        chat = await self.get(old_id)
        if chat is None:
            return False
        info = await self.redis.hgetall(self.keys.chat(old_id))
        await self.touch(new_id, "supergroup", chat.title)
        await self.redis.hset(self.keys.chat(new_id), mapping={**info, "kind": "supergroup", "active": 1})
        for region in chat.regions:
            await self.add_region(new_id, region)
        for key, typed in chat.keywords.items():
            await self.add_keyword(new_id, typed or key)
        for key, typed in chat.excludes.items():
            await self.add_exclude(new_id, typed or key)
        await self.forget(old_id)
        return True

    async def set_flag(self, chat_id: int, flag: str, value: bool) -> None:
        await self.redis.hset(self.keys.chat(chat_id), flag, int(value))
        await self._changed(chat_id)

    async def set_fields(self, chat_id: int, **values: str | int | float) -> None:
        await self.redis.hset(self.keys.chat(chat_id), mapping=values)
        await self._changed(chat_id)

    async def deactivate(self, chat_id: int, reason: str) -> None:
        """The chat blocked or removed us: keep its settings (it may come back) but stop sending."""
        if await self.redis.exists(self.keys.chat(chat_id)):
            await self.redis.hset(self.keys.chat(chat_id), mapping={"active": 0, "inactive_reason": reason[:200]})
            await self._changed(chat_id)
