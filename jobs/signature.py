"""What a headline says happened, reduced to the parts that tell one event from another.

Story clustering compares these, never raw words: two reports are one event only with positive
evidence (the same town, the same named ship or person, an agreeing figure) or a near-paraphrase,
and two different towns veto. Pure functions, no I/O: the clusterer (jobs/cluster.py) stores and
compares the results.

- an attribution prefix ("Al Mayadeen's correspondent in Gaza:", "IOF Spokesperson:") is cut
  off: its words are boilerplate, its place is only an area, never the event's place;
- places are split by granularity: a fine place (town, village, camp, neighbourhood, named site,
  or an unknown capitalised name in place position) and a coarse one (a big city, a state or
  governorate) can veto; an area (country, island, sea, wide region, or a reference point such as
  "west of Khan Younis") only narrows;
- names are what the event is about: people, ships, aircraft types;
- actors (organisations, demonyms, acronyms) say who acted, which alone proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources

import yaml

from jobs.classify import Classifier, default_classifier
from jobs.phrases import PhraseIndex, words

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
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "fifty": "50",
    "hundred": "100",
}
_STOP = frozenset(
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
        "saying",
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
        "updates",
        "live",
        "breaking",
        "urgent",
        "just",
        "report",
        "reports",
        "reported",
        "reportedly",
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
        "then",
        "there",
        "here",
        "while",
        "during",
        "al",
        "el",
        "other",
        "another",
        "one's",
        "s",
        "t",
        "amid",
        "toward",
        "towards",
        "following",
        "since",
        "due",
        "being",
        "latest",
    ]
)
# speakers: a leading span naming one of these before a colon is attribution, wherever it comes from
_SPEAKERS = frozenset(
    [
        "correspondent",
        "correspondents",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "spokespeople",
        "ministry",
        "minister",
        "media",
        "channel",
        "army",
        "forces",
        "agency",
        "sources",
        "source",
        "official",
        "officials",
        "office",
        "statement",
        "command",
        "military",
        "police",
        "government",
        "presidency",
        "palace",
        "embassy",
        "reporter",
        "reporters",
        "tv",
        "radio",
        "newspaper",
        "outlet",
        "outlets",
        "authorities",
        "authority",
        "council",
        "department",
    ]
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
# capitalised words that are institutions or generic, never a place or a named object
_GENERIC_NAMES = frozenset(
    [
        "parliament",
        "congress",
        "senate",
        "court",
        "council",
        "cabinet",
        "assembly",
        "government",
        "ministry",
        "army",
        "police",
        "president",
        "prime",
        "minister",
        "king",
        "queen",
        "prince",
        "pope",
        "state",
        "states",
        "republic",
        "kingdom",
        "national",
        "international",
        "federal",
        "supreme",
        "high",
        "security",
        "general",
        "chief",
        "house",
        "white",
        "white-house",
        "occupation",
        "resistance",
        "forces",
        "armed",
        "islamic",
        "authority",
        "authorities",
        "central",
        "bank",
        "union",
        "party",
        "front",
        "movement",
        "brigades",
        "brigade",
        "command",
        "division",
        "eu",
        "un",
        "god",
        "allah",
    ]
)
# words inside a place's name that are not the place ("Gaza City", "Jenin camp")
_PLACE_FILLER = frozenset(
    [
        "city",
        "town",
        "village",
        "camp",
        "refugee",
        "the",
        "of",
        "al",
        "el",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "ed",
        "ez",
        "an",
        "ar",
        "neighborhood",
        "neighbourhood",
        "area",
        "district",
        "region",
        "province",
        "governorate",
        "outskirts",
        "municipality",
        "strip",
        "occupied",
        "south",
        "north",
        "east",
        "west",
        "southern",
        "northern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "old",
        "new",
        "hospital",
        "medical",
        "complex",
        "center",
        "centre",
        "airport",
        "port",
        "school",
        "university",
        "stadium",
        "station",
        "mosque",
        "church",
        "base",
        "site",
    ]
)
_CUE = r"(?:in|near|at|into|outside|around|toward|towards|from|on|across|inside|targeting|targeted|hit|struck|struck)"
_NAME_WORD = r"(?:(?:al|el|ad|as|ash|at|az|ed|ez|an|ar)[-‑])?[A-Z][\w'’]*(?:[-‑][A-Za-z][\w'’]*)*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:al|el)[-‑\s])?{_NAME_WORD})*"
# "in Aitaroun", "near the town of Deir Seryan", "the outskirts of Kfar Kila", "the Bir Ora area"
_PLACE_NOUNS = (
    r"(?:towns?|villages?|city|cities|outskirts|areas?|vicinity|camps?|neighbou?rhoods?|districts?|suburbs?|"
    r"municipality|municipalities|countryside)"
)
# "the towns of Yaroun and Maroun al-Ras", "in Houla, Meiss al-Jabal and Blida"
_MORE_PLACES = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?({_NAME})")
_PLACE_AFTER_CUE = re.compile(
    rf"\b(?:{_CUE}\s+(?:the\s+)?(?:{_PLACE_NOUNS}\s+of\s+(?:the\s+)?)?|{_PLACE_NOUNS}\s+of\s+(?:the\s+)?)({_NAME})"
)
_PLACE_BEFORE_NOUN = re.compile(
    rf"({_NAME})\s+(?:area|camp|refugee camp|neighbou?rhood|district|crossing|junction|settlement|square|"
    rf"roundabout|valley|axis|outpost|base|barracks|site|plain|heights|hills)\b"
)
# "west of Khan Younis": a reference point, so an area, not where it happened
_REFERENCE = re.compile(
    rf"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|western)"
    rf"(?:ern)?\s+of\s+(?:the\s+)?({_NAME})"
)
_DISTRICT_WORDS = frozenset(["district", "countryside", "governorate", "province", "region", "desert", "suburbs"])
# "the town of Douris, near Baalbek": Baalbek only says where Douris is
_NEAR_REFERENCE = re.compile(rf",\s*(?:not\s+far\s+from|near)\s+(?:the\s+)?({_NAME})")
_NOT_PLACE_TAILS = frozenset(
    [
        "league",
        "cup",
        "open",
        "championship",
        "championships",
        "games",
        "olympics",
        "summit",
        "conference",
        "festival",
        "awards",
        "award",
        "prize",
        "series",
        "tour",
        "final",
        "finals",
        "forum",
        "council",
        "party",
        "court",
    ]
)
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_FIGURE = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\.\d+\b")
_DESIGNATOR = re.compile(r"\b[A-Z]{1,4}[-‑]?\d{1,4}[A-Z]?\b")
_OWNED_PLACE = re.compile(rf"({_NAME})['’]s\s+({_NAME})")  # "Lebanon's Aitaroun": a place in a place
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_PREFIX = re.compile(r"^\s*([^:]{2,80}?)\s*:\s+(\S.*)$", re.DOTALL)
_VOWELS = str.maketrans("", "", "aeiouyw'’")


@cache
def _demonyms() -> dict[str, str]:
    return yaml.safe_load(resources.files("jobs").joinpath("data", "demonyms.yaml").read_text("utf-8")) or {}


@cache
def _synonyms() -> tuple[PhraseIndex[str], frozenset[str]]:
    data = _synonym_data()
    index: PhraseIndex[str] = PhraseIndex(case_sensitive_names=True)
    entities = frozenset(data.get("entities", {}))
    for section in ("entities", "words", "objects"):
        for canonical, variants in (data.get(section) or {}).items():
            for variant in variants:
                index.add(str(variant), canonical)
    return index, entities


@cache
def _synonym_data() -> dict:
    return yaml.safe_load(resources.files("jobs").joinpath("data", "synonyms.yaml").read_text("utf-8")) or {}


@cache
def target_objects() -> frozenset[str]:
    """The tokens that name what an attack hit (synonyms.yaml `objects`: house, car, tent...)."""
    return frozenset(_synonym_data().get("objects") or {})


_WIDE_AREAS = """gaza;gaza strip;west bank;occupied west bank;palestine;palestinian territories;occupied territories;
south lebanon;southern lebanon;middle east;north africa;red sea;persian gulf;gulf;sahel;horn of africa;balkans;
south china sea;pacific;caribbean;europe;africa;asia;latin america;south america;central america;kashmir;
darfur;tigray;donbas;crimea;sinai;golan;golan heights;galilee;upper galilee;western galilee;negev;bekaa;
kurdistan;gulf of aden;gulf of aqaba;bab al mandab;arabian sea;mediterranean;eastern mediterranean;
black sea;baltic;arctic;levant;occupied palestine;northern gaza;southern gaza;central gaza;north gaza;
the north;the south"""


# countries' short names and aliases the generated layer does not list under "country"
_COUNTRY_ALIASES = """us;usa;u s;united states;america;uk;britain;great britain;england;scotland;wales;uae;
emirates;drc;dr congo;congo;north korea;south korea;korea;czechia;russia;iran;syria;vietnam;laos;bolivia;
venezuela;tanzania;moldova;palestine;taiwan;lebanon;israel;iraq;yemen;egypt;jordan;sudan;libya"""


@cache
def _grains() -> dict[str, str]:
    """Folded place name → 'area' (countries, islands, wide regions) or 'coarse' (states,
    governorates, cities of the generated layer: big enough for several events a day); absent
    names are decided by granularity()."""
    grains: dict[str, str] = {}
    table = resources.files("jobs").joinpath("data", "geonames_places.tsv").read_text("utf-8")
    for line in table.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or line.startswith("#"):
            continue
        name = " ".join(w.casefold() for w in words(parts[0]))
        grains[name] = "area" if parts[2] in ("country", "island", "area") else "coarse"
    for text in (_WIDE_AREAS, _COUNTRY_ALIASES):
        grains.update({a.strip(): "area" for a in text.replace("\n", "").split(";") if a.strip()})
    return grains


def granularity(name: str, classifier: Classifier | None = None) -> str:
    """'area', 'coarse' or 'fine' for a folded place name the gazetteer found: the generated
    layer's kind first (a country is an area; a state, governorate or city of 150,000+ is
    coarse), then the curated layer's own word (its areas: seas, islands, wide regions)."""
    stripped = " ".join(w for w in name.split() if w not in _PLACE_FILLER)  # "gaza city" → "gaza"
    grain = _grains().get(name)
    if grain is not None:
        return grain
    if stripped != name and stripped in _grains():
        return "coarse"  # "Gaza City": named after its area or a big city, as coarse as a city
    if (classifier or default_classifier()).granularity(name) == "area":
        return "area"
    # "Gaza City" is the generated layer's "Gaza", "Deir al-Balah" its "Deir el-Balah": one
    # spelling of a big city or a governorate is as coarse as another
    classifier = classifier or default_classifier()
    key = place_id(name, classifier)
    return "coarse" if key in _coarse_ids(classifier) else "fine"


