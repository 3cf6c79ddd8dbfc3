"""The /metrics and /healthz server under abuse, with its real defaults: a client dripping its
request is cut at the deadline, a flood past the connection cap is shut out at once and costs
nothing once it goes, and nothing listens beyond loopback unless asked."""

from __future__ import annotations

import asyncio
import time

from bot import metrics
from bot.config import Settings
from bot.metrics import Metrics

DEADLINE = 5.0  # the documented read deadline
CAP = 64  # the documented connection cap


async def start() -> tuple[asyncio.Server, int]:
    async def healthy() -> bool:
        return True

    server = await metrics.serve(Metrics(), 0, healthy)
    return server, server.sockets[0].getsockname()[1]


async def get(port: int, path: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 2)
    writer.close()
    return data


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    try:
        return await asyncio.wait_for(reader.read(), seconds) == b""
    except ConnectionError:
        return True
    except TimeoutError:
        return False


async def test_a_client_dripping_header_lines_is_cut_at_the_deadline():
    server, port = await start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()

        async def drip() -> None:
            while True:
                await asyncio.sleep(0.5)
                writer.write(b"X-Drip: 1\r\n")  # a line well inside any per-line timeout
                await writer.drain()

        dripping = asyncio.create_task(drip())
        try:
            cut = await closed_within(reader, DEADLINE + 3)
        finally:
            dripping.cancel()
            await asyncio.gather(dripping, return_exceptions=True)
            writer.close()
        assert cut and time.monotonic() - started < DEADLINE + 1.5
    finally:
        server.close()


async def test_past_the_connection_cap_new_clients_are_shut_out_and_health_returns():
    server, port = await start()
    idle = []
    try:
        for _ in range(CAP):
            idle.append(await asyncio.open_connection("127.0.0.1", port))
        await asyncio.sleep(0.3)  # all accepted and waiting for their request
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await closed_within(reader, 1.0), "a connection over the cap was held open"
        writer.close()
        for _, w in idle:
            w.close()
        idle.clear()
        await asyncio.sleep(0.3)
        assert (await get(port, "/healthz")).startswith(b"HTTP/1.1 200")
    finally:
        for _, w in idle:
            w.close()
        server.close()


async def test_it_binds_loopback_unless_told_otherwise():
    server, _ = await start()
    try:
        assert server.sockets[0].getsockname()[0] == "127.0.0.1"
    finally:
        server.close()
    assert Settings.from_env({}).metrics_host == "127.0.0.1"
    assert Settings.from_env({"NEWSBOT_METRICS_HOST": "0.0.0.0"}).metrics_host == "0.0.0.0"
