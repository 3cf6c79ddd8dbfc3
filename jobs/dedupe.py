"""Exact dedupe in Redis, shared by every instance and surviving restarts, plus the near-dup
check that keeps a ticker line edited in place ("kills 4" → "kills 5 ") from alerting twice."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from redis.asyncio import Redis

from jobs.keys import Keys
from jobs.kinds import kind_of
from jobs.models import Item
from jobs.normalize import dedupe_keys
from jobs.scripts import load_script
from jobs.sources import Source
from jobs.text import fold_text

SEEN_TTL = 30 * 24 * 3600  # longer than any feed keeps an item listed
# A claim lives this long unless confirmed: long enough for one poll to cluster and publish
# (the poll lock lasts 60 s or more), short enough that a poller that died mid-poll delays
# its items by minutes, never loses them.
PENDING_TTL = 120
TICKER_MEMORY = 300  # recent lines per ticker compared against a new one
EDIT_SIMILARITY = 0.8


@dataclass(slots=True)
class Claim:
    """What one poll claimed: the items nobody had seen, and the seen-marks it wrote, which stay
    pending (expiring, holding this poll's token) until its items are published. Items marked
    seen before they were published were lost for good whenever publishing failed."""

    fresh: list[Item]
    marks: list[str] = field(default_factory=list)  # seen keys this poll set
    token: str = ""

    async def confirm(self, redis: Redis) -> None:
        """The items are published: their marks become permanent (written over whatever holds
        them now: what we published is seen, whoever else claimed it)."""
        if not self.marks:
            return
        await load_script(redis, "seen_confirm")(keys=self.marks, args=[SEEN_TTL])

    async def release(self, redis: Redis) -> None:
        """Publishing failed: the items become unseen again, for the next poll to retry. Only
        marks still holding our token go (one that expired may since be another poll's)."""
        if self.marks:
            await load_script(redis, "release_tokens")(keys=self.marks, args=[self.token])


async def claim_new(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> Claim:
    """Mark every identity of every item as seen, pending until `Claim.confirm`; the claim's
    fresh items are those none of whose identities was seen (or claimed) before. SET NX makes
    this safe when two instances race on the same item."""
    if not items:
        return Claim([])
    token = secrets.token_hex(8)
    per_item = [[keys.seen(ident) for ident in dedupe_keys(source, it.guid, it.url, it.title)] for it in items]
    # one script call per poll, not a command per identity: a 50-item feed has 150 of them
    flat = [mark for marks in per_item for mark in marks]
    results = await load_script(redis, "seen_claim")(keys=flat, args=[token, PENDING_TTL])
    claim = Claim([], token=token)
    pos = 0
    for item, marks in zip(items, per_item, strict=True):
        flags = results[pos : pos + len(marks)]
        pos += len(marks)
        claim.marks.extend(mark for mark, ok in zip(marks, flags, strict=True) if ok)
        if all(flags):
            claim.fresh.append(item)
    return claim


def _grams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Character-trigram Jaccard: cheap, and robust to a changed number or a fixed typo."""
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


async def drop_ticker_edits(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> list[Item]:
    """Of link-less ticker lines that passed exact dedupe, drop those that are edits of a line
    this ticker showed recently (or of an earlier line of the same batch). Nothing is written:
    the caller remembers the lines (`remember_ticker_lines`) once they are published, or a line
    whose publishing failed would be taken next poll for an edit of itself."""
    if not kind_of(source).edits_lines or not items:
        return items
    key = keys.ticker_lines(source.id)
    recent: list[str] = list(await redis.zrange(key, 0, -1))
    kept: list[Item] = []
    for item in items:
        folded = fold_text(item.title)
        is_edit = not item.guid and not item.url and any(similarity(folded, old) >= EDIT_SIMILARITY for old in recent)
        if not is_edit:
            kept.append(item)
        recent.append(folded)
    return kept


async def remember_ticker_lines(redis: Redis, keys: Keys, source: Source, items: list[Item]) -> None:
    """The lines a ticker showed (all of them on the priming poll, the new ones, edits included,
    once published) become the reference later lines are compared with."""
    if not kind_of(source).edits_lines or not items:
        return
    now = time.time()
    key = keys.ticker_lines(source.id)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.zadd(key, {fold_text(it.title): now for it in items})
        pipe.zremrangebyrank(key, 0, -TICKER_MEMORY - 1)
        await pipe.execute()
