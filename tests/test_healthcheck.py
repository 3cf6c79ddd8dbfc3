"""The Docker image's HEALTHCHECK, exactly as the Dockerfile writes it, run as a process against
the bot's real /healthz server: healthy while Redis answers, unhealthy when it does not or when
nothing listens, and healthy by definition for a role that serves no metrics."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
from pathlib import Path

from bot import metrics_server
from bot.metrics import Metrics

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def healthcheck_command() -> list[str]:
    """The CMD of the Dockerfile's HEALTHCHECK, with the image's python replaced by ours."""
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])\s*$", DOCKERFILE.read_text(), re.MULTILINE)
    assert match, "the Dockerfile has no HEALTHCHECK ... CMD [...] line"
    argv = json.loads(match.group(1))
    assert argv[0] == "python"
    return [sys.executable, *argv[1:]]


async def run_check(**env: str) -> tuple[int, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_METRICS_")}
    environ.update(env)
    proc = await asyncio.create_subprocess_exec(
        *healthcheck_command(), env=environ, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode or 0, (out + err).decode()


async def serve(healthy: bool) -> tuple[asyncio.Server, int]:
    async def redis_answers() -> bool:
        return healthy

    server = await metrics_server.serve(Metrics(), 0, redis_answers)
    return server, server.sockets[0].getsockname()[1]


async def test_healthy_while_redis_answers():
    server, port = await serve(healthy=True)
    try:
        assert (await run_check(NEWSBOT_METRICS_PORT=str(port)))[0] == 0
        # compose binds every address; the check still asks over loopback
        assert (await run_check(NEWSBOT_METRICS_PORT=str(port), NEWSBOT_METRICS_HOST="0.0.0.0"))[0] == 0
    finally:
        server.close()


async def test_unhealthy_when_redis_does_not_answer():
    server, port = await serve(healthy=False)
    try:
        status, output = await run_check(NEWSBOT_METRICS_PORT=str(port))
        assert status == 1 and "503" in output and "redis unavailable" in output
    finally:
        server.close()


async def test_unhealthy_when_nothing_listens():
    with socket.socket() as sock:  # a port that was free a moment ago and has no server
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    status, output = await run_check(NEWSBOT_METRICS_PORT=str(port))
    assert status == 1 and "Traceback" not in output


async def test_a_role_without_metrics_server_is_healthy():
    status, output = await run_check(NEWSBOT_METRICS_PORT="0")
    assert status == 0 and "nothing to check" in output
