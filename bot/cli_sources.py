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
from jobs.fetch import Fetcher, FetchLimits
from jobs.keys import Keys
from jobs.live_sources import ADDED, EXISTS, NOT_FEED, AddOutcome, NewFeed, add_feed
from jobs.opml import OpmlError, OpmlFeed, read_opml, to_opml
from jobs.source_overlay import Catalogue, read_overlay
from jobs.sources import load_catalogue

_ID_RE = re.compile(r"^[a-z0-9-]{1,40}$")


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
            return await import_opml(redis, Keys(settings.prefix), catalogue, path, settings.live_interval)
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


async def import_opml(redis: Redis, keys: Keys, catalogue: Catalogue, path: Path | None, interval: float) -> int:
    """Exit status 1 when the file is unreadable or any feed was not added (nor there)."""
    feeds = _read(path)
    if feeds is None:
        return 1
    fetcher = Fetcher()
    failed = 0
    try:
        for feed in feeds:
            if feed.unknown_regions:
                outcome = AddOutcome("refused", detail=f"unknown region {feed.unknown_regions[0]!r}")
            else:
                wanted_id = feed.source_id if _ID_RE.match(feed.source_id) else ""
                wanted_id = "" if wanted_id in catalogue.taken_ids() else wanted_id  # taken: derive one
                wanted = NewFeed(feed.url, wanted_id, feed.title, feed.regions, interval)
                outcome = await add_feed(redis, keys, fetcher, catalogue, wanted)
            failed += outcome.status not in (ADDED, EXISTS)
            print(outcome_line(feed, outcome), flush=True)
    finally:
        await fetcher.aclose()
    print(f"{len(feeds)} feeds: {len(feeds) - failed} added or already there, {failed} not added", flush=True)
    return 1 if failed else 0
