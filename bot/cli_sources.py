"""`newsbot sources export|import`: the running catalogue (the file plus sources changed live,
minus removed ones) as OPML, and feeds added from an OPML file, each checked with a real fetch
and parse as `/source add` checks them. Both work on the bot's Redis (REDIS_URL, or the embedded
one in NEWSBOT_DATA_DIR, which a running bot shares), so running bots pick imports up at once."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from redis.asyncio import Redis

from bot.config import Settings
from jobs.feed_discovery import Discovery
from jobs.fetch import FetchLimits
from jobs.keys import Keys
from jobs.live_sources import (
    ADDED,
    EXISTS,
    NOT_FEED,
    REFUSED,
    AddOutcome,
    NewFeed,
    check_feed,
    live_fetcher,
    store_feed,
)
from jobs.opml import OpmlError, OpmlFeed, read_opml, to_opml
from jobs.source_overlay import Catalogue, read_overlay
from jobs.sources import load_catalogue

_ID_RE = re.compile(r"^[a-z0-9-]{1,40}$")
CHECKS_AT_ONCE = 8


def cmd_sources(action: str, path: Path | None) -> int:
    """Runs against the configured Redis, or the embedded one (started if no bot runs)."""
    from bot.redis_server import EmbeddedRedis, RedisUnavailable, connect, wait_for_redis

    settings = Settings.from_env()
    file_sources = load_catalogue(settings.sources_file)  # a broken file: CatalogueError, exit 1
    embedded = None if settings.redis_url else EmbeddedRedis(settings.data_dir)
    try:
        url = settings.redis_url or embedded.start()
    except RuntimeError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 1

    async def go() -> int:
        redis = connect(url)
        try:
            await wait_for_redis(redis, url)
            catalogue = Catalogue(file_sources, await read_overlay(redis, Keys(settings.prefix)))
            if action == "export":
                sys.stdout.write(to_opml(catalogue.effective()))
                return 0
            keys = Keys(settings.prefix)
            allow = settings.allow_private_sources
            return await import_opml(redis, keys, catalogue, path, settings.live_interval, allow_private=allow)
        finally:
            await redis.aclose()

    try:
        return asyncio.run(go())
    except RedisUnavailable as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 1
    finally:
        if embedded is not None:
            embedded.stop()  # only if this command started it


def _read(path: Path | None) -> list[OpmlFeed] | None:
    """The file's feeds, or None after saying on stderr why it cannot be read."""
    limit = FetchLimits().max_bytes
    try:
        assert path is not None
        if path.stat().st_size > limit:
            raise OpmlError(f"larger than {limit} bytes")
        return read_opml(path.read_bytes())
    except (OSError, OpmlError) as exc:
        print(f"newsbot: {path}: {exc}", file=sys.stderr)
        return None


def outcome_line(feed: OpmlFeed, outcome: AddOutcome) -> str:
    """One line per feed, in the words the README gives."""
    source = outcome.source
    if outcome.status == ADDED and source is not None:
        return f"added {source.id}: {source.url}"
    if outcome.status == EXISTS and source is not None:
        return f"already there ({source.id}): {feed.url}"
    if outcome.status == NOT_FEED:
        return f"not a feed: {feed.url}: {outcome.detail}"
    return f"refused: {feed.url}: {outcome.detail}"


def _wanted(feed: OpmlFeed, catalogue: Catalogue, interval: float) -> NewFeed:
    """An outline's feed as asked for: its newsbot:id kept when valid and free, else derived."""
    wanted_id = feed.source_id if _ID_RE.match(feed.source_id) else ""
    wanted_id = "" if wanted_id in catalogue.taken_ids() else wanted_id
    return NewFeed(feed.url, wanted_id, feed.title, feed.regions, interval)


async def import_opml(
    redis: Redis, keys: Keys, catalogue: Catalogue, path: Path | None, interval: float, *, allow_private: bool = False
) -> int:
    """Feeds are fetched and checked CHECKS_AT_ONCE at a time (the fetcher's per-host limit
    applies too), then stored one by one in file order, so ids are derived in that order.
    Private addresses are refused unless `allow_private` (an OPML file is as untrusted as a
    URL given to `/source add`). Exit status 1 when the file is unreadable or any feed was
    not added (nor there)."""
    feeds = _read(path)
    if feeds is None:
        return 1
    fetcher = live_fetcher(allow_private)
    gate = asyncio.Semaphore(CHECKS_AT_ONCE)

    async def check(feed: OpmlFeed) -> AddOutcome | Discovery:
        if feed.unknown_regions:
            return AddOutcome(REFUSED, detail=f"unknown region {feed.unknown_regions[0]!r}")
        async with gate:
            return await check_feed(fetcher, catalogue, _wanted(feed, catalogue, interval))

    try:
        checked = await asyncio.gather(*(check(feed) for feed in feeds))
    finally:
        await fetcher.aclose()
    failed = 0
    for feed, result in zip(feeds, checked, strict=True):
        outcome = result
        if isinstance(result, Discovery):
            outcome = await store_feed(redis, keys, catalogue, _wanted(feed, catalogue, interval), result)
        failed += outcome.status not in (ADDED, EXISTS)
        print(outcome_line(feed, outcome), flush=True)
    print(f"{len(feeds)} feeds: {len(feeds) - failed} added or already there, {failed} not added", flush=True)
    return 1 if failed else 0
