"""Stopping the bot as `docker stop` does (SIGTERM, then SIGKILL after 10 s) in the middle of a
backlog of commands: it exits well inside the bound, and the commands it did not get to are
taken again by the next start, not lost with the process."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path

from botprocess import bot_logs, start_bot, stop_bot

from bot.app import finish_updates_then_replies
from bot.outgoing import Outgoing

BOUND = 8.0  # seconds: well inside docker stop's 10


def idle_catalogue(tmp_path: Path) -> Path:
    """One disabled source: these tests are about commands, not polling."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {id: idle, name: Idle, kind: feed, url: 'http://127.0.0.1:9/feed', enabled: false}\n"
    )
    return path


def test_sigterm_during_a_backlog_is_bounded_and_loses_no_command(tmp_path, botapi, redis_url, clean_redis):
    catalogue = idle_catalogue(tmp_path)
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, role="sender")
    try:
        botapi.send_command(5100, "/help")
        assert botapi.wait_for(lambda: botapi.messages_to(5100), 30), bot_logs(tmp_path)
        # replies to one private chat go out at one a second: 6 commands per chat are 6 s of work
        # (6 stays under the per-user command throttle, bot/throttle.py)
        chats = (5101, 5102, 5103, 5104, 5105, 5106)
        words = {chat: [f"topic{chat}n{i}" for i in range(6)] for chat in chats}
        for i in range(6):
            for chat, chat_words in words.items():
                botapi.send_command(chat, f"/subscribe {chat_words[i]}")
        assert botapi.wait_for(lambda: botapi.messages_to(5101), 15), bot_logs(tmp_path)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=BOUND)
        except subprocess.TimeoutExpired:
            proc.kill()  # what docker stop does at 10 s
            proc.wait()
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()

    def missing() -> list[str]:
        sent = " ".join(" ".join(botapi.messages_to(chat)) for chat in words)
        return [w for chat_words in words.values() for w in chat_words if w not in sent]

    restarted = start_bot(tmp_path, botapi, redis_url, catalogue, role="sender")
    try:
        botapi.send_command(5100, "/help")
        assert botapi.wait_for(lambda: len(botapi.messages_to(5100)) == 2, 30), bot_logs(tmp_path)  # up again
        botapi.wait_for(lambda: not missing(), 40)
    finally:
        code = stop_bot(restarted)
    assert took < BOUND, f"shutdown took {took:.1f}s\n{bot_logs(tmp_path)}"
    assert not missing(), f"never answered: {missing()}\n{bot_logs(tmp_path)}"
    assert code == 0, bot_logs(tmp_path)


class _HandlerStillRunning:
    """An intake whose last handler finishes during the shutdown grace and queues its reply."""

    def __init__(self, outgoing: Outgoing) -> None:
        self.outgoing = outgoing

    async def finish(self, grace: float) -> None:
        await asyncio.sleep(0.1)
        self.outgoing.submit(7, lambda: asyncio.sleep(60), {"chat_id": 7, "text": "late reply"})


async def test_a_reply_queued_by_a_handler_finishing_during_shutdown_is_saved():
    """The handler's update is confirmed once it finishes, so its reply must go out or be saved:
    the queues close only after the handlers, within the same grace."""
    outgoing, saved = Outgoing(), []

    async def save(records: list[dict]) -> None:
        saved.extend(records)

    await finish_updates_then_replies(_HandlerStillRunning(outgoing), outgoing, 0.5, save)  # type: ignore[arg-type]
    assert saved == [{"chat_id": 7, "text": "late reply"}]
