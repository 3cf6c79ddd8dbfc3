"""Polling against a real local site and a real Redis: priming, dedupe across restarts and
sources, ticker edits, conditional requests, errors, backoff and disabling."""

from __future__ import annotations

import asyncio

import pytest

from jobs.fetch import Fetcher, FetchLimits
from jobs.keys import Keys
from jobs.poller import Poller, PollerSettings
from jobs.sources import Source
from jobs.state import enable_source, load_state

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><ttl>{ttl}</ttl>{items}</channel></rss>"""
ITEM = "<item><title>{title}</title><link>{link}</link><guid>{guid}</guid><description>{desc}</description></item>"


def rss(entries: list[tuple[str, str]], ttl: int = 1) -> str:
    return RSS.format(
        ttl=ttl,
        items="".join(
            ITEM.format(title=t, link=u, guid=u, desc="&lt;p&gt;Body &amp; more&lt;/p&gt;") for t, u in entries
        ),
    )


def ticker(lines: list[str]) -> str:
    return "<ul>" + "".join(f'<li class="t">{x}</li>' for x in lines) + "</ul>"


@pytest.fixture
async def fetcher():
    f = Fetcher(FetchLimits(total_timeout=5, read_timeout=3, connect_timeout=2, max_bytes=200_000))
    yield f
    await f.aclose()


def feed_source(site, path="/feed.xml", sid="feed-a", **kw) -> Source:
    return Source(id=sid, name="Feed A", kind="feed", url=site.url(path), interval=1, **kw)


def ticker_source(site, sid="tick") -> Source:
    return Source(id=sid, name="Ticker", kind="ticker", url=site.url("/t"), interval=1, selector="li.t", breaking=True)


async def test_first_poll_primes_then_only_new_items_are_published(redis, site, fetcher):
    site.put("/feed.xml", rss([("Old one in Gaza", "https://ex.org/1"), ("Old two", "https://ex.org/2")]))
    source = feed_source(site)
    poller = Poller(redis, fetcher)
    report = await poller.poll(source, force=True)
    assert report.status == "primed" and report.fetched == 2 and not report.alerted
    assert await redis.xlen("nb:stories") == 0

    site.put(
        "/feed.xml",
        rss([("New strike in Gaza City", "https://ex.org/3?utm_source=x"), ("Old two", "https://ex.org/2")]),
    )
    report = await poller.poll(source, force=True)
    assert [i.title for i in report.alerted] == ["New strike in Gaza City"]
    assert report.alerted[0].url == "https://ex.org/3"
    assert report.alerted[0].regions == ["Palestine"]
    assert report.alerted[0].summary == "Body & more"
    assert await redis.xlen("nb:stories") == 1

    # a new poller (a restart) sees nothing new
    again = await Poller(redis, fetcher).poll(source, force=True)
    assert again.alerted == [] and await redis.xlen("nb:stories") == 1


async def test_same_link_in_two_feeds_is_one_item(redis, site, fetcher):
    site.put("/a.xml", rss([("x", "https://ex.org/0")]))
    site.put("/b.xml", rss([("y", "https://ex.org/00")]))
    a, b = feed_source(site, "/a.xml", "feed-a"), feed_source(site, "/b.xml", "feed-b")
    poller = Poller(redis, fetcher)
    await poller.poll(a, force=True)
    await poller.poll(b, force=True)
    site.put("/a.xml", rss([("Quake hits Chile", "https://EX.org/quake#top")]))
    site.put("/b.xml", rss([("Strong quake hits Chile", "https://ex.org/quake?fbclid=abc")]))
    first = await poller.poll(a, force=True)
    second = await poller.poll(b, force=True)
    assert len(first.alerted) == 1 and second.alerted == []


async def test_ticker_edit_in_place_is_not_a_new_alert(redis, site, fetcher):
    site.put("/t", ticker(["Sirens sound in the north"]))
    source = ticker_source(site)
    poller = Poller(redis, fetcher)
    await poller.poll(source, force=True)
    site.put("/t", ticker(["Israeli strike kills 4 in Gaza City", "Sirens sound in the north"]))
    r1 = await poller.poll(source, force=True)
    assert [i.title for i in r1.alerted] == ["Israeli strike kills 4 in Gaza City"]
    assert r1.alerted[0].breaking
    site.put("/t", ticker(["Israeli strike kills 5 in Gaza City", "Sirens sound in the north"]))
    r2 = await poller.poll(source, force=True)
    assert r2.alerted == []
    site.put("/t", ticker(["Drone downed over south Lebanon", "Israeli strike kills 5 in Gaza City"]))
    r3 = await poller.poll(source, force=True)
    assert [i.title for i in r3.alerted] == ["Drone downed over south Lebanon"]


async def test_conditional_get_and_unchanged_body_skip_the_parse(redis, site, fetcher):
    site.put("/feed.xml", rss([("a", "https://ex.org/a")]), etag='"v1"')
    source = feed_source(site)
    poller = Poller(redis, fetcher)
    await poller.poll(source, force=True)
    report = await poller.poll(source, force=True)
    assert report.status == "not-modified"
    assert site.count("/feed.xml", "if-none-match") == 1
    site.put("/nocache.xml", rss([("a", "https://ex.org/a")]))
    other = feed_source(site, "/nocache.xml", "feed-b")
    await poller.poll(other, force=True)
    assert (await poller.poll(other, force=True)).status == "unchanged"


async def test_errors_back_off_then_disable_and_admin_can_enable(redis, site, fetcher):
    site.put("/feed.xml", "oops", status=500)
    disabled: list[str] = []

    async def on_disable(source, state):
        # the admin is told only once the state says so: a `/sources` read at once agrees
        stored = await load_state(redis, Keys(), source.id)
        assert stored.disabled == 1 and stored.errors == 3
        disabled.append(source.id)

    source = feed_source(site)
    poller = Poller(redis, fetcher, settings=PollerSettings(disable_after=3), on_disable=on_disable)
    first = await poller.poll(source, force=True)
    assert first.status == "error" and "HTTP 500" in first.error
    state = await load_state(redis, Keys(), source.id)
    assert state.errors == 1 and state.next_poll - state.last_poll >= 2  # backed off past the interval
    assert (await poller.poll(source)).status == "skipped"
    await poller.poll(source, force=True)
    await poller.poll(source, force=True)
    assert disabled == ["feed-a"]
    assert (await poller.poll(source)).status == "disabled"
    assert await enable_source(redis, Keys(), source.id)
    site.put("/feed.xml", rss([("a", "https://ex.org/a")]))
    assert (await poller.poll(source)).status == "primed"


async def test_empty_200_and_garbage_are_errors_not_crashes(redis, site, fetcher):
    site.put("/feed.xml", rss([]))
    source = feed_source(site)
    poller = Poller(redis, fetcher)
    report = await poller.poll(source, force=True)
    assert report.status == "error" and "no items" in report.error
    assert (await load_state(redis, Keys(), source.id)).empty_polls == 1
    site.put("/feed.xml", bytes(range(256)) * 50, content_type="application/octet-stream")
    assert (await poller.poll(source, force=True)).status == "error"


async def test_body_over_the_cap_is_abandoned(redis, site, fetcher):
    site.put("/feed.xml", b"<rss>" + b"x" * 300_000)
    report = await Poller(redis, fetcher).poll(feed_source(site), force=True)
    assert report.status == "error" and "cap" in report.error


async def test_two_instances_never_poll_one_source_at_once(redis, site, fetcher):
    site.put("/feed.xml", rss([("a", "https://ex.org/a")]))
    source = feed_source(site)
    p1, p2 = Poller(redis, fetcher), Poller(redis, fetcher)
    await redis.set("nb:lock:src:feed-a", "someone-else", px=5000)
    assert (await p1.poll(source, force=True)).status == "locked"
    await redis.delete("nb:lock:src:feed-a")
    results = await asyncio.gather(p1.poll(source, force=True), p2.poll(source, force=True))
    assert sorted(r.status for r in results) in (["locked", "primed"], ["primed", "unchanged"])


async def test_slow_and_dripping_sources_never_delay_the_others(redis, site, fetcher):
    site.put("/slow.xml", rss([("a", "https://ex.org/a")]), delay=8)
    site.put("/drip.xml", rss([("a", "https://ex.org/a")]), drip=0.05)
    site.put("/good.xml", rss([("a", "https://ex.org/a")]))
    poller = Poller(redis, fetcher)
    slow, drip = feed_source(site, "/slow.xml", "slow"), feed_source(site, "/drip.xml", "drip")
    good = feed_source(site, "/good.xml", "good")
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks = [asyncio.create_task(poller.poll(s, force=True)) for s in (slow, drip)]
    good_report = await poller.poll(good, force=True)
    assert good_report.status == "primed" and loop.time() - started < 2
    slow_report, drip_report = await asyncio.gather(*tasks)
    assert slow_report.status == drip_report.status == "error"
    assert "timeout" in slow_report.error or "timed out" in slow_report.error
    assert "timed out" in drip_report.error


async def test_a_50_mb_body_is_abandoned_at_the_default_cap(redis, site):
    fetcher = Fetcher()  # default limits: 5 MB
    try:
        site.put("/huge.xml", b"<rss><channel>" + b" " * (50 * 1024 * 1024))
        report = await Poller(redis, fetcher).poll(feed_source(site, "/huge.xml", "huge"), force=True)
        assert report.status == "error" and "cap" in report.error
    finally:
        await fetcher.aclose()


async def test_gzip_and_redirects_are_followed_within_limits(redis, site, fetcher):
    import gzip

    site.put(
        "/gz.xml",
        gzip.compress(rss([("a", "https://ex.org/a")]).encode()),
        headers={"Content-Encoding": "gzip"},
        content_type="application/rss+xml",
    )
    site.put("/moved", b"", status=301, headers={"Location": "/gz.xml"})
    assert (await Poller(redis, fetcher).poll(feed_source(site, "/moved", "moved"), force=True)).status == "primed"
    for i in range(8):
        site.put(f"/loop{i}", b"", status=302, headers={"Location": f"/loop{i + 1}"})
    report = await Poller(redis, fetcher).poll(feed_source(site, "/loop0", "loop"), force=True)
    assert report.status == "error" and "redirects" in report.error
    # a gzip bomb is stopped by the same cap on the decoded size
    site.put("/bomb.xml", gzip.compress(b"<rss>" + b"A" * 20_000_000), headers={"Content-Encoding": "gzip"})
    bomb = await Poller(redis, fetcher).poll(feed_source(site, "/bomb.xml", "bomb"), force=True)
    assert bomb.status == "error" and "cap" in bomb.error


async def test_server_hints_stretch_the_next_poll_within_bounds(redis, site, fetcher):
    keys = Keys()
    poller = Poller(redis, fetcher)
    site.put("/a.xml", rss([("a", "https://ex.org/a")], ttl=0), headers={"Cache-Control": "public, max-age=3"})
    a = feed_source(site, "/a.xml", "a")
    await poller.poll(a, force=True)
    state = await load_state(redis, keys, "a")
    assert state.next_poll - state.last_poll == pytest.approx(3, abs=0.01)
    site.put("/b.xml", rss([("a", "https://ex.org/a")], ttl=60))  # <ttl> 60 minutes: capped by max_interval
    b = feed_source(site, "/b.xml", "b", max_interval=30)
    await poller.poll(b, force=True)
    state = await load_state(redis, keys, "b")
    assert state.next_poll - state.last_poll == pytest.approx(30, abs=0.01)
    site.put("/c.xml", "busy", status=429, headers={"Retry-After": "7"})
    c = feed_source(site, "/c.xml", "c", max_interval=100)
    await poller.poll(c, force=True)
    state = await load_state(redis, keys, "c")
    assert state.next_poll - state.last_poll == pytest.approx(7, abs=0.01)


async def test_a_bad_character_reference_costs_no_item_and_not_the_source(redis, site, fetcher):
    site.put("/feed.xml", rss([("Old one", "https://ex.org/1")]))
    source = feed_source(site)
    poller = Poller(redis, fetcher, settings=PollerSettings(disable_after=2))
    assert (await poller.poll(source, force=True)).status == "primed"
    site.put(
        "/feed.xml",
        rss(
            [
                ("Sirens &#xD83D; in Haifa", "https://ex.org/2"),
                ("Quake &#55357;&#56832; hits Chile", "https://ex.org/3"),
                ("Floods in Lagos &#XDE00;", "https://ex.org/4"),
                ("Old one", "https://ex.org/1"),
            ]
        ),
    )
    report = await poller.poll(source, force=True)
    assert report.status == "ok", report.error
    assert sorted(i.title for i in report.alerted) == [
        "Floods in Lagos \ufffd",
        "Quake \U0001f600 hits Chile",
        "Sirens \ufffd in Haifa",
    ]
    assert await redis.xlen("nb:stories") == 3
    state = await load_state(redis, Keys(), source.id)
    assert state.errors == 0 and not state.disabled


async def test_a_lone_surrogate_in_a_json_ticker_is_repaired_and_costs_no_line(redis, site, fetcher):
    source = Source(
        id="jt", name="JSON Ticker", kind="ticker", format="json", url=site.url("/t.json"), interval=1, items="items"
    )
    site.put("/t.json", '{"items": ["Old line on the strip"]}', content_type="application/json")
    poller = Poller(redis, fetcher)
    assert (await poller.poll(source, force=True)).status == "primed"
    site.put(
        "/t.json",
        '{"items": ["Sirens sound in Haifa \\ud83d", "Quake hits Chile", "Old line on the strip"]}',
        content_type="application/json",
    )
    report = await poller.poll(source, force=True)
    assert report.status == "ok", report.error
    assert sorted(i.title for i in report.alerted) == ["Quake hits Chile", "Sirens sound in Haifa \ufffd"]
    assert await redis.xlen("nb:stories") == 2


async def test_a_plain_text_atom_title_keeps_its_angle_brackets(redis, site, fetcher):
    from bot.render import render_alert

    def atom(entries: list[tuple[str, str]]) -> str:
        return (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            + "".join(
                f'<entry><id>{i}</id><title type="text">{t}</title><link href="https://ex.org/{i}"/></entry>'
                for i, t in entries
            )
            + "</feed>"
        )

    site.put("/atom.xml", atom([("1", "Old one")]), content_type="application/atom+xml")
    source = feed_source(site, "/atom.xml", "atom")
    poller = Poller(redis, fetcher)
    await poller.poll(source, force=True)
    site.put(
        "/atom.xml",
        atom([("2", "Talks resume in Doha &amp; Cairo &lt;live&gt;"), ("1", "Old one")]),
        content_type="application/atom+xml",
    )
    report = await poller.poll(source, force=True)
    assert [i.title for i in report.alerted] == ["Talks resume in Doha & Cairo <live>"]
    text = render_alert(report.alerted[0])
    assert "Talks resume in Doha &amp; Cairo &lt;live&gt;" in text and "<live>" not in text


async def test_redis_out_of_memory_at_publishing_loses_no_item(redis, site, fetcher, monkeypatch):
    """Redis reaches maxmemory (noeviction) between claiming the items and publishing them: the
    poll is an error, and once memory is back the next poll publishes every item."""
    import jobs.poller

    site.put("/t", ticker(["Sirens sound in the north"]))
    source = ticker_source(site)
    poller = Poller(redis, fetcher)
    assert (await poller.poll(source, force=True)).status == "primed"
    site.put("/t", ticker(["Israeli strike kills 4 in Gaza City", "Quake hits Chile", "Sirens sound in the north"]))

    real_publish = jobs.poller.publish
    policy = (await redis.config_get("maxmemory-policy"))["maxmemory-policy"]

    async def publish_out_of_memory(*args, **kwargs):
        await redis.config_set("maxmemory-policy", "noeviction")
        await redis.config_set("maxmemory", 1)
        await real_publish(*args, **kwargs)

    monkeypatch.setattr(jobs.poller, "publish", publish_out_of_memory)
    try:
        failed = await poller.poll(source, force=True)
    finally:
        await redis.config_set("maxmemory", 0)
        await redis.config_set("maxmemory-policy", policy)
        monkeypatch.setattr(jobs.poller, "publish", real_publish)
    assert failed.status == "error" and "maxmemory" in failed.error and not failed.alerted
    assert await redis.xlen("nb:stories") == 0

    retried = await poller.poll(source, force=True)
    assert retried.status == "ok", retried.error
    assert sorted(i.title for i in retried.alerted) == ["Israeli strike kills 4 in Gaza City", "Quake hits Chile"]
    assert not any(i.update for i in retried.alerted)
    assert await redis.xlen("nb:stories") == 2
    assert (await poller.poll(source, force=True)).alerted == []  # and published once only
    site.put("/t", ticker(["Israeli strike kills 5 in Gaza City", "Quake hits Chile", "Sirens sound in the north"]))
    assert (await poller.poll(source, force=True)).alerted == []  # an edit of a line that was sent
    assert await redis.xlen("nb:stories") == 2


async def test_a_failed_publish_is_a_source_error_and_the_items_come_next_poll(redis, site, fetcher):
    """The stories stream cannot be written (here: a key of the wrong type in its place): the
    poll is recorded as an error of the source, and nothing it read is taken for seen."""
    site.put("/feed.xml", rss([("Old one", "https://ex.org/1")]), etag='"v1"')
    source = feed_source(site)
    poller = Poller(redis, fetcher)
    await poller.poll(source, force=True)
    site.put(
        "/feed.xml", rss([("Strike in Gaza City", "https://ex.org/2"), ("Old one", "https://ex.org/1")]), etag='"v2"'
    )
    await redis.set("nb:stories", "not a stream")
    failed = await poller.poll(source, force=True)
    assert failed.status == "error" and "publish" in failed.error
    state = await load_state(redis, Keys(), source.id)
    assert state.errors == 1 and "publish" in state.last_error

    await redis.delete("nb:stories")
    retried = await poller.poll(source, force=True)  # neither a 304 nor an "unchanged" body
    assert [i.title for i in retried.alerted] == ["Strike in Gaza City"]
    assert await redis.xlen("nb:stories") == 1
    assert (await load_state(redis, Keys(), source.id)).errors == 0


async def _two_primed_feeds(redis, site, fetcher) -> tuple[Poller, Source, Source]:
    """Two feeds polled once (their first poll primes: nothing old alerts)."""
    a, b = feed_source(site, "/a.xml", "feed-a"), feed_source(site, "/b.xml", "feed-b")
    poller = Poller(redis, fetcher)
    for source in (a, b):
        site.put(source.url.removeprefix(site.url("")), rss([("Old line", f"https://{source.id}.org/0")]))
        await poller.poll(source, force=True)
    return poller, a, b


async def test_a_near_repeat_from_another_source_is_published_for_its_followers(redis, site, fetcher):
    """No alert for the chats the story reached, but still in the stream, marked: the chats that
    follow this source asked for every item of it."""
    poller, a, b = await _two_primed_feeds(redis, site, fetcher)
    headline = "Israeli strike on Khan Younis kills 3"
    site.put("/a.xml", rss([(headline, "https://a.org/1"), ("Old line", "https://feed-a.org/0")]))
    first = await poller.poll(a, force=True)
    assert [i.title for i in first.alerted] == [headline] and first.repeats == []
    site.put("/b.xml", rss([(headline, "https://b.org/1"), ("Old line", "https://feed-b.org/0")]))
    await redis.sadd(Keys().source_index("feed-b"), 42)  # a chat follows feed-b
    second = await poller.poll(b, force=True)
    assert second.alerted == []
    assert [(i.title, i.repeat, i.update, i.story) for i in second.repeats] == [
        (headline, True, True, first.alerted[0].story)
    ]
    assert await redis.xlen("nb:stories") == 2


async def test_a_near_repeat_of_a_source_nobody_follows_is_not_published(redis, site, fetcher):
    poller, a, b = await _two_primed_feeds(redis, site, fetcher)
    headline = "Israeli strike on Khan Younis kills 3"
    site.put("/a.xml", rss([(headline, "https://a.org/1")]))
    site.put("/b.xml", rss([(headline, "https://b.org/1")]))
    await poller.poll(a, force=True)
    second = await poller.poll(b, force=True)
    assert second.alerted == second.repeats == [] and await redis.xlen("nb:stories") == 1
