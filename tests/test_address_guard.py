"""URLs a bot administrator gives are kept off private networks (SSRF): the URL itself, the feed
its page links and every redirect hop, against the real local site and a real Redis. The site is
on 127.0.0.1, so a test that needs a "public" host maps a made-up name to it with the guard's
resolver and lets 127.0.0.1 through; the private hosts it redirects or links to are never
connected to (their addresses are refused before any request). A source added live is polled
through the same guard, at every poll; the catalogue file's sources stay unguarded, and
NEWSBOT_ALLOW_PRIVATE_SOURCES=1 turns the check off."""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from botapi import BotApi, ask
from botprocess import bot_logs, free_port, start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from newssite import Site

from bot.config import ConfigError, Settings
from jobs.address_guard import AddressGuard, AddressRefused, is_public
from jobs.feed_discovery import discover_feed
from jobs.fetch import Fetcher, FetchLimits
from jobs.keys import Keys
from jobs.live_sources import ADDED, REFUSED, NewFeed, add_feed, live_fetcher, live_poll_fetcher
from jobs.poller import Poller, PollerSettings
from jobs.source_overlay import Catalogue, read_overlay
from jobs.sources import Source
from jobs.state import load_state

RSS = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
    "<item><title>Strike on Gaza City</title><link>https://ex.org/1</link></item></channel></rss>"
)
PAGE = '<html><head><link rel="alternate" type="application/rss+xml" href="{href}"></head><body>Hi</body></html>'
LIMITS = FetchLimits(total_timeout=5, read_timeout=3, connect_timeout=2, max_bytes=200_000)
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)
ADMIN = 9001


def fake_dns(answers: dict[str, list[str]]):
    """A resolver that knows only `answers` (no internet in the tests)."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(f"{host}: unknown to the test resolver")
        return answers[host]

    return resolve


@pytest.fixture
async def guarded():
    """A fetcher as `/source add` uses it, with the check on."""
    f = live_fetcher(allow_private=False, limits=LIMITS)
    yield f
    await f.aclose()


def posing_as_public(site: Site, **more: list[str]) -> Fetcher:
    """A guarded fetcher to which news.example is a public host served by the local site, and
    the names in `more` resolve as given."""
    dns = fake_dns({"news.example": ["127.0.0.1"], **more})
    return Fetcher(LIMITS, guard=AddressGuard(resolver=dns, allowed=LOOPBACK))


def public_url(site: Site, path: str) -> str:
    return f"http://news.example:{site.port}{path}"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # CGNAT
        ("0.0.0.0", False),
        ("224.0.1.1", False),  # multicast, which is_global alone lets through
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("2002:a00:5::1", False),  # 6to4 around 10.0.0.5
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_only_public_addresses_are_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


async def test_a_name_with_one_private_answer_among_public_ones_is_refused():
    guard = AddressGuard(resolver=fake_dns({"mixed.example": ["93.184.216.34", "10.0.0.5"]}))
    with pytest.raises(AddressRefused, match=r"resolves to a private address \(10\.0\.0\.5\)"):
        await guard.address_for(httpx.URL("https://mixed.example/rss"))


async def test_a_feed_on_a_private_address_is_refused_before_any_request(redis, site, guarded):
    site.put("/feed.xml", RSS.format(title="Local"))
    outcome = await add_feed(redis, Keys(), guarded, Catalogue([]), NewFeed(site.url("/feed.xml")))
    assert outcome.status == REFUSED, outcome.detail
    assert outcome.detail == f"{site.url('/feed.xml')} resolves to a private address (127.0.0.1)"
    assert site.count("/feed.xml") == 0
    assert (await read_overlay(redis, Keys())).added == {}


async def test_a_page_on_a_private_address_is_refused_at_the_page(redis, site, guarded):
    site.put("/page", PAGE.format(href="/feed.xml"))
    site.put("/feed.xml", RSS.format(title="Local"))
    outcome = await add_feed(redis, Keys(), guarded, Catalogue([]), NewFeed(site.url("/page")))
    assert outcome.status == REFUSED and "resolves to a private address (127.0.0.1)" in outcome.detail
    assert site.count("/page") == 0 and site.count("/feed.xml") == 0


async def test_a_public_page_linking_a_private_feed_is_refused(redis, site):
    site.put("/page", PAGE.format(href=f"http://intranet.example:{site.port}/feed.xml"))
    site.put("/feed.xml", RSS.format(title="Internal"))
    fetcher = posing_as_public(site, **{"intranet.example": ["10.0.0.5"]})
    try:
        outcome = await add_feed(redis, Keys(), fetcher, Catalogue([]), NewFeed(public_url(site, "/page")))
    finally:
        await fetcher.aclose()
    assert outcome.status == REFUSED, outcome.detail
    assert outcome.detail == (
        f"the page's feed http://intranet.example:{site.port}/feed.xml resolves to a private address (10.0.0.5)"
    )
    assert site.count("/page") == 1 and site.count("/feed.xml") == 0
    assert (await read_overlay(redis, Keys())).added == {}


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ("http://metadata.example/latest/meta-data/", "169.254.169.254"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:6379/", "::1"),
    ],
)
async def test_a_redirect_to_a_private_address_is_refused(redis, site, location, address):
    site.put("/old", "", status=302, headers={"Location": location})
    fetcher = posing_as_public(site, **{"metadata.example": ["169.254.169.254"]})
    try:
        outcome = await add_feed(redis, Keys(), fetcher, Catalogue([]), NewFeed(public_url(site, "/old")))
    finally:
        await fetcher.aclose()
    assert outcome.status == REFUSED, outcome.detail
    assert outcome.detail == f"{location} resolves to a private address ({address})"
    assert site.count("/old") == 1
    assert (await read_overlay(redis, Keys())).added == {}


async def test_the_checked_address_is_the_one_connected_to(redis, site):
    """news.example exists only in the guard's resolver: the fetch reaching the site proves the
    connection went to the address checked, not to a second lookup (DNS rebinding); the Host
    header still names the host, and a redirect between public hosts is followed."""
    site.put("/moved", "", status=301, headers={"Location": "/feed.xml"})
    site.put("/feed.xml", RSS.format(title="Public Wire"))
    fetcher = posing_as_public(site)
    try:
        found = await discover_feed(fetcher, public_url(site, "/moved"))
    finally:
        await fetcher.aclose()
    assert found.ok and found.feed_url == public_url(site, "/moved") and found.title == "Public Wire"
    hosts = [headers["host"] for path, headers in site.requests if path in ("/moved", "/feed.xml")]
    assert hosts == [f"news.example:{site.port}"] * 2


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    """The local site over TLS, its certificate (self-signed) for news.example only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    args = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", str(key), "-out", str(cert)]
    names = ["-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"]
    subprocess.run(["openssl", "req", *args, *names], check=True, capture_output=True)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    site = Site()
    site._server.socket = server_side.wrap_socket(site._server.socket, server_side=True)
    yield site.start(), cert
    site.close()


