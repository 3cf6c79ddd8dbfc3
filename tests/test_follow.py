"""Following a source, as a user meets it: the bot as a process, a ticker page and feeds on a
local site, chats driven through the Bot API stand-in, a real Redis. A followed source's items
arrive though they match none of the chat's regions or keywords, stop after /unfollow, count
for /latest, and a follow of a source that has since left the catalogue harms nothing."""

from __future__ import annotations

import time

import pytest
from botapi import BotApi, ask
from botprocess import bot_logs, start_bot, stop_bot, ticker_page, wait_until
from factories import make_item

from bot.subscriptions import MAX_SOURCES

FEEDS = [f"feed-{i}" for i in range(1, 6)]
RSS = "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title><item><title>x</title></item></channel></rss>"


@pytest.fixture
def follow_bot(tmp_path, botapi: BotApi, site, redis_url, clean_redis):
    """The ticker `tick` ("Tick Wire") and the feed `wire`, polled every second, and five feeds
    polled hourly, so that a chat has more sources to follow than the test makes it poll."""
    site.put("/", ticker_page(["An old line from Gaza"]))
    site.put("/feed.xml", RSS, content_type="application/rss+xml")
    site.put("/wire.xml", RSS, content_type="application/rss+xml")
    catalogue = tmp_path / "sources.yaml"
    tick = f"id: tick, name: Tick Wire, kind: ticker, url: '{site.url('/')}', selector: '.ticker__item', interval: 1"
    entries = [
        f"  - {{{tick}}}",
        f"  - {{id: wire, name: Wire, kind: feed, url: '{site.url('/wire.xml')}', interval: 1}}",
    ]
    entries += [
        f"  - {{id: {fid}, name: Feed {fid[-1]}, kind: feed, url: '{site.url('/feed.xml')}', interval: 3600, "
        "regions: [Europe]}"
        for fid in FEEDS
    ]
    catalogue.write_text("sources:\n" + "\n".join(entries) + "\n")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, extra_env={"NEWSBOT_RATE_GROUP": "600"})
    yield proc
    stop_bot(proc)


def follow_gone_source(clean_redis, chat_id: int, source_id: str) -> None:
    """A follow whose source an administrator has since removed from the catalogue: stored as
    /follow stored it, and announced on the change log as every change is."""
    clean_redis.sadd(f"nb:chat:{chat_id}:sources", source_id)
    clean_redis.sadd(f"nb:idx:source:{source_id}", chat_id)
    clean_redis.xadd("nb:idx:changes", {"chat": chat_id})


def settled(botapi: BotApi, chat_id: int, quiet: float = 2.0) -> list[str]:
    """The chat's messages once nothing more has arrived for `quiet` seconds."""
    count = -1
    while count != len(botapi.messages_to(chat_id)):
        count = len(botapi.messages_to(chat_id))
        time.sleep(quiet)
    return botapi.messages_to(chat_id)


def test_a_followed_source_sends_what_no_region_or_keyword_matches(
    follow_bot, tmp_path, botapi: BotApi, site, clean_redis
):
    follower, control, bystander, channel = 4001, 4002, 4003, -100888
    ask(botapi, follower, "/subscribe Latin America")
    assert "Following <b>Tick Wire</b> (<code>tick</code>)" in ask(botapi, follower, "/follow TICK")
    assert "Already following" in ask(botapi, follower, "/follow tick")
    follow_gone_source(clean_redis, follower, "gone-source")
    ask(botapi, control, "/subscribe Palestine")
    ask(botapi, bystander, "/subscribe Latin America")
    botapi.chat(channel, "channel", "Follow Desk")["username"] = "followdesk"
    botapi.state.admins[channel] = {88}
    assert "Following <b>Tick Wire</b>" in ask(botapi, 88, "/follow @followdesk tick")
    assert clean_redis.smembers(f"nb:chat:{channel}:sources") == {"tick"}
    assert not clean_redis.exists("nb:chat:88:sources")
    assert "Tick Wire" in ask(botapi, 88, "/list @followdesk")

    listing = ask(botapi, follower, "/list")
    assert "Tick Wire (<code>tick</code>)" in listing
    assert "<code>gone-source</code>: <i>no longer available" in listing  # marked, not a crash

    assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1"), bot_logs(tmp_path)
    site.put("/", ticker_page(["Israeli strike on Khan Younis kills 3", "An old line from Gaza"]))
    for chat in (control, follower, channel):
        assert botapi.wait_for(lambda c=chat: any("Khan Younis" in t for t in botapi.messages_to(c)), 30), chat
    assert not any("Khan Younis" in t for t in botapi.messages_to(bystander))

    assert "No longer following <code>tick</code>" in ask(botapi, follower, "/unfollow tick")
    assert "does not follow the source <b>TICK</b>" in ask(botapi, follower, "/unfollow TICK")
    site.put("/", ticker_page(["Drone strike on Rafah crossing reported", "Israeli strike on Khan Younis kills 3"]))
    assert botapi.wait_for(lambda: any("Rafah" in t for t in botapi.messages_to(control)), 30)
    assert botapi.wait_for(lambda: any("Rafah" in t for t in botapi.messages_to(channel)), 30)
    time.sleep(1)
    assert not any("Rafah" in t for t in botapi.messages_to(follower))
    assert "No longer following <code>gone-source</code>" in ask(botapi, follower, "/unfollow gone-source")


