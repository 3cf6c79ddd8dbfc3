"""Which chats want an item, from an in-memory index of every chat's subscriptions: region →
chats, source → chats, one phrase index over every keyword anchor → chats, one over exclusions →
chats, and
each chat's parsed queries and flags, checked only for the few candidates set unions cannot
settle. (An exclusion index that went stale keeps extra phrases: they only cost a lookup.)

Every instance keeps its own copy: loaded once from Redis, then kept current by replaying the
chat-change log (`Subscriptions._changed`) before each match; a log that was trimmed past our
position means a full reload."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.query import Query, QueryError, parse_stored
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys
from jobs.models import Item
from jobs.phrases import PhraseIndex, fold_words
from jobs.text import stream_id

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
                query = parse_stored(key)  # loading is lenient: limits are for new input
            except QueryError:
                log.warning("stored query %r no longer parses; ignored", key)
                continue
            if known is not None:
                known[key] = query
        parsed.append(query)
    return parsed


@dataclass(slots=True)
class ChatView:
    """What matching needs of a chat, parsed once."""

    id: int
    live: bool  # active and not paused
    breaking_only: bool
    regions: frozenset[str]
    keywords: tuple[Query, ...]
    excludes: tuple[Query, ...]
    sources: frozenset[str] = frozenset()  # every item of these sources, whatever it names

    @classmethod
    def of(cls, chat: Chat, known: dict[str, Query] | None = None) -> ChatView:
        return cls(
            id=chat.id,
            live=chat.active and not chat.paused,
            breaking_only=chat.breaking_only,
            regions=frozenset(chat.regions),
            keywords=tuple(_parse_all(chat.keywords, known)),
            excludes=tuple(_parse_all(chat.excludes, known)),
            sources=frozenset(chat.sources),
        )

    def wants(self, item: Item, words: tuple[str, ...], regions: frozenset[str] | None = None) -> bool:
        """Whether this chat wants the item: the one rule, used by the matching index for the
        chats set unions cannot settle and by /latest, so both always agree. Paused and
        inactive chats want nothing; breaking-only chats only breaking items. A followed source
        counts like a region: its items need no region or keyword, but exclusions still veto. A
        near-repeat of a known story is for the source's followers alone."""
        if not self.live or (self.breaking_only and not item.breaking):
            return False
        if item.repeat and item.source not in self.sources:
            return False
        if regions is None:
            regions = frozenset(item.regions)
        followed = item.source in self.sources or bool(self.regions & regions)
        if not followed and not any(q.matches(words) for q in self.keywords):
            return False
        return not any(q.matches(words) for q in self.excludes)


def wanted_recent(chat: Chat, recent: list[str], limit: int) -> list[Item]:
    """The newest of `recent` (items as JSON, newest first) the chat wants, at most `limit`,
    by the one rule (`ChatView.wants`, the chat's queries parsed once for all of them). A
    paused chat still gets what it explicitly asks for (/latest)."""
    view = ChatView.of(chat)
    view.live = True
    found: list[Item] = []
    for raw in recent:
        try:
            item = Item.from_json(raw)
        except (ValueError, KeyError, TypeError):
            continue
        if view.wants(item, item_words(item)):
            found.append(item)
            if len(found) >= limit:
                break
    return found


