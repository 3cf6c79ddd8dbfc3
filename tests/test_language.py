"""The bot in its user's language (bot/i18n.py, bot/commands/language.py), driven through the
Bot API stand-in against a running bot process: a user whose Telegram speaks Arabic gets
/start, /help and errors in Arabic, /language switches a chat, only its administrators may
switch a group, and alerts to an Arabic chat carry the Arabic frame around the source's text."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from botapi import BotApi, ask
from botprocess import start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from factories import make_item

from bot import i18n
from bot.render import render_digest

BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def running_bot(tmp_path, botapi: BotApi, site, redis_url, clean_redis):
    site.put("/", ticker_page(["An old line from Gaza"]))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "tick", "Tick")
    catalogue.write_text(catalogue.read_text() + "    breaking: true\n")  # a breaking strip: alerts say so
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    yield proc
    stop_bot(proc)


def test_an_arabic_user_is_answered_in_arabic_until_the_chat_switches(running_bot, botapi: BotApi, clean_redis):
    chat = 3001
    welcome = ask(botapi, chat, "/start", language="ar-EG")
    assert "أرسل تنبيهات الأخبار العاجلة" in welcome and "/subscribe Palestine" in welcome
    assert clean_redis.hget(f"nb:chat:{chat}", "language") == "ar"  # kept from the first user
    assert botapi.wait_for(lambda: "reply_markup" in botapi.state.sent[-1].params, 10)  # the settings menu
    assert "<b>الإعدادات</b>" in botapi.state.sent[-1].params["text"]
    toggles = [b["text"] for row in botapi.state.sent[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert "▫️ موقوف مؤقتاً" in toggles
    help_text = ask(botapi, chat, "/help", language="ar")
    assert "<b>المتابعة</b>" in help_text and "/language" in help_text and "/stop" in help_text
    assert "/subscribe فلسطين: منطقة (Africa," in help_text and ": a region" not in help_text
    assert "لا أعرف هذا الأمر" in ask(botapi, chat, "/frobnicate")  # the chat's language, not the sender's
    assert "لا كلمات للمطابقة" in ask(botapi, chat, "/subscribe ---")  # a refused query, explained in Arabic
    assert "منطقة زمنية غير معروفة Mars/Olympus" in ask(botapi, chat, "/timezone Mars/Olympus")
    assert "أرسل" in ask(botapi, chat, "/language fr")
    assert ask(botapi, chat, "/language en") == "Language set to English."
    assert clean_redis.hget(f"nb:chat:{chat}", "language") == "en"
    assert "one message per story" in ask(botapi, chat, "/start", language="ar")
    assert botapi.wait_for(lambda: "reply_markup" in botapi.state.sent[-1].params, 10)  # the settings menu
    assert ask(botapi, chat, "/language ar") == "أصبحت اللغة العربية."
    assert "المس منطقة" in ask(botapi, chat, "/regions")


def test_an_english_user_and_an_unknown_language_get_english(running_bot, botapi: BotApi, clean_redis):
    assert "one message per story" in ask(botapi, 3002, "/start", language="en-GB")
    assert "one message per story" in ask(botapi, 3003, "/start", language="fr")
    assert "one message per story" in ask(botapi, 3004, "/start")


def test_only_a_groups_administrators_switch_its_language(running_bot, botapi: BotApi, clean_redis):
    group = -3005
    botapi.chat(group, "group", "Desk")
    botapi.state.admins[group] = {77}
    assert ask(botapi, group, "/language ar", user_id=78) == "Only this group's administrators can change its alerts."
    assert clean_redis.hget(f"nb:chat:{group}", "language") is None
    assert ask(botapi, group, "/language ar", user_id=77) == "أصبحت اللغة العربية."
    assert "مشرفو هذه المجموعة" in ask(botapi, group, "/pause", user_id=78, language="en")


def test_command_menus_are_registered_per_language(running_bot, botapi: BotApi, clean_redis):
    assert botapi.wait_for(lambda: sum(m == "setMyCommands" for m, _ in botapi.state.calls) >= 2, 20)
    menus = [p for m, p in botapi.state.calls if m == "setMyCommands"]
    english = next(p for p in menus if not p.get("language_code"))
    arabic = next(p for p in menus if p.get("language_code") == "ar")
    assert [c["command"] for c in english["commands"]] == [c["command"] for c in arabic["commands"]]
    assert "Start: what this bot does" in [c["description"] for c in english["commands"]]
    assert all(ARABIC.search(c["description"]) for c in arabic["commands"])


def test_an_alert_to_an_arabic_chat_has_the_arabic_frame(running_bot, botapi: BotApi, site, clean_redis):
    arabic, english = 3006, 3007
    assert "Palestine" in ask(botapi, arabic, "/subscribe Palestine", language="ar")
    assert "Palestine" in ask(botapi, english, "/subscribe Palestine", language="en")
    assert wait_until(lambda: clean_redis.hget("nb:src:tick", "primed") == "1")
    site.put("/", ticker_page(["Israeli drone strike hits Jabalia camp", "An old line from Gaza"]))
    assert botapi.wait_for(lambda: any("Jabalia" in t for t in botapi.messages_to(arabic)), 30)
    assert botapi.wait_for(lambda: any("Jabalia" in t for t in botapi.messages_to(english)), 30)
    alert = next(t for t in botapi.messages_to(arabic) if "Jabalia" in t)
    assert "🔴 <b>عاجل</b> · <i>Tick</i>" in alert and "BREAKING" not in alert
    assert "<b>Israeli drone strike hits Jabalia camp</b>" in alert  # the source's own text
    assert "#Palestine" in alert and not BIDI_MARKS.search(alert)
    assert "🔴 <b>BREAKING</b> · <i>Tick</i>" in next(t for t in botapi.messages_to(english) if "Jabalia" in t)


def test_the_digest_header_counts_in_arabic_plurals():
    one = render_digest([make_item("غارة على خان يونس")], "ar")[0]
    assert "🗞 <b>أثناء غيابك</b> · خبر واحد" in one and "<b>غارة على خان يونس</b>" in one
    three = render_digest([make_item(f"t{i}", key=f"k{i}", url=f"https://x/{i}") for i in range(3)], "ar")[0]
    assert "3 أخبار" in three and ">رابط</a>" in three and not BIDI_MARKS.search(three)
    english = render_digest([make_item(f"t{i}", key=f"k{i}") for i in range(3)])[0]
    assert "While you were away</b> · 3 stories" in english


def test_every_arabic_text_keeps_its_placeholders_and_tags():
    catalogue = i18n.translations("ar")
    with (i18n.LOCALE_DIR / "ar" / "LC_MESSAGES" / "newsbot.po").open("rb") as po:
        entries = [m for m in read_po(po) if m.id and isinstance(m.id, str)]
    for entry in entries:
        text = catalogue.gettext(entry.id)
        assert text != entry.id or not ARABIC.search(entry.string), entry.id
        for pattern in (r"\{\w+\}", r"</?\w+>", r"(?<!\w)/[a-z]+"):
            assert sorted(re.findall(pattern, text)) == sorted(re.findall(pattern, entry.id)), entry.id
        assert not BIDI_MARKS.search(text)
    assert i18n.language_of("ar-SA") == "ar" and i18n.language_of(None) == "en" and i18n.language_of("de") == "en"
