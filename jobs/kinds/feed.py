"""RSS, Atom and RDF feeds, parsed by feedparser. A feed needs no keys of its own: its entries
carry ids, links and dates."""

from __future__ import annotations

import calendar
import io
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import feedparser

from jobs.images import entry_image
from jobs.kinds.base import Kind, ParseResult
from jobs.models import RawEntry

if TYPE_CHECKING:
    from jobs.sources import Source

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Numeric character references feedparser cannot turn into UTF-8: surrogates (&#xD83D;, &#55357;:
# hex D800-DFFF, decimal 55296-57343) and anything past U+10FFFF. A run of them is taken
# together so that a surrogate pair written as two references becomes its one character.
_REF = rb"&#(?:[xX]0*(?:[dD][89a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{5,})|0*(?:5[5-7][0-9]{3}|[0-9]{7,}));"
_BAD_REFS = re.compile(rb"(?:" + _REF + rb")+")
_ONE_REF = re.compile(rb"&#([xX]?)([0-9a-fA-F]+);")
# feedparser's two passes over embedded HTML re-parse every title and summary and cost a third
# of its time; we need neither. Its sanitizer: no markup of a feed ever reaches Telegram, as
# normalize keeps only the text of HTML (jobs/normalize.strip_html, scripts and styles dropped)
# and the alert escapes that text. Its relative-URI pass: the one URI we read from that HTML,
# the summary's first <img>, is resolved in _image as that pass did.
_FEEDPARSER_OPTIONS = {"sanitize_html": False, "resolve_relative_uris": False}


class Feed(Kind):
    name = "feed"

    @classmethod
    def parse(cls, source: Source, body: bytes, content_type: str) -> ParseResult:
        return parse_feed(body, content_type)


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
    doc = feedparser.parse(io.BytesIO(body), response_headers=headers, **_FEEDPARSER_OPTIONS)
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
                image=_image(entry, summary),
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
    title = str(doc.get("feed", {}).get("title") or "").strip()
    return ParseResult(entries=entries, ttl_seconds=ttl, error=error, title=title)


def _image(entry: Any, summary: str) -> str:
    """A picture is a bonus: a hostile summary that trips the HTML parser costs the picture,
    never the item or the poll."""
    try:
        return entry_image(entry, summary, _html_base(entry.get("summary_detail")))
    except Exception:  # selectolax raises several types on broken markup
        return ""


def _html_base(detail: Any) -> str:
    """The xml:base feedparser would have resolved an HTML summary's URIs against ("" for plain
    text, which it leaves alone, and for a feed that sets none: a relative src then reads
    against the item's page in normalize, as before)."""
    if not isinstance(detail, dict) or not _is_html(detail):
        return ""
    base = detail.get("base")
    return base if isinstance(base, str) else ""


def _is_html(detail: Any) -> bool:
    """A text construct without a type is taken for HTML, as it always was."""
    if not isinstance(detail, dict) or not detail.get("type"):
        return True
    return str(detail["type"]).lower() in HTML_TYPES
