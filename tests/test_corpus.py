"""Every file of the shared feed corpus, and hostile inputs of our own, through
parse → normalize → classify → render without an unhandled exception, producing valid
Telegram HTML. The corpus part skips when ../shared is absent (a user's clone)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.render import render_alert
from jobs.classify import default_classifier
from jobs.normalize import normalize
from jobs.parse import parse
from jobs.sources import Source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "feedparser-tests"
FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".atom", ".rss"))
    if CORPUS.is_dir()
    else []
)
NOW = datetime(2026, 11, 27, tzinfo=UTC)
FEED = Source(id="corpus", name="Corpus <feed>", kind="feed", url="https://corpus.example/feed")
_TAG = re.compile(r"<(/?)([a-z]+)(?: [^>]*)?>")


def assert_telegram_html(text: str) -> None:
    stack: list[str] = []
    for closing, tag in _TAG.findall(text):
        assert tag in {"b", "i", "a"}, tag
        if closing:
            assert stack and stack.pop() == tag
        else:
            stack.append(tag)
    assert not stack and len(text) <= 4096
    assert "<" not in _TAG.sub("", text)


def run_pipeline(body: bytes, content_type: str = "application/xml", source: Source = FEED) -> int:
    result = parse(source, body, content_type)
    count = 0
    for entry in result.entries:
        item = normalize(source, entry, NOW, source.url)
        if item is None:
            continue
        default_classifier().apply(item)
        assert_telegram_html(render_alert(item))
        count += 1
    return count


@pytest.mark.skipif(not FILES, reason="../shared/corpus is not here (a user's clone)")
def test_feedparser_corpus_passes_through_the_pipeline():
    parsed = sum(1 for path in FILES if run_pipeline(path.read_bytes()) > 0)
    assert len(FILES) > 100 and parsed > 50


@pytest.mark.parametrize(
    "body",
    [
        bytes(range(256)) * 100,
        b"\xff\xfe\x00<\x00r\x00s\x00s" + b"\x80\x81" * 100,
        b"<html><body><h1>Not a feed</h1></body></html>",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>'
        b"<rss><channel><item><title>&lol6;</title></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&e;</title></item></channel></rss>',
        b"<rss><channel><item><title>" + "é".encode("latin-1") * 10 + b"\xc3\x28</title></item></channel></rss>",
        b"<rss><channel>" + b"<item><title>x</title></item>" * 5000 + b"</channel></rss>",
        b"<rss>" + b"<a>" * 50_000,
        b"",
    ],
)
def test_hostile_bodies_never_raise(body):
    run_pipeline(body)
    ticker = Source(id="t", name="T", kind="ticker", url="https://x.example/", selector="li")
    run_pipeline(body, "text/html", ticker)


def test_entity_bomb_and_external_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>A&e;B</title></item></channel></rss>"
    )
    result = parse(FEED, bomb, "application/rss+xml")
    assert all("root:" not in e.title for e in result.entries)
