"""Pairwise precision and recall of story clustering through `newsbot cluster` (a real process,
a throwaway Redis namespace), on the labelled sets in tests/data/stories/.

    .venv/bin/python tests/cluster_eval.py [--half tune|test|all] [--explain] [FILE ...]

Each line: label TAB source TAB headline, or label TAB source TAB published (ISO 8601) TAB
headline; `# block: NAME` starts a block (a day of one ticker, a day of wires). The split into a
tuning half and a test half is fixed once: in each file, blocks alternate tune, test, tune, ...,
unless the file says `# half: tune` or `# half: test` (all of it one half).
Thresholds are tuned on the tuning half only; the README reports the test half. Lines are fed in
time order (lines without a time keep their file order, shuffled once with a fixed seed, as
outlets' items interleave); lines without `published` are one instant, as the contract says.

--explain prints the false merges and the missed pairs of the half with their signatures: use
it on the tuning half, never on the test half."""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).parent / "data" / "stories"
FIXED_HALF: dict[str, str] = {}  # file stem → the half all its blocks go to ("# half: tune")


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    source: str
    published: str
    title: str
    block: str


def load(path: Path) -> list[Row]:
    rows: list[Row] = []
    block = f"{path.stem}:0"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# half:"):
            FIXED_HALF[path.stem] = line.split(":", 1)[1].strip()
            continue
        if line.startswith("# block:"):
            block = f"{path.stem}:{line.split(':', 1)[1].strip()}"
            continue
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 3:
            rows.append(Row(parts[0], parts[1], "", parts[2], block))
        elif len(parts) == 4:
            rows.append(Row(parts[0], parts[1], parts[2], parts[3], block))
        else:
            raise ValueError(f"{path.name}: expected 3 or 4 tab-separated fields: {line[:80]!r}")
    return rows


def halves(rows: list[Row]) -> dict[str, list[Row]]:
    """Blocks alternate tune/test in file order (per file): fixed once, never re-drawn."""
    order: dict[str, list[str]] = {}
    for row in rows:
        per_file = order.setdefault(row.block.split(":", 1)[0], [])
        if row.block not in per_file:
            per_file.append(row.block)
    half_of = {
        b: FIXED_HALF.get(name) or ("tune", "test")[i % 2]
        for name, blocks in order.items()
        for i, b in enumerate(blocks)
    }
    out: dict[str, list[Row]] = {"tune": [], "test": [], "all": list(rows)}
    for row in rows:
        out[half_of[row.block]].append(row)
    return out


def files(paths: list[Path] | None = None) -> list[Path]:
    return paths or sorted(DATA.glob("*.tsv"))


def run_cluster(rows: list[Row], env: dict[str, str] | None = None) -> list[str]:
    lines = []
    for r in rows:
        obj = {"source": r.source, "title": r.title}
        if r.published:
            obj["published"] = r.published
        lines.append(json.dumps(obj) + "\n")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "cluster"],
        input="".join(lines),
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=True,
    ).stdout
    return [json.loads(line)["story"] for line in out.splitlines()]


def run_per_file(rows: list[Row]) -> list[str]:
    """Each file through its own `newsbot cluster` run: files are written by different hands,
    and two of them may hold one real day (the same ticker line, labelled in each under its own
    label), which one run would merge and count as a false merge."""
    by_file: dict[str, list[int]] = {}
    for n, row in enumerate(rows):
        by_file.setdefault(row.block.split(":", 1)[0], []).append(n)
    stories = [""] * len(rows)
    for name, indexes in by_file.items():
        for n, story in zip(indexes, run_cluster([rows[n] for n in indexes]), strict=True):
            stories[n] = f"{name}/{story}"
    return stories


def ordered(rows: list[Row], seed: int = 7) -> list[Row]:
    """The order a bot would see them in: by instant, not by the text of the time (a wire's
    "07:45+00:00" comes after a ticker's "08:50+03:00"); undated lines keep the shuffle."""
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    return sorted(shuffled, key=lambda r: datetime.fromisoformat(r.published).timestamp() if r.published else 0.0)


def pairwise(labels: list[str], stories: list[str]) -> tuple[float, float, float, list[tuple[int, int]]]:
    tp = fp = fn = 0
    wrong: list[tuple[int, int]] = []
    for i, j in itertools.combinations(range(len(labels)), 2):
        same_truth, same_pred = labels[i] == labels[j], stories[i] == stories[j]
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
        if same_truth != same_pred:
            wrong.append((i, j))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, wrong


@dataclass
class Result:
    rows: list[Row]
    stories: list[str]
    precision: float
    recall: float
    f1: float
    wrong: list[tuple[int, int]]


def evaluate(half: str = "test", paths: list[Path] | None = None) -> Result:
    rows: list[Row] = []
    for path in files(paths):
        rows.extend(load(path))
    chosen = ordered(halves(rows)[half])
    stories = run_per_file(chosen)
    p, r, f1, wrong = pairwise([row.label for row in chosen], stories)
    return Result(chosen, stories, p, r, f1, wrong)


def explain(result: Result) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from jobs.evidence import evidence, score
    from jobs.signature import signature, split_prefix

    def sig(title: str):
        prefix, body = split_prefix(title)
        return signature(body, attribution=prefix)

    for i, j in result.wrong:
        a, b = result.rows[i], result.rows[j]
        kind = "MERGED" if result.stories[i] == result.stories[j] else "missed"
        sa, sb = sig(a.title), sig(b.title)
        print(f"{kind} score {score(sa, sb):.2f} evidence {evidence(sa, sb)}  [{a.label} | {b.label}]")
        for row, s in ((a, sa), (b, sb)):
            print(f"    {row.title}")
            print(f"      places {sorted(s.places)} areas {sorted(s.areas)} names {sorted(s.names)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", choices=("tune", "test", "all"), default="test")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    result = evaluate(args.half, args.files or None)
    labels = {r.label for r in result.rows}
    print(f"{args.half} half: {len(result.rows)} headlines in {len(labels)} stories")
    print(f"pairwise precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    if args.explain:
        explain(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
