"""Story clustering against a real Redis: a report joins a story only when it is the same event.

Each rule of issue 11 has its test: attribution prefixes are boilerplate (learned per source),
merging needs positive evidence, unknown places in place position veto, a place inside a city
is another event, stories are compared with their first reports only, a quiet story takes no
more reports, a joined report is dropped only when it adds nothing, and no lock is needed for
two instances to agree. The labelled sets are measured on their held-out half."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from cluster_eval import evaluate

from jobs.cluster import REPORTS_KEPT, StoryClusterer
from jobs.evidence import (
    FEATURES,
    evidence,
    launches_disagree,
    places_disagree,
    same_event,
    score,
    similarity,
    specifics_disagree,
    two_outlets,
)
from jobs.join_model import join_models
from jobs.keys import Keys
from jobs.placenames import place_id
from jobs.signature import Signature, signature, split_prefix
from jobs.vocabulary import stem

SL = "Al Mayadeen's correspondent in southern Lebanon:"  # the ticker's most frequent prefix
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "almayadeen" / "home.html"


def sig(text: str):
    prefix, body = split_prefix(text)
    return signature(body, attribution=prefix)


def test_held_out_half_stays_above_the_floor():
    """Floors a little under what the test half measured when the thresholds were set (README):
    a change that makes clustering worse on text it was not tuned on fails here."""
    result = evaluate("test")
    # fresh3.tsv (408 headlines, test only, added 2026-11-27) took the half from 0.907/0.555 to
    # 0.848/0.510: an honest figure is lower, not a reason to tune on it; 0.888/0.545 since the
    # rules learned from tune5.tsv and tune6.tsv (2026-11-28); with fresh4.tsv's test days (added
    # later that day) 0.866/0.572 before its tuning days were learned from, 0.859/0.579 after;
    # 0.879/0.668 with the join model (jobs/join_model.py, 2026-11-28, third session); 0.917/0.679
    # with the fourth session's rules (air vs ground, aftershocks, reactions, markets, aftermath);
    # with fresh5.tsv's test days (fresh, 2026-11-28, fifth session) the session's starting code
    # measured 0.895/0.672 and its end 0.874/0.706 (fresh5's test days alone 0.679/0.585 ->
    # 0.705/0.662; the other sets' test days 0.917/0.679 -> 0.891/0.710); with fresh6.tsv's test
    # days (sixth session, written from the issue by a helper while the session's rules were
    # made, added after them) the session's starting code measured 0.865/0.709 and its end
    # 0.864/0.708 (fresh6's test days alone 0.770/0.746 both); with fresh7.tsv's test days
    # (seventh session, written from the issue by a helper, its tune days learned from) the
    # session's starting code measured 0.866/0.688 and its end 0.865/0.697; with fresh8.tsv's
    # test days (eighth session, written by a helper from the issue; lines now fed in the order
    # of their instants) the starting code measured 0.868/0.680 and the end 0.867/0.678; with
    # fresh9.tsv's and fresh10.tsv's test days (ninth session, two sets written by helpers from
    # the issue; fresh10 arrived after most of the session's rules) the starting code measured
    # 0.825/0.657 and the end 0.829/0.657 (the two new sets' test days unchanged by the rules);
    # with fresh11.tsv's test days (tenth session, a helper's set from the issue, arrived after
    # the session's first rules) the starting code measured 0.816/0.636 and the end 0.823/0.633;
    # with fresh12.tsv's test days (eleventh session, a helper's set from the issue) the starting
    # code measured 0.826/0.637 and the end 0.827/0.639; with fresh14.tsv's and fresh15.tsv's
    # test days (thirteenth session, two helpers' sets from the issue: fresh14 labels a multi-phase
    # operation and a strike wave as one event, recall 0.305 on its test days) the starting code
    # measured 0.815/0.596 and the end 0.833/0.597; with fresh16.tsv's and fresh17.tsv's test days
    # (seventeenth session, helpers' sets from the issue; fresh17's tickers are Ukraine's, Sudan's,
    # Congo's and Myanmar's: 0.513/0.421 on its test days) the starting code measured 0.801/0.578
    # and the end 0.806/0.579; with fresh18.tsv's and fresh19.tsv's test days (eighteenth session,
    # helpers' sets from the issue, tickers away from the Middle East: 0.589/0.521 and
    # 0.714/0.181 on their own test days) the starting code measured 0.790/0.554 and the end 0.792/0.554;
    # with fresh20.tsv's (written by a helper after the session's rules: Karabakh, Tripoli, Iran,
    # Dhaka, Ecuador, Jammu; 0.481/0.352 whole with the starting code, 0.485/0.352 with the end)
    # the starting code measured 0.784/0.543 and the end 0.787/0.544; with fresh21.tsv's and
    # fresh22.tsv's test days (nineteenth session, helpers' sets: Congo, Ukraine, Haiti; Lebanon,
    # the West Bank, Iran; 0.259/0.468 and 0.478/0.697 on their own test days) the starting code
    # measured 0.700/0.548; with fresh23.tsv's (written by a helper after most of the session's
    # rules: Lebanon 2024, Pakistan, Nigeria, Donetsk and Kyiv, Gaza; 0.646/0.591 whole with the
    # starting code, 0.673/0.596 with the end) the starting code measured 0.691/0.549 and the end
    # 0.690/0.552; with fresh24.tsv's (twentieth session, a helper's set: India-Pakistan, Lebanon
    # 2024, Kordofan, Ukraine's south, Gaza's ceasefire, a day of tariff letters; 0.222/0.664 on
    # its own test days with the starting code) the starting code measured 0.632/0.556; with
    # fresh26.tsv's (twenty-first session, a helper's set: Gaza, Lebanon's first day of the wide
    # strikes, Goma, Sinaloa, Sumy, Yemen in January 2024; 0.838/0.600 on its own test days with
    # the starting code) the starting code measured 0.652/0.555 and the end 0.719/0.552; with
    # fresh28.tsv's (twenty-second session, a helper's set: Rafah in May 2024, the first US-UK
    # strikes on Yemen, Port Sudan's drones, Ukraine's 26 August 2024, Operation Sindoor, Goma;
    # 0.727/0.589 on its own test days with the starting code, 0.734/0.611 with the end) the
    # starting code measured 0.714/0.553 and the end 0.716/0.555; with fresh31.tsv's (twenty-third
    # session, a helper's set: the Thai-Cambodian border, Yafa's drone and Hodeidah, Tower 22, Doha,
    # Nepal's Gen Z protests, the Durand Line; 0.406/0.611 on its own test days with the starting
    # code) the starting code measured 0.690/0.557 and the end 0.730/0.534 (fresh31's test days
    # 0.478/0.584): the join models' thresholds now keep tuning precision at 0.90 (English) as
    # their rule asks, which trades a little recall for precision
    assert result.precision >= 0.70 and result.recall >= 0.51, (result.precision, result.recall)


def test_arabic_held_out_half_stays_above_the_floor():
    """The Arabic sets' test half (132 headlines): 1.000/0.478 with the hand bars, 1.000/0.543
    with the Arabic join model (2026-11-28), 1.000/0.587 with the Arabic place hierarchy and the
    fourth session's rules. With arabic4.tsv's test days (182 headlines, fifth session) the
    session's starting code measured 0.927/0.458 and its end 0.929/0.470 (arabic4's alone
    0.786/0.297 -> 0.800/0.324). With arabic5.tsv's test days (sixth session) the session's
    starting code measured 0.964/0.559 and its end, with the Arabic recall rules, 0.908/0.622.
    With arabic6.tsv's test days (seventh session, never tuned on) the session's starting code
    measured 0.893/0.610 and its end, with the Arabic precision rules, 0.929/0.665. With
    arabic7.tsv's test days (eighth session; lines in the order of their instants) the starting
    code measured 0.906/0.601 and the end 0.924/0.583. With arabic8.tsv's and arabic9.tsv's test
    days (ninth session) the starting code measured 0.875/0.554 and the end 0.878/0.567. With
    arabic10.tsv's test days (tenth session) the starting code measured 0.891/0.471 and the end
    0.889/0.471. With arabic11.tsv's (eleventh session) the starting code measured 0.899/0.477 and
    the end 0.895/0.483. With arabic13.tsv's (thirteenth session; 0.634/0.402 on its own test
    days, start and end) the starting code measured 0.863/0.478 and the end 0.864/0.482. With
    arabic14.tsv's (seventeenth session; 0.691/0.717 on its own test days, start and end) the
    starting code measured 0.847/0.495 and the end 0.847/0.496. With arabic15.tsv's (eighteenth
    session; 0.771/0.540 on its own test days at the start) the starting code measured
    0.842/0.498 and the end 0.842/0.498. With arabic16.tsv's (nineteenth session) the starting
    code measured 0.863/0.537 and the end 0.854/0.537. With arabic17.tsv's (twentieth session;
    Lebanon 2024, Gaza's ceasefire, the Red Sea, El Fasher, Sweida, Kurdistan's oil fields) the
    starting code measured 0.815/0.555. With arabic18.tsv's (twenty-first session; Gaza, the West
    Bank, Lebanon in 2024, Yemen, Hama's fall, Tripoli's clashes) the starting code measured
    0.813/0.566 and the end 0.815/0.566. With arabic19.tsv's (twenty-second session; the pagers,
    northern Gaza, Iran and Israel in June 2025, Port Sudan, the US strikes of February 2024, the
    Syrian coast; 0.637/0.720 on its own test days at the start) the starting code measured
    0.794/0.577: the floor follows the honest figure down. With arabic20.tsv's (twenty-third
    session; Nasrallah's killing, Gaza's 18 March 2025, Ben Gurion and Hodeidah, Damascus's fall,
    El Fasher's fall, Iran in October 2024; 0.236/0.538 on its own test days at the start) the
    starting code measured 0.695/0.574 and the end 0.759/0.581 (arabic20's test days
    0.340/0.516). With arabic22.tsv's (twenty-fourth session; Caesarea and the southern suburb,
    Nuseirat's rescue raid, Nur Shams, the US campaign on Yemen, Wad Madani, Iran's April 2024
    attack; 0.528/0.595 on its own test days at the start) the starting code measured
    0.736/0.582 (with arabic24.tsv's as well, 0.684/0.592); the Arabic join model retrained on
    the grown tuning half, its bar chosen by the fixed rule (best tuning F1 at tuning precision
    >= 0.87: 0.45), the end measured 0.739/0.569. Different events must stay apart."""
    arabic = sorted((Path(__file__).parent / "data" / "stories_ar").glob("*.tsv"))
    result = evaluate("test", arabic)
    assert result.precision >= 0.71 and result.recall >= 0.54, (result.precision, result.recall)


def test_hard_negatives_never_merge():
    pairs = [
        ("Israeli strike kills 5 in Gaza City", "Israeli strike kills 5 in south Lebanon"),
        ("Fed holds rates", "ECB holds rates"),
        ("Bank of Japan holds rates steady", "Swiss National Bank holds rates steady"),
        ("Russia attacks Kiev", "Ukraine attacks Moscow"),
        ("Explosion heard in Tehran", "Explosion heard in Beirut"),
        ("Kenya protests turn deadly", "Nigeria protests turn deadly"),
        ("Strong earthquake hits Japan", "Strong earthquake hits Morocco"),
        # same attribution, same template, different events
        (
            "Yemeni Armed Forces: we targeted the ship Ocean Pearl in the Red Sea with drones",
            "Yemeni Armed Forces: we targeted Jaffa with a hypersonic missile",
        ),
        (
            f"{SL} Israeli drone strike on a motorcycle in Aitaroun",
            f"{SL} Israeli artillery shelling on the outskirts of Deir Seryan",
        ),
        # same actor and area, different object
        ("Houthis say they hit a tanker in the Red Sea", "Houthis say they shot down a US drone"),
        ("US strikes on Hodeidah", "Houthis down a US drone"),
        # a city and a place inside it
        (
            "Israeli strike on a house in Khan Younis",
            "Israeli strike on tents in al-Mawasi west of Khan Younis",
        ),
        # one village, two things hit
        (
            f"{SL} An Israeli drone targeted a car in Aitaroun.",
            f"{SL} An Israeli drone targeted a motorcycle in Aitaroun.",
        ),
        ("Israeli strike on a house in Khan Younis kills 5", "Israeli strike on tents in Khan Younis kills 3"),
        # two tolls: the speakers' countries differ, and "2,119" is not "two"
        (
            "Lebanese Ministry of Health: The toll of the Israeli aggression has risen to 2,119 martyrs.",
            "Gaza Ministry of Health: The toll of the Israeli aggression has risen to 41,909 martyrs.",
        ),
        (
            "Lebanese Ministry of Health: The toll of the Israeli aggression has risen to 2,119 martyrs.",
            "Lebanese Ministry of Health: Two martyrs in the Israeli drone strike on a car near Qlayleh.",
        ),
        # a rewrite carries its report's figures
        ("Israeli strike kills 5 in south Lebanon", "One person was killed in an Israeli airstrike in south Lebanon"),
        # "near Baalbek" and "the Baalbek district" only say where the village is
        (
            "Bekaa correspondent: An Israeli strike targeted a house in the town of Douris, near Baalbek.",
            "Bekaa correspondent: Israeli warplanes struck near the Sheikh Abdallah barracks in Baalbek.",
        ),
        (
            "Lebanese Ministry of Health: 4 martyrs in the enemy strike on Douris in the Baalbek district.",
            "Bekaa correspondent: Israeli warplanes struck near the Sheikh Abdallah barracks in Baalbek.",
        ),
        # one event in two languages: no translation here, so two stories
        (
            "القوات المسلحة اليمنية: أسقطنا طائرة MQ-9 أمريكية فوق مأرب",
            "Houthis say they downed US MQ-9 drone over Marib",
        ),
        # two villages no gazetteer knows
        ("Israeli shelling hits the town of Ain Zakar", "Israeli shelling hits the town of Deir Kifa"),
    ]
    for a, b in pairs:
        assert not same_event(sig(a), sig(b)), (a, b)


def test_places_spelled_alike_are_not_one_place():
    """One consonant skeleton ("sd", "bt hn", "brn") covers several places the ticker names
    every day; only spellings of one place (alike, or listed in spellings.yaml) are one."""
    template = "An Israeli drone targeted a car in {}, killing two"
    for a, b in [
        ("Saida", "Saada"),
        ("Saida", "Suwayda"),
        ("Beit Hanoun", "Beit Hanina"),
        ("Hebron", "Burin"),
        ("Ramallah", "al-Rimal"),
        ("Daraa", "Daraya"),
        ("Dahiyeh", "Doha"),
        ("Haifa", "Hefei"),
    ]:
        assert not same_event(sig(template.format(a)), sig(template.format(b))), (a, b)
    for a, b in [
        ("Khan Younis", "Khan Yunis"),
        ("Hodeidah", "Hudaydah"),
        ("Beit Hanoun", "Beit Hanun"),
        ("Suwayda", "Sweida"),
        ("Nabatieh", "Nabatiyeh"),
        ("Shejaia", "Shujaiyya"),
    ]:
        assert same_event(sig(template.format(a)), sig(template.format(b))), (a, b)


def test_rewrites_with_evidence_merge():
    pairs = [
        ("Israeli strike kills 5 in Gaza City", "Five killed as Israel bombs home in Gaza City"),
        (
            f"{SL} An Israeli drone targeted a motorcycle in Aitaroun.",
            "Israeli drone strike on motorbike kills one in south Lebanon's Aitaroun, health ministry says",
        ),
        (
            "Yemeni Armed Forces: we shot down an American MQ-9 drone over Marib",
            "Houthis say they downed US MQ-9 over Marib",
        ),
        # an institution that decides a few times a year
        ("ECB cuts rates again, says policy is less restrictive", "European Central Bank cuts interest rates to 2.5%"),
        # one rare figure outweighs a place against an area
        (
            "Islamic Resistance in Lebanon: More than 320 Katyusha rockets were launched at the occupied Golan",
            "Hezbollah says it fired 320 rockets and drones at Israel in response to commander's killing",
        ),
        # a place one report names, the other writes as names
        (
            "Al Mayadeen correspondent in Syria: An Israeli force advanced into the village of Ain Ziwan.",
            "Syrian state media: An Israeli force of four military vehicles entered Ain Ziwan.",
        ),
        # what was hit, in other words
        ("Israeli strike on a house in Aitaroun", "Israeli drone hits a home in Aitaroun"),
    ]
    for a, b in pairs:
        assert same_event(sig(a), sig(b)), (a, b)


def test_a_place_and_the_same_place_as_a_reference_do_not_disagree():
    at = sig("Houthis claim missile attack on tanker Aegean Star off Hodeidah after UKMTO reports hit")
    near = sig("UKMTO: A vessel reported being struck by a projectile 68 nautical miles west of Hodeidah")
    elsewhere = sig("UKMTO: A vessel reported being struck by a projectile 68 nautical miles west of Aden")
    assert not places_disagree(at, near)
    assert places_disagree(at, elsewhere)


def test_prefix_place_is_an_area_and_its_words_are_not_the_event():
    s = sig("Al Mayadeen's correspondent in Gaza: Israeli strike on a house in Deir al-Balah")
    assert all(p.split(":")[1] != "gz" for p in s.places)
    assert any(a.split(":")[1] == "gz" for a in s.areas)
    assert not {"mayad", "corre"} & s.tokens


async def test_attribution_prefixes_are_learned_per_source(redis):
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    # "Kan" names no speaker: the first time it is part of the headline, from then on boilerplate
    await clusterer.assign("a", "Kan: Netanyahu will convene the security cabinet tonight", now, source="tick")
    assert float(await redis.zscore("t:cl:pfx:tick", "kan")) == 1
    assert (await clusterer._attribution("tick", "Kan: a second line about anything else"))[0] == "Kan"
    assert (await clusterer._attribution("wire", "Kan: a line from another source"))[0] == ""  # per source
    # a prefix naming a speaker is cut at once
    assert (await clusterer._attribution("new", "Channel 12: airspace closed at Ramon Airport"))[0] == "Channel 12"


async def test_a_template_day_stays_apart_and_rewrites_join(redis):
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    lines = [
        f"{SL} An Israeli drone targeted a motorcycle in the town of Aitaroun.",
        f"{SL} Israeli artillery shelling on the outskirts of Kfar Kila.",
        f"{SL} Israeli warplanes fired two missiles at the outskirts of Khiam.",
        f"{SL} An Israeli raid targeted a house in Houla.",
        f"{SL} Israeli drone strike on the town of Deir Seryan.",
    ]
    stories = [
        (await clusterer.assign(f"s{i}", line, now + 60 * i, source="tick")).story for i, line in enumerate(lines)
    ]
    assert len(set(stories)) == len(lines)
    rewrite = await clusterer.assign(
        "w", "Israeli drone strike on motorbike kills one in south Lebanon's Aitaroun", now + 400, source="wire"
    )
    assert rewrite.story == stories[0] and not rewrite.is_new
    assert rewrite.adds_information  # a death the ticker line did not have: threaded, not dropped


async def test_only_a_near_repeat_is_dropped(redis):
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    first = await clusterer.assign("s1", "Israeli strike kills 5 in Gaza City", now)
    repeat = await clusterer.assign("s2", "Five killed as Israel bombs home in Gaza City", now + 60)
    toll = await clusterer.assign("s3", "Death toll from Israeli strike on Gaza City home rises to 9", now + 600)
    assert first.is_new
    assert (repeat.story, repeat.adds_information) == ("s1", False)
    assert (toll.story, toll.adds_information) == ("s1", True)


async def test_a_report_joined_again_after_a_failed_publish_is_not_a_repeat_of_itself(redis):
    """The poller retries a poll whose publishing failed: a report that joined a story then is
    assigned again, and must get the same answer, not be dropped as a repeat of itself."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    await clusterer.assign("s1", "Israeli strike kills 5 in Gaza City", now)
    toll = "Death toll from Israeli strike on Gaza City home rises to 9"
    first = await clusterer.assign("s3", toll, now + 600)
    again = await clusterer.assign("s3", toll, now + 660)
    assert (first.story, first.adds_information) == ("s1", True)
    assert (again.story, again.is_new, again.adds_information) == ("s1", False, True)
    other = await clusterer.assign("s4", toll, now + 700)  # the same words from another report: a repeat
    assert (other.story, other.adds_information) == ("s1", False)


async def test_stories_keep_their_first_reports_not_a_union(redis):
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    titles = [
        "Israeli strike kills 5 in Gaza City",
        "Five killed as Israel bombs home in Gaza City",
        "Israeli air strike on Gaza City house kills five Palestinians",
        "Death toll from Israeli strike on Gaza City home rises to 9",
        "Gaza City: toll from strike on family home reaches 9",
    ]
    for i, title in enumerate(titles):
        await clusterer.assign(f"s{i}", title, now + i)
    stored = await redis.hgetall("t:cl:sig:s0")
    reports = sorted(k for k in stored if k.startswith("r"))
    assert reports == [f"r{i}" for i in range(REPORTS_KEPT)]
    assert json.loads(stored["r0"]) == sig(titles[0]).to_list()  # the first report is kept as it was


async def test_a_quiet_story_takes_no_new_report(redis):
    clusterer = StoryClusterer(redis, Keys("t:"), quiet=3 * 3600)
    now = time.time()
    await clusterer.assign("a", "Israeli strike kills 5 in Gaza City", now)
    soon = await clusterer.assign("b", "Five killed as Israel bombs home in Gaza City", now + 3600)
    late = await clusterer.assign("c", "Israeli strike on Gaza City home kills five", now + 3600 + 3 * 3600 + 60)
    assert soon.story == "a" and late.is_new


async def test_two_instances_opening_one_story_at_once_agree(redis):
    """No lock: opening re-checks the index keys in the same script, so a report that raced
    another is compared with it before it opens a story of its own."""
    now = time.time()
    for round_ in range(5):
        first, second = StoryClusterer(redis, Keys(f"r{round_}:")), StoryClusterer(redis, Keys(f"r{round_}:"))
        a, b = await asyncio.gather(
            first.assign("x", "Strong earthquake hits Japan's Hokkaido, tsunami warning issued", now),
            second.assign("y", "Strong earthquake strikes Hokkaido in Japan, tsunami warning", now),
        )
        assert a.story == b.story and a.is_new != b.is_new


async def test_one_polls_items_settle_together_and_still_meet_each_other(redis):
    """assign_many (a poll's new items in two round trips) agrees with one at a time: two
    reports of one event in the same batch are one story, a different event is not."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    await clusterer.assign("old", "Israeli strike kills 5 in Gaza City", now - 600)
    batch = [
        ("a", "Strong earthquake hits Japan's Hokkaido, tsunami warning issued", now, "wire"),
        ("b", "Five killed as Israel bombs home in Gaza City", now, "wire"),
        ("c", "Strong earthquake strikes Hokkaido in Japan, tsunami warning", now, "wire"),
        ("d", "Israeli shelling hits the town of Deir Kifa", now, "wire"),
    ]
    before = await _script_calls(redis)
    a, b, c, d = await clusterer.assign_many(batch)
    assert a.is_new and c.story == "a" and not c.is_new
    assert b.story == "old" and not b.is_new
    assert d.is_new and d.story == "d"
    # c met a's story in this process, not through a race reported by the opening script and a
    # round trip of its own: one call finds, one joins or opens, whatever the batch shares
    assert await _script_calls(redis) - before == 2


async def test_a_poll_of_one_template_opens_its_stories_in_one_call(redis):
    """Reports of one batch that share index keys (one ticker's template about ten villages) are
    compared with each other before the opening script runs, so none is settled on its own."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    villages = ["Aitaroun", "Yaroun", "Blida", "Mays al-Jabal", "Houla", "Odaisseh", "Kfar Kila", "Khiam"]
    template = "Israeli drone strikes a car in the town of {}"
    batch = [(f"v{i}", template.format(v), now, "ticker") for i, v in enumerate(villages)]
    batch.append(("again", "Israeli drone strikes a car in Aitaroun, one martyr", now, "ticker"))
    before = await _script_calls(redis)
    out = await clusterer.assign_many(batch)
    assert await _script_calls(redis) - before == 2
    assert [a.story for a in out[:-1]] == [f"v{i}" for i in range(len(villages))]  # eight events
    assert out[-1].story == "v0" and out[-1].adds_information  # the Aitaroun strike, with its toll


async def _script_calls(redis) -> int:
    stats = await redis.info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k.startswith("cmdstat_evalsha") or k == "cmdstat_eval")


def test_story_quiet_reads_durations_and_refuses_nonsense():
    from bot.config import ConfigError, Settings

    assert Settings.from_env({}).story_quiet == 3 * 3600
    assert Settings.from_env({"NEWSBOT_STORY_QUIET": "45m"}).story_quiet == 45 * 60
    assert Settings.from_env({"NEWSBOT_STORY_QUIET": "600"}).story_quiet == 600
    for bad in ("soon", "10s", "9d"):
        with pytest.raises(ConfigError, match="NEWSBOT_STORY_QUIET"):
            Settings.from_env({"NEWSBOT_STORY_QUIET": bad})


def _cluster_cli(lines: list[dict]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "cluster"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line)["story"] for line in out.stdout.splitlines()]


def test_cli_reads_published_times():
    base = [
        {"source": "a", "title": "Sirens sound in Kiryat Shmona", "published": "2026-03-01T08:10:00+00:00"},
        {
            "source": "b",
            "title": "Sirens sounded in Kiryat Shmona, Hebrew media say",
            "published": "2026-03-01T08:14:00Z",
        },
        {"source": "a", "title": "Sirens sound in Kiryat Shmona", "published": "2026-03-01T19:40:00+00:00"},
        {"source": "c", "title": "Sirens sound in Kiryat Shmona again", "published": "not a time"},
    ]
    stories = _cluster_cli(base)
    assert stories[0] == stories[1]  # minutes apart: one event
    assert stories[2] not in stories[:2]  # the same words eleven quiet hours later: another
    assert len(stories) == 4  # a bad time is read as the common instant, never a crash


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_the_seed_tickers_ten_lines_are_ten_events():
    lines = re.findall(r'ticker__text">(.*?)<', CORPUS.read_text(encoding="utf-8"))
    assert len(lines) == 10
    stories = _cluster_cli([{"source": "almayadeen", "title": line} for line in lines])
    assert len(set(stories)) == 10


def test_arabic_reports_follow_the_same_rules():
    """Arabic headlines are folded (diacritics, alef forms, digits), their attribution prefixes
    are boilerplate, glued letters ('بخان يونس') do not hide a place, and the template day of a
    ticker still stays apart."""
    sl = "مراسل الميادين في جنوب لبنان:"
    assert split_prefix(f"{sl} مسيّرة إسرائيلية تستهدف سيارة في بنت جبيل")[0] == sl[:-1]
    apart = [
        (f"{sl} مسيّرة إسرائيلية تستهدف سيارة في بنت جبيل", f"{sl} مسيّرة إسرائيلية تستهدف سيارة في عيتا الشعب"),
        (
            "القوات المسلحة اليمنية: استهدفنا سفينة في البحر الأحمر",
            "القوات المسلحة اليمنية: استهدفنا يافا بصاروخ فرط صوتي",
        ),
    ]
    for a, b in apart:
        assert not same_event(sig(a), sig(b)), (a, b)
    together = [
        (
            "غارة إسرائيلية على منزل في خان يونس تقتل ٥ فلسطينيين",
            "استشهاد 5 فلسطينيين بغارة إسرائيلية على منزل بخان يونس",
        ),
        (f"{sl} مسيّرة إسرائيلية تستهدف سيارة في بنت جبيل", "استشهاد شخص في غارة إسرائيلية على سيارة في بنت جبيل"),
    ]
    for a, b in together:
        assert same_event(sig(a), sig(b)), (a, b)


