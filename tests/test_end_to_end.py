"""The whole product as a user meets it: `python -m bot run` as a real process, a ticker page
on a local site, chats driven through the Bot API stand-in, a real Redis."""

from __future__ import annotations

import time

import httpx
from botapi import BotApi
from botprocess import bot_logs, free_port, start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from newssite import Site

OLD_LINES = [
    "Al Mayadeen's correspondent in Gaza: Four fetuses and three premature babies died at Nasser Medical Complex",
    "Lebanese Ministry of Health: One person was killed in an Israeli airstrike on a car in south Lebanon.",
    "Nabatieh: an old line that was already on the strip when the bot first looked",
]
GAZA = "Al Mayadeen's correspondent in Gaza: The Israeli occupation carried out five violent raids on Gaza City"
NABATIEH = "Israeli warplanes launched a raid on the Ksar Zaatar neighborhood in western Nabatieh."
EUROPE = "French farmers block roads around Paris in protest over fuel prices"


def test_ticker_to_alerts_once_and_never_again_after_restart(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    site.put("/", ticker_page(OLD_LINES))
    catalogue = tmp_path / "sources.yaml"
    catalogue.write_text(
        "sources:\n"
        "  - id: test-ticker\n"
        "    name: Test <Breaking> & Co\n"
        "    kind: ticker\n"
        f"    url: {site.url('/')}\n"
        '    selector: ".ticker__item"\n'
        "    interval: 1\n"
        "    breaking: true\n"
    )
    port = free_port()
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, metrics_port=port)
    try:
        botapi.send_command(1001, "/start")
        botapi.send_command(1001, "/subscribe Palestine")
        botapi.send_command(1002, "/subscribe Nabatieh")
        # /start's two replies and /subscribe's one, paced at one a second in the chat's budget
        assert botapi.wait_for(lambda: len(botapi.messages_to(1001)) == 3, 30), bot_logs(tmp_path)
        assert botapi.wait_for(lambda: any("nabatieh" in t for t in botapi.messages_to(1002)), 30), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:test-ticker", "primed") == "1"), bot_logs(tmp_path)
        before_1001, before_1002 = len(botapi.messages_to(1001)), len(botapi.messages_to(1002))

        site.put("/", ticker_page([GAZA, NABATIEH, EUROPE, *OLD_LINES]))
        assert botapi.wait_for(lambda: any("Gaza City" in t for t in botapi.messages_to(1001)), 30), bot_logs(tmp_path)
        assert botapi.wait_for(lambda: any("Ksar Zaatar" in t for t in botapi.messages_to(1002)), 30), bot_logs(
            tmp_path
        )
        time.sleep(4)  # a few more polls: nothing may be sent twice
        alerts_1001 = botapi.messages_to(1001)[before_1001:]
        alerts_1002 = botapi.messages_to(1002)[before_1002:]
        assert len(alerts_1001) == 1 and "Gaza City" in alerts_1001[0]
        assert len(alerts_1002) == 1 and "Ksar Zaatar" in alerts_1002[0]
        # the alert shape: breaking mark, escaped source name, region hashtag, time
        assert "BREAKING" in alerts_1001[0]
        assert "Test &lt;Breaking&gt; &amp; Co" in alerts_1001[0]
        assert "#Palestine" in alerts_1001[0] and "UTC" in alerts_1001[0]
        assert "#MENA" in alerts_1002[0]
        # metrics and health answer, and count what happened
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert 'newsbot_sends_total{outcome="sent"} 2' in metrics
        assert 'newsbot_items_total{source="test-ticker"} 3' in metrics
        assert "newsbot_seen_to_sent_seconds_count 2" in metrics
        assert "newsbot_published_to_seen_seconds_count 3" in metrics
        assert "newsbot_outbox_pending 0" in metrics  # everything taken was finished
        # the token never reaches the log
        assert botapi.token not in bot_logs(tmp_path)
        assert stop_bot(proc) == 0
    finally:
        if proc.poll() is None:
            proc.kill()

    total = len(botapi.state.sent)
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        assert wait_until(lambda: any(m == "getUpdates" for m, _ in botapi.state.calls[-5:]), 30)
        polls_before = site.count("/")
        assert wait_until(lambda: site.count("/") >= polls_before + 3, 30), bot_logs(tmp_path)
        time.sleep(2)
        assert len(botapi.state.sent) == total, [s.text for s in botapi.state.sent[total:]]
    finally:
        stop_bot(proc)