class _Index:
    """One consistent state of the matching index. A full load builds a new one and swaps it in
    whole, so a load that fails half-way leaves the previous index serving, not half of one."""

    def __init__(self) -> None:
        self.chats: dict[int, ChatView] = {}
        self.other_by_region: dict[str, set[int]] = {}  # region chats that need a closer look
        # chats a region match settles alone (live, no exclusions, not breaking-only): their
        # sets are unioned in C without looking at each chat
        self.plain_by_region: dict[str, set[int]] = {}
        self.other_by_source: dict[str, set[int]] = {}  # the same split, by followed source
        self.plain_by_source: dict[str, set[int]] = {}
        self.by_anchor: dict[str, set[int]] = {}
        self.plain_by_anchor: dict[str, set[int]] = {}  # the anchor alone settles the match
        self.by_exclude: dict[str, set[int]] = {}  # single-phrase exclusions → chats
        self.excludes: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        self.anchors: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        self.anchors_stale = False
        self.queries: dict[str, Query] = {}  # one parsed Query per distinct text
        self.region_sets: dict[frozenset[str], frozenset[str]] = {}  # one frozenset per combination

    def view(self, chat: Chat) -> ChatView:
        view = ChatView.of(chat, self.queries)
        view.regions = self.region_sets.setdefault(view.regions, view.regions)
        return view

    def drop(self, chat_id: int) -> None:
        view = self.chats.pop(chat_id, None)
        if view is None:
            return
        for region in view.regions:
            self.other_by_region.get(region, set()).discard(chat_id)
            self.plain_by_region.get(region, set()).discard(chat_id)
        for source_id in view.sources:
            self.other_by_source.get(source_id, set()).discard(chat_id)
            self.plain_by_source.get(source_id, set()).discard(chat_id)
        for query in view.excludes:
            self.by_exclude.get(query.anchor, set()).discard(chat_id)
        for query in view.keywords:
            self.plain_by_anchor.get(query.anchor, set()).discard(chat_id)
            chats = self.by_anchor.get(query.anchor)
            if chats is not None:
                chats.discard(chat_id)
                if not chats:
                    del self.by_anchor[query.anchor]
                    self.anchors_stale = True

    def add(self, view: ChatView) -> None:
        self.chats[view.id] = view
        simple_excludes = all(len(q.need) == 1 and not q.veto for q in view.excludes)
        plain = view.live and not view.breaking_only and simple_excludes
        if simple_excludes:
            for query in view.excludes:
                chats = self.by_exclude.setdefault(query.anchor, set())
                if not chats:
                    self.excludes.add(query.anchor, query.anchor)
                chats.add(view.id)
        for region in view.regions:
            (self.plain_by_region if plain else self.other_by_region).setdefault(region, set()).add(view.id)
        for source_id in view.sources:
            (self.plain_by_source if plain else self.other_by_source).setdefault(source_id, set()).add(view.id)
        for query in view.keywords:
            chats = self.by_anchor.setdefault(query.anchor, set())
            if not chats:
                self.anchors.add(query.anchor, query.anchor)
            chats.add(view.id)
            if plain and len(query.need) == 1 and not query.veto:
                self.plain_by_anchor.setdefault(query.anchor, set()).add(view.id)

    def replace(self, chat_id: int, chat: Chat | None) -> None:
        """Old state out, new state in, with no await between: a match sees one or the other."""
        view = self.view(chat) if chat is not None else None  # parse first: nothing to undo
        self.drop(chat_id)
        if view is not None:
            self.add(view)

    def rebuild_anchors(self) -> None:
        if self.anchors_stale:
            anchors: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
            for anchor in self.by_anchor:
                anchors.add(anchor, anchor)
            self.anchors = anchors
            self.anchors_stale = False

    def match(self, item: Item) -> set[int]:
        if item.repeat:  # the source's followers alone, each by the one rule
            return self._check(
                item, self.plain_by_source.get(item.source, set()) | self.other_by_source.get(item.source, set())
            )
        text = f"{item.title} \n {item.summary}"
        matched: set[int] = set()
        to_check: set[int] = set()
        for region in item.regions:
            matched |= self.plain_by_region.get(region, set())
            to_check |= self.other_by_region.get(region, set())
        matched |= self.plain_by_source.get(item.source, set())
        to_check |= self.other_by_source.get(item.source, set())
        for hit in self.anchors.scan(text, overlapping=True):
            matched |= self.plain_by_anchor.get(hit.payload, set())
            to_check |= self.by_anchor.get(hit.payload, set())
        to_check -= matched
        # plain chats may carry single-phrase exclusions: one scan finds every chat excluded
        for hit in self.excludes.scan(text, overlapping=True):
            matched -= self.by_exclude.get(hit.payload, set())
        return matched | self._check(item, to_check) if to_check else matched

    def _check(self, item: Item, chat_ids: set[int]) -> set[int]:
        """The chats among chat_ids that want the item, asked one by one."""
        if not chat_ids:
            return set()
        words = item_words(item)
        regions = frozenset(item.regions)
        return {chat_id for chat_id in chat_ids if self.chats[chat_id].wants(item, words, regions)}


