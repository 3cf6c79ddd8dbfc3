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

from redis.asyncio import Redis

from jobs.classify import Classifier, default_classifier
from jobs.evidence import QUIET_SECONDS, identity_disagrees, margin
from jobs.keys import Keys
from jobs.placenames import tag_key
from jobs.scripts import load_script
from jobs.signature import Signature, is_attribution, is_dateline, prefix_key, signature, split_prefix, weight

WINDOW_SECONDS = 24 * 3600  # how far back index keys are read; stories quiet longer are gone
REPORTS_KEPT = 3  # first reports of a story that later reports are compared with
RARE_WORDS = 5  # a report is indexed under its rarest words, besides its places and names
PREFIX_LEARNED = 2  # a leading "X:" seen this often from one source is its boilerplate
FANOUT = 12  # most recent stories read per index key
VERIFY = 12  # candidates verified in full, those sharing the most keys first
REPASSES = 2  # times a batch that raced another poll goes through find-plan-settle again


def warm_up(classifier: Classifier) -> None:
    """Compare sample reports in both languages once: the word lists, weights, stemmers and join
    models load at start-up, not in the first poll, and the bot's gc.freeze() once it is up takes
    them out of the garbage collector's sight (its full passes then walk only what changes)."""
    for a, b in (
        ("Israeli strike kills 3 in Khan Younis", "Three killed in Israeli strike on Khan Younis"),
        ("غارة إسرائيلية على خان يونس", "استشهاد 3 في غارة على خان يونس"),
    ):
        margin(signature(a, classifier, source="a"), signature(b, classifier, source="b"), 0.0, QUIET_SECONDS)


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


def _sharing(opening: list[tuple[_Candidate, set[str]]], keys: set[str]) -> list[_Candidate]:
    """The batch's own new stories that share a key with a report, those sharing the most first
    and at most twice as many as FIND verifies from Redis: a poll of one template shares a key
    with every line, and comparing each with all the others would cost more than it saves."""
    shared = [(len(ck & keys), n, c) for n, (c, ck) in enumerate(opening) if not ck.isdisjoint(keys)]
    return [c for _, _, c in sorted(shared, key=lambda t: t[:2], reverse=True)[: 2 * VERIFY]]