def test_embedded_redis_keeps_subscriptions_across_restarts(tmp_path, botapi: BotApi, site: Site):
    """No REDIS_URL: the bot starts its own Redis in NEWSBOT_DATA_DIR and what users set survives."""
    site.put("/", ticker_page(OLD_LINES))
    catalogue = tmp_path / "sources.yaml"
    catalogue.write_text(
        f"sources:\n  - id: t\n    name: T\n    kind: ticker\n    url: {site.url('/')}\n    selector: '.ticker__item'\n"
    )
    proc = start_bot(tmp_path, botapi, "", catalogue)
    try:
        botapi.send_command(3001, "/subscribe Nabatieh")
        assert botapi.wait_for(lambda: any("nabatieh" in t for t in botapi.messages_to(3001)), 30), bot_logs(tmp_path)
        assert stop_bot(proc) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    data = tmp_path / "data"
    assert any(p.name.startswith("appendonly") for p in data.iterdir()), list(data.iterdir())
    assert not (data / "redis.sock").exists()  # the embedded server stopped with the bot
    proc = start_bot(tmp_path, botapi, "", catalogue)
    try:
        botapi.send_command(3001, "/list")
        assert botapi.wait_for(lambda: any("Keywords" in t for t in botapi.messages_to(3001)), 30), bot_logs(tmp_path)
        assert "nabatieh" in botapi.messages_to(3001)[-1]
    finally:
        stop_bot(proc)


def test_two_instances_share_sources_and_alert_once(tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis):
    site.put("/", ticker_page(OLD_LINES))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "t", "T")
    full = start_bot(tmp_path, botapi, redis_url, catalogue)
    poller = start_bot(tmp_path, botapi, redis_url, catalogue, role="poller")
    try:
        botapi.send_command(4001, "/subscribe Palestine")
        assert botapi.wait_for(lambda: any("Palestine" in t for t in botapi.messages_to(4001)), 30), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:t", "primed") == "1"), bot_logs(tmp_path)
        before = len(botapi.messages_to(4001))
        for n in range(3):
            site.put(
                "/", ticker_page([f"Israeli shelling hits Khan Younis, wave {'I' * (n + 1)} of strikes", *OLD_LINES])
            )
            time.sleep(1.5)
        polls_start = site.count("/")
        time.sleep(8)
        polls = site.count("/") - polls_start
        alerts = botapi.messages_to(4001)[before:]
        assert 1 <= len(alerts) == len(set(alerts)), alerts
        # one instance polls a 1 s source about 8 times in 8 s, two would poll it about 16 times;
        # a busy machine bunches a late poll with the next one, so the bar sits between the two
        assert polls <= 12, f"{polls} polls in 8 s for a 1 s source: instances are polling it twice"
    finally:
        stop_bot(poller)
        stop_bot(full)


