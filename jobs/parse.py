"""Turning fetched bytes into RawEntry lists: feeds with feedparser, tickers with selectolax
(HTML) or json. Parsers never raise on hostile input; they return an error string instead."""

from __future__ import annotations

import calendar
import email.utils
import io
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from jobs.models import RawEntry
from jobs.sources import Source
from jobs.text import parse_iso

log = logging.getLogger(__name__)

MAX_ENTRIES = 500  # a source listing more than this is cut: nobody needs 10,000 alerts
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Numeric character references feedparser cannot turn into UTF-8: surrogates (&#xD83D;, &#55357;:
# hex D800-DFFF, decimal 55296-57343) and anything past U+10FFFF. A run of them is taken
# together so that a surrogate pair written as two references becomes its one character.
_REF = rb"&#(?:[xX]0*(?:[dD][89a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{5,})|0*(?:5[5-7][0-9]{3}|[0-9]{7,}));"
_BAD_REFS = re.compile(rb"(?:" + _REF + rb")+")
_ONE_REF = re.compile(rb"&#([xX]?)([0-9a-fA-F]+);")


@dataclass(slots=True)
class ParseResult:
    entries: list[RawEntry] = field(default_factory=list)
    ttl_seconds: float | None = None  # the feed's own <ttl> hint
    error: str = ""


def parse(source: Source, body: bytes, content_type: str = "") -> ParseResult:
    try:
        if source.kind == "feed":
            result = parse_feed(body, content_type)
        elif source.format == "json":
            result = parse_json_ticker(source, body)
        else:
            result = parse_html_ticker(source, body)
    except RecursionError:
        result = ParseResult(error="document nested too deeply")
    except Exception as exc:  # a parser bug must cost one poll, not the bot
        log.exception("parser failed on %s", source.id)
        result = ParseResult(error=f"parser failed: {type(exc).__name__}: {exc}"[:300])
    del result.entries[MAX_ENTRIES:]
    return result


def _struct_to_dt(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _repair_refs(run: re.Match[bytes]) -> bytes:
    """One run of suspect references, rewritten as references feedparser can decode."""
    values = [int(digits, 16 if x else 10) for x, digits in _ONE_REF.findall(run.group())]
    out: list[int] = []
    i = 0
    while i < len(values):
        value = values[i]
        low = values[i + 1] if i + 1 < len(values) else 0
        if 0xD800 <= value <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
            out.append(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
            i += 2
            continue
        out.append(0xFFFD if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else value)
        i += 1
    return b"".join(b"&#x%X;" % v for v in out)


def repair_character_references(body: bytes) -> bytes:
    """feedparser raises on a surrogate or out-of-range character reference (UnicodeEncodeError,
    ValueError, OverflowError), so one bad title cost every item of the feed and, poll after
    poll, the source itself. Repaired here, in the raw bytes, before parsing: U+FFFD for a lone
    surrogate or an impossible code point, the real character for a pair."""
    if b"&#" not in body:
        return body
    return _BAD_REFS.sub(_repair_refs, body)


def parse_feed(body: bytes, content_type: str = "") -> ParseResult:
    headers = {"content-type": content_type} if content_type else {}
    body = repair_character_references(body)
    # A file object, never bytes or str: feedparser would treat those as a path or URL to open.
    doc = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries: list[RawEntry] = []
    for entry in doc.get("entries", []):
        title = str(entry.get("title") or "")
        summary = str(entry.get("summary") or "")
        if not title and not summary:
            continue
        link = entry.get("link") or ""
        if not isinstance(link, str):
            link = ""
        published = _struct_to_dt(entry.get("published_parsed") or entry.get("updated_parsed"))
        tags = [str(t.get("term") or "") for t in entry.get("tags", []) if isinstance(t, dict)]
        # feedparser tells plain text (Atom type="text", an RSS title that does not look like
        # HTML) from HTML; only HTML may be stripped of tags
        entries.append(
            RawEntry(
                title=title,
                link=link,
                guid=str(entry.get("id") or ""),
                published=published,
                summary=summary,
                categories=[t for t in tags if t],
                title_html=_is_html(entry.get("title_detail")),
                summary_html=_is_html(entry.get("summary_detail")),
            )
        )
    ttl: float | None = None
    raw_ttl = str(doc.get("feed", {}).get("ttl") or "").strip()
    if raw_ttl.isdigit():
        ttl = int(raw_ttl) * 60.0
    error = ""
    if not entries and not doc.get("version"):
        # feedparser recognised no feed format at all (HTML page, JSON, garbage): say why
        why = doc.get("bozo_exception")
        error = f"not a feed: {type(why).__name__}: {why}"[:300] if why else "not a feed"
    return ParseResult(entries=entries, ttl_seconds=ttl, error=error)


def _is_html(detail: Any) -> bool:
    """A text construct without a type is taken for HTML, as it always was."""
    if not isinstance(detail, dict) or not detail.get("type"):
        return True
    return str(detail["type"]).lower() in HTML_TYPES


def parse_html_ticker(source: Source, body: bytes) -> ParseResult:
    tree = LexborHTMLParser(body)
    entries: list[RawEntry] = []
    for node in tree.css(source.selector):
        text = node.text(deep=True, separator=" ", strip=True)
        if not text:
            continue
        link = ""
        if source.link_selector:
            link_node = node.css_first(source.link_selector)
            link = (link_node.attributes.get("href") or "") if link_node else ""
        elif node.tag == "a":
            link = node.attributes.get("href") or ""
        published = None
        if source.time_selector:
            time_node = node.css_first(source.time_selector)
            if time_node is not None:
                stamp = time_node.attributes.get("datetime") or time_node.text(strip=True)
                published = _parse_time_text(stamp or "")
            if time_node is not None and not source.link_selector:
                text = text.replace(time_node.text(deep=True, separator=" ", strip=True), "", 1).strip()
        # node text is already text (entities decoded): "&lt;live&gt;" on the page is "<live>"
        entries.append(RawEntry(title=text, link=link, published=published, title_html=False))
    return ParseResult(entries=entries)


def _parse_time_text(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        pass
    try:
        dt = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


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
                    published = _parse_time_text(item[key])
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
