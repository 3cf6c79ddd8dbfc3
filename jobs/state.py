"""Per-source health and polling state, one Redis hash per source, readable by `/sources`."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields

from redis.asyncio import Redis

from jobs.keys import Keys


@dataclass(slots=True)
class SourceState:
    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""
    primed: int = 0  # 1 once the first poll has recorded what was already there
    errors: int = 0  # consecutive failures
    last_error: str = ""
    last_success: float = 0.0
    last_poll: float = 0.0
    next_poll: float = 0.0
    not_modified: int = 0
    items_total: int = 0
    empty_polls: int = 0
    disabled: int = 0
    ttl_hint: float = 0.0  # the feed's own <ttl> in seconds, remembered for 304 polls too

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> SourceState:
        """Clients are created with decode_responses=True, so fields arrive as str."""
        state = cls()
        for f in fields(cls):
            text = raw.get(f.name)
            if text is None:
                continue
            try:
                setattr(
                    state, f.name, type(getattr(state, f.name))(float(text)) if f.type in ("int", "float") else text
                )
            except ValueError:
                continue
        return state

    def to_hash(self) -> dict[str, str | int | float]:
        return asdict(self)


async def load_state(redis: Redis, keys: Keys, source_id: str) -> SourceState:
    return SourceState.from_hash(await redis.hgetall(keys.source_state(source_id)))


async def enable_source(redis: Redis, keys: Keys, source_id: str) -> bool:
    """Admin re-enable: clears the error streak so the next scheduled run polls at once."""
    key = keys.source_state(source_id)
    if not await redis.exists(key):
        return False
    await redis.hset(key, mapping={"disabled": 0, "errors": 0, "next_poll": 0, "last_error": ""})
    return True


def now() -> float:
    return time.time()
