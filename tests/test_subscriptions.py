"""Subscriptions and matching against a real Redis: regions, keywords with the query language,
exclusions, pause, inactive chats, and /stop leaving nothing behind."""

from __future__ import annotations

import asyncio

import pytest
from factories import make_item

from bot.delivery_book import index_claim
from bot.matching import Matcher
from bot.query import QueryError, parse_query
from bot.subscriptions import MAX_EXCLUDES, MAX_KEYWORDS, MAX_SOURCES, ChatGone, LimitReached, Subscriptions
from jobs.keys import Keys
from jobs.models import Item


def item(title: str, regions: list[str] | None = None, summary: str = "", source: str = "s") -> Item:
    return make_item(title, summary=summary, regions=regions or [], source=source)


@pytest.fixture
def subs(redis) -> Subscriptions:
    return Subscriptions(redis, Keys())


async def matched(redis, subs, it: Item) -> list[int]:
    return sorted(await Matcher(redis, Keys(), subs).match(it))


async def test_regions_keywords_and_exclusions(redis, subs):
    for chat in (1, 2, 3, 4):
        await subs.touch(chat, "private")
    await subs.add_region(1, "Palestine")
    await subs.add_keyword(2, "Nabatieh")
    await subs.add_keyword(3, "Gaza + ceasefire -football")
    await subs.add_region(4, "Palestine")
    await subs.add_exclude(4, "hospital")

    gaza = item("Strike on a hospital in Gaza City", ["Palestine"])
    assert await matched(redis, subs, gaza) == [1]
    nab = item("Raid on western NABATIEH", ["MENA"])
    assert await matched(redis, subs, nab) == [2]
    # word boundaries: "Nabatiehs" or "xNabatieh" are other words
    assert await matched(redis, subs, item("Nabatiehs and xNabatieh")) == []
    talks = item("Gaza ceasefire talks resume in Cairo", ["Palestine", "MENA"])
    assert await matched(redis, subs, talks) == [1, 3, 4]
    assert 3 not in await matched(redis, subs, item("Gaza ceasefire football match", ["Palestine"]))
    # accents and case are ignored; keywords also match in the summary
    await subs.touch(5, "private")
    await subs.add_keyword(5, "Hôpital Nasser")
    assert await matched(redis, subs, item("Update", summary="Near the HOPITAL nasser today")) == [5]


async def test_overlapping_keywords_both_match(redis, subs):
    await subs.touch(1, "private")
    await subs.touch(2, "private")
    await subs.add_keyword(1, "Gaza")
    await subs.add_keyword(2, "Gaza City")
    assert await matched(redis, subs, item("Raids on Gaza City")) == [1, 2]


async def test_paused_and_inactive_chats_get_nothing(redis, subs):
    await subs.touch(1, "private")
    await subs.add_region(1, "Europe")
    await subs.set_flag(1, "paused", True)
    assert await matched(redis, subs, item("x", ["Europe"])) == []
    await subs.set_flag(1, "paused", False)
    await subs.deactivate(1, "blocked")
    assert await matched(redis, subs, item("x", ["Europe"])) == []
    await subs.touch(1, "private")  # the user came back
    assert await matched(redis, subs, item("x", ["Europe"])) == [1]


async def test_unsubscribe_updates_the_indexes(redis, subs):
    await subs.touch(1, "private")
    await subs.add_keyword(1, "oil prices")
    await subs.add_keyword(1, "oil prices + OPEC")
    assert await subs.remove_keyword(1, "oil prices")
    assert await matched(redis, subs, item("OPEC says oil prices rise")) == [1]
    assert await subs.remove_keyword(1, "oil prices + opec")
    assert await matched(redis, subs, item("OPEC says oil prices rise")) == []
    assert await redis.scard("nb:idx:keywords") == 0


