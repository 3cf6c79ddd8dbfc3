"""The command registry (bot/commands/registry.py): Telegram's menu and /help come from the
declarations, so a command cannot be in one and missing from the other."""

from __future__ import annotations

import re

from bot.commands import registry


def test_the_menu_lists_the_chat_commands_in_their_order():
    assert [c.command for c in registry.menu()] == [
        "start", "help", "subscribe", "unsubscribe", "exclude", "list", "follow", "unfollow", "regions", "settings",
        "pause", "resume", "mute", "unmute", "updates", "breaking", "here", "quiet", "timezone", "digest", "language",
        "latest", "stop", "sources",
    ]  # fmt: skip
    admin_only = {c.name for c in registry.COMMANDS if c.access is registry.Access.BOT_ADMIN}
    assert admin_only == {"source"}  # /sources answers everyone (health only for bot admins)


def test_help_names_every_command_in_the_menu_and_is_one_message():
    text = registry.help_text()
    named = set(re.findall(r"/([a-z]+)", text))
    assert {c.command for c in registry.menu()} - {"start", "help"} <= named  # /help is where you are
    assert len(text) <= 4096 and text.count("<b>") == text.count("</b>")


def test_each_command_is_declared_once_with_a_docstring():
    names = [c.name for c in registry.COMMANDS]
    assert len(names) == len(set(names))
    for c in registry.COMMANDS:
        assert c.callback.__doc__ and c.callback.__doc__.strip(), c.name  # functools.wraps kept it
