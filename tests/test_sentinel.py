"""REDIS_URL=redis+sentinel://…: the bot finds the master through Redis Sentinel and, after a
failover, the new master, with what was written before it (real servers: a master, a replica
and a sentinel started from the same redis-server binary as the embedded Redis)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_sync
from botprocess import free_port
from redis.exceptions import RedisError

from bot.config import ConfigError, Settings
from bot.redis_server import connect, redis_server_binary


def _server(tmp: Path, name: str, *args: str) -> subprocess.Popen:
    (tmp / name).mkdir()
    log = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([redis_server_binary(), *args, "--dir", str(tmp / name)], stdout=log, stderr=log)


def _wait(check, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except redis_sync.RedisError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("Redis servers did not come up")
        time.sleep(0.1)


@pytest.fixture
def sentinel_setup(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen, int]]:
    master_port, replica_port, sentinel_port = free_port(), free_port(), free_port()
    common = ("--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
    master = _server(tmp_path, "master", "--port", str(master_port), *common)
    replica = _server(
        tmp_path, "replica", "--port", str(replica_port), *common, "--replicaof", "127.0.0.1", str(master_port)
    )
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor news 127.0.0.1 {master_port} 1\n"
        "sentinel down-after-milliseconds news 1000\nsentinel failover-timeout news 5000\n"
    )
    sentinel = subprocess.Popen(
        [redis_server_binary(), str(conf), "--sentinel"],
        stdout=open(tmp_path / "sentinel.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        replica_client = redis_sync.Redis(port=replica_port)
        _wait(lambda: replica_client.info("replication")["master_link_status"] == "up")
        sentinel_client = redis_sync.Redis(port=sentinel_port)
        _wait(lambda: sentinel_client.sentinel_master("news")["num-slaves"] >= 1)
        yield f"redis+sentinel://127.0.0.1:{sentinel_port}/news", master, replica_port
    finally:
        for proc in (sentinel, replica, master):
            proc.kill()
            proc.wait()


async def test_sentinel_finds_the_master_and_follows_a_failover(sentinel_setup):
    url, master, replica_port = sentinel_setup
    assert Settings.from_env({"REDIS_URL": url}).redis_url == url
    redis = connect(url)
    try:
        await redis.hset("nb:chat:1", "active", 1)
        assert await redis.hget("nb:chat:1", "active") == "1"
        master.kill()  # the master dies; the sentinel promotes the replica
        deadline = time.monotonic() + 60
        while True:
            try:
                await redis.hset("nb:chat:2", "active", 1)
                break
            except RedisError:
                assert time.monotonic() < deadline, "no failover within a minute"
                await asyncio.sleep(0.5)
        assert (await redis.connection_pool.get_master_address())[1] == replica_port
        assert await redis.hget("nb:chat:1", "active") == "1"  # written before the failover
    finally:
        await redis.aclose()


@pytest.mark.parametrize("url", ["redis+sentinel://h1/news", "redis+sentinel://h1:26379", "sentinel://h:1/n/x"])
def test_a_bad_sentinel_url_is_a_clear_config_error(url):
    with pytest.raises(ConfigError, match="REDIS_URL"):
        Settings.from_env({"REDIS_URL": url})
