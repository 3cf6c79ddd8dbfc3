"""Cross-source story clustering in Redis, shared by every instance.

A report joins a recent story only when it is the same event (jobs/signature.py says what that
takes); a false merge may thread an event under another, so a joined report is dropped only when
it adds nothing at all. Per story, Redis keeps:
- its first few reports' signatures (compared one by one, never their union, so a busy story does
  not grow into a net that catches everything near it), its first and last report times (a story
  quiet for `quiet` seconds takes no more reports);
- every fact it has reported (figures, places, named objects, words), to tell an update from a
  repeat in the same step that records the report.
Candidates come from index keys (the report's rarest words, its places and its names), sorted
sets that expire with the window. There is no lock: opening a story re-checks, in the same script,
that no candidate appeared meanwhile, and a report that raced one is compared with it first.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from redis.asyncio import Redis

from jobs.classify import Classifier, default_classifier
from jobs.keys import Keys
from jobs.scripts import load_script
from jobs.signature import (
    Signature,
    is_attribution,
    place_key,
    prefix_key,
    signature,
    split_prefix,
    target_objects,
    weight,
)

WINDOW_SECONDS = 24 * 3600  # how far back index keys are read; stories quiet longer are gone
QUIET_SECONDS = 3 * 3600  # default: a story with no report for this long takes no new ones
REPORTS_KEPT = 3  # first reports of a story that later reports are compared with
RARE_WORDS = 4  # a report is indexed under its rarest words, besides its places and names
FANOUT = 12  # most recent stories read per index key
VERIFY = 12  # candidates verified in full, those sharing the most keys first
# tuned on the tuning half of tests/data/stories (tests/cluster_eval.py --half tune)
WITH_EVIDENCE = 0.15  # similarity needed when a specific place, named object or figure agrees
SAME_KIND = 0.10  # a rare kind of event (quake, flood, blast) in the same place or country
SOME_EVIDENCE = 0.30  # the same city or governorate: not an event by itself
WITHOUT_EVIDENCE = 0.55  # a near-paraphrase
ALPHA = 0.25  # weight of Jaccard against the overlap coefficient (a short rewrite of a long report)
RECENCY = 0.10  # threshold added as a story goes quiet (proportional to the gap, up to `quiet`)
CACHED = 65536  # signatures whose derived sets are kept (a day of busy stories' first reports)
PREFIX_LEARNED = 2  # a leading "X:" seen this often from one source is its boilerplate


def _key(tagged: str) -> str:
    return tagged.split(":")[1]


# The helpers below read one signature each and are called for every candidate of every
# report: cached per signature (signatures are immutable), they are computed once per report.
@lru_cache(maxsize=CACHED)
def _keys(tagged: frozenset[str]) -> frozenset[str]:
    return frozenset(t.split(":")[1] for t in tagged)


@lru_cache(maxsize=CACHED)
def _regions(tagged: frozenset[str]) -> frozenset[str]:
    return frozenset(r for r in (t.split(":", 1)[0] for t in tagged) if r)


def places_disagree(a: Signature, b: Signature) -> bool:
    """Where: two different places, a place and an area elsewhere in the world, or two different
    areas are different events. A place that the other report names only as a reference point
    ("west of Khan Younis") does not disagree; it does not agree either. An area named beside a
    place may be the actor ("Israel bombs Gaza City"), so places decide when both name one."""
    if a.places and b.places:
        ka, kb = _keys(a.places), _keys(b.places)
        if ka & kb:
            return False
        # "a house in Khan Younis" vs "tents in al-Mawasi west of Khan Younis", or a school in
        # Tal al-Hawa vs a school in Gaza City: two events, unless a figure or a name says the
        # vaguer report (a reference point, or only a city) is about the finer one
        if ka & b.refs or kb & a.refs:
            return not _same_figure_or_name(a, b)
        if _only_coarse(a) != _only_coarse(b):  # a small figure ("two killed") is too common here
            return not (_mid_names(a) & (_mid_names(b) | _keys(b.places)) or _mid_names(b) & _keys(a.places))
        return True
    if a.places or b.places:
        local, wide = (a, b) if a.places else (b, a)
        # "off Hodeidah" and "68 miles west of Hodeidah": the one's place, the other's reference
        if not wide.areas or _keys(local.areas | local.places) & _keys(wide.areas):
            return False
        if _same_big_figure(a, b):
            return False  # "320 rockets at the Golan" and "320 rockets at Israel": one barrage
        if _keys(wide.areas) & wide.refs:
            return True  # "off Hodeidah" and "west of Aden": places, though the one is a reference
        if local.areas:
            return True  # both name areas, and none is shared
        local_regions = _regions(local.places)
        return bool(local_regions) and not (local_regions & _regions(wide.areas))
    if a.areas and b.areas:
        return not (_keys(a.areas) & _keys(b.areas))
    return False


def _only_coarse(sig: Signature) -> bool:
    return all(p.endswith(":c") for p in sig.places)


@lru_cache(maxsize=CACHED)
def _mass(tokens: frozenset[str]) -> float:
    return sum(weight(t) for t in tokens)


def similarity(a: Signature, b: Signature) -> float:
    """Weighted Jaccard and overlap coefficient, mixed by ALPHA: rare shared words count more
    than common ones."""
    if not a.tokens or not b.tokens:
        return 0.0
    shared = _mass(a.tokens & b.tokens)
    wa, wb = _mass(a.tokens), _mass(b.tokens)
    return ALPHA * shared / (wa + wb - shared) + (1 - ALPHA) * shared / min(wa, wb)


# kinds of event rare enough that two of one kind in one city or country within hours are
# likely one (synonyms.yaml folds their words); strikes, killings and drones are daily
EVENT_KINDS = frozenset(
    [
        "quake",
        "flood",
        "fire",
        "blast",
        "blackout",
        "tsuna",
        "lands",
        "avala",
        "stamp",
        "hurri",
        "typho",
        "cyclo",
        "erupt",
        "torna",
        "kidnap",
        "crash",
        "colla",
        "derai",
        "chole",
        "outbr",
        "heatw",
    ]
)


_INSTITUTIONS = frozenset(["fed", "ecb", "boe", "opec", "imf"])
_UPDATES = frozenset(["toll", "rise"])  # "the toll rises to 9": a report that changes a figure


@lru_cache(maxsize=CACHED)
def _named_areas(sig: Signature) -> frozenset[str]:
    """Areas the report itself names: the place of an attribution ("correspondent in Gaza:")
    says where the speaker is, which two reports share whatever they are about."""
    return frozenset(_key(a) for a in sig.areas if not a.endswith(":p"))


@lru_cache(maxsize=CACHED)
def _names(sig: Signature) -> tuple[frozenset[str], frozenset[str]]:
    """(names written mid-sentence, every name): a capitalised first word is only half a name."""
    return frozenset(n for n in sig.names if n[0] != "^"), frozenset(n.lstrip("^") for n in sig.names)


def _same_figure(a: Signature, b: Signature) -> bool:
    return bool({n for n in a.numbers & b.numbers if n != "1"})


def _same_big_figure(a: Signature, b: Signature) -> bool:
    """A figure too rare to be chance: 20 or more, or a decimal (small tolls recur all day)."""
    return any("." in n or int(n) >= 20 for n in a.numbers & b.numbers)


def _same_figure_or_name(a: Signature, b: Signature) -> bool:
    (mid_a, all_a), (mid_b, all_b) = _names(a), _names(b)
    if mid_a & all_b or mid_b & all_a or _same_figure(a, b):
        return True
    # a name one report gives a place the other calls a town ("Lebanon's Aitaroun" / "in Aitaroun")
    return bool(_mid_names(a) & _keys(b.places) or _mid_names(b) & _keys(a.places))


def evidence(a: Signature, b: Signature) -> int:
    """3: the same rare kind of event (a quake, a flood, a blast) in the same place or country.
    2: positive evidence of one event (the same fine place: town, village, camp, site; the
    same named person, ship or aircraft; the same figure other than 1). 1: the same city or
    governorate (several events a day happen in one). 0: nothing more; a shared country, area or
    actor counts for nothing, since every line of a day's ticker shares them."""
    if _fine(a) & _fine(b) or _same_figure_or_name(a, b):
        return 2
    if _keys(a.places) & _keys(b.places):
        if EVENT_KINDS & a.tokens & b.tokens:
            return 3
        # the same city, and neither pins its report further (a neighbourhood, a named school):
        # a report that does is not evidently about the vague one's event; nor is one whose
        # figures all differ ("family of eight killed" / "12 killed at the school")
        if bool(_specifics(a)) != bool(_specifics(b)) or (a.numbers and b.numbers and not a.numbers & b.numbers):
            return 0
        return 1
    if a.places and b.places:
        return 0  # no shared place, yet no veto: one names the other's place as a reference only
    if EVENT_KINDS & a.tokens & b.tokens and _named_areas(a) & _named_areas(b):
        return 3  # an earthquake in Japan and an earthquake in Japan, the same hours: one event
    if a.actors & b.actors & _INSTITUTIONS:
        return 1  # a central bank or a cartel decides a few times a year, not every hour
    return 0  # the same country, area or actor alone: every report of a day's ticker shares them


