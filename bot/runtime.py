"""What handlers and jobs share, kept in application.bot_data (the only global state)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from redis.asyncio import Redis
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.matching import Matcher
from bot.metrics import Metrics
from bot.subscriptions import Subscriptions
from bot.throttle import Throttle
from jobs.keys import Keys
from jobs.poller import Poller
from jobs.sources import Source

AdminEntry = tuple[float, bool]  # (when asked, monotonic clock; administrator?)


class AdminCache:
    """Answers of getChatMember per (chat, user), least recently used first out: without a cap,
    every user of every group who ever sent a command would stay in memory for good."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[int, int], AdminEntry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[int, int]) -> AdminEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[int, int], allowed: bool, when: float = 0.0) -> None:
        self._entries[key] = (when, allowed)
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)


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
    admin_cache: AdminCache = field(default_factory=AdminCache)
    throttle: Throttle = field(default_factory=Throttle)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.application.bot_data["runtime"]
