"""Exact dedupe in Redis, shared by every instance and surviving restarts, plus the near-dup
check that keeps a ticker line edited in place ("kills 4" → "kills 5 ") from alerting twice."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from jobs.keys import Keys
from jobs.models import Item
from jobs.normalize import dedupe_keys, fold_text
from jobs.sources import Source

SEEN_TTL = 30 * 24 * 3600  # longer than any feed keeps an item listed
TICKER_MEMORY = 300  # recent lines per ticker compared against a new one
EDIT_SIMILARITY = 0.8


async def claim_new(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> list[Item]:
    """Mark every identity of every item as seen; return the items none of whose identities was
    seen before. SET NX makes this safe when two instances race on the same item."""
    if not items:
        return []
    per_item = [dedupe_keys(source, it.guid, it.url, it.title) for it in items]
    async with redis.pipeline(transaction=False) as pipe:
        for ids in per_item:
            for ident in ids:
                pipe.set(keys.seen(ident), 1, nx=True, ex=SEEN_TTL)
        results = await pipe.execute()
    fresh: list[Item] = []
    pos = 0
    for item, ids in zip(items, per_item, strict=True):
        flags = results[pos : pos + len(ids)]
        pos += len(ids)
        if all(flags):
            fresh.append(item)
    return fresh


def _grams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Character-trigram Jaccard: cheap, and robust to a changed number or a fixed typo."""
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


async def drop_ticker_edits(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> list[Item]:
    """Of link-less ticker lines that passed exact dedupe, drop those that are edits of a line
    this ticker showed recently; remember every line either way."""
    if source.kind != "ticker" or not items:
        return items
    key = keys.ticker_lines(source.id)
    recent: list[str] = list(await redis.zrange(key, 0, -1))
    kept: list[Item] = []
    now = time.time()
    mapping: dict[str, float] = {}
    for item in items:
        folded = fold_text(item.title)
        is_edit = not item.guid and not item.url and any(similarity(folded, old) >= EDIT_SIMILARITY for old in recent)
        if not is_edit:
            kept.append(item)
        recent.append(folded)
        mapping[folded] = now
    async with redis.pipeline(transaction=False) as pipe:
        pipe.zadd(key, mapping)
        pipe.zremrangebyrank(key, 0, -TICKER_MEMORY - 1)
        await pipe.execute()
    return kept


async def remember_ticker_lines(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> None:
    """On the priming poll: the lines already on the strip become the reference for edits."""
    if source.kind != "ticker" or not items:
        return
    now = time.time()
    await redis.zadd(keys.ticker_lines(source.id), {fold_text(it.title): now for it in items})
