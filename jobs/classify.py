"""Region and category tagging from curated data files (jobs/data/*.yaml).

Regions: a named place decides; demonyms and actors decide only when no place is named, so an
"Israeli strike in Gaza City" is Palestine, not MENA. A source's fixed regions are always kept.

Granularity: every gazetteer name is a wide "area" (country, subdivision, island, sea, region) or
a specific "place" (city, town, village, camp, neighbourhood, site); see place_granularity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from jobs.arabic import fold_arabic, stems, strip_breaking
from jobs.datafiles import data_text, load_yaml
from jobs.models import Item
from jobs.phrases import PhraseIndex, contains, fold_words, words
from jobs.regions import CATEGORIES, REGIONS, regions_of
from jobs.text import strip_accents
from jobs.vocabulary import name_heads_ar

Kind = Literal["place", "actor", "ignore", "ambiguous"]
Granularity = Literal["area", "place"]
_SEAT_CITIES = frozenset({"washington"})  # actors in places.yaml that are also a city
_AREA_KINDS = frozenset({"country", "state", "subdivision", "island"})  # geonames_places.tsv kinds
_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az"})
_BREAKING_PREFIX = re.compile(
    r"^\s*(?:[🔴🚨⚡️]\s*)*(?:breaking(?:\s+news)?|urgent|just\s+in|flash)\s*[:\-–—|]\s*", re.IGNORECASE
)


def without_breaking(title: str) -> str:
    """A title without its leading "BREAKING:" / "عاجل |" marker: the marker is a flag on the
    item, not words of the event, and clustering must see the same title whoever strips it."""
    return strip_breaking(_BREAKING_PREFIX.sub("", title))


@dataclass(frozen=True, slots=True)
class Tags:
    regions: list[str]
    categories: list[str]


class Classifier:
    """Built once per process: loading the gazetteer costs milliseconds, tagging microseconds."""

    def __init__(self) -> None:
        self.places: PhraseIndex[tuple[Kind, str]] = PhraseIndex()
        # folded name → "area" | "place"; areas and places share the payload kind "place"
        self._granularity: dict[tuple[str, ...], Granularity] = {}
        # folded name → its region, for every place and area name of either layer (homonyms)
        self.place_regions: dict[tuple[str, ...], str] = {}
        # ambiguous names decide only with a context word: Georgia + Tbilisi, Georgia + Atlanta
        self.contexts: dict[str, list[tuple[str, list[tuple[str, ...]]]]] = {}
        # curated layers first (English, then Arabic); the generated layers fill in only names
        # the curated ones do not define
        for name in ("places.yaml", "places_ar.yaml"):
            self._add_curated(name, _load(name))
        geonames = [line.split("\t") for line in _data_lines("geonames_places.tsv")]
        for name, region, kind, *_ in geonames:
            self._add_generated(name, region, "area" if kind in _AREA_KINDS else "place")
        countries_ar = [line.split("\t")[:2] for line in _data_lines("countries_ar.tsv")]
        for name, region in countries_ar:
            self._add_generated(name, region, "area")
        # "الأسترالي", "الإندونيسية": actors, as demonyms are; after every country's name, so an
        # adjective that is also a country's name ("السعودية") stays the place
        for name, region in countries_ar:
            for form in nisba_forms(name):
                if form not in self.places:
                    self.places.add(form, ("actor", region))
        for line in _data_lines("cities_ar.tsv"):
            name, region = line.split("\t")[:2]
            self._add_generated(name, region, "place")
        # Arabic names of states, provinces and islands (subdivisions_ar.yaml), by their ISO code:
        # the country's region, as the generated English layer gives it; a city of that name wins
        country_region = {row[3]: row[1] for row in geonames if len(row) > 3 and row[2] == "country"}
        for row in geonames:
            if len(row) > 3:
                country_region.setdefault(row[3], row[1])
        for name, code, _section in subdivisions_ar():
            self._add_generated(name, country_region[code[:2]], "area")

        cats = _load("categories.yaml")
        self.sections: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        self.keywords: PhraseIndex[str] = PhraseIndex(case_sensitive_names=False)
        for attr, index in (("sections", self.sections), ("keywords", self.keywords)):
            for category, terms in (cats.get(attr) or {}).items():
                if category not in CATEGORIES:
                    raise ValueError(f"categories.yaml: unknown category {category!r}")
                index.extend((str(term), category) for term in terms)

    def _add_curated(self, file: str, data: dict) -> None:
        for section in ("areas", "places", "actors"):
            for region, names in (data.get(section) or {}).items():
                if not set(regions_of(region)) <= set(REGIONS):
                    raise ValueError(f"{file}: unknown region {region!r}")
                if section == "places" and file == "places_ar.yaml":  # Arabic names run together
                    names = [*names, *_glued(names)]
                tag: Kind = "actor" if section == "actors" else "place"
                self.places.extend((name, (tag, region)) for name in names)
                if section != "actors":
                    grain: Granularity = "area" if section == "areas" else "place"
                    self._granularity.update((fold_words(name), grain) for name in names)
                    self.place_regions.update((fold_words(name), region) for name in names)
        for region, adjectives in (data.get("demonyms") or {}).items():
            for adjective in adjectives:  # "نمساوي": the stem before its ي takes every ending
                self.places.extend((form, ("actor", region)) for form in _with_endings(fold_arabic(adjective)[:-1]))
        self.places.extend((name, ("ignore", "")) for name in data.get("ignore") or [])
        for name, options in (data.get("ambiguous") or {}).items():
            self.places.add(name, ("ambiguous", name))
            self.contexts[name] = [(o["region"], [fold_words(c) for c in o["context"]]) for o in options]
            self._granularity[fold_words(name)] = "area" if any(o.get("area") for o in options) else "place"

    def _add_generated(self, name: str, region: str, grain: Granularity) -> None:
        self.place_regions.setdefault(fold_words(name), region)
        if name not in self.places:
            self.places.add(name, ("place", region))
            self._granularity[fold_words(name)] = grain

    def holds(self, key: tuple[str, ...]) -> bool:
        """Whether a folded name is one of the gazetteer's places, areas or ambiguous names."""
        return key in self.place_regions or key in self._granularity

    def granularity(self, name: str) -> Granularity | None:
        """'area' for a wide area (country, subdivision, island, region: "Gaza Strip", "Tigray"),
        'place' for a specific place (city, town, village, camp, site: "Khan Younis", "Aitaroun"),
        None for a name the gazetteer does not hold as a place (actors, ignored phrases, words).
        Takes a name as written or as a hit's words (" ".join(words(text)[hit.start:hit.end]));
        a leading Arabic article is optional: "al-Mawasi" is "Mawasi"; so is a prefix glued to
        an Arabic name, as the gazetteer's scan allows it: "وخان يونس" is "خان يونس"."""
        key = fold_words(name)
        grain = self._granularity.get(key)
        if grain is None and len(key) > 1 and key[0] in _ARTICLES:
            grain = self._granularity.get(key[1:])
        for head in stems(key[0]) if grain is None and key else ():
            grain = self._granularity.get((head, *key[1:]))
            if grain is not None:
                break
        return grain

    def regions(self, text: str) -> list[str]:
        places: list[str] = []
        actors: list[str] = []
        text_words: tuple[str, ...] | None = None
        hits = list(self.places.scan(text))
        skip = self._town_state_pairs(text, hits)  # the town of "Athens, Georgia": its state follows
        # a person's or a ship's name ("Chad Kroeger", "the tanker Marlin Luanda"): not a town,
        # and the place after it is not its state
        named: set[int] = set()
        original: list[str] | None = None  # the headline's words, read once when a rule needs them
        people, ships = any(h.end - h.start == 1 for h in hits), bool(hits) and has_vessel(text)
        if people or ships:
            original = words(text)
            named = {
                n
                for n, hit in enumerate(hits)
                if (people and names_a_person(original, hit.start, hit.end))
                or (ships and names_a_vessel(original, hit.start))
            }
        for n, hit in enumerate(hits):
            if n in skip or n in named:
                continue
            kind, region = hit.payload
            if n - 1 in skip:  # the state of "Athens, Georgia": the US one
                kind, region = "place", "US & Canada"
            if kind == "ambiguous":
                text_words = text_words or fold_words(text)
                name, region = region, self.resolve(region, text_words)
                if not region and hit.start and "US & Canada" in self._options(name):
                    original = original or words(text)
                    if _after_a_town(text, original, hit.start):
                        region = "US & Canada"  # "Winder, Georgia": a town the gazetteer lacks, then its state
                kind = "place" if region else "ignore"
            elif kind == "actor" and hit.start and hit.end - hit.start == 1:
                original = original or words(text)
                if _seat_as_place(original, hit.start):
                    kind = "place"  # "sign a peace accord in Washington": the city, not the government
            bucket = places if kind == "place" else actors if kind == "actor" else None
            if bucket is not None:
                bucket.extend(r for r in regions_of(region) if r not in bucket)
        return places or actors

    def _town_state_pairs(self, text: str, hits: list) -> set[int]:
        """Hits that are the town of "Town, State" written US or Canadian style ("Paris, Texas",
        "London, Ontario", "Athens, Georgia"): the state decides, the town's namesake abroad not."""
        pairs: set[int] = set()
        original: list[str] | None = None
        for n in range(len(hits) - 1):
            town, state = hits[n], hits[n + 1]
            if town.end != state.start or town.payload[0] != "place":
                continue
            kind, region = state.payload
            if kind == "ambiguous" and self.resolve(region, fold_words(text)) not in ("", "US & Canada"):
                continue  # "Tbilisi, Georgia": the context says which Georgia
            if not (kind == "ambiguous" and region == "Georgia") and not (
                kind == "place" and region == "US & Canada" and self.granularity(self._span(text, state)) == "area"
            ):
                continue
            original = original or words(text)
            if _comma_joined(text, original[town.end - 1], original[state.start]):
                pairs.add(n)
        return pairs

    def _options(self, name: str) -> list[str]:
        return [region for region, _cues in self.contexts.get(name, [])]

    @staticmethod
    def _span(text: str, hit) -> str:
        return " ".join(words(text)[hit.start : hit.end])

    def resolve(self, name: str, text_words: tuple[str, ...]) -> str:
        """The region of an ambiguous name ("Georgia", "صور") its context words settle, or "":
        tagging and story signatures read it alike."""
        for region, cues in self.contexts.get(name, []):
            if any(contains(text_words, cue) for cue in cues):
                return region
        return ""

    def categories(self, text: str, feed_categories: list[str], url: str) -> list[str]:
        found: list[str] = []
        section_text = " ".join(feed_categories) + " " + " ".join(_url_sections(url))
        for hit in self.sections.scan(section_text):
            if hit.payload not in found:
                found.append(hit.payload)
        if found:
            return found
        counts: dict[str, int] = {}
        for hit in self.keywords.scan(text):
            counts[hit.payload] = counts.get(hit.payload, 0) + 1
        return sorted(counts, key=lambda c: (-counts[c], CATEGORIES.index(c)))[:2]

    def tag_text(self, text: str) -> Tags:
        return Tags(regions=self.regions(text), categories=self.categories(text, [], ""))

    def apply(self, item: Item) -> Item:
        """Tag an item in place: regions, categories, breaking flag (and its prefix removed)."""
        title = item.title
        stripped = without_breaking(title)
        if stripped != title and stripped:
            item.breaking = True
            item.title = stripped
        text = f"{item.title}. {item.summary}" if item.summary else item.title
        regions = list(item.regions)
        # the headline alone first: summaries drift into background paragraphs about elsewhere
        for region in self.regions(item.title) or self.regions(text):
            if region not in regions:
                regions.append(region)
        item.regions = [r for r in REGIONS if r in regions]
        categories = list(item.categories)
        for cat in self.categories(text, item.feed_categories, item.url):
            if cat not in categories:
                categories.append(cat)
        item.categories = categories
        return item