@lru_cache(maxsize=CACHED)
def _mid_names(sig: Signature) -> frozenset[str]:
    return frozenset(place_key(n) for n in sig.names if n[0] != "^")


@lru_cache(maxsize=CACHED)
def _fine(sig: Signature) -> frozenset[str]:
    return frozenset(_key(p) for p in sig.places if p.endswith(":f"))


@lru_cache(maxsize=CACHED)
def _specifics(sig: Signature) -> frozenset[str]:
    """The fine places and the names written mid-sentence: what pins a report to one event."""
    return _fine(sig) | _mid_names(sig)


def specifics_disagree(a: Signature, b: Signature) -> bool:
    """Both pin their report to something (a neighbourhood, a named school, ship or person) and
    nothing pinned is shared: a strike on a house in Zeitoun is not a strike on the Mustafa Hafez
    school, though both are in Gaza City. An agreeing figure overrides."""
    sa, sb = _specifics(a), _specifics(b)
    if not (sa and sb):
        return False
    if sa & sb:
        # the same neighbourhood, different named things: the Dalloul house, the Falah school
        na, nb = _mid_names(a), _mid_names(b)
        if not (na and nb) or na & nb or na & _keys(b.places) or nb & _keys(a.places):
            return False
    (_, all_a), (_, all_b) = _names(a), _names(b)
    if sa & {place_key(n) for n in all_b} or sb & {place_key(n) for n in all_a}:
        return False
    return not _same_figure(a, b)


