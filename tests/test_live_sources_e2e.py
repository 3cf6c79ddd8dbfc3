"""Sources changed live, end to end: real bot processes (a sender and two pollers, or one `all`)
against the Bot API stand-in, a local site and a real Redis. A bot administrator adds the page
of an outlet and its feed's news reaches a subscriber with no restart; pause, resume and remove
reach every poller; SIGHUP re-reads the catalogue file; `newsbot sources export|import`
round-trips the catalogue through OPML."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from botapi import BotApi, ask
from botprocess import bot_logs, free_port, start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from newssite import Site

ADMIN, READER, STRANGER = 9001, 3001, 3002
LIVE_ENV = {"NEWSBOT_ADMIN_IDS": str(ADMIN), "NEWSBOT_LIVE_INTERVAL": "1"}
PAGE = '<html><head><link rel="alternate" type="application/rss+xml" href="{href}"></head><body>Hi</body></html>'


def rss(title: str, headlines: list[str]) -> str:
    items = "".join(f"<item><title>{h}</title><link>https://ex.org/{abs(hash(h))}</link></item>" for h in headlines)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>"


def polls(port: int, source: str, status: str | None = None) -> float:
    """This process's poll attempts of `source` (of one outcome), from its /metrics."""
    total = 0.0
    for line in httpx.get(f"http://127.0.0.1:{port}/metrics").text.splitlines():
        if line.startswith(f'newsbot_polls_total{{source="{source}"') and (status is None or f'"{status}"' in line):
            total += float(line.rsplit(" ", 1)[1])
    return total


def outlet(site: Site) -> None:
    """An outlet whose HTML page links its feed (relative href), and a page that links none."""
    site.put("/outlet/", PAGE.format(href="feed.xml"))
    site.put("/outlet/feed.xml", rss("Outlet News", ["An old report from Rafah"]))
    site.put("/plain", "<html><body>No feed anywhere</body></html>")