def rss_feed(titles: list[tuple[str, str]]) -> str:
    items = "".join(f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid></item>" for t, u in titles)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'


def test_three_sources_one_story_one_alert_then_a_threaded_update(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    site.put("/", ticker_page(OLD_LINES))
    site.put("/a.xml", rss_feed([("Old wire story", "https://a.example/old")]), content_type="application/rss+xml")
    site.put("/b.xml", rss_feed([("Old regional story", "https://b.example/old")]), content_type="application/rss+xml")
    catalogue = ticker_catalogue(
        tmp_path, site.url("/"), name="Ticker", feeds={"wire": site.url("/a.xml"), "regional": site.url("/b.xml")}
    )
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        botapi.send_command(5001, "/subscribe Palestine")
        botapi.send_command(5002, "/subscribe Gaza")
        botapi.send_command(5002, "/updates off")
        # every reply in before counting alerts: replies are paced like alerts, in any order
        assert botapi.wait_for(lambda: len(botapi.messages_to(5001)) == 1 and len(botapi.messages_to(5002)) == 2, 30)
        assert any("replies" not in t and "One alert" in t for t in botapi.messages_to(5002))
        for sid in ("tick", "wire", "regional"):
            assert wait_until(lambda sid=sid: clean_redis.hget(f"nb:src:{sid}", "primed") == "1"), bot_logs(tmp_path)
        start_a, start_b = len(botapi.messages_to(5001)), len(botapi.messages_to(5002))

        site.put("/", ticker_page(["Israeli strike kills 5 in Gaza City", *OLD_LINES]))
        assert botapi.wait_for(lambda: len(botapi.messages_to(5001)) > start_a, 30), bot_logs(tmp_path)
        site.put(
            "/a.xml",
            rss_feed([("Five killed as Israel bombs home in Gaza City", "https://a.example/1")]),
            content_type="application/rss+xml",
        )
        time.sleep(2.5)
        site.put(
            "/b.xml",
            rss_feed([("Israeli air strike on Gaza City house kills five Palestinians", "https://b.example/1")]),
            content_type="application/rss+xml",
        )
        time.sleep(3)
        alerts_a = botapi.messages_to(5001)[start_a:]
        alerts_b = botapi.messages_to(5002)[start_b:]
        assert len(alerts_a) == 1 and len(alerts_b) == 1, (alerts_a, alerts_b)
        first_id = next(s.message_id for s in botapi.state.sent if s.chat_id == 5001 and "Gaza City" in s.text)

        site.put(
            "/a.xml",
            rss_feed([("Death toll from Israeli strike on Gaza City home rises to 9", "https://a.example/2")]),
            content_type="application/rss+xml",
        )
        assert botapi.wait_for(lambda: len(botapi.messages_to(5001)) > start_a + 1, 30), bot_logs(tmp_path)
        update = [s for s in botapi.state.sent if s.chat_id == 5001][-1]
        assert "Update" in update.text and "rises to 9" in update.text
        assert update.params["reply_parameters"]["message_id"] == first_id
        time.sleep(2)
        assert len(botapi.messages_to(5002)) == start_b + 1  # /updates off: no follow-up
    finally:
        stop_bot(proc)


TEMPLATE_DAY = [
    "Al Mayadeen's correspondent in southern Lebanon: An Israeli drone targeted a motorcycle in the town of Aitaroun.",
    "Al Mayadeen's correspondent in southern Lebanon: Israeli artillery shelling on the outskirts of Kfar Kila.",
    "Al Mayadeen's correspondent in southern Lebanon: An Israeli raid targeted a house in Houla.",
    "Al Mayadeen's correspondent in southern Lebanon: An Israeli drone strike on the town of Deir Seryan.",
]


def test_one_template_many_events_each_alerted_and_a_rewrite_is_not_a_second_alert(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    """Issue 11's promise as a subscriber meets it: lines of one template about different towns
    are different events, each alerted; a wire rewrite of one is at most a reply to its alert."""
    site.put("/", ticker_page(OLD_LINES))
    site.put("/a.xml", rss_feed([("Old wire story", "https://a.example/old")]), content_type="application/rss+xml")
    catalogue = ticker_catalogue(tmp_path, site.url("/"), name="Ticker", feeds={"wire": site.url("/a.xml")})
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        botapi.send_command(7001, "/subscribe MENA")
        assert botapi.wait_for(lambda: len(botapi.messages_to(7001)) == 1, 30)
        for sid in ("tick", "wire"):
            assert wait_until(lambda sid=sid: clean_redis.hget(f"nb:src:{sid}", "primed") == "1"), bot_logs(tmp_path)
        start = len(botapi.messages_to(7001))
        shown: list[str] = list(OLD_LINES)
        for line in TEMPLATE_DAY:  # one after another, as the strip shows them
            shown.insert(0, line)
            site.put("/", ticker_page(shown))
            time.sleep(1.5)
        towns = ("Aitaroun", "Kfar Kila", "Houla", "Deir Seryan")
        assert botapi.wait_for(lambda: all(any(t in m for m in botapi.messages_to(7001)[start:]) for t in towns), 40), (
            botapi.messages_to(7001)[start:],
            bot_logs(tmp_path),
        )
        site.put(
            "/a.xml",
            rss_feed([("Israeli drone strike on motorbike in south Lebanon's Aitaroun", "https://a.example/1")]),
            content_type="application/rss+xml",
        )
        time.sleep(5)
        sent = [s for s in botapi.state.sent if s.chat_id == 7001][start:]
        assert len([s for s in sent if "reply_parameters" not in s.params]) == len(towns), [s.text for s in sent]
    finally:
        stop_bot(proc)


def test_kill_9_mid_fan_out_loses_nothing(tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis):
    site.put("/", ticker_page(OLD_LINES))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "t", "T")
    chats = list(range(7001, 7041))
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        for chat in chats:
            botapi.send_command(chat, "/subscribe Palestine")
        assert botapi.wait_for(lambda: all(botapi.messages_to(c) for c in chats), 60), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:t", "primed") == "1"), bot_logs(tmp_path)
        botapi.state.send_delay = 0.3
        site.put("/", ticker_page(["Israeli shelling hits Beit Lahia, casualties reported", *OLD_LINES]))
        assert botapi.wait_for(lambda: sum("Beit Lahia" in s.text for s in botapi.state.sent) >= 3, 30)
        proc.kill()  # SIGKILL in the middle of the fan-out
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    sent_before = sum("Beit Lahia" in s.text for s in botapi.state.sent)
    assert sent_before < len(chats), "the fan-out finished before the kill; the test proves nothing"
    botapi.state.send_delay = 0.0
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        everyone = lambda: all(any("Beit Lahia" in t for t in botapi.messages_to(c)) for c in chats)  # noqa: E731
        assert botapi.wait_for(everyone, 90), bot_logs(tmp_path)
        time.sleep(2)
        alerts = [s.chat_id for s in botapi.state.sent if "Beit Lahia" in s.text]
        duplicates = len(alerts) - len(set(alerts))
        assert duplicates <= 30, duplicates  # at most one per send in flight (the send gate is 30 wide)
    finally:
        stop_bot(proc)