async def test_https_to_the_pinned_address_verifies_the_certificate_for_the_name(tls_site):
    """The connection goes to the checked IP, but TLS still names the host (SNI) and the
    certificate is verified for it, as for any https feed."""
    site, cert = tls_site
    site.put("/feed.xml", RSS.format(title="Secure Wire"))
    verify = ssl.create_default_context(cafile=str(cert))
    inner = httpx.AsyncHTTPTransport(verify=verify, limits=httpx.Limits(max_keepalive_connections=0))
    guard = AddressGuard(resolver=fake_dns({"news.example": ["127.0.0.1"]}), allowed=LOOPBACK)
    fetcher = Fetcher(LIMITS, transport=inner, guard=guard)
    try:
        found = await discover_feed(fetcher, f"https://news.example:{site.port}/feed.xml")
    finally:
        await fetcher.aclose()
    assert found.ok and found.title == "Secure Wire", found.error
    assert site.count("/feed.xml") == 1


async def test_private_addresses_are_allowed_when_the_operator_says_so(redis, site):
    site.put("/feed.xml", RSS.format(title="Lan Feed"))
    fetcher = live_fetcher(allow_private=True, limits=LIMITS)
    try:
        outcome = await add_feed(redis, Keys(), fetcher, Catalogue([]), NewFeed(site.url("/feed.xml")))
    finally:
        await fetcher.aclose()
    assert outcome.status == ADDED and outcome.source.url == site.url("/feed.xml"), outcome.detail


@pytest.mark.parametrize(
    ("value", "allowed"), [("", False), ("0", False), ("1", True), ("true", True), ("no", False), (" ON ", True)]
)
def test_the_setting_is_read_from_the_environment(value, allowed):
    assert Settings.from_env({"NEWSBOT_ALLOW_PRIVATE_SOURCES": value}).allow_private_sources is allowed
    assert Settings.from_env({}).allow_private_sources is False


def test_a_mistyped_setting_is_refused():
    with pytest.raises(ConfigError, match="NEWSBOT_ALLOW_PRIVATE_SOURCES"):
        Settings.from_env({"NEWSBOT_ALLOW_PRIVATE_SOURCES": "maybe"})


