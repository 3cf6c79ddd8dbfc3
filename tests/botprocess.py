"""Running the real bot as a process against the stand-ins, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from botapi import BotApi

TICKER = """<html><body><div class="ticker">{items}</div></body></html>"""


def ticker_page(lines: list[str]) -> str:
    items = "".join(f'<div class="ticker__item"><span class="ticker__text">{t}</span></div>' for t in lines)
    return TICKER.format(items=items)


def ticker_catalogue(
    tmp_path: Path, url: str, source_id: str = "tick", name: str = "Tick", feeds: dict[str, str] | None = None
) -> Path:
    """A catalogue of the local ticker page and any `feeds` (id → URL, named after their id),
    all polled every second."""
    catalogue = tmp_path / "sources.yaml"
    lines = [
        f"sources:\n  - id: {source_id}\n    name: {name}\n    kind: ticker\n    url: {url}\n"
        "    selector: '.ticker__item'\n    interval: 1\n"
    ]
    lines += [
        f"  - {{id: {fid}, name: {fid.title()}, kind: feed, url: '{furl}', interval: 1}}\n"
        for fid, furl in (feeds or {}).items()
    ]
    catalogue.write_text("".join(lines))
    return catalogue


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_bot(
    tmp_path: Path,
    botapi: BotApi,
    redis_url: str,
    catalogue: Path,
    metrics_port: int = 0,
    role: str = "all",
    extra_env: dict[str, str] | None = None,
    new_session: bool = False,
) -> subprocess.Popen:
    """new_session: the bot leads a process group of its own, as in a terminal, so a test can
    signal the whole group (Ctrl-C) without signalling pytest."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": botapi.token,
        "TELEGRAM_API_URL": botapi.base_url,
        "REDIS_URL": redis_url,
        "NEWSBOT_SOURCES": str(catalogue),
        "NEWSBOT_METRICS_PORT": str(metrics_port),
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "NEWSBOT_ALLOW_PRIVATE_SOURCES": "1",  # the local site is on 127.0.0.1; tests of the check set "0"
        **(extra_env or {}),
    }
    if not redis_url:
        env.pop("REDIS_URL", None)  # the embedded Redis, as a new user runs it
    log = open(tmp_path / f"bot-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--role", role],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=new_session,
    )


def children(pid: int) -> list[int]:
    """The direct child processes of pid (the embedded redis-server of a bot)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def stop_bot(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def wait_until(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def bot_logs(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(tmp_path.glob("bot-*.log")))
