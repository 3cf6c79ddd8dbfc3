"""The matching index against a real Redis while it changes: a Redis error in the middle of a
refresh, and matches running while another refresh is under way."""

from __future__ import annotations

import asyncio

import pytest
from factories import make_item
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.matching import Matcher
from bot.subscriptions import Chat, Subscriptions
from jobs.keys import Keys


class DroppedOnRead(Subscriptions):
    """Real subscriptions whose next chat read loses its connection while the command is in
    flight, as a server restart or a Sentinel failover would do: writes (scripts included) are
    paused on the server so the read is still waiting when another client kills its
    connection (an idle killed connection would just be reopened by the client)."""

    def __init__(self, redis: Redis, keys: Keys, admin: Redis) -> None:
        super().__init__(redis, keys)
        self.admin = admin
        self.kill_next = False

    async def _kill_soon(self) -> None:
        await asyncio.sleep(0.2)
        for client in await self.admin.client_list():
            if client.get("name") == "matcher-reads":
                await self.admin.client_kill_filter(_id=client["id"])
        await self.admin.client_unpause()

    async def get_many(self, chat_ids: list[int]) -> list[Chat]:
        if not self.kill_next:
            return await super().get_many(chat_ids)
        self.kill_next = False
        await self.admin.client_pause(5000, all=False)
        killer = asyncio.create_task(self._kill_soon())
        try:
            return await super().get_many(chat_ids)
        finally:
            await killer


async def test_redis_error_mid_refresh_keeps_the_chat_and_retries(redis, redis_url):
    # no retries: the outage outlasts whatever a client would retry
    reads = Redis.from_url(redis_url, decode_responses=True, client_name="matcher-reads", retry=Retry(NoBackoff(), 0))
    try:
        subs = DroppedOnRead(reads, Keys(), redis)
        await subs.touch(1, "private")
        await subs.add_region(1, "Europe")
        matcher = Matcher(redis, Keys(), subs)
        europe = make_item("Storm over Lisbon", regions=["Europe"])
        assert await matcher.match(europe) == {1}

        await Subscriptions(redis, Keys()).add_region(1, "Africa")  # another instance's change
        subs.kill_next = True
        with pytest.raises(RedisConnectionError):
            await matcher.refresh()
        # the old state of the chat still matches, not nothing
        assert matcher.match_loaded(europe) == {1}
        # and the change is retried by the next refresh, not skipped
        assert await matcher.match(make_item("Floods in Lagos", regions=["Africa"])) == {1}
    finally:
        await reads.aclose()


async def test_matches_during_a_refresh_never_miss_a_chat(redis):
    subs = Subscriptions(redis, Keys())
    for chat_id in range(1, 41):
        await subs.touch(chat_id, "private")
        await subs.add_region(chat_id, "Asia")
    matcher = Matcher(redis, Keys(), subs)
    asia = make_item("Quake in Nepal", regions=["Asia"])
    everyone = set(range(1, 41))
    assert await matcher.match(asia) == everyone
    for round_ in range(20):
        for chat_id in range(1, 41):  # changes that keep every chat matched
            await subs.set_flag(chat_id, "muted", bool(round_ % 2))
        results = await asyncio.gather(*(matcher.match(asia) for _ in range(8)))
        assert all(found == everyone for found in results), [len(found) for found in results]


@pytest.mark.parametrize(
    ("headline", "reached"),
    [
        # Israel is the Middle East and the reference site's "occupied Palestine": both sections
        ("Rocket hits a building in Haifa", {"MENA", "Palestine"}),
        ("Netanyahu convenes the security cabinet", {"MENA", "Palestine"}),
        ("Airstrike on a tent camp in Khan Younis", {"Palestine"}),
        ("Airstrike on a building in Beirut's southern suburb", {"MENA"}),
        # East and mainland South-East Asia: both Asia sections; South and maritime Asia: one
        ("Earthquake shakes Tokyo", {"Asia", "Asia-Pacific"}),
        ("Junta airstrike on a village in Sagaing, Myanmar", {"Asia", "Asia-Pacific"}),
        ("Floods in Assam, India", {"Asia"}),
        ("Typhoon makes landfall in Luzon, Philippines", {"Asia-Pacific"}),
    ],
)
async def test_news_filed_under_two_sections_reaches_both_sections_subscribers(redis, headline, reached):
    """The sets written elsewhere disagree on where Israel's and East Asia's news belong; a chat
    subscribed to either section must not miss it (country_regions.yaml)."""
    from jobs.classify import Classifier

    subs = Subscriptions(redis, Keys())
    sections = ["Asia", "Asia-Pacific", "MENA", "Palestine"]
    for chat_id, region in enumerate(sections, start=1):
        await subs.touch(chat_id, "private")
        await subs.add_region(chat_id, region)
    item = Classifier().apply(make_item(headline, regions=[]))
    found = await Matcher(redis, Keys(), subs).match(item)
    assert {sections[chat_id - 1] for chat_id in found} == reached
