"""Prometheus text metrics and a health check on one small asyncio HTTP server, so operators
see polls, errors and sends without another dependency."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Labels = tuple[tuple[str, str], ...]
BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


class Metrics:
    def __init__(self) -> None:
        self.counters: dict[str, dict[Labels, float]] = defaultdict(lambda: defaultdict(float))
        self.help: dict[str, str] = {}
        self.gauges: dict[str, Callable[[], Awaitable[float]]] = {}
        self.histograms: dict[str, tuple[list[int], list[float]]] = {}  # bucket counts, [sum, count]
        self.started = time.time()

    def inc(self, name: str, amount: float = 1.0, help_text: str = "", **labels: str) -> None:
        self.counters[name][tuple(sorted(labels.items()))] += amount
        if help_text:
            self.help.setdefault(name, help_text)

    def observe(self, name: str, seconds: float, help_text: str = "") -> None:
        """A latency in seconds, into fixed buckets from 0.5 s to 1 h."""
        counts, totals = self.histograms.setdefault(name, ([0] * len(BUCKETS), [0.0, 0.0]))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                counts[i] += 1
        totals[0] += seconds
        totals[1] += 1
        if help_text:
            self.help.setdefault(name, help_text)

    def gauge(self, name: str, read: Callable[[], Awaitable[float]], help_text: str) -> None:
        self.gauges[name] = read
        self.help[name] = help_text

    async def render(self) -> str:
        out: list[str] = []
        for name, series in sorted(self.counters.items()):
            out.append(f"# HELP {name} {self.help.get(name, name)}")
            out.append(f"# TYPE {name} counter")
            for labels, value in sorted(series.items()):
                label_text = ",".join(f'{k}="{_esc(v)}"' for k, v in labels)
                out.append(f"{name}{{{label_text}}} {value:g}" if label_text else f"{name} {value:g}")
        for name, (counts, (total, count)) in sorted(self.histograms.items()):
            out.append(f"# HELP {name} {self.help.get(name, name)}")
            out.append(f"# TYPE {name} histogram")
            for bound, n in zip(BUCKETS, counts, strict=True):
                out.append(f'{name}_bucket{{le="{bound:g}"}} {n}')
            out.append(f'{name}_bucket{{le="+Inf"}} {count:g}')
            out.append(f"{name}_sum {total:g}")
            out.append(f"{name}_count {count:g}")
        for name, read in sorted(self.gauges.items()):
            try:
                value = await read()
            except Exception as exc:  # a gauge that cannot be read is left out, not fatal
                log.debug("gauge %s unreadable: %s", name, exc)
                continue
            out.append(f"# HELP {name} {self.help.get(name, name)}")
            out.append(f"# TYPE {name} gauge")
            out.append(f"{name} {value:g}")
        return "\n".join(out) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


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
                status, body, ctype = 200, await metrics.render(), "text/plain; version=0.0.4"
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
