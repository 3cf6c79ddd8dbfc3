"""Every metric the bot exports, declared once. Each application object gets its own
CollectorRegistry (never prometheus_client's global default), so tests that build several
applications in one process never collide over a metric name."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import ClassVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# latencies from half a second to an hour: alerts are judged in seconds, backlogs in minutes
BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

Reader = Callable[[], Awaitable[float]]


class RedisGauges(Collector):
    """Gauges whose values live in Redis (outbox backlog, known chats). A collector is called
    synchronously by the exposition, Redis is asynchronous: `refresh` reads them all before each
    scrape and `collect` reports what it read. A gauge that cannot be read is left out, not fatal."""

    HELP: ClassVar[dict[str, str]] = {
        "newsbot_outbox_length": "Entries in the outbox stream (acknowledged ones are trimmed every minute)",
        "newsbot_outbox_pending": "Outbox entries taken by senders, not yet done",
        "newsbot_chats": "Known chats",
    }

    def __init__(self) -> None:
        self._readers: dict[str, Reader] = {}
        self._values: dict[str, float] = {}

    def read_with(self, name: str, read: Reader) -> None:
        if name not in self.HELP:
            raise KeyError(f"undeclared gauge {name}")
        self._readers[name] = read

    async def refresh(self) -> None:
        values: dict[str, float] = {}
        for name, read in self._readers.items():
            try:
                values[name] = float(await read())
            except Exception as exc:
                log.debug("gauge %s unreadable: %s", name, exc)
        self._values = values

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, value in sorted(self._values.items()):
            yield GaugeMetricFamily(name, self.HELP[name], value=value)


class Metrics:
    """The bot's counters and histograms (names and labels are the dashboards' contract, see
    README), plus the Redis-read gauges, in one registry per instance."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.polls = Counter("newsbot_polls_total", "Polls by source and outcome", ["source", "status"], registry=r)
        self.not_modified = Counter(
            "newsbot_not_modified_total", "Polls answered 304 (or an unchanged body)", ["source"], registry=r
        )
        self.poll_errors = Counter("newsbot_poll_errors_total", "Failed polls by source", ["source"], registry=r)
        self.items = Counter("newsbot_items_total", "New items published", ["source"], registry=r)
        self.published_to_seen = Histogram(
            "newsbot_published_to_seen_seconds",
            "From a source's publication time to our first sight of the item",
            buckets=BUCKETS,
            registry=r,
        )
        self.stories = Counter("newsbot_stories_total", "Stories matched against subscriptions", registry=r)
        self.matches = Counter("newsbot_matches_total", "(story, chat) matches queued", registry=r)
        self.sends = Counter("newsbot_sends_total", "Outbox entries by outcome", ["outcome"], registry=r)
        self.send_retries = Counter(
            "newsbot_send_retries_total", "Sends tried again after a 5xx or network error", registry=r
        )
        self.fallbacks = Counter(
            "newsbot_send_fallbacks_total",
            "Alerts sent plainer than planned: as text after a refused photo, in General after a deleted topic",
            ["kind"],
            registry=r,
        )
        self.telegram_429 = Counter("newsbot_telegram_429_total", "429 Too Many Requests that reached us", registry=r)
        self.seen_to_sent = Histogram(
            "newsbot_seen_to_sent_seconds",
            "From our first sight of an item to Telegram accepting its alert",
            buckets=BUCKETS,
            registry=r,
        )
        self.gauges = RedisGauges()
        r.register(self.gauges)

    async def render(self) -> str:
        """The Prometheus text exposition, with the Redis gauges read just now."""
        await self.gauges.refresh()
        return generate_latest(self.registry).decode()