def test_arabic_areas_and_places_ignore_glued_letters_and_spacing():
    """ "بالضفة الغربية" is the West Bank, the speaker of "الصحة بغزّة:" is in Gaza, and Khan
    Younis written as one word ("خانيونس") is the town written as two: the keys agree, so a
    rewrite is not taken for an event somewhere else."""
    assert sig("مقتل ٩ فلسطينيين في عملية إسرائيلية بالضفة الغربية").areas == {"Palestine:الضفه الغربيه"}
    prefix, body = split_prefix("الصحة بغزّة: حصيلة الشهداء ترتفع إلى ٤٠١٧٣")
    assert signature(body, attribution=prefix).areas == {"Palestine:غزه:p"}
    one, two = sig("٤ شهداء بقصف منزلاً في خانيونس"), sig("شهداء في قصف منزل في خان يونس")
    assert {p.split(":")[1] for p in one.places} == {p.split(":")[1] for p in two.places} == {"خان يونس"}
    assert not places_disagree(one, two)


def test_arabic_areas_nest_as_english_ones_do():
    """place_parents.yaml's Arabic layer: the south of the Gaza Strip lies in the Strip and
    "الضفة" is the West Bank, so those need not be two events; the north and the south of Gaza
    are two, and so are a house in Khan Younis and the tents of al-Mawasi beside it."""
    nested = [
        ("مقتل جندي في معارك جنوب قطاع غزة", "مقتل جندي في معارك في قطاع غزة"),
        ("قوات الاحتلال تقتحم بلدات في الضفة", "قوات الاحتلال تقتحم بلدات في الضفة الغربية"),
    ]
    for a, b in nested:
        assert not places_disagree(sig(a), sig(b)), (a, b)
    apart = [
        ("قصف مدفعي على شمال غزة", "قصف مدفعي على جنوب غزة"),
        ("غارة إسرائيلية على منزل في خان يونس", "غارة إسرائيلية على خيام النازحين في المواصي"),
    ]
    for a, b in apart:
        assert places_disagree(sig(a), sig(b)), (a, b)


def test_arabic_villages_the_gazetteer_lacks_keep_events_apart():
    """Arabic has no capitals: a name after a place noun ("بلدة", "مستعمرة", "أطراف بلدة") is a
    specific place, so one template about two unknown villages is two alerts, while a rewrite
    naming the same village, or a camp written with or without "مخيم", is one story."""
    ir = "المقاومة الإسلامية في لبنان:"
    lines = [
        f"{ir} دمّرنا دبابة ميركافا بصاروخ موجّه في محيط بلدة دبعال",
        f"{ir} دمّرنا دبابة ميركافا ثانية بصاروخ موجّه عند أطراف بلدة عين قانا",
        "حزب الله يعلن تدمير دبابة ميركافا بصاروخ موجّه في محيط بلدة دبعال",
        f"{ir} استهدفنا تجمعاً لجنود العدو في مستعمرة شلومي بصلية صاروخية",
        f"{ir} استهدفنا تجمعاً لجنود العدو في مستعمرة زرعيت بصلية صاروخية",
        "شهداء في قصف إسرائيلي على منزل لعائلة الكحلوت في مخيم جباليا",
        "انتشال شهداء من تحت أنقاض منزل عائلة الكحلوت في جباليا",
        "قصف مدفعي إسرائيلي على أطراف جباليا البلد",
    ]
    stories = _cluster_cli([{"source": "almayadeen-ar", "title": line} for line in lines])
    assert stories[0] != stories[1]  # two villages, one template
    assert stories[2] == stories[0]  # a rewrite about the same village
    assert stories[3] != stories[4]  # two settlements, one template
    assert stories[5] == stories[6]  # Jabalia camp is Jabalia
    assert stories[7] not in (stories[5], stories[1])  # Jabalia al-Balad is not the camp


def test_who_was_hit_and_what_was_answered_keep_events_apart():
    """Soldiers and civilians killed are two events whatever figure both give; a weapon's type
    and number ("a Yassin 105 shell") are every other line of one ticker, not evidence; the place
    a statement answers ("in response to the attack on X") is not where it happened."""
    apart = [
        (
            "Family of three killed in Israeli strike on home in Jabalia",
            "Three soldiers killed in battles in southern Gaza",
        ),
        (
            "Al-Qassam Brigades: We targeted a Merkava tank with a Yassin 105 shell east of Beit Hanoun",
            "Al-Qassam Brigades: We targeted a Merkava tank with a Yassin 105 shell in the Tuffah neighbourhood",
        ),
        (
            "Islamic Resistance in Lebanon: We targeted Shlomi with rockets in response to the attack on Mays al-Jabal",
            "Israeli air raid on a house in Mays al-Jabal wounds two",
        ),
    ]
    for a, b in apart:
        assert not same_event(sig(a), sig(b)), (a, b)
    together = [
        ("Two soldiers killed in Rafah, army says", "Israeli army says two soldiers killed in southern Gaza's Rafah"),
    ]
    for a, b in together:
        assert same_event(sig(a), sig(b)), (a, b)


def test_arabic_districts_references_and_speakers():
    """ "قضاء النبطية" is the district, not the town; "غرب رفح" says where a place is; Beirut's
    southern suburb is as coarse as a city; a correspondent's "في غزة:" is not agreement; the
    site of a strike ("موقع الغارة") is no village."""
    gaza = "مراسل الميادين في غزة:"
    apart = [
        ("غارة إسرائيلية على بلدة زوطر في قضاء النبطية", "غارة إسرائيلية على مدينة النبطية"),
        (
            f"{gaza} شهداء برصاص الاحتلال قرب مركز المساعدات شمال خان يونس",
            f"{gaza} شهداء برصاص الاحتلال قرب نقطة المساعدات على محور نتساريم",
        ),
        (
            "إنذار إسرائيلي بإخلاء مبنى في الضاحية الجنوبية لبيروت",
            "غارة إسرائيلية على منطقة الغبيري في الضاحية الجنوبية لبيروت",
        ),
    ]
    for a, b in apart:
        assert not same_event(sig(a), sig(b)), (a, b)
    assert not sig("الدفاع المدني: رفع الأنقاض في موقع الغارة على مبنى البلدية").places


async def test_a_batch_that_loses_the_race_for_its_own_new_story_still_lands_every_report(redis):
    """r2 plans to join the story r1 is about to open; another instance opens that event under the
    same keys in between, so r1's opening fails and r2's join finds no story: both go through
    find and settle again, together (two calls, not two per report), and join the other
    instance's story. Nothing is dropped or split."""
    keys = Keys("t:")
    a, b = StoryClusterer(redis, keys), StoryClusterer(redis, keys)
    now = time.time()
    find = a._find

    async def find_then_race(**kwargs):
        a._find = find  # one race
        found = await find(**kwargs)
        await b.assign("other", "Israeli drone strikes a car in Aitaroun, two killed", now)
        return found

    a._find = find_then_race
    before = await _script_calls(redis)
    r1, r2 = await a.assign_many(
        [
            ("r1", "Israeli drone strikes a car in Aitaroun, two killed", now, "ticker"),
            ("r2", "Two killed as Israeli drone hits car in south Lebanon's Aitaroun", now, "wire"),
        ]
    )
    assert r1.story == r2.story == "other" and not r1.is_new and not r2.is_new
    # find, the other instance's find and open, settle; then find and settle again for both
    assert await _script_calls(redis) - before == 6


async def test_a_paraphrase_joins_from_another_source_not_from_the_same_one(redis):
    """Nothing specific shared (no town, name or figure): outlets rewrite each other all day,
    while one source seldom says the same thing twice in other words; the bar is lower for a
    rewrite by another source, and a source's own similar line stays a story of its own."""
    now = time.time()
    first, other = "China holds military drills around Taiwan", "Beijing launches war games around Taiwan"
    assert not same_event(sig(first), sig(other))  # sources unknown: the near-paraphrase bar
    for source, joins in (("afp", True), ("reuters", False)):
        clusterer = StoryClusterer(redis, Keys(f"t:{source}:"))
        opened = await clusterer.assign("s1", first, now, source="reuters")
        later = await clusterer.assign("s2", other, now + 300, source=source)
        assert opened.is_new and (later.story == "s1") is joins, source


async def test_the_join_model_finds_rewrites_under_the_similarity_bar(redis):
    """Outlets' rewrites that share no place, name or figure and fall under the rewrite bar's
    similarity (0.33-0.40): the join model (jobs/join_model.py), weighing how much of the shorter
    headline the other covers, how long both are and how far apart in time, joins them minutes
    apart; hours apart, or one source's own such lines, they stay two stories."""
    now = time.time()
    rewrites = [
        (
            "Australia announces social media ban for children",
            "Australian parliament passes social media ban for under-16s",
        ),
        ("COP summit agrees climate finance deal", "Climate talks end with finance deal for poorer nations"),
    ]
    for n, (first, other) in enumerate(rewrites):
        for source, delay, joins in (("afp", 300, True), ("afp", 7200, False), ("reuters", 300, False)):
            clusterer = StoryClusterer(redis, Keys(f"t:{n}:{source}:{delay}:"))
            opened = await clusterer.assign("s1", first, now, source="reuters")
            later = await clusterer.assign("s2", other, now + delay, source=source)
            assert opened.is_new and (later.story == "s1") is joins, (first, source, delay)


def test_two_central_banks_are_two_decisions_whatever_the_outlets_call_them():
    """A wire writes "Sweden's central bank", another "the Riksbank"; "Norges Bank" is another
    bank: as two outlets' rewrites sharing words ("key rate", "cut"), only the names tell them
    apart (jobs/data/synonyms.yaml, entities)."""

    def wire(text: str, source: str):
        return replace(sig(text), source=source)

    sweden = wire("Sweden's central bank cuts key rate to 2.5%, signals slower easing", "reuters")
    assert same_event(sweden, wire("Riksbank cuts key rate to 2.5%", "afp"))
    assert not same_event(sweden, wire("Norges Bank keeps key rate steady, eyes first cut in 2025", "afp"))
    assert same_event(
        wire("BOJ holds policy steady, signals no rush to raise rates", "reuters"),
        wire("Japan's central bank leaves rates unchanged", "afp"),
    )


def test_the_join_model_file_reads_the_features_the_code_computes():
    """The model file names its features in order; a feature added to jobs/evidence.py without
    retraining (tests/train_join_model.py) would weigh one measure by another's weight."""
    models = join_models()
    assert "en" in models
    for model in models.values():
        assert model.features == FEATURES
        assert len(model.mean) == len(model.scale) == len(model.weights) == len(FEATURES)
        assert 0.0 < model.threshold < 1.0


def test_scores_and_decimals_are_one_figure_each():
    """'3-1' is not '3-0' and a 6.1 quake is not '6 killed': the digits alone would agree."""
    assert sig("Rangers stun Fenerbahce 3-1 in Istanbul").numbers == {"3-1"}
    assert sig("Magnitude 6.1 quake hits Peru, 6 hurt").numbers == {"6.1", "6"}
    assert sig("BoE keeps rate at 4.5% in 8–1 vote").numbers == {"4.5", "8-1"}
    assert not same_event(
        sig("Tottenham lose 1-0 at AZ Alkmaar in Europa League last 16"),
        sig("Bodo/Glimt thrash Olympiacos 3-0 in Europa League last 16"),
    )
    assert same_event(sig("Real Madrid beat Dortmund 3-2 in thriller"), sig("Dortmund lose 3-2 to Real Madrid"))


def test_a_second_strike_is_another_event_than_the_first():
    """The ticker's own word: "for the second time", "a second airstrike", "second round"."""
    first = "Islamic Resistance in Iraq: We targeted a military base in the occupied Golan with drones"
    again = f"{first} for the second time"
    assert sig(again).nth == "2" and sig(first).nth == ""
    assert not same_event(sig(first), sig(again))
    assert not same_event(
        sig("Merz fails to win chancellor vote in first Bundestag ballot"),
        sig("Merz elected chancellor in second round"),
    )
    srifa = "Al Mayadeen correspondent in southern Lebanon: A second Israeli airstrike targeted Srifa"
    assert same_event(sig(srifa), sig("Second Israeli air strike hits south Lebanon's Srifa"))


def test_a_place_inside_another_is_about_the_inner_one():
    """jobs/data/place_parents.yaml says which place lies in which. Naming the outer place
    beside the inner one pins nothing; naming only the outer one agrees with the inner one
    when a figure or a name does, else they are two events."""
    assert same_event(
        sig("Two Israelis wounded in a shooting attack at the Huwara checkpoint"),
        sig("Shooting attack near Nablus wounds two Israeli settlers"),
    )
    assert not same_event(sig("Israeli drone strikes a house in Huwara"), sig("Israeli drone strikes a car in Nablus"))
    assert not same_event(
        sig("Rocket hits a house in Kiryat Yam near Haifa, two hurt"), sig("Rocket hits Haifa port, four hurt")
    )
    assert not same_event(
        sig("Israeli strike on tent in Khan Yunis's al-Mawasi 'safe zone' kills three"),
        sig("Al Mayadeen correspondent in Gaza: Israeli artillery shells the eastern areas of Khan Younis city"),
    )
    # a second name of one place (Umm al-Rashrash is Eilat) is the same place
    assert same_event(
        sig("Yemeni Armed Forces: We targeted occupied Umm al-Rashrash with a drone"),
        sig("Drone from Yemen hits Eilat"),
    )


def test_a_storms_kind_is_not_its_name_and_the_euro_zone_is_an_area():
    assert not same_event(
        sig("Shanghai restores services after Typhoon Bebinca"),
        sig("Typhoon Pulasan makes landfall in Shanghai, second storm in a week"),
    )
    uk, euro = "UK inflation holds at 2.2% in August", "Euro zone inflation confirmed at 2.2% in August"
    assert not same_event(sig(uk), sig(euro))


async def test_an_aftershock_does_not_join_the_quake_through_a_report_without_magnitude(redis):
    """A magnitude is what no later report changes: one report of the story that gives another
    keeps the aftershock out, though it resembles a report that gives none."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    quake = await clusterer.assign("q", "Magnitude 7.7 earthquake strikes central Myanmar, USGS says", now, "reuters")
    rocks = await clusterer.assign("r", "Powerful earthquake rocks Myanmar and Thailand", now + 120, "ap")
    aftershock = "Magnitude 6.4 aftershock hits Myanmar minutes after major quake"
    after = await clusterer.assign("a", aftershock, now + 600, "afp")
    mandalay = await clusterer.assign("m", "Myanmar earthquake: strong 7.7 quake hits near Mandalay", now + 900, "bbc")
    assert quake.is_new and rocks.story == "q" and mandalay.story == "q"
    assert after.is_new
    assert sig("A 6.1-magnitude quake jolts Peru").numbers == {"6.1"}


def test_arabic_targets_victims_and_repeats_keep_events_apart():
    """What was hit, who was hit and "for the second time" read in Arabic as in English
    (synonyms.yaml objects_ar/victims_ar, by light stem: glued prefixes and all)."""
    sl = "مراسل الميادين في جنوب لبنان:"
    car = sig(f"{sl} غارة من مسيّرة إسرائيلية على سيارة عند مدخل مدينة النبطية")
    assert "car" in car.tokens
    assert not same_event(car, sig(f"{sl} غارة من مسيّرة على دراجة نارية في مدينة النبطية"))
    assert not same_event(
        sig("غزة: شهداء في قصف إسرائيلي على منزل في مخيّم النصيرات"),
        sig("غزة: الاحتلال يستهدف مدرسة تؤوي نازحين في مخيم النصيرات"),
    )
    soldiers, civilians = "استشهاد ثلاثة جنود في قصف على موقع في يارين", "استشهاد ثلاثة مدنيين في قصف على يارين"
    assert not same_event(sig(soldiers), sig(civilians))
    claim = "المقاومة الإسلامية في لبنان: استهدفنا تجمعاً لجنود العدو في مستعمرة المطلة بصلية صاروخية"
    again = "المقاومة الإسلامية في لبنان: استهدفنا للمرة الثانية تجمعاً لجنود العدو في مستعمرة المطلة"
    assert sig(again).nth == "2" and not same_event(sig(claim), sig(again))
    assert same_event(car, sig("غارة إسرائيلية بمسيرة على السيارة عند مدخل النبطية"))


def test_arabic_targets_read_as_the_english_ones():
    """The targets English names read in Arabic too: a tent of the displaced and a house in one
    town are two strikes, as a military vehicle and a house are; a market, a tank, a port, an
    airport and a gathering of soldiers are targets of their own."""
    gaza = "مراسل الميادين في غزة:"
    house = sig(f"{gaza} قصف إسرائيلي على منزل في بلدة الزوايدة")
    tent = sig(f"{gaza} شهيدان في استهداف خيمة نازحين في الزوايدة")
    assert "tent" in tent.tokens and not same_event(house, tent)
    vehicle = sig("الجيش اللبناني: استشهاد عسكري في استهداف إسرائيلي لآلية عسكرية على طريق بلدة ياطر")
    assert "car" in vehicle.tokens and not same_event(vehicle, sig("غارة إسرائيلية على منزل في بلدة ياطر"))
    words = {"سوقاً شعبية": "market", "دبابة ميركافا": "tank", "الميناء": "port", "مطار صنعاء": "airport"}
    for written, kind in words.items():
        assert kind in sig(f"استهداف {written}").tokens, written
    assert "gathering" in sig("استهدفنا تجمعاً لجنود العدو").tokens


async def test_a_story_pinned_to_one_village_takes_no_report_pinned_to_another(redis):
    """A vaguer rewrite joins a story about Shujaiya; a report about Zeitoun then resembles the
    rewrite, but the story's first report names another neighbourhood: kept out."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    await clusterer.assign("s", "Israeli airstrike on a house in Shujaiya kills 5", now, "tick")
    vague = await clusterer.assign("v", "Five killed in Israeli strike on Gaza City house", now + 60, "wire")
    zeitoun = await clusterer.assign("z", "Israeli airstrike on a house in Zeitoun kills 5", now + 120, "tick")
    assert vague.story == "s" and zeitoun.is_new
    # the rewrite alone would take it: the story's first report keeps it out
    assert same_event(sig("Five killed in Israeli strike on Gaza City house"), sig("Israeli strike on Zeitoun kills 5"))


async def test_a_dateline_is_the_speakers_place_and_the_areas_a_line_names_decide(redis):
    """'Iraq:' leads every line filed from Iraq, the first one too; "east of Rafah" and "east of
    Khan Younis" from one correspondent in Gaza are two places."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    sinjar = await clusterer.assign("s", "Iraq: A Turkish drone strike targets a car in Sinjar district", now, "tick")
    camp = await clusterer.assign("m", "Iraq: A Turkish drone strike targets the Makhmour camp", now + 60, "tick")
    assert sinjar.is_new and camp.is_new
    rafah = sig("Al Mayadeen correspondent in Gaza: A citizen martyred by IOF gunfire east of Rafah")
    khan = sig("Al Mayadeen correspondent in Gaza: A citizen injured by IOF gunfire east of Khan Younis")
    assert places_disagree(rafah, khan)


def test_another_strike_agrees_with_any_ordinal():
    """'Another strike' says a series without saying which of it: it agrees with 'a second
    strike' (one event told two ways), while 'second' and none stay apart."""
    assert sig("Another Israeli strike targeted Mar Elias street in western Beirut").nth == "*"
    assert same_event(
        sig("Another Israeli strike targeted Mar Elias street in western Beirut"),
        sig("Second Israeli strike in western Beirut hits Mar Elias street"),
    )


def test_a_follow_up_shares_its_cause_in_words_only_at_half_weight():
    """ "After the Fed's rate cut", "in response to the Ankara attack": the clause names the
    event this one follows; its words say less of this one."""
    markets = sig("Wall Street ends lower in choppy trade after big rate cut")
    assert {"cut", "rat"} <= markets.context and "wall" not in markets.context
    cut = sig("Central bank makes big rate cut in choppy market")
    plain = sig("Wall Street ends lower in choppy trade with big rate cut")
    assert similarity(markets, cut) < similarity(plain, cut)
    after = "Five killed after Israeli strike on a house in Jabalia"
    assert same_event(sig(after), sig("Israeli strike on a house in Jabalia kills 5"))


def test_an_arabic_village_written_plain_in_the_other_report_agrees():
    """The ticker names the village after "بلدة"; the ministry's toll names it bare ("على جويا").
    Arabic has no capitals: the word itself says it is the same village. "و٥" is five."""
    strike = sig("مراسل الميادين في جنوب لبنان: غارة إسرائيلية على منزل في بلدة جويا في قضاء صور")
    toll = sig("وزارة الصحة اللبنانية: ٣ شهداء و٥ جرحى في الغارة الإسرائيلية على جويا")
    assert {"3", "5"} <= toll.numbers
    assert same_event(strike, toll)
    assert not same_event(strike, sig("وزارة الصحة اللبنانية: ٣ شهداء و٥ جرحى في الغارة الإسرائيلية على صريفا"))


def test_an_arabic_ministry_named_short_is_a_speaker():
    """ "الصحة اللبنانية:" is the Lebanese health ministry speaking, not a Lebanese actor that
    disagrees with an Israeli strike's actor."""
    strike = sig("غارة إسرائيلية تستهدف منزلاً في بلدة جويا جنوب لبنان")
    toll = sig("الصحة اللبنانية: ارتفاع ضحايا الغارة على جويا إلى 3 قتلى و5 مصابين")
    assert toll.actors == frozenset() and score(strike, toll) > 0


def test_an_arabic_tickers_two_speakers_are_two_outlets():
    """An Arabic ticker relays others, each line led by whom it quotes: a group's claim and
    Israeli media's report of it are two outlets' reports of one event, though one ticker files
    both. Its own correspondent's lines are the ticker's own, and one speaker named in full and
    short is one speaker; English tickers are left as they were."""

    def line(text: str) -> Signature:
        return replace(sig(text), source="almayadeen")

    claim = line("سرايا القدس: فجرنا عبوة ناسفة بآلية عسكرية لجيش الاحتلال")
    media = line("إعلام إسرائيلي: إصابة جنديين بانفجار عبوة ناسفة بآلية عسكرية في جنين")
    assert two_outlets(claim, media) and same_event(claim, media)
    own = line("مراسل الميادين في جنوب لبنان: غارة إسرائيلية على منزل في بلدة عيترون")
    toll = line("وزارة الصحة اللبنانية: شهيدان في غارة إسرائيلية على منزل في بلدة عيترون")
    assert own.speaker == "" and not two_outlets(own, toll)
    assert not two_outlets(toll, line("الصحة اللبنانية: ارتفاع عدد شهداء غارة عيترون إلى 3"))
    english = [line("IOF Spokesperson: a soldier was wounded"), line("Hebrew media: a soldier was wounded")]
    assert not two_outlets(*english)


def test_a_city_under_its_russian_name_is_the_city():
    """Russian sources keep a Ukrainian city's Soviet name ("خاركوف", "دنيبروبيتروفسك"), Ukrainian
    and most Arab ones its own ("خاركيف", "دنيبرو"): one place, not two that disagree."""
    kharkiv = sig("قتيلان في قصف روسي على مدينة خاركيف")
    kharkov = sig("مسيرات روسية تضرب محطة كهرباء في خاركوف")
    assert kharkiv.places and {p.split(":")[1] for p in kharkov.places} == {p.split(":")[1] for p in kharkiv.places}
    assert score(kharkiv, kharkov) > 0
    dnipro = sig("هجوم صاروخي روسي على دنيبرو")
    assert same_event(dnipro, sig("موسكو تعلن ضرب مصنع عسكري في دنيبروبيتروفسك بصواريخ"))
    assert not same_event(dnipro, kharkov)


def test_an_arabic_claim_on_the_golan_is_not_one_on_eilat():
    """One claim template about two targets: "الجولان المحتل" is the Golan, an area the hierarchy
    knows the towns of, and Eilat lies in the Negev, not in it; so two claims, as a claim on
    Baalbek and one on south Lebanon are. A town of the Golan lies in it."""
    irq = "المقاومة الإسلامية في العراق: استهدفنا بالطيران المسيّر هدفاً حيوياً في"
    golan, eilat = sig(f"{irq} الجولان المحتل"), sig(f"{irq} أم الرشراش (إيلات) المحتلة")
    assert places_disagree(golan, eilat) and not same_event(golan, eilat)
    assert {a.split(":")[1] for a in golan.areas} == {a.split(":")[1] for a in sig("قصف على الجولان").areas}
    assert not places_disagree(golan, sig("سقوط صاروخ على ملعب في مجدل شمس بالجولان"))


def test_an_arabic_vow_or_blame_is_a_statement_not_the_event():
    """ "لن يمر دون رد" (will not go unanswered), "سيدفع الثمن", "نحمّل ... المسؤولية", "يتوعد",
    "ندين": a statement about the strike, news of its own, as "vows response" is in English. A
    toll with it still reports the event; "بتهم جرائم حرب" names an arrest warrant's charges."""
    raid = sig("مراسل الميادين في الحديدة: غارات إسرائيلية تستهدف ميناء الحديدة")
    for said in (
        "العدوان على الحديدة لن يمرّ دون ردّ",
        "العدو الإسرائيلي سيدفع الثمن غالياً على عدوانه على الحديدة",
        "نحمّل الاحتلال المسؤولية الكاملة عن العدوان على الحديدة",
        "الحوثيون يتوعدون إسرائيل بعد الغارات على الحديدة",
        "نُدين العدوان الإسرائيلي على الحديدة",
    ):
        statement = sig(said)
        assert "condemn" in statement.tokens, said
        assert not same_event(raid, statement), said
    assert "condemn" not in sig("الجنائية الدولية تصدر أمري اعتقال ضد نتنياهو وغالانت بتهم جرائم حرب").tokens
    toll = sig("وزارة الصحة اليمنية: 6 شهداء في العدوان على الحديدة ونحمّل العدو المسؤولية")
    assert same_event(sig("وزارة الصحة اليمنية: ارتفاع حصيلة العدوان على الحديدة إلى 6 شهداء"), toll)


def test_an_arabic_order_to_evacuate_areas_is_not_a_strike_there():
    """ "أوامر إخلاء" for whole neighbourhoods is news of its own, not a strike in the town the same
    hour; two reports of the order are one. A warning to leave one building is the first report
    of the strike on it, and so is an order "ahead of bombing"."""
    order = sig("المتحدث باسم جيش الاحتلال يصدر أوامر إخلاء جديدة لأحياء شرق دير البلح")
    strike = sig("شهداء بقصف مسيرة إسرائيلية سيارة في مدينة دير البلح")
    assert score(order, strike) == 0
    assert same_event(
        sig("الجيش الإسرائيلي يأمر بإخلاء مناطق في القرارة وبني سهيلا شرقي خان يونس"),
        sig("الناطق باسم جيش الاحتلال: أوامر إخلاء جديدة لسكان القرارة وبني سهيلا شرق خان يونس"),
    )
    building = sig("الجيش الإسرائيلي يأمر بإخلاء مبنى في حارة حريك تمهيداً لقصفه")
    assert score(building, sig("غارة إسرائيلية تدمر المبنى المهدد في حارة حريك")) > 0


def test_arabic_artillery_is_fired_from_the_ground_not_the_air():
    """ "قصف مدفعي" (an artillery barrage) and "غارة" (an airstrike) on one camp are two attacks,
    as a drone strike and a raid by troops are; bare "قصف" says neither way."""
    artillery = sig("مراسل الميادين في غزة: قصف مدفعي على مخيم جباليا")
    assert artillery.mode == "ground" and sig("قصف المدفعية الإسرائيلية على أطراف بلدة الخيام").mode == "ground"
    assert not same_event(artillery, sig("قتلى وجرحى في غارة على منزل بجباليا شمالي غزة"))
    assert sig("قصف إسرائيلي على مخيم جباليا").mode == ""