def _url_sections(url: str) -> list[str]:
    path = re.sub(r"^https?://[^/]+", "", url or "")
    return [seg.replace("-", " ").replace("_", " ") for seg in path.split("/")[1:-1] if seg and not seg.isdigit()][:3]


@cache
def _person_words() -> tuple[frozenset[str], frozenset[str]]:
    """headline_words.yaml `first_names` (places that are also first names) and `not_surnames`
    (capitalised words that follow a place in its own names: "Jordan Valley", "Chad Army")."""
    data = load_yaml("headline_words.yaml")
    return frozenset(data["first_names"]), frozenset(data["not_surnames"])


def names_a_person(original: list[str], start: int, end: int) -> bool:
    """The one-word place at [start, end) is a first name: a capitalised word that is not a
    place's or an institution's follows ("Chad Kroeger", not "Chad Army"), in a headline not
    written in title case (where every word is capitalised)."""
    first_names, not_surnames = _person_words()
    if end - start != 1 or end >= len(original) or original[start] not in first_names:
        return False
    after = original[end]
    if not (after[:1].isupper() and after[1:].islower() and after.isalpha()) or after in not_surnames:
        return False
    return not title_case(original)


def _comma_joined(text: str, first: str, second: str) -> bool:
    """ "first, second" is written in the headline (accents aside): "Paris, Texas"."""
    return re.search(rf"\b{re.escape(first)}\s*,\s*{re.escape(second)}\b", strip_accents(text)) is not None


