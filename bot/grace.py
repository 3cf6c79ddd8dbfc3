"""One shutdown rule for every group of tasks (handlers, delivery loops, reply queues): finish
within the grace period, or be cut off and left to the next start."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


async def finish_within(tasks: Iterable[asyncio.Task], grace: float) -> list[asyncio.Task]:
    """Wait up to `grace` seconds for `tasks`, cancel those still running and let them unwind;
    returns the ones cut off. What each was doing is picked up again by whoever owns it (an
    update left unconfirmed, an outbox entry left pending, a reply saved)."""
    tasks = list(tasks)
    running = [task for task in tasks if not task.done()]
    late: set[asyncio.Task] = set()
    if running:
        _, late = await asyncio.wait(running, timeout=grace)
        for task in late:
            task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*tasks, return_exceptions=True)  # every outcome retrieved, none logged as lost
    return list(late)
