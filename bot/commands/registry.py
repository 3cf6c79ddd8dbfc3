"""The one list of chat commands and menu buttons. A command is one function declared with
`@command`: its name, its line in Telegram's command menu, its lines in /help and who may use
it. The decorator registers it; the menu (`set_my_commands`), /help and PTB's handlers are all
generated from this list, so they cannot drift apart.

    @command("pause", "Pause alerts", access=Access.CHAT_ADMIN, help=("/pause, /resume",))
    async def pause(update: Update, context: Context, target: Target) -> None:
        ...  # a one-line docstring, then the answer

Access is checked before the callback runs: a chat administrator's command (`CHAT_ADMIN`) gets
the `Target` it acts on (its own chat, or a channel named first); errors are not caught here
but in `on_error`, PTB's one error handler."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from typing import Any

from redis.exceptions import RedisError
from telegram import BotCommand, CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import i18n, render
from bot.commands.access import can_manage, is_bot_admin
from bot.commands.reply import reply
from bot.commands.target import Target, resolve_target
from bot.i18n import N_, _
from jobs.regions import REGIONS

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Awaitable[None]]
Declared = Callable[..., Awaitable[None]]  # (update, context) or, for CHAT_ADMIN, (update, context, target)
ButtonCallback = Callable[[Update, Context, CallbackQuery], Awaitable[None]]

MESSAGES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST  # commands in chats and channels

# English source texts: each is translated where it is shown (bot/i18n.py)
NOT_CHAT_ADMIN = N_("Only this group's administrators can change its alerts.")
NOT_BOT_ADMIN = N_("Only the bot's administrators (NEWSBOT_ADMIN_IDS) can do that.")
BUTTON_NOT_ADMIN = N_("Only administrators can change this group's alerts.")
STORAGE_UNAVAILABLE = N_("Storage is unavailable right now; nothing was changed. Please try again in a minute.")
FAILED = N_("Something went wrong with that; it was logged. Please try again.")

FOLLOW, MANAGE = N_("Follow"), N_("Filter and manage")  # the sections of /help


class Access(Enum):
    ANYONE = "anyone"
    CHAT_ADMIN = "chat admin"  # in groups its administrators; in private chats and channels, anyone there
    BOT_ADMIN = "bot admin"  # NEWSBOT_ADMIN_IDS


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str  # its line in Telegram's command menu; "" keeps it out of the menu (English: N_)
    help: tuple[str, ...]  # its lines in /help, under `section` (English, marked N_)
    section: str
    access: Access
    callback: Callback  # access checked, then the declared function


COMMANDS: list[Command] = []  # in declaration order: the menu's and /help's order
BUTTONS: dict[str, Callback] = {}  # callback-data prefix ("rg" for "rg:3") → handler


def command(
    name: str,
    description: str = "",
    *,
    access: Access = Access.ANYONE,
    help: tuple[str, ...] = (),
    section: str = MANAGE,
    destructive: Callable[[Target], bool] | None = None,
) -> Callable[[Declared], Declared]:
    """Declare and register a command. `destructive(target)` true: the administrator check
    asks Telegram again rather than trust the cache (a demoted admin must not wipe a chat)."""

    def declare(func: Declared) -> Declared:
        if access is Access.CHAT_ADMIN:
            callback = _for_chat_admins(func, destructive)
        elif access is Access.BOT_ADMIN:
            callback = _for_bot_admins(func)
        else:
            callback = func
        COMMANDS.append(Command(name, description, help, section, access, callback))
        return func

    return declare


def _for_chat_admins(func: Declared, destructive: Callable[[Target], bool] | None) -> Callback:
    """Group admins only; a channel may be named from a private chat."""

    @functools.wraps(func)
    async def checked(update: Update, context: Context) -> None:
        if update.effective_chat is None:
            return
        if not await can_manage(update, context):
            await reply(update, _(NOT_CHAT_ADMIN))
            return
        target = await resolve_target(update, context)
        if isinstance(target, str):
            await reply(update, target)
        elif destructive is not None and destructive(target) and not await can_manage(update, context, fresh=True):
            await reply(update, _(NOT_CHAT_ADMIN))
        else:
            await func(update, context, target)

    return checked


def _for_bot_admins(func: Declared) -> Callback:
    """NEWSBOT_ADMIN_IDS only; anyone else is told so in one line."""

    @functools.wraps(func)
    async def checked(update: Update, context: Context) -> None:
        if is_bot_admin(update, context):
            await func(update, context)
        else:
            await reply(update, _(NOT_BOT_ADMIN))

    return checked


def button(prefix: str) -> Callable[[ButtonCallback], ButtonCallback]:
    """Declare and register a menu button's handler for callback data `prefix:...`. Buttons
    change settings: anyone may see them, so only a chat's administrators may press them."""

    def declare(func: ButtonCallback) -> ButtonCallback:
        @functools.wraps(func)
        async def checked(update: Update, context: Context) -> None:
            query = update.callback_query
            if query is None:
                return
            if not await can_manage(update, context):
                await query.answer(_(BUTTON_NOT_ADMIN), show_alert=True)
                return
            await func(update, context, query)

        BUTTONS[prefix] = checked
        return func

    return declare


def add_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """PTB handlers for every declared command and button, and the one error handler."""
    for cmd in COMMANDS:
        app.add_handler(CommandHandler(cmd.name, cmd.callback, filters=MESSAGES))
    for prefix, callback in BUTTONS.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=rf"^{prefix}:"))
    app.add_error_handler(on_error)


def help_text() -> str:
    """/help: each command's lines under its section, in declaration order, in the update's
    language. A line may name `{regions}`: the region names, which work typed in any language."""
    regions = html.escape(", ".join(REGIONS))
    sections: dict[str, list[str]] = {}
    for cmd in COMMANDS:
        if cmd.help:
            sections.setdefault(_(cmd.section), []).extend(_(line).format(regions=regions) for line in cmd.help)
    return render.help_page(sections)


def menu(language: str = i18n.DEFAULT) -> list[BotCommand]:
    """Telegram's command menu: the commands that have a description, in declaration order."""
    return [BotCommand(cmd.name, _(cmd.description, language)) for cmd in COMMANDS if cmd.description]


async def register_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menu: English for everyone, and each other language's for users
    whose Telegram speaks it. Commands still work if Telegram refuses it."""
    try:
        await app.bot.set_my_commands(menu())
        for language in i18n.LANGUAGES:
            if language != i18n.DEFAULT:
                await app.bot.set_my_commands(menu(language), language_code=language)
    except TelegramError as exc:
        log.warning("set_my_commands failed (commands still work): %s", exc)


async def on_error(update: object, context: Context) -> None:
    """The one error policy: whatever a handler let through is logged and answered in one
    line; storage trouble (any Redis error: unreachable, timeout, out of memory) says so."""
    error = context.error
    if isinstance(error, RedisError):
        log.error("command failed on Redis: %s", error)
        text = _(STORAGE_UNAVAILABLE)
    else:
        log.error("handler error: %s", error, exc_info=error)
        text = _(FAILED)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        with suppress(TelegramError):
            await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)
