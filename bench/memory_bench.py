"""Memory of a running bot (`newsbot run --role sender`, a real process) with N subscribed chats,
and of Redis holding them.

    .venv/bin/python bench/memory_bench.py [--chats 100000]

Chats get the same mix as bench/match_bench.py: 60% follow one or two regions, most follow a few
keywords (places and topics), a fifth exclude a topic. The bot's resident memory is read from
/proc once every chat is in its in-memory matching index (loaded at start-up; the log says how
long that took), and again after a story has been matched."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from botapi import BotApi  # noqa: E402
from factories import make_item  # noqa: E402
from match_bench import TOPICS  # noqa: E402

from bot.redis_server import EmbeddedRedis, connect  # noqa: E402
from bot.subscriptions import Subscriptions  # noqa: E402
from jobs.keys import Keys  # noqa: E402
from jobs.publish import publish  # noqa: E402
from jobs.regions import REGIONS  # noqa: E402


def memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


async def subscribe_all(subs: Subscriptions, n: int, rng: random.Random) -> None:
    places = [line.split("\t")[0] for line in (ROOT / "jobs/data/geonames_places.tsv").read_text().splitlines()[2:]]
    weights = [3, 2, 1, 3, 1, 5, 4, 2]

    async def one(chat_id: int) -> None:
        await subs.touch(chat_id, "private")
        if rng.random() < 0.6:
            for region in set(rng.choices(REGIONS, weights, k=rng.randint(1, 2))):
                await subs.add_region(chat_id, region)
        for _ in range(rng.randint(0, 4)):
            await subs.add_keyword(chat_id, rng.choice(places) if rng.random() < 0.6 else rng.choice(TOPICS))
        if rng.random() < 0.2:
            await subs.add_exclude(chat_id, rng.choice(TOPICS))

    for start in range(1, n + 1, 500):
        await asyncio.gather(*(one(chat_id) for chat_id in range(start, min(n, start + 499) + 1)))


async def fill(url: str, n: int) -> int:
    """Subscribe n chats; Redis's used memory afterwards."""
    redis = connect(url)
    try:
        await subscribe_all(Subscriptions(redis, Keys()), n, random.Random(5))
        return (await redis.info("memory"))["used_memory"]
    finally:
        await redis.aclose()


async def match_one(url: str) -> int:
    """Publish a story most chats follow; the number of deliveries queued once it is matched."""
    redis = connect(url)
    keys = Keys()
    try:
        await publish(redis, keys, [make_item("Israeli strikes on Gaza City kill 12", "m1", regions=["Palestine"])])
        queued = 0
        for _ in range(300):  # the fan-out queues the whole story in one go: wait until it stops growing
            await asyncio.sleep(1)
            now = await redis.xlen(keys.outbox) if await redis.exists(keys.outbox) else 0
            if now and now == queued:
                return queued
            queued = now
        raise RuntimeError("the story was not matched within five minutes")
    finally:
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=100_000)
    args = parser.parse_args()
    api = BotApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis")
        url = server.start()
        proc: subprocess.Popen[bytes] | None = None
        try:
            t0 = time.perf_counter()
            used = asyncio.run(fill(url, args.chats))
            took = time.perf_counter() - t0
            print(f"{args.chats:,} chats subscribed in {took:.0f} s; Redis uses {used / 2**20:.0f} MiB")
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_URL": api.base_url,
                "REDIS_URL": url,
                "NEWSBOT_METRICS_PORT": "0",
                "NEWSBOT_DATA_DIR": str(Path(tmp) / "data"),
            }
            log_path = Path(tmp) / "bot.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "bot", "run", "--role", "sender"], env=env, stdout=log, stderr=log
                )
            while b"matching index loaded" not in log_path.read_bytes():
                assert proc.poll() is None, log_path.read_text()
                time.sleep(0.2)
            loaded_line = next(line for line in log_path.read_text().splitlines() if "matching index loaded" in line)
            print(loaded_line.split(": ", 1)[1])
            time.sleep(1)
            indexed = memory_kib(proc.pid)
            queued = asyncio.run(match_one(url))
            after = memory_kib(proc.pid)
            print(
                f"bot RSS with {args.chats:,} chats indexed {indexed['VmRSS'] / 1024:.0f} MiB; after matching one "
                f"story ({queued:,} deliveries queued) {after['VmRSS'] / 1024:.0f} MiB, "
                f"peak {after['VmHWM'] / 1024:.0f} MiB"
            )
        finally:
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            server.stop()
            api.close()


if __name__ == "__main__":
    main()
