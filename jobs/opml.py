"""The catalogue as OPML, the format feed readers exchange subscription lists in, and back.
Feeds are `type="rss"` outlines with `xmlUrl`; tickers, which no reader can follow, are
`type="link"` outlines with `url`. What only newsbot uses (id, kind, regions, interval) is kept
in attributes of its own namespace, so an export imported elsewhere keeps its ids. Files are
read with defusedxml and any DTD refused: no entity expansion, no external fetch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from jobs.regions import resolve_region
from jobs.sources import Source

NS = "https://github.com/newsbot/opml"
MAX_OUTLINES = 5000


class OpmlError(ValueError):
    """The file is not OPML newsbot can read (not XML, a DTD, no <body>)."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str = ""
    source_id: str = ""
    regions: tuple[str, ...] = ()
    unknown_regions: tuple[str, ...] = ()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry at all (a feed title may hold them) are dropped."""
    return _NOT_XML.sub("", text)


def _attr(name: str) -> str:
    return f"{{{NS}}}{name}"


def to_opml(sources: list[Source], title: str = "newsbot sources") -> str:
    """One outline per source, in catalogue order."""
    ET.register_namespace("newsbot", NS)
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for source in sources:
        name = _xml_text(source.name)
        outline = ET.SubElement(body, "outline", text=name, title=name)
        if source.kind == "feed":
            outline.set("type", "rss")
            outline.set("xmlUrl", _xml_text(source.url))
        else:
            outline.set("type", "link")
            outline.set("url", _xml_text(source.url))
        outline.set(_attr("id"), source.id)
        outline.set(_attr("kind"), source.kind)
        outline.set(_attr("interval"), f"{source.interval:g}")
        if source.regions:
            outline.set(_attr("regions"), ",".join(source.regions))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _feed(outline: ET.Element) -> OpmlFeed | None:
    """A feed outline (an `xmlUrl`, any spelling of the attribute's case), else None."""
    attrs = {k.lower(): v for k, v in outline.attrib.items() if not k.startswith("{")}
    url = (attrs.get("xmlurl") or "").strip()
    if not url:
        return None
    names = [r.strip() for r in (outline.get(_attr("regions")) or "").split(",") if r.strip()]
    resolved = [resolve_region(r) for r in names]
    return OpmlFeed(
        url=url,
        title=(attrs.get("title") or attrs.get("text") or "").strip(),
        source_id=(outline.get(_attr("id")) or "").strip(),
        regions=tuple(r for r in resolved if r),
        unknown_regions=tuple(n for n, r in zip(names, resolved, strict=True) if not r),
    )


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline, nested folders included, in document order, each URL once."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError(f"refused: {type(exc).__name__} (DTDs and entities are not accepted)") from None
    except ET.ParseError as exc:
        raise OpmlError(f"not XML: {exc}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError("not OPML: expected <opml> with a <body>")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for n, outline in enumerate(root.find("body").iter("outline")):
        if n >= MAX_OUTLINES:
            raise OpmlError(f"more than {MAX_OUTLINES} outlines")
        feed = _feed(outline)
        if feed is not None and feed.url not in seen:
            seen.add(feed.url)
            feeds.append(feed)
    return feeds