def test_a_page_added_live_reaches_a_subscriber_and_every_poller_obeys(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    site.put("/", ticker_page(["An old line"]))
    outlet(site)
    catalogue = ticker_catalogue(tmp_path, site.url("/"))
    ports = [free_port(), free_port()]
    procs = [start_bot(tmp_path, botapi, redis_url, catalogue, role="sender", extra_env=LIVE_ENV)]
    procs += [start_bot(tmp_path, botapi, redis_url, catalogue, metrics_port=p, role="poller") for p in ports]
    try:
        assert "Palestine" in ask(botapi, READER, "/subscribe Palestine")
        assert "Only the bot's administrators" in ask(botapi, STRANGER, f"/source add {site.url('/outlet/')}")
        assert "neither a feed nor a page that links one" in ask(botapi, ADMIN, f"/source add {site.url('/plain')}")
        assert "only http" in ask(botapi, ADMIN, "/source add file:///etc/passwd")
        assert "Usage" in ask(botapi, ADMIN, "/source frobnicate x")
        assert "Unknown region <b>Atlantis</b>" in ask(botapi, ADMIN, "/source add https://x.org/ x region Atlantis")
        assert "Usage" in ask(botapi, ADMIN, "/source add https://x.org/ x y")
        added = ask(botapi, ADMIN, f"/source add {site.url('/outlet/')}")
        assert "added" in added and "outlet-news" in added and site.url("/outlet/feed.xml") in added, added
        assert "Already there" in ask(botapi, ADMIN, f"/source add {site.url('/outlet/feed.xml')}")
        assert "outlet-news" in ask(botapi, ADMIN, "/sources")

        # no restart: both pollers poll it, the first poll primes, the next new item is alerted
        assert wait_until(lambda: all(polls(p, "outlet-news") for p in ports), 20), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:outlet-news", "primed") == "1", 20)
        site.put("/outlet/feed.xml", rss("Outlet News", ["Israeli strike on Khan Younis kills 3", "An old report"]))
        assert botapi.wait_for(lambda: any("Khan Younis" in t for t in botapi.messages_to(READER)), 30), bot_logs(
            tmp_path
        )
        assert "Outlet News" in next(t for t in botapi.messages_to(READER) if "Khan Younis" in t)

        # pause: every poller keeps its job but fetches nothing; resume: fetched again
        assert "paused" in ask(botapi, ADMIN, "/source pause outlet-news")
        assert wait_until(lambda: all(polls(p, "outlet-news", "paused") for p in ports), 20)
        fetched = site.count("/outlet/feed.xml")
        marks = [polls(p, "outlet-news", "paused") for p in ports]
        assert wait_until(
            lambda: all(polls(p, "outlet-news", "paused") >= m + 2 for p, m in zip(ports, marks, strict=True)), 20
        )
        assert site.count("/outlet/feed.xml") == fetched
        assert "resumed" in ask(botapi, ADMIN, "/source resume outlet-news")
        assert wait_until(lambda: site.count("/outlet/feed.xml") > fetched, 20)
        assert "not paused" in ask(botapi, ADMIN, "/source resume tick")

        # remove: unscheduled by both pollers, gone from /sources, unknown to /source
        assert "removed" in ask(botapi, ADMIN, "/source remove outlet-news")
        assert wait_until(lambda: bot_logs(tmp_path).count("source outlet-news unscheduled") == 2, 20)
        fetched = site.count("/outlet/feed.xml")
        attempts = [polls(p, "outlet-news") for p in ports]
        time.sleep(3)  # three intervals: no poller may try it again
        assert site.count("/outlet/feed.xml") == fetched and [polls(p, "outlet-news") for p in ports] == attempts
        assert "outlet-news" not in ask(botapi, ADMIN, "/sources")
        assert "No source" in ask(botapi, ADMIN, "/source pause outlet-news")
        assert all(proc.poll() is None for proc in procs)
    finally:
        for proc in procs:
            stop_bot(proc)


def newsbot(tmp_path: Path, redis_url: str, catalogue: Path, *args: str, prefix: str = "nb:") -> str:
    """`newsbot sources ...` as a user runs it, against the bot's Redis."""
    env = {**os.environ, "REDIS_URL": redis_url, "NEWSBOT_SOURCES": str(catalogue), "NEWSBOT_REDIS_PREFIX": prefix}
    env["NEWSBOT_LIVE_INTERVAL"] = "1"
    env["NEWSBOT_ALLOW_PRIVATE_SOURCES"] = "1"  # the local site is on 127.0.0.1
    done = subprocess.run(
        [sys.executable, "-m", "bot", "sources", *args], env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout + done.stderr


def test_sighup_rereads_the_file_and_opml_round_trips(tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis):
    site.put("/", ticker_page(["An old line"]))
    site.put("/extra.xml", rss("Extra", ["An old extra item"]))
    outlet(site)
    catalogue = ticker_catalogue(tmp_path, site.url("/"))
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, extra_env=LIVE_ENV)
    try:
        assert "added" in ask(botapi, ADMIN, f"/source add {site.url('/outlet/')}")
        site.put("/mena.xml", rss("ignored title", ["An old item"]))
        added = ask(botapi, ADMIN, f"/source add {site.url('/mena.xml')} mena-wire region middle east, فلسطين")
        assert "<b>mena-wire</b> added" in added, added
        assert '"regions": ["MENA", "Palestine"]' in clean_redis.hget("nb:sources:added", "mena-wire")
        ticker_catalogue(tmp_path, site.url("/"), feeds={"extra": site.url("/extra.xml")})
        proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: site.count("/extra.xml") >= 2, 20), bot_logs(tmp_path)
        catalogue.write_text(catalogue.read_text() + "  - {id: broken, kind: feed}\n")
        proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "not reloaded" in bot_logs(tmp_path), 20)
        assert "broken" in bot_logs(tmp_path) and proc.poll() is None
        polled = site.count("/extra.xml"), site.count("/")
        assert wait_until(lambda: site.count("/extra.xml") > polled[0] and site.count("/") > polled[1], 20)
        ticker_catalogue(tmp_path, site.url("/"), feeds={"extra": site.url("/extra.xml")})

        exported = newsbot(tmp_path, redis_url, catalogue, "export")
        for url in (site.url("/extra.xml"), site.url("/outlet/feed.xml"), site.url("/")):
            assert url in exported, exported
        opml = tmp_path / "export.opml"
        opml.write_text(
            exported.replace("</body>", f'<outline text="Plain" type="rss" xmlUrl="{site.url("/plain")}"/></body>')
        )

        # into a second bot (another key prefix) whose file has only the ticker
        bare = tmp_path / "bare.yaml"
        bare.write_text(catalogue.read_text().split("  - {id: extra")[0])
        first = newsbot(tmp_path, redis_url, bare, "import", str(opml), prefix="nb2:")
        assert "added extra: " in first and "added outlet-news: " in first, first
        assert f"not a feed: {site.url('/plain')}: " in first and "links no RSS or Atom feed" in first
        again = newsbot(tmp_path, redis_url, bare, "import", str(opml), prefix="nb2:")
        assert "already there (extra)" in again and "already there (outlet-news)" in again, again
        assert not any(line.startswith("added ") for line in again.splitlines())
        second = newsbot(tmp_path, redis_url, bare, "export", prefix="nb2:")
        assert sorted(line.strip() for line in second.splitlines()) == sorted(
            line.strip() for line in exported.splitlines()
        ), (exported, second)

        # an import into the running bot's Redis is polled with no restart
        site.put("/fresh.xml", rss("Fresh Wire", ["An old fresh item"]))
        opml.write_text(
            f'<opml version="2.0"><body><outline type="rss" xmlUrl="{site.url("/fresh.xml")}"/></body></opml>'
        )
        assert "added fresh-wire: " in newsbot(tmp_path, redis_url, catalogue, "import", str(opml))
        assert wait_until(lambda: clean_redis.hget("nb:src:fresh-wire", "primed") == "1", 20), bot_logs(tmp_path)
    finally:
        stop_bot(proc)
