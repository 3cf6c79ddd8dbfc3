"""Who may use a command: anyone, a chat's administrators, or the bot's administrators
(NEWSBOT_ADMIN_IDS). Telegram's answer to "is this user an administrator here?" is cached a
few minutes per (chat, user) in `Runtime.admin_cache` (bounded: bot/runtime.py)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.runtime import runtime

log = logging.getLogger(__name__)

ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def _speaks_for_chat(update: Update) -> bool:
    """Only a chat's administrators can post in a channel or as the group itself (anonymous
    administrator); a button under our own message proves nothing: anyone can press it."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if update.callback_query is not None:
        return False
    if chat.type == ChatType.CHANNEL:
        return True
    return message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id


async def can_manage(update: Update, context: ContextTypes.DEFAULT_TYPE, fresh: bool = False) -> bool:
    """Whether the sender may change this chat's alerts. `fresh` asks Telegram again before
    destroying anything: a demoted admin must not keep the right for the cache's lifetime."""
    if _speaks_for_chat(update):
        return True
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    cache = runtime(context).admin_cache
    cached = None if fresh else cache.get((chat.id, user.id))
    if cached is not None:
        return cached
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("admin check in %s failed: %s", chat.id, exc)
        return False
    cache[(chat.id, user.id)] = allowed = member.status in ADMIN_STATUSES
    return allowed


def is_bot_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """One of NEWSBOT_ADMIN_IDS: may see source health and re-enable sources."""
    user = update.effective_user
    return user is not None and user.id in runtime(context).settings.admin_ids
