"""What to do with one outbox entry, decided from what Redis said about it, without Redis or
Telegram: the decisions are the part of delivery that must be right, so they are a pure
function that tests call branch by branch."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.schedule import in_quiet_hours
from bot.subscriptions import Chat
from jobs.keys import Keys
from jobs.wire import CLAIM_SENDING, OutboxEntry, claim_has_photo, claim_message_id


@dataclass(slots=True)
class Pending:
    """One outbox entry with everything Redis knew about it when its batch was read (one round
    trip for the whole batch); the claim is checked again, atomically, right before sending."""

    entry_id: str
    entry: OutboxEntry
    chat: Chat | None
    first: str | None  # the (chat, story) claim: CLAIM_SENDING, CLAIM_HELD or the alert's message id
    update_sent: bool  # this very update was already threaded under the alert
    raw: str | None  # the item (or its story) as JSON; None once expired
    picture_refused: bool = False  # Telegram refused the entry's picture for another chat already

    @property
    def chat_id(self) -> int:
        return self.entry.chat

    @property
    def story(self) -> str:
        return self.entry.story

    @property
    def breaking(self) -> bool:
        return self.entry.breaking


@dataclass(frozen=True, slots=True)
class Form:
    """How an alert goes out: with a picture or not, in a forum topic or not (0: General). A
    refusal of either falls back to the plainer form."""

    photo: str = ""
    thread: int = 0


class Action(Enum):
    SKIP = "skip"  # acknowledged unsent: nothing to deliver, or delivered already
    HOLD = "hold"  # quiet hours or a digest: kept in the chat's held list
    WAIT = "wait"  # left pending: the story's first alert is still being sent
    SEND = "send"


@dataclass(frozen=True, slots=True)
class Plan:
    action: Action
    reply_to: int | None = None  # the alert a later report is threaded under
    why: str = ""  # for a skip: which rule said so (logs and tests)
    photo: str = ""  # the picture to send the alert with (its caption); "" for a text alert

    @property
    def threaded(self) -> bool:
        return self.reply_to is not None

    def claim_key(self, keys: Keys, pending: Pending) -> str:
        """An alert is claimed per (chat, story), a threaded update per (chat, item)."""
        if self.threaded:
            return keys.sent_update(pending.chat_id, pending.entry.item)
        return keys.sent_claim(pending.chat_id, pending.story)


def holds(chat: Chat, breaking: bool, now: float) -> bool:
    """Whether an alert for this chat waits: quiet hours or a digest, unless the chat lets
    breaking items through."""
    waiting = chat.digest != "off" or in_quiet_hours(now, chat.timezone, chat.quiet_start, chat.quiet_end)
    return waiting and not (breaking and chat.override)


def _skip(why: str) -> Plan:
    return Plan(Action.SKIP, why=why)


def plan(pending: Pending, now: float) -> Plan:
    """Skip, hold, wait or send (and under which alert), in the order that keeps every alert
    once: a chat gone is never sent to, a held chat holds even updates, an update waits for
    its story's first alert and is threaded under it."""
    chat = pending.chat
    if chat is None or not chat.active:
        return _skip("chat gone or blocked since matching")
    if pending.entry.repeat and pending.first is not None:
        return _skip("near-repeat of a story already alerted")
    if holds(chat, pending.breaking, now):
        return Plan(Action.HOLD)
    if pending.entry.update and pending.first is not None:
        if pending.first == CLAIM_SENDING:
            return Plan(Action.WAIT)  # retried after the reclaim delay, then threaded
        reply_to = claim_message_id(pending.first)
        if not chat.updates:
            return _skip("updates off")
        if reply_to is None:
            return _skip("first alert held")
        if pending.raw is None:
            return _skip("expired")
        if pending.update_sent:
            return _skip("already sent")
        # one picture per story's thread: an update shows one only if its alert had none
        photo = "" if claim_has_photo(pending.first) else _picture(pending)
        return Plan(Action.SEND, reply_to=reply_to, photo=photo)
    if pending.raw is None:
        return _skip("expired")
    if pending.first is not None:
        return _skip("already sent")
    return Plan(Action.SEND, photo=_picture(pending))


def _picture(pending: Pending) -> str:
    """The entry's picture, unless the chat turned pictures off or Telegram refused it."""
    wanted = pending.chat is not None and pending.chat.pictures and not pending.picture_refused
    return pending.entry.image if wanted else ""
