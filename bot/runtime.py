"""What handlers and jobs share, kept in application.bot_data (the only global state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.matching import Matcher
from bot.metrics import Metrics
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.poller import Poller
from jobs.sources import Source


@dataclass(slots=True)
class Runtime:
    settings: Settings
    redis: Redis
    keys: Keys
    subs: Subscriptions
    matcher: Matcher
    sources: list[Source]
    poller: Poller | None = None
    metrics: Metrics = field(default_factory=Metrics)
    admin_cache: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.application.bot_data["runtime"]