async def test_limits_and_bad_queries(redis, subs):
    await subs.touch(1, "private")
    for i in range(MAX_KEYWORDS):
        await subs.add_keyword(1, f"word{i}")
    with pytest.raises(LimitReached):
        await subs.add_keyword(1, "one more")
    for bad in ("", "   ", "-only", "+ + +", "x" * 101, '""'):
        with pytest.raises(QueryError):
            parse_query(bad)
    # hostile regex-looking input is just words, matched in linear time
    q = parse_query("(a+)+$ " + "a" * 50)
    assert q.need and not q.matches(("a",) * 1000)


async def test_stop_leaves_nothing_behind(redis, subs):
    await subs.touch(9, "group", "G")
    await subs.add_region(9, "Asia")
    await subs.add_keyword(9, "Kashmir")
    await subs.add_exclude(9, "cricket")
    async with redis.pipeline(transaction=True) as pipe:  # claims as delivery writes them
        for claim in ("nb:sent:9:story1", "nb:sent:9:u:item2"):
            pipe.set(claim, "1")
            index_claim(pipe, Keys(), 9, claim)
        await pipe.execute()
    await subs.forget(9)
    leftovers = [k async for k in redis.scan_iter("*") if "9" in k.split(":")]
    assert leftovers == []
    assert not await redis.sismember("nb:idx:region:Asia", "9")
    assert await redis.scard("nb:idx:keywords") == 0


async def test_migrate_moves_everything_to_the_supergroup(redis, subs):
    await subs.touch(-5, "group", "G")
    await subs.add_region(-5, "Africa")
    await subs.add_keyword(-5, "Sahel + drought")
    await subs.add_exclude(-5, "football")
    await subs.set_flag(-5, "muted", True)
    assert await subs.migrate(-5, -1005)
    moved = await subs.get(-1005)
    assert moved.regions == {"Africa"} and "sahel + drought" in moved.keywords and "football" in moved.excludes
    assert moved.muted and moved.kind == "supergroup"
    assert await subs.get(-5) is None
    assert await matched(redis, subs, item("Drought grips the Sahel", ["Africa"])) == [-1005]


async def test_breaking_only_chats_get_only_breaking_items(redis, subs):
    await subs.touch(1, "private")
    await subs.add_region(1, "Asia")
    await subs.set_flag(1, "breaking_only", True)
    calm = item("Markets steady in Tokyo", ["Asia"])
    assert await matched(redis, subs, calm) == []
    calm.breaking = True
    assert await matched(redis, subs, calm) == [1]


async def test_matcher_follows_changes_made_by_other_instances(redis, subs):
    matcher = Matcher(redis, Keys(), subs)
    other = Subscriptions(redis, Keys())  # another instance's view of the same Redis
    await other.touch(7, "private")
    await other.add_keyword(7, "Sahel")
    assert await matcher.match(item("Drought in the Sahel")) == {7}
    await other.remove_keyword(7, "Sahel")
    await other.add_region(7, "Africa")
    assert await matcher.match(item("Drought in the Sahel")) == set()
    assert await matcher.match(item("Drought in the Sahel", ["Africa"])) == {7}
    await other.forget(7)
    assert await matcher.match(item("Drought in the Sahel", ["Africa"])) == set()
    # a log trimmed past the matcher's position forces a full reload, not a stale index
    await other.touch(8, "private")
    await other.add_region(8, "Africa")
    await redis.xtrim("nb:idx:changes", maxlen=0)
    await other.touch(9, "private")
    await other.add_region(9, "Africa")
    assert await matcher.match(item("x", ["Africa"])) == {8, 9}


async def test_a_zero_width_space_does_not_hide_a_keyword(redis, subs):
    from datetime import UTC, datetime

    from jobs.models import RawEntry
    from jobs.normalize import normalize
    from jobs.sources import Source

    await subs.touch(1, "private")
    await subs.add_keyword(1, "Gaza")
    source = Source(id="t", name="T", kind="ticker", url="https://ex.org/", selector="li")
    for title in ("Ga\u200bza strike", "Ga\u00adza\u2060 strike", "\u202bGaza\u202c strike"):
        it = normalize(source, RawEntry(title=title), datetime.now(UTC))
        assert it is not None and await matched(redis, subs, it) == [1]
        assert it.title == "Gaza strike"