_ARTICLES = frozenset(["al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ez", "es"])
SAME_SPELLING = 0.83  # difflib ratio above which two gazetteer names of one skeleton are one place


@cache
def _spellings() -> dict[str, int]:
    """jobs/data/spellings.yaml: folded name → the number of its group (one place)."""
    groups = yaml.safe_load(resources.files("jobs").joinpath("data", "spellings.yaml").read_text("utf-8")) or []
    return {" ".join(w.casefold() for w in words(name)): n for n, group in enumerate(groups) for name in group}


def _alike(a: tuple[str, str], b: tuple[str, str]) -> bool:
    groups = _spellings()
    if a[0] in groups and b[0] in groups:
        return groups[a[0]] == groups[b[0]]
    bare_a, bare_b = _bare(a[0]), _bare(b[0])
    return a[1] == b[1] and SequenceMatcher(None, bare_a, bare_b).ratio() >= SAME_SPELLING


@cache
def _place_ids(classifier: Classifier) -> dict[str, str]:
    """Folded gazetteer name → its place id. The id is the consonant skeleton (place_key), which
    makes 'Khan Younis' and 'Khan Yunis' one place; but the skeleton also makes Saida (Lebanon)
    and Saada (Yemen), Sidon and Sydney, Hebron and Burin, Ramallah and al-Rimal one. Names the
    gazetteer holds are one place only when they share a region and are spelled alike, articles
    aside, or spellings.yaml says so; every other homonym gets an id of its own."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for folded, region in classifier.place_regions.items():
        name = " ".join(folded)
        groups.setdefault(place_key(name), []).append((name, region))
    ids: dict[str, str] = {}
    for key, members in groups.items():
        clusters: list[list[tuple[str, str]]] = []
        for member in sorted(members, key=lambda m: (len(m[0]), m[0])):
            home = next((c for c in clusters if all(_alike(member, other) for other in c)), None)
            if home is None:
                clusters.append(home := [])
            home.append(member)
        for n, cluster in enumerate(clusters):
            ids.update((name, key if n == 0 else f"{key}~{n}") for name, _ in cluster)
    return ids


def _bare(name: str) -> str:
    """Articles and filler words out: "al-Mawasi" is "Mawasi", "Jenin camp" is "Jenin"."""
    return " ".join(w for w in name.split() if w not in _ARTICLES and w not in _PLACE_FILLER)


def place_id(name: str, classifier: Classifier | None = None) -> str:
    """The id two reports must share to name one place: see _place_ids; a name the gazetteer
    lacks has its skeleton (two spellings of an unknown village still meet)."""
    folded = " ".join(w.casefold() for w in words(name))
    return _place_ids(classifier or default_classifier()).get(folded) or place_key(name)


@cache
def _coarse_ids(classifier: Classifier) -> frozenset[str]:
    return frozenset(place_id(name, classifier) for name, grain in _grains().items() if grain == "coarse")


@cache
def _zipf() -> dict[str, float]:
    table = resources.files("jobs").joinpath("data", "word_zipf.tsv").read_text("utf-8")
    out = {}
    for line in table.splitlines():
        if not line.startswith("#"):
            word, value = line.split("\t")
            out[word] = float(value)
    return out


def _is_figure(token: str) -> bool:
    return token.replace(".", "", 1).isdigit()


@lru_cache(maxsize=65536)
def weight(token: str) -> float:
    """How much sharing this token says: a rare word much, a common one little (Zipf scale
    from jobs/data/word_zipf.tsv); place words and figures have their own evidence rules."""
    if token[0] == "@" or _is_figure(token):
        return 2.0
    return min(5.5, max(0.5, 7.0 - _zipf().get(token, 1.5)))


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """One key for a place's spellings: filler words and articles out, vowels out, doubles
    collapsed ('Khan Younis' = 'Khan Yunis', 'al-Nuseirat' = 'Nuseirat', 'Hodeidah' = 'Hudaydah')."""
    parts = []
    for word in words(name.replace("'", "").replace("’", "")):
        folded = word.casefold()
        if folded in _PLACE_FILLER:
            continue
        skeleton = folded[0] + folded[1:].translate(_VOWELS)
        skeleton = re.sub(r"(.)\1+", r"\1", skeleton.replace("h", "") if len(skeleton) > 3 else skeleton)
        parts.append(skeleton)
    return " ".join(parts)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
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


@dataclass(frozen=True, slots=True)
class Signature:
    tokens: frozenset[str]  # content words: stems, canonical synonyms, digits
    places: frozenset[str]  # place keys of specific places (towns, camps, sites, unknown names)
    areas: frozenset[str]  # "region:name" of countries, governorates, wide areas, reference points
    actors: frozenset[str]  # organisations, demonym targets, acronyms: who acted
    names: frozenset[str]  # people, ships, aircraft types: what the event is about
    numbers: frozenset[str]
    refs: frozenset[str] = frozenset()  # place keys named as reference points ("west of X")

    def to_list(self) -> list[list[str]]:
        return [
            sorted(self.tokens),
            sorted(self.places),
            sorted(self.areas),
            sorted(self.actors),
            sorted(self.names),
            sorted(self.refs),
        ]

    @classmethod
    def from_list(cls, data: list[list[str]]) -> Signature:
        return cls.build(*data)

    @classmethod
    def build(
        cls,
        tokens: Iterable[str],
        places: Iterable[str],
        areas: Iterable[str],
        actors: Iterable[str],
        names: Iterable[str],
        refs: Iterable[str],
    ) -> Signature:
        tokens = frozenset(tokens)
        numbers = frozenset(t for t in tokens if _is_figure(t))
        return cls(
            tokens, frozenset(places), frozenset(areas), frozenset(actors), frozenset(names), numbers, frozenset(refs)
        )

    def facts(self) -> set[str]:
        """What a later report may add: figures, places, named objects, and (marked) words. An
        actor's country ('s:') is recorded as an area but is never news: "Israeli strike" then
        "... kills five Palestinians" adds no place."""
        actor_words = {w for a in self.actors for w in a.split()}
        return (
            {f"n:{n}" for n in self.numbers}
            | {f"p:{p}" for p in self.places}
            | {f"a:{a.split(':')[1]}" for a in self.areas}
            | {f"s:{place_key(a)}" for a in self.actors}  # known from now on, never new itself
            | {f"o:{o.lstrip('^')}" for o in self.names}
            | {f"t:{t}" for t in self.tokens if not _is_figure(t) and t[0] != "@" and t not in actor_words}
        )


def split_prefix(text: str) -> tuple[str, str]:
    """A leading short span before a colon ('Channel 12: ...') and the rest, or ('', text)."""
    match = _PREFIX.match(text)
    if not match:
        return "", text
    head, rest = match.group(1), match.group(2)
    if len(words(head)) > 8 or len(words(rest)) < 3:
        return "", text
    return head, rest


def prefix_key(prefix: str) -> str:
    return " ".join(w.casefold() for w in words(prefix))


def is_attribution(prefix: str) -> bool:
    """A prefix that names a speaker ('... correspondent in Gaza', 'Ministry of Health'). Others
    are learned per source from how often they recur (jobs/cluster.py)."""
    return any(w.casefold() in _SPEAKERS for w in words(prefix))


def signature(text: str, classifier: Classifier | None = None, attribution: str = "") -> Signature:
    """`attribution` is a prefix already cut from `text` (its places count as areas only)."""
    classifier = classifier or default_classifier()
    demonyms = _demonyms()
    synonyms, entity_names = _synonyms()
    owned = [m.group(2) for m in _OWNED_PLACE.finditer(text) if m.group(1) in classifier.places]
    text = _POSSESSIVE.sub("", text)
    # "2,119" is one figure, not "2" and "119" ("2,119 martyrs" does not agree with "two")
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    original = words(text)
    title_case = sum(1 for w in original if w[:1].isupper()) > 0.6 * max(1, len(original))
    places: set[str] = set()
    areas: set[str] = set()
    actors: set[str] = set()
    names: set[str] = set()
    if attribution:
        for hit in classifier.places.scan(attribution):
            kind, region = hit.payload
            if kind == "place":
                span = " ".join(words(attribution)[hit.start : hit.end])
                areas.add(f"{region}:{_area_key(span, synonyms)}:p")  # where the speaker is
        for word in words(attribution):  # "Lebanese Ministry of Health": the speaker is in Lebanon
            country = demonyms.get(word.casefold())
            hit = next(iter(classifier.places.scan(country.title())), None) if country else None
            if hit is not None and hit.payload[0] == "place":
                areas.add(f"{hit.payload[1]}:{_area_key(country.title(), synonyms)}:p")

    covered: dict[int, str] = {}  # word offset → canonical token replacing a synonym span
    for hit in synonyms.scan(text):
        covered[hit.start] = hit.payload
        covered.update({k: "" for k in range(hit.start + 1, hit.end)})
        if hit.payload in entity_names:
            actors.add(hit.payload)

    refs = {place_id(m.group(1), classifier) for p in (_REFERENCE, _NEAR_REFERENCE) for m in p.finditer(text)}
    place_spans: set[int] = set()
    for hit in classifier.places.scan(text):
        kind, region = hit.payload
        if kind != "place":
            continue
        name = " ".join(w.casefold() for w in original[hit.start : hit.end])
        place_spans.update(range(hit.start, hit.end))
        grain = granularity(name, classifier)
        key = place_id(name, classifier)
        if hit.end < len(original) and original[hit.end].casefold() in _DISTRICT_WORDS:
            grain = "area"  # "in the Baalbek district", "the Homs countryside": a wide area
        if grain == "area":
            # the synonyms are written as names ("Britain" = "UK"): look the span up as written
            areas.add(f"{region}:{_area_key(' '.join(original[hit.start : hit.end]), synonyms)}")
        elif key in refs:
            areas.add(f"{region}:{key}")
        else:
            places.add(f"{region}:{key}:{grain[0]}")
    # names the gazetteer lacks, in place position: two different villages still veto
    if not title_case:
        found = [m for pattern in (_PLACE_AFTER_CUE, _PLACE_BEFORE_NOUN) for m in pattern.finditer(text)]
        for match in list(found):
            if match.re is _PLACE_AFTER_CUE:
                found.extend(_more_places(text, match.end()))
        for candidate in [m.group(1) for m in found]:
            key = place_key(candidate)
            if not key or candidate in classifier.places or candidate in synonyms:
                continue
            if not _unknown_place(candidate, demonyms, entity_names):
                continue
            known = {k.split(":")[1] for k in places | areas}
            if any(key == k or key in k.split() or k in key.split() for k in known):
                continue
            if key in refs:
                areas.add(f":{key}")
            else:
                places.add(f":{key}:f")
    place_words = {w for p in places | areas for w in p.split(":")[1].split()}
    place_words |= {w for r in refs for w in r.split()}

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
        if folded.isdigit() and _is_date(original, i):
            continue  # "since October 7", "2025 profit": a date, not a figure to agree on
        if folded in demonyms:
            mapped = demonyms[folded]
            actors.add(mapped)
            tokens.update(mapped.split())
            continue
        if i in place_spans or place_key(word) in place_words:
            tokens.add(f"@{place_key(word) or folded}")
            continue
        tokens.add(stem(folded))
        if len(word) >= 2 and word.isupper() and not word.isdigit():
            actors.add(folded)
        elif (
            not title_case
            and word[:1].isupper()
            and not folded.isdigit()
            and folded not in _GENERIC_NAMES
            and folded not in _MONTHS
            and folded not in _NOT_PLACE_TAILS
            and (i + 1 >= len(original) or original[i + 1].casefold() not in _NOT_PLACE_TAILS)
        ):  # "Champions League", "Australian Open": a competition, shared by its every match
            # the first word is capitalised anyway: a name there only counts if the other
            # report writes it capitalised mid-sentence too
            names.add(folded if i > 0 else f"^{folded}")
    # "Lebanon's Aitaroun", "Brazil's Copom", "Hungary's Tisza": a town, a body or a party; a
    # named thing either way (evidence when shared), never a place that could veto
    for name in owned:
        key = place_key(name)
        if key and name not in classifier.places and not any(key == _key_of(p) for p in places):
            names.add(" ".join(w.casefold() for w in words(name)))
    for match in _DESIGNATOR.finditer(text):
        names.add(match.group(0).replace("‑", "").replace("-", "").casefold())
    # "6.1" and "2,500" are one figure each, not "6" and "1"
    tokens |= {m.group(0).replace(",", "") for m in _FIGURE.finditer(text)}
    return Signature.build(tokens, places, areas, actors, names, refs)


def _area_key(name: str, synonyms: PhraseIndex[str]) -> str:
    canonical = next((h.payload for h in synonyms.scan(name) if h.end - h.start == len(name.split())), None)
    return place_key(canonical or name) or name


def _is_date(original: list[str], i: int) -> bool:
    word = original[i]
    if len(word) == 4 and word[:2] in ("19", "20"):
        return True
    near = {original[j].casefold() for j in (i - 1, i + 1) if 0 <= j < len(original)}
    return bool(near & _MONTHS)


def _key_of(tagged: str) -> str:
    return tagged.split(":")[1]


def _more_places(text: str, pos: int) -> list[re.Match[str]]:
    out = []
    while (match := _MORE_PLACES.match(text, pos)) is not None:
        out.append(match)
        pos = match.end()
    return out


def _unknown_place(candidate: str, demonyms: dict[str, str], entity_names: frozenset[str]) -> bool:
    folded = [w.casefold() for w in words(candidate)]
    meaningful = [w for w in folded if w not in _PLACE_FILLER]
    if not meaningful:
        return False
    first = meaningful[0]
    if folded[-1] in _NOT_PLACE_TAILS:
        return False  # "in Champions League", "at the Australian Open": events, not places
    return not (
        first in demonyms
        or first in _GENERIC_NAMES
        or first in _MONTHS
        or first in entity_names
        or first in _SPEAKERS
        or (len(words(candidate)) == 1 and candidate.isupper())
    )