def _raced_elsewhere(prepared: list[_Report], plans: list, done: list) -> bool:
    """Whether an opening failed on a story that no report of this batch opened: another poll or
    instance opened it meanwhile. A failed opening's reply lists the stories it found, six
    values each (jobs/lua/cluster_lib.lua)."""
    ours = {r.story_id for r in prepared}
    for (best, _), result in zip(plans, done, strict=True):
        if best is None and int(result[0]) != 1 and any(story not in ours for story in result[1::6]):
            return True
    return False


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
        self._decoded: OrderedDict[str, Signature] = OrderedDict()  # oldest first: the next to evict

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
            sig = signature(body, self.classifier, attribution, source)
            prepared.append(_Report(story_id, sig, self._index_keys(sig), now))
        return await self._assign_prepared(prepared, REPASSES)

    async def _assign_prepared(self, prepared: list[_Report], repasses: int) -> list[Assignment]:
        """Find, plan and settle a batch; then the reports that raced. When another poll opened a
        story under the batch's keys meanwhile (the bench's worst case: a hundred polls of one
        headline at once), the batch's own openings fail and every report that planned to join
        them with it, so those go through the batch machinery again: two round trips for all of
        them, not two per report. Races within the batch alone (no other poll involved) are
        settled one by one, as always, so a lone poller's assignments do not change."""
        found = await _many(self._find, [("F", r.index_keys, self._find_args(r.now)) for r in prepared])
        plans = self._plan_batch(prepared, found)
        done = await _many(
            self._settle_script,
            [
                ("J", self._join_keys(best.story, r), self._join_args(best.story, r))
                if best is not None
                else ("O", self._join_keys(r.story_id, r), self._open_args(r, seen))
                for r, (best, seen) in zip(prepared, plans, strict=True)
            ],
        )
        out = [self._outcome(r, best, result) for r, (best, _), result in zip(prepared, plans, done, strict=True)]
        failed = [n for n, settled in enumerate(out) if settled is None]
        if failed and repasses > 0 and _raced_elsewhere(prepared, plans, done):
            again = await self._assign_prepared([prepared[n] for n in failed], repasses - 1)
        else:  # raced or expired: each settled alone, in order, with what came back
            again = [
                await self._settle(prepared[n], plans[n][1], done[n][1:] if plans[n][0] is None else []) for n in failed
            ]
        rest = iter(again)
        return [settled if settled is not None else next(rest) for settled in out]

    def _plan_batch(self, prepared: list[_Report], found: list) -> list[tuple[_Candidate | None, set[str]]]:
        """Each report's best story, among those Redis returned and the stories that earlier
        reports of the same batch are about to open under a key it shares: it is compared with
        them here, so that the opening script does not take them for a race and send the report
        round trip by round trip (most of a poll's reports share a key with another one)."""
        plans: list[tuple[_Candidate | None, set[str]]] = []
        opening: list[tuple[_Candidate, set[str]]] = []  # a story this batch opens, its keys
        for r, f in zip(prepared, found, strict=True):
            seen, raw = _split_found(f)
            keys = set(r.index_keys)
            candidates = self._parse(raw, r.now) + _sharing(opening, keys)
            seen.update(c.story for c in candidates)
            best = self._best(r.sig, candidates, r.now)
            plans.append((best, seen))
            local = next((ck for c, ck in opening if c is best), None)
            if best is None:
                opening.append((_Candidate(r.story_id, r.now, r.now, [r.sig]), keys))
            elif local is not None:  # joins a story of this batch: its keys and report count
                local |= keys
                if len(best.reports) < REPORTS_KEPT:
                    best.reports.append(r.sig)
                best.first, best.last = min(best.first, r.now), max(best.last, r.now)
        return plans

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
            candidates = self._parse(found, r.now)
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
        terms = {f"p:{tag_key(p)}" for p in sig.places} | {f"o:{n.lstrip('^')}" for n in sig.names}
        # areas and actors are not indexed: alone they prove nothing, and every day's ticker shares them
        return keys + [self.keys.cluster_entity(t) for t in sorted(terms)]

    def _decode(self, raw: str) -> Signature:
        """Stored reports never change, so each is decoded once per process (a bounded cache):
        the same busy stories come back as candidates item after item."""
        sig = self._decoded.get(raw)
        if sig is None:
            sig = Signature.from_list(json.loads(raw))
            if len(self._decoded) >= 20_000:
                # the oldest, by OrderedDict's own order: next(iter(dict)) walks past every slot
                # the earlier evictions emptied, thousands of them on a full cache (12 us each)
                self._decoded.popitem(last=False)
            self._decoded[raw] = sig
        return sig

    def _parse(self, found: list, now: float) -> list[_Candidate]:
        """FIND's candidates. A story quiet too long at `now` to take a report (_best skips it
        before reading a report) keeps its reports undecoded: its reports list stays empty."""
        out = []
        get, decode, quiet = self._decoded.get, self._decode, self.quiet
        values = iter(found)  # six values a story: id, first, last, three reports ("" when fewer)
        for story, first, last, r1, r2, r3 in zip(values, values, values, values, values, values, strict=False):
            if not (r1 or r2 or r3):
                continue
            cand = _Candidate(story, float(first or 0), float(last or first or 0), [])
            if max(0.0, cand.first - now, now - cand.last) > quiet:
                pass  # never compared (_best): decoding it would only crowd the cache
            elif r2 or r3:
                cand.reports = [get(r) or decode(r) for r in (r1, r2, r3) if r]
            else:  # most stories have one report
                cand.reports = [get(r1) or decode(r1)]
            out.append(cand)
        return out

    def _best(self, sig: Signature, candidates: list[_Candidate], now: float) -> _Candidate | None:
        best, best_margin = None, -1.0
        for cand in candidates:
            gap = max(0.0, cand.first - now, now - cand.last)
            if gap > self.quiet:
                continue
            reports = cand.reports  # the best margin of its reports (max() without a generator)
            m = margin(sig, reports[0], gap, self.quiet)
            if len(reports) > 1:
                for report in reports[1:]:
                    this = margin(sig, report, gap, self.quiet)
                    if this > m:
                        m = this
            if m < 0 or m <= best_margin:
                continue
            if any(identity_disagrees(sig, report) for report in cand.reports):
                continue  # a 6.4 aftershock is not the 7.7 quake, whichever report it resembles
            best, best_margin = cand, m
        return best

    async def _attribution(self, source: str, text: str) -> tuple[str, str]:
        """Cut a leading 'X:' that is attribution: it names a speaker, or this source has led
        other lines with it (learned in Redis, so every instance and restart shares it)."""
        prefix, body = split_prefix(text)
        if not prefix:
            return "", text
        if is_attribution(prefix) or is_dateline(prefix, self.classifier):
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