def test_follow_refuses_unknown_ids_and_sources_lists_them_for_everyone(follow_bot, botapi: BotApi, clean_redis):
    chat = 4004
    unknown = ask(botapi, chat, "/follow almayadeen")
    assert "no source <b>almayadeen</b>" in unknown and "/sources" in unknown and "/follow tick" in unknown
    assert "Say which source" in ask(botapi, chat, "/follow")
    assert "&lt;b&gt;x" in ask(botapi, chat, "/follow <b>x</b> " + "y" * 5000)
    assert "/unfollow tick" in ask(botapi, chat, "/unfollow")
    assert "does not follow" in ask(botapi, chat, "/unfollow " + "../" * 2000)
    assert not clean_redis.exists(f"nb:chat:{chat}:sources")
    ask(botapi, chat, "/follow feed-2")
    listing = ask(botapi, chat, "/sources")  # not a bot administrator: the list, no health
    assert "• <b>Tick Wire</b> <code>tick</code>: ticker" in listing
    assert "✅ <b>Feed 2</b> <code>feed-2</code>: feed · Europe" in listing
    assert "errors" not in listing and "Only the bot" not in listing
    arabic = 4005  # a user whose Telegram speaks Arabic is answered in Arabic
    assert "لا يوجد مصدر <b>nope</b>" in ask(botapi, arabic, "/follow nope", language="ar")
    assert "<b>المصادر</b>" in ask(botapi, arabic, "/sources", language="ar")
    help_text = ask(botapi, chat, "/help")
    assert "/follow" in help_text and "/unfollow" in help_text and "/sources" in help_text
    menu = next(p for m, p in botapi.state.calls if m == "setMyCommands")
    assert {"follow", "unfollow", "sources"} <= {c["command"] for c in menu["commands"]}


def test_the_cap_on_followed_sources_holds_under_concurrent_commands(follow_bot, botapi: BotApi, clean_redis):
    chat = 4010
    ask(botapi, chat, "/follow feed-1")
    for i in range(MAX_SOURCES - 3):  # sources this chat followed that have since gone
        follow_gone_source(clean_redis, chat, f"old-{i}")
    before = len(botapi.messages_to(chat))
    for source_id in ["tick", *FEEDS[1:]]:  # five at once, two under the cap
        botapi.send_command(chat, f"/follow {source_id}")
    assert botapi.wait_for(lambda: len(botapi.messages_to(chat)) >= before + 5, 30)
    answers = botapi.messages_to(chat)[before:]
    assert sum("Following" in a for a in answers) == 2, answers
    assert sum(f"at most {MAX_SOURCES} sources" in a for a in answers) == 3, answers
    assert clean_redis.scard(f"nb:chat:{chat}:sources") == MAX_SOURCES
    assert "removed" in ask(botapi, chat, "/unsubscribe all")
    assert not clean_redis.exists(f"nb:chat:{chat}:sources")
    assert not [k for k in clean_redis.scan_iter("nb:idx:source:*") if clean_redis.sismember(k, chat)]


def test_latest_counts_a_followed_source_and_the_menus_keep_it(follow_bot, botapi: BotApi, clean_redis):
    chat = 4020
    ask(botapi, chat, "/subscribe Asia")
    ask(botapi, chat, "/follow feed-3")
    for it in (
        make_item("Farm output steady this quarter", key="a", source="feed-3", source_name="Feed 3"),
        make_item("Storm over Lisbon", key="b", source="feed-4", regions=["Europe"]),
        make_item("Quake in Nepal", key="c", source="feed-4", regions=["Asia"]),
    ):
        clean_redis.lpush("nb:recent", it.to_json())
    before = len(botapi.messages_to(chat))
    ask(botapi, chat, "/latest 5")
    alerts = settled(botapi, chat)[before:]
    assert len(alerts) == 2 and "Farm output" in alerts[0] and "Nepal" in alerts[1], alerts  # oldest first

    ask(botapi, chat, "/regions")
    botapi.press(chat, "rg:1", botapi.state.sent[-1].message_id, "Tap a region")  # Asia off
    assert botapi.wait_for(lambda: any(m == "editMessageReplyMarkup" for m, _ in botapi.state.calls), 20)
    assert clean_redis.smembers(f"nb:chat:{chat}:sources") == {"feed-3"}
    assert "0 regions, 0 keywords, 1 sources" in ask(botapi, chat, "/settings")
    assert "Feed 3" in ask(botapi, chat, "/list")


def test_a_followed_sources_report_of_a_known_story_reaches_its_followers_once(
    follow_bot, tmp_path, botapi: BotApi, site, clean_redis
):
    """One story, one alert: the wire's repeat of the ticker's line adds nothing for the chats the
    line reached, but a chat that follows only the wire still gets it."""
    region, follower, both = 4030, 4031, 4032
    ask(botapi, region, "/subscribe Palestine")
    ask(botapi, follower, "/follow wire")
    ask(botapi, both, "/subscribe Palestine")
    ask(botapi, both, "/follow wire")
    for source_id in ("tick", "wire"):
        assert wait_until(lambda s=source_id: clean_redis.hget(f"nb:src:{s}", "primed") == "1"), bot_logs(tmp_path)
    headline = "Israeli strike on Khan Younis kills 3"
    site.put("/", ticker_page([headline, "An old line from Gaza"]))
    for chat in (region, both):
        assert botapi.wait_for(lambda c=chat: any(headline in t for t in botapi.messages_to(c)), 30), chat
    item = f"<item><title>{headline}</title><link>https://wire.example/1</link></item>"
    site.put("/wire.xml", RSS.replace("</channel>", item + "</channel>"), content_type="application/rss+xml")
    assert botapi.wait_for(lambda: any(headline in t for t in botapi.messages_to(follower)), 30), bot_logs(tmp_path)
    assert wait_until(lambda: clean_redis.xlen("nb:stories") == 2)
    time.sleep(2)
    for chat in (region, both):
        assert sum(headline in t for t in botapi.messages_to(chat)) == 1, botapi.messages_to(chat)
