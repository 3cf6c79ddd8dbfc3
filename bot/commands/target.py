"""Which chat a settings command acts on: the chat it was sent in, or a channel named first in
a private chat (`/subscribe @mychannel Palestine`), since a channel has no one to type there
but its administrators, who then manage it from their private chat with the bot."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import i18n
from bot.commands.access import ADMIN_STATUSES
from bot.commands.reply import arg_text
from bot.i18n import _
from bot.runtime import Runtime

CHANNEL_NAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}")


@dataclass(slots=True)
class Target:
    """The chat a command acts on, and the command's arguments without the channel's name."""

    chat_id: int
    kind: str
    title: str
    args: str

    async def touch(self, rt: Runtime) -> int:
        """Record the chat (kind, title, last seen) before changing it; its id, for brevity. A
        new chat takes the language of the user who first spoke to us from it."""
        await rt.subs.touch(self.chat_id, self.kind, self.title, i18n.current())
        return self.chat_id


def own_target(chat: Chat, args: str) -> Target:
    """The chat the update came from."""
    return Target(chat.id, chat.type, chat.title or chat.username or chat.full_name or "", args)


async def resolve_target(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Target | str:
    """A Target, or the one-line reason it cannot be used (a named channel must exist, be a
    channel, and have the sender among its administrators)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    args = arg_text(update)
    if chat.type != ChatType.PRIVATE or not args.startswith("@"):
        return own_target(chat, args)
    name, _sep, rest = args.partition(" ")
    if not CHANNEL_NAME.fullmatch(name):
        return _("{name} is not a channel username (like @mychannel).").format(name=html.escape(name[:40]))
    shown = html.escape(name)
    try:
        channel = await context.bot.get_chat(name)
        member = await context.bot.get_chat_member(channel.id, user.id) if user else None
    except TelegramError as exc:
        return _("Cannot reach {name}: add this bot to the channel as an administrator first ({error}).").format(
            name=shown, error=html.escape(exc.message)
        )
    if channel.type != ChatType.CHANNEL:
        return _("{name} is not a channel; send commands in that group itself.").format(name=shown)
    if member is None or member.status not in ADMIN_STATUSES:
        return _("Only administrators of {name} can change its alerts.").format(name=shown)
    return Target(channel.id, channel.type, channel.title or name, rest.strip())
