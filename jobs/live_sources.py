"""Adding one feed live, the same way for `/source add` and `newsbot sources import`: refuse
what is already there or badly named before any fetch, find and check the feed with a real
fetch and parse, then store it in the overlay (jobs/source_overlay.py), where every poller
picks it up. The URLs come from an administrator (or a file one imports), so they are fetched
with a guarded fetcher (`live_fetcher`), and so is every later poll of them
(`live_poll_fetcher`): no private-network addresses, unless the operator allows them
(NEWSBOT_ALLOW_PRIVATE_SOURCES)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from redis.asyncio import Redis

from jobs.address_guard import AddressGuard
from jobs.feed_discovery import MAX_ID, Discovery, derive_id, discover_feed, web_url
from jobs.fetch import Fetcher, FetchLimits
from jobs.keys import Keys
from jobs.source_overlay import Catalogue, add_source, added
from jobs.sources import Source, build_source

ADDED, EXISTS, NOT_FEED, REFUSED = "added", "exists", "not-feed", "refused"
_ID_RE = re.compile(r"^[a-z0-9-]+$")
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class NewFeed:
    """What an administrator (or an OPML outline) asks for; empty fields are derived."""

    url: str
    source_id: str = ""
    name: str = ""
    regions: tuple[str, ...] = ()
    interval: float = 120.0


@dataclass(slots=True)
class AddOutcome:
    status: str  # added | exists | not-feed | refused
    source: Source | None = None
    detail: str = ""  # why, for not-feed and refused


def live_fetcher(allow_private: bool, limits: FetchLimits | None = None) -> Fetcher:
    """The fetcher for URLs given to add a source: guarded against private addresses unless
    `allow_private` (a feed on the operator's LAN; the tests' local servers). The poller's own
    fetcher stays unguarded: the catalogue file is the operator's and trusted."""
    return Fetcher(limits, guard=None if allow_private else AddressGuard())


def live_poll_fetcher(fetcher: Fetcher, allow_private: bool, guard: AddressGuard | None = None) -> Fetcher:
    """What the poller fetches sources added live with (`Source.live`): the guarded twin of its
    `fetcher` (same limits, same concurrency gates), since a name that resolved to a public
    address when the source was added may resolve or redirect elsewhere at any later poll (DNS
    rebinding, a site taken over). `fetcher` itself when `allow_private`. `guard`: the tests'."""
    return fetcher if allow_private else fetcher.guarded(guard or AddressGuard())


def _precheck(catalogue: Catalogue, wanted: NewFeed) -> AddOutcome | None:
    """What can be refused without fetching anything."""
    if not web_url(wanted.url):
        return AddOutcome(REFUSED, detail="only http:// and https:// URLs can be added")
    if wanted.source_id:
        if len(wanted.source_id) > MAX_ID or not _ID_RE.match(wanted.source_id):
            return AddOutcome(REFUSED, detail=f"an id is at most {MAX_ID} characters of a-z, 0-9 and '-'")
        if wanted.source_id in catalogue.taken_ids():
            return AddOutcome(REFUSED, detail=f"the id {wanted.source_id} is already taken")
    known = catalogue.by_url(wanted.url)
    return AddOutcome(EXISTS, source=known) if known is not None else None


async def check_feed(fetcher: Fetcher, catalogue: Catalogue, wanted: NewFeed) -> AddOutcome | Discovery:
    """The network half, safe to run for many feeds at once: the feed found and checked, or
    the outcome that ends it (refused, already there, not a feed)."""
    refused = _precheck(catalogue, wanted)
    if refused is not None:
        return refused
    found = await discover_feed(fetcher, wanted.url)
    if found.refused:
        return AddOutcome(REFUSED, detail=found.error)
    return found if found.ok else AddOutcome(NOT_FEED, detail=found.error)


async def store_feed(redis: Redis, keys: Keys, catalogue: Catalogue, wanted: NewFeed, found: Discovery) -> AddOutcome:
    """The Redis half, one feed at a time: its id derived against what is taken now, then
    kept in the overlay. `catalogue` is the caller's view, updated with what is added; the
    overlay itself refuses an id taken meanwhile by another process."""
    known = catalogue.by_url(found.feed_url)
    if known is not None:
        return AddOutcome(EXISTS, source=known)
    source_id = wanted.source_id or derive_id(found.title, found.feed_url, catalogue.taken_ids())
    entry = {
        "id": source_id,
        "name": (wanted.name or found.title or source_id).strip()[:MAX_NAME],
        "kind": "feed",
        "url": found.feed_url,
        "interval": wanted.interval,
        "regions": list(wanted.regions),
    }
    built, problems = build_source(entry)
    if built is None:
        return AddOutcome(REFUSED, detail="; ".join(problems))
    source = added(built)
    if not await add_source(redis, keys, source):
        return AddOutcome(REFUSED, detail=f"the id {source_id} was taken meanwhile")
    catalogue.overlay.added[source.id] = source
    catalogue.overlay.status.pop(source.id, None)
    return AddOutcome(ADDED, source=source)


async def add_feed(redis: Redis, keys: Keys, fetcher: Fetcher, catalogue: Catalogue, wanted: NewFeed) -> AddOutcome:
    """Never raises for a bad URL or a bad feed: the outcome says why."""
    checked = await check_feed(fetcher, catalogue, wanted)
    if isinstance(checked, AddOutcome):
        return checked
    return await store_feed(redis, keys, catalogue, wanted, checked)
