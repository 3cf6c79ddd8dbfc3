"""Story clustering against a real Redis: the labelled set reaches the target through
`newsbot cluster`, hard negatives stay apart, updates are recognised, stories expire."""

from __future__ import annotations

import asyncio
import time

from cluster_eval import evaluate

from jobs.cluster import StoryClusterer, score, signature
from jobs.keys import Keys


def test_labelled_set_reaches_the_target():
    precision, recall, f1, _ = evaluate()
    assert precision >= 0.95 and f1 >= 0.90, (precision, recall, f1)


def test_hard_negatives_never_merge():
    pairs = [
        ("Israeli strike kills 5 in Gaza City", "Israeli strike kills 5 in south Lebanon"),
        ("Fed holds rates", "ECB holds rates"),
        ("Russia attacks Kiev", "Ukraine attacks Moscow"),
        ("Explosion heard in Tehran", "Explosion heard in Beirut"),
        ("Kenya protests turn deadly", "Nigeria protests turn deadly"),
        ("Strong earthquake hits Japan", "Strong earthquake hits Morocco"),
    ]
    for a, b in pairs:
        assert score(signature(a), signature(b)) == 0.0, (a, b)


async def test_three_outlets_one_story_and_an_update(redis):
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    first = await clusterer.assign("s1", "Israeli strike kills 5 in Gaza City", now)
    second = await clusterer.assign("s2", "Five killed as Israel bombs home in Gaza City", now + 60)
    third = await clusterer.assign("s3", "Israeli air strike on Gaza City house kills five Palestinians", now + 90)
    assert first.is_new and first.story == "s1"
    assert (second.story, second.is_new, second.adds_information) == ("s1", False, False)
    assert third.story == "s1" and not third.adds_information
    update = await clusterer.assign("s4", "Death toll from Israeli strike on Gaza City home rises to 9", now + 600)
    assert update.story == "s1" and update.adds_information
    other = await clusterer.assign("s5", "Israeli strike kills 5 in south Lebanon", now + 700)
    assert other.is_new and other.story == "s5"


async def test_stories_expire_with_the_window(redis):
    clusterer = StoryClusterer(redis, Keys("t:"), window=1)
    now = time.time()
    await clusterer.assign("a", "Strong earthquake hits Japan, tsunami warning issued", now)
    assert 0 < await redis.ttl("t:cl:sig:a") <= 1
    await asyncio.sleep(1.2)
    again = await clusterer.assign("b", "Japan earthquake triggers tsunami alert on west coast", now + 2)
    assert again.is_new and again.story == "b"
