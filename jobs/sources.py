"""The sources catalogue: loading, validation and the bundled default.

Validation collects every problem instead of stopping at the first, so an operator fixes a
catalogue in one pass; `newsbot check-sources` prints the same messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jobs.regions import resolve_region

BUNDLED = "sources.yaml"
_ID_RE = re.compile(r"^[a-z0-9-]+$")
_KNOWN_KEYS = {
    "id",
    "name",
    "kind",
    "url",
    "selector",
    "interval",
    "breaking",
    "regions",
    "format",
    "items",
    "text",
    "link",
    "id_field",
    "link_selector",
    "time_selector",
    "max_interval",
    "categories",
    "enabled",
}


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    kind: str  # feed | ticker
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
        source, errs = _build_source(entry)
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


def _build_source(entry: dict[str, Any]) -> tuple[Source | None, list[str]]:
    errs: list[str] = []
    entry = dict(entry)
    for key, value in entry.pop("__duplicates__", []):
        if key == "id" and "id_field" not in entry:
            entry["id_field"] = value
        else:
            errs.append(f"key {key!r} is given twice")
    for key in sorted(set(entry) - _KNOWN_KEYS, key=str):
        errs.append(f"unknown key {key!r}")

    def text_field(name: str, required: bool = False) -> str:
        value = entry.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errs.append(f"{name!r} must be a string")
            return ""
        if required and not value.strip():
            errs.append(f"{name!r} is required")
        return value.strip()

    sid = text_field("id", required=True)
    if sid and not _ID_RE.match(sid):
        errs.append(f"id {sid!r} may only contain a-z, 0-9 and '-'")
    name = text_field("name", required=True)
    kind = text_field("kind", required=True)
    if kind and kind not in ("feed", "ticker"):
        errs.append(f"kind must be 'feed' or 'ticker', not {kind!r}")
    url = text_field("url", required=True)
    if url and not re.match(r"^https?://[^\s/]+", url):
        errs.append(f"url must be an http(s) URL, not {url!r}")
    fmt = text_field("format") or "html"
    if fmt not in ("html", "json"):
        errs.append(f"format must be 'html' or 'json', not {fmt!r}")
    selector = text_field("selector")
    items = text_field("items")
    if kind == "ticker" and fmt == "html" and not selector:
        errs.append("an HTML ticker needs 'selector' (CSS selector of one ticker item)")
    if kind == "ticker" and fmt == "json" and not items:
        errs.append("a JSON ticker needs 'items' (dotted path to the list of items)")
    if selector:
        errs.extend(_check_selector(selector, "selector"))
    for sel_name in ("link_selector", "time_selector"):
        sel = text_field(sel_name)
        if sel:
            errs.extend(_check_selector(sel, sel_name))

    interval = _number(entry.get("interval", 300), "interval", errs, minimum=1)
    max_interval = _number(entry.get("max_interval", 0), "max_interval", errs, minimum=0)
    if max_interval and max_interval < interval:
        errs.append("max_interval must not be below interval")
    breaking = entry.get("breaking", False)
    if not isinstance(breaking, bool):
        errs.append("breaking must be true or false")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        errs.append("enabled must be true or false")
    regions: list[str] = []
    raw_regions = entry.get("regions") or []
    if not isinstance(raw_regions, list):
        errs.append("regions must be a list")
        raw_regions = []
    for raw in raw_regions:
        region = resolve_region(raw) if isinstance(raw, str) else None
        if region is None:
            errs.append(f"unknown region {raw!r}")
        elif region not in regions:
            regions.append(region)
    categories = entry.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        errs.append("categories must be a list of names")
        categories = []
    if errs:
        return None, errs
    return (
        Source(
            id=sid,
            name=name,
            kind=kind,
            url=url,
            interval=interval,
            breaking=bool(breaking),
            regions=tuple(regions),
            categories=tuple(categories),
            format=fmt,
            selector=selector,
            link_selector=text_field("link_selector"),
            time_selector=text_field("time_selector"),
            items=items,
            text=text_field("text"),
            link=text_field("link"),
            id_field=text_field("id_field"),
            max_interval=max_interval,
            enabled=bool(enabled),
        ),
        [],
    )


def _number(value: Any, name: str, errs: list[str], minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errs.append(f"{name} must be a number of seconds, not {value!r}")
        return float(minimum)
    if value < minimum:
        errs.append(f"{name} must be >= {minimum:g}, not {value!r}")
        return float(minimum)
    return float(value)


def _check_selector(selector: str, name: str) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    try:
        LexborHTMLParser("<html></html>").css(selector)
    except Exception as exc:  # selectolax raises several types for bad selectors
        return [f"{name} {selector!r} is not a valid CSS selector: {exc}"]
    return []
