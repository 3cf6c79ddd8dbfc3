"""Forum topics: where a chat's alerts go, and what happens when that topic is deleted.

A forum supergroup's alerts go to the topic its subscriptions were last changed from (or the one
`/here` named). When Telegram says the topic is gone, the alert goes to General at once and the
topic is forgotten, and the group's administrators get one note in General: several alerts in
flight fail together, but only the send that clears the topic (a script that checks it is still
the one that failed) writes the note."""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.flood import FloodControl, Priority
from bot.render import topic_gone_note
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys
from jobs.scripts import load_script
from jobs.wire import ChatField

log = logging.getLogger(__name__)


def topic_of(message: Message | None) -> int:
    """The forum topic a message was sent in; 0 for General, or a chat without topics (a reply
    chain in an ordinary group has a thread id too, but it is no topic)."""
    if message is None or not message.is_topic_message or not message.message_thread_id:
        return 0
    return message.message_thread_id


async def remember_topic(subs: Subscriptions, chat_id: int, message: Message | None) -> None:
    """Alerts follow the topic a chat's subscriptions were last changed from: only a command
    sent in the chat itself says where (a channel managed from a private chat has no topics)."""
    if message is not None and message.chat_id == chat_id:
        await subs.set_fields(chat_id, **{ChatField.THREAD: topic_of(message)})


class TopicFallback:
    """Delivery's answer to a deleted topic: clear it, then tell the administrators once."""

    def __init__(self, redis: Redis, keys: Keys, bot: Bot, flood: FloodControl, booked: dict[str, Any]) -> None:
        self.keys = keys
        self.bot = bot
        self.flood = flood
        self._booked = booked
        self._clear = load_script(redis, "chat_clear_thread")

    async def clear(self, chat: Chat, thread: int) -> bool:
        """Forget the topic; True only for the one caller that did (it owes the note)."""
        cleared = await self._clear(keys=[self.keys.chat(chat.id)], args=[ChatField.THREAD, thread])
        if cleared == 1:
            log.info("chat %s: topic %s is gone, alerts go to General", chat.id, thread)
        return cleared == 1

    async def note(self, chat: Chat) -> None:
        """The one note in General; if Telegram refuses it, logged (the alerts still arrive)."""
        try:
            await self.flood.acquire(chat.id, Priority.ALERT)
            await self.bot.send_message(
                chat.id, topic_gone_note(chat.language), parse_mode=ParseMode.HTML, **self._booked
            )
        except TelegramError as exc:
            log.warning("chat %s: the note about its deleted topic was not sent: %s", chat.id, exc)
