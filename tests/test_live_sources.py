"""Sources added live, against a real local site and a real Redis: a page's linked feed found
and checked, pages and files that are not feeds refused with the reason, ids derived and kept
unique, the overlay read back by every process, pause and remove honoured by the poller, the
catalogue file reloaded (or a broken one refused), and OPML written and read safely."""

from __future__ import annotations

import pytest

from bot.source_sync import LiveCatalogue
from jobs.feed_discovery import derive_id, discover_feed, feed_links
from jobs.fetch import Fetcher, FetchLimits
from jobs.keys import Keys
from jobs.live_sources import ADDED, EXISTS, NOT_FEED, REFUSED, NewFeed, add_feed
from jobs.opml import OpmlError, read_opml, to_opml
from jobs.poller import Poller
from jobs.source_overlay import PAUSED, REMOVED, Catalogue, Overlay, read_overlay, set_status
from jobs.sources import Source

RSS = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
    "<item><title>Strike on Gaza City</title><link>https://ex.org/1</link></item></channel></rss>"
)
PAGE = """<html><head><title>News</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Feed" href="{href}">
</head><body>Hello</body></html>"""
FILE_SOURCE = Source(id="file-one", name="File One", kind="feed", url="https://example.org/one.xml", interval=60)


@pytest.fixture
async def fetcher():
    f = Fetcher(FetchLimits(total_timeout=5, read_timeout=3, connect_timeout=2, max_bytes=200_000))
    yield f
    await f.aclose()


def catalogue() -> Catalogue:
    return Catalogue(file=[FILE_SOURCE])


async def test_a_page_is_searched_for_its_feed_and_the_feed_is_added(redis, site, fetcher):
    site.put("/section/news", PAGE.format(href="../feeds/world.xml"))
    site.put("/feeds/world.xml", RSS.format(title="Local News – World"), content_type="application/rss+xml")
    cat = catalogue()
    outcome = await add_feed(redis, Keys(), fetcher, cat, NewFeed(site.url("/section/news"), interval=5))
    assert outcome.status == ADDED, outcome.detail
    source = outcome.source
    assert source.id == "local-news-world" and source.url == site.url("/feeds/world.xml")
    assert source.kind == "feed" and source.regions == () and source.interval == 5
    overlay = await read_overlay(redis, Keys())  # what every other process reads
    assert overlay.added == {"local-news-world": source} and overlay.version == 1
    assert [s.id for s in Catalogue([FILE_SOURCE], overlay).effective()] == ["file-one", "local-news-world"]
    # the page again, or the feed itself: already there, nothing fetched twice into the overlay
    again = await add_feed(redis, Keys(), fetcher, cat, NewFeed(site.url("/section/news")))
    assert again.status == EXISTS and again.source.id == "local-news-world"
    direct = await add_feed(redis, Keys(), fetcher, cat, NewFeed(site.url("/feeds/world.xml")))
    assert direct.status == EXISTS
    assert (await read_overlay(redis, Keys())).version == 1


async def test_a_feed_url_is_added_with_the_id_and_regions_given(redis, site, fetcher):
    site.put("/rss", RSS.format(title="Anything"))
    wanted = NewFeed(site.url("/rss"), source_id="my-feed", regions=("MENA",))
    outcome = await add_feed(redis, Keys(), fetcher, catalogue(), wanted)
    assert outcome.status == ADDED and outcome.source.id == "my-feed" and outcome.source.regions == ("MENA",)


@pytest.mark.parametrize(
    ("path", "body", "status", "why"),
    [
        ("/plain", "<html><body>No feed here</body></html>", 200, "links no RSS or Atom feed"),
        ("/json", '{"items": [1, 2]}', 200, "links no RSS or Atom feed"),
        ("/gone", "nope", 404, "HTTP 404"),
        ("/empty", "<rss version='2.0'><channel><title>Empty</title></channel></rss>", 200, "no items"),
        ("/badlink", PAGE.format(href="/plain"), 200, "which is not a usable feed"),
    ],
)
async def test_what_is_not_a_feed_is_refused_with_the_reason(redis, site, fetcher, path, body, status, why):
    site.put("/plain", "<html><body>No feed here</body></html>")
    site.put(path, body, status=status)
    outcome = await add_feed(redis, Keys(), fetcher, catalogue(), NewFeed(site.url(path)))
    assert outcome.status == NOT_FEED and why in outcome.detail, outcome.detail
    assert (await read_overlay(redis, Keys())).added == {}


