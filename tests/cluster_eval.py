"""Pairwise precision, recall and F1 of story clustering on tests/data/cluster_eval.tsv, through
`newsbot cluster` (a real process, a throwaway Redis namespace).

    .venv/bin/python tests/cluster_eval.py [FILE]

Lines are fed in a fixed shuffled order, as outlets' items interleave in real time."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

DEFAULT = Path(__file__).parent / "data" / "cluster_eval.tsv"


def load(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, source, title = line.split("\t", 2)
            rows.append((label, source, title))
    return rows


def run_cluster(rows: list[tuple[str, str, str]], env: dict[str, str] | None = None) -> list[str]:
    stdin = "".join(json.dumps({"source": s, "title": t}) + "\n" for _, s, t in rows)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "cluster"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=True,
    ).stdout
    return [json.loads(line)["story"] for line in out.splitlines()]


def pairwise(labels: list[str], stories: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same_truth, same_pred = labels[i] == labels[j], stories[i] == stories[j]
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(path: Path = DEFAULT, seed: int = 7) -> tuple[float, float, float, list[str]]:
    rows = load(path)
    random.Random(seed).shuffle(rows)
    stories = run_cluster(rows)
    p, r, f1 = pairwise([label for label, _, _ in rows], stories)
    groups: dict[str, set[str]] = {}
    for (label, _, _title), story in zip(rows, stories, strict=True):
        groups.setdefault(label, set()).add(story)
    split = [f"{label}: {len(s)} stories" for label, s in sorted(groups.items()) if len(s) > 1]
    return p, r, f1, split


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    p, r, f1, split = evaluate(path)
    rows = load(path)
    print(f"{len(rows)} headlines in {len({x[0] for x in rows})} stories from {path.name}")
    print(f"pairwise precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    for line in split:
        print("  split: " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
