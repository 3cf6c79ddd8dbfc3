"""Chats and what they follow, stored in Redis without TTL (durable data), with reverse indexes
(region → chats, source → chats, keyword anchor → chats) so matching never loops over every
chat."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.i18n import N_, UserError
from bot.query import MAX_INPUT_CHARS, Query, parse_query, parse_stored
from jobs.keys import Keys
from jobs.scripts import load_script
from jobs.wire import ChatField

MAX_KEYWORDS = 50
MAX_EXCLUDES = 50
MAX_SOURCES = 30  # each followed source sends every one of its items: past 30, a firehose
CHANGES_KEPT = 100_000
CLAIMS_PER_DELETE = 500
LANGUAGE_FIELD = "language"  # in the chat's settings hash


def _int(value: str | None, default: int) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


class LimitReached(UserError):
    """A chat's cap on keywords, exclusions or sources (its text is shown to the user)."""


class ChatGone(LookupError):
    """The chat was forgotten (/stop) between its command's start and this change: nothing was
    stored, so /stop leaves nothing behind whatever runs beside it."""


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
    language: str = "en"  # replies, menus and alert frames (bot/i18n.py)
    pictures: bool = True  # an item's picture goes out as a photo, the alert its caption
    thread: int = 0  # the forum topic alerts go to (message_thread_id); 0: General, or no topics
    regions: set[str] = field(default_factory=set)
    keywords: dict[str, str] = field(default_factory=dict)  # canonical key → as typed
    excludes: dict[str, str] = field(default_factory=dict)
    # source ids whose every item the chat wants; an id may have left the catalogue since
    sources: set[str] = field(default_factory=set)

    @classmethod
    def from_redis(
        cls,
        chat_id: int,
        info: dict[str, str],
        regions: set[str] | None = None,
        keywords: dict[str, str] | None = None,
        excludes: dict[str, str] | None = None,
        sources: set[str] | None = None,
    ) -> Chat:
        """From the chat's settings hash (and, for matching, what it follows)."""
        return cls(
            id=chat_id,
            active=info.get(ChatField.ACTIVE, "1") == "1",
            paused=info.get("paused", "0") == "1",
            muted=info.get("muted", "0") == "1",
            updates=info.get("updates", "1") == "1",
            breaking_only=info.get("breaking_only", "0") == "1",
            timezone=info.get("timezone", "UTC"),
            quiet_start=_int(info.get("quiet_start"), -1),
            quiet_end=_int(info.get("quiet_end"), -1),
            digest=info.get("digest", "off"),
            override=info.get("override", "0") == "1",
            last_digest=float(_int(info.get(ChatField.LAST_DIGEST), 0)),
            kind=info.get("kind", "private"),
            title=info.get("title", ""),
            language=info.get(LANGUAGE_FIELD, "en"),
            pictures=info.get("pictures", "1") == "1",
            thread=max(0, _int(info.get(ChatField.THREAD), 0)),
            regions=set(regions or ()),
            keywords=keywords or {},
            excludes=excludes or {},
            sources=set(sources or ()),
        )

    @property
    def follows_anything(self) -> bool:
        return bool(self.regions or self.keywords or self.sources)


# Every change below is one atomic script call in Redis (jobs/lua/chat_*.lua), its change-log
# entry included, so that commands of one chat racing each other (120 /subscribe at once, /stop
# beside /subscribe) can neither pass the caps nor leave half a chat behind.
UNFOLLOW_ATTEMPTS = 100  # reads of a chat that keeps changing under us before giving up


