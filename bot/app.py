"""Wiring: the Telegram application, the poll jobs (one per source on PTB's JobQueue), and the
fan-out and delivery loops, for the roles `all`, `poller` and `sender`."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import random
import signal
import socket
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot import commands, metrics_server
from bot.config import Settings
from bot.delivery import GROUP, Delivery
from bot.fanout import Fanout
from bot.flood import FloodControl, FloodLimits
from bot.grace import finish_within
from bot.intake import UpdateIntake
from bot.matching import Matcher
from bot.metrics import Metrics
from bot.outgoing import Outgoing, replies
from bot.ratelimit import FloodRateLimiter
from bot.render import admin_notice
from bot.runtime import Runtime
from bot.source_sync import SYNC_INTERVAL, LiveCatalogue
from bot.subscriptions import Subscriptions
from jobs.classify import default_classifier
from jobs.cluster import StoryClusterer, warm_up
from jobs.fetch import Fetcher
from jobs.keys import Keys
from jobs.live_sources import live_poll_fetcher
from jobs.poller import DisableHook, Poller, PollerSettings, PollReport
from jobs.sources import Source
from jobs.state import SourceState

log = logging.getLogger(__name__)

# what running handlers and the delivery loops get after SIGTERM before they are cut off: the
# whole shutdown must end well inside `docker stop`'s 10 s (then SIGKILL); nothing is lost by the
# cut, since unhandled updates stay unconfirmed at Telegram and outbox entries stay pending
SHUTDOWN_GRACE = 4.0
ALLOWED_UPDATES = ["message", "channel_post", "callback_query", "my_chat_member"]
POLL_JOB = "poll:"  # a source's poll job is named poll:<source id>


def build_application(settings: Settings, rate_limiter: FloodRateLimiter | None = None) -> Application:
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(settings.file_api_url)
        .concurrent_updates(True)
        .updater(None)  # bot.intake takes the updates: it confirms them only once handled
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    return builder.build()


async def poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt: Runtime = context.application.bot_data["runtime"]
    source: Source = context.job.data
    if rt.poller is None:
        return
    report = await rt.poller.poll(source)
    count_poll(rt.metrics, source.id, report)


def count_poll(m: Metrics, source_id: str, report: PollReport) -> None:
    """Polls by outcome, and for each alerted item how late we saw it after its publication."""
    m.polls.labels(source=source_id, status=report.status).inc()
    if report.status in ("not-modified", "unchanged"):
        m.not_modified.labels(source=source_id).inc()
    if report.status == "error":
        m.poll_errors.labels(source=source_id).inc()
    if report.alerted:
        m.items.labels(source=source_id).inc(len(report.alerted))
        for item in report.alerted:
            m.published_to_seen.observe(max(0.0, (item.first_seen - item.published).total_seconds()))


def schedule_sources(app: Application, sources: list[Source]) -> None:
    """One repeating job per source, kept in step with `sources`: a new source is scheduled
    (its first poll within seconds), a removed one unscheduled, a changed one rescheduled, an
    unchanged one left alone. max_instances=1 and coalesce keep a slow source from stacking
    runs, jitter keeps many sources from firing in the same instant."""
    assert app.job_queue is not None
    wanted = {s.id: s for s in sources if s.enabled}
    for job in app.job_queue.jobs():
        if not (job.name or "").startswith(POLL_JOB):
            continue
        source_id = job.name.removeprefix(POLL_JOB)
        if wanted.get(source_id) == job.data:
            del wanted[source_id]
        else:
            job.schedule_removal()
            log.info("source %s unscheduled", source_id)
    for source in wanted.values():
        app.job_queue.run_repeating(
            poll_job,
            interval=source.interval,
            first=random.uniform(0.2, min(source.interval, 3.0)),
            name=f"{POLL_JOB}{source.id}",
            data=source,
            job_kwargs={
                "max_instances": 1,
                "coalesce": True,
                "jitter": min(source.interval * 0.1, 5.0),
                "misfire_grace_time": max(1, int(source.interval)),
            },
        )


async def sync_sources_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every few seconds in every process: sources added, changed or removed live elsewhere."""
    rt: Runtime = context.application.bot_data["runtime"]
    if rt.catalogue is not None:
        await rt.catalogue.refresh()


