"""Pictures and forum topics as a subscriber meets them: the bot as a process, a feed with
Media RSS pictures and a ticker on a local site, chats and a forum group driven through the
Bot API stand-in, which refuses photos and deleted topics with Telegram's own texts."""

from __future__ import annotations

import time

from botapi import BotApi, ask
from botprocess import bot_logs, start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from newssite import Site

OLD = ["An old line from the strip"]
REFUSED = "Bad Request: wrong file identifier/HTTP URL specified"


def media_feed(items: list[tuple[str, str, str]]) -> str:
    """(title, link, picture URL) items, the picture as Media RSS media:content."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f'<media:content url="{image}" medium="image" type="image/jpeg"/></item>'
        for title, link, image in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>W</title>{body}</channel></rss>"
    )


def _sent(botapi: BotApi, chat_id: int, words: str):
    return [s for s in botapi.state.sent if s.chat_id == chat_id and words in s.text]


def test_a_picture_goes_as_a_photo_and_a_refused_one_as_text_once(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    site.put("/", ticker_page(OLD))
    old = [("Old wire story", "https://w.example/0", "https://img.example/0.jpg")]
    site.put("/w.xml", media_feed(old), content_type="application/rss+xml")
    catalogue = ticker_catalogue(tmp_path, site.url("/"), feeds={"wire": site.url("/w.xml")})
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        ask(botapi, 8001, "/subscribe Gaza")
        ask(botapi, 8002, "/subscribe Gaza")
        ask(botapi, 8002, "/settings")
        labels = [b["text"] for row in botapi.state.sent[-1].params["reply_markup"]["inline_keyboard"] for b in row]
        assert "✅ Pictures" in labels  # on unless turned off
        botapi.press(8002, "st:pictures", botapi.state.sent[-1].message_id, "Settings")
        assert wait_until(lambda: clean_redis.hget("nb:chat:8002", "pictures") == "0"), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:wire", "primed") == "1"), bot_logs(tmp_path)

        botapi.state.photo_errors["https://img.example/2.jpg"] = REFUSED
        new = [
            ("Gaza ceasefire talks resume in Cairo", "https://w.example/1", "https://img.example/1.jpg"),
            ("Aid convoy reaches northern Gaza", "https://w.example/2", "https://img.example/2.jpg"),
            *old,
        ]
        site.put("/w.xml", media_feed(new), content_type="application/rss+xml")
        arrived = lambda: _sent(botapi, 8001, "Cairo") and _sent(botapi, 8001, "Aid convoy")  # noqa: E731
        assert botapi.wait_for(arrived, 30), bot_logs(tmp_path)
        assert botapi.wait_for(lambda: _sent(botapi, 8002, "Cairo") and _sent(botapi, 8002, "Aid convoy"), 30)
        time.sleep(3)  # a few more polls and outbox rounds: nothing may come twice

        photo = _sent(botapi, 8001, "Cairo")
        assert [s.method for s in photo] == ["sendPhoto"]
        assert photo[0].params["photo"] == "https://img.example/1.jpg"
        assert "#Palestine" in photo[0].text and 'href="https://w.example/1"' in photo[0].text
        refused = _sent(botapi, 8001, "Aid convoy")
        assert [s.method for s in refused] == ["sendMessage"], [s.method for s in refused]
        tried = [p for m, p in botapi.state.calls if m == "sendPhoto" and p["photo"] == "https://img.example/2.jpg"]
        assert tried, "the refused picture was never tried: the test proves nothing"
        # pictures off: text alerts only
        assert [s.method for s in botapi.state.sent if s.chat_id == 8002 and "w.example" in s.text] == [
            "sendMessage",
            "sendMessage",
        ]
        assert not clean_redis.exists("nb:outbox:dead")  # nothing given up on
    finally:
        stop_bot(proc)


def test_a_forum_groups_alerts_follow_its_topic_and_fall_back_to_general_once(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    group, admin = -1009001, 91
    botapi.chat(group, "supergroup", "Desk", forum=True)
    botapi.state.admins[group] = {admin}
    site.put("/", ticker_page(OLD))
    proc = start_bot(tmp_path, botapi, redis_url, ticker_catalogue(tmp_path, site.url("/")))
    try:
        botapi.send_command(group, "/subscribe Palestine", user_id=admin, topic=55)
        assert botapi.wait_for(lambda: _sent(botapi, group, "Palestine"), 30), bot_logs(tmp_path)
        assert _sent(botapi, group, "Palestine")[0].params.get("message_thread_id") == 55  # the reply, in its topic
        assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1"), bot_logs(tmp_path)

        lines = ["Israeli strike hits a house in Jabalia", *OLD]
        site.put("/", ticker_page(lines))
        assert botapi.wait_for(lambda: _sent(botapi, group, "Jabalia"), 30), bot_logs(tmp_path)
        assert _sent(botapi, group, "Jabalia")[0].params.get("message_thread_id") == 55

        botapi.state.deleted_topics.add((group, 55))
        lines = ["Israeli drones fire on fishermen off Deir al-Balah", *lines]
        site.put("/", ticker_page(lines))
        assert botapi.wait_for(lambda: _sent(botapi, group, "Deir al-Balah"), 30), bot_logs(tmp_path)
        lines = ["Israeli bulldozers demolish homes in Silwan", *lines]
        site.put("/", ticker_page(lines))
        assert botapi.wait_for(lambda: _sent(botapi, group, "Silwan"), 30), bot_logs(tmp_path)
        time.sleep(2)

        for words in ("Deir al-Balah", "Silwan"):
            alerts = _sent(botapi, group, words)
            assert len(alerts) == 1 and "message_thread_id" not in alerts[0].params, words
        notes = _sent(botapi, group, "/here")
        assert len(notes) == 1 and "Administrators" in notes[0].text and "message_thread_id" not in notes[0].params
        assert clean_redis.hget(f"nb:chat:{group}", "thread") is None

        answer = ask(botapi, group, "/here", user_id=admin, kind="supergroup")
        assert "General" in answer
        botapi.send_command(group, "/here", user_id=admin, topic=77)
        assert botapi.wait_for(lambda: _sent(botapi, group, "this topic"), 30)
        lines = ["Israeli forces raid Tulkarm camp", *lines]
        site.put("/", ticker_page(lines))
        assert botapi.wait_for(lambda: _sent(botapi, group, "Tulkarm"), 30), bot_logs(tmp_path)
        assert _sent(botapi, group, "Tulkarm")[0].params.get("message_thread_id") == 77
    finally:
        stop_bot(proc)


def test_replies_saved_at_shutdown_still_go_to_their_topic(
    tmp_path, botapi: BotApi, site: Site, redis_url, clean_redis
):
    """A forum group's replies wait three seconds apart: a SIGTERM leaves some queued, saved in
    Redis and sent by the next start, in the topic they were asked in."""
    group, admin = -1009002, 92
    botapi.chat(group, "supergroup", "Desk", forum=True)
    botapi.state.admins[group] = {admin}
    site.put("/", ticker_page(OLD))
    catalogue = ticker_catalogue(tmp_path, site.url("/"))
    words = [f"topicword{n}" for n in range(5)]
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, role="sender")
    try:
        for word in words:
            botapi.send_command(group, f"/subscribe {word}", user_id=admin, topic=55)
        assert botapi.wait_for(lambda: _sent(botapi, group, "topicword"), 30), bot_logs(tmp_path)
    finally:
        stop_bot(proc)
    assert len(_sent(botapi, group, "topicword")) < len(words), "every reply went out: the test proves nothing"
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, role="sender")
    try:
        everyone = lambda: all(_sent(botapi, group, word) for word in words)  # noqa: E731
        assert botapi.wait_for(everyone, 40), bot_logs(tmp_path)
    finally:
        stop_bot(proc)
    replies = _sent(botapi, group, "topicword")
    assert len(replies) == len(words) and {s.params.get("message_thread_id") for s in replies} == {55}
