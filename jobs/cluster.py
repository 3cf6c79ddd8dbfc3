"""Cross-source story clustering in Redis, shared by every instance.

An item joins a recent story when a finer score agrees after a cheap candidate search:
- signature: content words (stop words out, crude stemming, number words as digits, demonyms
  mapped to places), the places the gazetteer finds, and named entities (acronyms, names);
- candidates: stories sharing a place/entity (entity index) or a MinHash LSH band, both as Redis
  keys that expire with the window: one pipelined round trip, then one to read candidates;
- verification: word overlap, vetoed by disagreement on where (both name places, none shared)
  or on who (both name entities, none shared): a false merge hides news, a duplicate only annoys.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from redis.asyncio import Redis

from jobs.classify import Classifier, default_classifier
from jobs.keys import Keys
from jobs.phrases import PhraseIndex, words

WINDOW_SECONDS = 24 * 3600
BANDS, ROWS = 16, 2
FANOUT = 12  # most recent stories read per band or entity key
VERIFY = 40  # candidates verified in full, those sharing the most keys first
THRESHOLD = 0.28
_P = (1 << 61) - 1
_A = [(zlib.crc32(f"a{i}".encode()) << 16 | 1) % _P for i in range(BANDS * ROWS)]
_B = [zlib.crc32(f"b{i}".encode()) % _P for i in range(BANDS * ROWS)]
_NUMBERS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "dozen": "12",
    "twenty": "20",
    "hundred": "100",
}
_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "after",
        "before",
        "over",
        "under",
        "into",
        "out",
        "up",
        "down",
        "off",
        "near",
        "amid",
        "about",
        "against",
        "says",
        "said",
        "say",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "new",
        "news",
        "update",
        "live",
        "breaking",
        "urgent",
        "just",
        "report",
        "reports",
        "reported",
        "reportedly",
        "amid",
        "more",
        "than",
        "least",
        "some",
        "his",
        "her",
        "their",
        "our",
        "we",
        "they",
        "he",
        "she",
        "i",
        "you",
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "all",
        "also",
        "very",
        "per",
        "via",
        "than",
        "then",
        "there",
        "here",
        "while",
        "during",
        "al",
        "mayadeen",
        "correspondent",
        "spokesperson",
        "ministry",
        "official",
        "officials",
        "source",
        "sources",
    ]
)


@cache
def _demonyms() -> dict[str, str]:
    return yaml.safe_load(resources.files("jobs").joinpath("data", "demonyms.yaml").read_text("utf-8")) or {}


def _stem(word: str) -> str:
    """Crude but symmetric: 'strikes', 'strike' and 'striking' meet at 'strik'."""
    if word.isdigit():
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:5]


@cache
def _synonyms() -> tuple[PhraseIndex[str], frozenset[str]]:
    data = yaml.safe_load(resources.files("jobs").joinpath("data", "synonyms.yaml").read_text("utf-8")) or {}
    index: PhraseIndex[str] = PhraseIndex(case_sensitive_names=True)
    entities = frozenset(data.get("entities", {}))
    for section in ("entities", "words"):
        for canonical, variants in (data.get(section) or {}).items():
            for variant in variants:
                index.add(str(variant), canonical)
    return index, entities


@dataclass(slots=True)
class Signature:
    tokens: set[str]
    places: set[str]  # "region:word" of specific places named (cities, camps, towns)
    entities: set[str]  # who: acronyms, names, demonym targets
    areas: set[str] = field(default_factory=set)  # "region:name" of countries and wide areas

    def to_json(self) -> str:
        return json.dumps([sorted(self.tokens), sorted(self.places), sorted(self.entities), sorted(self.areas)])

    @classmethod
    def from_json(cls, raw: str) -> Signature:
        tokens, places, entities, areas = json.loads(raw)
        return cls(set(tokens), set(places), set(entities), set(areas))


_NOT_PLACE_WORDS = frozenset(
    [
        "city",
        "south",
        "north",
        "east",
        "west",
        "southern",
        "northern",
        "eastern",
        "western",
        "central",
        "occupied",
        "refugee",
        "camp",
        "the",
        "of",
        "al",
        "medical",
        "complex",
        "hospital",
        "airport",
        "port",
        "crossing",
        "strip",
    ]
)
_WIDE_AREAS = """gaza;gaza strip;west bank;occupied west bank;palestine;palestinian territories;occupied territories;
south lebanon;southern lebanon;middle east;north africa;red sea;persian gulf;sahel;horn of africa;balkans;
south china sea;pacific;caribbean;europe;africa;asia;latin america;south america;central america;kashmir;
darfur;tigray;donbas;crimea;sinai;golan;galilee;negev;bekaa;kurdistan"""


@cache
def _areas() -> frozenset[str]:
    """Names that contain other places (countries, states, wide regions): two headlines naming
    Gaza and a street in Gaza City may be one story; two naming different cities are not."""
    names = {a.strip() for a in _WIDE_AREAS.replace("\n", "").split(";") if a.strip()}
    table = resources.files("jobs").joinpath("data", "geonames_places.tsv").read_text("utf-8")
    for line in table.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2] in ("country", "state"):
            names.add(" ".join(w.casefold() for w in words(parts[0])))
    for name in ("lebanon", "israel", "syria", "iraq", "iran", "yemen", "egypt", "jordan", "sudan", "libya"):
        names.add(name)
    return frozenset(names)


def signature(text: str, classifier: Classifier | None = None) -> Signature:
    classifier = classifier or default_classifier()
    original = words(text)
    demonyms = _demonyms()
    synonyms, entity_names = _synonyms()
    places: set[str] = set()
    areas: set[str] = set()
    entities: set[str] = set()
    covered: dict[int, str] = {}  # word offset → canonical token replacing a synonym span
    for hit in synonyms.scan(text):
        covered[hit.start] = hit.payload
        covered.update({k: "" for k in range(hit.start + 1, hit.end)})
        if hit.payload in entity_names:
            entities.add(hit.payload)
    place_spans: set[int] = set()
    for hit in classifier.places.scan(text):
        kind, region = hit.payload
        span = [w.casefold() for w in original[hit.start : hit.end]]
        if kind == "place":
            name = " ".join(span)
            if name in _areas():
                canonical = next((h.payload for h in synonyms.scan(name) if h.end - h.start == len(span)), None)
                areas.add(f"{region}:{canonical or ' '.join(w for w in span if w not in _NOT_PLACE_WORDS)}")
            else:
                places.update(f"{region}:{w}" for w in span if w not in _STOP and w not in _NOT_PLACE_WORDS)
            place_spans.update(range(hit.start, hit.end))
    title_case = sum(1 for w in original if w[:1].isupper()) > 0.6 * max(1, len(original))
    tokens: set[str] = set()
    for i, word in enumerate(original):
        if i in covered:
            if covered[i]:
                tokens.add(covered[i])
            continue
        folded = word.casefold()
        folded = _NUMBERS.get(folded, folded)
        if folded in _STOP or (len(folded) == 1 and not folded.isdigit()):
            continue
        if folded in demonyms:
            mapped = demonyms[folded]
            entities.add(mapped)
            tokens.update(mapped.split())
            continue
        is_acronym = len(word) >= 2 and word.isupper() and not word.isdigit()
        is_name = word[:1].isupper() and i > 0 and not title_case and i not in place_spans
        if is_acronym or (is_name and i not in place_spans):
            entities.add(folded)
        tokens.add(folded if i in place_spans else _stem(folded))
    return Signature(tokens=tokens, places=places, entities=entities, areas=areas)


def _regions(tagged: set[str]) -> set[str]:
    return {t.split(":", 1)[0] for t in tagged}


def places_disagree(a: Signature, b: Signature) -> bool:
    """Where: different towns, a town and a country elsewhere in the world, or two different
    countries are different stories. A country named beside a town may be the actor
    ("Israel bombs Gaza City"), so towns decide when both sides name one."""
    if a.places and b.places:
        return not (a.places & b.places)
    if a.places or b.places:
        local, wide = (a, b) if a.places else (b, a)
        if not wide.areas:
            return False
        if local.areas:
            return not (local.areas & wide.areas)
        return not (_regions(local.places) & _regions(wide.areas))
    if a.areas and b.areas:
        return not (a.areas & b.areas)
    return False


def score(a: Signature, b: Signature) -> float:
    """Word overlap, or 0 when the two disagree on where or on who."""
    if places_disagree(a, b):
        return 0.0
    shares_place = bool(a.places & b.places or a.areas & b.areas)
    if a.entities and b.entities and not (a.entities & b.entities) and not shares_place:
        return 0.0
    if not a.tokens or not b.tokens:
        return 0.0
    shared = len(a.tokens & b.tokens)
    jaccard = shared / len(a.tokens | b.tokens)
    overlap = shared / min(len(a.tokens), len(b.tokens))
    return 0.5 * jaccard + 0.5 * overlap


def minhash_bands(tokens: set[str]) -> list[str]:
    if not tokens:
        return []
    hashes = [zlib.crc32(t.encode()) for t in tokens]
    mins = [min((a * h + b) % _P for h in hashes) for a, b in zip(_A, _B, strict=True)]
    return [f"{i}:{mins[i * ROWS]:x}:{mins[i * ROWS + 1]:x}" for i in range(BANDS)]


@dataclass(slots=True)
class Assignment:
    story: str
    is_new: bool
    adds_information: bool  # a joining item with a new number or a new place


class StoryClusterer:
    def __init__(self, redis: Redis, keys: Keys, window: int = WINDOW_SECONDS, classifier: Classifier | None = None):
        self.redis = redis
        self.keys = keys
        self.window = window
        self.classifier = classifier or default_classifier()
        self._find = redis.register_script(_FIND)
        self._open = redis.register_script(_OPEN)
        # one assignment at a time per process: two sources reporting a story in the same
        # instant must not both open it (across instances the window is two round trips)
        self._lock = asyncio.Lock()

    async def assign(self, story_id: str, text: str, now: float) -> Assignment:
        """Join `text` to a recent story, or start one under `story_id`."""
        async with self._lock:
            return await self._assign(story_id, text, now)

    async def _assign(self, story_id: str, text: str, now: float) -> Assignment:
        sig = signature(text, self.classifier)
        index_keys = [self.keys.cluster_band(b) for b in minhash_bands(sig.tokens)]
        index_keys += [self.keys.cluster_entity(e) for e in sorted(sig.places | sig.entities | sig.areas)]
        # one script call: recent stories per key, voted, the top ones returned with signatures
        found = await self._find(
            keys=index_keys, args=[now - self.window, FANOUT, VERIFY, self.keys.cluster_signature("")]
        )
        best, best_score, best_sig = None, 0.0, None
        for cand, data in zip(found[::2], found[1::2], strict=True):
            other = Signature.from_json(data)
            s = score(sig, other)
            if s > best_score:
                best, best_score, best_sig = cand, s, other
        if best is not None and best_sig is not None and best_score >= THRESHOLD:
            new_numbers = {t for t in sig.tokens if t.isdigit()} - best_sig.tokens
            new_places = sig.places - best_sig.places  # a new town, not a country named as actor
            merged = Signature(
                best_sig.tokens | sig.tokens,
                best_sig.places | sig.places,
                best_sig.entities | sig.entities,
                best_sig.areas | sig.areas,
            )
            await self.redis.set(self.keys.cluster_signature(best), merged.to_json(), ex=self.window)
            return Assignment(best, False, bool(new_numbers or new_places))
        await self._open(
            keys=[self.keys.cluster_signature(story_id), *index_keys],
            args=[sig.to_json(), story_id, now, self.window, FANOUT * 4],
        )
        return Assignment(story_id, True, True)


# KEYS: index keys. ARGV: oldest score, per-key fan-out, how many to verify, signature key prefix.
_FIND = """
local votes, order = {}, {}
for i = 1, #KEYS do
  for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
    if votes[id] == nil then votes[id] = 0; order[#order + 1] = id end
    votes[id] = votes[id] + 1
  end
end
table.sort(order, function(a, b) if votes[a] ~= votes[b] then return votes[a] > votes[b] end return a < b end)
local out = {}
for i = 1, math.min(#order, tonumber(ARGV[3])) do
  local sig = redis.call('GET', ARGV[4] .. order[i])
  if sig then out[#out + 1] = order[i]; out[#out + 1] = sig end
end
return out
"""
# KEYS: signature key, then index keys. ARGV: signature, story id, now, window, keys kept per index.
_OPEN = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[4]))
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -tonumber(ARGV[5]) - 1)
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[4]))
end
return 1
"""
