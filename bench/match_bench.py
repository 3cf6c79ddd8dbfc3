"""Matching cost per item with 1k, 10k and 100k chats of mixed subscriptions, against a naive
loop over every chat, in the same run (both in memory: the index is what the bot holds).

    .venv/bin/python bench/match_bench.py"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from factories import make_item  # noqa: E402
from tag_eval import DEFAULT, load  # noqa: E402

from bot.matching import ChatView, Matcher, item_words  # noqa: E402
from bot.query import parse_query  # noqa: E402
from jobs.classify import default_classifier  # noqa: E402
from jobs.keys import Keys  # noqa: E402
from jobs.models import Item  # noqa: E402
from jobs.regions import REGIONS  # noqa: E402

TOPICS = [
    "ceasefire",
    "oil prices",
    "election",
    "earthquake",
    "floods",
    "drone",
    "missile",
    "hospital",
    "famine",
    "sanctions",
    "inflation",
    "protests",
    "hostages",
    "refugees",
    "wildfire",
    "cholera",
    "tariffs",
    "nuclear",
    "coup",
    "strike",
]


def make_chats(n: int, rng: random.Random) -> list[ChatView]:
    places = [line.split("\t")[0] for line in (ROOT / "jobs/data/geonames_places.tsv").read_text().splitlines()[2:]]
    weights = [3, 2, 1, 3, 1, 5, 4, 2]  # MENA and Palestine are the most followed
    chats = []
    for i in range(n):
        regions = frozenset(rng.choices(REGIONS, weights, k=rng.randint(1, 2))) if rng.random() < 0.6 else frozenset()
        words = [rng.choice(places) if rng.random() < 0.6 else rng.choice(TOPICS) for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.1 and len(words) >= 2:
            words = [f"{words[0]} + {words[1]}", *words[2:]]
        keywords = tuple(parse_query(w) for w in words)
        excludes = (parse_query(rng.choice(TOPICS)),) if rng.random() < 0.2 else ()
        chats.append(ChatView(i + 1, rng.random() > 0.05, rng.random() < 0.05, regions, keywords, excludes))
    return chats


def naive(chats: list[ChatView], item: Item, words: tuple[str, ...]) -> list[int]:
    out = []
    for c in chats:
        if not c.live or (c.breaking_only and not item.breaking):
            continue
        wanted = bool(c.regions & set(item.regions)) or any(q.matches(words) for q in c.keywords)
        if wanted and not any(q.matches(words) for q in c.excludes):
            out.append(c.id)
    return out


def main() -> None:
    rng = random.Random(5)
    tagger = default_classifier()
    items = [
        make_item(text, regions=tagger.tag_text(text).regions, breaking=rng.random() < 0.3) for _, text in load(DEFAULT)
    ]
    print(f"{len(items)} headlines per run; times per item")
    for n in (1_000, 10_000, 100_000):
        chats = make_chats(n, rng)
        matcher = Matcher(None, Keys(), None)  # type: ignore[arg-type]  # in-memory part only
        t0 = time.perf_counter()
        for view in chats:
            matcher._add(view)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        fast = [sorted(matcher.match_loaded(it)) for it in items]
        indexed = (time.perf_counter() - t0) / len(items)
        rounds = items if n < 100_000 else items[:40]
        t0 = time.perf_counter()
        slow = [naive(chats, it, item_words(it)) for it in rounds]
        loop = (time.perf_counter() - t0) / len(rounds)
        assert fast[: len(slow)] == slow, "the index and the naive loop disagree"
        avg = sum(map(len, fast)) / len(fast)
        print(
            f"{n:>7} chats: index {indexed * 1000:8.3f} ms, naive {loop * 1000:9.2f} ms, "
            f"{loop / indexed:6.0f}x faster; {avg:,.0f} chats matched on average; index built in {build:.2f} s"
        )


if __name__ == "__main__":
    main()
