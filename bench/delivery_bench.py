"""Time to deliver one alert to N private chats through the outbox, against a Bot API stand-in
that enforces 30 messages/s overall and 1/s per chat with 429s. The stand-in runs in a process of
its own, as Telegram would: sharing our interpreter it would stamp arrivals late whenever it
waited for the GIL, and see bursts that never left us.

    .venv/bin/python bench/delivery_bench.py [--chats 1000] [--senders 1]

Reports the achieved rate as a share of the 30/s ceiling and the 429s received. Several
`--senders` share one outbox and one flood budget, as several instances would."""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import multiprocessing.connection
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from botapi import BotApi  # noqa: E402
from factories import make_item  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.delivery import GROUP, Delivery  # noqa: E402
from bot.flood import FloodControl, FloodLimits  # noqa: E402
from bot.redis_server import EmbeddedRedis, connect  # noqa: E402
from bot.streams import ensure_group  # noqa: E402
from bot.subscriptions import Subscriptions  # noqa: E402
from jobs.keys import Keys  # noqa: E402
from jobs.publish import publish  # noqa: E402
from jobs.wire import OutboxEntry  # noqa: E402


def serve_api(conn: multiprocessing.connection.Connection) -> None:
    """Child process: a strict stand-in; on request, report arrival times and 429s."""
    api = BotApi().start()
    api.state.strict, api.state.overall_per_second = True, 30
    conn.send((api.token, api.base_url))
    conn.recv()
    conn.send(([sent.at for sent in api.state.sent], api.state.too_many))
    api.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--margin", type=float, default=FloodLimits().margin)
    args = parser.parse_args()
    conn, child_conn = multiprocessing.Pipe()
    child = multiprocessing.Process(target=serve_api, args=(child_conn,), daemon=True)
    child.start()
    token, base_url = conn.recv()
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        redis = connect(server.start())
        keys = Keys()
        subs = Subscriptions(redis, keys)
        bots = [  # a connection pool as the application's bot has
            Bot(token, base_url=base_url, request=HTTPXRequest(connection_pool_size=64)) for _ in range(args.senders)
        ]
        try:
            for bot in bots:
                await bot.initialize()
            await publish(redis, keys, [make_item("Quake hits Tokyo", "k1", source_name="Bench", regions=["Asia"])])
            await ensure_group(redis, keys.outbox, GROUP)
            for chat_id in range(1, args.chats + 1):
                await subs.touch(chat_id, "private")
                await redis.xadd(keys.outbox, OutboxEntry(chat_id, "k1", "k1", breaking=True).to_fields())
            flood = FloodLimits(margin=args.margin)
            senders = [
                Delivery(redis, keys, bot, subs, f"sender-{i}", flood=FloodControl(redis, keys, flood))
                for i, bot in enumerate(bots)
            ]
            gc.freeze()  # as the bot does once it is up: GC pauses then stay short
            started = time.perf_counter()

            async def drain(sender: Delivery) -> None:
                while await sender.step():
                    pass

            await asyncio.gather(*(drain(s) for s in senders))
            elapsed = time.perf_counter() - started
            conn.send("report")
            arrivals, too_many = conn.recv()
            sent = len(arrivals)
            rate = sent / elapsed
            times = sorted(arrivals)
            # the closest 31 consecutive arrivals came: above 1 s means no second ever held 31
            tightest = min((b - a for a, b in zip(times, times[30:], strict=False)), default=0.0)
            print(
                f"{sent} alerts to {args.chats} chats by {args.senders} sender(s) in {elapsed:.1f} s: "
                f"{rate:.1f}/s = {rate / 30:.1%} of the 30/s ceiling; 429s received: {too_many}; "
                f"tightest 31 arrivals span {tightest * 1000:.0f} ms"
            )
        finally:
            for bot in bots:
                await bot.shutdown()
            await redis.aclose()
            server.stop()
            child.join(timeout=5)


if __name__ == "__main__":
    asyncio.run(main())
