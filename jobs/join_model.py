"""Whether two reports that no rule keeps apart are one event: a logistic model over what the
rules measure (word similarity, the level of evidence, two outlets, the time between them, what
they share), one per language, learned on the tuning half of tests/data/stories (stories_ar for
Arabic) by tests/train_join_model.py.

The rules in jobs/evidence.py still veto (two places, two things hit, two kinds of weapon...):
on the tuning half a vetoed pair was the same event less than once in a hundred. What they
cannot say is where the bar lies for the rest: one similarity bar per level of evidence, tuned by
hand, found 58 in 100 same-event pairs of the held-out half; weighing the same measures together
finds 67, and joins fewer different events (README). The model is a few numbers in
jobs/data/join_model.json, read once."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from jobs.datafiles import data_text


@dataclass(frozen=True, slots=True)
class JoinModel:
    features: tuple[str, ...]  # the order of the values that `probability` takes
    mean: tuple[float, ...]  # standardisation learned with the weights
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float  # a probability at or above this joins (chosen on the tuning half)

    def probability(self, values: list[float]) -> float:
        z = self.intercept
        for value, mean, scale, w in zip(values, self.mean, self.scale, self.weights, strict=True):
            z += w * (value - mean) / scale
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict) -> JoinModel:
        return cls(
            tuple(data["features"]),
            tuple(map(float, data["mean"])),
            tuple(map(float, data["scale"])),
            tuple(map(float, data["weights"])),
            float(data["intercept"]),
            float(data["threshold"]),
        )


MODEL_FILE = "join_model.json"  # in jobs/data/: one model per language, learned apart


@cache
def join_models() -> dict[str, JoinModel]:
    """By language: Arabic light stems share more words than English stems, so one weighing of
    the similarity would not fit both."""
    return {lang: JoinModel.from_dict(data) for lang, data in json.loads(data_text(MODEL_FILE)).items()}
