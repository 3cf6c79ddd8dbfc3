"""Micro precision and recall of region tagging on the labelled set tests/data/tagging_eval.tsv.

    .venv/bin/python tests/tag_eval.py [FILE] [--half=tune|test]

tests/data/tagging_heldout.tsv was written from the region contract alone by hands that never
saw the tagger; its blocks alternate tune/test and the README reports the test half.
tests/data/tagging_fresh2.tsv, written the same way later, is test data only (`# half: test`);
tests/data/tagging3.tsv (tenth session, same way) alternates tune/test blocks like the first.

Each line: expected regions (comma-separated, "-" for none), a tab, the headline. A (headline,
region) pair is a true positive when both the label and the tagger have it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jobs.classify import default_classifier
from jobs.regions import REGIONS

DEFAULT = Path(__file__).parent / "data" / "tagging_eval.tsv"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


HELD_OUT = Path(__file__).parent / "data" / "tagging_heldout.tsv"


def load(path: Path, half: str = "all") -> list[tuple[set[str], str]]:
    """`half`: 'tune' or 'test' keeps alternate `# block:` blocks (tune, test, tune, ...), the
    split fixed once, unless the file says `# half: test` (all of it one half); 'all' keeps
    every line."""
    rows = []
    block = -1
    fixed = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# half:"):
            fixed = line.split(":", 1)[1].strip()
            continue
        if line.startswith("# block:"):
            block += 1
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if half != "all" and (fixed or ("tune", "test")[max(block, 0) % 2]) != half:
            continue
        labels, text = line.split("\t", 1)
        rows.append(({r.strip() for r in labels.split(",") if r.strip() and r.strip() != "-"}, text.strip()))
    return rows


def evaluate(rows: list[tuple[set[str], str]]) -> dict[str, Score]:
    tagger = default_classifier()
    scores = {r: Score() for r in (*REGIONS, "overall")}
    for expected, text in rows:
        got = set(tagger.tag_text(text).regions)
        for region in REGIONS:
            hit, want = region in got, region in expected
            for key in (region, "overall"):
                s = scores[key]
                s.tp += hit and want
                s.fp += hit and not want
                s.fn += want and not hit
        if got != expected:
            scores["overall"].misses.append(f"want {sorted(expected)} got {sorted(got)}: {text}")
    return scores


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--half=")]
    half = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--half=")), "all")
    path = Path(args[0]) if args else DEFAULT
    rows = load(path, half)
    scores = evaluate(rows)
    print(f"{len(rows)} headlines from {path.name} ({half})")
    print(f"{'region':<14} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, s in scores.items():
        print(f"{name:<14} {s.precision:>9.3f} {s.recall:>7.3f} {s.tp:>4} {s.fp:>4} {s.fn:>4}")
    for miss in scores["overall"].misses:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