def test_an_arabic_strike_without_warning_is_not_the_warned_one():
    """ "غارة ... من دون إنذار مسبق" is not the strike that followed a warning to leave, nor the
    warning, in the same town; nor is the strike on "the threatened building" the warning itself
    (twenty-fourth session: the strike is news of its own, an alert, as the newer Arabic sets
    label it); two unwarned strikes are not kept apart by this."""
    sl = "مراسل الميادين في جنوب لبنان:"
    unwarned = sig(f"{sl} غارة إسرائيلية أخرى على حي الحوش في صور من دون إنذار مسبق")
    warned = sig(f"{sl} غارة إسرائيلية على المبنى المهدَّد في مدينة صور")
    warning = sig("المتحدث باسم جيش الاحتلال يوجّه إنذاراً لسكان مبنى في مدينة صور ومحيطه بالإخلاء الفوري")
    assert score(unwarned, warned) == 0 and score(unwarned, warning) == 0
    assert score(warned, warning) == 0
    assert score(unwarned, sig("غارة إسرائيلية بلا إنذار على حي الحوش في مدينة صور")) > 0


def test_one_claims_template_about_other_targets_or_sides_stays_apart():
    """One source's claim template: a tank and a gathering of soldiers, an airport and a power
    station, the eastern and the southern outskirts of one town are different attacks."""
    irl = "Islamic Resistance in Lebanon: We targeted"
    assert not same_event(
        sig(f"{irl} a Merkava tank at the eastern outskirts of Khiam with a guided missile"),
        sig(f"{irl} a gathering of IOF soldiers at the eastern outskirts of Khiam with a guided missile"),
    )
    assert not same_event(
        sig(f"{irl} a gathering of IOF soldiers at the southern outskirts of Khiam with a rocket salvo"),
        sig(f"{irl} a gathering of IOF soldiers at the eastern outskirts of Khiam with a rocket salvo"),
    )
    yaf = "Yemeni Armed Forces: We targeted"
    assert not same_event(
        sig(f"{yaf} Ben Gurion Airport in occupied Yafa with a ballistic missile"),
        sig(f"{yaf} the Orot Rabin power station south of occupied Yafa with a ballistic missile"),
    )
    assert same_event(
        sig(f"{irl} a gathering of IOF soldiers at the eastern outskirts of Khiam with a rocket salvo"),
        sig("Hezbollah says it hit a gathering of Israeli soldiers on the eastern outskirts of Khiam with rockets"),
    )


def test_one_site_hit_with_two_kinds_of_weapon_is_two_operations():
    """A rocket salvo and a guided missile at one barracks are two claims of two operations; a
    rewrite that says only "missile" or "rockets" names no kind and still agrees."""
    irl = "Islamic Resistance in Lebanon: We targeted"
    assert not same_event(
        sig(f"{irl} the Zar'it barracks with a rocket salvo"),
        sig(f"{irl} a Merkava tank at the Zar'it barracks with a guided missile"),
    )
    assert not same_event(
        sig(f"{irl} the Ramim barracks with a squadron of attack drones"),
        sig(f"{irl} the Ramim barracks with artillery shells"),
    )
    assert same_event(
        sig("Yemeni Armed Forces: We targeted Ben Gurion Airport in occupied Yafa with a ballistic missile"),
        sig("Houthis say they fired a missile at Ben Gurion Airport"),
    )


def test_a_quarter_named_as_a_district_is_the_quarter_and_a_wide_district_an_area():
    """ "Beirut's Chiyah district" names Chiyah (place_parents.yaml puts it in the southern
    suburb), so it meets "a building in Chiyah"; "the Baalbek district" is the wide area."""
    chiyah = sig("Israeli warplanes level building in Beirut's Chiyah district after warning")
    assert any(p.split(":")[1] == place_id("Chiyah") and p.endswith(":f") for p in chiyah.places), chiyah
    building = "Al Mayadeen correspondent in Beirut: An Israeli airstrike targeted a building in Chiyah"
    assert same_event(chiyah, sig(building))
    baalbek = sig("Israeli strikes in the Baalbek district kill three")
    assert not baalbek.places and baalbek.areas, baalbek


async def test_another_outlets_vaguer_rewrite_of_a_strike_inside_a_town_joins(redis):
    """A place inside the other's is another event without a figure or a name, unless another
    outlet rewrote the report, naming only the town, the same thing hit and in the same words.
    One source's own vaguer line, or another thing hit, stays apart."""
    now = time.time()
    pinned = (
        "Al Mayadeen correspondent in Beirut: "
        "Israeli warplanes destroyed the threatened building in Haret Hreik in the southern suburb"
    )
    vague = "Israel strikes Beirut southern suburb building after evacuation warning"
    for source, joins in (("reuters", True), ("almayadeen", False)):
        clusterer = StoryClusterer(redis, Keys(f"t:vague:{source}:"))
        opened = await clusterer.assign("s1", pinned, now, source="almayadeen")
        later = await clusterer.assign("s2", vague, now + 120, source=source)
        assert opened.is_new and (later.story == "s1") is joins, source
    clusterer = StoryClusterer(redis, Keys("t:vague:other-thing:"))
    await clusterer.assign("s1", pinned, now, source="almayadeen")
    car_line = "Israel strikes a car in Beirut southern suburb after evacuation warning"
    car = await clusterer.assign("s2", car_line, now + 60, source="reuters")
    assert car.is_new


def test_wires_words_for_one_act_are_one_word():
    """News paraphrases fold to one token (synonyms.yaml): blowing up houses is a detonation, a
    ground operation a ground offensive."""
    assert same_event(
        sig(f"{SL} IOF blow up a number of houses in the town of Khiam"),
        sig("Enemy army carries out large detonation in Khiam, Marjayoun district"),
    )
    assert same_event(
        sig("Hebrew media: The IOF has begun the ground operation to occupy Gaza City."),
        sig("IDF launches main phase of Gaza City ground offensive"),
    )


def test_an_ordinal_against_none_splits_one_sources_lines_not_two_outlets():
    """ "Second strike" against a line without an ordinal: from one ticker, two strikes; from
    two outlets, perhaps one strike that one of them counted."""
    ticker = "Al Mayadeen correspondent in Syria: Israeli airstrikes targeted the T4 military airport"
    wire = "Israel strikes Syria's T4 air base for the second time in a week"
    assert same_event(replace(sig(ticker), source="almayadeen"), replace(sig(wire), source="reuters"))
    assert not same_event(replace(sig(ticker), source="almayadeen"), replace(sig(wire), source="almayadeen"))


def test_a_site_whose_skeleton_is_the_speakers_country_is_still_a_place():
    """ "Labbouneh" and the "Lebanon" of "Islamic Resistance in Lebanon:" share a consonant
    skeleton; the speaker's place is not named in the body, so the site still counts and two
    sites of one claim template stay two attacks. A camp of Tyre is not the city of Tyre."""
    irl = "Islamic Resistance in Lebanon: We targeted a gathering of IOF soldiers at"
    labbouneh = sig(f"{irl} the Labbouneh site with a rocket salvo.")
    assert labbouneh.places, labbouneh
    assert not same_event(labbouneh, sig(f"{irl} the eastern outskirts of Maroun al-Ras with a rocket salvo."))
    assert not same_event(
        sig(f"{SL} Israeli airstrike targets al-Bass Palestinian refugee camp in Tyre"),
        sig(f"{SL} Israeli airstrike targets the city of Tyre near the Hosh roundabout"),
    )


def test_a_shared_ship_or_aircraft_name_outweighs_a_sea_against_a_port():
    """One report names the sea, the other the port it was off: the ship's name (or an aircraft's
    designator) says one event where the places alone would say two."""
    assert same_event(
        sig('Yemeni Armed Forces: Our naval forces targeted the oil tanker "Aegean Star" in the Red Sea'),
        sig("Yemen's Houthis claim missile attack on tanker Aegean Star off Hodeidah after UKMTO reports hit"),
    )
    assert not same_event(
        sig('Yemeni Armed Forces: Our naval forces targeted the oil tanker "Aegean Star" in the Red Sea'),
        sig("Yemen's Houthis claim missile attack on tanker Delta Blue off Hodeidah"),
    )


def test_a_shared_name_outweighs_two_actors():
    """The Houthis' claim and the Pentagon's denial name different actors, yet one carrier; a
    chief of staff's resignation told by Hebrew media and by a wire names him in both."""
    assert same_event(
        sig("Yemeni Armed Forces: We targeted the American aircraft carrier USS Abraham Lincoln in the Arabian Sea"),
        sig("US official denies Houthi claim of attack on carrier Abraham Lincoln"),
    )
    assert same_event(
        sig("Channel 12: IOF Chief of Staff Halevi announces his resignation effective March 6"),
        sig("Israeli military chief Herzi Halevi resigns over October 7 failures"),
    )
    assert not same_event(sig("Fed holds rates"), sig("ECB holds rates"))


def test_a_name_meets_a_place_whose_id_tells_homonyms_apart():
    """ "Nasser Medical Complex" has the id 'nsr~2' (other Nassers exist); "Gaza's Nasser
    hospital" writes the name only: the two meet on the name, not on the homonym's number."""
    assert same_event(
        sig("Four fetuses and three premature babies died at Nasser Medical Complex due to malnutrition"),
        sig("Premature babies die of malnutrition at Gaza's Nasser hospital"),
    )


def test_a_statement_about_an_event_is_news_of_its_own():
    """ "Iran condemns the US strike on Ras Isa" shares the strike's words and place, yet it is a
    reaction, not a report of the strike; two parties' reactions are two stories. A report that
    gives the hurt or a toll and condemns too still reports the event."""
    strike = sig("US strikes on Yemen's Ras Isa port kill at least 74 in deadliest attack of campaign")
    iran = sig("Iran condemns US strike on Yemeni oil port of Ras Isa as war crime")
    houthis = sig("Houthis vow response to US strike on Ras Isa, say attacks on Israel will continue")
    assert not same_event(strike, iran) and not same_event(strike, houthis) and not same_event(iran, houthis)
    hospital = "Israeli raid targeted the vicinity of the Nabatieh Governmental Hospital"
    moh = (
        "Lebanese Ministry of Health: Seven paramedics wounded in the strike near Nabatieh Governmental Hospital; "
        "we condemn the targeting of hospitals"
    )
    assert same_event(sig(f"{SL} {hospital}"), sig(moh))


def test_new_strikes_on_a_district_are_not_the_first_ones():
    """ "2 new airstrikes on Sahar" after "4 airstrikes on Sahar", from one ticker: another raid;
    "new" may still be the one another line counts ("a second raid")."""
    yemen = "Al Mayadeen correspondent in Yemen: US aggression launches"
    first, new = (
        sig(f"{yemen} 4 airstrikes on Sahar district in Saada"),
        sig(f"{yemen} 2 new airstrikes on Sahar district"),
    )
    assert new.nth == "n" and not same_event(first, new)
    assert same_event(new, sig(f"{yemen} a second wave of 2 airstrikes on Sahar district"))


def test_how_markets_took_a_decision_is_news_of_its_own():
    """ "Sterling falls after dovish BoE vote split" follows the decision, in its words; it is
    the markets' story (synonyms.yaml `markets`), and two markets' closes are one."""
    assert not same_event(
        sig("BOE keeps rate unchanged in surprise 6-3 dovish split"), sig("Sterling falls after dovish BoE vote split")
    )
    assert not same_event(
        sig("Fed cuts rates by half a percentage point, signals more cuts ahead"),
        sig("S&P 500 closes slightly down as investors digest Fed cut"),
    )
    assert same_event(
        sig("Wall Street ends lower in choppy trade after Fed's big rate cut"),
        sig("S&P 500 closes slightly down as investors digest Fed cut"),
    )


def test_arabic_words_for_one_act_are_one_word():
    """ "قصف" and "غارة" are one strike, "شهيدان" and "تقتل" one killing (synonyms.yaml
    `words_ar`, read by light stem): a wire's Arabic rewrite of the ticker's line meets it."""
    ticker = replace(sig("مراسل الميادين في غزة: شهيدان في قصف على منزل في مدينة دير البلح"), source="almayadeen")
    wire = replace(sig("غارة إسرائيلية على منزل بدير البلح وسط القطاع تقتل فلسطينيين اثنين"), source="aljazeera")
    assert "strike" in ticker.tokens and "kill" in wire.tokens
    assert same_event(ticker, wire)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # from the air and on the ground: two operations in one town
        ("Israeli drone strike on Tammun kills three", "Israeli forces storm Tammun, three killed"),
        # an aftershock is a quake of its own
        (
            "Earthquake strikes southern Japan, buildings shake in Miyazaki",
            "Strong aftershock shakes Miyazaki in southern Japan",
        ),
        # a statement about the strikes is not the strikes
        (
            "Israeli jets strike the port of Hodeidah",
            "Houthi spokesman: the aggression on Hodeidah will only make us more determined",
        ),
        # the camp and the city of one name
        ("Israeli forces raid Jenin camp at dawn", "Israeli forces raid Jenin city at dawn"),
        # two markets' moves after one decision
        ("Dollar slides after Fed rate cut", "Wall Street ends lower after Fed rate cut"),
        # what followed the quake, not the quake
        (
            "Powerful earthquake strikes Myanmar",
            "Building collapses in Myanmar after powerful earthquake",
        ),
        # an Arabic village with its qualifier, and an Arabic reaction
        ("غارة إسرائيلية على بلدة زوطر الشرقية", "غارة إسرائيلية على بلدة زوطر الغربية"),
        ("غارة إسرائيلية على حي الشجاعية في غزة", "حماس تدين الغارة الإسرائيلية على حي الشجاعية"),
    ],
)
def test_what_came_before_after_or_beside_an_event_is_not_the_event(a: str, b: str) -> None:
    """The fourth session's rules (README, Story clustering): each pair is two stories though
    they share place, actor and words."""
    assert not same_event(sig(a), sig(b)), (a, b)


def test_the_same_mode_and_market_still_join():
    """The new vetoes need both reports to say it: two drone strikes on one car, or two
    outlets' words for the dollar's slide, are one event."""
    together = [
        ("Israeli drone strike hits a car in Tammun, killing two", "Two killed as Israeli drone targets car in Tammun"),
        ("Dollar slides after Fed rate cut", "Dollar falls after the Fed cuts rates"),
    ]
    for a, b in together:
        assert same_event(replace(sig(a), source="x"), replace(sig(b), source="y")), (a, b)


async def test_a_ticker_day_of_strikes_raids_and_statements_alerts_each(redis):
    """Real Redis, one poll as the poller sends it: a drone strike, a raid by troops on the same
    town, the strikes on a port and a statement about them, the dollar and Wall Street after one
    decision: every one opens a story of its own, and a wire rewrite of the drone strike joins it."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    lines = [
        "Israeli drone strike on Tammun kills three",
        "Israeli forces storm Tammun, three killed",
        "Israeli jets strike the port of Hodeidah",
        "Houthi spokesman: the aggression on Hodeidah will only make us more determined",
        "Dollar slides after Fed rate cut",
        "Wall Street ends lower after Fed rate cut",
    ]
    done = await clusterer.assign_many([(f"s{n}", text, now + n, "ticker") for n, text in enumerate(lines)])
    assert all(a.is_new for a in done), [a.story for a in done]
    rewrite = await clusterer.assign("w", "Three killed as Israeli drone strikes Tammun", now + 60, "wire")
    assert rewrite.story == "s0" and not rewrite.is_new


def test_signatures_stored_by_earlier_versions_still_decode():
    """A running deployment keeps a day of stories' signatures in Redis: after an upgrade the
    lists stored before mode and market (or before sources, or languages) decode, with the
    missing fields empty, and today's signatures survive the round trip whole."""
    now = sig("Israeli drone strike on Tammun kills three")
    assert now.mode == "air"
    assert Signature.from_list(json.loads(json.dumps(now.to_list()))) == now
    before = now.to_list()
    before[7] = before[7][:2]  # source and ordinal only, as stored before mode and market
    old = Signature.from_list(before)
    assert (old.mode, old.market, old.tokens, old.places) == ("", "", now.tokens, now.places)
    oldest = Signature.from_list(before[:6])
    assert (oldest.lang, oldest.source, oldest.mode) == ("en", "", "")
    # an Arabic line's speaker (seventh session) round-trips; stored before it, it is empty
    quoted = sig("وزارة الصحة اللبنانية: شهيدان في غارة على عيتا الشعب")
    assert quoted.speaker and Signature.from_list(json.loads(json.dumps(quoted.to_list()))) == quoted
    unquoted = quoted.to_list()
    unquoted[7] = unquoted[7][:4]  # source, ordinal, mode, market: as stored before the speaker
    assert Signature.from_list(unquoted) == replace(quoted, speaker="")
    # a politician's words (thirteenth session) round-trip; stored before the flag, they read as
    # not quoted, the behaviour of the code that stored them
    words = sig("Netanyahu: Israel deeply regrets the tragic mishap that occurred today at Nasser Hospital")
    assert words.quoted == "1" and Signature.from_list(json.loads(json.dumps(words.to_list()))) == words
    unflagged = words.to_list()
    unflagged[7] = unflagged[7][:6]  # up to the period: as stored before the flag
    assert Signature.from_list(unflagged) == replace(words, quoted="")


def test_two_visitors_meeting_one_host_are_two_meetings():
    """Only the host is named by both, and each names a visitor the other does not: two
    meetings; a rewrite naming the host and the visitor (however spelt) is the same meeting."""
    a = "Erdogan meets Pope Leo at the Vatican after the general audience"
    b = "Starmer and Lammy hold talks with Pope Leo in the Vatican"
    assert not same_event(replace(sig(a), source="x"), replace(sig(b), source="y"))
    c = "Pope Leo receives Erdogan at the Vatican for talks"
    assert same_event(replace(sig(a), source="x"), replace(sig(c), source="y"))


def test_a_statement_giving_a_duration_is_still_a_statement():
    """Days of mourning are a figure, not a toll: the declaration is a reaction to the death,
    news apart from the funeral's announcement."""
    a = "Vatican: the funeral of Cardinal Romano Bellini will be held on Monday in St Peter's Basilica"
    b = "Italy declares two days of official mourning for Cardinal Romano Bellini"
    assert not same_event(sig(a), sig(b))


def test_an_ambiguous_arabic_place_settled_by_its_context_is_a_place():
    """The name "الخيام" is al-Khiam beside a word of Lebanon and "the tents" elsewhere, as tagging reads
    it: settled by the headline or its attribution, it is a place of the signature, glued letters
    and all ("بالخيام"), and a village other than it is another event."""
    khiam = sig("الاحتلال ينسف منازل بالخيام رغم سريان وقف إطلاق النار في لبنان")
    assert {p.split(":")[1] for p in khiam.places} == {"الخيام"}
    assert not sig("قصف خيام النازحين في المواصي").places & khiam.places
    said = sig("مراسل الميادين في جنوب لبنان: جيش الاحتلال يفجّر منازل في بلدة الخيام")
    assert same_event(khiam, said)
    assert not same_event(khiam, sig("مراسل الميادين في جنوب لبنان: جيش الاحتلال يفجّر منازل في بلدة مركبا"))


def test_south_lebanon_and_bekaa_towns_and_eilats_arabic_name_are_places():
    """Towns the Arabic tickers name every day without "بلدة" before them are the gazetteer's
    (places_ar.yaml), inside their district (place_parents.yaml), "كفر" names are one place glued
    or apart, and "أم الرشراش" is Eilat."""
    for town in ("مركبا", "يحمر الشقيف", "كفرتبنيت", "بريتال", "تبنين"):
        assert sig(f"غارة إسرائيلية على منزل في {town}").places, town
    apart, glued = sig("الجيش الإسرائيلي ينسف مباني في كفر كلا الحدودية"), sig("تفجير منازل في بلدة كفركلا")
    assert apart.places == glued.places and not places_disagree(apart, glued)  # "Kfar" glued or not
    drone = sig("الجيش الإسرائيلي: اعتراض مسيّرة قبل دخولها أجواء إيلات")
    claim = sig("القوات المسلحة اليمنية: استهدفنا هدفاً حيوياً في منطقة أم الرشراش بطائرة مسيّرة")
    assert not places_disagree(drone, claim)
    assert places_disagree(drone, sig("القوات المسلحة اليمنية: استهدفنا هدفاً حيوياً في منطقة يافا بطائرة مسيّرة"))


def test_arabic_figures_are_one_figure_however_written():
    """The figure "٢٥٫٥٪" is 25.5 (the Arabic decimal sign), "45 ألفاً و227" is 45,227 as the other outlet
    writes it, and "٢٨ قتيلاً" (the accusative) is a toll: a rewrite's figures agree with the
    report's, not with its pieces."""
    assert sig("التضخم في مصر يتراجع إلى ٢٥٫٥٪").numbers == {"25.5"}
    words = sig("الصحة في غزة: 45 ألفاً و227 قتيلاً منذ بدء الحرب")
    digits = sig("وزارة الصحة في غزة: ارتفاع حصيلة العدوان إلى 45,227 شهيداً")
    assert words.numbers == digits.numbers == {"45227"}
    assert "kill" in words.tokens and "kill" in digits.tokens
    assert sig("نزوح ٣ آلاف شخص").numbers == {"3000"}


def test_an_arabic_countrys_names_are_the_area_its_demonym_names():
    """The names "أمريكا" and "الولايات المتحدة" are one country, and "إسرائيل" is the Israel of a speaker
    written "إعلام إسرائيلي:" (place_parents.yaml `same`): two reports of one pledge agree on
    where; another country still disagrees."""
    america = sig("المملكة تعلن استثمارات بقيمة 300 مليار دولار في أمريكا")
    states = sig("المملكة تتعهد بضخ 300 مليار دولار في الولايات المتحدة")
    assert "US & Canada:us" in america.areas & states.areas
    assert not places_disagree(america, states)
    assert places_disagree(america, sig("المملكة تتعهد بضخ 300 مليار دولار في الصين"))
    speaker, named = sig("إعلام إسرائيلي: صفارات الإنذار تدوي في الشمال"), sig("صواريخ من لبنان على إسرائيل")
    assert {a.split(":")[1] for a in speaker.areas} & {a.split(":")[1] for a in named.areas} == {"isrl"}


def test_a_letter_glued_to_an_arabic_word_does_not_make_it_another_word():
    """Arabic glues "و", "ب", "ل" to a word ("بإخلاء", "لسكان"): taken off when what is left is a
    more common word, so two outlets' words for one evacuation order meet, and a glued form,
    rare as written, does not crowd out the report's real rare words. A word that begins with
    such a letter ("بيروت", "وزير", "بحرية") stays itself."""
    order = sig("إسرائيل تطالب بإخلاء مبان لسكان الضاحية")
    other = sig("جيش الاحتلال يصدر أوامر إخلاء جديدة إلى سكان الضاحية")
    assert {"اخلاء", "سكان"} <= order.tokens & other.tokens
    assert "house" in sig("قصف مبانٍ في بلدة عيترون").tokens  # buildings are what "منازل" are
    kept = sig("وزير الدفاع يزور بيروت ويتفقد القوات البحرية").tokens
    assert {"وزير", "بحري"} <= kept and "زير" not in kept and "حري" not in kept


def test_a_sirens_report_lists_places_a_strike_may_hit_any_of():
    """Sirens sound over every town warned, a town beside another as much as the other: the
    rocket that fell on one of them, or on a suburb of one, is the alert's event. A rocket on a
    town that lies in the one warned is not the other way round, and two alerts stay two."""
    alert = sig("Hebrew media: Sirens sound in Kiryat Shmona, Metula and the Upper Galilee")
    hit = sig("Rocket fired from Lebanon hits a house in Kiryat Shmona, no injuries")
    assert same_event(alert, hit)
    suburb = sig("Rocket falls on a car park in Kiryat Bialik after launches from Lebanon")
    assert not places_disagree(sig("Sirens sound in Haifa and the Krayot"), suburb)
    assert not same_event(sig("Sirens sound in Metula"), hit)
    assert not same_event(sig("Sirens sound in Kiryat Shmona and its surroundings"), sig("Sirens sound in Margaliot"))


def test_a_shared_name_outweighs_two_areas():
    """The claim names the sea, the denial the country that speaks: the ship's name says one
    event; another ship in the same sea is another."""
    claim = sig("Houthis claim missile attack on the tanker Marlin Crest in the Red Sea")
    us = sig("US says the tanker Marlin Crest was hit by a missile, no injuries")
    assert not places_disagree(claim, us) and same_event(claim, us)
    other = sig("Houthis claim missile attack on the tanker Delta Rose in the Red Sea")
    assert places_disagree(us, other) and not same_event(us, other)


def test_a_town_and_the_province_it_lies_in_may_be_one_event():
    """One outlet names the town, another only its province: with an agreeing toll they are one
    strike (place_parents.yaml); the same toll in another province is another strike."""
    town = sig("Ukraine: Russian drone strikes a minibus in Pavlohrad, killing 4")
    assert same_event(town, sig("Drone hits minibus in Dnipropetrovsk Oblast, four killed"))
    assert not same_event(town, sig("Drone hits minibus in Kharkiv Oblast, four killed"))


def test_one_unknown_village_spelled_two_ways_or_named_in_full_is_one_place():
    """A village the gazetteer lacks, written with and without its article and final "h", or by
    its short name and its full one, is one place; another village is another. A unit ("the
    Golani Brigade") is not a place its base shares a word with."""
    assert same_event(
        sig("Syrian sources: Israeli forces advance into the village of al-Sahiliyah"),
        sig("Israeli troops push into Sahiliye village in southern Syria"),
    )
    short = sig("Israeli drone strikes a car in Houmine, one killed")
    assert same_event(short, sig("Israeli drone targets a car in Houmine al-Fawqa"))
    assert not same_event(short, sig("Israeli drone strikes a car in Qlaileh"))
    brigade = sig("IOF Spokesperson: A soldier of the Golani Brigade was killed in southern Lebanon")
    assert not brigade.places
    assert not same_event(brigade, sig("Drone hits Golani base near Binyamina, four soldiers killed"))


def test_a_place_the_other_report_writes_as_a_name_is_shared():
    """ "Rebels seize Kafr Nabudah, west of Hama" reads the village as a name, "enter the town of
    Kafr Nabudah" as a place: one village, though one report names only an area around it."""
    seize = replace(sig("Syrian rebels seize Kafr Nabudah, west of Hama, after the army pulls out"), source="x")
    enter = replace(sig("Armed factions enter the town of Kafr Nabudah in the Hama countryside"), source="y")
    assert not places_disagree(seize, enter) and same_event(seize, enter)
    other = replace(sig("Armed factions enter the town of Kafr Zita in the Hama countryside"), source="z")
    assert not same_event(enter, other)


def test_a_camp_named_in_english_and_in_arabic_is_one_camp():
    """Gaza's Beach camp is al-Shati ("the beach"): place_parents.yaml `same`."""
    beach = sig("Two killed as Israeli strike hits a tent in the Beach refugee camp")
    assert same_event(beach, sig("Israeli airstrike targets a tent in al-Shati camp, two martyrs"))
    assert not same_event(beach, sig("Israeli airstrike targets a tent in Nuseirat camp, two martyrs"))


