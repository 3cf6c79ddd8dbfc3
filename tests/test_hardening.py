"""What the bot leaves on disk and in its logs: the embedded Redis's files are its user's alone,
and the configured token is scrubbed whatever its shape."""

from __future__ import annotations

import logging
import stat
import sys

import redis as redis_sync

from bot.logs import JsonFormatter, RedactTokens, TextFormatter, scrub
from bot.redis_server import EmbeddedRedis


def test_embedded_redis_files_are_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old = data / "redis.log"  # left by an older version, readable by all
    old.write_text("old\n")
    old.chmod(0o644)
    server = EmbeddedRedis(data)
    server.start()
    try:
        client = redis_sync.Redis(unix_socket_path=str(server.socket))
        client.set("k", "v")
        client.bgrewriteaof()
        client.close()
    finally:
        server.stop()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"redis.log", "appendonly.aof"}
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {p.name: "0o600" for p in files}


def test_the_configured_token_is_scrubbed_whatever_its_shape():
    token = "42:short-Token"  # not the usual digits:35-characters shape
    scrub(token)
    try:
        raise RuntimeError(f"POST http://api.local/bot{token}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "token %s", (token,), sys.exc_info())
    RedactTokens().filter(record)
    for formatter in (JsonFormatter(), TextFormatter()):
        line = formatter.format(record)
        assert "short-Token" not in line and "<token>" in line