async def start_catalogue(app: Application, rt: Runtime, file_sources: list[Source], polls: bool) -> LiveCatalogue:
    """The running catalogue (file plus live overlay), kept in `rt.sources` and, in a poller,
    in the poll jobs; re-read when the overlay moves, and the file on SIGHUP."""

    def on_change(running: list[Source]) -> None:
        rt.sources = running
        if polls:
            schedule_sources(app, running)

    catalogue = LiveCatalogue(rt.redis, rt.keys, rt.settings.sources_file, file_sources, on_change)
    rt.catalogue = catalogue
    await catalogue.refresh(force=True)
    on_change(catalogue.sources)
    assert app.job_queue is not None
    app.job_queue.run_repeating(sync_sources_job, interval=SYNC_INTERVAL, first=SYNC_INTERVAL, name="sources:sync")
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, catalogue.reload_file)
    return catalogue


async def _redis_ok(redis: Redis) -> bool:
    try:
        return bool(await redis.ping())
    except Exception:
        return False


def admin_notifier(bot: Bot, settings: Settings):
    async def notify(source: Source, state: SourceState) -> None:
        text = admin_notice(source, state)
        for admin in settings.admin_ids:
            try:
                await bot.send_message(admin, text, parse_mode=ParseMode.HTML)
            except TelegramError as exc:
                log.warning("could not tell admin %s: %s", admin, exc)

    return notify


async def initialize_with_retry(app: Application, stop: asyncio.Event) -> bool:
    """Telegram unreachable at start (network not up yet, API outage) is waited out with
    backoff; a rejected token is not, and propagates as InvalidToken. False if stopped first."""
    delay = 1.0
    while not stop.is_set():
        try:
            await app.initialize()
            return True
        except InvalidToken:
            raise
        except NetworkError as exc:
            log.warning("cannot reach the Bot API (%s); retrying in %.0fs", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 60.0)
    return False


async def _pending(redis: Redis, keys: Keys) -> float:
    try:
        return float((await redis.xpending(keys.outbox, GROUP))["pending"])
    except ResponseError:  # no group yet: nothing taken
        return 0.0


async def start_metrics(rt: Runtime) -> asyncio.Server | None:
    if not rt.settings.metrics_port:
        return None
    redis, keys, gauges = rt.redis, rt.keys, rt.metrics.gauges
    gauges.read_with("newsbot_outbox_length", lambda: redis.xlen(keys.outbox))
    gauges.read_with("newsbot_outbox_pending", lambda: _pending(redis, keys))
    gauges.read_with("newsbot_chats", lambda: redis.scard(keys.chats))
    try:
        return await metrics_server.serve(
            rt.metrics, rt.settings.metrics_port, lambda: _redis_ok(redis), host=rt.settings.metrics_host
        )
    except OSError as exc:
        log.warning("metrics server not started on %s:%s: %s", rt.settings.metrics_host, rt.settings.metrics_port, exc)
        return None


def _fatal(task: asyncio.Task, stop: asyncio.Event) -> None:
    """A loop that died (a revoked token) stops the bot rather than leaving it deaf."""
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped: %s", task.get_name(), task.exception())
        stop.set()