def test_the_towns_a_sirens_report_lists_do_not_pin_it():
    """An alert's list of towns says where the sirens sounded, not which of a day's events it
    is: one source's interception report on the city it lists shares that city, as any two
    reports on one city do."""
    alert = sig("Channel 12: Sirens sound in Haifa, the Krayot and the Carmel after a launch from Lebanon")
    fired = sig("IOF Spokesperson: About 20 projectiles crossed from Lebanon toward the Haifa area, some intercepted")
    assert same_event(alert, fired)
    assert not same_event(alert, sig("Hebrew media: A rocket hit a house in Tiberias"))


def test_sirens_after_a_launch_and_the_interception_of_it_are_one_event():
    """The alert names the towns and where the missile came from; the army's line names only
    where it came from: one launch told from its two ends. A launch from elsewhere is another."""
    alert = sig("Hebrew media: Sirens sound in Beersheba and the Negev after a missile launch from Yemen")
    assert same_event(alert, sig("IOF Spokesperson: A missile launched from Yemen was intercepted"))
    assert not same_event(alert, sig("IOF Spokesperson: A rocket launched from Gaza was intercepted"))


async def test_a_vague_report_in_a_story_does_not_bridge_it_to_another_target(redis):
    """The ministry's toll names no target, so it joins the strike on a house; a strike on a car
    in the same town an hour later resembles the toll, yet the story's first report says a house:
    what was hit, like the village, is checked against every kept report."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    house = await clusterer.assign("h", f"{SL} An Israeli drone strike targeted a house in Bint Jbeil", now, "tick")
    toll = await clusterer.assign(
        "t", "Lebanese Ministry of Health: The Israeli strike on Bint Jbeil led to three wounded", now + 600, "tick"
    )
    assert toll.story == house.story
    car = await clusterer.assign(
        "c",
        "Lebanese Ministry of Health: The Israeli strike on a car in Bint Jbeil led to one martyr",
        now + 3600,
        "tick",
    )
    assert car.is_new and car.story == "c"


async def test_a_statement_calling_an_attack_an_escalation_or_vowing_a_response_is_not_the_attack(redis):
    """A government calling a strike "a blatant assassination", a group saying it "will not pass
    without a response", a presidency calling a raid "a dangerous escalation", a leader who
    "urges" allies: statements, each news of its own, not more reports of the strike. An army
    that "urges the evacuation" of a place gives an order, which is an event."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "Al Mayadeen correspondent in Iraq: a US drone strike targeted a car in eastern Baghdad"),
            ("reuters", "US drone strike on car in Baghdad kills militia commander"),
            ("almayadeen", "Iraqi government: the US strike in Baghdad is a blatant attack on Iraqi sovereignty"),
            ("almayadeen", "Kataib Hezbollah: the US crime in Baghdad will not pass without a response"),
            ("almayadeen", "Palestinian Presidency: the occupation's raid on Tulkarm camp is a dangerous escalation"),
            ("kyivindependent", "Zelensky urges allies to send air defence after drone strike on Kharkiv"),
            ("timesofisrael", "IDF urges evacuation of Hodeidah port ahead of strikes"),
            ("reuters", "Israeli strikes put Hodeidah port out of action, Houthi-run media say"),
        ],
    )
    assert stories[1] == stories[0]
    assert len(set(stories[1:6])) == 5
    assert stories[7] == stories[6] and stories[6] not in stories[:6]


async def test_a_leader_who_vows_or_pledges_makes_a_statement_not_the_result(redis):
    """The exit poll is the result; the winner's vow to form a government fast is what the winner
    said about it: two stories, as a condemnation and the strike are."""
    stories = await _stories(
        redis,
        [
            ("reuters", "Exit poll: Social Democrats win Danish election with 28%, Frederiksen ahead"),
            ("dr", "Frederiksen claims victory in Danish election and vows to form a government within weeks"),
        ],
    )
    assert stories[1] != stories[0]


def test_a_statement_praising_an_attack_is_not_the_attack():
    """Praise, like condemnation, is a party's statement about an event: news of its own."""
    attack = sig("Hebrew media: A shooting attack near the Gush Etzion junction; two Israelis wounded")
    praise = sig("Hamas: The heroic operation at Gush Etzion is a natural response to the crimes of the occupation")
    assert not same_event(attack, praise)
    assert not same_event(attack, sig("Islamic Jihad hails the Gush Etzion operation"))


def test_hodeida_spelled_without_h_is_the_port_city_not_only_the_governorate():
    """ "Hodeida port" is the city (a place), as "Hodeidah" is: so Sanaa, named only in the
    "after X" clause, is the other raid's place, and the two raids stay apart."""
    hodeida = sig("Israel strikes Yemen's Hodeida port hours after Sanaa raid")
    assert {place_id(p) for p in hodeida.places} == {place_id(p) for p in sig("Strike on Hodeidah port").places}
    assert not same_event(hodeida, sig("Israeli attack on Yemen's Sanaa kills six, Houthi-run health ministry says"))


def test_a_report_of_what_followed_an_attack_is_not_the_attack():
    """All that the strike on Sanaa shares with the Houthi missile attack is its "after X"
    clause, and it names a place of its own: it reports what followed. The raid's own rewrite
    still joins it."""
    raid = replace(sig("Israel strikes Yemen's capital Sanaa hours after Houthi missile attack"), source="reuters")
    assert not same_event(
        raid, replace(sig("Yemen's Houthis claim missile attack on Israel's main airport"), source="ap")
    )
    tick = sig("Israeli Army Radio: Israeli fighter jets are striking targets in Sanaa")
    assert same_event(raid, replace(tick, source="almayadeen"))


def test_words_of_one_meaning_are_one_token():
    """A protest is one token however written ("protest" itself was cut to 'prote' while its
    plurals were 'protest'); WAFA's colonists are settlers; a sergeant killed is a soldier."""
    assert "protest" in sig("Tens of thousands protest in Belgrade").tokens
    assert "protest" in sig("Protesters fill Belgrade").tokens
    assert "settler" in sig("Colonists set fire to three vehicles in Turmus Ayya").tokens
    assert "settler" in sig("Settlers set fire to vehicles in Turmus Ayya").tokens
    assert "soldier" in sig("Staff sergeant, 21, killed in fighting in southern Lebanon").tokens


def test_an_apostrophe_inside_a_transliterated_name_is_no_word_break():
    """ "Far'a", "Shefa-'Amr", "Turmus'ayya": the apostrophe stands for an Arabic letter, and
    outlets that leave it out write one word; English clitics and "O'Hare" still split."""
    from jobs.phrases import words

    assert words("Far'a camp") == ["Fara", "camp"] and words("Turmus'ayya") == ["Turmusayya"]
    assert words("Israel's army") == ["Israel", "s", "army"] and words("O'Hare") == ["O", "Hare"]
    shefa = sig("Hebrew media: A rocket fell on a house in Shefa-'Amr, wounding several people")
    assert shefa.places == sig("Rocket from Lebanon hits home in Shfaram, lightly injuring five").places
    assert not {p for p in shefa.places if p.startswith("Asia-Pacific")}  # not Vanuatu's Shefa
    faraa = sig("Israeli army launches military operation in Far'a refugee camp in northern occupied West Bank")
    assert not places_disagree(faraa, sig("IOF storm al-Far'a camp, south of Tubas, with bulldozers"))


async def _stories(redis, reports: list[tuple[str, str]]) -> list[str]:
    """Each (source, headline) through a real clusterer, a minute apart: the story of each."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    return [
        (await clusterer.assign(f"s{i}", text, now + 60 * i, source=source)).story
        for i, (source, text) in enumerate(reports)
    ]


async def test_an_arabic_village_is_one_place_with_or_without_its_article_or_space(redis):
    """ "بلدة خيام" is "الخيام", "ديرميماس" is "دير ميماس": one outlet writes the article or
    the space the other leaves out, and the rewrite joins the ticker's line; the qualifier of
    "زوطر الشرقية" still tells two villages apart."""
    sl = "مراسل الميادين في جنوب لبنان:"
    khiam = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} غارة إسرائيلية تستهدف منزلاً في بلدة الخيام"),
            ("bbc-arabic", "غارة إسرائيلية على منزل في بلدة خيام جنوب لبنان وإصابة ثلاثة أشخاص"),
        ],
    )
    assert khiam[1] == khiam[0]
    await redis.flushdb()
    dermimas = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} مسيّرة إسرائيلية تستهدف سيارة في بلدة ديرميماس"),
            ("nna", "استشهاد مواطن بغارة لمسيّرة معادية على سيارة في دير ميماس"),
        ],
    )
    assert dermimas[1] == dermimas[0]
    await redis.flushdb()
    zawtar = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} غارة إسرائيلية على بلدة زوطر الشرقية"),
            ("aljazeera", "غارة إسرائيلية على بلدة زوطر الغربية جنوبي لبنان"),
        ],
    )
    assert zawtar[1] != zawtar[0]


async def test_southern_lebanon_is_one_area_however_written_and_the_bekaa_is_not_in_it(redis):
    """ "جنوبي لبنان" is "جنوب لبنان": a wire's motorbike strike in south Lebanon is the ticker's
    strike in Aitaroun, which place_parents.yaml puts there; Baalbek it puts in the Bekaa, so a
    toll there and soldiers killed in south Lebanon stay two stories, though both say three."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين في جنوب لبنان: مسيّرة إسرائيلية تستهدف دراجة نارية في بلدة عيترون"),
            ("skynewsarabia", "مقتل شخصين بضربة إسرائيلية على دراجة نارية جنوبي لبنان"),
        ],
    )
    assert stories[1] == stories[0]
    baalbek = replace(sig("وزارة الصحة اللبنانية: غارة بعلبك أدّت إلى استشهاد ٣ مواطنين"), source="almayadeen")
    clash = replace(sig("مقتل ٣ جنود إسرائيليين وإصابة آخرين في اشتباكات جنوبي لبنان"), source="aljazeera")
    assert not same_event(baalbek, clash)


async def test_an_arabic_port_or_airport_is_its_city_as_in_english(redis):
    """ "ميناء الحديدة" is Hodeidah, as "Hodeidah port" is (place_filler_ar: ميناء, مطار), and as
    coarse: the wire's strikes on Hodeidah are the ticker's strikes on its port. A camp named
    after its city is still a place of its own."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين في الحديدة: غارات إسرائيلية تستهدف ميناء الحديدة"),
            ("aljazeera-ar", "ارتفاع ضحايا الغارات الإسرائيلية على الحديدة إلى ستة قتلى"),
        ],
    )
    assert stories[1] == stories[0]
    assert sig("غارات إسرائيلية تستهدف ميناء الحديدة").places == {"MENA:الحديده:c"}
    assert sig("جرافات الاحتلال تدمر الشوارع في مخيم جنين").places == {"Palestine:جنين:f"}


async def test_an_arabic_dual_is_the_figure_two(redis):
    """ "جنديين" is two soldiers (duals_ar): the ticker's "two soldiers killed, three hurt" gives
    the wire's two dead, not only the three hurt, so the figures agree instead of differing."""
    assert {"2", "kill"} <= sig("شهيدان في غارة على بلدة عيترون").tokens
    stories = await _stories(
        redis,
        [
            ("bbc-arabic", "الجيش الإسرائيلي يعلن مقتل اثنين من جنوده في جنوب لبنان"),
            ("almayadeen", "إعلام إسرائيلي: مقتل جنديين وإصابة ٣ في اشتباكات جنوبي لبنان"),
        ],
    )
    assert stories[1] == stories[0]


async def test_the_occupation_is_israel_in_arabic(redis):
    """Al Mayadeen writes "جيش الاحتلال" (the occupation army) where the wires write "الجيش
    الإسرائيلي": the same actor and word (demonyms_ar), so a rewrite shares it."""
    assert "israel" in sig("جيش الاحتلال يعترف بمقتل جندي في معارك جنوب قطاع غزة").actors
    stories = await _stories(
        redis,
        [
            ("almayadeen", "جيش الاحتلال يعترف بمقتل جندي في معارك جنوب قطاع غزة"),
            ("alarabiya", "الجيش الإسرائيلي يعلن مقتل رقيب في اشتباكات بمدينة رفح"),
        ],
    )
    assert stories[1] == stories[0]


async def test_the_south_of_gaza_with_or_without_the_strip(redis):
    """ "جنوب قطاع غزة" and "جنوبي غزة" are one area (place_parents.yaml `same`): the army's
    sergeant killed in the south of the Strip is the wire's soldier killed south of Gaza."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "الناطق باسم جيش الاحتلال: مقتل رقيب في لواء جفعاتي خلال المعارك في جنوب قطاع غزة"),
            ("alarabiya", "الجيش الإسرائيلي يعلن مقتل جندي من لواء جفعاتي جنوبي غزة"),
        ],
    )
    assert stories[1] == stories[0]


async def test_south_lebanon_lies_in_lebanon(redis):
    """place_parents.yaml puts "جنوب لبنان" in "لبنان", keyed as the country's area is
    ("lbn"): soldiers killed on the border with Lebanon and in south Lebanon are one report's
    two wordings, not two areas."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "القناة 12 الإسرائيلية: مقتل جنديين وإصابة 5 آخرين في اشتباك على الحدود مع لبنان"),
            ("skynewsarabia", "الجيش الإسرائيلي يعلن مقتل جنديين في معارك بجنوب لبنان"),
        ],
    )
    assert stories[1] == stories[0]


async def test_arabic_verbs_of_a_strike_are_the_strike(redis):
    """ "يقصف" (shells), "أغارت" (raided), "ضربنا" (we struck) are the strike that "قصف" and
    "غارة" name (words_ar): the hospital director's "the occupation shells the hospital's
    surroundings" is the ticker's shelling of them."""
    assert "strike" in sig("الاحتلال يقصف محيط المستشفى").tokens
    assert "strike" in sig("طائرات الاحتلال أغارت على ميناء الحديدة").tokens
    stories = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين في غزة: قصف إسرائيلي يستهدف محيط مستشفى كمال عدوان في بيت لاهيا"),
            ("aljazeera", "مدير مستشفى كمال عدوان: الاحتلال يقصف محيط المستشفى ومولدات الكهرباء"),
        ],
    )
    assert stories[1] == stories[0]


async def test_an_arabic_lower_bound_agrees_with_a_figure_above_it(redis):
    """ "أكثر من 20 قتيلاً" (more than 20 killed) is the lower bound '20+', which the wire's 21
    dead reaches: the figures do not differ, so the two reports of the market shelling meet; a
    figure under the bound still differs."""
    assert sig("قصف على سوق في أم درمان يوقع أكثر من 20 قتيلاً").numbers == {"20+"}
    assert sig("عدد القتلى منذ بدء الحرب تجاوز 40 ألفاً").numbers == {"40000+"}
    stories = await _stories(
        redis,
        [
            ("almayadeen", "قصف مدفعي على سوق صابرين في أم درمان يوقع أكثر من 20 قتيلاً"),
            ("bbcarabic", "مقتل 21 شخصاً في قصف استهدف سوقاً شعبية بمدينة أم درمان السودانية"),
        ],
    )
    assert stories[1] == stories[0]
    assert not same_event(sig("مقتل أكثر من 20 في قصف على سوق"), sig("مقتل 5 في قصف على سوق"))


async def test_an_iraqi_faction_named_in_a_rewrite_is_who_was_hit_not_where(redis):
    """ "A Kataib Hezbollah commander" names a faction, as "a Hamas commander" does: it says who,
    not which spot, so it does not disagree with the ticker's quarter of Baghdad; nor is it
    Lebanon's Hezbollah."""
    iq = "Al Mayadeen correspondent in Iraq:"
    stories = await _stories(
        redis,
        [
            ("almayadeen", f"{iq} US drone strike hits a car in the Jadriya area of Baghdad"),
            ("ap", "US drone strike in Baghdad kills Kataib Hezbollah commander, officials say"),
        ],
    )
    assert stories[1] == stories[0]
    assert sig("US strike kills Kataib Hezbollah commander").actors == {"kataibhezbollah"}


async def test_the_kurdistan_region_is_iraqi_kurdistan_which_holds_sulaymaniyah(redis):
    """The gazetteer names the region three ways ("Kurdistan Region", "Iraqi Kurdistan", "Iqlim
    Kurdistan"); the hierarchy puts Sulaymaniyah in one of them. A strike on a gas field near
    Sulaymaniyah that cuts power "across the Kurdistan Region" is one place, not two."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "Al Mayadeen correspondent in Iraq: drone attack hits Khor Mor gas field in Sulaymaniyah"),
            ("rudaw", "Drone strike hits Khor Mor gas field, cutting power across Kurdistan Region"),
        ],
    )
    assert stories[1] == stories[0]


async def test_a_drone_intercepted_is_another_launch_than_a_missile_intercepted(redis):
    """The army's two lines of one morning read alike, but one says a drone and the other a
    missile: two launches. A line naming both ("a drone fired a missile") agrees with either."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "IOF Spokesperson: A missile launched from Yemen toward Israeli territory was intercepted"),
            (
                "almayadeen",
                "IOF Spokesperson: A drone launched from the east was intercepted before crossing the border",
            ),
        ],
    )
    assert stories[1] != stories[0]
    both = sig("IOF Spokesperson: A drone launched from Yemen fired a missile that was intercepted")
    assert not launches_disagree(both, sig("IOF Spokesperson: A missile launched from Yemen was intercepted"))


async def test_arabic_sirens_after_a_launch_are_the_launch_intercepted(redis):
    """Sirens in Beersheba after a missile launch from Yemen, and a missile launched from Yemen
    intercepted: one launch told from its two ends, in Arabic as in English (evidence enough for
    one ticker's two lines, which share no place)."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "إعلام إسرائيلي: دويّ صفارات الإنذار في بئر السبع والنقب إثر إطلاق صاروخ من اليمن"),
            ("almayadeen", "الناطق باسم جيش الاحتلال: اعتراض صاروخ أُطلق من اليمن"),
        ],
    )
    assert stories[1] == stories[0]


async def test_the_firing_sides_claim_is_the_launch_the_army_intercepted(redis):
    """The army's line names only where the missile came from; the Yemeni forces' claim names
    the town they aimed at: one launch told from its two ends, so the claim joins the
    interception (one ticker, no shared place). A claim on a ship at sea is another launch."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "IOF Spokesperson: A missile launched from Yemen was intercepted"),
            ("almayadeen", "Yemeni Armed Forces: We targeted the occupied Yafa area with a Zulfiqar ballistic missile"),
            (
                "almayadeen",
                "Yemeni Armed Forces: We targeted the ship Sea Harmony in the Gulf of Aden with a ballistic missile",
            ),
        ],
    )
    assert stories[1] == stories[0]
    assert stories[2] not in stories[:2]


async def test_arabic_sirens_over_a_city_and_the_claim_on_a_town_in_it_are_one_launch(redis):
    """Sirens in Tel Aviv after a launch from Yemen, and the Yemeni forces' claim on Jaffa (which
    lies in Tel Aviv): the alert lists where sirens sounded, as in English; the interception
    and the claim are one launch, as in English. An order to leave
    a neighbourhood ("إنذار بالإخلاء") is no alert, so it covers no town the same way."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "إعلام إسرائيلي: دوي صفارات الإنذار في تل أبيب إثر إطلاق صاروخ من اليمن"),
            ("almayadeen", "القوات المسلحة اليمنية: استهدفنا منطقة يافا المحتلة بصاروخ باليستي فرط صوتي"),
        ],
    )
    assert stories[1] == stories[0]
    # the army's interception names only where the missile came from; the claimant's demonym
    # ("اليمنية", with its article) says it is theirs
    claimed = await _stories(
        redis,
        [
            ("almayadeen", "جيش الاحتلال: اعتراض صاروخ أطلق من اليمن"),
            ("almayadeen", "القوات المسلحة اليمنية: استهدفنا منطقة يافا المحتلة بصاروخ باليستي فرط صوتي"),
        ],
    )
    assert claimed[1] == claimed[0]
    intercepted = sig("جيش الاحتلال: اعتراض صاروخ أطلق من اليمن")
    assert evidence(intercepted, sig("القوات المسلحة اليمنية: استهدفنا يافا بصاروخ")) == 1
    assert not same_event(
        sig("جيش الاحتلال يوجه إنذاراً بإخلاء مبانٍ في تل أبيب"),
        sig("القوات المسلحة اليمنية: استهدفنا منطقة يافا المحتلة بصاروخ باليستي فرط صوتي"),
    )


async def test_arabic_statements_calling_a_strike_flagrant_or_an_escalation_are_not_the_strike(redis):
    """ "انتهاك فاضح" (a flagrant violation), "تصعيد خطير" (a dangerous escalation), "اغتيال
    سافر" (a blatant assassination): statements, as in English, not more reports of the strike;
    and one ticker's two statements led by two speakers are two parties' words."""
    stories = await _stories(
        redis,
        [
            ("almayadeen-ar", "مراسل الميادين في جنوب لبنان: غارة إسرائيلية على منزل في بلدة يارون"),
            ("almayadeen-ar", "رئيس الحكومة اللبنانية: الغارة على يارون انتهاك فاضح للقرار 1701"),
            ("almayadeen-ar", "الرئاسة الفلسطينية: العدوان على مخيم طولكرم تصعيد خطير"),
            ("almayadeen-ar", "مراسل الميادين في الضفة: قوات الاحتلال تقتحم مخيم طولكرم"),
            ("almayadeen-ar", "الحكومة العراقية: الضربة الأمريكية في الأنبار اغتيال سافر"),
            ("almayadeen-ar", "كتائب حزب الله: الجريمة الأمريكية في الأنبار لن تمر دون رد"),
        ],
    )
    assert len(set(stories)) == 6


async def test_the_arabic_accusative_alif_is_not_another_word(redis):
    """ "رسوماً" is "رسوم" (tariffs) with the accusative's alif: off when what is left is the
    more common word, as a glued letter is ("سوريا" and "ضحايا" keep theirs), so the two
    outlets' tariff reports share the word that indexes them and meet."""
    assert stem("رسوما") == stem("رسوم") and stem("هجوما") == stem("هجوم")
    assert stem("سوريا") != stem("سوري") and stem("ضحايا") != stem("ضحاي")
    stories = await _stories(
        redis,
        [
            ("alarabiya", "ترامب: سأفرض رسوماً جمركية بنسبة 25% على جميع الواردات من المكسيك وكندا"),
            ("aljazeera", "ترامب يتعهد بفرض رسوم بنسبة ٢٥٪ على المكسيك وكندا في أول يوم من ولايته"),
        ],
    )
    assert stories[1] == stories[0]


async def test_arabic_clashes_and_battles_are_one_word(redis):
    """ "اشتباكات" (clashes) and "معارك" (battles) are one word (words_ar `clash`): two outlets'
    fighting around the Tishreen dam meet on it."""
    assert "clash" in sig("معارك متواصلة في محيط سد تشرين").tokens
    stories = await _stories(
        redis,
        [
            ("skynewsarabia", "اشتباكات عنيفة بين قسد وفصائل مدعومة من تركيا قرب سد تشرين"),
            ("rt_arabic", "معارك متواصلة في محيط سد تشرين بريف حلب الشرقي"),
        ],
    )
    assert stories[1] == stories[0]


async def test_a_school_sheltering_the_displaced_is_no_village_called_sheltering(redis):
    """ "مدرسة تؤوي نازحين" (a school sheltering displaced people): "تؤوي" is a verb, not a
    village after the place noun, so two shelter schools in two towns share no made-up place."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    jabalia = await clusterer.assign("j", "غارة إسرائيلية على مدرسة تؤوي نازحين في جباليا", now, "a")
    nuseirat = await clusterer.assign("n", "غارة إسرائيلية على مدرسة تؤوي نازحين في النصيرات", now + 900, "a")
    assert not sig("غارة على مدرسة تؤوي نازحين").places
    assert jabalia.story != nuseirat.story


async def test_a_village_spelled_glued_or_apart_and_french_or_english_is_one_place(redis):
    """ "Kfarchouba" and "Kfar Shouba", "al-Bukamal" and "Albu Kamal", "Houla" and "Hula": one
    village under several spellings (spellings.yaml), so the rewrite joins the ticker's line,
    while Kfarkela stays another village."""
    pairs = [
        (
            f"{SL} Israeli shelling with white phosphorus shells on the outskirts of Kfarchouba",
            "Israel fires white phosphorus at hills near Kfar Shouba, Lebanese media report",
        ),
        (
            "Al Mayadeen correspondent in Syria: unidentified aircraft strike a vehicle near al-Bukamal",
            "Al Mayadeen correspondent in Syria: two killed in the strike on a vehicle near Albu Kamal",
        ),
        (
            f"{SL} Israeli artillery shelling targets the outskirts of the town of Houla",
            "Israeli artillery shells the outskirts of Hula in Marjayoun district",
        ),
    ]
    for ticker, wire in pairs:
        await redis.flushdb()
        stories = await _stories(redis, [("almayadeen", ticker), ("reuters", wire)])
        assert stories[1] == stories[0], (ticker, wire)
    await redis.flushdb()
    apart = await _stories(
        redis,
        [
            ("almayadeen", f"{SL} Israeli shelling with white phosphorus shells on the outskirts of Kfarkela"),
            ("reuters", "Israel fires white phosphorus at hills near Kfar Shouba, Lebanese media report"),
        ],
    )
    assert apart[1] != apart[0]


async def test_a_vow_or_a_flagrant_violation_is_a_statement_not_the_strike(redis):
    """ "will not go unanswered" and "a flagrant violation" are what parties say about a strike,
    news of their own like a condemnation: they do not join the strike's story."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", f"{SL} two martyrs in the Israeli strike on a house in Aitaroun"),
            ("almayadeen", "Hezbollah: the Aitaroun massacre against civilians will not go unanswered"),
            ("reuters", "Lebanese PM: the Aitaroun strike is a flagrant violation of the ceasefire"),
        ],
    )
    assert len(set(stories)) == 3


async def test_an_aircraft_shot_down_is_not_the_strike_on_a_port(redis):
    """The issue's own example: "US strikes on Hodeidah" and "Houthis down a US drone" share an
    actor and a city, and are two events: what was downed and what was struck differ."""
    stories = await _stories(
        redis,
        [
            ("reuters", "US strikes Houthi-held fuel port in Yemen's Hodeida"),
            ("ap", "Houthis say they shot down US MQ-9 drone over Yemen's Hodeidah"),
        ],
    )
    assert stories[1] != stories[0]


async def test_england_lies_in_the_uk(redis):
    """ "Bank of England" names England, "UK central bank" the UK: one country
    (place_parents.yaml), so the two wires' reports of one decision are one story."""
    stories = await _stories(
        redis,
        [
            ("reuters", "Bank of England holds Bank Rate at 3.5% in 6-3 vote"),
            ("afp", "UK central bank keeps interest rates on hold"),
        ],
    )
    assert stories[1] == stories[0]


async def test_a_village_the_gazetteer_lacks_lies_in_its_speakers_city(redis):
    """ "Al Mayadeen correspondent in Damascus: ... the Kafr Sousa building" names a quarter the
    gazetteer lacks; the speaker places it in Damascus, so the wire's "Damascus building" with the
    same toll is the same strike, as a known quarter would be; another toll is not."""
    stories = await _stories(
        redis,
        [
            ("reuters", "Israeli strike on Damascus residential building kills three, state media says"),
            (
                "almayadeen",
                "Al Mayadeen correspondent in Damascus: three martyrs and seven wounded in the strike on the"
                " Kafr Sousa building",
            ),
        ],
    )
    assert stories[1] == stories[0]
    await redis.flushdb()
    other = await _stories(
        redis,
        [
            ("reuters", "Israeli strike on Damascus residential building kills three, state media says"),
            ("almayadeen", "Al Mayadeen correspondent in Damascus: five martyrs in the strike on the Qudsaya building"),
        ],
    )
    assert other[1] != other[0]


