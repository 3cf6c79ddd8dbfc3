"""Cost of clustering one item with tens of thousands of stories in the window.

    .venv/bin/python bench/cluster_bench.py [--stories 20000] [--items 2000]

Synthetic headlines from a news vocabulary and real place names fill the window; then new
items are assigned, one at a time and 50 per call as a poll does (StoryClusterer.assign_many),
and their CPU (this process) and wall time per item are measured. Redis is the embedded server
in a temp directory (its CPU is reported separately)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.redis_server import EmbeddedRedis, connect
from jobs.cluster import StoryClusterer, warm_up
from jobs.keys import Keys

VERBS = [
    "strikes",
    "hits",
    "kills",
    "bombs",
    "raids",
    "attacks",
    "shells",
    "targets",
    "floods",
    "burns",
    "protests",
    "votes",
    "elects",
    "closes",
    "opens",
]
NOUNS = [
    "army",
    "police",
    "rebels",
    "militants",
    "protesters",
    "farmers",
    "workers",
    "students",
    "doctors",
    "ministers",
    "leaders",
    "drones",
    "missiles",
    "jets",
    "ships",
    "trucks",
    "hospital",
    "school",
    "market",
    "border",
    "airport",
    "port",
    "bridge",
    "power",
    "oil",
    "gas",
    "bank",
    "court",
]
# real place names from the gazetteer, so stories spread over the world as a day's news does
GAZETTEER = Path(__file__).resolve().parents[1] / "jobs" / "data" / "geonames_places.tsv"
PLACES = [line.split("\t")[0] for line in GAZETTEER.read_text().splitlines() if "\tcity\t" in line]


SYLLABLES = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "re", "zo", "ba", "li", "mu", "ge"]


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).title()


def headline(rng: random.Random) -> str:
    """A distinct story most of the time: a made-up name, a verb, a noun, a real place."""
    n = rng.randint(1, 40)
    return f"{name(rng)} {rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(NOUNS)} in {rng.choice(PLACES)}, {n} dead"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        redis = connect(server.start())
        try:
            clusterer = StoryClusterer(redis, Keys("bench:"))
            warm_up(clusterer.classifier)
            gc.freeze()  # as the bot does once it is up (bot/app.py): start-up's data out of GC's sight
            now = time.time()
            for i in range(0, args.stories, 50):
                batch = range(i, min(i + 50, args.stories))
                await clusterer.assign_many(
                    [(f"w{j}", headline(rng), now - rng.uniform(0, 20 * 3600), "") for j in batch]
                )
            keys = await redis.dbsize()
            print(f"{args.stories} stories in the window ({keys} Redis keys); {args.items} new items per case")
            for case, size in (("one at a time", 1), ("50 per poll", 50)):
                titles = [headline(rng) for _ in range(args.items)]
                info = await redis.info("cpu")
                rcpu0 = float(info["used_cpu_user"]) + float(info["used_cpu_sys"])
                cpu0, t0 = time.process_time(), time.perf_counter()
                joined = 0
                for i in range(0, args.items, size):
                    batch = [(f"{case[0]}{j}", titles[j], now, "") for j in range(i, min(i + size, args.items))]
                    joined += sum(not a.is_new for a in await clusterer.assign_many(batch))
                cpu = (time.process_time() - cpu0) / args.items * 1000
                wall = (time.perf_counter() - t0) / args.items * 1000
                info = await redis.info("cpu")
                rcpu = (float(info["used_cpu_user"]) + float(info["used_cpu_sys"]) - rcpu0) / args.items * 1000
                print(
                    f"{case}: per item CPU {cpu:.3f} ms, wall {wall:.3f} ms, Redis CPU {rcpu:.3f} ms; {joined} joined"
                )
        finally:
            await redis.aclose()
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
