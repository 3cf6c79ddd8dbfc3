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
    TOPIC_GONE = "topic gone"  # the forum topic was deleted (or closed): sent to General instead
    PHOTO_REFUSED = "photo refused"  # Telegram could not use the picture: the alert goes as text


# BadRequest messages (lower-cased substrings) that mean the chat is gone, not the message bad
GONE_MARKERS = ("chat not found", "user is deactivated", "bot was kicked", "chat_write_forbidden", "have no rights")
# ... that mean the forum topic alerts go to cannot take them (deleted, or closed to us)
TOPIC_MARKERS = ("message thread not found", "topic_deleted", "topic_closed", "topic_id_invalid")
# ... that mean Telegram could not fetch or use the picture of a photo
PHOTO_MARKERS = (
    "wrong file identifier",
    "failed to get http url content",
    "wrong type of the web page content",
    "photo_invalid_dimensions",
    "image_process_failed",
    "photo_save_file_invalid",
    "photo_ext_invalid",
    "webpage_curl_failed",
    "webpage_media_empty",
    "wrong remote file identifier",
    "photo_content_url_empty",
)
# a BadRequest's markers, read in this order (the first match wins), else DEAD
BAD_REQUEST_MARKERS: tuple[tuple[tuple[str, ...], Outcome], ...] = (
    (GONE_MARKERS, Outcome.GONE),
    (TOPIC_MARKERS, Outcome.TOPIC_GONE),
    (PHOTO_MARKERS, Outcome.PHOTO_REFUSED),
)

ERROR_OUTCOMES: tuple[tuple[type[TelegramError], Outcome], ...] = (
    (RetryAfter, Outcome.RATE_LIMITED),
    (ChatMigrated, Outcome.MIGRATED),
    (Forbidden, Outcome.GONE),
    (BadRequest, Outcome.DEAD),  # unless its message has one of BAD_REQUEST_MARKERS
    (NetworkError, Outcome.RETRY),  # TimedOut included
    (TelegramError, Outcome.RETRY),  # anything else Telegram says: it may pass
)


def outcome_of(exc: TelegramError) -> Outcome:
    for kind, outcome in ERROR_OUTCOMES:
        if isinstance(exc, kind):
            return _bad_request(exc.message.lower()) if outcome is Outcome.DEAD else outcome
    return Outcome.RETRY  # unreachable: every TelegramError matches the last row


def _bad_request(message: str) -> Outcome:
    for markers, outcome in BAD_REQUEST_MARKERS:
        if any(marker in message for marker in markers):
            return outcome
    return Outcome.DEAD


def gone_reason(exc: TelegramError) -> str:
    """What the chat's settings remember about why it was switched off."""
    return f"forbidden: {exc.message}" if isinstance(exc, Forbidden) else exc.message
