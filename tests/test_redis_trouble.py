"""Redis unreachable, gone, or dying under the bot, and stopped by a Ctrl-C meant for the bot:
said in one line, answered, restarted, and shut down in the right order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import redis as redis_sync
from botprocess import bot_logs, children, free_port, start_bot, stop_bot, wait_until
from test_shutdown import idle_catalogue

from bot.redis_server import EmbeddedRedis


def test_an_unreachable_redis_url_is_one_line_and_a_prompt_failure(tmp_path):
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "42:abcdefghijklmnopqrstuvwxyz",
        "TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}/bot",
        "REDIS_URL": f"redis://:hunter2@127.0.0.1:{free_port()}/0",
        "NEWSBOT_METRICS_PORT": "0",
    }
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True, timeout=25)
    took = time.monotonic() - started
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and took < 10, (took, result.stderr)
    assert len(lines) == 1 and "cannot reach Redis" in lines[0], result.stderr
    assert "hunter2" not in result.stderr


def test_with_redis_down_a_command_is_still_answered(tmp_path, botapi):
    server = EmbeddedRedis(tmp_path / "redis")
    proc = start_bot(tmp_path, botapi, server.start(), idle_catalogue(tmp_path), role="sender")
    try:
        botapi.send_command(6001, "/subscribe Asia")
        assert botapi.wait_for(lambda: botapi.messages_to(6001), 30), bot_logs(tmp_path)
        assert server._proc is not None
        os.kill(server._proc.pid, signal.SIGKILL)
        server._proc.wait()
        botapi.send_command(6002, "/subscribe Europe")
        assert botapi.wait_for(lambda: any("Storage is unavailable" in t for t in botapi.messages_to(6002)), 40), (
            bot_logs(tmp_path)
        )
    finally:
        stop_bot(proc)
        server.stop()


def test_a_dead_embedded_redis_is_restarted(tmp_path, botapi):
    proc = start_bot(tmp_path, botapi, "", idle_catalogue(tmp_path), role="sender")
    try:
        botapi.send_command(6101, "/subscribe Asia")
        assert botapi.wait_for(lambda: botapi.messages_to(6101), 30), bot_logs(tmp_path)
        (redis_pid,) = children(proc.pid)
        os.kill(redis_pid, signal.SIGKILL)

        def restarted() -> bool:
            client = redis_sync.Redis(unix_socket_path=str(tmp_path / "data" / "redis.sock"), socket_timeout=1)
            try:
                return children(proc.pid) not in ([], [redis_pid]) and bool(client.ping())
            except redis_sync.RedisError:
                return False
            finally:
                client.close()

        assert wait_until(restarted, 20), bot_logs(tmp_path)
        botapi.send_command(6102, "/subscribe Europe")
        assert botapi.wait_for(lambda: any("Subscribed to" in t for t in botapi.messages_to(6102)), 40), bot_logs(
            tmp_path
        )
        assert "restarting it" in bot_logs(tmp_path)
    finally:
        assert stop_bot(proc) == 0


def test_ctrl_c_reaches_the_bot_and_the_bot_stops_its_redis_last(tmp_path, botapi):
    """SIGINT to the whole process group, as a terminal sends it: the embedded Redis must not
    get it (it would vanish under the bot's shutdown); the bot stops it after its own."""
    proc = start_bot(tmp_path, botapi, "", idle_catalogue(tmp_path), role="sender", new_session=True)
    try:
        botapi.send_command(6201, "/subscribe Asia")
        assert botapi.wait_for(lambda: botapi.messages_to(6201), 30), bot_logs(tmp_path)
        (redis_pid,) = children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=15) == 0, bot_logs(tmp_path)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert wait_until(lambda: not os.path.exists(f"/proc/{redis_pid}"), 10), "redis-server left running"
    redis_log = (tmp_path / "data" / "redis.log").read_text()
    assert "SIGINT" not in redis_log and "SIGTERM" in redis_log, redis_log
    logs = bot_logs(tmp_path)
    assert "Traceback" not in logs and "Error" not in logs, logs
