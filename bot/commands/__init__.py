"""Chat commands, one module per family. A command is one function declared with `@command`
(bot/commands/registry.py), which registers it with its menu line, /help lines and access;
the families are imported here in the order the menu and /help list them."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, TypeHandler, filters

from bot import throttle

# isort: off
# the order commands are declared in is the order of Telegram's menu and of /help
from bot.commands import welcome
from bot.commands import subscriptions  # noqa: F401
from bot.commands import follow  # noqa: F401
from bot.commands import menus  # noqa: F401
from bot.commands import switches  # noqa: F401
from bot.commands import topics  # noqa: F401
from bot.commands import schedule  # noqa: F401
from bot.commands import language
from bot.commands import lifecycle
from bot.commands import admin  # noqa: F401

# isort: on
from bot.commands.registry import MESSAGES, add_handlers, register_commands
from bot.commands.reply import reply, send_saved_reply

__all__ = ["register", "register_commands", "reply", "send_saved_reply"]


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every handler: the flood guard before all (floods stop there), then the update's
    language, the declared commands and buttons, a group's migration, and unknown commands last."""
    app.add_handler(TypeHandler(Update, throttle.guard), group=-2)
    app.add_handler(TypeHandler(Update, language.pick), group=-1)
    add_handlers(app)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, lifecycle.migrated))
    app.add_handler(MessageHandler(filters.COMMAND & MESSAGES, welcome.unknown))
