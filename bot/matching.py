"""Which chats want an item: candidates come from the reverse indexes (regions, keyword anchors
found in one pass over the text), and only candidates are checked in full."""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from bot.query import QueryError, parse_query
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys
from jobs.models import Item
from jobs.phrases import PhraseIndex, fold_words

log = logging.getLogger(__name__)


def item_words(item: Item) -> tuple[str, ...]:
    return fold_words(f"{item.title} \n {item.summary}")


class Matcher:
    """Holds one phrase index over every chat's keyword anchors, rebuilt when the shared
    index version in Redis moves (any instance changing a keyword bumps it)."""

    def __init__(self, redis: Redis, keys: Keys, subs: Subscriptions) -> None:
        self.redis = redis
        self.keys = keys
        self.subs = subs
        self._version: str | None = None
        self._anchors: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)

    async def _refresh(self) -> None:
        version = await self.redis.get(self.keys.index_version) or "0"
        if version == self._version:
            return
        index: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        async for anchor in self.redis.sscan_iter(self.keys.keyword_terms, count=1000):
            index.add(anchor, anchor)
        self._anchors, self._version = index, version

    async def match(self, item: Item) -> list[Chat]:
        await self._refresh()
        text = f"{item.title} \n {item.summary}"
        anchors = {hit.payload for hit in self._anchors.scan(text, overlapping=True)}
        async with self.redis.pipeline(transaction=False) as pipe:
            for region in item.regions:
                pipe.smembers(self.keys.region_index(region))
            for anchor in anchors:
                pipe.smembers(self.keys.keyword_index(anchor))
            results = await pipe.execute()
        by_region: set[str] = set().union(*results[: len(item.regions)]) if item.regions else set()
        by_keyword: set[str] = set().union(*results[len(item.regions) :]) if anchors else set()
        words = item_words(item)
        matched: list[Chat] = []
        for raw_id in sorted(by_region | by_keyword):
            chat = await self.subs.get(int(raw_id))
            if chat is None or not chat.active or chat.paused or (chat.breaking_only and not item.breaking):
                continue
            if raw_id not in by_region and not _any_query(chat.keywords, words):
                continue
            if _any_query(chat.excludes, words):
                continue
            matched.append(chat)
        return matched


def _any_query(queries: dict[str, str], words: tuple[str, ...]) -> bool:
    for key in queries:
        try:
            if parse_query(key).matches(words):
                return True
        except QueryError:
            log.warning("stored query %r no longer parses; ignored", key)
    return False
