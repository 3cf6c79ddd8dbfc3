"""What handlers and jobs share, kept in application.bot_data (the only global state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cachetools import TTLCache
from redis.asyncio import Redis
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.matching import Matcher
from bot.metrics import Metrics
from bot.source_sync import LiveCatalogue
from bot.subscriptions import Subscriptions
from bot.throttle import Throttle
from jobs.keys import Keys
from jobs.poller import Poller
from jobs.sources import Source

ADMIN_CACHE_SECONDS = 300  # how long "is an administrator" is believed without asking again
ADMIN_CACHE_SIZE = 10_000

AdminCache = TTLCache[tuple[int, int], bool]  # (chat, user) → administrator?


def admin_cache(capacity: int = ADMIN_CACHE_SIZE) -> AdminCache:
    """Answers of getChatMember, least recently used out when full: without a cap, every user
    of every group who ever sent a command would stay in memory for good."""
    return TTLCache(maxsize=capacity, ttl=ADMIN_CACHE_SECONDS)


@dataclass(slots=True)
class Runtime:
    settings: Settings
    redis: Redis
    keys: Keys
    subs: Subscriptions
    matcher: Matcher
    sources: list[Source]
    poller: Poller | None = None
    catalogue: LiveCatalogue | None = None  # file + live overlay; keeps `sources` current
    metrics: Metrics = field(default_factory=Metrics)
    admin_cache: AdminCache = field(default_factory=admin_cache)
    throttle: Throttle = field(default_factory=Throttle)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.application.bot_data["runtime"]
