"""The /metrics and /healthz server under abuse, with its real defaults: a client dripping its
request is cut at the deadline, a flood past the connection cap is shut out at once and costs
nothing once it goes, and nothing listens beyond loopback unless asked."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from prometheus_client.parser import text_string_to_metric_families

from bot import metrics_server
from bot.app import count_poll
from bot.config import Settings
from bot.metrics import Metrics
from jobs.keys import Keys
from jobs.models import Item
from jobs.poller import PollReport

DEADLINE = 5.0  # the documented read deadline
CAP = 64  # the documented connection cap


async def start() -> tuple[asyncio.Server, int]:
    async def healthy() -> bool:
        return True

    server = await metrics_server.serve(Metrics(), 0, healthy)
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


async def test_metrics_parse_with_prometheus_text_parser_and_hold_every_family(redis):
    """The names and labels dashboards rely on (README), through prometheus_client's own parser;
    two Metrics in one process do not collide (one registry each)."""
    m, other = Metrics(), Metrics()
    keys = Keys()
    await redis.sadd(keys.chats, 1, 2)
    m.gauges.read_with("newsbot_chats", lambda: redis.scard(keys.chats))
    m.gauges.read_with("newsbot_outbox_length", lambda: redis.xlen(keys.outbox))

    async def broken() -> float:
        raise ConnectionError("redis down")

    m.gauges.read_with("newsbot_outbox_pending", broken)
    now = datetime.now(UTC)
    item = Item("s1", "S1", "k1", "t", "https://x/1", published=now - timedelta(seconds=3), first_seen=now)
    count_poll(m, "s1", PollReport("s1", "ok", alerted=[item]))
    count_poll(m, "s1", PollReport("s1", "not-modified"))
    count_poll(m, "s1", PollReport("s1", "error"))
    m.stories.inc()
    m.matches.inc(2)
    m.sends.labels(outcome="sent").inc()
    m.send_retries.inc()
    m.telegram_429.inc()
    m.seen_to_sent.observe(1.5)

    families = {f.name: f for f in text_string_to_metric_families(await m.render())}
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value for f in families.values() for s in f.samples}
    assert {
        "newsbot_polls",
        "newsbot_not_modified",
        "newsbot_poll_errors",
        "newsbot_items",
        "newsbot_stories",
        "newsbot_matches",
        "newsbot_sends",
        "newsbot_send_retries",
        "newsbot_telegram_429",
        "newsbot_published_to_seen_seconds",
        "newsbot_seen_to_sent_seconds",
        "newsbot_chats",
        "newsbot_outbox_length",
    } <= set(families)
    assert "newsbot_outbox_pending" not in families  # unreadable: left out, the rest still served
    assert samples[("newsbot_polls_total", (("source", "s1"), ("status", "ok")))] == 1
    assert samples[("newsbot_not_modified_total", (("source", "s1"),))] == 1
    assert samples[("newsbot_poll_errors_total", (("source", "s1"),))] == 1
    assert samples[("newsbot_items_total", (("source", "s1"),))] == 1
    assert samples[("newsbot_matches_total", ())] == 2
    assert samples[("newsbot_sends_total", (("outcome", "sent"),))] == 1
    assert samples[("newsbot_published_to_seen_seconds_count", ())] == 1
    assert samples[("newsbot_published_to_seen_seconds_bucket", (("le", "5.0"),))] == 1
    assert samples[("newsbot_chats", ())] == 2
    assert families["newsbot_chats"].type == "gauge"
    assert families["newsbot_seen_to_sent_seconds"].type == "histogram"
    assert "newsbot_polls_total{" not in await other.render()  # nothing leaks between registries