async def test_two_parties_statements_are_two_stories_whoever_they_are_attributed_to(redis):
    """A statement's speaker is also the country its attribution names ("Lebanese Prime
    Minister:", "US State Department:"), not only an actor the headline names: Hezbollah's vow and
    the Lebanese PM's words, or the PM's and the State Department's, are each news of their own;
    an attack on bases and a government's words on their "sovereignty" are two stories."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "Hezbollah: the Aitaroun massacre against civilians will not go unanswered"),
            ("almayadeen", "Lebanese Prime Minister: the Aitaroun massacre is a flagrant violation of Resolution 1701"),
            (
                "almayadeen",
                "US State Department: We have made clear to Israel our opposition to the strike on Aitaroun.",
            ),
        ],
    )
    assert len(set(stories)) == 3
    await redis.flushdb()
    iraq = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent in Iraq: a drone attack targets Ain al-Asad base in western Anbar",
            ),
            ("almayadeen", "Iraqi government spokesperson: attacks on bases harm Iraq's interests and sovereignty"),
        ],
    )
    assert iraq[1] != iraq[0]


async def test_a_motorcyclist_killed_is_the_motorcycle_hit_not_the_house(redis):
    """A wire that writes "motorcyclist killed" names what was hit: another strike than the
    house struck in the same village that morning."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", f"{SL} two martyrs in the Israeli strike on a house in Aitaroun"),
            ("reuters", "Motorcyclist killed in Israeli strike on Aitaroun outskirts"),
        ],
    )
    assert stories[1] != stories[0]


async def test_statements_of_two_actors_stay_apart_under_one_attributions_country(redis):
    """Two statements naming other actors are two parties' words even when one attribution's
    country leads both lines ("Iranian Foreign Ministry:"): the speaker's country adds parties
    to tell apart, it never joins two actors' statements."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "Iranian Foreign Ministry: Hamas condemns the strike on Ras Isa"),
            ("almayadeen", "Iranian Foreign Ministry: Hezbollah condemns the strike on Ras Isa"),
        ],
    )
    assert stories[1] != stories[0]


async def test_an_arabic_claim_in_response_to_a_strike_is_not_that_strike(redis):
    """ "رداً على الاعتداء على حولا" (in response to the attack on Houla) names the event the
    salvo answers: Houla is a reference there, not where the salvo fell, so the claim on Kiryat
    Shmona does not join the strike on Houla it shares a village and a strike word with."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين في جنوب لبنان: شهيد في غارة إسرائيلية على دراجة نارية في بلدة حولا"),
            ("nna", "استشهاد مواطن بغارة من مسيّرة معادية على دراجة نارية في حولا"),
            ("almayadeen", "المقاومة الإسلامية: قصفنا مستوطنة كريات شمونة بصلية صاروخية رداً على الاعتداء على حولا"),
        ],
    )
    assert stories[1] == stories[0]
    assert stories[2] != stories[0]


async def test_an_arabic_condemnation_told_in_the_past_is_a_statement(redis):
    """ "عون دان مجزرة عيترون" (Aoun condemned the Aitaroun massacre), "سلام ندد بالغارة" (Salam
    denounced the strike): the past tense tells of a condemnation as "يدين" does, a statement that
    is news of its own, not the strike it names; the two statements stay apart from it."""
    stories = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين في جنوب لبنان: شهيدان في غارة إسرائيلية على منزل في بلدة عيترون"),
            ("nna", "شهيدان بغارة معادية على منزل في عيترون"),
            ("nna", "الرئيس عون دان مجزرة عيترون واستهداف المدنيين في الجنوب"),
            ("aljazeera-ar", "سلام ندد بالغارة على منزل في عيترون"),
        ],
    )
    assert stories[1] == stories[0]
    assert stories[0] not in stories[2:]


async def test_arabic_villages_the_gazetteer_now_holds_tell_raids_apart_and_join_rewrites(redis):
    """Villages of the West Bank, quarters of Damascus and towns and camps of Sudan that
    headlines write with no place noun before them ("يعتقل شباناً من بيت فوريك", "على زمزم") are
    places of the gazetteer (places_ar.yaml, in their district in place_parents.yaml): two
    villages' raids of one morning stay two stories, and a bare rewrite meets the line that
    wrote "مخيم زمزم"."""
    wb = "مراسل الميادين في الضفة الغربية:"
    raids = await _stories(
        redis,
        [
            ("wafa", "الاحتلال يعتقل ثلاثة شبان من بيت فوريك شرق نابلس"),
            ("almayadeen", f"{wb} قوات الاحتلال تقتحم قرية عقربا جنوب شرق نابلس"),
        ],
    )
    assert raids[1] != raids[0]
    await redis.flushdb()
    zamzam = await _stories(
        redis,
        [
            ("aljazeera-ar", "مسيّرة للدعم السريع تقصف مخيم زمزم للنازحين"),
            ("skynewsarabia", "مقتل 9 نازحين في قصف للدعم السريع على زمزم جنوب الفاشر"),
        ],
    )
    assert zamzam[1] == zamzam[0]


async def test_an_arabic_road_between_two_towns_is_a_reference_to_both(redis):
    """ "على طريق بنت جبيل - عيناثا" (on the Bint Jbeil - Ainata road): the strike was on the road
    between the towns, so neither is the place the line names, and the ministry's toll "في بنت
    جبيل" that the same ticker relays is the same strike, though Ainata lies in Bint Jbeil's
    district and would otherwise pin the first line to Ainata."""
    sl = "مراسل الميادين في جنوب لبنان:"
    stories = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} مسيّرة إسرائيلية تستهدف دراجة نارية على طريق بنت جبيل - عيناتا"),
            ("almayadeen", "وزارة الصحة اللبنانية: استشهاد مواطن بالغارة على دراجة نارية في بنت جبيل"),
        ],
    )
    assert stories[1] == stories[0]


async def test_two_countries_leaders_arriving_in_one_city_are_two_stories(redis):
    """A summit's day: "the Turkish president arrives in Moscow", then "the Iranian president
    arrives in Moscow". One city, one verb, one office, but two leaders: two alerts. The same
    leader told by a second outlet, and the host receiving him, stay his arrival."""
    stories = await _stories(
        redis,
        [
            ("reuters", "Turkish president arrives in Moscow for talks"),
            ("reuters", "Iranian president arrives in Moscow for talks"),
            ("ap", "Iran's president lands in Moscow for talks with Putin"),
            ("almayadeen-ar", "الرئيس التركي يصل إلى موسكو"),
            ("almayadeen-ar", "الرئيس الإيراني يصل إلى موسكو"),
            ("tass", "Iranian FM arrives in Moscow"),
            ("tass", "Syrian FM arrives in Moscow"),
        ],
    )
    assert stories[1] != stories[0] and stories[4] != stories[3] and stories[6] != stories[5]
    assert stories[2] == stories[1]


async def test_a_place_transliterated_with_another_first_vowel_or_run_together_is_one_place(redis):
    """Wires write "Omdurman" and "Umm Durman", "Erbil" and "Irbil", "Ain Ibl" and "Ein Ebel":
    one place whose words begin with another vowel or are written as one. Two villages that
    differ in more than that ("Ain Baal", "Ein Ebel") stay two."""
    stories = await _stories(
        redis,
        [
            ("sudan-tribune", "Death toll from Umm Durman market drone attack rises to 28"),
            ("reuters", "Drone strike on Omdurman's Sabreen market kills 20, Sudan health official says"),
            ("x", "Turkish drone strike near Irbil kills two"),
            ("y", "Two killed in Turkish drone strike near Erbil"),
            ("x", "Drone hits house in Ein Ebel"),
            ("y", "Israeli drone strikes a home in Ain Ibl"),
            ("z", "Israeli drone strikes a home in Ain Baal"),
        ],
    )
    assert stories[1] == stories[0] and stories[3] == stories[2] and stories[5] == stories[4]
    assert stories[6] != stories[4]


async def test_a_wire_naming_only_the_city_is_the_ticker_report_pinned_near_a_town_in_it(redis):
    """Channel 12 says a settler was wounded in a shooting near Huwara; a wire says an Israeli
    was hurt in a shooting near Nablus, the city Huwara lies by. Neither names a thing hit that
    the other lacks: the wire is a vaguer rewrite. A raid on "Qabatiya, south of Jenin" set
    itself apart from Jenin by naming it as a reference: not the raid on Jenin camp."""
    stories = await _stories(
        redis,
        [
            ("almayadeen-en", "Channel 12: a settler was seriously wounded in a shooting attack near Huwara"),
            ("timesofisrael", "Israeli man seriously hurt in West Bank shooting attack near Nablus; manhunt underway"),
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in the West Bank: Israeli forces storm Jenin camp with bulldozers",
            ),
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in the West Bank: occupation forces raid the town of Qabatiya, "
                "south of Jenin",
            ),
            ("wafa", "Occupation forces storm Jenin and its camp, bulldoze streets"),
        ],
    )
    assert stories[1] == stories[0]
    assert stories[4] == stories[2] and stories[3] not in (stories[2], stories[4])


async def test_a_wire_naming_only_the_territory_meets_the_town_in_it(redis):
    """Qabatiya lies in Jenin's district, in the West Bank (place_parents.yaml): a wire's
    "two gunmen killed in West Bank house siege" is the siege of a house in Qabatiya, though the
    hierarchy keys the West Bank as a place ("bnk~1") and the wire's area by its spelling. A
    shooting at Gush Etzion the same hour is another event."""
    stories = await _stories(
        redis,
        [
            ("almayadeen-en", "Hebrew media: A shooting attack near the Gush Etzion junction; two Israelis wounded"),
            (
                "almayadeen-en",
                "Palestinian Ministry of Health: Two young men martyred in the siege of a house in Qabatiya",
            ),
            ("reuters", "Israeli forces kill two Palestinian gunmen in West Bank house siege"),
        ],
    )
    assert stories[2] == stories[1] != stories[0]


async def test_concern_and_calls_are_statements_not_the_operation(redis):
    """The UN chief "deeply concerned" by an operation in Jenin, Hamas "calling" on people to
    confront it ("ندعو"), Guterres "expressing concern" ("يبدي قلقه"): statements, news of their
    own, not more reports of the operation they share every word of place with."""
    stories = await _stories(
        redis,
        [
            ("aljazeera-ar", "الجيش الإسرائيلي يطلق عملية عسكرية واسعة في جنين شمالي الضفة"),
            ("wafa-ar", "حركة حماس: ندعو جماهير شعبنا في الضفة إلى التصدي لعدوان الاحتلال على جنين"),
            ("aljazeera-ar", "غوتيريش يبدي قلقه من العملية الإسرائيلية في جنين ويدعو إلى ضبط النفس"),
            ("timesofisrael", "IDF launches major operation in northern West Bank's Jenin"),
            ("reuters", "UN's Guterres 'deeply concerned' over Israeli operation in Jenin, spokesman says"),
        ],
    )
    assert stories[0] not in (stories[1], stories[2])
    assert stories[3] != stories[4]


async def test_sirens_sounding_again_on_one_ticker_are_another_salvo(redis):
    """A ticker's "sirens sound in Kiryat Shmona", then an hour later "sirens sound again in
    Kiryat Shmona": the ticker says it is another salvo, as "a second barrage" does. "Forces
    storm Qabatiya again" says only that they came before, on another day: the ticker's next
    line about the besieged house there is the same raid."""
    stories = await _stories(
        redis,
        [
            (
                "almayadeen-en",
                "Israeli media: Sirens sound in Kiryat Shmona and its surroundings in the Upper Galilee.",
            ),
            ("almayadeen-en", "Israeli media: Sirens sound again in Kiryat Shmona."),
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in the West Bank: forces storm Qabatiya again and besiege a house",
            ),
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in the West Bank: forces fire a missile at the besieged house in Qabatiya",
            ),
        ],
    )
    assert stories[1] != stories[0]
    assert stories[3] == stories[2]


async def test_a_district_named_with_its_country_is_not_every_town_of_the_country(redis):
    """A wire's "strike on house in south Lebanon's Bint Jbeil district" names the district the
    strike was in; a strike on a building in Tyre, in Lebanon too but not in Bint Jbeil's
    district, is another event: the finest area a report names decides, not the country. A
    strike on a house in Aitaroun, in that district, is the wire's."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    stories = await _stories(
        redis,
        [
            (
                "reuters",
                "Israeli strike on house in south Lebanon's Bint Jbeil district kills three, health ministry says",
            ),
            ("almayadeen-en", f"{sl} An Israeli airstrike targeted a residential building in the city of Tyre."),
            ("almayadeen-en", f"{sl} Three martyrs in the Israeli strike on a house in the town of Aitaroun."),
        ],
    )
    assert stories[1] != stories[0] == stories[2]


async def test_a_drone_shot_down_over_a_town_is_not_a_strike_near_it(redis):
    """ "We shot down an Israeli Hermes 450 drone in the skies of Nabatieh" and "an Israeli
    airstrike targeted Kfar Roummane near Nabatieh", one ticker, half an hour apart: the one
    fired at the sky, the other from it. A wire's strike on Nabatieh is the strike's, the
    wire's drone shot down over Nabatieh the shoot-down's."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    stories = await _stories(
        redis,
        [
            (
                "almayadeen-en",
                "Islamic Resistance in Lebanon: We shot down an Israeli Hermes 450 drone in the skies of Nabatieh "
                "with a surface-to-air missile.",
            ),
            ("almayadeen-en", f"{sl} An Israeli airstrike targeted the town of Kfar Roummane near Nabatieh."),
            ("x", "Israeli airstrike hits Nabatieh"),
            ("y", "Hezbollah says it shot down Israeli drone over Nabatieh"),
        ],
    )
    assert stories[0] != stories[1] == stories[2] and stories[3] == stories[0]


async def test_one_place_by_its_other_names_and_a_camp_near_a_city(redis):
    """NNA writes "Sour" for Tyre and "Kfarromman" for Kfar Roummane; Israeli media "the occupied
    Golan", the army "the Golan Heights": one place each. "Nur Shams camp" and "near the city of
    Tulkarm" say what kind of place each of two places is, not two sides of one: the camp by the
    city, four killed in both."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    stories = await _stories(
        redis,
        [
            ("almayadeen-en", "Lebanese Ministry of Health: 7 wounded in the Israeli strike on a building in Tyre."),
            ("nna", "Hostile airstrike on a residential building in Sour city, several wounded"),
            ("almayadeen-en", f"{sl} An Israeli airstrike targeted the town of Kfar Roummane near Nabatieh."),
            ("nna", "Hostile raid on Kfarromman, Nabatieh district"),
            (
                "almayadeen-en",
                "Israeli media: A UAV approaching from the east was intercepted over the occupied Golan.",
            ),
            ("timesofisrael", "IDF says drone launched from the east intercepted over Golan Heights"),
            ("wafa", "Health Ministry: Four martyrs in the occupation drone strike on Nur Shams camp"),
            (
                "reuters",
                "Israeli drone strike kills four near West Bank city of Tulkarm, Palestinian health ministry says",
            ),
        ],
    )
    assert [stories[i] == stories[i - 1] for i in (1, 3, 5, 7)] == [True] * 4
    assert len({stories[0], stories[2], stories[4], stories[6]}) == 4


async def test_we_began_is_no_condemnation_and_a_deliberate_crime_is_a_statement(redis):
    """ "جيش الاحتلال: بدأنا عملية عسكرية واسعة في جنين" (we began a wide operation in Jenin) is
    the army's report of the operation, though "بدأنا" stems like "دان" (condemned), which is a
    statement only as written ("عون دان"). "ميقاتي: ... جريمة متعمّدة" (a deliberate crime) is
    Mikati's statement, the one "ميقاتي يدين" reports, not the strike on the municipality."""
    stories = await _stories(
        redis,
        [
            ("aljazeera-ar", "الجيش الإسرائيلي يطلق عملية عسكرية واسعة في جنين شمالي الضفة"),
            ("wafa-ar", "جيش الاحتلال: بدأنا عملية عسكرية واسعة في جنين بمشاركة الشاباك وحرس الحدود"),
            ("nna-ar", "غارة معادية دمرت مبنى بلدية النبطية وسقوط عدد من الشهداء بينهم رئيس البلدية"),
            ("almayadeen-ar", "رئيس الحكومة نجيب ميقاتي: استهداف اجتماع المجلس البلدي في النبطية جريمة متعمّدة"),
            ("aljazeera-ar", "ميقاتي يدين استهداف بلدية النبطية ويصفه بالجريمة المتعمدة"),
        ],
    )
    assert stories[1] == stories[0]
    assert stories[4] == stories[3] != stories[2]


async def test_arabic_vows_and_demands_are_statements_and_tyres_camps_lie_in_tyre(redis):
    """ "كاتس: سنعمل في جنين كما عملنا في غزة" (we will act in Jenin as in Gaza) and "الخارجية:
    العدوان على جنين ... يجب وقفه فوراً" (it must be stopped) are statements, not the operation
    in Jenin. The al-Bass camp in Tyre ("مخيم البص في صور") is a place in Tyre: a strike near it
    is not the strike on a building in the city that a wire places in Tyre."""
    sl = "مراسل الميادين في جنوب لبنان:"
    stories = await _stories(
        redis,
        [
            ("aljazeera-ar", "الجيش الإسرائيلي يطلق عملية عسكرية واسعة في جنين شمالي الضفة"),
            ("almayadeen-ar", "كاتس: سنعمل في جنين كما عملنا في غزة"),
            ("wafa-ar", "وزارة الخارجية والمغتربين: العدوان على جنين استمرار لحرب الإبادة ويجب وقفه فوراً"),
            ("alarabiya", "غارة إسرائيلية تدمّر مبنى من عدة طوابق في صور جنوبي لبنان"),
            ("almayadeen-ar", f"{sl} غارة إسرائيلية تستهدف محيط مخيم البص في صور"),
        ],
    )
    assert stories[0] not in (stories[1], stories[2])
    assert stories[4] != stories[3]


async def test_a_bus_hit_is_not_a_car_hit(redis):
    """A bus ("حافلة") is a thing hit of its own, as a car is: a drone on a bus in Kherson and a
    drone on a car in Kherson the same hour are two strikes."""
    stories = await _stories(
        redis,
        [
            ("kyivindependent", "Russian drone hits bus in Kherson, driver killed"),
            ("kyivindependent", "Russian drone hits car in Kherson, driver killed"),
            ("sanaa", "مسيّرة تستهدف حافلة في مدينة الفاشر"),
            ("sanaa", "مسيّرة تستهدف سيارة في مدينة الفاشر"),
        ],
    )
    assert stories[1] != stories[0] and stories[3] != stories[2]


async def test_a_place_whose_short_first_word_is_glued_is_still_that_place(redis):
    """ "بأم درمان" is "in Omdurman": the glued "ب" on the two-letter "أم" hid the place, and
    the toll update of the Sabreen market shelling, hours later, had only words to meet the
    first reports with."""
    clusterer = StoryClusterer(redis, Keys("t:"))
    now = time.time()
    reports = [
        (0, "almayadeen", "قصف مدفعي على سوق صابرين في أم درمان يوقع أكثر من 20 قتيلاً"),
        (25, "bbcarabic", "مقتل 21 شخصاً في قصف استهدف سوقاً شعبية بمدينة أم درمان السودانية"),
        (175, "aljazeera", "ارتفاع حصيلة قصف سوق صابرين بأم درمان إلى ٢٨ قتيلاً"),
    ]
    stories = [
        (await clusterer.assign(f"s{i}", text, now + 60 * minutes, source=source)).story
        for i, (minutes, source, text) in enumerate(reports)
    ]
    assert stories[2] == stories[0]


async def test_one_speaker_named_by_two_outlets_is_one_statement(redis):
    """ "Lebanese PM Najib Mikati: the targeting of Tyre is a blatant violation" and "Lebanon's
    Mikati condemns Israeli strike on Tyre": the one names Lebanon, the other Israel, the actor
    he spoke of, yet both name Mikati, who spoke. Berri's statement is another party's."""
    stories = await _stories(
        redis,
        [
            (
                "almayadeen-en",
                "Lebanese PM Najib Mikati: The targeting of Tyre is a blatant violation of all international laws.",
            ),
            (
                "aljazeera-en",
                "Lebanon's Mikati condemns Israeli strike on Tyre as 'blatant violation' of international law",
            ),
            ("aljazeera-en", "Lebanon's Berri condemns Israeli strike on Tyre as 'a massacre'"),
        ],
    )
    assert stories[1] == stories[0] != stories[2]


async def test_beiruts_southern_suburb_in_any_word_order_and_a_village_glued_or_apart(redis):
    """ "الضاحية الجنوبية لبيروت" and "ضاحية بيروت الجنوبية" are one suburb; "كفررمان" and "كفر
    رمان" one village, though written glued it has one "ر" where written apart it has two."""
    sl = "مراسل الميادين في جنوب لبنان:"
    stories = await _stories(
        redis,
        [
            ("almayadeen-ar", "مراسل الميادين: سلسلة غارات إسرائيلية عنيفة على الضاحية الجنوبية لبيروت"),
            ("bbc-ar", "غارات إسرائيلية على ضاحية بيروت الجنوبية"),
            ("almayadeen-ar", f"{sl} غارة إسرائيلية على بلدة كفررمان قرب النبطية"),
            ("nna-ar", "غارة على بلدة كفر رمان - قضاء النبطية"),
        ],
    )
    assert stories[1] == stories[0] and stories[3] == stories[2] != stories[0]


async def test_an_order_to_leave_a_town_is_news_of_its_own_a_building_warning_is_its_strike(redis):
    """ "Israel's military tells residents of Baalbek to leave ahead of strikes" is an order to
    a whole town, news of its own: the strike on a building in Douris at Baalbek's entrance
    that followed is another story. A warning to leave one building in Chiyah is the first
    report of the strike on that building."""
    stories = await _stories(
        redis,
        [
            ("reuters", "Israel's military tells residents of Lebanon's Baalbek to leave ahead of strikes"),
            ("nna", "Enemy raid flattens a two-storey building on the Douris highway at Baalbek's southern entrance"),
            (
                "almayadeen-en",
                "IOF Spokesperson: Evacuation warning for residents of a building in Chiyah, Beirut's southern suburb",
            ),
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in Beirut: Israeli warplanes struck the threatened building in Chiyah",
            ),
        ],
    )
    assert stories[1] != stories[0]
    assert stories[3] == stories[2]


async def test_bekaa_villages_are_places_and_a_town_home_to_temples_names_no_house(redis):
    """The Bekaa's villages (Douris, Brital, Nabi Chit: places.yaml, in Baalbek's district) are
    places as south Lebanon's are: strikes on Brital and on Douris stay two, NNA's "Britel" is
    Brital. "Baalbek, home to Roman-era temples" names no house hit: the evacuation call stays
    an order, not the strike on a building in Baalbek after it."""
    bq = "Al Mayadeen correspondent in the Bekaa:"
    stories = await _stories(
        redis,
        [
            ("almayadeen-en", f"{bq} An Israeli airstrike targeted a house in the town of Brital."),
            ("nna", "Enemy warplane strikes a house in Britel, Baalbek district"),
            ("almayadeen-en", f"{bq} An Israeli airstrike targeted a house in the town of Douris."),
            ("afp", "Israel issues evacuation call for whole of Lebanon's Baalbek, home to Roman-era temples"),
            ("reuters", "Israeli strike hits building in Lebanon's Baalbek"),
        ],
    )
    assert stories[1] == stories[0] != stories[2]
    assert stories[4] != stories[3]


async def test_an_arabic_tremor_is_the_quake_and_its_aftershock_is_not(redis):
    """ "زلزال" (earthquake) and "هزة أرضية" (a tremor) name one kind of event, as "quake" and
    "tremor" do: the interior ministry's toll "للزلزال" and a report of "الهزة الأرضية" in Morocco
    are the quake's; "هزة ارتدادية" (an aftershock) is an event of its own."""
    stories = await _stories(
        redis,
        [
            ("alarabiya", "زلزال بقوة 6.8 درجات يضرب وسط المغرب"),
            ("aljazeera-ar", "الهزة الأرضية في المغرب: مئات القتلى وانهيار منازل في إقليم الحوز"),
            ("alarabiya", "هزة ارتدادية بقوة 4.5 درجات تضرب المغرب"),
        ],
    )
    assert stories[1] == stories[0] != stories[2]


async def test_a_tally_is_not_the_strikes_it_counts_nor_another_spans_tally(redis):
    """A ministry's count since dawn shares the day's place, actor and verbs with the strike it
    counts, and is none of them; the war's count is not the day's. A wire giving the day's
    figure is the day's count; "the heaviest strikes since October 7" is an event, no tally."""
    bk = "Al Mayadeen correspondent in the Bekaa:"
    day = await _stories(
        redis,
        [
            ("almayadeen", f"{bk} An Israeli airstrike targeted a building in the Askariyeh neighbourhood of Baalbek."),
            (
                "almayadeen",
                "Lebanese Ministry of Public Health: Israeli strikes on the Baalbek governorate since dawn "
                "have killed 38 people and wounded 53.",
            ),
            ("ap", "Lebanon says Israeli strikes killed 38 in Baalbek province on Wednesday"),
            (
                "almayadeen",
                "Lebanese Ministry of Public Health: The total toll of the Israeli aggression on Baalbek "
                "since October 2023 has risen to 2,593 killed and 12,119 wounded.",
            ),
            ("nna", "Enemy warplane strikes residential building in Baalbek's Askariyeh quarter"),
        ],
    )
    assert day[1] != day[0] and day[2] == day[1] and day[3] not in (day[0], day[1])
    assert day[4] == day[0]
    await redis.flushdb()
    gaza = await _stories(
        redis,
        [
            ("almayadeen-ar", "وزارة الصحة في غزة: ٤٢ شهيداً و١٣٠ مصاباً وصلوا مستشفيات القطاع خلال الـ٢٤ ساعة الماضية"),
            ("almayadeen-ar", "وزارة الصحة في غزة: ارتفاع حصيلة العدوان إلى ٤٥٨٥٤ شهيداً منذ السابع من أكتوبر"),
            ("aljazeera-ar", "الصحة في غزة: 42 شهيدا و130 مصابا خلال يوم واحد"),
        ],
    )
    assert gaza[1] != gaza[0] and gaza[2] == gaza[0]
    await redis.flushdb()
    heaviest = await _stories(
        redis,
        [
            ("almayadeen", "Al Mayadeen correspondent in Gaza: The heaviest Israeli bombing of Rafah since October 7"),
            ("reuters", "Israel pounds Rafah in heaviest bombardment in months, residents say"),
        ],
    )
    assert heaviest[1] == heaviest[0]