class Matcher:
    """Refreshes are serialised (one lock) and each changed chat is swapped in one synchronous
    step after its new state was read, so a match never runs on a half-updated index, and the
    change-log position moves only past changes that were applied: a Redis error mid-refresh
    leaves the old state of those chats in place and the next refresh retries them."""

    def __init__(self, redis: Redis, keys: Keys, subs: Subscriptions) -> None:
        self.redis = redis
        self.keys = keys
        self.subs = subs
        self._loaded = False
        self._position = "0-0"
        self._index = _Index()
        self._lock = asyncio.Lock()

    # --- keeping the index current -----------------------------------------------------------
    def _add(self, view: ChatView) -> None:
        """Add a prepared view (the benchmark fills the index this way, without Redis)."""
        self._index.add(view)

    async def _full_load(self) -> None:
        index = _Index()
        # position first: changes made while loading are replayed afterwards
        last = await self.redis.xrevrange(self.keys.chat_changes, count=1)
        position = last[0][0] if last else "0-0"
        started = time.perf_counter()
        batch: list[int] = []
        async for raw_id in self.redis.sscan_iter(self.keys.chats, count=LOAD_BATCH):
            batch.append(int(raw_id))
            if len(batch) >= LOAD_BATCH:
                await self._load_batch(index, batch)
        await self._load_batch(index, batch)
        self._index, self._position, self._loaded = index, position, True
        log.info(
            "matching index loaded: %d chats, %d keyword anchors in %.1f s",
            len(index.chats),
            len(index.by_anchor),
            time.perf_counter() - started,
        )

    async def _load_batch(self, index: _Index, chat_ids: list[int]) -> None:
        """One round trip for many chats: 100k chats load in seconds, not minutes."""
        for chat in await self.subs.get_many(chat_ids):
            index.replace(chat.id, chat)
        chat_ids.clear()

    async def refresh(self) -> None:
        async with self._lock:
            await self._refresh()

    async def _refresh(self) -> None:
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
        try:
            while True:
                batch = await self.redis.xrange(self.keys.chat_changes, min=f"({self._position}", count=1000)
                if not batch:
                    break
                chat_ids = list(dict.fromkeys(_chat_ids(batch)))
                # read every changed chat first; an error here changes nothing in memory
                found = {chat.id: chat for chat in await self.subs.get_many(chat_ids)}
                for chat_id in chat_ids:
                    self._index.replace(chat_id, found.get(chat_id))
                self._position = batch[-1][0]  # only now: these changes are applied
        finally:
            self._index.rebuild_anchors()

    # --- matching ------------------------------------------------------------------------------
    async def match(self, item: Item) -> set[int]:
        """Ids of the chats that want the item."""
        await self.refresh()
        return self.match_loaded(item)

    def match_loaded(self, item: Item) -> set[int]:
        """The in-memory part (what the benchmark times): no Redis. Chats settled by a region or
        a single-phrase keyword alone come from set unions; only the rest are examined."""
        return self._index.match(item)


def _chat_ids(batch: list[tuple[str, dict[str, str]]]) -> list[int]:
    ids = []
    for _, fields in batch:
        try:
            ids.append(int(fields["chat"]))
        except (KeyError, ValueError):
            continue
    return ids


def _older(a: str, b: str) -> bool:
    """Stream ids compare as (milliseconds, sequence)."""
    return stream_id(a) < stream_id(b)
