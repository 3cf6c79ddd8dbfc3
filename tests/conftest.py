"""Real parts for every test: a throwaway redis-server (started the way the bot starts its
embedded one), a local news site and a Bot API stand-in, all on this machine."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis as redis_sync

sys.path.insert(0, str(Path(__file__).parent))

from botapi import BotApi
from newssite import Site
from telegram import Bot

from bot.redis_server import EmbeddedRedis, connect

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator:
    client = connect(redis_url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def clean_redis(redis_url: str) -> Iterator[redis_sync.Redis]:
    """A synchronous client for tests that drive a bot process from plain test functions."""
    client = redis_sync.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site().start()
    yield s
    s.close()


@pytest.fixture
def botapi() -> Iterator[BotApi]:
    api = BotApi().start()
    yield api
    api.close()


@pytest.fixture
async def bot(botapi: BotApi) -> AsyncIterator[Bot]:
    """A real PTB Bot talking to the stand-in, for tests that run a sender in-process."""
    client = Bot(botapi.token, base_url=botapi.base_url)
    await client.initialize()
    yield client
    await client.shutdown()
