"""Consumer-group reads shared by fan-out and delivery: first reclaim entries a dead consumer
left pending too long, then read new ones."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

log = logging.getLogger(__name__)

Entry = tuple[str, dict[str, str] | None]


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def read_group(
    redis: Redis, stream: str, group: str, consumer: str, *, count: int, block_ms: int, min_idle_ms: int
) -> list[Entry]:
    # Redis 6.2 answers XAUTOCLAIM with two elements, 7.x with three: the entries are second.
    reclaimed = await redis.xautoclaim(stream, group, consumer, min_idle_time=min_idle_ms, start_id="0-0", count=count)
    entries: list[Entry] = list(reclaimed[1])
    if entries:
        return entries
    resp = await redis.xreadgroup(group, consumer, {stream: ">"}, count=count, block=block_ms or None)
    return [e for _, batch in resp for e in batch] if resp else []


async def run_loop(name: str, step: Callable[[], Awaitable[object]], stop: asyncio.Event) -> None:
    """Repeat a consumer's step until stopped; Redis trouble or a bug costs a second, never
    the loop (entries left pending are reclaimed later)."""
    while not stop.is_set():
        try:
            await step()
        except RedisError as exc:
            log.warning("%s: Redis error, retrying: %s", name, exc)
            await asyncio.sleep(1)
        except Exception:
            log.exception("%s step failed", name)
            await asyncio.sleep(1)
