"""From a URL a bot administrator gives to a feed the poller can read: the URL itself when it
serves a feed, else the RSS or Atom feed its HTML page links (`<link rel="alternate">`), each
checked with a real fetch and parse under the poller's own limits (size cap, timeouts,
redirects), so a source is only ever added once it has been seen to work. With a guarded
fetcher (jobs/address_guard.py) the page, the feed it links and every redirect hop must be on
public addresses; a refusal says which URL resolved where."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from jobs.fetch import Fetcher
from jobs.kinds.feed import parse_feed

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
MAX_ID = 40


@dataclass(slots=True)
class Discovery:
    feed_url: str = ""
    title: str = ""
    error: str = ""  # empty when a feed with items was found
    refused: bool = False  # an address was refused (a private network), not merely no feed

    @property
    def ok(self) -> bool:
        return not self.error


def web_url(url: str) -> bool:
    """Only http and https, with a host: no file:, ftp:, data: or scheme-less paths."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def feed_links(body: bytes, base: str) -> list[str]:
    """The RSS and Atom feeds an HTML page announces, resolved against the page's URL (its
    `<base href>` when it has one), http(s) only, in page order."""
    tree = LexborHTMLParser(body)
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(base, (base_node.attributes.get("href") or "").strip())
    found: list[str] = []
    for node in tree.css("link[href]"):
        attrs = node.attributes
        rel = (attrs.get("rel") or "").lower().split()
        kind = (attrs.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            href = urljoin(base, (attrs.get("href") or "").strip())
            if web_url(href) and href not in found:
                found.append(href)
    return found


async def _read_feed(fetcher: Fetcher, url: str) -> tuple[Discovery, bytes, str]:
    """A feed at `url`, or why not; the body and final URL come back for page discovery."""
    result = await fetcher.fetch(url)
    if result.refused:
        return Discovery(error=result.error, refused=True), b"", url
    if not result.ok:
        return Discovery(error=f"cannot fetch {url}: {result.error}"), b"", url
    parsed = parse_feed(result.body, result.content_type)
    if parsed.entries:
        return Discovery(feed_url=url, title=parsed.title), result.body, result.url
    why = parsed.error or "a feed with no items"
    return Discovery(error=why), result.body, result.url


async def discover_feed(fetcher: Fetcher, url: str) -> Discovery:
    """The feed at `url` or linked from the page at `url`; `error` says in one line why not."""
    if not web_url(url):
        return Discovery(error="only http:// and https:// URLs can be added")
    found, body, final_url = await _read_feed(fetcher, url)
    if found.ok or not body:
        return found
    links = feed_links(body, final_url)
    if not links:
        return Discovery(error=f"not a feed ({found.error}), and the page links no RSS or Atom feed")
    linked, _, _ = await _read_feed(fetcher, links[0])
    if linked.refused:
        return Discovery(error=f"the page's feed {linked.error}", refused=True)
    if not linked.ok:
        return Discovery(error=f"the page links {links[0]}, which is not a usable feed: {linked.error}")
    return linked


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0] if "-" in slug[:MAX_ID] else slug[:MAX_ID]
    return slug.strip("-")


def derive_id(title: str, url: str, taken: set[str]) -> str:
    """A catalogue id ([a-z0-9-], unique) from the feed's title, else its host (a title in
    Arabic script has no ASCII letters): "BBC News - World" → bbc-news-world, then -2, -3..."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    base = _slug(title) or _slug(host) or "feed"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate
