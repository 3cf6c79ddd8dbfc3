"""Which chats want an item, from an in-memory index of every chat's subscriptions: region →
chats, one phrase index over every keyword anchor → chats, one over exclusions → chats, and
each chat's parsed queries and flags, checked only for the few candidates set unions cannot
settle. (An exclusion index that went stale keeps extra phrases: they only cost a lookup.)

Every instance keeps its own copy: loaded once from Redis, then kept current by replaying the
chat-change log (`Subscriptions._changed`) before each match; a log that was trimmed past our
position means a full reload."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.query import Query, QueryError, parse_query
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys
from jobs.models import Item
from jobs.phrases import PhraseIndex, fold_words

log = logging.getLogger(__name__)

LOAD_BATCH = 500  # chats per round trip when the whole index is loaded


def item_words(item: Item) -> tuple[str, ...]:
    return fold_words(f"{item.title} \n {item.summary}")


def _parse_all(queries: dict[str, str], known: dict[str, Query] | None = None) -> list[Query]:
    """Parsed queries; with `known`, one shared Query per distinct text (a hundred thousand
    chats follow a few thousand distinct keywords: parsing each once saves time and memory)."""
    parsed = []
    for key in queries:
        query = known.get(key) if known is not None else None
        if query is None:
            try:
                query = parse_query(key)
            except QueryError:
                log.warning("stored query %r no longer parses; ignored", key)
                continue
            if known is not None:
                known[key] = query
        parsed.append(query)
    return parsed


def _any_query(queries: dict[str, str], words: tuple[str, ...]) -> bool:
    return any(q.matches(words) for q in _parse_all(queries))


@dataclass(slots=True)
class ChatView:
    """What matching needs of a chat, parsed once."""

    id: int
    live: bool  # active and not paused
    breaking_only: bool
    regions: frozenset[str]
    keywords: tuple[Query, ...]
    excludes: tuple[Query, ...]

    @classmethod
    def of(cls, chat: Chat, known: dict[str, Query] | None = None) -> ChatView:
        return cls(
            id=chat.id,
            live=chat.active and not chat.paused,
            breaking_only=chat.breaking_only,
            regions=frozenset(chat.regions),
            keywords=tuple(_parse_all(chat.keywords, known)),
            excludes=tuple(_parse_all(chat.excludes, known)),
        )


class Matcher:
    def __init__(self, redis: Redis, keys: Keys, subs: Subscriptions) -> None:
        self.redis = redis
        self.keys = keys
        self.subs = subs
        self._loaded = False
        self._position = "0-0"
        self._chats: dict[int, ChatView] = {}
        self._other_by_region: dict[str, set[int]] = {}  # region chats that need a closer look
        # chats a region match settles alone (live, no exclusions, not breaking-only): their
        # sets are unioned in C without looking at each chat
        self._plain_by_region: dict[str, set[int]] = {}
        self._by_anchor: dict[str, set[int]] = {}
        self._plain_by_anchor: dict[str, set[int]] = {}  # the anchor alone settles the match
        self._by_exclude: dict[str, set[int]] = {}  # single-phrase exclusions → chats
        self._excludes: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        self._anchors: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        self._anchors_stale = False
        self._queries: dict[str, Query] = {}  # one parsed Query per distinct text
        self._region_sets: dict[frozenset[str], frozenset[str]] = {}  # one frozenset per combination

    # --- keeping the index current -----------------------------------------------------------
    def _drop(self, chat_id: int) -> None:
        view = self._chats.pop(chat_id, None)
        if view is None:
            return
        for region in view.regions:
            self._other_by_region.get(region, set()).discard(chat_id)
            self._plain_by_region.get(region, set()).discard(chat_id)
        for query in view.excludes:
            self._by_exclude.get(query.anchor, set()).discard(chat_id)
        for query in view.keywords:
            self._plain_by_anchor.get(query.anchor, set()).discard(chat_id)
            chats = self._by_anchor.get(query.anchor)
            if chats is not None:
                chats.discard(chat_id)
                if not chats:
                    del self._by_anchor[query.anchor]
                    self._anchors_stale = True

    def _add(self, view: ChatView) -> None:
        self._chats[view.id] = view
        simple_excludes = all(len(q.need) == 1 and not q.veto for q in view.excludes)
        plain = view.live and not view.breaking_only and simple_excludes
        if simple_excludes:
            for query in view.excludes:
                chats = self._by_exclude.setdefault(query.anchor, set())
                if not chats:
                    self._excludes.add(query.anchor, query.anchor)
                chats.add(view.id)
        for region in view.regions:
            (self._plain_by_region if plain else self._other_by_region).setdefault(region, set()).add(view.id)
        for query in view.keywords:
            chats = self._by_anchor.setdefault(query.anchor, set())
            if not chats:
                self._anchors.add(query.anchor, query.anchor)
            chats.add(view.id)
            if plain and len(query.need) == 1 and not query.veto:
                self._plain_by_anchor.setdefault(query.anchor, set()).add(view.id)

    def _view(self, chat: Chat) -> ChatView:
        view = ChatView.of(chat, self._queries)
        view.regions = self._region_sets.setdefault(view.regions, view.regions)
        return view

    async def _reload_chat(self, chat_id: int) -> None:
        self._drop(chat_id)
        chat = await self.subs.get(chat_id)
        if chat is not None:
            self._add(self._view(chat))

    async def _full_load(self) -> None:
        self._chats.clear()
        self._other_by_region.clear()
        self._plain_by_region.clear()
        self._by_anchor.clear()
        self._plain_by_anchor.clear()
        self._by_exclude.clear()
        self._excludes = PhraseIndex(case_sensitive_names=False)
        self._anchors = PhraseIndex(case_sensitive_names=False)
        # position first: changes made while loading are replayed afterwards
        last = await self.redis.xrevrange(self.keys.chat_changes, count=1)
        self._position = last[0][0] if last else "0-0"
        self._queries.clear()
        self._region_sets.clear()
        started = time.perf_counter()
        batch: list[int] = []
        async for raw_id in self.redis.sscan_iter(self.keys.chats, count=LOAD_BATCH):
            batch.append(int(raw_id))
            if len(batch) >= LOAD_BATCH:
                await self._load_batch(batch)
        await self._load_batch(batch)
        self._loaded = True
        log.info(
            "matching index loaded: %d chats, %d keyword anchors in %.1f s",
            len(self._chats),
            len(self._by_anchor),
            time.perf_counter() - started,
        )

    async def _load_batch(self, chat_ids: list[int]) -> None:
        """One round trip for many chats: 100k chats load in seconds, not minutes."""
        for chat in await self.subs.get_many(chat_ids):
            self._drop(chat.id)
            self._add(self._view(chat))
        chat_ids.clear()

    async def refresh(self) -> None:
        if not self._loaded:
            await self._full_load()
        if self._position != "0-0":
            # trimming removes the oldest entries: if ours is gone and the log now starts
            # later, changes we never saw may be gone with it
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xrange(self.keys.chat_changes, min=self._position, max=self._position, count=1)
                pipe.xrange(self.keys.chat_changes, count=1)
                ours, first = await pipe.execute()
            if not ours and first and _older(self._position, first[0][0]):
                await self._full_load()
        while True:
            batch = await self.redis.xrange(self.keys.chat_changes, min=f"({self._position}", count=1000)
            if not batch:
                break
            for entry_id, fields in batch:
                self._position = entry_id
                try:
                    await self._reload_chat(int(fields["chat"]))
                except (KeyError, ValueError):
                    continue
        if self._anchors_stale:
            self._anchors = PhraseIndex(case_sensitive_names=False)
            for anchor in self._by_anchor:
                self._anchors.add(anchor, anchor)
            self._anchors_stale = False

    # --- matching ------------------------------------------------------------------------------
    async def match(self, item: Item) -> set[int]:
        """Ids of the chats that want the item."""
        await self.refresh()
        return self.match_loaded(item)

    def match_loaded(self, item: Item) -> set[int]:
        """The in-memory part (what the benchmark times): no Redis. Chats settled by a region or
        a single-phrase keyword alone come from set unions; only the rest are examined."""
        text = f"{item.title} \n {item.summary}"
        matched: set[int] = set()
        to_check: set[int] = set()
        for region in item.regions:
            matched |= self._plain_by_region.get(region, set())
            to_check |= self._other_by_region.get(region, set())
        for hit in self._anchors.scan(text, overlapping=True):
            matched |= self._plain_by_anchor.get(hit.payload, set())
            to_check |= self._by_anchor.get(hit.payload, set())
        to_check -= matched
        # plain chats may carry single-phrase exclusions: one scan finds every chat excluded
        for hit in self._excludes.scan(text, overlapping=True):
            matched -= self._by_exclude.get(hit.payload, set())
        if not to_check:
            return matched
        words = item_words(item)
        regions = set(item.regions)
        for chat_id in to_check:
            view = self._chats[chat_id]
            if not view.live or (view.breaking_only and not item.breaking):
                continue
            if not (view.regions & regions) and not any(q.matches(words) for q in view.keywords):
                continue
            if view.excludes and any(q.matches(words) for q in view.excludes):
                continue
            matched.add(chat_id)
        return matched


def _older(a: str, b: str) -> bool:
    """Stream ids compare as (milliseconds, sequence)."""
    ams, _, aseq = a.partition("-")
    bms, _, bseq = b.partition("-")
    return (int(ams), int(aseq or 0)) < (int(bms), int(bseq or 0))
