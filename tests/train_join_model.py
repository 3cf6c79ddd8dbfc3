"""Learn the join model (jobs/join_model.py) from the tuning half of tests/data/stories and
write jobs/data/join_model.json. Needs scikit-learn (`pip install -e '.[train]'`):

    .venv/bin/python tests/train_join_model.py [--lang en|ar] [--threshold 0.5] [--c 1.0]

Each language's model is learned from its own sets (stories/, stories_ar/). Pairs are two
reports of one block (a day of one ticker or of wires) at most the clusterer's default quiet
time (three hours) apart that no rule vetoes; a pair is positive when both carry one label. Only
the tuning half is read, so tests/cluster_eval.py --half test stays a measure of text the model
never saw; the threshold is chosen by running cluster_eval.py --half tune with a few values
(README)."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cluster_eval  # tests/ is the script's directory

from jobs.evidence import FEATURES, QUIET_SECONDS, features, ruled_out
from jobs.join_model import JoinModel
from jobs.signature import Signature, is_attribution, signature, split_prefix

OUT = Path(__file__).resolve().parents[1] / "jobs" / "data" / "join_model.json"


def report(row: cluster_eval.Row) -> Signature:
    """The signature the clusterer would build (attribution cut when it names a speaker)."""
    prefix, body = split_prefix(row.title)
    if prefix and not is_attribution(prefix):
        prefix, body = "", row.title
    return replace(signature(body, attribution=prefix), source=row.source)


def seconds(published: str) -> float:
    return datetime.fromisoformat(published).timestamp() if published else 0.0


def pairs(rows: list[cluster_eval.Row], lang: str) -> tuple[list[list[float]], list[int]]:
    """The tuning pairs' features, and whether each pair is one event."""
    blocks: dict[str, list[cluster_eval.Row]] = defaultdict(list)
    for row in rows:
        blocks[row.block].append(row)
    x: list[list[float]] = []
    y: list[int] = []
    for block in blocks.values():
        sigs = [report(r) for r in block]
        for i, j in itertools.combinations(range(len(block)), 2):
            a, b = sigs[i], sigs[j]
            gap = abs(seconds(block[i].published) - seconds(block[j].published))
            if gap > QUIET_SECONDS or a.lang != lang or ruled_out(a, b):
                continue
            x.append(features(a, b, gap))
            y.append(int(block[i].label == block[j].label))
    return x, y


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--lang", choices=("en", "ar"), default="en", help="ar: tests/data/stories_ar")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    data = cluster_eval.DATA if args.lang == "en" else cluster_eval.DATA.parent / "stories_ar"
    rows: list[cluster_eval.Row] = []
    for path in sorted(data.glob("*.tsv")):
        rows.extend(cluster_eval.load(path))
    x, y = pairs(cluster_eval.halves(rows)["tune"], args.lang)
    scaler = StandardScaler().fit(x)
    fitted = LogisticRegression(C=args.c, max_iter=5000).fit(scaler.transform(x), y)
    model = JoinModel(
        FEATURES,
        tuple(round(float(v), 6) for v in scaler.mean_),
        tuple(round(float(v), 6) if v else 1.0 for v in scaler.scale_),
        tuple(round(float(v), 6) for v in fitted.coef_[0]),
        round(float(fitted.intercept_[0]), 6),
        args.threshold,
    )
    models = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    models[args.lang] = model.to_dict()
    OUT.write_text(json.dumps(models, indent=1) + "\n", encoding="utf-8")
    print(f"{len(y)} pairs ({sum(y)} one event) from the tuning half ({args.lang}); wrote {OUT}")
    for name, w in zip(FEATURES, model.weights, strict=True):
        print(f"  {name:14s} {w:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
