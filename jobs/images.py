"""An item's picture, taken only from what the source itself says about the item (Media RSS,
an image enclosure, the first <img> of its summary): the article page's og:image would cost a
fetch per item, a request to a site per alert. Whether Telegram can fetch the picture is only
known when it tries; delivery falls back to text then."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedparser.urls import make_safe_absolute_uri
from selectolax.lexbor import LexborHTMLParser

MAX_IMAGE_URL = 1000  # Telegram fetches photos by URL; longer ones are not worth the risk
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
# Media RSS thumbnails are images by definition, unless their URL says it is something else
NOT_IMAGE_SUFFIXES = (".mp4", ".m4v", ".mov", ".webm", ".mp3", ".m4a", ".ogg", ".wav", ".pdf", ".svg")
_SPACE = re.compile(r"\s")


def _path(url: str) -> str:
    try:
        return urlsplit(url).path.lower()
    except ValueError:
        return ""


def looks_like_image(url: str) -> bool:
    """A URL whose path ends like a picture's: the only hint a typeless entry gives."""
    return _path(url).endswith(IMAGE_SUFFIXES)


def image_url(url: str, base: str = "") -> str:
    """An absolute http(s) URL Telegram may fetch, or "": data:, javascript:, file: and
    host-less URLs never leave here, and a relative one is read against the item's page."""
    url = url.strip()
    if not url or _SPACE.search(url) or len(url) > MAX_IMAGE_URL:
        return ""
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(url) > MAX_IMAGE_URL:
        return ""
    return url


def _typed_image(url: str, kind: str, medium: str = "") -> bool:
    """An image by its declared type or medium; when it declares neither, by its URL."""
    kind, medium = kind.lower(), medium.lower()
    if kind or medium:
        return kind.startswith("image/") or medium == "image"
    return looks_like_image(url)


def _dicts(value: Any) -> Iterable[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _media_contents(entry: dict[str, Any]) -> Iterable[str]:
    for media in _dicts(entry.get("media_content")):
        url = _text(media.get("url"))
        if url and _typed_image(url, _text(media.get("type")), _text(media.get("medium"))):
            yield url


def _enclosures(entry: dict[str, Any]) -> Iterable[str]:
    for enclosure in _dicts(entry.get("enclosures")):
        url = _text(enclosure.get("href"))
        if url and _typed_image(url, _text(enclosure.get("type"))):
            yield url


def _thumbnails(entry: dict[str, Any]) -> Iterable[str]:
    for thumb in _dicts(entry.get("media_thumbnail")):
        url = _text(thumb.get("url"))
        if url and not _path(url).endswith(NOT_IMAGE_SUFFIXES):
            yield url


def first_img(html: str) -> str:
    """The src of the summary's first <img> that is not a tracking pixel (1×1)."""
    if "<img" not in html.lower():
        return ""
    tree = LexborHTMLParser(f"<div>{html}</div>")
    for img in tree.css("img[src]"):
        if img.attributes.get("width") in ("0", "1") or img.attributes.get("height") in ("0", "1"):
            continue
        return img.attributes.get("src") or ""
    return ""


def entry_image(entry: dict[str, Any], summary: str = "", base: str = "") -> str:
    """The picture of a feedparser entry, best first: a Media RSS image, an image enclosure,
    a Media RSS thumbnail, the summary's first <img>. Raw (maybe relative): normalize makes it
    absolute and safe with `image_url`. `base` is the summary's own xml:base, if any: feedparser's
    relative-URI pass over the whole summary is off (jobs/kinds/feed.py), so the one src we read
    is resolved against it here, as that pass did."""
    for url in (*_media_contents(entry), *_enclosures(entry), *_thumbnails(entry)):
        return url
    src = first_img(summary)
    if src and base:
        # feedparser's pass keeps the value as written when its scheme is not a safe one
        return make_safe_absolute_uri(base, src.strip()) or src
    return src