def objects_disagree(a: Signature, b: Signature) -> bool:
    """Both name what was hit and nothing hit is shared: a car and a motorcycle in one village
    are two strikes, a house and a tent in one city two events. An agreeing figure overrides
    (a toll names the dead, not always what was hit)."""
    oa, ob = a.tokens & target_objects(), b.tokens & target_objects()
    return bool(oa and ob and not oa & ob and not _same_figure(a, b))


def score(a: Signature, b: Signature) -> float:
    """Word similarity, or 0 when the two disagree on where, on what or on who."""
    if places_disagree(a, b) or specifics_disagree(a, b) or objects_disagree(a, b):
        return 0.0
    shares_place = bool(_keys(a.places) & _keys(b.places) or _keys(a.areas) & _keys(b.areas))
    if a.actors and b.actors and not (a.actors & b.actors) and not shares_place:
        return 0.0
    return similarity(a, b)


def margin(a: Signature, b: Signature, gap: float = 0.0, quiet: float = QUIET_SECONDS) -> float:
    """How far past the bar for "same event" the pair is (>= 0 joins), given the time between
    the report and the story."""
    s = score(a, b)
    if s == 0.0:
        return -1.0
    level = evidence(a, b)
    if level == 0 and a.numbers and b.numbers and not a.numbers & b.numbers and not (a.tokens | b.tokens) & _UPDATES:
        return -1.0  # a rewrite of one report carries its figures: "kills 5" is not "one killed"
    bar = (WITHOUT_EVIDENCE, SOME_EVIDENCE, WITH_EVIDENCE, SAME_KIND)[level]
    return s - bar - RECENCY * min(1.0, gap / quiet)


def same_event(a: Signature, b: Signature) -> bool:
    return margin(a, b) >= 0


def rare_words(tokens: frozenset[str]) -> list[str]:
    """The report's rarest words (figures and place words have keys of their own): a
    near-paraphrase, the only merge without a shared place, name or figure, shares most words and
    so at least one of these."""
    words = [t for t in tokens if t[0] != "@" and not t[0].isdigit()]
    return sorted(words, key=lambda t: (-weight(t), t))[:RARE_WORDS]


def _split_found(found: list) -> tuple[set[str], list]:
    """FIND's reply: every story id it saw (newline-joined), then the candidates in full."""
    return (set(found[0].split("\n")) if found and found[0] else set()), found[1:]


