"""Delivery's decisions, without Redis or Telegram: every branch of `plan`, and the table that
says what each of Telegram's refusals means."""

from __future__ import annotations

import time

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.delivery_plan import Action, Pending, Plan, plan
from bot.send_errors import Outcome, gone_reason, outcome_of
from bot.subscriptions import Chat
from jobs.keys import Keys
from jobs.wire import CLAIM_HELD, CLAIM_SENDING, OutboxEntry

NOW = time.time()
RAW = '{"the item": "as JSON"}'


def pending(
    chat: Chat | None = None,
    *,
    update: bool = False,
    breaking: bool = False,
    first: str | None = None,
    update_sent: bool = False,
    raw: str | None = RAW,
    repeat: bool = False,
    image: str = "",
) -> Pending:
    entry = OutboxEntry(
        chat=7, story="s1", item="s1u" if update else "s1", update=update, breaking=breaking, repeat=repeat, image=image
    )
    return Pending("1-0", entry, Chat(7) if chat is None else chat, first, update_sent, raw)


def quiet_chat(**fields) -> Chat:
    """A chat in quiet hours right now (the whole day but one minute)."""
    minute = time.gmtime(NOW).tm_hour * 60 + time.gmtime(NOW).tm_min
    return Chat(7, quiet_start=(minute - 1) % 1440, quiet_end=(minute - 2) % 1440, **fields)


def test_a_new_alert_is_sent_unthreaded():
    assert plan(pending(), NOW) == Plan(Action.SEND)


@pytest.mark.parametrize(
    ("the_pending", "why"),
    [
        (Pending("1-0", OutboxEntry(7, "s1", "s1"), None, None, False, RAW), "chat gone or blocked since matching"),
        (pending(Chat(7, active=False)), "chat gone or blocked since matching"),
        (pending(raw=None), "expired"),
        (pending(first="42"), "already sent"),
        (pending(first=CLAIM_HELD), "already sent"),
        (pending(update=True, first="42", raw=None), "expired"),
        (pending(update=True, first="42", update_sent=True), "already sent"),
        (pending(Chat(7, updates=False), update=True, first="42"), "updates off"),
        (pending(update=True, first=CLAIM_HELD), "first alert held"),
        (pending(update=True, repeat=True, first="42"), "near-repeat of a story already alerted"),
        (pending(quiet_chat(), update=True, repeat=True, first=CLAIM_HELD), "near-repeat of a story already alerted"),
    ],
)
def test_skips(the_pending, why):
    assert plan(the_pending, NOW) == Plan(Action.SKIP, why=why)


def test_an_update_is_threaded_under_its_storys_alert():
    decided = plan(pending(update=True, first="42"), NOW)
    assert decided == Plan(Action.SEND, reply_to=42)
    assert decided.claim_key(Keys(), pending(update=True)) == Keys().sent_update(7, "s1u")
    assert plan(pending(), NOW).claim_key(Keys(), pending()) == Keys().sent_claim(7, "s1")


def test_an_update_whose_first_report_was_never_alerted_is_sent_as_an_alert():
    assert plan(pending(update=True), NOW) == Plan(Action.SEND)


def test_a_near_repeat_for_a_sources_follower_is_an_alert_when_the_story_is_new_to_it():
    assert plan(pending(update=True, repeat=True), NOW) == Plan(Action.SEND)
    entry = OutboxEntry(7, "s1", "s1u", update=True, repeat=True)
    assert OutboxEntry.from_fields({k: str(v) for k, v in entry.to_fields().items()}) == entry


def test_an_update_waits_while_its_storys_alert_is_being_sent():
    assert plan(pending(update=True, first=CLAIM_SENDING), NOW) == Plan(Action.WAIT)


def test_quiet_hours_and_digests_hold_unless_breaking_may_pass():
    assert plan(pending(quiet_chat()), NOW).action is Action.HOLD
    assert plan(pending(Chat(7, digest="hourly")), NOW).action is Action.HOLD
    assert plan(pending(quiet_chat(), update=True, first="42"), NOW).action is Action.HOLD
    assert plan(pending(quiet_chat(), breaking=True), NOW).action is Action.HOLD
    assert plan(pending(quiet_chat(override=True), breaking=True), NOW) == Plan(Action.SEND)
    assert plan(pending(quiet_chat(override=True)), NOW).action is Action.HOLD


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RetryAfter(5), Outcome.RATE_LIMITED),
        (ChatMigrated(-100123), Outcome.MIGRATED),
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.GONE),
        (BadRequest("Bad Request: chat not found"), Outcome.GONE),
        (BadRequest("Bad Request: have no rights to send a message"), Outcome.GONE),
        (BadRequest("Bad Request: can't parse entities"), Outcome.DEAD),
        (BadRequest("Bad Request: message thread not found"), Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: TOPIC_DELETED"), Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: TOPIC_CLOSED"), Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: wrong file identifier/HTTP URL specified"), Outcome.PHOTO_REFUSED),
        (BadRequest("Bad Request: failed to get HTTP URL content"), Outcome.PHOTO_REFUSED),
        (BadRequest("Bad Request: wrong type of the web page content"), Outcome.PHOTO_REFUSED),
        (BadRequest("Bad Request: PHOTO_INVALID_DIMENSIONS"), Outcome.PHOTO_REFUSED),
        (BadRequest("Bad Request: IMAGE_PROCESS_FAILED"), Outcome.PHOTO_REFUSED),
        (TimedOut(), Outcome.RETRY),
        (NetworkError("Bad Gateway"), Outcome.RETRY),
        (TelegramError("Internal Server Error"), Outcome.RETRY),
    ],
    ids=lambda value: type(value).__name__,  # not str(): a RetryAfter's warns about its future type
)
def test_each_refusal_has_one_outcome(error, outcome):
    assert outcome_of(error) is outcome


def test_a_picture_goes_only_where_pictures_are_on_and_once_per_story_thread():
    jpg = "https://img.example/a.jpg"
    assert plan(pending(image=jpg), NOW) == Plan(Action.SEND, photo=jpg)
    assert plan(pending(Chat(7, pictures=False), image=jpg), NOW) == Plan(Action.SEND)
    # an update shows its picture only under an alert that had none
    assert plan(pending(update=True, first="42", image=jpg), NOW) == Plan(Action.SEND, reply_to=42, photo=jpg)
    assert plan(pending(update=True, first="42p", image=jpg), NOW) == Plan(Action.SEND, reply_to=42)
    assert plan(pending(update=True, first="42p"), NOW) == Plan(Action.SEND, reply_to=42)
    refused = pending(image=jpg)
    refused.picture_refused = True  # Telegram refused it for another chat already
    assert plan(refused, NOW) == Plan(Action.SEND)


def test_a_gone_chat_remembers_why():
    assert gone_reason(Forbidden("bot was kicked")) == "forbidden: bot was kicked"
    assert gone_reason(BadRequest("Chat not found")) == "Chat not found"