async def finish_updates_then_replies(
    intake: UpdateIntake | None, outgoing: Outgoing, grace: float, save: Callable[[list[dict]], Awaitable[None]]
) -> None:
    """Within one grace period: the running handlers first, then the reply queues. Replies
    already queued go out meanwhile; a handler that finishes during the grace queues its reply
    and has its update confirmed, so the queues are closed (and what is left saved in Redis)
    only once no handler can queue another: closed beside the handlers, a late reply was lost."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    if intake is not None:
        await intake.finish(grace)
    await outgoing.close(max(0.0, deadline - loop.time()), save=save)


async def save_replies(redis: Redis, keys: Keys, records: list[dict]) -> None:
    await redis.rpush(keys.saved_replies, *(json.dumps(r) for r in records))


async def resend_saved_replies(redis: Redis, keys: Keys, bot) -> None:
    """Replies the last shutdown could not send go first, through the same per-chat queue."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lrange(keys.saved_replies, 0, -1)
        pipe.delete(keys.saved_replies)
        saved, _ = await pipe.execute()
    for raw in saved:
        try:
            record = json.loads(raw)
            chat_id = int(record["chat_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("skipping a saved reply that cannot be read: %.80r", raw)
            continue
        replies.submit(chat_id, lambda r=record: commands.send_saved_reply(bot, r), record)
    if saved:
        log.info("%d replies saved at the last shutdown queued again", len(saved))


def build_poller(rt: Runtime, fetcher: Fetcher, on_disable: DisableHook, live_fetcher: Fetcher | None = None) -> Poller:
    """The poller with its clusterer built here, on the configured quiet period; sources added
    live are fetched with `live_fetcher` (jobs/live_sources.live_poll_fetcher), `fetcher` if
    left out."""
    settings, redis, keys = rt.settings, rt.redis, rt.keys
    classifier = default_classifier()
    warm_up(classifier)
    return Poller(
        redis,
        fetcher,
        keys,
        settings=PollerSettings(disable_after=settings.disable_after, story_quiet=settings.story_quiet),
        on_disable=on_disable,
        clusterer=StoryClusterer(redis, keys, classifier=classifier, quiet=settings.story_quiet),
        live_fetcher=live_fetcher,
    )


async def start_sender(
    app: Application,
    rt: Runtime,
    intake: UpdateIntake,
    flood: FloodControl,
    tasks: list[asyncio.Task],
    stop: asyncio.Event,
) -> asyncio.Task:
    """Replies saved at the last shutdown first, then the update intake, delivery and fan-out
    loops (added to `tasks`); the intake's task is returned, for the shutdown to await."""
    redis, keys = rt.redis, rt.keys
    consumer = f"{socket.gethostname()}-{os.getpid()}"
    await resend_saved_replies(redis, keys, app.bot)
    intake_task = asyncio.create_task(intake.run(stop), name="intake")
    intake_task.add_done_callback(lambda t: _fatal(t, stop))
    fanout = Fanout(redis, keys, rt.matcher, consumer, rt.metrics)
    delivery = Delivery(redis, keys, app.bot, rt.subs, consumer, metrics=rt.metrics, flood=flood)
    tasks.append(asyncio.create_task(delivery.run(stop), name="delivery"))
    await fanout.warm_up()  # before the gc freeze in run_bot, which is meant for the index too
    tasks.append(asyncio.create_task(fanout.run(stop), name="fanout"))
    return intake_task


def stop_on_signals() -> asyncio.Event:
    """An event SIGINT and SIGTERM set (where the loop can take signal handlers)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def run_bot(settings: Settings, redis: Redis, sources: list[Source], role: str = "all") -> None:
    keys = Keys(settings.prefix)
    subs = Subscriptions(redis, keys)
    rt = Runtime(
        settings=settings, redis=redis, keys=keys, subs=subs, matcher=Matcher(redis, keys, subs), sources=sources
    )
    limits = FloodLimits(settings.rate_overall, settings.rate_private, settings.rate_group, settings.rate_margin)
    flood = FloodControl(redis, keys, limits)
    app = build_application(settings, FloodRateLimiter(flood, rt.metrics))
    app.bot_data["runtime"] = rt
    stop = stop_on_signals()

    metrics_server = await start_metrics(rt)
    fetcher = Fetcher() if role in ("all", "poller") else None
    # sources added live are polled through the address guard, as they were checked when added
    live_fetcher = live_poll_fetcher(fetcher, settings.allow_private_sources) if fetcher is not None else None
    tasks: list[asyncio.Task] = []
    try:
        if not await initialize_with_retry(app, stop):
            return
        if role in ("all", "sender"):
            commands.register(app)
            await commands.register_commands(app)
        if fetcher is not None:
            rt.poller = build_poller(rt, fetcher, admin_notifier(app.bot, settings), live_fetcher)
        await start_catalogue(app, rt, sources, polls=fetcher is not None)
        await app.start()
        intake: UpdateIntake | None = None
        if role in ("all", "sender"):
            intake = UpdateIntake(app, ALLOWED_UPDATES)
            intake_task = await start_sender(app, rt, intake, flood, tasks, stop)
        # what start-up loaded (gazetteer, catalogue, matching index) lives as long as we do:
        # out of the collector's sight, full collections stay short and sends keep their pace
        gc.freeze()
        log.info("newsbot running (role %s, %d sources)", role, len(rt.sources))
        await stop.wait()
        log.info("shutting down")
        if intake is not None:
            await intake_task  # returns at once: a long poll in flight is abandoned
        # handlers and loops finish the step in hand within one grace period, together; what is
        # left is cut off and taken again by the next start (updates unconfirmed, entries pending)
        await asyncio.gather(
            finish_updates_then_replies(
                intake, replies, SHUTDOWN_GRACE, save=lambda left: save_replies(redis, keys, left)
            ),
            finish_within(tasks, SHUTDOWN_GRACE),
        )
        if app.job_queue is not None:
            # a poll in flight may take 30 s (a slow feed): not waited for; its lock expires
            await app.job_queue.stop(wait=False)
        if app.running:
            await app.stop()
    finally:
        with contextlib.suppress(Exception):
            await app.shutdown()
        if metrics_server is not None:
            metrics_server.close()
        if fetcher is not None:
            await fetcher.aclose()
        if live_fetcher is not None and live_fetcher is not fetcher:
            await live_fetcher.aclose()
