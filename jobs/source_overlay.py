"""Sources changed live, kept in Redis as an overlay on the catalogue file: added sources (their
catalogue entries), and sources paused or removed, file ones included. Every process (pollers,
senders, `newsbot sources`) reads the same overlay, so a change made by one bot administrator
reaches every poller without a restart; a version counter bumped with each change lets each
process re-read the overlay only when it moved."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, fields, replace

from redis.asyncio import Redis

from jobs.keys import Keys
from jobs.scripts import load_script
from jobs.sources import Source, build_source

log = logging.getLogger(__name__)

PAUSED, REMOVED = "paused", "removed"
_DEFAULTS = {f.name: f.default for f in fields(Source) if f.name != "live"}  # live: not an entry key


@dataclass(slots=True)
class Overlay:
    added: dict[str, Source] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)  # id → paused | removed
    version: int = 0


@dataclass(slots=True)
class Catalogue:
    """The catalogue file and the overlay together: what runs, and which ids are taken."""

    file: list[Source]
    overlay: Overlay = field(default_factory=Overlay)

    def effective(self) -> list[Source]:
        """File sources, then added ones, minus removed. A file source wins over an added one of
        the same id (the file was edited to name it since), with a warning."""
        file_ids = {s.id for s in self.file}
        status = self.overlay.status
        running = [s for s in self.file if status.get(s.id) != REMOVED]
        for source_id, source in self.overlay.added.items():
            if source_id not in file_ids and status.get(source_id) != REMOVED:
                running.append(source)
        return running

    def shadowed(self) -> list[str]:
        """Ids added live that the file names too (the file was edited since): the file's wins."""
        file_ids = {s.id for s in self.file}
        return [source_id for source_id in self.overlay.added if source_id in file_ids]

    def taken_ids(self) -> set[str]:
        """Ids a new source may not take: every file source's (even removed: re-adding one
        would bring the file's back) and every added one's."""
        return {s.id for s in self.file} | set(self.overlay.added)

    def find(self, source_id: str) -> Source | None:
        return next((s for s in self.effective() if s.id == source_id), None)

    def by_url(self, url: str) -> Source | None:
        return next((s for s in self.effective() if s.url == url), None)

    def paused(self, source_id: str) -> bool:
        return self.overlay.status.get(source_id) == PAUSED


def entry_of(source: Source) -> dict[str, object]:
    """The catalogue entry of a source: only what differs from the defaults, lists as lists."""
    entry: dict[str, object] = {}
    for name, default in _DEFAULTS.items():
        value = getattr(source, name)
        if name in ("id", "name", "kind", "url") or value != default:
            entry[name] = list(value) if isinstance(value, tuple) else value
    return entry


def source_of(source_id: str, raw: str) -> Source | None:
    """An added source from its stored entry; one that no longer validates (a region renamed,
    a hand-edited value) is logged and left out rather than stopping every process."""
    try:
        entry = json.loads(raw)
    except ValueError:
        entry = None
    source, problems = build_source(entry) if isinstance(entry, dict) else (None, ["not a JSON object"])
    if source is None or source.id != source_id:
        log.error("source %s added live is unreadable, skipped: %s", source_id, "; ".join(problems) or "id differs")
        return None
    return added(source)


def added(source: Source) -> Source:
    """`source` as one added live: polled through the address guard (Source.live)."""
    return replace(source, live=True)


async def read_version(redis: Redis, keys: Keys) -> int:
    return int(await redis.get(keys.sources_version) or 0)


async def read_overlay(redis: Redis, keys: Keys) -> Overlay:
    """The whole overlay in one round trip."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.get(keys.sources_version)
        pipe.hgetall(keys.sources_added)
        pipe.hgetall(keys.sources_status)
        version, added, status = await pipe.execute()
    sources = {sid: s for sid, raw in added.items() if (s := source_of(sid, raw)) is not None}
    return Overlay(added=sources, status=dict(status), version=int(version or 0))


async def add_source(redis: Redis, keys: Keys, source: Source) -> bool:
    """Store a validated source in the overlay; False when its id was taken meanwhile."""
    script = load_script(redis, "source_add")
    entry = json.dumps(entry_of(source), ensure_ascii=False)
    keys_ = [keys.sources_added, keys.sources_status, keys.sources_version, keys.source_state(source.id)]
    return bool(await script(keys=keys_, args=[source.id, entry]))


async def set_status(redis: Redis, keys: Keys, source_id: str, status: str | None) -> None:
    """Pause (PAUSED), resume (None) or remove (REMOVED) a source, file or added, for every
    poller: each checks this status before each poll. Removing also forgets an added entry."""
    async with redis.pipeline(transaction=True) as pipe:
        if status is None:
            pipe.hdel(keys.sources_status, source_id)
        else:
            pipe.hset(keys.sources_status, source_id, status)
        if status == REMOVED:
            pipe.hdel(keys.sources_added, source_id)
        pipe.incr(keys.sources_version)
        await pipe.execute()
