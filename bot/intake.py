"""Taking updates (commands, button taps) from Telegram with getUpdates, in place of PTB's Updater.

Why not the Updater: it confirms an update to Telegram (the `offset` of the next getUpdates) as
soon as it has fetched it, and keeps it only in memory until a handler runs. A backlog of
commands then lives nowhere but in our process: SIGTERM either waits for all of it (and
`docker stop` kills us after 10 s anyway) or loses it. Here an update is confirmed only once its
handler has finished: the offset we send is the lowest update still unfinished, so on a bounded
shutdown whatever was not handled is fetched again by the next start. The price is at-least-once
handling: an update finished after an older one that was cut off is handled again after a
restart (a command answered twice beats one never answered).

A Bot API outage is one warning line with the retry delay, and one line when it is back, instead
of a traceback per retry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.flood import retry_seconds
from bot.grace import finish_within

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds a getUpdates long poll is held open by Telegram
BATCH = 100  # updates per getUpdates (Telegram's maximum)
RECHECK = 0.5  # while handlers run, how often to look for newer updates
MAX_RETRY_DELAY = 15.0  # the longest wait between two attempts during an outage


class UpdateIntake:
    """Fetches updates and runs the application's handlers on them, concurrently; see the module
    docstring for when an update is confirmed."""

    def __init__(
        self, app: Application, allowed_updates: list[str], poll_timeout: int = POLL_TIMEOUT, batch: int = BATCH
    ) -> None:
        self.app = app
        self.allowed_updates = allowed_updates
        self.poll_timeout = poll_timeout
        self.batch = batch
        self._next: int | None = None  # one past the highest update id dispatched
        self._unfinished: set[int] = set()  # dispatched and not handled (running, or cut off)
        self._tasks: set[asyncio.Task[None]] = set()
        self._confirmed: int | None = None  # the offset Telegram last saw from us
        self._outage_since: float | None = None

    @property
    def offset(self) -> int | None:
        """What getUpdates may confirm: everything below the oldest unfinished update."""
        if self._unfinished:
            return min(self._unfinished)
        return self._next

    async def run(self, stop: asyncio.Event) -> None:
        """Until stop is set; a getUpdates in flight is abandoned at once when it is."""
        with contextlib.suppress(TelegramError):
            await self.app.bot.delete_webhook()  # getUpdates is refused while a webhook is set
        delay = 1.0
        while not stop.is_set():
            try:
                updates = await self._fetch(stop)
            except InvalidToken:
                raise  # a revoked token is not an outage: the bot stops and says so
            except TelegramError as exc:  # network, 5xx, 429, another instance polling (Conflict)
                wait = retry_seconds(exc) if isinstance(exc, RetryAfter) else delay
                self._outage(exc, wait)
                await _sleep(stop, wait)
                delay = min(delay * 2, MAX_RETRY_DELAY)
                continue
            if updates is None:  # stopped while waiting
                break
            delay = 1.0
            self._back()
            fresh = [u for u in updates if self._next is None or u.update_id >= self._next]
            for update in fresh:
                self._dispatch(update)
            if not fresh and self._tasks:
                # Telegram answers at once while older updates are unconfirmed: wait for a
                # handler to finish (or a moment) rather than ask again in a tight loop
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({*self._tasks, stopper}, timeout=RECHECK, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()

    async def _fetch(self, stop: asyncio.Event) -> tuple[Update, ...] | None:
        offset = self.offset
        fetch = asyncio.ensure_future(
            self.app.bot.get_updates(
                offset=offset,
                timeout=0 if self._tasks else self.poll_timeout,
                limit=self.batch,
                allowed_updates=self.allowed_updates,
            )
        )
        stopper = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            return None
        updates = fetch.result()
        self._confirmed = offset
        return updates

    def _dispatch(self, update: Update) -> None:
        self._next = update.update_id + 1
        self._unfinished.add(update.update_id)
        task = asyncio.create_task(self._handle(update), name=f"update:{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update) -> None:
        try:
            await self.app.process_update(update)  # handler errors go to the error handler
        except asyncio.CancelledError:
            raise  # cut off by shutdown: stays unfinished, fetched again after the restart
        except Exception:
            log.exception("update %s could not be handled", update.update_id)  # handled, badly: not retried
        self._unfinished.discard(update.update_id)

    def _outage(self, exc: TelegramError, wait: float) -> None:
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            log.warning(
                "Bot API unreachable (%s: %s); retrying in %.0fs, then backing off up to %.0fs",
                type(exc).__name__,
                exc,
                wait,
                MAX_RETRY_DELAY,
            )

    def _back(self) -> None:
        if self._outage_since is not None:
            log.warning("Bot API reachable again after %.0fs", time.monotonic() - self._outage_since)
            self._outage_since = None

    async def finish(self, grace: float) -> None:
        """After run() has returned: give running handlers `grace` seconds, cut off the rest,
        and confirm to Telegram exactly what was handled."""
        late = await finish_within(set(self._tasks), grace)
        if late:
            log.info("%d updates not handled before the shutdown deadline; the next start takes them", len(late))
        offset = self.offset
        if offset is None or offset == self._confirmed:
            return
        try:  # a last getUpdates only to move Telegram's offset; what it returns is not taken
            await asyncio.wait_for(self.app.bot.get_updates(offset=offset, timeout=0, limit=1), 2.0)
        except (TelegramError, TimeoutError) as exc:
            log.warning("could not confirm handled updates (%s); they may be handled again", exc)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
