"""/metrics and /healthz on one small asyncio HTTP server: the bot's own event loop serves them,
with a deadline per request and a connection cap that a thread-per-request server lacks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST

from bot.metrics import Metrics

READ_DEADLINE = 5.0  # seconds a client has for its whole request head, however it drips it
MAX_CONNECTIONS = 64  # connections served at once; more are closed on arrival


async def serve(
    metrics: Metrics,
    port: int,
    healthy: Callable[[], Awaitable[bool]],
    host: str = "127.0.0.1",
    read_deadline: float = READ_DEADLINE,
    max_connections: int = MAX_CONNECTIONS,
) -> asyncio.Server:
    """One deadline per request, not per line: 800 clients dripping a header line every few
    seconds once held 800 sockets and starved the bot of descriptors. Past max_connections a
    new connection is closed at once, so a flood costs a descriptor for an instant only and
    /healthz answers again as soon as it stops. Loopback by default: the numbers are for the
    operator, not the internet (compose binds 0.0.0.0 on its own network)."""
    active = 0

    async def read_head(reader: asyncio.StreamReader) -> str:
        request = await reader.readline()
        path = request.decode("latin-1").split(" ")[1] if request.count(b" ") >= 2 else ""
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        return path

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal active
        if active >= max_connections:
            writer.transport.abort()  # no lingering close: the descriptor is freed now
            return
        active += 1
        try:
            path = await asyncio.wait_for(read_head(reader), read_deadline)
            if path == "/metrics":
                status, body, ctype = 200, await metrics.render(), CONTENT_TYPE_LATEST
            elif path == "/healthz":
                try:  # a Redis that hangs is as unhealthy as one that is down
                    ok = await asyncio.wait_for(healthy(), read_deadline)
                except TimeoutError:
                    ok = False
                status, body, ctype = (200, "ok\n", "text/plain") if ok else (503, "redis unavailable\n", "text/plain")
            else:
                status, body, ctype = 404, "not found\n", "text/plain"
            data = body.encode()
            reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(data)}\r\n"
                f"Connection: close\r\n\r\n".encode()
                + data
            )
            await asyncio.wait_for(writer.drain(), read_deadline)  # a reader that never reads is cut too
        except (TimeoutError, ConnectionError, IndexError, UnicodeError, ValueError):
            pass  # ValueError: a line longer than the stream's limit
        finally:
            active -= 1
            writer.close()

    return await asyncio.start_server(handle, host=host, port=port)
