"""The registry of source kinds: the one place that says which class serves a catalogue entry's
`kind:` and `format:`. A new kind is one module and one line in KINDS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobs.kinds.base import Fields, Kind, ParseResult
from jobs.kinds.feed import Feed
from jobs.kinds.html_ticker import HtmlTicker
from jobs.kinds.json_ticker import JsonTicker

if TYPE_CHECKING:
    from jobs.sources import Source

KINDS: tuple[type[Kind], ...] = (Feed, HtmlTicker, JsonTicker)

__all__ = ["KINDS", "Fields", "Kind", "ParseResult", "find", "format_names", "kind_names", "kind_of"]


def find(kind: str, fmt: str) -> type[Kind] | None:
    """The kind serving this `kind:` and `format:`; one that takes any format comes last."""
    for cls in KINDS:
        if cls.name == kind and cls.format in (fmt, None):
            return cls
    return None


def kind_of(source: Source) -> type[Kind]:
    found = find(source.kind, source.format)
    if found is None:
        raise ValueError(f"{source.id}: no kind {source.kind!r} with format {source.format!r}")
    return found


def kind_names() -> list[str]:
    return list(dict.fromkeys(cls.name for cls in KINDS))


def format_names() -> list[str]:
    return list(dict.fromkeys(cls.format for cls in KINDS if cls.format is not None))
