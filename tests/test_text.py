"""Parsing, normalizing, tagging and rendering: the rules for trusting source text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import pytest
from factories import make_item

from bot.render import render_alert
from jobs.classify import default_classifier
from jobs.models import RawEntry
from jobs.normalize import canonical_url, normalize, strip_html
from jobs.parse import parse
from jobs.sources import Source

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def src(**kw) -> Source:
    base = {"id": "s", "name": "S", "kind": "ticker", "url": "https://site.example/news/", "selector": ".ticker__item"}
    return Source(**{**base, **kw})


def test_almayadeen_ticker_lines_and_regions():
    result = parse(src(), (DATA / "almayadeen_home.html").read_bytes())
    assert len(result.entries) == 10 and not result.error
    items = [normalize(src(), e, NOW) for e in result.entries]
    tagger = default_classifier()
    regions = [tagger.apply(i).regions for i in items]
    assert regions[0] == ["MENA"]  # western Nabatieh
    assert regions[2] == ["Palestine"]  # Nasser Medical Complex, Gaza
    assert regions[4] == ["MENA", "Palestine"]  # ship for Gaza leaves Tunisia
    assert all(i.url == "" and i.published == NOW for i in items)


def test_json_ticker_by_configuration():
    body = (
        b'{"data": {"breaking": {"items": [{"title": "Quake hits Chile", "url": "/q?utm_medium=x", "guid": 7},'
        b' {"title": ""}, 42, null, {"title": {"x": 1}}, {"title": "Second line"}]}}}'
    )
    s = src(format="json", selector="", items="data.breaking.items", text="title", link="url", id_field="guid")
    result = parse(s, body)
    assert [e.title for e in result.entries] == ["Quake hits Chile", "Second line"]
    item = normalize(s, result.entries[0], NOW)
    assert item.url == "https://site.example/q" and item.guid == "7"
    assert parse(s, b"not json").error.startswith("not JSON")
    assert "does not lead to a list" in parse(src(format="json", items="data.nothing"), b"{}").error


def test_html_ticker_link_and_time_selectors():
    page = b'<ul><li class="b"><a href="/a/1">Line one</a><time datetime="2026-11-27T10:00:00Z">10:00</time></li></ul>'
    s = src(selector="li.b", link_selector="a", time_selector="time")
    entry = parse(s, page).entries[0]
    assert entry.link == "/a/1" and entry.published == datetime(2026, 11, 27, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=y#frag", "https://example.com/a/b?id=3"),
        ("http://example.com:8080", "http://example.com:8080/"),
        ("javascript:alert(1)", ""),
        ("/relative/path", "https://site.example/relative/path"),
        ("http://[bad", ""),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url, "https://site.example/news/") == expected


def test_strip_html_drops_scripts_and_unescapes():
    assert strip_html("<p>A &amp; B</p><script>alert(1)</script><style>p{}</style> <b>C</b>") == "A & B C"
    assert strip_html("Tom &amp; Jerry") == "Tom & Jerry"


def test_future_missing_and_ancient_dates_fall_back_to_first_seen():
    s = src(kind="feed", selector="")
    for published in (None, NOW + timedelta(days=3), datetime(1970, 1, 1, tzinfo=UTC)):
        item = normalize(s, RawEntry(title="t", published=published), NOW)
        assert item.published == NOW
    past = NOW - timedelta(hours=1)
    assert normalize(s, RawEntry(title="t", published=past), NOW).published == past
    assert normalize(s, RawEntry(title="", summary=""), NOW) is None


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("Israeli strike kills 5 in Gaza City", ["Palestine"]),
        ("Israeli strike kills 5 in south Lebanon", ["MENA"]),
        ("Russian drones over Poland", ["Europe"]),
        ("Papua New Guinea earthquake", ["Asia-Pacific"]),
        ("South Sudan clashes", ["Africa"]),
        ("Jordan Peterson speaks", []),
        ("Tell us what you think", []),
        ("Hezbollah statement", ["MENA"]),
        ("Clashes in Jenin and Nablus", ["Palestine"]),
    ],
)
def test_region_tags(text, regions):
    assert default_classifier().tag_text(text).regions == regions


def test_breaking_prefix_marks_and_is_removed():
    item = normalize(src(kind="feed", selector=""), RawEntry(title="BREAKING: Quake hits Chile"), NOW)
    default_classifier().apply(item)
    assert item.breaking and item.title == "Quake hits Chile"


def test_render_escapes_everything_and_stays_under_the_limit():
    hostile = '<script>alert("x")</script> & <b>bold</b> ' + "&" * 5000
    item = make_item(
        hostile,
        source_name='<i>Evil</i> "News"',
        url='https://ex.org/?q="><script>',
        summary=hostile,
        regions=["US & Canada", "Asia-Pacific"],
        breaking=True,
    )
    text = render_alert(item)
    assert len(text) <= 4096
    assert "<script>" not in text and "<i>Evil</i>" not in text
    tags = re.findall(r"</?([a-z]+)", text)
    assert set(tags) <= {"b", "i", "a"}
    assert "#US_Canada" in text and "#AsiaPacific" in text
    assert "&quot;&gt;&lt;script&gt;" in text


def test_lone_surrogates_become_replacement_characters():
    s = src(format="json", selector="", items="items")
    entry = RawEntry(title="Sirens \ud83d in Haifa", summary="a \udc00 b", guid="g\ud83d", link="/x\ud83d")
    item = normalize(s, entry, NOW)
    assert item.title == "Sirens \ufffd in Haifa" and item.summary == "a \ufffd b"
    item.to_json().encode("utf-8")  # what publishing does: it must not raise


def test_format_characters_are_stripped_but_emoji_sequences_keep_their_joiner():
    s = src(kind="feed", selector="")
    raw = RawEntry(title="Ga\u200bza\u00ad strike \u202eereh\u202c \u2066x\u2069", summary="Ce\u200dase\ufefffire")
    item = normalize(s, raw, NOW)
    assert item.title == "Gaza strike ereh x" and item.summary == "Ceasefire"
    family, rainbow = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f3f3\ufe0f\u200d\U0001f308"
    assert normalize(s, RawEntry(title=f"{family} {rainbow} News"), NOW).title == f"{family} {rainbow} News"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("&#xD83D;", "\ufffd"),
        ("&#xd83d;", "\ufffd"),
        ("&#XdC00;", "\ufffd"),
        ("&#x000D83D;", "\ufffd"),
        ("&#55357;", "\ufffd"),
        ("&#0055357;", "\ufffd"),
        ("&#57343;", "\ufffd"),
        ("&#xD83D;&#xDE00;", "\U0001f600"),
        ("&#55357;&#56832;", "\U0001f600"),
        ("&#xDE00;&#xD83D;&#xDE00;", "\ufffd\U0001f600"),
        ("&#xD83D;&#xD83D;", "\ufffd\ufffd"),
        ("&#x110000;", "\ufffd"),
        ("&#99999999999;", "\ufffd"),
        ("&#x1F600;", "\U0001f600"),
        ("&#55295;", "\ud7ff"),
    ],
)
def test_bad_character_references_in_a_feed_are_repaired(ref, expected):
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Bad {ref} one</title><link>https://ex.org/1</link></item>"
        "<item><title>Good one</title><link>https://ex.org/2</link></item></channel></rss>"
    )
    result = parse(src(kind="feed", selector=""), body.encode())
    assert not result.error
    assert [e.title for e in result.entries] == [f"Bad {expected} one", "Good one"]


def test_plain_text_titles_keep_angle_brackets_and_html_titles_lose_tags():
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b'<entry><id>1</id><title type="text">Talks resume in Doha &amp; Cairo &lt;live&gt;</title>'
        b'<summary type="text">Mediators &lt;say&gt; progress</summary><link href="https://ex.org/1"/></entry>'
        b'<entry><id>2</id><title type="html">Strike &lt;b&gt;in&lt;/b&gt; Gaza</title>'
        b'<summary type="html">&lt;p&gt;Body&lt;/p&gt;</summary></entry></feed>'
    )
    s = src(kind="feed", selector="")
    plain, rich = (normalize(s, e, NOW) for e in parse(s, atom).entries)
    assert plain.title == "Talks resume in Doha & Cairo <live>"
    assert plain.summary == "Mediators <say> progress"
    assert rich.title == "Strike in Gaza" and rich.summary == "Body"
    text = render_alert(plain)
    assert "Doha &amp; Cairo &lt;live&gt;" in text and "<live>" not in text


def test_the_invisible_character_class_covers_this_pythons_unicode_database():
    import sys
    import unicodedata

    from jobs.normalize import _INVISIBLE

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        expected = category == "Cf" or (category == "Cc" and not char.isspace())
        assert bool(_INVISIBLE.fullmatch(char)) == expected, hex(code)


def test_hostile_feed_markup_reaches_the_alert_as_text_only():
    """feedparser's sanitizer is off (jobs/kinds/feed.py): normalize keeps only the text of a
    feed's HTML, without scripts and styles, and the alert escapes what is left."""
    title = (
        '<script>alert(1)</script><b onmouseover="x()">Strike</b> <img src=x onerror="y()"> in '
        '<a href="javascript:z()">Gaza</a><style>b{color:red}</style> &lt;live&gt;'
    )
    summary = '<iframe src="javascript:w()"></iframe><p onclick="v()">Body <u>text</u></p><svg onload="u()"/>'
    body = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id>'
        f'<title type="html">{escape(title)}</title><summary type="html">{escape(summary)}</summary>'
        '<link href="https://site.example/a"/></entry></feed>'
    ).encode()
    s = src(kind="feed", selector="")
    item = normalize(s, parse(s, body).entries[0], NOW)
    assert item.title == "Strike in Gaza <live>"
    assert item.summary == "Body text"
    assert item.image == ""
    text = render_alert(item)
    assert "Strike in Gaza &lt;live&gt;" in text
    for hostile in ("script", "alert(", "onmouseover", "onerror", "javascript:", "onclick", "onload", "<live>"):
        assert hostile not in text
