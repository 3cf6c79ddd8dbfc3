"""JSON tickers (a breaking-news API: `kind: ticker, format: json`): a dotted path to the list of
items, and within an item the paths of its text, link and id."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from jobs.kinds.base import Fields, Kind, ParseResult
from jobs.models import RawEntry
from jobs.text import parse_time

if TYPE_CHECKING:
    from jobs.sources import Source


class JsonTickerFields(Fields):
    items: str = ""  # dotted path to the list of items
    text: str = ""
    link: str = ""
    id_field: str = ""  # written `id` a second time in the catalogue, see jobs/sources.py


class JsonTicker(Kind):
    name = "ticker"
    format = "json"
    fields = JsonTickerFields
    edits_lines = True

    @classmethod
    def missing(cls, fields: Fields) -> list[str]:
        assert isinstance(fields, JsonTickerFields)
        return [] if fields.items else ["a JSON ticker needs 'items' (dotted path to the list of items)"]

    @classmethod
    def parse(cls, source: Source, body: bytes, content_type: str) -> ParseResult:
        return parse_json_ticker(source, body)


def _walk(data: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.lstrip("-").isdigit() and -len(data) <= int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def parse_json_ticker(source: Source, body: bytes) -> ParseResult:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return ParseResult(error=f"not JSON: {exc}"[:300])
    items = _walk(doc, source.items)
    if not isinstance(items, list):
        return ParseResult(error=f"path {source.items!r} does not lead to a list")
    entries: list[RawEntry] = []
    for item in items:
        if isinstance(item, str):
            text, link, guid, published = item, "", "", None
        elif isinstance(item, dict):
            text = _walk(item, source.text) if source.text else None
            link = _walk(item, source.link) if source.link else ""
            guid = _walk(item, source.id_field) if source.id_field else ""
            published = None
            for key in ("published", "date", "time", "created_at", "timestamp"):
                if isinstance(item.get(key), str):
                    published = parse_time(item[key])
                    break
        else:
            continue
        if not isinstance(text, str) or not text.strip():
            continue
        entries.append(
            RawEntry(
                title=text,
                link=link if isinstance(link, str) else "",
                guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else "",
                published=published,
            )
        )
    return ParseResult(entries=entries)
