"""/start, /help, and the answer to a command the bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.commands.registry import Context, command, help_text
from bot.commands.reply import reply
from bot.commands.target import own_target
from bot.i18n import N_, _
from bot.render import settings_keyboard, settings_text
from bot.runtime import runtime

WELCOME = N_(
    "👋 I send breaking-news alerts: one message per story, by region or keyword.\n\n"
    "Try /subscribe Palestine or /subscribe Nabatieh, or tap /regions.\n/help shows everything."
)


@command("start", N_("Start: what this bot does"))
async def start(update: Update, context: Context) -> None:
    """Record the chat, say what the bot does, and show its settings if it has any."""
    rt = runtime(context)
    assert update.effective_chat is not None
    chat_id = await own_target(update.effective_chat, "").touch(rt)
    chat = await rt.subs.get(chat_id)
    await reply(update, _(WELCOME))
    if chat is not None:
        await reply(update, settings_text(chat), reply_markup=settings_keyboard(chat))


@command("help", N_("How to use the bot, with examples"))
async def help_command(update: Update, context: Context) -> None:
    """Every command with an example, generated from the registry."""
    await reply(update, help_text())


async def unknown(update: Update, context: Context) -> None:
    """Point to /help, in private chats only: in a group the command may be another bot's."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await reply(update, _("I don't know that command. /help lists what I can do."))
