"""One set of rules for trusting source data: clean text, canonical links, UTC times, and the
stable keys that dedupe is built on."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from jobs.models import Item, RawEntry
from jobs.sources import Source

MAX_TITLE = 400
MAX_SUMMARY = 800
FUTURE_SLACK = timedelta(minutes=10)

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "at_", "ga_")
_TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mkt_tok",
    "ocid",
    "cmpid",
    "ito",
    "at_medium",
    "at_campaign",
    "src",
    "ref",
    "ref_src",
    "_ga",
    "spm",
}
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def fold_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def strip_html(text: str) -> str:
    """Text content of an HTML fragment; script and style bodies are not text."""
    if "<" not in text and "&" not in text:
        return fold_ws(text)
    if "<" not in text:
        return fold_ws(html.unescape(text))
    tree = LexborHTMLParser(f"<div>{text}</div>")
    tree.strip_tags(["script", "style", "noscript", "template", "iframe", "object"])
    body = tree.body
    return fold_ws(body.text(separator=" ") if body is not None else "")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut or text[: limit - 1]) + "…"


def fold_text(text: str) -> str:
    """Case- and accent-insensitive word sequence: the form keywords and ticker lines compare in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(stripped))


def canonical_url(url: str, base: str = "") -> str:
    """Scheme and host lower-cased, default ports, fragments and tracking parameters gone, so
    the same article reached through two campaigns is one item."""
    url = fold_ws(url)
    if not url:
        return ""
    try:  # hostile links ("http://[bad") raise from urljoin, urlsplit or .port
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def dedupe_keys(source: Source, guid: str, url: str, title: str) -> list[str]:
    """Every identity an item can be recognised by; it is new only if none was seen before.

    A guid is only unique inside its feed, a canonical link across feeds, and a link-less ticker
    line has only its words."""
    keys: list[str] = []
    if guid:
        keys.append("g" + _digest(source.id, guid))
    if url:
        keys.append("u" + _digest(url))
    if not keys:
        keys.append("t" + _digest(fold_text(title)))
    return keys


def normalize(source: Source, raw: RawEntry, now: datetime, base_url: str = "") -> Item | None:
    """None when nothing alertable is left (an entry with no text at all)."""
    title = _cut(strip_html(raw.title), MAX_TITLE)
    summary = _cut(strip_html(raw.summary), MAX_SUMMARY)
    if not title:
        if not summary:
            return None
        title, summary = _cut(summary, 200), summary
    if summary and fold_text(summary) == fold_text(title):
        summary = ""
    url = canonical_url(raw.link, base_url or source.url)
    guid = fold_ws(raw.guid)[:500]
    published = raw.published
    if published is None or published > now + FUTURE_SLACK or published.year < 1995:
        published = now
    keys = dedupe_keys(source, guid, url, title)
    return Item(
        source=source.id,
        source_name=source.name,
        key=keys[0],
        title=title,
        url=url,
        published=published,
        first_seen=now,
        summary=summary,
        guid=guid,
        breaking=source.breaking,
        regions=list(source.regions),
        categories=list(source.categories),
        feed_categories=[fold_ws(c)[:60] for c in raw.categories[:10]],
    )
