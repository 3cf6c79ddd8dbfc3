"""The curated data files in jobs/data/ (package data), read once per process: the gazetteer,
synonyms, demonyms, headline words, spellings and word weights."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def data_text(name: str) -> str:
    return resources.files("jobs").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load_yaml(name: str) -> Any:
    """A YAML file of jobs/data/; an empty file is an empty mapping."""
    return yaml.safe_load(data_text(name)) or {}