def _after_a_town(text: str, original: list[str], start: int) -> bool:
    """The word at `start` follows "Town," as a US state does ("Valdosta, Georgia")."""
    town = original[start - 1]
    return town[:1].isupper() and _comma_joined(text, town, original[start])


def _seat_as_place(original: list[str], start: int) -> bool:
    """A one-word seat of power written as where something happens ("in Washington", "to
    Washington"): the city, a place, where "Washington warns Tehran" is the government, an actor."""
    return original[start].casefold() in _SEAT_CITIES and original[start - 1].casefold() in ("in", "to", "from")


def title_case(original: list[str]) -> bool:
    """Most words capitalised: a headline written in title case, where a capital says nothing
    of a name (names_a_person, names_a_vessel, and signature.py's unknown places)."""
    return sum(1 for w in original if w[:1].isupper()) > 0.6 * max(1, len(original))


_VESSELS = frozenset({"ship", "tanker", "vessel", "freighter", "carrier", "boat", "yacht"})


def has_vessel(text: str) -> bool:
    """A vessel's noun is written: the only headlines names_a_vessel need read."""
    lowered = text.lower()
    return any(v in lowered for v in _VESSELS)


def names_a_vessel(original: list[str], start: int) -> bool:
    """The place at `start` is (the end of) a ship's name: a vessel noun, then capitalised words
    up to it ("the British oil tanker Marlin Luanda", "the ship Sea Harmony"), in a headline not
    written in title case. Luanda is not where the tanker was hit."""
    i, named = start - 1, 0
    while i >= 0 and named < 3 and original[i][:1].isupper() and original[i].casefold() not in _VESSELS:
        i, named = i - 1, named + 1
    return i >= 0 and original[i].casefold() in _VESSELS and not title_case(original)