async def test_an_opml_import_refuses_private_feeds(redis, site, tmp_path, capsys):
    from bot.cli_sources import import_opml

    site.put("/f.xml", RSS.format(title="Lan"))
    path = tmp_path / "in.opml"
    path.write_text(f'<opml version="2.0"><body><outline type="rss" xmlUrl="{site.url("/f.xml")}"/></body></opml>')
    assert await import_opml(redis, Keys(), Catalogue([]), path, 60.0) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"refused: {site.url('/f.xml')}: {site.url('/f.xml')} resolves to a private address (127.0.0.1)"
    assert site.count("/f.xml") == 0 and (await read_overlay(redis, Keys())).added == {}


def test_source_add_is_refused_while_the_catalogue_polls_on_any_address(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    """The bot as run, with the check on: the admin's URL is refused and nothing is stored,
    while the operator's catalogue source on the same 127.0.0.1 site keeps being polled."""
    site.put("/", ticker_page(["An old line"]))
    site.put("/outlet/feed.xml", RSS.format(title="Outlet"))
    env = {"NEWSBOT_ADMIN_IDS": str(ADMIN), "NEWSBOT_ALLOW_PRIVATE_SOURCES": "0"}
    proc = start_bot(tmp_path, botapi, redis_url, ticker_catalogue(tmp_path, site.url("/")), extra_env=env)
    try:
        answer = ask(botapi, ADMIN, f"/source add {site.url('/outlet/feed.xml')}")
        assert "Not added" in answer and "resolves to a private address (127.0.0.1)" in answer, answer
        assert site.count("/outlet/feed.xml") == 0 and not clean_redis.exists("nb:sources:added")
        assert wait_until(lambda: site.count("/") >= 2, 20), bot_logs(tmp_path)
    finally:
        stop_bot(proc)


# Later polls: a source added live is polled through the same guard as when it was added, so a
# name that resolves elsewhere later (DNS rebinding) or a feed that starts redirecting to an
# internal address reaches nothing; the catalogue file's sources are polled as before.


async def added_live(redis, site: Site, dns: dict[str, list[str]], path: str) -> Source:
    """A feed on news.example (public to the guard for now) added as `/source add` adds it, and
    read back from the overlay as every poller reads it."""
    fetcher = Fetcher(LIMITS, guard=AddressGuard(resolver=fake_dns(dns), allowed=LOOPBACK))
    try:
        outcome = await add_feed(redis, Keys(), fetcher, Catalogue([]), NewFeed(public_url(site, path), "wire"))
    finally:
        await fetcher.aclose()
    assert outcome.status == ADDED, outcome.detail
    source = (await read_overlay(redis, Keys())).added["wire"]
    assert source.live and source.url == public_url(site, path)
    return replace(source, interval=1)


def file_source(site: Site) -> Source:
    return Source(id="lan", name="Lan", kind="feed", url=site.url("/lan.xml"), interval=1)


@pytest.mark.parametrize("turn", ["dns", "redirect"])
async def test_a_live_source_turning_private_is_refused_at_its_next_poll_while_the_file_polls(redis, site, turn):
    site.put("/feed.xml", RSS.format(title="Public Wire"))
    site.put("/lan.xml", RSS.format(title="Lan"))
    dns = {"news.example": ["127.0.0.1"], "metadata.example": ["169.254.169.254"]}
    live, lan = await added_live(redis, site, dns, "/feed.xml"), file_source(site)
    fetcher = Fetcher(LIMITS)
    guard = AddressGuard(resolver=fake_dns(dns), allowed=LOOPBACK)  # the resolver the poller asks
    poller = Poller(redis, fetcher, live_fetcher=live_poll_fetcher(fetcher, allow_private=False, guard=guard))
    try:
        assert (await poller.poll(live, force=True)).status == "primed"
        assert (await poller.poll(lan, force=True)).status == "primed"
        fetched = site.count("/feed.xml")
        if turn == "dns":  # the name now answers an internal address
            dns["news.example"] = ["10.0.0.5"]
            hop, address = public_url(site, "/feed.xml"), "10.0.0.5"
        else:  # the site now sends its readers to the cloud metadata service
            hop, address = "http://metadata.example/latest/meta-data/", "169.254.169.254"
            site.put("/feed.xml", "", status=302, headers={"Location": hop})
        report = await poller.poll(live, force=True)
        assert (await poller.poll(lan, force=True)).status in ("unchanged", "not-modified")
    finally:
        await poller.live_fetcher.aclose()
        await fetcher.aclose()
    error = f"refused: {hop} resolves to a private address ({address})"
    assert report.status == "error" and report.error == error
    state = await load_state(redis, Keys(), "wire")
    assert state.last_error == error and state.errors == 1 and state.next_poll > state.last_poll
    assert (await load_state(redis, Keys(), "lan")).errors == 0
    assert site.count("/feed.xml") == fetched + (turn == "redirect")  # the private host got nothing
    assert site.count("/lan.xml") == 2


async def test_a_live_source_refused_at_every_poll_is_disabled_and_the_admins_told(redis, site):
    site.put("/feed.xml", RSS.format(title="Public Wire"))
    dns = {"news.example": ["127.0.0.1"]}
    live = await added_live(redis, site, dns, "/feed.xml")
    dns["news.example"] = ["192.168.1.1"]
    told: list[tuple[str, str]] = []

    async def tell(source: Source, state) -> None:
        told.append((source.id, state.last_error))

    fetcher = Fetcher(LIMITS)
    guard = AddressGuard(resolver=fake_dns(dns), allowed=LOOPBACK)
    poller = Poller(
        redis,
        fetcher,
        settings=PollerSettings(disable_after=3),
        on_disable=tell,
        live_fetcher=live_poll_fetcher(fetcher, allow_private=False, guard=guard),
    )
    try:
        reports = [await poller.poll(live, force=True) for _ in range(3)]
        reports.append(await poller.poll(live))  # as scheduled: a disabled source is left alone
    finally:
        await poller.live_fetcher.aclose()
        await fetcher.aclose()
    assert [r.status for r in reports] == ["error", "error", "error", "disabled"]
    error = f"refused: {public_url(site, '/feed.xml')} resolves to a private address (192.168.1.1)"
    assert told == [("wire", error)]
    state = await load_state(redis, Keys(), "wire")
    assert state.disabled and state.errors == 3 and state.last_error == error
    assert site.count("/feed.xml") == 1  # the add's check only


async def test_the_guarded_twin_keeps_the_limits_and_shares_the_gates(site):
    site.put("/big.xml", "x" * 300_000)
    fetcher = Fetcher(LIMITS)
    twin = live_poll_fetcher(fetcher, allow_private=False, guard=AddressGuard(allowed=LOOPBACK))
    try:
        assert twin is not fetcher and twin.limits == fetcher.limits and twin.guard is not None
        assert twin._total is fetcher._total and twin._host_gate(site.url("/")) is fetcher._host_gate(site.url("/"))
        result = await twin.fetch(site.url("/big.xml"))
        assert "byte cap" in result.error and not result.refused
    finally:
        await twin.aclose()
        await fetcher.aclose()
    assert live_poll_fetcher(fetcher, allow_private=True) is fetcher


def overlay_entry(redis, source_id: str, url: str) -> None:
    """A source added live (its entry as the overlay keeps it), as if checked when its name
    still answered a public address: the name is the local site's 127.0.0.1 now."""
    entry = {"id": source_id, "name": source_id.title(), "kind": "feed", "url": url, "interval": 1}
    redis.hset("nb:sources:added", source_id, json.dumps(entry))
    redis.incr("nb:sources:version")


def test_the_bot_polls_live_sources_through_the_guard_unless_allowed(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    """The bot as run: with NEWSBOT_ALLOW_PRIVATE_SOURCES=1 a live source on 127.0.0.1 is polled
    like the catalogue's source on the same site; run again with the check on, the live source
    is refused at every poll (the refusal in its state and its error count) and never reached,
    while the catalogue's source keeps being polled."""
    site.put("/", ticker_page(["An old line"]))
    site.put("/wire.xml", RSS.format(title="Wire"))
    overlay_entry(clean_redis, "wire", site.url("/wire.xml"))
    catalogue = ticker_catalogue(tmp_path, site.url("/"))
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, extra_env={"NEWSBOT_ALLOW_PRIVATE_SOURCES": "1"})
    try:
        assert wait_until(lambda: site.count("/wire.xml") >= 2 and site.count("/") >= 2, 20), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:wire", "primed") == "1", 10), bot_logs(tmp_path)
        assert not clean_redis.hget("nb:src:wire", "last_error")
    finally:
        assert stop_bot(proc) == 0
    polled, port = site.count("/wire.xml"), free_port()
    env = {"NEWSBOT_ALLOW_PRIVATE_SOURCES": "0"}
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, metrics_port=port, extra_env=env)
    try:
        error = f"refused: {site.url('/wire.xml')} resolves to a private address (127.0.0.1)"
        assert wait_until(lambda: clean_redis.hget("nb:src:wire", "last_error") == error, 20), bot_logs(tmp_path)
        ticks = site.count("/")
        assert wait_until(lambda: site.count("/") > ticks, 20), bot_logs(tmp_path)
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        counted = re.search(r'^newsbot_poll_errors_total\{source="wire"\} (\S+)$', metrics, re.M)
        assert counted and float(counted.group(1)) >= 1, metrics
        assert site.count("/wire.xml") == polled
    finally:
        stop_bot(proc)
