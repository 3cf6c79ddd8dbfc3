"""Chat commands driven through the Bot API stand-in against a running bot process: odd and
hostile arguments, groups with an admin and a non-admin, inline region menus, a user who blocks
the bot, and /stop."""

from __future__ import annotations

import time

import pytest
from botapi import BotApi, ask
from botprocess import start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until


@pytest.fixture
def running_bot(tmp_path, botapi: BotApi, site, redis_url, clean_redis):
    site.put("/", ticker_page(["An old line from Gaza"]))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "tick", "Tick")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    yield proc
    stop_bot(proc)


def test_every_command_answers_odd_input(running_bot, botapi: BotApi, clean_redis):
    chat = 2001
    assert "/subscribe" in ask(botapi, chat, "/subscribe")
    assert "too long" in ask(botapi, chat, "/subscribe " + "x" * 300)
    assert "as stored" in ask(botapi, chat, "/subscribe " + "ß" * 60)  # 60 typed, 120 stored
    assert "no words" in ask(botapi, chat, "/subscribe ---")
    assert "does not follow" in ask(botapi, chat, "/unsubscribe Atlantis")
    assert "/unsubscribe" in ask(botapi, chat, "/unsubscribe")
    assert "1 to 20" in ask(botapi, chat, "/latest lots")
    assert "1 to 20" in ask(botapi, chat, "/latest 99999999999999999999")
    assert "/help" in ask(botapi, chat, "/frobnicate")
    assert "/exclude" in ask(botapi, chat, "/exclude")
    assert "follows nothing" in ask(botapi, chat, "/list")
    assert "region <b>MENA</b>" in ask(botapi, chat, "/subscribe middle east")
    assert "keyword <b>oil prices</b>" in ask(botapi, chat, '/subscribe "Oil Prices"')
    assert "Excluding" in ask(botapi, chat, "/exclude <b>football</b>")
    listing = ask(botapi, chat, "/list")
    assert "MENA" in listing and "oil prices" in listing and "b football b" in listing and "<b>football" not in listing
    assert "one message per story" in ask(botapi, chat, "/start")
    assert botapi.wait_for(lambda: "reply_markup" in botapi.state.sent[-1].params, 10)  # the settings menu
    assert "paused" in ask(botapi, chat, "/pause")
    ask(botapi, chat, "/settings")
    toggles = [b["text"] for row in botapi.state.sent[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ Paused" in toggles
    assert "resumed" in ask(botapi, chat, "/resume")
    assert "/breaking on" in ask(botapi, chat, "/breaking maybe")
    assert "Only breaking" in ask(botapi, chat, "/breaking on")
    assert "/updates on" in ask(botapi, chat, "/updates")
    assert "no follow-ups" in ask(botapi, chat, "/updates OFF")
    assert "HH:MM-HH:MM" in ask(botapi, chat, "/quiet whenever")
    assert "Quiet hours 23:00-07:00" in ask(botapi, chat, "/quiet 23:00-07:00")
    assert "Unknown timezone" in ask(botapi, chat, "/timezone Mars/Olympus")
    assert "Asia/Beirut" in ask(botapi, chat, "/timezone Asia/Beirut")
    assert "/digest hourly" in ask(botapi, chat, "/digest sometimes")
    assert "hourly digest" in ask(botapi, chat, "/digest hourly")
    settings = ask(botapi, chat, "/settings")
    assert "Asia/Beirut" in settings and "23:00-07:00" in settings and "hourly" in settings
    menu = botapi.state.sent[-1]
    botapi.press(chat, "st:override", menu.message_id, "Settings")
    assert botapi.wait_for(lambda: any(m == "editMessageText" for m, _ in botapi.state.calls), 20)
    edited = next(p for m, p in botapi.state.calls if m == "editMessageText")
    labels = [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ Breaking skips quiet/digest" in labels
    sources = ask(botapi, chat, "/sources")  # not a bot administrator: the list, without health
    assert "<code>tick</code>: ticker" in sources and "errors" not in sources
    help_text = ask(botapi, chat, "/help")
    for command in ("/subscribe", "/unsubscribe", "/exclude", "/list", "/regions", "/pause", "/latest", "/stop"):
        assert command in help_text
    commands = [p for m, p in botapi.state.calls if m == "setMyCommands"]
    assert commands and {c["command"] for c in commands[0]["commands"]} >= {"start", "help", "subscribe", "stop"}


def test_regions_menu_toggles_in_place(running_bot, botapi: BotApi, clean_redis):
    chat = 2002
    ask(botapi, chat, "/regions")
    menu = botapi.state.sent[-1].params["reply_markup"]["inline_keyboard"]
    assert sum(len(row) for row in menu) == 8
    botapi.press(chat, "rg:6", botapi.state.sent[-1].message_id, "Tap a region")
    assert botapi.wait_for(lambda: any(m == "editMessageReplyMarkup" for m, _ in botapi.state.calls), 20)
    edit = next(p for m, p in botapi.state.calls if m == "editMessageReplyMarkup")
    labels = [b["text"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ Palestine" in labels
    assert clean_redis.sismember(f"nb:chat:{chat}:regions", "Palestine")
    botapi.press(chat, "rg:999")
    assert botapi.wait_for(lambda: sum(m == "answerCallbackQuery" for m, _ in botapi.state.calls) >= 2, 20)


def test_groups_only_admins_change_settings(running_bot, botapi: BotApi, clean_redis):
    group = -1001234
    botapi.chat(group, "supergroup", "Newsroom")
    botapi.state.admins[group] = {77}
    assert "administrators" in ask(botapi, group, "/subscribe Europe", user_id=55)
    assert not clean_redis.smembers(f"nb:chat:{group}:regions")
    assert "Europe" in ask(botapi, group, "/subscribe@newsbot_test_bot Europe", user_id=77)
    assert clean_redis.smembers(f"nb:chat:{group}:regions") == {"Europe"}
    assert "Europe" in ask(botapi, group, "/list", user_id=55)  # reading is fine for anyone


def test_blocked_user_is_deactivated_and_not_tried_again(running_bot, botapi: BotApi, site, clean_redis):
    ask(botapi, 2003, "/subscribe Palestine")
    ask(botapi, 2004, "/subscribe Palestine")
    assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")
    botapi.state.blocked.add(2003)
    site.put("/", ticker_page(["Israeli strike on Khan Younis kills 3", "An old line from Gaza"]))
    assert botapi.wait_for(lambda: any("Khan Younis" in t for t in botapi.messages_to(2004)), 30)
    assert wait_until(lambda: clean_redis.hget("nb:chat:2003", "active") == "0", 10)
    attempts = sum(1 for m, p in botapi.state.calls if m == "sendMessage" and int(p["chat_id"]) == 2003)
    site.put("/", ticker_page(["Drone strike on Rafah crossing reported", "Israeli strike on Khan Younis kills 3"]))
    assert botapi.wait_for(lambda: any("Rafah" in t for t in botapi.messages_to(2004)), 30)
    time.sleep(1)
    assert sum(1 for m, p in botapi.state.calls if m == "sendMessage" and int(p["chat_id"]) == 2003) == attempts


def test_stop_leaves_no_trace(running_bot, botapi: BotApi, clean_redis):
    chat = 2005
    ask(botapi, chat, "/subscribe Asia")
    ask(botapi, chat, "/subscribe Kashmir")
    ask(botapi, chat, "/exclude cricket")
    assert "Forgotten" in ask(botapi, chat, "/stop")
    left = [k for k in clean_redis.scan_iter("*") if str(chat) in k]
    # only the flood-control timestamp of the reply to /stop, which expires within seconds
    assert left in ([], [f"nb:rate:chat:{chat}"]), left
    assert all(0 < clean_redis.pttl(k) <= 12_000 for k in left)
    assert not clean_redis.sismember("nb:idx:region:Asia", str(chat))


def test_failing_source_is_disabled_admins_told_and_re_enabled(tmp_path, botapi: BotApi, site, redis_url, clean_redis):
    site.put("/bad", "oops", status=503)
    catalogue = tmp_path / "sources.yaml"
    catalogue.write_text(
        f"sources:\n  - id: bad\n    name: Bad\n    kind: feed\n    url: {site.url('/bad')}\n    interval: 1\n"
    )
    admin = 9001
    proc = start_bot(
        tmp_path,
        botapi,
        redis_url,
        catalogue,
        extra_env={"NEWSBOT_ADMIN_IDS": f"{admin}", "NEWSBOT_DISABLE_AFTER": "2"},
    )
    try:
        assert botapi.wait_for(lambda: any("disabled" in t for t in botapi.messages_to(admin)), 30)
        notice = botapi.messages_to(admin)[-1]
        assert "bad" in notice and "HTTP 503" in notice and "/source enable bad" in notice
        health = ask(botapi, admin, "/sources")
        assert "⛔" in health and "HTTP 503" in health and "<b>Bad</b> <code>bad</code>: feed" in health
        assert "Only the bot's administrators" in ask(botapi, 2010, "/source enable bad")
        assert "Usage" in ask(botapi, admin, "/source enable")
        assert "No source" in ask(botapi, admin, "/source enable nope")
        site.put("/bad", "<rss version='2.0'><channel><item><title>x</title></item></channel></rss>")
        assert "enabled" in ask(botapi, admin, "/source enable bad")
        assert wait_until(lambda: clean_redis.hget("nb:src:bad", "primed") == "1", 20)
        assert "✅" in ask(botapi, admin, "/sources")
    finally:
        stop_bot(proc)


def _group_following_palestine(botapi: BotApi, clean_redis, group: int) -> None:
    """A group whose admin (user 77) subscribed it to Palestine, with the ticker primed."""
    botapi.chat(group, "group", "Desk")
    botapi.state.admins[group] = {77}
    assert "Palestine" in ask(botapi, group, "/subscribe Palestine", user_id=77)
    assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")


def test_group_upgraded_to_supergroup_keeps_its_alerts(running_bot, botapi: BotApi, site, clean_redis):
    group, supergroup = -4242, -1004242
    _group_following_palestine(botapi, clean_redis, group)
    botapi.chat(supergroup, "supergroup", "Desk")
    botapi.state.migrated[group] = supergroup
    site.put("/", ticker_page(["Israeli drone strike hits Jabalia camp", "An old line from Gaza"]))
    assert botapi.wait_for(lambda: any("Jabalia" in t for t in botapi.messages_to(supergroup)), 30)
    assert clean_redis.smembers(f"nb:chat:{supergroup}:regions") == {"Palestine"}
    assert not clean_redis.exists(f"nb:chat:{group}")


def test_migration_notice_moves_the_group_before_any_alert(running_bot, botapi: BotApi, site, clean_redis):
    group, supergroup = -4343, -1004343
    _group_following_palestine(botapi, clean_redis, group)
    old_chat, new_chat = botapi.state.chats[group], botapi.chat(supergroup, "supergroup", "Desk")
    user = {"id": 77, "is_bot": False, "first_name": "User77"}
    botapi.push(
        {
            "message": {
                "message_id": 900,
                "date": int(time.time()),
                "chat": old_chat,
                "from": user,
                "migrate_to_chat_id": supergroup,
            }
        }
    )
    botapi.push(
        {
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": new_chat,
                "from": user,
                "migrate_from_chat_id": group,
            }
        }
    )
    assert wait_until(lambda: clean_redis.smembers(f"nb:chat:{supergroup}:regions") == {"Palestine"})
    assert wait_until(lambda: not clean_redis.exists(f"nb:chat:{group}"))
    site.put("/", ticker_page(["Israeli drone strike hits Jabalia camp", "An old line from Gaza"]))
    assert botapi.wait_for(lambda: any("Jabalia" in t for t in botapi.messages_to(supergroup)), 30)
    assert not any("Jabalia" in t for t in botapi.messages_to(group))  # no send to the old id at all


def test_channel_managed_from_a_private_chat(running_bot, botapi: BotApi, site, clean_redis):
    channel = -100777
    botapi.chat(channel, "channel", "News Desk")["username"] = "newsdesk"
    botapi.state.admins[channel] = {88}
    assert "not a channel username" in ask(botapi, 88, "/subscribe @x! Palestine")
    assert "Cannot reach @nochannel" in ask(botapi, 88, "/subscribe @nochannel Palestine")
    assert "Only administrators of @newsdesk" in ask(botapi, 89, "/subscribe @newsdesk Palestine")
    assert "region <b>Palestine</b>" in ask(botapi, 88, "/subscribe @newsdesk Palestine")
    assert clean_redis.smembers(f"nb:chat:{channel}:regions") == {"Palestine"}
    assert not clean_redis.exists("nb:chat:88:regions")
    assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")
    site.put("/", ticker_page(["Occupation forces raid Balata camp in Nablus", "An old line from Gaza"]))
    assert botapi.wait_for(lambda: any("Balata" in t for t in botapi.messages_to(channel)), 30)
    # and commands posted in the channel itself work too
    assert "Excluding" in ask(botapi, channel, "/exclude football", kind="channel")
