"""Answering a command: every reply is queued in its chat's outgoing queue (bot/outgoing.py)
and the handler returns at once, so a busy chat never holds one of PTB's concurrent-update
slots. A reply still queued at shutdown is saved and sent by the next start."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.outgoing import Record, replies
from bot.topics import topic_of

log = logging.getLogger(__name__)


def arg_text(update: Update) -> str:
    """Everything after the command word, untouched (quotes and signs matter to queries)."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Queue an HTML reply in the update's chat: the send waits for the chat's flood turn in
    the chat's queue, not in the handler."""
    message = update.effective_message
    if message is None:
        return

    async def send() -> None:
        try:
            await message.reply_text(text, parse_mode=ParseMode.HTML, **kwargs)
        except TelegramError as exc:
            log.warning("reply to chat %s failed: %s", message.chat_id, exc)

    # reply_text keeps a forum topic's reply in its topic; a reply saved at shutdown must too
    saved = {**kwargs, "message_thread_id": topic_of(message)} if topic_of(message) else kwargs
    replies.submit(message.chat_id, send, reply_record(message.chat_id, message.message_id, text, saved))


def reply_record(chat_id: int, reply_to: int, text: str, kwargs: dict[str, Any]) -> Record:
    """What a queued reply sends, as JSON, so that one still queued at shutdown is sent by the
    next start (bot/outgoing.py, bot/app.py): keyboards by their dict, other options as given."""
    options = {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in kwargs.items()}
    return {"chat_id": chat_id, "reply_to": reply_to, "text": text, "options": options}


async def send_saved_reply(bot: Bot, record: dict[str, Any]) -> None:
    """Send a reply saved at the last shutdown, as it would have been sent then."""
    options = dict(record.get("options") or {})
    if isinstance(options.get("reply_markup"), dict):
        options["reply_markup"] = InlineKeyboardMarkup.de_json(options["reply_markup"], bot)
    try:
        await bot.send_message(
            record["chat_id"],
            record["text"],
            parse_mode=ParseMode.HTML,
            reply_parameters=ReplyParameters(record["reply_to"], allow_sending_without_reply=True),
            **options,
        )
    except TelegramError as exc:
        log.warning("saved reply to chat %s failed: %s", record["chat_id"], exc)
