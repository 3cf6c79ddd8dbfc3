"""Redis wire formats: what fan-out writes, delivery reads back unchanged, and what an older
or damaged entry holds is read as before."""

from __future__ import annotations

import pytest
from factories import make_item

from jobs.wire import HeldRef, OutboxEntry, StoryEntry, claim_message_id


def _as_redis_returns(fields: dict) -> dict[str, str]:
    return {name: str(value) for name, value in fields.items()}


def test_an_outbox_entry_round_trips():
    entry = OutboxEntry.of_item(make_item("Quake toll rises", "q1u", story="q1", update=True, breaking=True), 42)
    assert entry == OutboxEntry(chat=42, story="q1", item="q1u", update=True, breaking=True)
    assert OutboxEntry.from_fields(_as_redis_returns(entry.to_fields())) == entry
    assert entry.for_chat(-100).chat == -100 and entry.for_chat(-100).item == "q1u"


def test_an_outbox_entry_without_item_or_flags_is_a_plain_alert_of_its_story():
    assert OutboxEntry.from_fields({"chat": "5", "story": "s"}) == OutboxEntry(5, "s", "s")


@pytest.mark.parametrize("fields", [None, {}, {"chat": "5"}, {"story": "s"}, {"chat": "x", "story": "s"}])
def test_a_malformed_outbox_entry_is_refused(fields):
    with pytest.raises(ValueError):
        OutboxEntry.from_fields(fields)


def test_a_story_entry_and_a_held_reference_round_trip():
    item = make_item("Quake hits Tokyo", "q1")
    assert StoryEntry.from_fields(StoryEntry(item.to_json()).to_fields()).item() == item
    with pytest.raises(ValueError):
        StoryEntry.from_fields({})
    ref = HeldRef(story="q1", item="q1u")
    assert HeldRef.from_json(ref.to_json()) == ref
    assert HeldRef.from_json('{"story": "q1", "item": "q1"}') == HeldRef("q1", "q1")  # as held before


def test_a_claim_names_a_message_only_when_it_holds_one():
    assert claim_message_id("42") == 42
    assert claim_message_id("sending") is None and claim_message_id("held") is None and claim_message_id(None) is None


def test_a_claim_of_an_alert_sent_with_a_picture_still_names_its_message():
    from jobs.wire import claim_has_photo, claim_value

    assert claim_message_id(claim_value(42, photo=True)) == 42 and claim_has_photo(claim_value(42, photo=True))
    assert claim_message_id(claim_value(42, photo=False)) == 42 and not claim_has_photo("42")
    assert not claim_has_photo("sending") and not claim_has_photo(None) and claim_message_id("p") is None
