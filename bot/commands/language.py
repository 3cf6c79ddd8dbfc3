"""The chat's language: picked for every update before any handler runs, and set by
/language. A chat's stored language wins; a chat we have not stored one for yet speaks its
user's Telegram language (`language_code`), which the chat keeps when it is first recorded."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from telegram import Update

from bot import i18n
from bot.commands.registry import Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.runtime import runtime
from bot.subscriptions import LANGUAGE_FIELD

log = logging.getLogger(__name__)


async def pick(update: Update, context: Context) -> None:
    """Set the language of this update's replies. Storage trouble must not cost the answer
    (which may be the one saying storage is down): the user's language stands in."""
    chat, user = update.effective_chat, update.effective_user
    stored = None
    if chat is not None:
        try:
            stored = await runtime(context).subs.language(chat.id)
        except RedisError as exc:
            log.warning("language of chat %s unknown now: %s", chat.id, exc)
    i18n.set_current(stored or i18n.language_of(user.language_code if user else None))


@command(
    "language",
    N_("Language of the bot: /language ar|en"),
    access=Access.CHAT_ADMIN,
    help=(N_("/language ar or /language en: the language of replies, menus and alerts"),),
)
async def language(update: Update, context: Context, target: Target) -> None:
    """Store the chat's language; the answer is already in the new one."""
    chosen = target.args.casefold()
    if chosen not in i18n.LANGUAGES:
        names = ", ".join(f"<code>/language {code}</code> ({name})" for code, name in i18n.NAMES.items())
        await reply(update, _("Say {choices}.").format(choices=names))
        return
    rt = runtime(context)
    await rt.subs.set_fields(await target.touch(rt), **{LANGUAGE_FIELD: chosen})
    if update.effective_chat is not None and target.chat_id == update.effective_chat.id:
        i18n.set_current(chosen)
    await reply(update, _("Language set to English.", chosen))