async def _many(script, calls: list[tuple[str, list[str], list]]) -> list:
    """One script call for a poll's reports: (F/J/O, keys, args) each, laid out as
    jobs/lua/cluster_lib.lua reads them; one round trip and one command for all of them."""
    head: list = [len(calls)]
    keys: list[str] = []
    args: list = []
    for tag, k, a in calls:
        head += [len(k), len(a), tag]
        keys += k
        args += a
    return await script(keys=keys, args=head + args)


@dataclass(slots=True)
class Assignment:
    story: str
    is_new: bool
    adds_information: bool  # not a near-repeat: a figure, place, named object or words the story lacks


@dataclass(slots=True)
class _Candidate:
    story: str
    first: float
    last: float
    reports: list[Signature]


@dataclass(slots=True)
class _Report:
    story_id: str
    sig: Signature
    index_keys: list[str]
    now: float
    encoded: str = field(init=False)  # the signature as stored, and its facts: encoded once,
    facts: str = field(init=False)  # sent by the first try and any retry alike

    def __post_init__(self) -> None:
        self.encoded = json.dumps(self.sig.to_list())
        self.facts = "\n".join(sorted(self.sig.facts()))


class StoryClusterer:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        window: int = WINDOW_SECONDS,
        classifier: Classifier | None = None,
        quiet: float = QUIET_SECONDS,
    ):
        self.redis = redis
        self.keys = keys
        self.window = window
        self.quiet = quiet
        self.classifier = classifier or default_classifier()
        self._find = load_script(redis, "cluster_find", library="cluster_lib")
        self._settle_script = load_script(redis, "cluster_settle", library="cluster_lib")
        self._learned: OrderedDict[tuple[str, str], None] = OrderedDict()  # (source, prefix) known boilerplate
        self._decoded: dict[str, Signature] = {}

    async def assign(self, story_id: str, text: str, now: float, source: str = "") -> Assignment:
        """Join `text` to a recent story of the same event, or start one under `story_id`."""
        return (await self.assign_many([(story_id, text, now, source)]))[0]

    async def assign_many(self, reports: list[tuple[str, str, float, str]]) -> list[Assignment]:
        """(story id, text, time, source) of several reports, such as one poll's new items, in
        two round trips for all of them: one finds every report's candidates, one joins or opens
        its story. A report that raced another one (a story opened under its keys meanwhile, by
        an earlier report of the same batch or by another instance: the opening script re-checks
        and returns those) or whose story expired meanwhile is settled again on its own."""
        prepared: list[_Report] = []
        for story_id, text, now, source in reports:
            attribution, body = await self._attribution(source, text)
            sig = signature(body, self.classifier, attribution)
            prepared.append(_Report(story_id, sig, self._index_keys(sig), now))
        found = await _many(self._find, [("F", r.index_keys, self._find_args(r.now)) for r in prepared])
        plans = [self._plan(r, f) for r, f in zip(prepared, found, strict=True)]
        done = await _many(
            self._settle_script,
            [
                ("J", self._join_keys(best.story, r), self._join_args(best.story, r))
                if best is not None
                else ("O", self._join_keys(r.story_id, r), self._open_args(r, seen))
                for r, (best, seen) in zip(prepared, plans, strict=True)
            ],
        )
        out = []
        for r, (best, seen), result in zip(prepared, plans, done, strict=True):
            settled = self._outcome(r, best, result)
            if settled is None:  # raced or expired: settle this one alone, with what came back
                retry = result[1:] if best is None else []
                settled = await self._settle(r, seen, retry)
            out.append(settled)
        return out

    def _plan(self, r: _Report, found: list) -> tuple[_Candidate | None, set[str]]:
        seen, found = _split_found(found)
        candidates = self._parse(found)
        seen.update(c.story for c in candidates)
        return self._best(r.sig, candidates, r.now), seen

    def _outcome(self, r: _Report, best: _Candidate | None, result: list) -> Assignment | None:
        if best is None:
            return Assignment(r.story_id, True, True) if result[0] == 1 else None
        if result is None or int(result[0]) < 0:
            return None
        new_facts, new_words = int(result[0]), int(result[1])
        return Assignment(best.story, False, bool(new_facts or new_words > 1))

    async def _settle(self, r: _Report, seen: set[str], found: list) -> Assignment:
        """One report on its own, round trip by round trip: compare, join or open, and again
        with what the opening script returns while other reports race it."""
        for _ in range(3):
            candidates = self._parse(found)
            seen.update(c.story for c in candidates)
            best = self._best(r.sig, candidates, r.now)
            if best is not None:
                joined = self._outcome(r, best, await self._join(best.story, r))
                if joined is not None:
                    return joined
            created = await self._open(r, seen)
            if created[0] == 1:
                return Assignment(r.story_id, True, True)
            found = created[1:]  # stories opened meanwhile under the same keys: compare first
        return Assignment(r.story_id, True, True)

    async def _join(self, story: str, r: _Report) -> list:
        return (await _many(self._settle_script, [("J", self._join_keys(story, r), self._join_args(story, r))]))[0]

    async def _open(self, r: _Report, seen: set[str]) -> list:
        return (await _many(self._settle_script, [("O", self._join_keys(r.story_id, r), self._open_args(r, seen))]))[0]

    def _find_args(self, now: float) -> list:
        return [now - self.window, FANOUT, VERIFY, self._story_prefix()]

    def _join_keys(self, story: str, r: _Report) -> list[str]:
        return [self.keys.cluster_signature(story), self.keys.cluster_facts(story), *r.index_keys]

    def _join_args(self, story: str, r: _Report) -> list:
        return [
            story,
            r.now,
            int(self.window),
            FANOUT * 4,
            r.encoded,
            REPORTS_KEPT,
            r.facts,
            r.story_id,
        ]

    def _open_args(self, r: _Report, seen: set[str]) -> list:
        return [
            r.story_id,
            r.now,
            int(self.window),
            FANOUT * 4,
            r.encoded,
            "\n".join(sorted(seen)),
            r.facts,
            FANOUT,
            r.now - self.window,
            self._story_prefix(),
        ]

    def _story_prefix(self) -> str:
        return self.keys.cluster_signature("")

    def _index_keys(self, sig: Signature) -> list[str]:
        keys = [self.keys.cluster_word(w) for w in rare_words(sig.tokens)]
        terms = {f"p:{_key(p)}" for p in sig.places} | {f"o:{n.lstrip('^')}" for n in sig.names}
        # areas and actors are not indexed: alone they prove nothing, and every day's ticker shares them
        return keys + [self.keys.cluster_entity(t) for t in sorted(terms)]

    def _decode(self, raw: str) -> Signature:
        """Stored reports never change, so each is decoded once per process (a bounded cache):
        the same busy stories come back as candidates item after item."""
        sig = self._decoded.get(raw)
        if sig is None:
            sig = Signature.from_list(json.loads(raw))
            if len(self._decoded) >= 20_000:
                self._decoded.pop(next(iter(self._decoded)))
            self._decoded[raw] = sig
        return sig

    def _parse(self, found: list) -> list[_Candidate]:
        out = []
        for i in range(0, len(found), 6):
            story, first, last, *raw = found[i : i + 6]
            reports = [self._decode(r) for r in raw if r]
            if reports:
                out.append(_Candidate(story, float(first or 0), float(last or first or 0), reports))
        return out

    def _best(self, sig: Signature, candidates: list[_Candidate], now: float) -> _Candidate | None:
        best, best_margin = None, -1.0
        for cand in candidates:
            gap = max(0.0, cand.first - now, now - cand.last)
            if gap > self.quiet:
                continue
            m = max(margin(sig, report, gap, self.quiet) for report in cand.reports)
            if m >= 0 and m > best_margin:
                best, best_margin = cand, m
        return best

    async def _attribution(self, source: str, text: str) -> tuple[str, str]:
        """Cut a leading 'X:' that is attribution: it names a speaker, or this source has led
        other lines with it (learned in Redis, so every instance and restart shares it)."""
        prefix, body = split_prefix(text)
        if not prefix:
            return "", text
        if is_attribution(prefix):
            return prefix, body
        key = (source, prefix_key(prefix))
        if key in self._learned:
            return prefix, body
        redis_key = self.keys.cluster_prefixes(source)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zincrby(redis_key, 1, key[1])
            pipe.expire(redis_key, 7 * 24 * 3600)
            pipe.zremrangebyrank(redis_key, 0, -2001)
            count, _, _ = await pipe.execute()
        if float(count) < PREFIX_LEARNED:
            return "", text
        self._learned[key] = None
        if len(self._learned) > 10_000:
            self._learned.popitem(last=False)
        return prefix, body