def _pairs(flat: list[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


class Subscriptions:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._get_chats = load_script(redis, "chats_get")
        self._follow_script = load_script(redis, "chat_follow")
        self._add_region_script = load_script(redis, "chat_add_region")
        self._add_source_script = load_script(redis, "chat_follow_source")
        self._set_fields_script = load_script(redis, "chat_set_fields")
        self._unfollow_script = load_script(redis, "chat_unfollow")

    async def _changed(self, chat_id: int) -> None:
        """Every instance's matcher replays this log to keep its in-memory index current."""
        await self.redis.xadd(self.keys.chat_changes, {"chat": chat_id}, maxlen=CHANGES_KEPT, approximate=True)

    def _log(self, pipe, chat_id: int) -> None:
        pipe.xadd(self.keys.chat_changes, {"chat": chat_id}, maxlen=CHANGES_KEPT, approximate=True)

    async def touch(self, chat_id: int, kind: str, title: str = "", language: str = "") -> bool:
        """Record a chat that spoke to us; a chat that had blocked us and returns is active
        again. Returns True if the chat is new. `language` is kept only if the chat has none
        yet: the first user's, until /language changes it."""
        key = self.keys.chat(chat_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(self.keys.chats, chat_id)
            pipe.hsetnx(key, "created", int(time.time()))
            if language:
                pipe.hsetnx(key, LANGUAGE_FIELD, language)
            pipe.hset(key, mapping={"kind": kind, "title": title[:128], ChatField.ACTIVE: 1})
            pipe.hdel(key, ChatField.INACTIVE_REASON)
            self._log(pipe, chat_id)
            result = await pipe.execute()
        return bool(result[0])

    async def language(self, chat_id: int) -> str | None:
        """The chat's stored language, read on every update: one field, not the whole chat."""
        return await self.redis.hget(self.keys.chat(chat_id), LANGUAGE_FIELD)

    async def get(self, chat_id: int) -> Chat | None:
        found = await self.get_many([chat_id])
        return found[0] if found else None

    async def get_many(self, chat_ids: list[int]) -> list[Chat]:
        """The chats that exist among chat_ids, in one script call: a pipeline would cost the
        client a parsed reply per key, five per chat, which is most of loading 100k chats."""
        if not chat_ids:
            return []
        keys = []
        for chat_id in chat_ids:
            keys += [
                self.keys.chat(chat_id),
                self.keys.chat_regions(chat_id),
                self.keys.chat_keywords(chat_id),
                self.keys.chat_excludes(chat_id),
                self.keys.chat_sources(chat_id),
            ]
        replies = await self._get_chats(keys=keys)
        chats = []
        for chat_id, (info, regions, keywords, excludes, sources) in zip(chat_ids, replies, strict=True):
            if info:
                chats.append(
                    Chat.from_redis(
                        chat_id, _pairs(info), set(regions), _pairs(keywords), _pairs(excludes), set(sources)
                    )
                )
        return chats

    async def add_region(self, chat_id: int, region: str) -> bool:
        """Raises ChatGone if the chat was forgotten meanwhile."""
        added = await self._add_region_script(
            keys=[
                self.keys.chat(chat_id),
                self.keys.chat_regions(chat_id),
                self.keys.region_index(region),
                self.keys.chat_changes,
            ],
            args=[chat_id, region, CHANGES_KEPT],
        )
        if added == -1:
            raise ChatGone(chat_id)
        return bool(added)

    async def remove_region(self, chat_id: int, region: str) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.srem(self.keys.chat_regions(chat_id), region)
            pipe.srem(self.keys.region_index(region), chat_id)
            self._log(pipe, chat_id)
            removed, _, _ = await pipe.execute()
        return bool(removed)

    async def add_source(self, chat_id: int, source_id: str, cap: int = MAX_SOURCES) -> bool:
        """Follow every item of a source. One atomic check-and-add, so concurrent /follow
        cannot pass the cap together. Raises LimitReached past the cap and ChatGone if the
        chat was forgotten meanwhile. The id is not checked here: the catalogue is the
        caller's (it can change while the bot runs)."""
        result = await self._add_source_script(
            keys=[
                self.keys.chat(chat_id),
                self.keys.chat_sources(chat_id),
                self.keys.source_index(source_id),
                self.keys.chat_changes,
            ],
            args=[chat_id, source_id, cap, CHANGES_KEPT],
        )
        if result == -1:
            raise ChatGone(chat_id)
        if result == -2:
            raise LimitReached(N_("at most {n} sources per chat; /unfollow some first"), n=cap)
        return bool(result)

    async def remove_source(self, chat_id: int, source_id: str) -> bool:
        """Works for an id that has left the catalogue too: it stays removable."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.srem(self.keys.chat_sources(chat_id), source_id)
            pipe.srem(self.keys.source_index(source_id), chat_id)
            self._log(pipe, chat_id)
            removed, _, _ = await pipe.execute()
        return bool(removed)

    async def _follow(self, chat_id: int, query: Query, typed: str, keyword: bool, cap: int) -> bool:
        """One atomic check-and-add: concurrent adds cannot pass the cap together."""
        if keyword:
            keys = [
                self.keys.chat(chat_id),
                self.keys.chat_keywords(chat_id),
                self.keys.chat_changes,
                self.keys.keyword_index(query.anchor),
                self.keys.keyword_terms,
                self.keys.index_version,
            ]
            args = [chat_id, query.key, typed, cap, CHANGES_KEPT, query.anchor]
        else:
            keys = [self.keys.chat(chat_id), self.keys.chat_excludes(chat_id), self.keys.chat_changes]
            args = [chat_id, query.key, typed, cap, CHANGES_KEPT]
        result = await self._follow_script(keys=keys, args=args)
        if result == -1:
            raise ChatGone(chat_id)
        if result == -2:
            if keyword:
                raise LimitReached(N_("at most {n} keywords per chat; /unsubscribe some first"), n=cap)
            raise LimitReached(N_("at most {n} exclusions per chat"), n=cap)
        return bool(result)

    async def add_keyword(self, chat_id: int, text: str) -> tuple[Query, bool]:
        """Raises QueryError for unusable input, LimitReached past the per-chat cap and ChatGone
        if the chat was forgotten meanwhile."""
        query = parse_query(text)
        return query, await self._follow(chat_id, query, text.strip()[:MAX_INPUT_CHARS], True, MAX_KEYWORDS)

    async def add_exclude(self, chat_id: int, text: str) -> tuple[Query, bool]:
        query = parse_query(text)
        return query, await self._follow(chat_id, query, text.strip()[:MAX_INPUT_CHARS], False, MAX_EXCLUDES)

    async def _unfollow(self, chat_id: int, mode: str, plan) -> int:
        """Read the chat, let `plan(fields)` say which keyword fields go, and apply that in one
        script call that first checks the chat still follows what was read (else read again):
        optimistic, so no connection is held across the read as WATCH would."""
        for _ in range(UNFOLLOW_ATTEMPTS):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hkeys(self.keys.chat_keywords(chat_id))
                pipe.smembers(self.keys.chat_regions(chat_id))
                pipe.smembers(self.keys.chat_sources(chat_id))
                fields, regions, sources = await pipe.execute()
            delete = plan(fields)
            remaining = [f for f in fields if f not in set(delete)]
            kept_anchors = {parse_stored(f).anchor for f in remaining}
            # another of the chat's queries may share an anchor; only unindex those none keeps
            anchors = sorted({parse_stored(f).anchor for f in delete} - kept_anchors)
            if mode == "keyword":
                regions, sources = [], []
            regions, sources = sorted(regions), sorted(sources)
            keys = [
                self.keys.chat(chat_id),
                self.keys.chat_regions(chat_id),
                self.keys.chat_keywords(chat_id),
                self.keys.chat_excludes(chat_id),
                self.keys.held(chat_id),
                self.keys.chats,
                self.keys.held_chats,
                self.keys.chat_changes,
                self.keys.keyword_terms,
                self.keys.index_version,
                self.keys.chat_sources(chat_id),
                *(self.keys.region_index(r) for r in regions),
                *(self.keys.source_index(s) for s in sources),
                *(self.keys.keyword_index(a) for a in anchors),
            ]
            counts = [len(fields), len(regions), len(delete), len(anchors), len(sources)]
            lists = [*fields, *regions, *delete, *anchors, *sources]
            result = await self._unfollow_script(keys=keys, args=[chat_id, CHANGES_KEPT, mode, *counts, *lists])
            if result != -1:
                return int(result) + len(regions) + len(sources)
        raise WatchError(f"chat {chat_id} kept changing; nothing was removed")

    async def remove_keyword(self, chat_id: int, text: str) -> bool:
        key = parse_stored(text).key
        return bool(await self._unfollow(chat_id, "keyword", lambda fields: [key] if key in fields else []))

    async def remove_exclude(self, chat_id: int, text: str) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.keys.chat_excludes(chat_id), parse_stored(text).key)
            self._log(pipe, chat_id)
            removed, _ = await pipe.execute()
        return bool(removed)

    async def clear(self, chat_id: int) -> int:
        """Unsubscribe from everything, followed sources included (exclusions stay: they are a
        preference, not a follow)."""
        return await self._unfollow(chat_id, "clear", list)

    async def forget(self, chat_id: int) -> None:
        """/stop: every trace of the chat goes, indexes included, in one step."""
        await self._unfollow(chat_id, "forget", list)
        await self.forget_claims(chat_id)

    async def forget_claims(self, chat_id: int) -> int:
        """The chat's sent and update claims, found through its claim index rather than a scan
        of the keyspace, so /stop costs O(the chat's own claims) however big Redis is. Claims
        expire anyway; one left behind would only block a resend of its story."""
        index = self.keys.chat_claims(chat_id)
        claims = await self.redis.zrange(index, 0, -1)
        for start in range(0, len(claims), CLAIMS_PER_DELETE):
            await self.redis.delete(*claims[start : start + CLAIMS_PER_DELETE])
        await self.redis.delete(index)
        return len(claims)

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup (Telegram's ChatMigrated): everything moves to the new id,
        copied as stored (no user-input limits: it was accepted once)."""
        chat = await self.get(old_id)
        if chat is None:
            return False
        info = await self.redis.hgetall(self.keys.chat(old_id))
        await self.touch(new_id, "supergroup", chat.title)
        await self.set_fields(new_id, **{**info, "kind": "supergroup", ChatField.ACTIVE: 1})
        for region in chat.regions:
            await self.add_region(new_id, region)
        for source_id in chat.sources:
            await self.add_source(new_id, source_id, max(MAX_SOURCES, len(chat.sources)))
        for key, typed in chat.keywords.items():
            await self._follow(new_id, parse_stored(key), typed, True, max(MAX_KEYWORDS, len(chat.keywords)))
        for key, typed in chat.excludes.items():
            await self._follow(new_id, parse_stored(key), typed, False, max(MAX_EXCLUDES, len(chat.excludes)))
        await self.forget(old_id)
        return True

    async def set_flag(self, chat_id: int, flag: str, value: bool) -> None:
        await self.set_fields(chat_id, **{flag: int(value)})

    async def set_fields(self, chat_id: int, **values: str | int | float) -> bool:
        """Only on a chat that exists: a change racing /stop must not leave a settings hash
        behind. Returns whether the chat existed."""
        flat = [part for item in values.items() for part in item]
        done = await self._set_fields_script(
            keys=[self.keys.chat(chat_id), self.keys.chat_changes], args=[chat_id, CHANGES_KEPT, *flat]
        )
        return bool(done)

    async def deactivate(self, chat_id: int, reason: str) -> None:
        """The chat blocked or removed us: keep its settings (it may come back) but stop sending."""
        await self.set_fields(chat_id, **{ChatField.ACTIVE: 0, ChatField.INACTIVE_REASON: reason[:200]})
