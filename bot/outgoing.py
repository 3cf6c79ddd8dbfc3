"""Replies leave through a per-chat queue, not from inside the handler.

PTB runs a bounded number of update handlers at once (``concurrent_updates``). A reply waits
for its chat's flood turn (a second apart in a private chat, three in a group), so a handler
that sent its own reply held one of those slots for as long as its chat's backlog: 290 /help
from one user filled every slot and another user's /start waited 34.6 s. Here a handler only
queues its reply and returns; one task per chat with something to send sends it in order,
waiting for that chat's turns, and ends when the chat's queue is empty.

One instance per process (``replies``): handlers reach it through the module, since ``reply()``
is given only the update, and a process serves one bot on one event loop.

A reply still queued when the shutdown grace runs out is not lost with the process: each send
comes with a record of what it sends (chat, HTML text, the message it answers, the keyboard),
and ``close`` hands the records of the unsent ones to a ``save`` callback (Redis, bot/app.py);
the next start sends them first. A reply cut off in flight is saved too: at least once."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from bot.grace import finish_within

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[object]]
Record = dict[str, object]  # JSON-serialisable: what `send` sends, to send it again after a restart
Save = Callable[[list[Record]], Awaitable[object]]

# replies waiting for one chat at most: /latest 20 sends 20 and the throttle
# (bot/throttle.py) stops a flood long before this; past it, the newest is dropped
MAX_PENDING_PER_CHAT = 40


class Outgoing:
    def __init__(self, max_pending: int = MAX_PENDING_PER_CHAT) -> None:
        self.max_pending = max_pending
        self._queues: dict[int, deque[tuple[Send, Record | None]]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self.dropped = 0

    def pending(self, chat_id: int) -> int:
        """Replies queued for this chat and not yet sent (the one being sent included)."""
        return len(self._queues.get(chat_id, ()))

    def submit(self, chat_id: int, send: Send, record: Record | None = None) -> bool:
        """Queue one send for the chat; False if the chat's queue is full (the send is dropped).
        `record` describes the send for ``close``'s `save` (None: not worth keeping)."""
        queue = self._queues.setdefault(chat_id, deque())
        if len(queue) >= self.max_pending:
            self.dropped += 1
            log.warning("reply to chat %s dropped: %d already waiting", chat_id, len(queue))
            return False
        queue.append((send, record))
        worker = self._workers.get(chat_id)
        if worker is None or worker.done() or worker.get_loop() is not asyncio.get_running_loop():
            self._workers[chat_id] = asyncio.create_task(self._drain(chat_id, queue), name=f"replies:{chat_id}")
        return True

    async def _drain(self, chat_id: int, queue: deque[tuple[Send, Record | None]]) -> None:
        try:
            while queue:
                try:
                    await queue[0][0]()  # left in the queue while it is sent: pending() counts it
                except asyncio.CancelledError:
                    raise  # cut off by shutdown: it stays queued, and close() saves it
                except Exception:  # one failed reply must not stop the ones after it
                    log.exception("reply to chat %s failed", chat_id)
                if queue:
                    queue.popleft()
        finally:
            if self._queues.get(chat_id) is queue and not queue:
                del self._queues[chat_id]
            if self._workers.get(chat_id) is asyncio.current_task():
                del self._workers[chat_id]

    async def close(self, grace: float, save: Save | None = None) -> int:
        """At shutdown: let queued replies go out for up to `grace` seconds; the records of those
        still queued then (the one in flight included) go to `save`. Returns how many."""
        await finish_within(list(self._workers.values()), grace)
        left = [record for queue in self._queues.values() for _, record in queue if record is not None]
        self._queues.clear()
        if left and save is not None:
            try:
                await save(left)
            except Exception:
                log.exception("%d queued replies could not be saved for the next start", len(left))
                return 0
            log.info("%d queued replies saved for the next start", len(left))
        return len(left)


replies = Outgoing()
