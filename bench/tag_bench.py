"""Tagging speed with the full gazetteer loaded: microseconds per headline.

.venv/bin/python bench/tag_bench.py"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from tag_eval import DEFAULT, load

from jobs.classify import default_classifier


def main() -> None:
    t0 = time.perf_counter()
    tagger = default_classifier()
    load_ms = (time.perf_counter() - t0) * 1000
    texts = [text for _, text in load(DEFAULT)]
    rounds = 50
    best_regions = best_all = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                tagger.regions(text)
        best_regions = min(best_regions, (time.perf_counter() - t0) / (rounds * len(texts)))
        t0 = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                tagger.tag_text(text)
        best_all = min(best_all, (time.perf_counter() - t0) / (rounds * len(texts)))
    print(f"gazetteer: {len(tagger.places)} phrases, loaded in {load_ms:.0f} ms")
    print(f"regions: {best_regions * 1e6:.1f} us/headline; regions+categories: {best_all * 1e6:.1f} us/headline")


if __name__ == "__main__":
    main()