@pytest.mark.parametrize(
    ("url", "source_id", "why"),
    [
        ("file:///etc/passwd", "", "only http"),
        ("ftp://example.org/feed", "", "only http"),
        ("javascript:alert(1)", "", "only http"),
        ("http://example.org/feed", "Bad_Id", "a-z, 0-9"),
        ("http://example.org/feed", "x" * 41, "at most 40"),
        ("http://example.org/feed", "file-one", "already taken"),
    ],
)
async def test_bad_urls_and_ids_are_refused_before_any_fetch(redis, fetcher, url, source_id, why):
    outcome = await add_feed(redis, Keys(), fetcher, catalogue(), NewFeed(url, source_id=source_id))
    assert outcome.status == REFUSED and why in outcome.detail, outcome.detail


async def test_a_removed_file_source_keeps_its_id(redis, site, fetcher):
    """Re-adding the id of a removed file source would bring the file's entry back."""
    await set_status(redis, Keys(), "file-one", REMOVED)
    cat = Catalogue([FILE_SOURCE], await read_overlay(redis, Keys()))
    assert cat.effective() == [] and "file-one" in cat.taken_ids()
    site.put("/rss", RSS.format(title="File One"))
    outcome = await add_feed(redis, Keys(), fetcher, cat, NewFeed(site.url("/rss")))
    assert outcome.status == ADDED and outcome.source.id == "file-one-2"


def test_ids_are_derived_from_the_title_else_the_host_and_kept_unique():
    assert derive_id("BBC News - World", "https://feeds.bbci.co.uk/x", set()) == "bbc-news-world"
    assert derive_id("Café Société!", "https://x.org/", set()) == "cafe-societe"
    assert derive_id("الجزيرة نت", "https://www.aljazeera.net/rss", set()) == "aljazeera-net"
    assert derive_id("", "https://www.aljazeera.net/rss", {"aljazeera-net", "aljazeera-net-2"}) == "aljazeera-net-3"
    long_id = derive_id("A very long title that goes on and on about the world news today", "https://x.org", set())
    assert len(long_id) <= 40 and not long_id.endswith("-")


def test_feed_links_take_rss_and_atom_alternates_resolved_against_the_page():
    page = b"""<html><head><base href="https://cdn.example.org/base/">
    <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
    <link rel="alternate" type="text/html" href="/other">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate feed" type="application/rss+xml" href="//feeds.example.org/rss">
    </head></html>"""
    assert feed_links(page, "https://example.org/news/") == [
        "https://cdn.example.org/base/atom.xml",
        "https://feeds.example.org/rss",
    ]


async def test_discovery_follows_redirects_for_the_base(site, fetcher):
    site.put("/old", "", status=301, headers={"Location": "/new/page"})
    site.put("/new/page", PAGE.format(href="feed.xml"))
    site.put("/new/feed.xml", RSS.format(title="Moved"))
    found = await discover_feed(fetcher, site.url("/old"))
    assert found.ok and found.feed_url == site.url("/new/feed.xml") and found.title == "Moved"


async def test_paused_and_removed_sources_are_not_polled_by_any_poller(redis, site, fetcher):
    site.put("/feed.xml", RSS.format(title="T"))
    source = Source(id="live", name="Live", kind="feed", url=site.url("/feed.xml"), interval=1)
    pollers = [Poller(redis, fetcher), Poller(redis, fetcher)]  # two instances, one Redis
    assert (await pollers[0].poll(source, force=True)).status == "primed"
    await set_status(redis, Keys(), "live", PAUSED)
    fetched = site.count("/feed.xml")
    assert [(await p.poll(source, force=True)).status for p in pollers] == ["paused", "paused"]
    assert site.count("/feed.xml") == fetched
    assert not await redis.exists("nb:lock:src:live")  # the lock taken alongside is given back
    await set_status(redis, Keys(), "live", None)
    assert (await pollers[1].poll(source, force=True)).status in ("ok", "unchanged", "not-modified")
    await set_status(redis, Keys(), "live", REMOVED)
    assert (await pollers[0].poll(source, force=True)).status == "removed"
    assert site.count("/feed.xml") == fetched + 1