def _glued(names: list[str]) -> list[str]:
    """Arabic two-word names run together as outlets write them ("ديرالبلح", "بيتلاهيا",
    "كفركلا"): their head ("دير", "بيت", "كفر": headline_words.yaml `name_heads_ar`) glued on."""
    heads = name_heads_ar()
    out = []
    for name in names:
        parts = name.split()
        if len(parts) == 2 and fold_arabic(parts[0]) in heads:
            out.append("".join(parts))
    return out


def nisba_forms(country: str) -> list[str]:
    """The adjectives Arabic makes of a one-word country name, folded: "أستراليا" →
    "استرالي", "الاسترالية", "الاستراليون"...; "السودان" → "سوداني"...; "السعودية" → "سعودي". A
    name ending in ي ("مالي", "تشيلي") makes none: its adjective would be the name itself, or
    a common word ("مالية", financial)."""
    folded = fold_arabic(country)
    stem = folded[2:] if folded.startswith("ال") else folded
    if " " in stem or "-" in stem or len(stem) < 3 or stem.endswith(("ي", "و")):
        return []
    if stem.endswith("يا") and len(stem) > 4:
        stem = stem[:-2]  # "استراليا" → "استرال"
    elif stem.endswith("يه"):
        stem = stem[:-2]  # "سعوديه" → "سعود"
    elif stem.endswith(("ا", "ه")):
        stem = stem[:-1]  # "كندا" → "كند", "سنغافوره" → "سنغافور"
    return _with_endings(stem)


def _with_endings(stem: str) -> list[str]:
    """A nisba adjective's forms, folded: "استرال" → "استرالي", "الاستراليه", "استراليون"..."""
    return [f"{article}{stem}{ending}" for article in ("", "ال") for ending in ("ي", "يه", "يون", "يين")]


@cache
def subdivisions_ar() -> list[tuple[str, str, str]]:
    """(name, ISO code, "subdivisions" or "islands") of jobs/data/subdivisions_ar.yaml, read once
    for the classifier's regions and placenames' grains, less the names not_places_ar.txt holds
    ("درعا" is "a shield" as often as Daraa): a name the tagger never finds has no grain either."""
    data, skip = _load("subdivisions_ar.yaml"), not_places_ar()
    return [
        (name, code, section)
        for section in ("subdivisions", "islands")
        for code, names in data[section].items()
        for name in names
        if " ".join(words(name)) not in skip
    ]


@cache
def not_places_ar() -> frozenset[str]:
    """jobs/data/not_places_ar.txt: Arabic names geonames or the subdivisions list give places
    that headlines use as common words or names (folded, as words() folds them)."""
    lines = [line for line in data_text("not_places_ar.txt").splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(w for line in lines if len(line.split()) > 2 for w in line.split()) | frozenset(
        line.strip() for line in lines if len(line.split()) <= 2
    )


def _data_lines(name: str) -> list[str]:
    """A generated table's rows, without its comment and header lines."""
    text = data_text(name)
    return [line for line in text.splitlines() if line and not line.startswith(("#", "name\t"))]


def _load(name: str) -> dict:
    return load_yaml(name)


@cache
def default_classifier() -> Classifier:
    return Classifier()


def place_granularity(name: str) -> Granularity | None:
    """The default classifier's Classifier.granularity: 'area', 'place' or None."""
    return default_classifier().granularity(name)
