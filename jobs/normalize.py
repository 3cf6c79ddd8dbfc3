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

from jobs.images import image_url
from jobs.models import Item, RawEntry
from jobs.sources import Source
from jobs.text import fold_text

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
_SURROGATE = re.compile("[\ud800-\udfff]")
_ZWJ = "\u200d"
# what may stand before a joiner inside an emoji sequence: an emoji (So), a skin tone (Sk) or
# the emoji presentation selector
_EMOJI_BEFORE_ZWJ = frozenset({"So", "Sk"})
# Control characters (Cc) that are not whitespace, and format characters (Cf), as of Unicode 14
# (tests check this against the running Python's database: scanning it here costs 0.3 s).
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    r"\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def fold_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def repair_surrogates(text: str) -> str:
    """Lone UTF-16 surrogates (a JSON ticker's "\\ud83d", a broken character reference) cannot be
    encoded as UTF-8, so one of them made the whole poll fail at publishing. A valid pair becomes
    its character, a lone one U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _keep_zwj(text: str, at: int) -> bool:
    """A zero-width joiner between two emoji builds one (a family, a rainbow flag): keep it;
    anywhere else it only hides words from keyword matching ("Ga\\u200dza")."""
    before = text[at - 1] if at > 0 else ""
    if before == "\ufe0f" and at > 1:
        before = text[at - 2]
    after = text[at + 1] if at + 1 < len(text) else ""
    return (
        bool(before and after)
        and unicodedata.category(before) in _EMOJI_BEFORE_ZWJ
        and unicodedata.category(after) == "So"
    )


def clean_text(text: str) -> str:
    """Text fit for an alert and for keyword matching: surrogates repaired, format characters
    (zero-width spaces, soft hyphens, bidi controls: category Cf) and control characters gone,
    whitespace folded. Zero-width characters let "Ga\\u200bza" escape a Gaza subscription, and
    bidi controls can reorder how a headline reads."""
    text = repair_surrogates(text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(lambda m: m.group() if m.group() == _ZWJ and _keep_zwj(text, m.start()) else "", text)
    return fold_ws(text)


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


def _text(value: str, is_html: bool) -> str:
    """Only HTML may lose its tags: a plain-text headline "Talks in Doha <live>" means what it
    says (the alert escapes it when it is rendered)."""
    value = repair_surrogates(value)  # before the HTML parser, which must encode it
    return clean_text(strip_html(value) if is_html else value)


def normalize(source: Source, raw: RawEntry, now: datetime, base_url: str = "") -> Item | None:
    """None when nothing alertable is left (an entry with no text at all)."""
    title = _cut(_text(raw.title, raw.title_html), MAX_TITLE)
    summary = _cut(_text(raw.summary, raw.summary_html), MAX_SUMMARY)
    if not title:
        if not summary:
            return None
        title, summary = _cut(summary, 200), summary
    if summary and fold_text(summary) == fold_text(title):
        summary = ""
    url = canonical_url(repair_surrogates(raw.link), base_url or source.url)
    guid = fold_ws(repair_surrogates(raw.guid))[:500]  # an identity: changed no more than needed
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
        feed_categories=[clean_text(c)[:60] for c in raw.categories[:10]],
        image=image_url(repair_surrogates(raw.image), base_url or source.url),
    )