async def test_the_catalogue_file_is_reloaded_and_a_broken_one_refused(redis, tmp_path, caplog):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {id: a, name: A, kind: feed, url: 'https://a.org/rss', interval: 60}\n")
    seen: list[list[str]] = []
    live = LiveCatalogue(redis, Keys(), path, [], lambda running: seen.append([s.id for s in running]))
    assert live.reload_file() and seen == [["a"]]
    assert live.reload_file() and seen == [["a"]]  # unchanged: nothing rescheduled
    path.write_text("sources:\n  - {id: a, name: A, kind: feed, url: 'https://a.org/rss', interval: 0}\n")
    assert not live.reload_file()
    assert "not reloaded" in caplog.text and "interval must be >= 1" in caplog.text
    assert [s.id for s in live.sources] == ["a"] and seen == [["a"]]
    path.write_text(
        "sources:\n  - {id: a, name: A, kind: feed, url: 'https://a.org/rss', interval: 30}\n"
        "  - {id: b, name: B, kind: feed, url: 'https://b.org/rss', interval: 60}\n"
    )
    assert live.reload_file() and seen[-1] == ["a", "b"] and live.sources[0].interval == 30
    await set_status(redis, Keys(), "b", PAUSED)
    await live.refresh()
    assert live.view.paused("b") and seen[-1] == ["a", "b"]  # paused: still in the catalogue
    await set_status(redis, Keys(), "b", REMOVED)
    await live.refresh()
    assert seen[-1] == ["a"]


def test_opml_round_trip_keeps_urls_ids_and_regions():
    sources = [
        Source(
            id="bbc-africa", name="BBC Africa & more", kind="feed", url="https://x.org/rss?a=1&b=2", regions=("Africa",)
        ),
        Source(id="tick", name="Ticker", kind="ticker", url="https://t.org/", selector=".t"),
        Source(id="odd", name="Bell\x07 and\x0b tab\tname", kind="feed", url="https://o.org/rss"),
    ]
    feeds = read_opml(to_opml(sources).encode())
    assert len(feeds) == 2  # a ticker is no feed a reader (or import) can follow
    assert feeds[1].title == "Bell and tab\tname"  # what XML cannot hold is dropped, not fatal
    assert feeds[0].url == "https://x.org/rss?a=1&b=2" and feeds[0].source_id == "bbc-africa"
    assert feeds[0].title == "BBC Africa & more" and feeds[0].regions == ("Africa",)


def test_opml_from_other_readers_nested_folders():
    text = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="World"><outline text="A" type="rss" xmlUrl="https://a.org/rss"/>
      <outline text="B" type="rss" xmlurl="https://b.org/rss"/></outline>
      <outline text="A again" type="rss" xmlUrl="https://a.org/rss"/>
      <outline text="Just a folder"/></body></opml>"""
    assert [f.url for f in read_opml(text)] == ["https://a.org/rss", "https://b.org/rss"]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<opml><body><outline xmlUrl="https://x.org/&b;"/></body></opml>',
            "DTDs",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline xmlUrl="&e;"/></body></opml>',
            "DTDs",
        ),
        (b"<opml><body><outline", "not XML"),
        (b"<rss><channel/></rss>", "not OPML"),
    ],
)
def test_hostile_or_broken_opml_is_refused(data, why):
    with pytest.raises(OpmlError, match=why):
        read_opml(data)


async def test_import_checks_feeds_together_and_names_them_in_file_order(redis, site, tmp_path, capsys):
    from bot.cli_sources import import_opml

    for n in range(1, 4):
        site.put(f"/f{n}.xml", RSS.format(title="Same Title"))
    site.put("/page", PAGE.format(href="/f2.xml"))  # the same feed as /f2.xml, through its page
    outlines = "".join(
        f'<outline text="" type="rss" xmlUrl="{site.url(p)}"/>'
        for p in ("/f1.xml", "/f2.xml", "/page", "/f3.xml", "/x")
    )
    path = tmp_path / "in.opml"
    path.write_text(f"<opml version='2.0'><body>{outlines}</body></opml>")
    cat = catalogue()
    assert await import_opml(redis, Keys(), cat, path, 60.0, allow_private=True) == 1  # /x is not a feed
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"added same-title: {site.url('/f1.xml')}",
        f"added same-title-2: {site.url('/f2.xml')}",
        f"already there (same-title-2): {site.url('/page')}",
        f"added same-title-3: {site.url('/f3.xml')}",
        f"not a feed: {site.url('/x')}: cannot fetch {site.url('/x')}: HTTP 404",
        "5 feeds: 4 added or already there, 1 not added",
    ]
    assert sorted((await read_overlay(redis, Keys())).added) == ["same-title", "same-title-2", "same-title-3"]


def test_a_file_source_wins_over_one_added_live_with_its_id():
    live = Source(id="file-one", name="Live", kind="feed", url="https://live.org/rss")
    other = Source(id="other", name="Other", kind="feed", url="https://other.org/rss")
    cat = Catalogue([FILE_SOURCE], Overlay(added={"file-one": live, "other": other}, status={"other": PAUSED}))
    assert cat.effective() == [FILE_SOURCE, other] and cat.shadowed() == ["file-one"]
    assert cat.paused("other") and cat.find("other") == other and cat.by_url("https://live.org/rss") is None
