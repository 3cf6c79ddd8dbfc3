"""The sources catalogue: loading, validation and the bundled default.

Validation collects every problem instead of stopping at the first, so an operator fixes a
catalogue in one pass; `newsbot check-sources` prints the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jobs.source_schema import validate_entry

BUNDLED = "sources.yaml"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    kind: str  # a kind of jobs/kinds: feed | ticker
    url: str
    interval: float = 300.0
    breaking: bool = False
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    format: str = "html"  # tickers: html | json
    selector: str = ""
    link_selector: str = ""
    time_selector: str = ""
    items: str = ""
    text: str = ""
    link: str = ""
    id_field: str = ""
    max_interval: float = 0.0  # ceiling for backoff and server hints; 0 = derived from interval
    enabled: bool = True
    # added live (jobs/source_overlay.py), from a URL an administrator gave: polled through the
    # address guard (jobs/address_guard.py). Set when the overlay is read, never a catalogue key.
    live: bool = False

    @property
    def ceiling(self) -> float:
        """Longest wait after repeated errors (exponential backoff stops here)."""
        return self.max_interval or max(self.interval * 20, 600.0)

    @property
    def hint_ceiling(self) -> float:
        """Longest wait a server's caching hint may impose: a breaking strip saying max-age=600
        must not turn a 30-second ticker into a ten-minute one unless max_interval allows it."""
        return self.max_interval or min(self.interval * 4, 3600.0)


class CatalogueError(ValueError):
    """Raised with every problem found in a catalogue, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Loader(yaml.SafeLoader):
    """Keeps duplicate keys visible: the contract's JSON-ticker example writes `id` twice
    (the source id, then the item-id field), which plain YAML would silently collapse."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if key in result:
            dupes = result.setdefault("__duplicates__", [])
            dupes.append((key, value))
            continue
        result[key] = value
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_catalogue(path: str | Path | None = None) -> list[Source]:
    """Load and validate a catalogue file (the bundled one when path is None)."""
    if path is None:
        text = resources.files("jobs").joinpath(BUNDLED).read_text(encoding="utf-8")
        where = "bundled catalogue"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError([f"{path}: cannot read: {exc}"]) from exc
        where = str(path)
    return parse_catalogue(text, where)


def parse_catalogue(text: str, where: str = "catalogue") -> list[Source]:
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{where}: not valid YAML: {exc}"]) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise CatalogueError([f"{where}: expected a mapping with a 'sources:' list"])
    problems: list[str] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(doc["sources"]):
        label = f"{where}: sources[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{label}: expected a mapping, got {type(entry).__name__}")
            continue
        if isinstance(entry.get("id"), str):
            label += f" ({entry['id']})"
        source, errs = build_source(entry)
        problems.extend(f"{label}: {e}" for e in errs)
        # checked on the id as written, not on a built source: an entry with another error is
        # still a duplicate, and every problem is reported at once
        if isinstance(entry.get("id"), str):
            if entry["id"] in seen:
                problems.append(f"{label}: duplicate id {entry['id']!r}")
            seen.add(entry["id"])
        if source is not None:
            sources.append(source)
    if not doc["sources"]:
        problems.append(f"{where}: 'sources' is empty")
    if problems:
        raise CatalogueError(problems)
    return sources


def build_source(entry: dict[str, Any]) -> tuple[Source | None, list[str]]:
    """One catalogue entry as a Source, or every problem with it (also for sources added live)."""
    errs: list[str] = []
    entry = dict(entry)
    for key, value in entry.pop("__duplicates__", []):
        if key == "id" and "id_field" not in entry:
            entry["id_field"] = value
        else:
            errs.append(f"key {key!r} is given twice")
    values, problems = validate_entry(entry)
    errs.extend(problems)
    if errs or values is None:
        return None, errs
    return Source(**values), []
