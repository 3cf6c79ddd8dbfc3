"""The catalogue one process runs: the catalogue file (read at start and again on SIGHUP) with
the overlay of sources changed live (jobs/source_overlay.py). Each process checks the overlay's
version every few seconds and, when it moved or the file changed, hands the new list of sources
to `on_change` (the scheduler of poll jobs, and `Runtime.sources` for the commands)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jobs.keys import Keys
from jobs.source_overlay import Catalogue, read_overlay, read_version
from jobs.sources import CatalogueError, Source, load_catalogue

log = logging.getLogger(__name__)

SYNC_INTERVAL = 2.0  # seconds between checks of the overlay's version, in every process

OnChange = Callable[[list[Source]], None]


class LiveCatalogue:
    """Never raises: a dead Redis or a broken file leaves the running catalogue in place."""

    def __init__(
        self, redis: Redis, keys: Keys, path: Path | None, file_sources: list[Source], on_change: OnChange
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.path = path  # None: the bundled catalogue
        self.view = Catalogue(file=list(file_sources))
        self.on_change = on_change
        self._running: list[Source] = self.view.effective()

    @property
    def sources(self) -> list[Source]:
        return self._running

    async def refresh(self, force: bool = False) -> None:
        """Re-read the overlay when its version moved (or when forced) and apply it."""
        try:
            if not force and await read_version(self.redis, self.keys) == self.view.overlay.version:
                return
            self.view.overlay = await read_overlay(self.redis, self.keys)
        except RedisError as exc:
            log.warning("live sources not re-read (Redis unavailable): %s", exc)
            return
        self._apply()

    def reload_file(self) -> bool:
        """SIGHUP: the file again. A broken file is refused, logged, and the running catalogue
        kept; sources whose entry did not change keep their jobs and state."""
        try:
            file_sources = load_catalogue(self.path)
        except CatalogueError as exc:
            log.error("catalogue %s not reloaded, the running one is kept:\n%s", self.path or "(bundled)", exc)
            return False
        self.view.file = file_sources
        log.info("catalogue %s reloaded: %d sources", self.path or "(bundled)", len(file_sources))
        self._apply()
        return True

    def _apply(self) -> None:
        running = self.view.effective()
        if running != self._running:
            for source_id in self.view.shadowed():
                log.warning("source %s is in the catalogue file and was added live: the file's is used", source_id)
            self._running = running
            self.on_change(running)