async def test_a_keyword_with_an_inner_apostrophe_matches_either_spelling(redis, subs):
    """ "Far'a" and "Fara" are one name (the apostrophe stands for an Arabic letter), while a
    keyword never matches a word the apostrophe only ends ("Israel's" holds "Israel", not "Israels")."""
    await subs.touch(1, "private")
    await subs.add_keyword(1, "Far'a")
    await subs.touch(2, "private")
    await subs.add_keyword(2, "Israels")
    assert await matched(redis, subs, item("IOF storm Fara camp")) == [1]
    assert await matched(redis, subs, item("Raid on al-Far’a camp")) == [1]
    assert await matched(redis, subs, item("Israel's army raids Tubas")) == []


@pytest.mark.parametrize("typed", ["ß" * 60, "\ufdfa" * 6, "+".join(c * 10 for c in "abcdefgh")])
async def test_keyword_too_long_once_stored_is_refused(redis, subs, typed):
    """Short as typed, over 100 characters as stored (ß → ss, U+FDFA → 18 characters,
    a+b → a + b): refused when added, never accepted and then lost."""
    assert len(typed) <= 100
    await subs.touch(1, "private")
    with pytest.raises(QueryError, match="too long"):
        await subs.add_keyword(1, typed)
    with pytest.raises(QueryError, match="too long"):
        await subs.add_exclude(1, typed)
    assert await redis.hlen("nb:chat:1:keywords") == 0


async def _stored_long_keyword(redis, subs, chat_id: int) -> str:
    """A keyword stored over today's limit (as an earlier version accepted them)."""
    key = " ".join(["strasse"] * 15)  # its stored form: 119 characters, one phrase (the anchor)
    await redis.hset(f"nb:chat:{chat_id}:keywords", key, "Straße " * 15)
    await redis.sadd(f"nb:idx:kw:{key}", chat_id)
    await redis.sadd("nb:idx:keywords", key)
    await subs._changed(chat_id)
    return key


async def test_stored_keywords_over_the_limit_still_match(redis, subs):
    await subs.touch(1, "private")
    await _stored_long_keyword(redis, subs, 1)
    assert await matched(redis, subs, item("STRASSE " * 15)) == [1]


async def test_unsubscribe_works_beside_a_stored_keyword_over_the_limit(redis, subs):
    await subs.touch(1, "private")
    await subs.add_keyword(1, "Nabatieh")
    long_key = await _stored_long_keyword(redis, subs, 1)
    assert await subs.remove_keyword(1, "Nabatieh")
    assert not await redis.sismember("nb:idx:kw:nabatieh", "1")
    assert await subs.remove_keyword(1, long_key)  # and the long one can be removed too
    assert await redis.scard("nb:idx:keywords") == 0


async def test_stop_works_with_a_stored_keyword_over_the_limit(redis, subs):
    await subs.touch(1, "private")
    await subs.add_region(1, "Asia")
    await _stored_long_keyword(redis, subs, 1)
    await subs.forget(1)
    assert [k async for k in redis.scan_iter("*") if "1" in k.split(":")] == []
    assert await redis.scard("nb:idx:keywords") == 0


async def test_simultaneous_subscribes_never_pass_the_cap(redis, subs):
    await subs.touch(1, "private")
    results = await asyncio.gather(*(subs.add_keyword(1, f"word{i}") for i in range(120)), return_exceptions=True)
    assert sum(1 for r in results if isinstance(r, LimitReached)) == 120 - MAX_KEYWORDS
    assert all(isinstance(r, (tuple, LimitReached)) for r in results), results
    assert await redis.hlen("nb:chat:1:keywords") == MAX_KEYWORDS
    stored = await redis.hkeys("nb:chat:1:keywords")
    assert await redis.smembers("nb:idx:keywords") == set(stored)  # indexed exactly what is stored
    excluded = await asyncio.gather(*(subs.add_exclude(1, f"word{i}") for i in range(120)), return_exceptions=True)
    assert sum(1 for r in excluded if isinstance(r, LimitReached)) == 120 - MAX_EXCLUDES
    assert await redis.hlen("nb:chat:1:excludes") == MAX_EXCLUDES


