"""Commands are throttled per user and per chat before any handler sees them.

Replies already leave through per-chat queues (bot/outgoing.py), so a flood no longer holds
handler slots; but every command still costs a reply in its chat's flood budget (1/s in a
private chat, 20/min in a group) and a share of the global 30/s. So:

- a user's repeat of the command they just sent (same text, same chat, within REPEAT_SECONDS)
  is dropped: its answer is already on its way;
- each user has a bucket of USER_BURST commands refilled at USER_RATE per second (someone who
  waits for each answer, which arrives a second apart, never empties it), and each group or
  channel a bucket of CHAT_BURST refilled at the group send rate;
- the command that finds a bucket empty gets one "Slow down: ..." answer, then that user's (or
  that chat's) commands are ignored for the mute period; repeats count against the bucket.

The state is in memory: Telegram hands one bot's updates to one getUpdates poller, so one
process sees all of a user's commands. It is bounded (least recently seen keys are forgotten,
which only gives a forgotten user a full bucket again)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType, FloodLimit, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import i18n
from bot.i18n import gettext
from bot.outgoing import replies

log = logging.getLogger(__name__)

REPEAT_SECONDS = 5.0
USER_BURST, USER_RATE, USER_MUTE = 8.0, 1.0, 20.0  # commands, commands per second, seconds
# a group or channel: its reply rate, Telegram's 20 messages a minute
GROUP_PER_MINUTE = float(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)
CHAT_BURST, CHAT_RATE, CHAT_MUTE = GROUP_PER_MINUTE, GROUP_PER_MINUTE / 60, 60.0
MAX_KEYS = 10_000

Key = tuple[str, int]  # ("u", user id) or ("c", chat id)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    muted_until: float = 0.0
    last_command: str = ""
    last_at: float = -1e9


class Throttle:
    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._buckets: OrderedDict[Key, _Bucket] = OrderedDict()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._buckets)

    def _bucket(self, key: Key, burst: float, rate: float, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(burst, now)
            if len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
        return bucket

    def check(
        self, user_id: int | None, chat_id: int, is_group: bool, command: str = "", now: float | None = None
    ) -> str:
        """'ok' (go on), 'drop' (ignore quietly), or 'notice-user' / 'notice-chat' (ignore,
        and tell them once to slow down). `command` empty: a button press, never a repeat."""
        now = time.monotonic() if now is None else now
        buckets: list[tuple[str, _Bucket, float]] = []
        if user_id is not None:
            buckets.append(("user", self._bucket(("u", user_id), USER_BURST, USER_RATE, now), USER_MUTE))
        if is_group:
            buckets.append(("chat", self._bucket(("c", chat_id), CHAT_BURST, CHAT_RATE, now), CHAT_MUTE))
        if any(bucket.muted_until > now for _, bucket, _ in buckets):
            self.dropped += 1
            return "drop"
        for who, bucket, mute in buckets:
            if bucket.tokens < 1.0:
                bucket.muted_until = now + mute
                self.dropped += 1
                return f"notice-{who}"
        for _, bucket, _ in buckets:
            bucket.tokens -= 1.0
        if command and user_id is not None:
            repeat_key = ("u", user_id)
            mine = self._buckets[repeat_key]
            repeat = mine.last_command == f"{chat_id}:{command}" and now - mine.last_at < REPEAT_SECONDS
            mine.last_command, mine.last_at = f"{chat_id}:{command}", now
            if repeat:
                self.dropped += 1
                return "drop"
        return "ok"


def _command_text(update: Update, bot_username: str) -> str | None:
    """The command a message gives us (its text), or None: not a command, or one for another
    bot (`/cmd@otherbot` in a group), which is not ours to count."""
    message = update.message or update.channel_post
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return None
    _, _, addressee = message.text[: first.length].partition("@")
    if addressee and addressee.casefold() != bot_username.casefold():
        return None
    return " ".join(message.text.split())


def _sender_language(update: Update) -> str:
    """The sender's Telegram language: the guard runs before the chat's stored language is
    read (a flood must not cost a Redis call per update)."""
    user = update.effective_user
    return i18n.language_of(user.language_code if user else None)


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler (group -1); stops the update when it is throttled."""
    throttle: Throttle = context.application.bot_data["runtime"].throttle
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    is_group = chat.type != ChatType.PRIVATE
    query = update.callback_query
    if query is not None:
        if throttle.check(user.id if user else None, chat.id, False) == "ok":
            return
        try:
            await query.answer(
                gettext("Slow down: too many taps. Try again in a few seconds.", _sender_language(update))
            )
        except TelegramError as exc:
            log.debug("throttled tap not answered: %s", exc)
        raise ApplicationHandlerStop
    command = _command_text(update, context.bot.username or "")
    if command is None:
        return
    user_id = user.id if user is not None and chat.type != ChatType.CHANNEL else None
    # the same command in another forum topic is no repeat (/here in two topics: two choices)
    message = update.effective_message
    topic = message.message_thread_id if message is not None and message.is_topic_message else None
    verdict = throttle.check(user_id, chat.id, is_group, f"{command}#{topic}" if topic else command)
    if verdict == "ok":
        return
    if verdict.startswith("notice"):
        seconds = USER_MUTE if verdict == "notice-user" else CHAT_MUTE
        language = _sender_language(update)
        if verdict == "notice-chat":
            who = gettext("this chat", language)
        else:
            who = user.mention_html() if is_group and user is not None else gettext("you", language)
        notice = gettext(
            "Slow down: too many commands at once. I will ignore commands from {who} for {seconds} s.", language
        )
        text = notice.format(who=who, seconds=f"{seconds:.0f}")
        message = update.effective_message
        log.info("chat %s, user %s: commands throttled for %.0f s", chat.id, user_id, seconds)
        if message is not None:
            replies.submit(chat.id, lambda: _send_notice(message, text))
    raise ApplicationHandlerStop


async def _send_notice(message, text: str) -> None:
    try:
        await message.reply_text(text, parse_mode="HTML")
    except TelegramError as exc:
        log.warning("slow-down notice to chat %s failed: %s", message.chat_id, exc)
