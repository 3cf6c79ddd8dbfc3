"""One poll of one source, top to bottom: lock → fetch → parse → normalize → dedupe → classify →
publish, with the source's health recorded in Redis whatever happens."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jobs.classify import Classifier, default_classifier
from jobs.cluster import StoryClusterer
from jobs.dedupe import Claim, claim_new, drop_ticker_edits, remember_ticker_lines
from jobs.fetch import Fetcher, FetchResult, Validators
from jobs.items import items_from
from jobs.keys import Keys
from jobs.models import Item
from jobs.publish import publish
from jobs.scripts import load_script
from jobs.sources import Source
from jobs.state import SourceState, now

log = logging.getLogger(__name__)

MAX_AGE = timedelta(days=2)  # an item published longer ago than this is history, not news


@dataclass(slots=True)
class PollReport:
    source: str
    # ok | not-modified | unchanged | error | skipped | locked | disabled | primed | paused | removed
    status: str
    fetched: int = 0
    alerted: list[Item] = field(default_factory=list)  # new items, and updates that add information
    repeats: list[Item] = field(default_factory=list)  # near-repeats, published for the source's followers
    error: str = ""


@dataclass(slots=True)
class PollerSettings:
    disable_after: int = 10  # consecutive errors before a source is disabled
    backoff_base: float = 2.0
    story_quiet: float = 3 * 3600.0  # NEWSBOT_STORY_QUIET


DisableHook = Callable[[Source, SourceState], Awaitable[None]]


class Poller:
    """Polls sources into the stories stream. The clusterer is injected (the application builds
    one with the configured quiet period); left out, one is built from `settings` for tests.
    Sources added live (`Source.live`) are fetched with `live_fetcher`, the guarded twin of
    `fetcher` unless private addresses are allowed (jobs/live_sources.live_poll_fetcher); left
    out, `fetcher` itself. One gate admits the polls of both."""

    def __init__(
        self,
        redis: Redis,
        fetcher: Fetcher,
        keys: Keys | None = None,
        classifier: Classifier | None = None,
        settings: PollerSettings | None = None,
        on_disable: DisableHook | None = None,
        clusterer: StoryClusterer | None = None,
        live_fetcher: Fetcher | None = None,
    ) -> None:
        self.redis = redis
        self.fetcher = fetcher
        self.live_fetcher = live_fetcher or fetcher
        self.keys = keys or Keys()
        self.classifier = classifier or default_classifier()
        self.settings = settings or PollerSettings()
        self.on_disable = on_disable
        self.clusterer = clusterer or StoryClusterer(
            redis, self.keys, classifier=self.classifier, quiet=self.settings.story_quiet
        )
        self._release = load_script(redis, "release_tokens")
        # a poll holds Redis connections and a fetch slot: admit only as many as can fetch
        # (live sources' polls included: the guarded twin shares the fetcher's gates too)
        self._gate = asyncio.Semaphore(fetcher.limits.max_concurrent)

    async def poll(self, source: Source, force: bool = False) -> PollReport:
        """Never raises: a broken source or a Redis hiccup costs this poll and is reported."""
        async with self._gate:
            return await self._poll_gated(source, force)

    async def _poll_gated(self, source: Source, force: bool) -> PollReport:
        """Two Redis round trips per poll: take the lock and read the state together, then
        write the state and release the lock together. A 304 poll costs little else."""
        token = secrets.token_hex(8)
        lock = self.keys.source_lock(source.id)
        state_key = self.keys.source_state(source.id)
        ttl_ms = int(max(60.0, self.fetcher.limits.total_timeout * 2) * 1000)
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hget(self.keys.sources_status, source.id)
                pipe.set(lock, token, nx=True, px=ttl_ms)
                pipe.hgetall(state_key)
                held, got, raw = await pipe.execute()
            if held:  # paused or removed live (jobs/source_overlay.py), by whichever instance
                if got:
                    await self._release(keys=[lock], args=[token])
                return PollReport(source.id, held)
            if not got:
                return PollReport(source.id, "locked")
            state = SourceState.from_hash(raw)
            was_disabled = state.disabled
            report = PollReport(source.id, "error", error="poll did not finish")
            try:
                report = await self._poll_locked(source, state, force)
            finally:
                async with self.redis.pipeline(transaction=False) as pipe:
                    if report.status not in ("skipped", "disabled"):
                        pipe.hset(state_key, mapping=state.to_hash())
                    await self._release(keys=[lock], args=[token], client=pipe)
                    await pipe.execute()
            if state.disabled and not was_disabled:
                await self._tell_disabled(source, state)
            return report
        except RedisError as exc:
            log.warning("poll of %s skipped: Redis unavailable: %s", source.id, exc)
            return PollReport(source.id, "error", error=f"redis: {exc}")
        except Exception as exc:  # the scheduler must keep running whatever one source does
            log.exception("poll of %s failed", source.id)
            return PollReport(source.id, "error", error=f"{type(exc).__name__}: {exc}")

    async def _poll_locked(self, source: Source, state: SourceState, force: bool) -> PollReport:
        t = now()
        if state.disabled and not force:
            return PollReport(source.id, "disabled")
        if state.next_poll > t + source.interval / 2 and not force:  # jitter slack
            return PollReport(source.id, "skipped")
        state.last_poll = t
        fetcher = self.live_fetcher if source.live else self.fetcher
        result = await fetcher.fetch(source.url, Validators(state.etag, state.last_modified))
        report = await self._process(source, state, result, t)
        if report.error:
            await self._record_error(source, state, report.error, t, result)
        else:
            state.errors = 0
            state.last_error = ""
            state.last_success = t
            state.next_poll = t + self._hinted_delay(source, result, None, state.ttl_hint or None)
        return report

    async def _process(self, source: Source, state: SourceState, result: FetchResult, t: float) -> PollReport:
        if result.refused:  # the guard's: the source (or a redirect) now points at a private address
            return PollReport(source.id, "error", error=f"refused: {result.error}")
        if not result.ok:
            return PollReport(source.id, "error", error=result.error)
        if result.not_modified:
            state.not_modified += 1
            return PollReport(source.id, "not-modified")
        # what the state said before this body: put back if its items cannot be published, so
        # that neither a 304 nor an "unchanged" body hides them from the next poll
        prior = (state.etag, state.last_modified, state.body_hash)
        state.etag = result.headers.get("etag", "")[:200]
        state.last_modified = result.headers.get("last-modified", "")[:100]
        body_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        if body_hash == state.body_hash and state.primed:
            state.not_modified += 1
            return PollReport(source.id, "unchanged")
        extracted = items_from(source, result, datetime.fromtimestamp(t, UTC))
        if extracted.error:
            return PollReport(source.id, "error", error=extracted.error)
        if not extracted.entries:
            state.empty_polls += 1
            return PollReport(source.id, "error", error="200 OK with no items (suspicious)")
        state.body_hash = body_hash
        state.ttl_hint = extracted.ttl_seconds or 0.0
        return await self._publish_new(source, state, extracted.items, t, prior)

    async def _publish_new(
        self, source: Source, state: SourceState, items: list[Item], t: float, prior: tuple[str, str, str]
    ) -> PollReport:
        """Claim, thread and publish what this poll saw first; on failure the claims and the
        state's validators are put back, so the next poll offers the same items again."""
        when = datetime.fromtimestamp(t, UTC)
        # claimed as pending: seen for good only once published, released if publishing fails
        claim = await claim_new(self.redis, self.keys, source, items)
        fresh: list[Item] = []
        try:
            if not state.primed:
                # First sight of this source: what is already listed is history, not news.
                lines = items
                report = PollReport(source.id, "primed", fetched=len(items))
            else:
                lines = [it for it in claim.fresh if when - it.published <= MAX_AGE]
                fresh = await drop_ticker_edits(self.redis, self.keys, source, lines)
                alerts = await self._thread(source, fresh, t)
                repeats = await self._followed_repeats(source, fresh)
                await publish(self.redis, self.keys, alerts + repeats)
                report = PollReport(source.id, "ok", fetched=len(items), alerted=alerts, repeats=repeats)
        except BaseException as exc:
            state.etag, state.last_modified, state.body_hash = prior
            if not isinstance(exc, Exception):
                raise  # cancelled: the pending claims expire on their own
            await self._release_claim(source, claim)
            log.warning("%s: publishing failed, %d items left for the next poll", source.id, len(claim.fresh))
            return PollReport(source.id, "error", error=f"publish failed: {type(exc).__name__}: {exc}"[:300])
        await claim.confirm(self.redis)
        await remember_ticker_lines(self.redis, self.keys, source, lines)
        if not state.primed:
            state.primed = 1
            return report
        state.items_total += len(fresh)
        if fresh:
            log.info("%s: %d new of %d (%d alerted)", source.id, len(fresh), len(items), len(report.alerted))
        return report

    async def _thread(self, source: Source, fresh: list[Item], t: float) -> list[Item]:
        """Tag each new item and join it to its story; the ones worth an alert come back. Only a
        near-repeat of a known story is left out (marked `repeat`); anything that adds a figure,
        a place, a named object or words threads as a reply: a false merge must not hide news."""
        for item in fresh:
            self.classifier.apply(item)
        assignments = await self.clusterer.assign_many([(it.key, it.title, t, source.id) for it in fresh])
        alerts: list[Item] = []
        for item, assignment in zip(fresh, assignments, strict=True):
            # a retry after a failed publish finds the story this item itself opened
            is_new = assignment.is_new or assignment.story == item.key
            item.story = assignment.story
            item.update = not is_new
            if is_new or assignment.adds_information:
                alerts.append(item)
            else:
                item.repeat = True
        return alerts

    async def _followed_repeats(self, source: Source, fresh: list[Item]) -> list[Item]:
        """The near-repeats worth publishing: a chat that follows this source asked for every item
        of it (delivery skips the chats the story already reached). When no chat follows it,
        none: they would only crowd the stream and /latest's window."""
        repeats = [item for item in fresh if item.repeat]
        if repeats and await self.redis.exists(self.keys.source_index(source.id)):
            return repeats
        return []

    async def _release_claim(self, source: Source, claim: Claim) -> None:
        """Best effort: a claim that cannot be released (Redis gone) expires within minutes."""
        try:
            await claim.release(self.redis)
        except RedisError as exc:
            log.warning("%s: pending claims not released (they expire): %s", source.id, exc)

    async def _record_error(
        self, source: Source, state: SourceState, error: str, t: float, result: FetchResult
    ) -> None:
        state.errors += 1
        state.last_error = error[:300]
        backoff = min(source.interval * self.settings.backoff_base ** min(state.errors, 20), source.ceiling)
        state.next_poll = t + self._hinted_delay(source, result, backoff)
        log.warning("%s: error %d in a row: %s", source.id, state.errors, error)
        if state.errors >= self.settings.disable_after and not state.disabled:
            state.disabled = 1
            log.error("%s: disabled after %d consecutive errors", source.id, state.errors)

    async def _tell_disabled(self, source: Source, state: SourceState) -> None:
        """Called once the disabled state is stored, so an admin who reads the notice and asks
        `/sources` at once sees the source disabled (told first, the answer could say otherwise)."""
        if self.on_disable is None:
            return
        try:
            await self.on_disable(source, state)
        except Exception:
            log.exception("disable hook failed for %s", source.id)

    def _hinted_delay(
        self, source: Source, result: FetchResult, backoff: float | None, ttl: float | None = None
    ) -> float:
        """Servers' hints (Retry-After, Cache-Control max-age, a feed's <ttl>) stretch the wait,
        within the source's bounds: never below its interval, never past its ceilings."""
        if backoff is not None:
            delay = backoff
            retry = _retry_after(result.headers.get("retry-after", "")) if result.status in (429, 503) else None
            if retry is not None:
                delay = max(delay, min(retry, source.ceiling))
            return max(source.interval, delay)
        hints = [h for h in (_max_age(result.headers.get("cache-control", "")), ttl) if h is not None]
        delay = max([source.interval, *(min(h, source.hint_ceiling) for h in hints)])
        return delay


def _retry_after(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError, IndexError):
        return None


def _max_age(value: str) -> float | None:
    match = re.search(r"(?:^|[,\s])max-age\s*=\s*(\d+)", value.lower())
    return float(match.group(1)) if match else None
