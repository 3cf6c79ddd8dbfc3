"""HTML tickers (a breaking strip on a page): one CSS selector finds the lines, optional
selectors their link and time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import field_validator
from selectolax.lexbor import LexborHTMLParser

from jobs.kinds.base import Fields, Kind, ParseResult, check_selector
from jobs.models import RawEntry
from jobs.text import parse_time

if TYPE_CHECKING:
    from jobs.sources import Source


class HtmlTickerFields(Fields):
    selector: str = ""  # CSS selector of one ticker item
    link_selector: str = ""
    time_selector: str = ""

    @field_validator("selector", "link_selector", "time_selector")
    @classmethod
    def _css(cls, value: str, info) -> str:
        return check_selector(value, info.field_name)


class HtmlTicker(Kind):
    name = "ticker"
    format = "html"
    fields = HtmlTickerFields
    edits_lines = True

    @classmethod
    def missing(cls, fields: Fields) -> list[str]:
        assert isinstance(fields, HtmlTickerFields)
        return [] if fields.selector else ["an HTML ticker needs 'selector' (CSS selector of one ticker item)"]

    @classmethod
    def parse(cls, source: Source, body: bytes, content_type: str) -> ParseResult:
        return parse_html_ticker(source, body)


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
                published = parse_time(stamp or "")
            if time_node is not None and not source.link_selector:
                text = text.replace(time_node.text(deep=True, separator=" ", strip=True), "", 1).strip()
        # node text is already text (entities decoded): "&lt;live&gt;" on the page is "<live>"
        entries.append(RawEntry(title=text, link=link, published=published, title_html=False))
    return ParseResult(entries=entries)
