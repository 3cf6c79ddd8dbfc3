"""Delivery of pictures and forum topics against real Redis and the Bot API stand-in, in
process: which sends fall back and which must not, threads of one story, and one note to a
forum group however many alerts fail on its deleted topic at once."""

from __future__ import annotations

import time

from factories import make_item

from bot.delivery import GROUP, Delivery
from bot.flood import FloodControl, FloodLimits
from bot.streams import ensure_group
from bot.subscriptions import Subscriptions
from jobs.keys import Keys
from jobs.publish import publish
from jobs.wire import ChatField, OutboxEntry

JPG = "https://img.example/a.jpg"


async def _queue(redis, keys: Keys, item, chat_id: int) -> None:
    await redis.xadd(keys.outbox, OutboxEntry.of_item(item, chat_id).to_fields())


def _fast(redis, keys: Keys) -> FloodControl:
    """Groups at 600 a minute: these tests are about what is sent, not when."""
    return FloodControl(redis, keys, FloodLimits(group_per_minute=600, private_per_second=50))


async def test_an_uncertain_photo_is_retried_as_a_photo_never_replaced_by_text(redis, botapi, bot):
    """A 502 or a time-out may come after Telegram posted the photo: sending the text then
    would alert twice. Only a definite refusal (a 400) falls back to text."""
    keys, subs = Keys(), Subscriptions(redis, Keys())
    item = make_item("Quake hits Tokyo", "q1", image=JPG)
    await publish(redis, keys, [item])
    await ensure_group(redis, keys.outbox, GROUP)
    await subs.touch(801, "private")
    await _queue(redis, keys, item, 801)
    botapi.state.failures = {801: 3}
    delivery = Delivery(redis, keys, bot, subs, "t", flood=_fast(redis, keys))
    await delivery.step()
    assert botapi.state.sent == [] and delivery.stats.failed == 1
    photos = [p for m, p in botapi.state.calls if m == "sendPhoto"]
    assert len(photos) == 3 and not any(m == "sendMessage" for m, _ in botapi.state.calls)
    assert (await redis.xpending(keys.outbox, GROUP))["pending"] == 1  # left for the outbox's retry


async def test_one_picture_per_story_thread(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    first = make_item("Quake hits Tokyo", "q1")  # no picture: an update may bring one
    updates = [
        make_item("Quake toll rises to 12", "q1u", story="q1", update=True, image=JPG),
        make_item("Quake toll rises to 20", "q1v", story="q1", update=True, image="https://img.example/b.jpg"),
    ]
    await publish(redis, keys, [first, *updates])
    await ensure_group(redis, keys.outbox, GROUP)
    await subs.touch(802, "private")
    flood = _fast(redis, keys)
    for item in (first, *updates):
        await _queue(redis, keys, item, 802)
        await Delivery(redis, keys, bot, subs, "t", flood=flood).step()
    sent = [(s.method, s.params.get("photo")) for s in botapi.state.sent]
    assert sent == [("sendMessage", None), ("sendPhoto", JPG), ("sendMessage", None)]
    alert_id = botapi.state.sent[0].message_id
    assert all(s.params["reply_parameters"]["message_id"] == alert_id for s in botapi.state.sent[1:])
    assert await redis.get(keys.sent_claim(802, "q1")) == f"{alert_id}p"


async def test_alerts_in_flight_on_a_deleted_topic_all_land_in_general_with_one_note(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    group = -100803
    items = [make_item(f"Strike number {n} in Gaza", f"s{n}", image=JPG if n == 0 else "") for n in range(4)]
    await publish(redis, keys, items)
    await ensure_group(redis, keys.outbox, GROUP)
    await subs.touch(group, "supergroup")
    await subs.set_fields(group, **{ChatField.THREAD: 12})
    botapi.state.deleted_topics.add((group, 12))
    for item in items:
        await _queue(redis, keys, item, group)
    delivery = Delivery(redis, keys, bot, subs, "t", flood=_fast(redis, keys))
    await delivery.step()  # one batch: four sends in flight, all told the topic is gone
    alerts = [s for s in botapi.state.sent if "Strike number" in s.text]
    notes = [s for s in botapi.state.sent if "/here" in s.text]
    assert sorted(s.text.count("Strike number 0") for s in alerts) == [0, 0, 0, 1]
    assert len(alerts) == 4 and all("message_thread_id" not in s.params for s in alerts + notes)
    assert len(notes) == 1 and delivery.stats.sent == 4
    assert [s.method for s in alerts if "Strike number 0" in s.text] == ["sendPhoto"]  # the picture kept
    assert await redis.hget(keys.chat(group), ChatField.THREAD) is None


async def test_a_refused_picture_goes_as_text_once_and_is_not_tried_for_later_chats(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    item = make_item("Quake hits Tokyo", "q1", image=JPG)
    await publish(redis, keys, [item])
    await ensure_group(redis, keys.outbox, GROUP)
    botapi.state.photo_errors[JPG] = "Bad Request: failed to get HTTP URL content"
    flood = _fast(redis, keys)
    for chat_id in (804, 805):
        await subs.touch(chat_id, "private")
        await _queue(redis, keys, item, chat_id)
        await Delivery(redis, keys, bot, subs, "t", flood=flood).step()
        await Delivery(redis, keys, bot, subs, "t", flood=flood).step()  # nothing left to send twice
    assert [(s.chat_id, s.method) for s in botapi.state.sent] == [(804, "sendMessage"), (805, "sendMessage")]
    assert [p["chat_id"] for m, p in botapi.state.calls if m == "sendPhoto"] == [804]  # 805 not tried
    assert (await redis.xpending(keys.outbox, GROUP))["pending"] == 0
    assert await redis.get(keys.sent_claim(804, "q1")) == str(botapi.state.sent[0].message_id)  # no picture mark


async def test_a_digest_for_a_deleted_topic_is_kept_then_goes_to_general(redis, botapi, bot):
    keys, subs = Keys(), Subscriptions(redis, Keys())
    group = -100806
    items = [make_item(f"Held story {n}", f"h{n}", image=JPG) for n in range(2)]
    await publish(redis, keys, items)
    await ensure_group(redis, keys.outbox, GROUP)
    await subs.touch(group, "supergroup")
    await subs.set_fields(group, digest="hourly", last_digest=time.time(), **{ChatField.THREAD: 12})
    for item in items:
        await _queue(redis, keys, item, group)
    delivery = Delivery(redis, keys, bot, subs, "t", flood=_fast(redis, keys))
    await delivery.step()
    assert delivery.stats.held == 2 and botapi.state.sent == []
    botapi.state.deleted_topics.add((group, 12))
    assert await delivery.release_held(time.time() + 3700) == 0  # refused in the topic: kept
    assert [s.text.count("/here") for s in botapi.state.sent] == [1]  # the note, in General
    assert await delivery.release_held(time.time() + 3700) == 1
    digest = botapi.state.sent[-1]
    assert "Held story 0" in digest.text and "Held story 1" in digest.text
    assert digest.method == "sendMessage" and "message_thread_id" not in digest.params  # text, in General