async def test_arabic_cities_outside_the_curated_layer_are_places(redis):
    """A city the curated Arabic layer lacks is a place by its geonames Arabic name: two
    cities' blasts on one ticker are two events; a rewrite naming the same city joins."""
    lines = await _stories(
        redis,
        [
            ("alarabiya", "انهيار مبنى سكني في مراكش وفرق الإنقاذ تبحث عن ناجين"),
            ("alarabiya", "انهيار مبنى سكني في أكادير وفرق الإنقاذ تبحث عن ناجين"),
            ("aljazeera-ar", "فرق الإنقاذ تبحث عن ناجين تحت أنقاض مبنى انهار في أكادير"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[1]


async def test_where_a_quake_was_felt_is_not_where_it_struck(redis):
    """ "Felt in Ankara" says how far the tremor reached: the report is of the Malatya quake,
    not of an event in Ankara; a quake the report names elsewhere stays apart."""
    lines = await _stories(
        redis,
        [
            ("afad", "Magnitude 5.6 earthquake hits Malatya, no casualties reported so far"),
            ("reuters", "Magnitude 5.6 earthquake shakes eastern Turkey, felt in Ankara"),
            ("afad", "Magnitude 4.1 earthquake hits Ankara"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_an_arabic_ship_is_named_after_its_noun(redis):
    """Arabic has no capitals, but a ship is named right after "السفينة" and its adjectives,
    quoted or not: the Houthis' claim and a wire naming "روبيمار" are one attack; a claim on
    another ship the same day is another."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen-ar",
                'القوات المسلحة اليمنية: استهدفنا السفينة البريطانية "روبيمار" في خليج عدن بعدد من الصواريخ',
            ),
            ("aljazeera-ar", "الحوثيون يعلنون استهداف السفينة البريطانية روبيمار التي أصيبت جنوب المخا"),
            ("almayadeen-ar", 'القوات المسلحة اليمنية: استهدفنا السفينة الأمريكية "سي تشامبيون" في خليج عدن'),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_one_exchanges_close_is_one_story_its_open_and_another_exchange_are_not(redis):
    """ "Tokyo stocks end lower" is the Nikkei's close however a wire names it; the Nikkei's open
    that morning and London's close are other sessions' news."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Japan's Nikkei opens higher as yen weakens"),
            ("reuters", "Nikkei closes down 1.8% as chip stocks slide"),
            ("ap", "Tokyo stocks end lower, dragged by Tokyo Electron and Advantest"),
            ("reuters", "FTSE 100 closes down 0.7% as gilt yields rise"),
        ],
    )
    assert lines[2] == lines[1] and lines[0] != lines[1] and lines[3] not in (lines[0], lines[1])


async def test_an_arabic_province_is_as_coarse_as_a_city_and_a_quake_there_is_one_story(redis):
    """ "ولاية ملاطية" is a Turkish province (subdivisions_ar.yaml): the rescue in the rubble of
    "زلزال ملاطية" and the quake "east of Turkey" are one quake; a quake in Iran is another."""
    lines = await _stories(
        redis,
        [
            ("aljazeera-ar", "عاجل | زلزال بقوة 6.4 درجات يضرب ولاية ملاطية شرقي تركيا وأنباء عن انهيار مبانٍ"),
            ("skynews-ar", "فرق الإنقاذ تبحث عن ناجين تحت أنقاض مبانٍ انهارت جراء زلزال ملاطية"),
            ("rt-ar", "زلزال بقوة 5.2 درجات يضرب محافظة كرمان جنوب شرقي إيران"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_a_shooting_in_memphis_is_not_a_ministrys_tally_for_gaza_that_shares_a_figure(redis):
    """Nine wounded in Memphis and nine massacres in Gaza share a figure, not an event: the city
    is in the US, the tally in Palestine."""
    lines = await _stories(
        redis,
        [
            ("ap", "Police say 3 dead, 9 wounded in shooting at a house party in Memphis; shooter at large"),
            (
                "almayadeen",
                "Ministry of Health in Gaza: the occupation committed 9 massacres against families in the Gaza Strip "
                "in the past 24 hours, leaving 97 martyrs and 132 injured",
            ),
        ],
    )
    assert lines[1] != lines[0]


async def test_troops_raiding_a_hospital_are_not_a_drone_strike_on_its_courtyard(redis):
    """Troops raiding Kamal Adwan hospital and rounding up its staff are a ground operation; a
    drone strike on its courtyard that morning is another event, which a wire's rewrite joins."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent in Gaza: Israeli drone strike on Kamal Adwan Hospital courtyard, 2 martyrs",
            ),
            ("mee", "Israeli troops raid Kamal Adwan hospital, round up doctors and patients"),
            ("aljazeera", "Israeli drone strike hits Kamal Adwan hospital courtyard, killing two, director says"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[0]


async def test_a_tsunami_warning_for_other_coasts_is_the_quake_that_caused_it(redis):
    """Japan's tsunami warning for Okinawa "after a strong quake near Taiwan" names the coasts
    the wave may reach, not where the quake struck: it is the Hualien quake's news. A quake off
    Iwate the day before is another."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Magnitude 6.0 earthquake strikes off Japan's Iwate prefecture, no tsunami warning issued"),
            ("reuters", "Magnitude 7.4 earthquake strikes near Hualien, Taiwan - USGS"),
            ("reuters", "Japan issues tsunami warning for Okinawa islands after strong quake near Taiwan"),
        ],
    )
    assert lines[2] == lines[1] and lines[0] != lines[1]
    arabic = await _stories(
        redis,
        [
            ("aljazeera-ar", "زلزال بقوة 7.4 درجات يضرب تايوان ويهز العاصمة تايبيه"),
            ("rt-ar", "اليابان تصدر تحذيراً من تسونامي لجزر أوكيناوا بعد زلزال قوي قرب تايوان"),
        ],
    )
    assert arabic[1] == arabic[0]


async def test_an_arabic_province_word_does_not_change_which_place_it_is(redis):
    """ "إقليم الحوز" (Al Haouz province) is the Al Haouz another report names bare, as "محافظة"
    and "مدينة" are not part of a name (place_filler_ar); Taroudant's aftershock is another."""
    lines = await _stories(
        redis,
        [
            ("aljazeera-ar", "هزة ارتدادية بقوة 4.2 درجات تضرب إقليم الحوز وتثير الذعر بين السكان"),
            ("skynews-ar", "هزة ارتدادية جديدة تضرب الحوز في المغرب"),
            ("rt-ar", "هزة ارتدادية بقوة 3.9 درجات تضرب إقليم تارودانت"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_an_arabic_central_bank_named_two_ways_is_one_decision(redis):
    """ "المركزي المصري" and "البنك المركزي المصري" are the Central Bank of Egypt (synonyms.yaml
    entities), which decides a few times a year: its two reports that day are one decision; the
    Turkish central bank's is another."""
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", "الاحتياطي الفيدرالي يثبّت أسعار الفائدة"),
            ("skynews-ar", "المركزي الأمريكي يُبقي الفائدة دون تغيير للمرة الثالثة"),
            ("rt-ar", "بنك إنجلترا يُبقي الفائدة دون تغيير للمرة الثالثة"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_q_and_k_spell_one_place(redis):
    """ق is written q or k ("Qiryat Arba", "Kiryat Arba"): one place's key; another town's
    stabbing that hour is another event."""
    lines = await _stories(
        redis,
        [
            ("idf", "IOF Spokesperson: an attempted stabbing at the Kiryat Arba junction, the attacker was shot"),
            ("toi", "Troops kill alleged stabber near Qiryat Arba settlement, army says"),
            ("idf", "IOF Spokesperson: an attempted stabbing at the Gush Etzion junction, the attacker was shot"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_a_quoted_ship_name_anywhere_in_an_arabic_line_names_the_ship(redis):
    """A security firm names the ship hit hours earlier in a relative clause ("السفينة التي
    أصيبت ... هي "ماريا ستار""), not right after the noun: the Houthis' claim on that ship is
    the same attack; their claim on another ship that day is another."""
    lines = await _stories(
        redis,
        [
            ("bbc-arabic", 'أمبري: السفينة التي أصيبت جنوب شرق عدن هي "ماريا ستار" وترفع علم ليبيريا'),
            ("almayadeen-ar", 'القوات المسلحة اليمنية: استهدفنا السفينة "ماريا ستار" في خليج عدن بمسيّرات'),
            ("almayadeen-ar", 'القوات المسلحة اليمنية: استهدفنا السفينة "بيرل أوشن" في خليج عدن بمسيّرات'),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_a_capital_named_by_its_country_is_that_city_and_a_flagrant_violation_is_a_statement(redis):
    """ "العاصمة السورية" is Damascus, where a wire's report of the same blasts is; a ministry
    calling the raid "a flagrant violation" speaks of it and is news of its own."""
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", "مراسل الميادين في دمشق: سماع دوي انفجارات في العاصمة السورية"),
            ("aljazeera-ar", "قصف إسرائيلي على مبنى سكني في دمشق"),
            ("almayadeen-ar", "الخارجية السورية: العدوان الإسرائيلي على حي سكني في دمشق انتهاك صارخ للقانون الدولي"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]


async def test_a_run_together_arabic_name_is_the_place_and_calling_it_a_war_crime_is_a_statement(redis):
    """WAFA's "ديرالبلح" is Deir al-Balah: a strike there is not the aid seekers shot at the
    Kuwait roundabout in Gaza City (no country, no shared place); Hamas calling that "a new war
    crime" is a statement of its own, not a report of the shooting."""
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", "مراسل الميادين: غارة إسرائيلية على منزل في شارع البركة بدير البلح"),
            ("wafa", "شهداء وجرحى في قصف الاحتلال منزلاً في ديرالبلح وسط القطاع"),
            ("almayadeen-ar", "مراسل الميادين: شهداء باستهداف منتظري المساعدات عند دوار الكويت جنوب مدينة غزة"),
            ("almayadeen-ar", "حماس: استهداف منتظري المساعدات على دوار الكويت جريمة حرب جديدة"),
        ],
    )
    # the place itself; whether the vaguer WAFA line joins the street's strike is the Arabic join
    # model's call
    assert sig("شهداء وجرحى في قصف الاحتلال منزلاً في ديرالبلح وسط القطاع").places == sig("قصف منزل في دير البلح").places
    assert lines[2] not in (lines[0], lines[1]) and lines[3] not in (lines[0], lines[1], lines[2])


async def test_a_magnitude_before_a_comma_is_one_figure_and_agencies_differ_by_tenths(redis):
    """ "measured 5.1, the agency says" is a magnitude of 5.1, not the figures 5 and 1: another
    quake than the 6.4; USGS's 7.4 and the local agency's 7.2 are one quake."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Earthquake of magnitude 6.4 hits Hualien, Taiwan"),
            ("afp", "Quake in Hualien measured 5.1, Taiwan weather agency says"),
            ("reuters", "Magnitude 7.4 earthquake strikes near Taitung, Taiwan - USGS"),
            ("reuters", "Taiwan's weather agency says Taitung quake measured 7.2, strongest in years"),
        ],
    )
    assert lines[1] != lines[0] and lines[3] == lines[2]


async def test_condolences_and_offers_of_help_are_each_speakers_statement(redis):
    """An offer of help or condolences after a quake is a statement, not the quake."""
    english = await _stories(
        redis,
        [
            ("afp", "Taiwan quake kills four in Hualien, dozens injured"),
            ("ap", "Blinken says US ready to provide any necessary assistance to Taiwan after quake"),
            ("reuters", "Japan's Kishida offers condolences, says Tokyo ready to help Taiwan after quake"),
        ],
    )
    assert english[1] != english[0] and english[2] != english[0]
    await redis.flushdb()
    arabic = await _stories(
        redis,
        [
            ("bbc-ar", "زلزال المغرب: أكثر من 800 قتيل وأضرار في مدينة مراكش التاريخية"),
            ("france24-ar", "ماكرون يعرض مساعدة فرنسا على المغرب بعد الزلزال"),
            ("aljazeera-ar", "أردوغان يعزّي المغرب ويعرض المساعدة بعد الزلزال"),
        ],
    )
    assert arabic[1] != arabic[0] and arabic[2] != arabic[0]


def test_every_english_exchange_name_passes_the_quick_word_check():
    """_BOURSE_WORDS, made from headline_words.yaml `exchanges`, spares most headlines the
    exchanges' search: every name holds one of its words (else it would never be found), and they
    are few, shared words ('stocks', 'shares') taken before each name's own."""
    from jobs import vocabulary
    from jobs.signature import _BOURSE_WORDS

    names = [n for ns in vocabulary.exchanges().values() for n in ns if n.isascii()]
    assert [n for n in names if not any(w in n.lower() for w in _BOURSE_WORDS)] == []
    assert {"stocks", "shares"} <= set(_BOURSE_WORDS) and len(_BOURSE_WORDS) < len(names) / 2


async def test_a_big_town_a_road_is_named_after_is_not_where_on_it_the_strike_was(redis):
    """ "A convoy on the Damascus-Sweida road near al-Masmiyeh" is some 50 km from Damascus: the
    city the road starts from is a reference point, not the place the strike on the defence
    ministry in Damascus an hour before shares. A village at one end of its road stays a place:
    "the Mansouri–Majdal Zoun road" is a few hundred metres from Mansouri."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Israel strikes entrance of Syrian defence ministry compound in Damascus"),
            (
                "almayadeen",
                "Al Mayadeen correspondent in Syria: Israeli airstrikes target a Syrian army convoy on the "
                "Damascus-Sweida road near al-Masmiyeh",
            ),
        ],
    )
    assert lines[1] != lines[0]
    village = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent in southern Lebanon: an Israeli drone strike targeted a car on the "
                "Mansouri–Majdal Zoun road",
            ),
            ("nna", "Two killed in Israeli drone strike on a car near Mansouri, Tyre district"),
        ],
    )
    assert village[1] == village[0]


async def test_a_threat_of_painful_blows_is_a_statement_not_the_strike_it_follows(redis):
    """ "Katz: the warnings in Damascus have ended; now painful blows will come" is a threat (as
    "سيدفع الثمن", will pay the price, is in Arabic): news of its own beside the strike on the
    defence ministry in Damascus it follows, and one story with its rewrite."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Israel strikes entrance of Syrian defence ministry compound in Damascus"),
            (
                "almayadeen",
                "Israeli Defense Minister Katz: the warnings in Damascus have ended; now painful blows will come",
            ),
            ("toi", "Katz: 'The warnings in Damascus are over - now come painful blows'"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[1]


async def test_rewrites_that_say_it_in_other_words_join(redis):
    """ "Set fire to vehicles" is "torch cars", "release of detainees" is "free inmates",
    "furlough" is "layoffs": a rewrite in other words is the same report; a settlers' attack in
    another village the same morning is not."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent in the West Bank: settlers attack homes in Kafr Qaddum and set fire "
                "to vehicles",
            ),
            ("afp", "Israeli settlers torch cars in West Bank village, Palestinian officials say"),
            ("wafa", "Settlers torch cars in Turmus Ayya"),
        ],
    )
    assert lines[1] == lines[0] and lines[2] != lines[0]
    prison = await _stories(
        redis,
        [
            ("almayadeen", "Armed factions announce the release of detainees in Syria"),
            ("reuters", "Rebels free inmates across Syria"),
        ],
    )
    assert prison[1] == prison[0]
    boeing = await _stories(
        redis,
        [
            ("reuters", "Boeing to furlough tens of thousands of employees as machinists' strike drags on"),
            ("bloomberg", "Boeing begins temporary layoffs to save cash during strike"),
        ],
    )
    assert boeing[1] == boeing[0]


async def test_two_leaders_offering_help_in_arabic_are_two_statements(redis):
    """Arabic has no capitals to make "ماكرون" and "أردوغان" names: the leader a headline opens
    with is who speaks, so Macron's and Erdogan's offers of help to Morocco are two statements,
    and Erdogan's two are one. Named later, a leader is what the report is about: Macron
    appointing Bayrou and "Bayrou new head of France's government" stay one story."""
    lines = await _stories(
        redis,
        [
            ("alarabiya", "ماكرون: فرنسا مستعدة لتقديم المساعدة للمغرب إثر الزلزال المروّع"),
            ("aljazeera-ar", "أردوغان يعزّي المغرب ويعرض المساعدة"),
            ("trt-ar", "أردوغان: تركيا مستعدة لتقديم كل أشكال الدعم للمغرب"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[1]
    appointed = await _stories(
        redis,
        [
            ("aljazeera-ar", "ماكرون يعين فرانسوا بايرو رئيساً للوزراء خلفاً لبارنييه"),
            ("skynews-ar", "فرانسوا بايرو رئيساً جديداً لحكومة فرنسا"),
        ],
    )
    assert appointed[1] == appointed[0]


async def test_a_place_named_only_as_the_cause_is_not_where_the_response_struck(redis):
    """ "Airstrikes on PKK positions in Iraq and Syria in response to Ankara attack" happened in
    Iraq and Syria: Ankara, named only in the clause, is where the attack it answers was, not a
    place it shares with the Ankara attack's report. An area only as who acted ("Japan demands an
    explanation from China after ...") leaves the clause's place to the report."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Turkish Interior Minister: The perpetrators of the attack on the TUSAS facility in Ankara were "
                "from the PKK",
            ),
            (
                "almayadeen",
                "Turkish Defense Ministry: Airstrikes on PKK positions in Iraq and Syria in response to Ankara attack",
            ),
        ],
    )
    assert lines[1] != lines[0]
    reaction = await _stories(
        redis,
        [
            ("reuters", "Japanese boy stabbed in China dies, Tokyo says"),
            ("kyodo", "Japan demands explanation from China after boy stabbed in Shenzhen"),
        ],
    )
    assert reaction[1] != reaction[0]


async def test_a_companys_shares_move_is_its_results_news(redis):
    """ "Eli Lilly shares tumble after weight-loss drug sales fall short" is the news of "Eli
    Lilly misses revenue estimates": both open with the company. Stocks drifting "ahead of
    Microsoft and Meta results" are the market's own news, apart from Microsoft's results."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Eli Lilly misses third-quarter revenue estimates, cuts full-year guidance on weaker sales"),
            ("cnbc", "Eli Lilly shares tumble after weight-loss drug sales fall short of forecasts"),
        ],
    )
    assert lines[1] == lines[0]
    market = await _stories(
        redis,
        [
            ("ap", "Stocks drift lower on Wall Street ahead of Microsoft and Meta results"),
            ("reuters", "Microsoft beats quarterly estimates on strong cloud demand"),
        ],
    )
    assert market[1] != market[0]


async def test_no_damage_after_a_quake_is_the_quakes_news(redis):
    """ "TEPCO says no abnormalities found at Fukushima nuclear plants after quake" reports the
    quake's damage (none), as a toll does: not what followed it."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Magnitude 5.8 quake hits off Fukushima, no tsunami warning issued"),
            ("kyodo", "TEPCO says no abnormalities found at Fukushima nuclear plants after quake"),
        ],
    )
    assert lines[1] == lines[0]


async def test_a_country_named_as_the_place_hit_is_not_a_second_actor(redis):
    """ "Ukrainian drones hit an arms depot in Russia's Toropets" and "drone attack sparks fire at
    Russian arms depot in Tver region": "Russian" is whose depot was hit, a country the first
    report names as the place, not an actor beside the Ukrainians."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Ukrainian drones hit huge arms depot in Russia's Toropets, triggering massive blasts"),
            ("ap", "Drone attack sparks fire at Russian arms depot in Tver region, governor says"),
        ],
    )
    assert lines[1] == lines[0]


async def test_one_village_in_two_unlike_spellings_is_one_place(redis):
    """The gazetteer keeps "Mays al-Jabal" and "Meiss el-Jabal" as two ids (their letters differ
    too much for it to call them one name), and "Chmestar" is the French spelling of "Shmustar":
    spelled alike once that is allowed for, in the same district, they are one village, and the
    ticker's strike and the wire's rewrite one story. An unknown spelling ("Muwasi") of a name the
    gazetteer holds among homonyms is that name. Another village of the district stays apart."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} an Israeli drone targeted a car on the road into Mays al-Jabal"),
            ("reuters", "One killed as Israeli drone hits vehicle at entrance of Meiss el-Jabal"),
            ("almayadeen", "Al Mayadeen correspondent in the Bekaa: An Israeli airstrike targeted Shmustar."),
            ("ap", "Israeli strike on Chmestar in Lebanon's Bekaa Valley kills 3, civil defense says"),
            (
                "almayadeen",
                "Al Mayadeen correspondent in Gaza: Israeli strike targets tents of displaced people in "
                "al-Mawasi, west of Khan Younis",
            ),
            ("afp", "Israeli strike hits tents in Muwasi humanitarian zone, killing 4, hospital says"),
            ("almayadeen", f"{sl} an Israeli drone targeted a car on the road into Houla"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[3] == lines[2]
    assert lines[5] == lines[4]
    assert lines[6] not in (lines[0], lines[2], lines[4])


async def test_a_politicians_words_about_a_strike_are_not_the_strike(redis):
    """ "Netanyahu: Israel deeply regrets the tragic mishap at Nasser Hospital" speaks of the
    strike that killed twenty there; it reports no strike, no dead and no toll: a statement, which
    every labelled set keeps apart from the event. Another outlet's "Netanyahu says Israel 'deeply
    regrets'..." is the same statement. A minister who gives the dead reports the event."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Israeli strikes on Gaza's Nasser hospital kill at least 15, including journalists"),
            (
                "almayadeen",
                "Ministry of Health in Gaza: toll of the Israeli strikes on Nasser Medical Complex rises to 20 martyrs",
            ),
            ("almayadeen", "Netanyahu: Israel deeply regrets the tragic mishap that occurred today at Nasser Hospital"),
            ("ap", "Netanyahu says Israel 'deeply regrets' tragic mishap at Nasser hospital"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[2] not in (lines[0], lines[1])
    assert lines[3] == lines[2]


async def test_an_arabic_threat_of_painful_blows_is_a_statement(redis):
    """ "كاتس: انتهت الإنذارات في دمشق والآن ستأتي الضربات المؤلمة" (the warnings to Damascus are
    over, now the painful blows will come) names blows to come, not one struck: a threat, as
    "painful blows" is in English, apart from the strike on the General Staff an hour before."""
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", "مراسل الميادين في دمشق: غارة إسرائيلية تستهدف مدخل مبنى هيئة الأركان في ساحة الأمويين"),
            ("alarabiya", "عاجل | غارة إسرائيلية على مقر هيئة الأركان السورية وسط دمشق"),
            ("almayadeen-ar", "وزير الأمن يسرائيل كاتس: انتهت الإنذارات في دمشق والآن ستأتي الضربات المؤلمة"),
            ("skynewsarabia", "كاتس: التحذيرات لدمشق انتهت.. والآن ستأتي الضربات المؤلمة"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[2] not in (lines[0], lines[1])
    assert lines[3] == lines[2]


async def test_gaza_city_is_not_the_strip_that_holds_khan_younis(redis):
    """ "Gaza City", "Gaza" and "the Gaza Strip" shared one key, and Khan Younis lies in the
    Strip: the city then held Khan Younis, and a strike there joined the ticker's strike in Gaza
    City. The city is its own place (spellings.yaml), inside the Strip: a report naming only
    "Gaza" still joins it."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Israeli strikes on Khan Younis kill several overnight"),
            ("almayadeen", "Al Mayadeen's correspondent in Gaza: Israeli strike kills 5 in Gaza City"),
            ("almayadeen", "Air strikes hit Khan Younis overnight, several killed"),
            ("ap", "Five killed as Israeli strike hits home in Gaza"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] == lines[0]
    assert lines[3] == lines[1]


async def test_holding_someone_responsible_is_a_statement(redis):
    """ "Holds responsible" was a statement only written together; "Al Jazeera holds Netanyahu
    responsible for staff safety" names whom between the words, and is still the network's
    statement, not the Knesset's vote on the law it answers."""
    lines = await _stories(
        redis,
        [
            ("toi", "Knesset passes law allowing government to shutter Al Jazeera in Israel"),
            ("reuters", "Israel passes law allowing it to shut down foreign broadcasters like Al Jazeera"),
            ("aljazeera", "Al Jazeera holds Netanyahu responsible for staff safety after 'incitement' over new law"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[2] != lines[0]


async def test_kyiv_and_kiev_are_one_city(redis):
    """One skeleton, one region, but letters too unlike for the gazetteer to call them one name:
    "Kyiv" and "Kiev" were two places, and a wire's rewrite of the ticker's strike a second alert
    (spellings.yaml now lists such transliterations: Turkiye, Bayrut, Hims, Dubayy...)."""
    lines = await _stories(
        redis,
        [
            ("kyivindependent", "Russian missile strike on Kyiv kills 5"),
            ("tass", "Russian missiles hit Kiev, killing five"),
        ],
    )
    assert lines[1] == lines[0]


async def test_lod_airport_is_ben_gurion_in_arabic(redis):
    """Arabic outlets name Ben Gurion airport by the town beside it, "مطار اللد": the claim of a
    missile at it and another outlet's "مطار بن غوريون" are one launch (place_parents.yaml same)."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen-ar",
                "القوات المسلحة اليمنية: استهدفنا مطار اللد في منطقة يافا المحتلة بصاروخ باليستي فرط صوتي",
            ),
            ("rt-arabic", "الحوثيون يعلنون استهداف مطار بن غوريون بصاروخ فرط صوتي"),
        ],
    )
    assert lines[1] == lines[0]


async def test_a_partys_words_are_a_statement_its_toll_is_not(redis):
    """A party speaks as a politician does: "Hamas: Netanyahu's threats to storm Rafah aim to
    escape responsibility" is not the strike on a home in Rafah that hour. When the party reports
    a killing ("Hamas: Mahmoud Abu Watfa martyred in the Israeli strikes"), it reports the event,
    and another outlet's "Hamas says senior Gaza security official killed" is the same."""
    lines = await _stories(
        redis,
        [
            ("anadolu", "Israeli strike on home in western Rafah kills 5 Palestinians"),
            (
                "almayadeen",
                "Hamas: Netanyahu's threats to storm Rafah aim to escape responsibility for his failure",
            ),
            (
                "almayadeen",
                "Hamas: Mahmoud Abu Watfa, head of the Interior Ministry in Gaza, martyred in Israeli strikes",
            ),
            ("reuters", "Hamas says senior Gaza security official Mahmoud Abu Watfa killed in Israeli strikes"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] == lines[2]


async def test_two_provinces_of_one_country_are_two_events(redis):
    """Floods that kill people in one province and floods that kill people in another province
    of the same country, the same hours, share the kind, the country and the verbs: two events
    (each province is a first-level subdivision, none inside the other). A report of the first
    province's rising toll joins it; a report that names only the country may be either."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Flash floods kill at least 30 in Pakistan's Balochistan province"),
            ("afp", "Flash floods kill 14 in Pakistan's Sindh province, officials say"),
            ("ap", "Balochistan flood death toll climbs to 41, disaster agency says"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] == lines[0]


async def test_a_funeral_is_not_the_strike_it_mourns(redis):
    """A funeral for the dead of a strike shares the strike's town, its dead and its words; it is
    news of its own hours later, in English and Arabic. A strike that hits a funeral is a strike,
    and another outlet's report of it joins it."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} Israeli drone strike on a car in Kfar Kila kills two"),
            ("almayadeen", f"{sl} Mass funeral in Kfar Kila for the two martyrs of the drone strike"),
            ("almayadeen-ar", "مراسل الميادين في جنوب لبنان: غارة من مسيّرة إسرائيلية على دراجة نارية في بلدة حولا"),
            ("almayadeen-ar", "مراسل الميادين في جنوب لبنان: الآلاف يشاركون في تشييع الشهيد في بلدة حولا"),
            ("reuters", "Israeli strike hits funeral procession near Tubas, killing 4"),
            ("afp", "Four killed as Israeli strike targets funeral procession near Tubas"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]
    assert lines[5] == lines[4]


async def test_an_arabic_demand_to_leave_a_city_is_not_a_strike_there(redis):
    """ "يطالب سكان مدينة صور بإخلائها" and "يوجّه إنذاراً ... بالإخلاء" order a whole city out, as
    "يأمر بإخلاء" does: news of their own, not the strikes on the city and a village near it an
    hour later; two outlets' orders are one story."""
    lines = await _stories(
        redis,
        [
            ("aljazeera-ar", "عاجل | الجيش الإسرائيلي يطالب سكان مدينة صور جنوبي لبنان بإخلائها فورا"),
            ("almayadeen-ar", "المتحدث باسم جيش الاحتلال يوجّه إنذاراً لسكان مدينة صور بالإخلاء الفوري"),
            ("almayadeen-ar", "مراسل الميادين في جنوب لبنان: غارات إسرائيلية على مدينة صور"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[2] != lines[0]


async def test_i_call_on_is_the_same_appeal_as_urges(redis):
    """ "X: I call on Y to ..." is the appeal another outlet writes "X urges Y to ...": one
    statement, where "call on" read as a report and "urges" as a statement kept them apart."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "Lapid: I call on Gantz to quit the emergency government today"),
            ("toi", "Lapid urges Gantz to quit emergency government, says it has failed"),
        ],
    )
    assert lines[1] == lines[0]


async def test_two_quarters_of_one_town_are_two_places_when_one_report_names_the_town(redis):
    """ "a house in Tel al-Sultan, west of Rafah" and "a house in the al-Junaina neighbourhood in
    Rafah": the town holds Tel al-Sultan, so the two seemed nested; but the second report's own
    place is another quarter, and the town is only where it lies. Two strikes; a wire that names
    only the town may join either, never bridge the two."""
    gaza = "Al Mayadeen correspondent in Gaza:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{gaza} 3 martyrs in an Israeli airstrike on a house in Tel al-Sultan, west of Rafah"),
            ("reuters", "Israeli strike on Rafah home kills three, medics say"),
            ("almayadeen", f"{gaza} Israeli airstrike on a house in the al-Junaina neighbourhood in Rafah"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[2] != lines[0]


async def test_an_unknown_name_is_not_the_known_place_its_short_skeleton_also_is(redis):
    """ "the Hezyaz power station" is a place the gazetteer lacks; its skeleton 'hz' is also the
    key of Heze (China) and Haouz (Morocco), which it is spelled like neither: another place
    (placenames.unknown_place_key), so the name stays a name both reports share, and the
    ticker's raid and its power cut are one story, where the short key kept them apart."""
    ym = "Al Mayadeen correspondent in Yemen:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{ym} Israeli aggression launched raids on the Hezyaz power station, south of Sanaa."),
            ("almayadeen", f"{ym} Power outage in parts of Sanaa following the Israeli raids on the Hezyaz station."),
        ],
    )
    assert lines[1] == lines[0]


def test_unknown_place_keys_stay_apart_from_unlike_known_places_of_their_skeleton():
    from jobs.placenames import place_id, place_key, unknown_place_key

    assert unknown_place_key("Hezyaz") == "hz*" != place_id("Haouz")
    assert unknown_place_key("Heze") == place_id("Heze")  # a spelling the gazetteer holds
    assert unknown_place_key("Kfar Shouba") == place_key("Kfar Shouba")  # long skeletons keep theirs


async def test_two_lines_of_one_leaders_speech_are_one_statement_though_one_vows(redis):
    """A speech quoted line by line: "الأمين العام لحزب الله: ..." and "نعيم قاسم: سنواصل ..." both
    quote the party's leader (headline_words.yaml `politician`: أمين, the leaders' names); the one
    that vows ("سنواصل") reads as a statement and the other not, which kept two lines of one
    speech apart."""
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", "أمين عام حزب الله الشيخ نعيم قاسم: سنواصل القتال ولا نستجدي وقف إطلاق النار من أحد"),
            ("almayadeen-ar", "الشيخ نعيم قاسم: لا نستجدي وقف إطلاق النار من أحد"),
        ],
    )
    assert lines[1] == lines[0]


async def test_following_with_concern_and_will_not_deter_are_statements(redis):
    """ "UNESCO: we are following with concern the Israeli threats against Tyre's heritage" and
    "... will not deter us" speak about an event: statements, apart from the strike and the law
    they answer, as "expresses concern" was."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} An Israeli airstrike targeted a building near the Roman ruins in Tyre."),
            ("almayadeen", "UNESCO: We are following with concern the Israeli threats against the Tyre heritage site."),
            ("reuters", "Israeli parliament passes law to close foreign broadcasters including Al Jazeera"),
            ("almayadeen", "Al Jazeera Network: the law to close broadcasters will not deter us from our coverage"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]


async def test_a_prison_break_is_not_the_airports_capture(redis):
    """A prison is a thing hit or taken (synonyms.yaml objects: prison, سجن), as an airport is:
    the prison break and the airport's capture in one city the same hour are two events."""
    lines = await _stories(
        redis,
        [
            ("reuters", "M23 rebels seize Bukavu airport as Congolese troops withdraw"),
            ("afp", "Thousands escape Bukavu prison as M23 rebels enter the city"),
        ],
    )
    assert lines[1] != lines[0]


async def test_an_airstrike_and_artillery_shelling_of_one_village_are_two_attacks(redis):
    """Artillery shelling is an attack from the ground, as Arabic's "قصف مدفعي" already was: an
    airstrike on a house in a village and shells on its outskirts are two events."""
    sl = "Al Mayadeen correspondent in southern Lebanon:"
    lines = await _stories(
        redis,
        [
            ("almayadeen", f"{sl} Israeli airstrike on a house in Khiam"),
            ("almayadeen", f"{sl} Israeli artillery shells the outskirts of Khiam and Ibl al-Saqi"),
        ],
    )
    assert lines[1] != lines[0]


def test_a_front_named_after_a_town_is_an_area():
    """ "the Kharkiv direction", "the Pokrovsk axis": a front named after its town, a wide area
    (as "the Baalbek district" is), not the town a strike hit."""
    front = sig("Zelensky: we met Russian forces in the Kharkiv direction with our brigades")
    town = sig("Russian missile strike hits Kharkiv apartment block")
    assert "krkv" in {a.split(":")[1] for a in front.areas} and not front.places
    assert "krkv" in {p.split(":")[1] for p in town.places}


async def test_a_statement_about_the_dead_is_not_the_strike_that_killed_them(redis):
    """ "deeply concerned by reports of civilian deaths", "condemns the shelling that killed five":
    the dead named after a statement's word are what it reacts to, not a toll it reports, so the
    statement is news of its own beside the strike; "seven wounded; we condemn" still reports."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Drone strike kills at least 30 in Ethiopia's Amhara region, hospital says"),
            ("almayadeen", "UK Embassy in Addis Ababa: deeply concerned by reports of civilian deaths in Amhara"),
            ("ap", "At least 30 killed in drone strike in Ethiopia's Amhara, health official says"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] == lines[0]


async def test_a_call_for_a_truce_is_not_the_truce_ordered(redis):
    """ "calls for" is an appeal, as "calls on" and "urges" are: a church leader's call for a
    holiday truce is not the president's order of one; an army's "evacuation call" for a city
    is still an order to leave, and joins another outlet's."""
    lines = await _stories(
        redis,
        [
            ("tass", "Patriarch Kirill calls for Christmas truce in Ukraine"),
            ("reuters", "Putin orders 36-hour Christmas ceasefire in Ukraine"),
            ("afp", "Israel issues evacuation call for all of Lebanon's Tyre"),
            ("reuters", "Israeli military tells residents of Lebanon's Tyre to leave ahead of strikes"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] == lines[2]


def test_the_black_sea_is_a_wide_area():
    """ "Ukraine's Black Sea port of Odesa": the Black Sea (and the Baltic, the Sea of Azov) is a
    wide area, as the Red Sea is, never a name the other report lacks."""
    wire = sig("Russian missile attack on Ukraine's Black Sea port of Odesa kills 9")
    ticker = sig("Odesa governor: Russia struck Odesa with a ballistic missile, casualties reported")
    assert "Europe:blck s" in wire.areas and not wire.names
    assert not specifics_disagree(wire, ticker)
    azov = sig("Ukrainian drones hit a tanker in the Sea of Azov")
    assert any(a.startswith("Europe:") for a in azov.areas) and not azov.places


async def test_a_train_named_express_is_no_place(redis):
    """ "the Jaffer Express" is a train, not a place the other report lacks: the rescue reported
    from the operation's district joins the wire's rescue from the train."""
    lines = await _stories(
        redis,
        [
            ("geo", "Security sources: 190 passengers rescued, 30 militants killed in Bolan operation"),
            ("reuters", "Pakistan train siege: forces rescue 190 passengers from Jaffer Express"),
        ],
    )
    assert lines[1] == lines[0]


async def test_an_armed_group_is_an_actor_not_a_name_its_lines_share(redis):
    """al-Shabaab, Fano, ISWAP, the BLA...: who acted, as the Houthis are (synonyms.yaml
    entities). As names they were shared by every line of their ticker and outweighed two
    villages; "Kobo town" and "between Jalalaqsi and Buloburde" are places, so the lines of one
    group's day in two towns stay apart."""
    lines = await _stories(
        redis,
        [
            ("addis", "Fano militia: our fighters captured a police station in Debark"),
            ("addis", "Residents: Fano fighters take control of Lalibela town"),
            ("hiiraan", "Somali National Army: al-Shabaab attack on army base in Galcad repelled"),
            ("hiiraan", "Somali National Army: al-Shabaab fighters ambush convoy between Mahas and Bulo Fulay"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]
    shabaab = sig("Somali army says al-Shabaab attack on Galcad base repelled")
    assert "shabaab" in shabaab.actors and not shabaab.names


def test_an_ambush_is_an_attack_on_the_ground():
    """An ambush is made on the ground, as a storming or a shelling is: not the airstrike near
    one of its towns the same day."""
    from jobs.signature import _mode

    assert _mode("al-Shabaab fighters ambush army convoy near Buloburde", "en") == "ground"
    assert _mode("US airstrike near Buloburde kills two al-Shabaab fighters", "en") == "air"


def test_a_governors_prefix_is_attribution_from_its_first_line():
    """ "Odesa governor Kiper:" names a speaker as "spokesman" does: cut from the ticker's first
    line, not only once the source has led two lines with it, so the first line and its toll
    update compare alike."""
    from jobs.vocabulary import is_attribution

    assert is_attribution("Odesa governor Kiper") and is_attribution("Kharkiv mayor Terekhov")


async def test_an_arabic_countryside_with_a_glued_letter_is_an_area(redis):
    """ "بريف جبلة" is Jableh's countryside, as "ريف جبلة" is: an area, so two villages of it
    (bodies found in one, an abduction from another) are two places, not one town shared."""
    coast = "مراسل الميادين في الساحل السوري:"
    lines = await _stories(
        redis,
        [
            ("almayadeen-ar", f"{coast} العثور على جثة شاب مقتول في قرية الدالية بريف جبلة"),
            ("almayadeen-ar", f"{coast} مسلحون مجهولون يخطفون شابين من قرية عين الشرقية بريف جبلة"),
        ],
    )
    assert lines[1] != lines[0]
    body = sig("العثور على جثة شاب مقتول في قرية الدالية بريف جبلة")
    assert "MENA:جبله" in body.areas and not any("جبله" in p for p in body.places)


async def test_a_speakers_statement_and_a_wire_telling_of_it_are_one_statement(redis):
    """ "French Foreign Ministry: Paris requests a UN meeting" and "France calls for a UN
    meeting": one speaker's words, whichever verb reads as a reaction ("calls for"), so the two
    join. A line naming a second party beside the speaker is that party's answer ("Al Jazeera
    holds Netanyahu responsible" after "Netanyahu: ... stop Al Jazeera"): two statements."""
    france = await _stories(
        redis,
        [
            ("news.am", "French Foreign Ministry: Paris requests urgent UN Security Council meeting on Karabakh"),
            ("afp", "France calls for urgent UN Security Council meeting on Karabakh"),
        ],
    )
    assert france[1] == france[0]
    answer = await _stories(
        redis,
        [
            ("almayadeen-en", "Netanyahu: I intend to act under the new law to stop the activity of Al Jazeera"),
            ("aljazeera-en", "Al Jazeera holds Netanyahu responsible for staff safety after 'incitement'"),
        ],
    )
    assert answer[1] != answer[0]


async def test_karabakh_and_nagorno_karabakh_are_one_area(redis):
    """ "Karabakh region" is Nagorno-Karabakh, and Khankendi is Stepanakert: one area and one
    city under two names, so the wires' rewrites join the ticker's lines; the police killed by a
    landmine there that morning stay their own event."""
    lines = await _stories(
        redis,
        [
            ("news.am", "Azerbaijani Defense Ministry: 'local anti-terrorist measures' launched in Karabakh region"),
            ("reuters", "Azerbaijan launches 'anti-terrorist' operation in Nagorno-Karabakh"),
            ("news.am", "News.am correspondent in Stepanakert: powerful explosions heard in Stepanakert, sirens"),
            ("reuters", "Explosions heard in Karabakh city of Khankendi, known to Armenians as Stepanakert"),
            ("afp", "Four Azerbaijani policemen killed by landmine in Karabakh region, Baku says"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[3] == lines[2] != lines[0]
    assert lines[4] not in (lines[0], lines[2])


async def test_an_armed_force_at_a_lines_head_is_an_actor_not_a_shared_name(redis):
    """ "Junta jet bombs ...", "TNLA: Junta troops opened fire ...": capitalised at the head of
    every line of a Myanmar ticker, the junta read as a name all its lines shared, positive
    evidence of one event, and a day of airstrikes on different villages, the quake's toll and a
    convoy fired on became one story. It is who acted, as the Houthis are."""
    lines = await _stories(
        redis,
        [
            ("myanmar-now", "TNLA: Junta troops opened fire on a Chinese Red Cross convoy carrying quake aid"),
            ("myanmar-now", "Junta information team: Earthquake death toll rises to 2,886, with 4,639 injured"),
            ("myanmar-now", "Tabayin township: Junta Y-12 aircraft bombs Htan Taw village, killing a monk"),
            ("myanmar-now", "Ye-U township: Junta fighter jet drops two bombs near Zee Phyu Kone village"),
        ],
    )
    assert len(set(lines)) == 4
    assert "junta" in sig("Junta jet bombs Let Pan Chaung village in Myinmu again").actors


async def test_a_name_before_province_or_region_is_the_area_not_a_place(redis):
    """ "in Tambarga, Tapoa province" and "in Partiaga village, Tapoa province": the province is
    where both villages lie, an area; taken for a place both named, it joined an attack on a
    militia post in one village and the killing of five civilians in the other."""
    lines = await _stories(
        redis,
        [
            ("wamaps", "Burkina Faso: Armed men attack a VDP post in Tambarga, Tapoa province"),
            ("wamaps", "Burkina Faso: Gunmen kill five civilians in Partiaga village, Tapoa province"),
        ],
    )
    assert lines[1] != lines[0]
    chartar = sig("Artsakh Human Rights Defender: Chartar village of Martuni region under intensive shelling")
    assert len(chartar.places) == 1 and len(chartar.areas) == 1


async def test_a_city_named_port_is_not_a_port_that_was_hit(redis):
    """ "Port Sudan" names a city, not a port: read as the object hit, it agreed with every other
    strike in the city, and the airport, the fuel depot and the power station, hit by drones the
    same day, became one story. What each strike hit keeps them apart."""
    lines = await _stories(
        redis,
        [
            ("sudan-tribune", "Port Sudan: A drone strikes Port Sudan International Airport, fire near the terminal"),
            ("ap", "New drone strike ignites fuel depot in Sudan's Port Sudan"),
            ("reuters", "Drone strike on Port Sudan power station causes city-wide blackout"),
        ],
    )
    assert len(set(lines)) == 3
    assert "port" not in sig("New drone strike ignites fuel depot in Sudan's Port Sudan").tokens
    assert "port" in sig("Drones hit Hodeidah port").tokens


async def test_a_speaker_in_the_town_giving_the_toll_is_evidence_of_its_strike(redis):
    """ "Health Ministry office in Nuseirat: the toll of the strike on a house in the camp rose to 7":
    the update names no place of its own, but its speaker is in Nuseirat, where the ticker's
    strike on a house was: as close as one town, so the update joins. A dateline ("El Fasher:")
    is no speaker: every line of that town's day leads with it, and the shells near a hospital
    stay apart from the shelling of Abu Shouk camp."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen-en",
                "Al Mayadeen correspondent in Gaza: 5 martyrs in an Israeli strike on a house in Block 2 of the "
                "Nuseirat camp, central Gaza Strip",
            ),
            (
                "almayadeen-en",
                "Health Ministry office in Nuseirat: The toll of the strike on a house in the camp rose to 7",
            ),
            ("dabanga", "Four killed as RSF shells Abu Shouk camp in El Fasher"),
            ("sudan-tribune", "El Fasher: RSF shells land near the Saudi Hospital, no casualties reported"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[3] != lines[2]


async def test_a_curfew_is_a_decision_of_its_own_not_the_attack_it_follows(redis):
    """ "Timbuktu governor announces a curfew", "Timbuktu: curfew imposed after attack on military
    camp": a decision the attack caused, news of its own as a condemnation is, though it names
    the town and the attack; the curfew's two reports still join each other."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Islamist militants attack army camp in Mali's Timbuktu, residents say"),
            ("wamaps", "Mali: JNIM claims the attack on the Timbuktu military camp through its az-Zallaqa outlet"),
            ("wamaps", "Mali: Timbuktu governor announces a curfew from 8 p.m. to 6 a.m. until further notice"),
            ("studio-tamani", "Timbuktu: Curfew imposed after attack on military camp"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[3] == lines[2] != lines[0]


async def test_ben_gurion_written_with_jim_is_the_same_airport(redis):
    """ "مطار بن جوريون": Gurion written with جيم, as outlets that read the hard g that way write
    it, is the airport the ticker writes with غين; the claim and its rewrite join, and a
    claim on Eilat's port stays apart."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "القوات المسلحة اليمنية: استهدفنا مطار بن غوريون في يافا المحتلة بصاروخ فرط صوتي"),
            ("aljazeera", "الحوثيون: قصفنا مطار بن جوريون بصاروخ باليستي فرط صوتي"),
            ("almayadeen", "القوات المسلحة اليمنية: استهدفنا ميناء أم الرشراش بطائرة مسيرة"),
        ],
    )
    assert lines[1] == lines[0] != lines[2]


async def test_two_countries_condemning_one_attack_are_two_statements(redis):
    """ "Saudi Arabia condemns the drone attacks on Port Sudan", "Qatar condemns the drone attacks
    on Port Sudan": one ticker's lines, each led by the country that speaks, as an attribution
    would lead them; two parties' words, while a wire's rewrite of one of them joins it."""
    lines = await _stories(
        redis,
        [
            ("sudan-tribune", "Saudi Arabia condemns the RSF drone attacks on Port Sudan and its vital facilities"),
            ("sudan-tribune", "Qatar condemns the drone attacks on Port Sudan, rejects attacks on civilians"),
            ("reuters", "Qatar condemns drone attacks on Sudan's Port Sudan"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] == lines[1]
    assert sig("Qatar condemns drone attacks on Sudan's Port Sudan").speaker == "qatar"


async def test_a_toll_of_the_last_24_hours_is_a_tally_not_the_strike_it_counts(redis):
    """ "Gaza death toll rises to 53,977 as Israeli army kills 38 more in 24 hours": the day's
    tally, written with "in" where others write "over the past", is no single strike; "the
    grid fails for the second time in 24 hours" compares an event with the past and is no tally."""
    from jobs.periods import period

    assert period("Gaza death toll rises to 53,977 as Israeli army kills 38 more in 24 hours") == "day"
    assert period("Cuba's power grid fails for second time in 24 hours as restoration falters") == ""
    lines = await _stories(
        redis,
        [
            ("anadolu", "Gaza death toll rises to 53,977 as Israeli army kills 38 more Palestinians in 24 hours"),
            ("ap", "Israeli strike on a school-turned-shelter in Gaza City kills 36, many of them children"),
        ],
    )
    assert lines[1] != lines[0]


async def test_an_appeal_to_stay_home_or_to_answer_a_strike_is_a_statement(redis):
    """ "Governor: I ask the people of Culiacán not to leave their homes", "Zelensky: the world
    must answer the Odesa strike with more air defence": an appeal, news of its own as a
    condemnation is, though it names the town, and the strike, of the event it answers."""
    lines = await _stories(
        redis,
        [
            ("ukrinform", "Odesa governor Kiper: 8 killed, 18 injured in the missile strike on Odesa"),
            ("ukrinform", "Zelensky: the world must answer the Odesa strike with more air defence, not words"),
            ("linea-directa", "Aeroméxico: our Culiacán flight was hit by gunfire before take-off; no one hurt"),
            ("linea-directa", "Governor Rocha Moya: I ask the people of Culiacán not to leave their homes"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]


async def test_an_aircraft_designator_in_arabic_letters_is_the_latin_one(redis):
    """ "إم كيو 9" is the MQ-9 another outlet writes in Latin letters, "إف-35" the F-35: one named
    aircraft, evidence that the claim of a drone downed over Hajjah and its rewrite are one event."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "القوات المسلحة اليمنية: إسقاط طائرة أمريكية من نوع MQ-9 في أجواء محافظة حجة"),
            ("alarabiya", "الحوثيون يعلنون إسقاط مسيّرة أمريكية من طراز إم كيو 9 فوق حجة"),
        ],
    )
    assert lines[1] == lines[0]
    assert "mq9" in sig("الحوثيون يعلنون إسقاط مسيّرة أمريكية من طراز إم كيو 9").names
    assert "f35" in sig("طائرات إف-35 تقصف مواقع قرب طهران").names


async def test_a_figure_written_in_words_is_the_figure(redis):
    """ "Sixty-eight killed" is the 68 another outlet writes in digits, not "sixty" and 8: the
    wire's figure agrees with the rewrite's, and the two join."""
    assert sig("Sixty-eight killed as strike hits migrant detention centre in Yemen").numbers == {"68"}
    assert "40" in sig("Forty killed in Darfur market attack").numbers
    lines = await _stories(
        redis,
        [
            ("reuters", "Sixty-eight killed as U.S. strike hits migrant detention centre in Yemen, Houthi TV says"),
            ("aljazeera", "Deadly US strike on Yemen migrant detention centre kills 68, wounds 47: Houthi media"),
        ],
    )
    assert lines[1] == lines[0]


async def test_a_ships_name_written_with_or_without_ta_before_shin_is_one_ship(redis):
    """ "سي تشامبيون" and "سي شامبيون": the Sea Champion, "ch" written "تش" by one outlet and "ش"
    by another; one ship, so the claim and its rewrite join instead of two names vetoing."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", 'العميد يحيى سريع: استهدفنا السفينة الأميركية "سي تشامبيون" في خليج عدن بعدد من الصواريخ'),
            ("alarabiya", 'الحوثيون يعلنون استهداف سفينة "سي شامبيون" في خليج عدن'),
        ],
    )
    assert lines[1] == lines[0]


async def test_a_leaders_shock_or_blame_is_a_statement_apart_from_the_attack(redis):
    """ "Nepal's prime minister expresses deep shock over the killing of four peacekeepers" and
    "Lebanon blames Israel for the attack on peacekeepers" react to the strike on the UN post:
    each is news of its own, however many of its words (the dead, the place) it shares."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Strike on UN post near Naqoura kills four Nepalese peacekeepers"),
            ("aljazeera", "UNIFIL: four peacekeepers killed in strike on UN position near Naqoura"),
            ("ap", "Nepal's prime minister expresses deep shock over the killing of four peacekeepers in Lebanon"),
            ("afp", "Lebanese government blames Israel for the deadly attack on UN peacekeepers near Naqoura"),
        ],
    )
    assert lines[1] == lines[0]
    assert len({lines[0], lines[2], lines[3]}) == 3, lines


async def test_a_club_and_a_school_in_one_camp_are_two_strikes(redis):
    """A strike near a sports club and one on a school-shelter in one camp, an hour apart: two
    things hit, so two events, though the camp and the verbs are the same."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "Three martyrs in an Israeli strike near the Khadamat club in Bureij camp"),
            ("almayadeen", "Israeli strike on a school sheltering displaced families in Bureij camp: 5 martyrs"),
        ],
    )
    assert lines[1] != lines[0]


async def test_a_count_over_several_locations_is_a_tally_apart_from_one_strike(redis):
    """ "31 civilians killed in strikes at nine locations" counts many strikes, each of which the
    ticker also reports: a tally, not the strike on one town whose toll the same speaker gives."""
    assert sig("Army spokesman: 31 civilians killed in enemy strikes at nine locations").period == "day"
    assert sig("Army spokesman: death toll in the Muridke strike rises to 9").period == ""
    lines = await _stories(
        redis,
        [
            ("geo", "Army spokesman: 31 civilians killed, 57 injured in enemy strikes at nine locations"),
            ("geo", "Army spokesman: death toll in the Muridke strike rises to 8, including two children"),
        ],
    )
    assert lines[1] != lines[0]


async def test_one_actor_one_template_two_countries_are_two_events(redis):
    """A president's tariff letters, one country each: the country both lines share is the
    actor's, and each names another, so they are two events however alike the words and the
    rate. The same drone downed over one province, told by a speaker of that country and by a
    wire calling the actor by its demonym, still joins."""
    letters = await _stories(
        redis,
        [
            ("reuters", "Trump says US will impose 25% tariff on goods from Japan starting August 1"),
            ("reuters", "Trump says US will impose 25% tariff on goods from South Korea starting August 1"),
            ("cnbc", "Trump: US to charge 25% tariff on Japanese imports from August 1 in letter to Tokyo"),
        ],
    )
    assert letters[1] != letters[0]
    drone = await _stories(
        redis,
        [
            ("almayadeen", "Yemeni Armed Forces: Our air defences shot down a US MQ-9 drone over al-Jawf governorate"),
            ("aljazeera", "Houthis say they downed an American Reaper drone over Yemen's al-Jawf province"),
        ],
    )
    assert drone[1] == drone[0]


async def test_us_written_with_dots_is_the_us(redis):
    """ "U.S. strike" and "US strike": one country, keyed alike, so a wire's dotted spelling
    does not set its report apart from a rewrite of the same strike."""
    assert sig("U.S. strike hits port in Yemen").areas == sig("US strike hits port in Yemen").areas
    lines = await _stories(
        redis,
        [
            ("reuters", "U.S.-backed aid group says it has begun delivering food in Gaza"),
            ("ap", "Contested US-backed group says it has started distributing food in Gaza"),
        ],
    )
    assert lines[1] == lines[0]


async def test_two_parties_reactions_to_one_strike_are_two_statements(redis):
    """Lebanon's prime minister's words on a strike and the US State Department's on the same
    strike: two parties (the country a statement opens with is its speaker), so two statements,
    though both name the town, the strike and Israel."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Lebanon's Mikati says Israel deliberately targeted Tyre municipal council meeting"),
            ("almayadeen", "US State Department: we have made clear to Israel our opposition to the strike on Tyre"),
        ],
    )
    assert lines[1] != lines[0]
    assert sig("Qatar condemns the strike on Tyre").speaker == "qatar"


async def test_arabic_new_or_second_strikes_in_the_plural_are_another_strike(redis):
    """ "غارات إسرائيلية جديدة" (new strikes) and "غارات ... ثانية" (second strikes), hours after
    the first strike on one building: the ticker's word that this is another strike, in the
    plural and with an adjective between, as it says so of a single one."""
    assert sig("غارات إسرائيلية جديدة تستهدف مبنى وزارة الدفاع في دمشق").nth == "n"
    assert sig("غارات إسرائيلية ثانية على مبنى وزارة الدفاع في دمشق").nth == "2"
    assert sig("أوامر إخلاء جديدة لأحياء في دير البلح").nth == ""  # an order, no strike
    lines = await _stories(
        redis,
        [
            ("alarabiya", "عاجل | غارة إسرائيلية تستهدف مبنى وزارة الدفاع في دمشق"),
            ("alarabiya", "عاجل | غارات إسرائيلية جديدة تستهدف مبنى وزارة الدفاع في دمشق"),
        ],
    )
    assert lines[1] != lines[0]


async def test_jawans_are_soldiers(redis):
    """ "Two jawans killed" are soldiers, as "two soldiers killed" are: the shelling that killed
    them and the shelling that killed civilians in the same district are two events."""
    assert "soldier" in sig("Two jawans killed in Pakistani shelling in Kupwara").tokens
    lines = await _stories(
        redis,
        [
            ("ndtv", "Two jawans killed in Pakistani shelling along the LoC in Kupwara"),
            ("ndtv", "Three civilians killed in Pakistani shelling along the LoC in Kupwara"),
        ],
    )
    assert lines[1] != lines[0]


async def test_a_town_taken_and_a_strike_on_it_are_two_events(redis):
    """Rebels taking a town is a ground operation; warplanes bombing its bridge the same hour is
    another event, in either language. A report of a town taken after airstrikes says both
    ways and agrees with either."""
    assert sig("M23 rebels seize Goma airport").mode == "ground"
    assert sig("الفصائل تسيطر على الرستن في ريف حمص الشمالي").mode == "ground"
    assert sig("Troops capture Rastan after heavy airstrikes").mode == ""
    lines = await _stories(
        redis,
        [
            ("alarabiya", "عاجل | الفصائل تسيطر على الرستن في ريف حمص الشمالي"),
            ("alarabiya", "غارات روسية تستهدف جسر الرستن على طريق حماة حمص"),
            ("reuters", "Rebels capture Rastan north of Homs"),
            ("reuters", "Russian warplanes strike Rastan bridge north of Homs"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]


async def test_a_leader_horrified_by_a_strike_is_a_statement_apart_from_it(redis):
    """ "Horrified by", "appalled", "crosses any line of decency": words of a reaction, news of
    their own, not a report of the strike they name."""
    lines = await _stories(
        redis,
        [
            ("reuters", "Russian missile strike on Ukraine's Sumy city centre kills 21, officials say"),
            ("reuters", "Starmer horrified by Russia's missile strike on Sumy city centre"),
            ("reuters", "US envoy Kellogg says Russian strike on Sumy 'crosses any line of decency'"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] != lines[0]


async def test_two_countries_embassies_in_one_city_are_two_events(redis):
    """Protesters at the French embassy and at Rwanda's embassy in one capital the same hour:
    two events. Two reports of the French one ("the embassy of France") name one thing."""
    assert "mission:france" in sig("Protesters attack French embassy in Kinshasa").names
    assert "mission:france" in sig("Fire at the Embassy of France in Kinshasa").names
    assert "mission:rwanda" in sig("Protesters ransack Rwanda's embassy in Kinshasa").names
    lines = await _stories(
        redis,
        [
            ("afp", "Protesters attack French embassy in Kinshasa, start fire at entrance"),
            ("ap", "Protesters ransack Rwanda's embassy in Congo's capital over rebel advance"),
            ("reuters", "Fire breaks out at French embassy in Kinshasa as protesters rally"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[2] == lines[0]


async def test_a_toll_that_rises_below_the_others_figures_updates_another_count(redis):
    """ "The toll of the Ahmedpur East strike rises to 13" cannot be an update of "26 killed, 46
    wounded in Indian strikes": a toll does not rise to less than it was. A toll that rises past
    the first count still updates it."""
    from jobs.evidence import ruled_out

    national = sig("Pakistan says 26 civilians killed, 46 wounded in Indian strikes")
    toll = sig("DG ISPR: death toll in Ahmedpur East strike rises to 13, including two girls")
    assert ruled_out(toll, national)
    assert not ruled_out(sig("Strike kills 8"), sig("Death toll rises to 13"))
    lines = await _stories(
        redis,
        [
            ("anadolu", "Pakistan says 26 civilians killed, 46 wounded in Indian strikes"),
            ("geo", "DG ISPR: death toll in Ahmedpur East strike rises to 13, including two three-year-old girls"),
            ("anadolu", "Indian missile strike on Ahmedpur East mosque kills 8"),
            ("reuters", "Death toll in Indian strike on Ahmedpur East mosque rises to 13"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] == lines[2]


async def test_reactions_of_three_parties_to_one_attack_are_three_statements(redis):
    """A ministry's statement, a head of government's appeal and the UN chief's words about one
    drone strike: each speaker's own news, though all name the UN and the town. Whoever opens a
    statement ("Yunus urges ...", "UN chief says ...") is its speaker, and the actors a statement
    speaks of (the UN) do not make two speakers one party."""
    assert sig("Yunus urges UN to ensure best medical care for peacekeepers wounded in Kadugli").speaker == "yunus"
    assert sig("UN chief says drone attack on peacekeepers in Sudan may constitute a war crime").speaker == "un chief"
    lines = await _stories(
        redis,
        [
            ("aljazeera", "Sudanese Foreign Ministry: RSF drone strike on UN base in Kadugli a flagrant breach"),
            ("dhakatribune", "Yunus urges UN to ensure best medical care for peacekeepers wounded in Kadugli"),
            ("ap", "UN chief says drone attack on peacekeepers in Kadugli may constitute a war crime"),
        ],
    )
    assert len(set(lines)) == 3


async def test_a_leaders_name_shared_is_no_evidence_of_one_event(redis):
    """A leader or an armed group named in two reports ("Israel Katz", "Nasrallah", "M23") is the
    actor of a whole day's news, not a named thing that pins one event, as a ship's name is: two
    cabinet moves that both name Katz are two events. His own words still join their rewrite."""
    from jobs.evidence import evidence

    dismissal = "Hebrew media: Netanyahu dismisses Defense Minister Gallant and appoints Israel Katz in his place"
    swap = "Hebrew media: Gideon Saar to replace Israel Katz as foreign minister"
    assert evidence(sig(dismissal), sig(swap)) == 0
    lines = await _stories(redis, [("almayadeen", dismissal), ("almayadeen", swap)])
    assert lines[1] != lines[0]


async def test_a_village_named_after_a_town_is_another_place(redis):
    """Nabatieh al-Fawqa (Upper Nabatieh) is a village beside the city of Nabatieh: a house
    struck there and the raids on the city's municipality are two events. Ternopil Oblast and
    Ternopil region stay one place."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent in southern Lebanon: Israeli warplanes struck a house in Nabatieh al-Fawqa",
            ),
            (
                "almayadeen",
                "Al Mayadeen correspondent in southern Lebanon: Israeli warplanes raid the Nabatieh municipality",
            ),
            (
                "kyivindependent",
                "Russian drone attack damages energy facility in Ternopil Oblast, causing power outages, governor says",
            ),
            ("reuters", "Drone strike knocks out power in parts of western Ukraine's Ternopil region"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] == lines[2]


async def test_sites_struck_in_one_named_operation_are_separate_strikes(redis):
    """ "Operation Sindoor" names a whole night's campaign: every report of it shares the name,
    which is neither a place nor a named thing that pins one strike. A camp in Muzaffarabad, a
    centre in Kotli and a headquarters in Bahawalpur are three strikes."""
    line = sig("Syedna Bilal camp in Muzaffarabad struck in Operation Sindoor, officials say")
    assert "sindoor" not in line.names and not any("sndr" in p for p in line.places)
    lines = await _stories(
        redis,
        [
            ("ndtv", "Jaish-e-Mohammed headquarters Markaz Subhan Allah in Bahawalpur among Operation Sindoor targets"),
            ("ndtv", "Syedna Bilal camp in Muzaffarabad struck in Operation Sindoor, officials say"),
            ("ndtv", "Markaz Abbas in Kotli hit in Operation Sindoor, officials say"),
        ],
    )
    assert len(set(lines)) == 3


async def test_two_armed_groups_claims_are_two_operations(redis):
    """Saraya al-Quds shelling forces at the Rafah crossing and al-Qassam hitting a troop carrier
    there are two operations, whatever place, target and words they share; in Arabic too. One
    group's claim and its rewrite still join."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "Saraya al-Quds: We shelled IOF gatherings at the Rafah crossing with a barrage of rockets"),
            ("almayadeen", "Al-Qassam Brigades: We shelled IOF gatherings at the Rafah crossing with mortar rounds"),
            ("aljazeera", "Qassam Brigades say fighters shelled Israeli troops at Rafah crossing with mortars"),
            ("almayadeen", "سرايا القدس: قصفنا تجمعات جنود الاحتلال عند معبر رفح برشقة صاروخية"),
            ("almayadeen", "كتائب القسام: قصفنا تجمعات جنود الاحتلال عند معبر رفح بقذائف الهاون"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[1]
    assert lines[4] != lines[3]


async def test_a_quarter_a_city_owns_is_a_place(redis):
    """ "Rafah's al-Jneina neighbourhood" and "Rafah's Shaboura camp" are two places of the city,
    as "al-Jneina neighbourhood in Rafah" would be: two strikes, not two names beside one city."""
    jneina = sig("Mother, two children killed in Israeli strike on home in Rafah's al-Jneina neighbourhood")
    assert any(p.startswith(":") and p.endswith(":f") for p in jneina.places)
    lines = await _stories(
        redis,
        [
            ("wafa", "Israeli airstrike hits residential block in Rafah's Shaboura camp, several wounded"),
            ("anadolu", "Mother, two children killed in Israeli strike on home in Rafah's al-Jneina neighbourhood"),
        ],
    )
    assert lines[1] != lines[0]


async def test_a_naval_base_and_fuel_tanks_in_one_port_city_are_two_strikes(redis):
    """Drones on Port Sudan's fuel tanks and on its naval base the same night: two targets."""
    lines = await _stories(
        redis,
        [
            ("afp", "Witnesses: Drones hit fuel storage tanks near Port Sudan's southern port, new fire breaks out"),
            ("afp", "Military source: Drone hit the southern naval base in Port Sudan"),
            ("asharq", "Drone targets naval base in southern Port Sudan, military source says"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] == lines[1]


async def test_alarm_or_proof_drawn_from_a_strike_is_a_statement_apart_from_it(redis):
    """ "IOM deeply alarmed by reports of migrants killed in Saada", "Sybiha: the strike on Dnipro
    proves Moscow wants no ceasefire": words about the strike, each its speaker's own news."""
    lines = await _stories(
        redis,
        [
            ("kyiv", "Governor Lysak: A Russian missile strike hit an industrial enterprise in Dnipro, 5 injured"),
            ("kyiv", "FM Andrii Sybiha: Russia's missile strike on Dnipro proves Moscow wants no ceasefire"),
            ("reuters", "Sixty-eight killed as U.S. strike hits migrant detention centre in Yemen, Houthi TV says"),
            ("reuters", "UN migration agency says it is 'deeply alarmed' by reports of migrants killed in Yemen"),
        ],
    )
    assert lines[1] != lines[0]
    assert lines[3] != lines[2]


async def test_a_capital_opening_a_statement_is_its_government_speaking(redis):
    """ "Riyadh condemns ..." is Saudi Arabia speaking, not an event in Riyadh: it joins "Saudi
    Arabia condemns ..." about the same attacks, and a strike in Riyadh is still a place."""
    riyadh = sig("Riyadh condemns targeting of civilian facilities in Port Sudan and Kassala")
    assert "saudi arabia" in riyadh.actors and not any("rdh" in p for p in riyadh.places)
    assert any("rdh" in p for p in sig("Drone debris falls in Riyadh, no injuries").places)
    lines = await _stories(
        redis,
        [
            ("afp", "Saudi Arabia condemns RSF attacks on vital facilities in Port Sudan"),
            ("asharq", "Riyadh condemns targeting of civilian facilities in Port Sudan and Kassala"),
        ],
    )
    assert lines[1] == lines[0]


async def test_a_subdivision_and_a_city_under_all_their_spellings_are_one_place(redis):
    """ "Zaporizhzhia Oblast" and "Zaporozhye region", "Mykolaiv" and "Nikolaev", "Bakhmut" and
    "Artemovsk": Kyiv's outlets and TASS name one place, which must not veto their joining."""
    assert place_id("Zaporizhzhia Oblast") == place_id("Zaporozhye region") == place_id("Zaporizhzhia region")
    assert place_id("Mykolaiv") == place_id("Nikolaev") and place_id("Bakhmut") == place_id("Artemovsk")
    assert place_id("Santorini") != place_id("Mykonos")  # islands a subdivision's names also list
    lines = await _stories(
        redis,
        [
            ("tass", "Russian Defense Ministry: Our forces liberated the settlement of Olhivske in Zaporozhye region."),
            ("kyivindependent", "Russia claims capture of village in Zaporizhzhia Oblast, Ukraine denies"),
            ("tass", "Russian drones hit port infrastructure in Nikolaev overnight, governor says"),
            ("suspilne", "Russian drones hit port infrastructure in Mykolaiv overnight"),
        ],
    )
    assert lines[1] == lines[0]
    assert lines[3] == lines[2] != lines[0]


async def test_arabic_power_stations_and_factories_are_named_sites(redis):
    """ "محطة ذهبان للكهرباء" and "محطة حزيز المركزية للكهرباء": two power stations of Sanaa,
    named after the noun that announces them as villages are; a cement factory's town likewise
    ("مصنع إسمنت باجل"). A bus station is no named place: "محطة الحافلات" in two rewrites joins."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "غارات إسرائيلية على محطة ذهبان للكهرباء شمال صنعاء"),
            ("aljazeera", "قصف إسرائيلي يستهدف محطة كهرباء ذهبان في صنعاء"),
            ("almayadeen", "غارات على محطة حزيز المركزية للكهرباء جنوب العاصمة صنعاء"),
        ],
    )
    assert lines[1] == lines[0] != lines[2]
    await redis.flushdb()
    stabbing = await _stories(
        redis,
        [
            ("almayadeen", "إعلام إسرائيلي: عملية طعن في محطة الحافلات المركزية في بئر السبع وإصابة 2"),
            ("bbcarabic", "الشرطة الإسرائيلية: إصابة شخصين في هجوم طعن بمحطة الحافلات في بئر السبع"),
        ],
    )
    assert stabbing[1] == stabbing[0]


async def test_the_southern_suburbs_neighbourhoods_in_arabic_are_places(redis):
    """Haret Hreik and Burj al-Barajneh, strikes an hour apart in Beirut's southern suburb: the
    Arabic ticker names the neighbourhood, which must tell the two strikes apart."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين: غارة إسرائيلية على حارة حريك في الضاحية الجنوبية لبيروت"),
            ("almayadeen", "مراسل الميادين: غارة إسرائيلية على برج البراجنة في الضاحية الجنوبية لبيروت"),
            ("rtarabic", "غارة إسرائيلية تدمّر مبنى في برج البراجنة بالضاحية الجنوبية لبيروت"),
        ],
    )
    assert lines[2] == lines[1] != lines[0]


async def test_a_mistake_named_or_an_envoy_summoned_is_a_statement_apart_from_the_strikes(redis):
    """Iraq's toll of the US strikes, Iran calling them "another strategic mistake" and Baghdad
    summoning the US envoy: three stories, each a party's own."""
    lines = await _stories(
        redis,
        [
            ("aljazeera", "Iraq says 16 killed in US strikes, condemns 'violation of sovereignty'"),
            (
                "reuters",
                "Iran foreign ministry spokesman Kanaani: US strikes in Iraq and Syria are another strategic mistake",
            ),
            ("reuters", "Iraqi foreign ministry: US charge d'affaires summoned over the strikes"),
        ],
    )
    assert len(set(lines)) == 3


async def test_an_arabic_new_salvo_and_a_leaders_disdain_are_apart(redis):
    """ "بصلية صاروخية جديدة": the ticker's own word that this salvo on Safad is not the one it
    reported before; Mikati's "يُظهر استخفافاً" is his statement on the strike, not the strike."""
    salvos = await _stories(
        redis,
        [
            ("almayadeen", "المقاومة الإسلامية: استهدفنا مدينة صفد المحتلة بصلية صاروخية"),
            ("almayadeen", "المقاومة الإسلامية: استهدفنا مدينة صفد المحتلة بصلية صاروخية جديدة"),
        ],
    )
    assert salvos[1] != salvos[0]
    await redis.flushdb()
    lines = await _stories(
        redis,
        [
            ("aljazeera", "عاجل | سلسلة غارات إسرائيلية عنيفة على حارة حريك بالضاحية الجنوبية لبيروت"),
            (
                "bbcarabic",
                "ميقاتي: الهجوم الإسرائيلي على الضاحية الجنوبية يُظهر استخفافاً بالجهود الدولية لوقف إطلاق النار",
            ),
        ],
    )
    assert lines[1] != lines[0]


async def test_a_claim_rejected_is_a_statement_apart_from_the_strike(redis):
    """ "AJK government rejects Indian claim of 'Gulpur camp' in Kotli", "Hamas rejects Israeli
    claim that fighters were sheltering in bombed school": each a party's answer, not the strike."""
    lines = await _stories(
        redis,
        [
            ("anadolu", "Two teenagers killed as Indian missile hits mosque in Kotli, Pakistan-administered Kashmir"),
            ("geo", "AJK government rejects Indian claim of 'Gulpur camp' in Kotli, says only farmland hit there"),
            ("reuters", "Israeli strike on Gaza City school kills over 90, Palestinian civil defence says"),
            ("aljazeera", "Hamas rejects Israeli claim that fighters were sheltering in bombed Gaza City school"),
        ],
    )
    assert len(set(lines)) == 4


async def test_a_site_taken_and_its_town_taken_are_two_steps(redis):
    """ "M23 seize Goma airport" and "M23 claim capture of Goma"; the factions storming Hama's
    central prison and taking the city: ground operations a site apart, each news of its own.
    Rewrites of each still join."""
    lines = await _stories(
        redis,
        [
            ("reuters", "M23 rebels seize Goma airport, sources say"),
            ("actualite", "Goma: M23 fighters take control of Goma international airport"),
            ("bbc", "M23 rebels claim capture of DR Congo city of Goma"),
        ],
    )
    assert lines[1] == lines[0] != lines[2]
    await redis.flushdb()
    hama = await _stories(
        redis,
        [
            ("alarabiya", "الفصائل المسلحة تسيطر على مدينة حماة بعد معارك مع الجيش السوري"),
            ("skynewsarabia", "الفصائل المسلحة تقتحم سجن حماة المركزي وتفرج عن المعتقلين"),
        ],
    )
    assert hama[1] != hama[0]


async def test_a_funeral_held_for_the_dead_of_strikes_is_not_the_strikes(redis):
    """ "PMF holds funeral procession in Baghdad for fighters killed in US strikes": the funeral,
    news of its own, though it names the strikes and their dead."""
    lines = await _stories(
        redis,
        [
            ("reuters", "PMF holds funeral procession in Baghdad for fighters killed in US strikes on al-Qaim"),
            ("shafaq", "Iraqi security sources: US strikes hit PMF headquarters in al-Qaim near the Syrian border"),
        ],
    )
    assert lines[1] != lines[0]


async def test_a_bridge_taken_and_a_city_entered_are_two_steps(redis):
    """The army taking the bridge east of Wad Madani and its forces entering the city: two steps
    of one advance, each its own alert, in either language ("قواتنا دخلت" is as much a ground
    operation as "يسيطر على"). Rewrites of the entry still join."""
    assert sig("الجيش السوداني: قواتنا دخلت مدينة ود مدني عاصمة ولاية الجزيرة").mode == "ground"
    assert sig("Sudanese army retakes Wad Madani from the RSF").mode == "ground"
    lines = await _stories(
        redis,
        [
            ("aljazeera", "مراسل الجزيرة: الجيش السوداني يسيطر على جسر حنتوب شرقي مدينة ود مدني"),
            ("aljazeera", "عاجل | الجيش السوداني: قواتنا دخلت مدينة ود مدني عاصمة ولاية الجزيرة"),
            ("alarabiya", "عاجل | مصادر عسكرية: الجيش السوداني يدخل ود مدني من عدة محاور"),
        ],
    )
    assert lines[0] != lines[1] == lines[2]
    await redis.flushdb()
    english = await _stories(
        redis,
        [
            ("reuters", "Sudanese army seizes Hantoub bridge east of Wad Madani"),
            ("reuters", "Sudan's army enters Wad Madani, capital of Gezira state"),
        ],
    )
    assert english[0] != english[1]
    await redis.flushdb()
    headquarters = await _stories(
        redis,
        [
            ("aljazeera", "عاجل | الجيش السوداني: قواتنا دخلت مدينة ود مدني عاصمة ولاية الجزيرة"),
            ("skynewsarabia", "الجيش السوداني يستعيد مقر الفرقة الأولى مشاة في ود مدني"),
        ],
    )
    assert headquarters[0] != headquarters[1]


async def test_celebrations_of_a_victory_are_not_the_victory(redis):
    """Crowds celebrating in Port Sudan, a leader congratulating the nation: news of their own,
    though they name the city the army entered."""
    lines = await _stories(
        redis,
        [
            ("aljazeera", "عاجل | الجيش السوداني: قواتنا دخلت مدينة ود مدني عاصمة ولاية الجزيرة"),
            ("aljazeera", "مراسل الجزيرة: احتفالات شعبية في شوارع بورتسودان بعد إعلان دخول الجيش ود مدني"),
            ("aljazeera", "البرهان: نهنئ الشعب السوداني باستعادة ود مدني"),
        ],
    )
    assert lines[1] != lines[0] and lines[2] != lines[0]
    await redis.flushdb()
    english = await _stories(
        redis,
        [
            ("reuters", "Sudan's army enters Wad Madani, capital of Gezira state"),
            ("afp", "Residents of Omdurman celebrate army's entry into Wad Madani"),
        ],
    )
    assert english[1] != english[0]


async def test_arabic_acts_of_one_raid_are_events_of_their_own(redis):
    """One ticker's day in Nur Shams camp: reinforcements sent in, a drone strike on young men,
    bulldozers tearing up the water network: each its own alert. A report of the raid itself
    agrees with any of them, and a rewrite of the strike still joins it."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "مراسل الميادين: قوات الاحتلال تدفع بتعزيزات عسكرية كبيرة إلى مخيم نور شمس في طولكرم"),
            ("almayadeen", "مراسل الميادين: مسيّرة إسرائيلية تستهدف مجموعة من الشبان في مخيم نور شمس وإصابات"),
            ("anadolu", "طائرة مسيرة إسرائيلية تقصف مجموعة فلسطينيين داخل مخيم نور شمس"),
            ("almayadeen", "مراسل الميادين: جرافات الاحتلال تدمر البنية التحتية وشبكات المياه في مخيم نور شمس"),
        ],
    )
    assert len({lines[0], lines[1], lines[3]}) == 3
    assert lines[2] == lines[1]


async def test_governorates_named_after_their_seats_are_provinces_apart(redis):
    """ "US raids target Dhamar governorate" and strikes on Radaa in al-Bayda governorate: two
    governorates, two events, though the gazetteer files Dhamar as the city its governorate is
    named after."""
    lines = await _stories(
        redis,
        [
            ("almayadeen", "Al Mayadeen correspondent: US strikes targeted Radaa district in al-Bayda governorate."),
            ("saba", "US raids target Dhamar governorate"),
        ],
    )
    assert lines[0] != lines[1]


async def test_a_second_operation_is_not_the_first(redis):
    """ "In a second operation within hours, we again targeted the USS Harry S. Truman": the
    ticker's own word that this is another operation against the same ship."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Yemeni Armed Forces: We targeted the USS Harry S. Truman and its warships in the Red Sea",
            ),
            (
                "almayadeen",
                "Yemeni Armed Forces: In a second operation within hours, we targeted the USS Harry S. Truman",
            ),
        ],
    )
    assert lines[0] != lines[1]


async def test_a_village_on_the_edge_of_a_city_is_not_the_city(redis):
    """ "in Kfar Roummane, on the edge of Nabatieh": Nabatieh says where the village is, so a
    strike on a neighbourhood of Nabatieh is another event; and a district of Kyiv is not the
    Kyiv children's hospital."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Al Mayadeen correspondent: An Israeli strike hit the Saray neighbourhood of Nabatieh city.",
            ),
            (
                "almayadeen",
                "Al Mayadeen correspondent: A drone strike hit a car in Kfar Roummane, on the edge of Nabatieh.",
            ),
        ],
    )
    assert lines[0] != lines[1]
    await redis.flushdb()
    kyiv = await _stories(
        redis,
        [
            ("reuters", "Russian missile hits Kyiv children's hospital, officials say"),
            (
                "kyivindependent",
                "Missile debris hit a business centre in Kyiv's Solomianskyi district, fire broke out.",
            ),
        ],
    )
    assert kyiv[0] != kyiv[1]


async def test_an_arabic_after_clause_names_the_event_followed_not_this_ones_place(redis):
    """ "احتفالات في بورتسودان بعد إعلان الجيش دخول ود مدني": Wad Madani is where the event that
    came first happened; the celebrations in Port Sudan and those in Omdurman are two events, as
    "after X" makes X a reference point in English."""
    lines = await _stories(
        redis,
        [
            ("aljazeera", "مراسل الجزيرة: احتفالات شعبية في شوارع بورتسودان بعد إعلان دخول الجيش ود مدني"),
            ("aljazeera", "مراسل الجزيرة: احتفالات في شوارع أم درمان بعد إعلان دخول الجيش ود مدني"),
        ],
    )
    assert lines[0] != lines[1]


async def test_a_second_missile_a_vow_and_a_count_of_barrages_are_not_the_first_strike(redis):
    """ "Second Russian missile hit the village of Bilenke" is another hit than the first; a
    minister vowing the attackers "will not be spared" speaks of the blast; "140 rockets in
    three barrages" counts a day's salvos, none of which it is."""
    assert sig("Second Russian missile hit the village of Bilenke on Kramatorsk's outskirts").nth == "2"
    assert sig("IOF Spokesperson: Around 140 rockets launched from Lebanon today in three barrages").period == "day"
    lines = await _stories(
        redis,
        [
            ("dawn", "Explosion reported at Quetta railway station, casualties feared"),
            (
                "geo",
                "Interior Minister Naqvi: Terrorists who targeted people at Quetta station will not be spared",
            ),
        ],
    )
    assert lines[0] != lines[1]
    await redis.flushdb()
    salvos = await _stories(
        redis,
        [
            (
                "almayadeen",
                "Islamic Resistance in Lebanon: We targeted the Kfar Giladi settlement with a Katyusha salvo",
            ),
            ("timesofisrael", "IDF: Some 140 rockets fired from Lebanon in three barrages on Friday"),
        ],
    )
    assert salvos[0] != salvos[1]


async def test_an_arabic_warning_to_leave_and_the_strike_after_it_are_two_alerts(redis):
    """Adraee's order to leave two buildings in Haret Hreik, then the strike there: the warning
    is news, and the strike is news again, its own alert rather than an update under the
    warning. Rewrites of each still join."""
    lines = await _stories(
        redis,
        [
            (
                "almayadeen",
                "المتحدث باسم الجيش الإسرائيلي: إنذار بإخلاء مبنى في حارة حريك ومبنى في الشياح في الضاحية الجنوبية",
            ),
            ("alarabiya", "الجيش الإسرائيلي يطالب سكان مبنيين في حارة حريك والشياح بإخلائهما فوراً"),
            ("almayadeen", "مراسل الميادين: غارة إسرائيلية على منطقة حارة حريك في الضاحية الجنوبية لبيروت"),
            ("aljazeera", "عاجل | غارة إسرائيلية تستهدف حارة حريك في الضاحية الجنوبية لبيروت"),
        ],
    )
    assert lines[0] == lines[1] != lines[2] == lines[3]