async def _consistent(redis, chat_id: int) -> bool:
    """Either no trace of the chat at all, or a whole chat whose indexes match what it follows.
    Returns whether the chat exists."""
    mine = {k async for k in redis.scan_iter("*") if str(chat_id) in k.split(":")}
    indexed = {
        k
        async for k in redis.scan_iter("nb:idx:*")
        if k != "nb:idx:changes" and (await redis.type(k)) == "set" and await redis.sismember(k, str(chat_id))
    }
    if not await redis.sismember("nb:chats", str(chat_id)):
        assert mine == set() and indexed == set(), (mine, indexed)
        return False
    assert f"nb:chat:{chat_id}" in mine
    regions = await redis.smembers(f"nb:chat:{chat_id}:regions")
    anchors = {parse_query(k).anchor for k in await redis.hkeys(f"nb:chat:{chat_id}:keywords")}
    sources = await redis.smembers(f"nb:chat:{chat_id}:sources")
    expected = {f"nb:idx:region:{r}" for r in regions} | {f"nb:idx:kw:{a}" for a in anchors}
    expected |= {f"nb:idx:source:{s}" for s in sources}
    assert indexed == expected, (indexed, expected)
    return True


async def test_stop_racing_subscribe_leaves_nothing_or_a_whole_chat(redis, subs):
    async def subscribe(chat_id: int, what: str) -> None:
        """What /subscribe does: record the chat, then follow."""
        await subs.touch(chat_id, "private")
        try:
            if what.startswith("region:"):
                await subs.add_region(chat_id, what.partition(":")[2])
            elif what.startswith("source:"):
                await subs.add_source(chat_id, what.partition(":")[2])
            else:
                await subs.add_keyword(chat_id, what)
        except ChatGone:
            pass

    outcomes = set()
    for round_ in range(30):
        chat_id = 100 + round_
        await subscribe(chat_id, "Kashmir")
        await subs.add_exclude(chat_id, "cricket")
        commands = [subscribe(chat_id, f"topic{i}") for i in range(6)] + [subscribe(chat_id, "region:Asia")]
        commands += [subscribe(chat_id, "source:tick"), subscribe(chat_id, "source:wire")]
        commands.insert(round_ % len(commands), subs.forget(chat_id))
        await asyncio.gather(*commands)
        outcomes.add(await _consistent(redis, chat_id))
        await subs.forget(chat_id)  # and a /stop on its own leaves nothing, whatever came before
        assert not await _consistent(redis, chat_id)
    assert await redis.scard("nb:idx:keywords") == 0


async def test_a_followed_source_sends_every_item_under_the_chat_settings(redis, subs):
    await subs.touch(1, "private")
    await subs.add_region(1, "Asia")
    assert await subs.add_source(1, "tick")
    assert not await subs.add_source(1, "tick")  # already followed
    await subs.touch(2, "private")
    await subs.add_source(2, "tick")
    await subs.add_exclude(2, "football")  # a chat with exclusions takes the closer look
    await subs.touch(3, "private")
    await subs.add_keyword(3, "Nabatieh")
    plain = item("Markets open higher", source="tick")  # no region, no keyword anyone follows
    assert await matched(redis, subs, plain) == [1, 2]
    assert await matched(redis, subs, item("Markets open higher", source="other")) == []
    assert await matched(redis, subs, item("Football scores", source="tick")) == [1]  # exclusions still veto
    await subs.set_flag(2, "breaking_only", True)
    assert await matched(redis, subs, plain) == [1]
    plain.breaking = True
    assert await matched(redis, subs, plain) == [1, 2]
    await subs.set_flag(1, "paused", True)
    assert await matched(redis, subs, plain) == [2]
    assert await subs.remove_source(2, "tick")
    assert not await subs.remove_source(2, "tick")
    assert await matched(redis, subs, plain) == []
    assert await redis.smembers("nb:idx:source:tick") == {"1"}


