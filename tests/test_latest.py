"""/latest through the Bot API stand-in against a running bot: it picks items by the same rule as
live matching (only-breaking honoured) and cannot make the bot flood a group."""

from __future__ import annotations

import time

import pytest
from botapi import BotApi, ask
from botprocess import start_bot, stop_bot, ticker_catalogue, ticker_page
from factories import make_item


@pytest.fixture
def fast_bot(tmp_path, botapi: BotApi, site, redis_url, clean_redis):
    """A bot whose group send budget is wide, so counting alerts takes seconds, not minutes."""
    site.put("/", ticker_page(["An old line from Gaza"]))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "tick", "Tick")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue, extra_env={"NEWSBOT_RATE_GROUP": "600"})
    yield proc
    stop_bot(proc)


def recent(clean_redis, *items) -> None:
    """Items as the poller leaves them for /latest, the last one newest."""
    for it in items:
        clean_redis.lpush("nb:recent", it.to_json())


def settled(botapi: BotApi, chat_id: int, quiet: float = 2.0) -> list[str]:
    """The chat's messages once nothing more has arrived for `quiet` seconds."""
    count = -1
    while count != len(botapi.messages_to(chat_id)):
        count = len(botapi.messages_to(chat_id))
        time.sleep(quiet)
    return botapi.messages_to(chat_id)


def test_latest_honours_only_breaking(fast_bot, botapi: BotApi, clean_redis):
    chat = 3001
    ask(botapi, chat, "/subscribe Asia")
    ask(botapi, chat, "/breaking on")
    recent(
        clean_redis,
        make_item("Markets calm in Tokyo", key="a", regions=["Asia"]),
        make_item("Earthquake strikes Nepal", key="b", regions=["Asia"], breaking=True),
        make_item("Rice harvest in Thailand", key="c", regions=["Asia"]),
    )
    before = len(botapi.messages_to(chat))
    ask(botapi, chat, "/latest 5")
    alerts = settled(botapi, chat)[before:]
    assert len(alerts) == 1 and "Nepal" in alerts[0], alerts
    ask(botapi, chat, "/pause")  # an explicit request is still answered while paused
    before = len(botapi.messages_to(chat))
    ask(botapi, chat, "/latest")
    assert [a for a in settled(botapi, chat)[before:] if "Nepal" in a]


def test_latest_in_a_group_is_capped_for_members(fast_bot, botapi: BotApi, clean_redis):
    group, admin_group = -3002, -3003
    for chat in (group, admin_group):
        botapi.chat(chat, "supergroup", "Desk")
        botapi.state.admins[chat] = {77}
        ask(botapi, chat, "/subscribe Asia", user_id=77)
    recent(clean_redis, *(make_item(f"Monsoon update number {i}", key=f"k{i}", regions=["Asia"]) for i in range(25)))

    before = len(botapi.messages_to(group))
    note = ask(botapi, group, "/latest 20", user_id=55)  # any member
    assert "only administrators" in note
    answers = settled(botapi, group)[before:]
    assert len(answers) == 1 + 5, answers
    assert "less than a minute" in ask(botapi, group, "/latest", user_id=55)

    before = len(botapi.messages_to(admin_group))
    ask(botapi, admin_group, "/latest 12", user_id=77)  # an administrator may ask for more
    assert len(settled(botapi, admin_group)[before:]) == 12
