"""Telegram's refusals of an alert, each mapped to what delivery does about it, in one table:
which errors are worth a second try, which mean the chat is gone, which can never succeed.
PTB's error classes nest (BadRequest and TimedOut are NetworkErrors, everything is a
TelegramError), so the table is read top to bottom and the first match wins."""

from __future__ import annotations

from enum import Enum

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError


class Outcome(Enum):
    RETRY = "retry"  # 5xx, time-out, connection trouble: quick retries, then the outbox's
    RATE_LIMITED = "rate_limited"  # 429: the chat is paused, the entry retried through the outbox
    GONE = "gone"  # blocked, kicked, deleted: the chat is switched off, never retried
    MIGRATED = "migrated"  # the group became a supergroup: the alert goes there
    DEAD = "dead"  # a request Telegram will never accept: dead-lettered at once


# BadRequest messages (lower-cased substrings) that mean the chat is gone, not the message bad
GONE_MARKERS = ("chat not found", "user is deactivated", "bot was kicked", "chat_write_forbidden", "have no rights")

ERROR_OUTCOMES: tuple[tuple[type[TelegramError], Outcome], ...] = (
    (RetryAfter, Outcome.RATE_LIMITED),
    (ChatMigrated, Outcome.MIGRATED),
    (Forbidden, Outcome.GONE),
    (BadRequest, Outcome.DEAD),  # unless its message names a gone chat (GONE_MARKERS)
    (NetworkError, Outcome.RETRY),  # TimedOut included
    (TelegramError, Outcome.RETRY),  # anything else Telegram says: it may pass
)


def outcome_of(exc: TelegramError) -> Outcome:
    for kind, outcome in ERROR_OUTCOMES:
        if isinstance(exc, kind):
            if outcome is Outcome.DEAD and any(marker in exc.message.lower() for marker in GONE_MARKERS):
                return Outcome.GONE
            return outcome
    return Outcome.RETRY  # unreachable: every TelegramError matches the last row


def gone_reason(exc: TelegramError) -> str:
    """What the chat's settings remember about why it was switched off."""
    return f"forbidden: {exc.message}" if isinstance(exc, Forbidden) else exc.message