async def test_unsubscribe_all_and_stop_forget_followed_sources(redis, subs):
    await subs.touch(1, "private")
    await subs.add_region(1, "Asia")
    await subs.add_source(1, "tick")
    await subs.add_source(1, "wire")
    assert await subs.clear(1) == 3
    chat = await subs.get(1)
    assert chat.sources == set() and not chat.follows_anything
    assert not await redis.exists("nb:idx:source:tick", "nb:idx:source:wire", "nb:chat:1:sources")
    assert await matched(redis, subs, item("x", source="tick")) == []
    await subs.add_source(1, "tick")
    await subs.forget(1)
    assert [k async for k in redis.scan_iter("*") if "1" in k.split(":")] == []
    assert not await redis.exists("nb:idx:source:tick")


async def test_simultaneous_follows_never_pass_the_cap(redis, subs):
    await subs.touch(1, "private")
    results = await asyncio.gather(*(subs.add_source(1, f"src-{i}") for i in range(80)), return_exceptions=True)
    assert sum(1 for r in results if isinstance(r, LimitReached)) == 80 - MAX_SOURCES
    assert all(r is True or isinstance(r, LimitReached) for r in results), results
    followed = await redis.smembers("nb:chat:1:sources")
    assert len(followed) == MAX_SOURCES
    indexed = {k.rpartition(":")[2] async for k in redis.scan_iter("nb:idx:source:*")}
    assert indexed == followed  # indexed exactly what is stored


async def test_follow_after_stop_recreates_nothing(redis, subs):
    await subs.touch(1, "private")
    await subs.forget(1)
    with pytest.raises(ChatGone):
        await subs.add_source(1, "tick")
    assert not await redis.exists("nb:chat:1:sources", "nb:idx:source:tick")


async def test_a_source_gone_from_the_catalogue_harms_nothing(redis, subs):
    """Sources come and go (an administrator removes one): a follow of an id no source has any
    more loads, matches nothing, lists and migrates as it is, and stays removable."""
    await subs.touch(-5, "group", "G")
    await subs.add_source(-5, "gone-source")
    await subs.add_region(-5, "Africa")
    assert await matched(redis, subs, item("Floods in Lagos", ["Africa"], source="tick")) == [-5]
    assert await subs.migrate(-5, -1005)
    moved = await subs.get(-1005)
    assert moved.sources == {"gone-source"}
    assert await matched(redis, subs, item("x", source="gone-source")) == [-1005]
    assert await subs.remove_source(-1005, "gone-source")
    assert not await redis.exists("nb:idx:source:gone-source")


async def test_a_near_repeat_goes_to_its_sources_followers_alone(redis, subs):
    """A report of a known story that adds nothing reaches only the chats following its source
    (delivery then skips those the story already reached): they asked for every item of it."""
    from bot.matching import wanted_recent

    for chat in (1, 2, 3):
        await subs.touch(chat, "private")
    await subs.add_region(1, "Palestine")
    await subs.add_keyword(1, "Khan Younis")
    await subs.add_source(2, "b")
    await subs.add_source(3, "b")
    await subs.add_exclude(3, "Younis")
    repeat = item("Israeli strike on Khan Younis kills 3", ["Palestine"], source="b")
    repeat.update = repeat.repeat = True
    assert await matched(redis, subs, repeat) == [2]
    assert await matched(redis, subs, item("Israeli strike on Khan Younis kills 3", ["Palestine"], source="b")) == [
        1,
        2,
    ]
    assert [bool(wanted_recent(await subs.get(chat), [repeat.to_json()], 5)) for chat in (1, 2, 3)] == [
        False,
        True,
        False,
    ]
