"""A small, fast HTTP server for benchmarks (run as its own process so its CPU is not counted
against the poller): /feed/N answers 304 to a matching If-None-Match in mode `304`, and a fresh
50-item feed on every request in mode `changed`."""

from __future__ import annotations

import asyncio
import itertools
import sys

COUNTER = itertools.count()


def feed(n: int, version: int) -> bytes:
    items = "".join(
        f"<item><title>Source {n} story {version}-{i}: strike reported near Nabatieh</title>"
        f"<link>https://news.example/{n}/{version}/{i}</link><guid>{n}-{version}-{i}</guid>"
        f"<description>&lt;p&gt;Paragraph {i} about the events.&lt;/p&gt;</description>"
        f"<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate></item>"
        for i in range(50)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>S{n}</title>{items}</channel></rss>'.encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, mode: str) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            inm = next((h.split(":", 1)[1].strip() for h in lines[1:] if h.lower().startswith("if-none-match:")), "")
            n = int(path.rsplit("/", 1)[-1]) if path.rsplit("/", 1)[-1].isdigit() else 0
            if mode == "304" and inm == f'"v{n}"':
                writer.write(b'HTTP/1.1 304 Not Modified\r\nETag: "v%d"\r\nContent-Length: 0\r\n\r\n' % n)
            else:
                version = next(COUNTER) if mode == "changed" else 0
                body = feed(n, version)
                writer.write(
                    b'HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: "v%d"\r\nContent-Length: %d\r\n\r\n'
                    % (n if mode == "304" else version, len(body))
                    + body
                )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(ports: list[int], mode: str) -> None:
    """Several ports stand for several sites: clients pool connections per site."""
    servers = [
        await asyncio.start_server(lambda r, w: handle(r, w, mode), "127.0.0.1", port, backlog=1024) for port in ports
    ]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main([int(p) for p in sys.argv[1].split(",")], sys.argv[2]))
