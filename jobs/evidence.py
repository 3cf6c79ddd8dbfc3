"""Whether two reports are one event: the rules story clustering applies to two signatures
(jobs/signature.py), pure functions with no I/O. jobs/cluster.py finds the candidates and keeps
the stories in Redis; tests/cluster_eval.py measures these rules on the labelled sets.

Two reports are one event only with positive evidence (the same fine place, named thing or
figure; less: the same city) or as a near-paraphrase, and never when they disagree on where (two
places), on what (two things hit, two kinds of weapon) or on who (two actors, no shared place or
name), or when one is a statement about an event or a market's move and the other the event.
Where the bar lies for the pairs no rule keeps apart is learned (jobs/join_model.py)."""

from __future__ import annotations

from functools import lru_cache

from jobs.arabic import has_arabic
from jobs.arabic_places import without_article
from jobs.datafiles import load_yaml
from jobs.join_model import join_models
from jobs.phrases import words
from jobs.placenames import (
    SHORT_SKELETON,
    UNLIKE_KNOWN,
    around,
    outside,
    seat_countries,
    subdivision_countries,
    tag_key,
    undoubled,
    within,
)
from jobs.regions import regions_of
from jobs.signature import HARM, REPORTS_AN_ACT, Signature, place_key, target_objects, weight
from jobs.vocabulary import demonyms, leaders, stem, victim_kinds, weapon_kinds

_WORDS = load_yaml("headline_words.yaml")
QUIET_SECONDS = 3 * 3600  # default: a story with no report for this long takes no new ones


# tuned on the tuning half of tests/data/stories (tests/cluster_eval.py --half tune); the pairs
# no rule vetoes are weighed by the join model of their language, which reads these bars as one
# of its features
WITH_EVIDENCE = 0.15  # similarity needed when a specific place, named object or figure agrees
SAME_KIND = 0.10  # a rare kind of event (quake, flood, blast) in the same place or country
SOME_EVIDENCE = 0.30  # the same city or governorate: not an event by itself
WITHOUT_EVIDENCE = 0.55  # a near-paraphrase
REWRITE = 0.40  # a paraphrase by another source: outlets rewrite each other, a ticker rarely itself
REWRITE_AR = 0.55  # the same in Arabic, tuned apart: light stems share more words
ALPHA = 0.25  # weight of Jaccard against the overlap coefficient (a short rewrite of a long report)
CONTEXT = 0.5  # weight of a word from an "after X" clause
RECENCY = 0.10  # threshold added as a story goes quiet, for a language with no join model
CACHED = 65536  # signatures whose derived sets are kept (a day of busy stories' first reports)


# The helpers below read one signature each and are called for every candidate of every
# report: cached per signature (signatures are immutable), they are computed once per report.
@lru_cache(maxsize=CACHED)
def _keys(tagged: frozenset[str]) -> frozenset[str]:
    return frozenset(map(tag_key, tagged))


@lru_cache(maxsize=CACHED)
def _as_names(tagged: frozenset[str]) -> frozenset[str]:
    """Place keys as a name written in the other report reads: without the "~2" that tells
    homonyms apart ("Nasser Medical Complex" is 'nsr~2'; "Gaza's Nasser hospital" names 'nsr')."""
    return _unsuffixed(_keys(tagged))


def _unsuffixed(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(k.split("~", 1)[0] for k in keys)


# keyed by _innermost's own sets (one object for every equal set): a lookup is a pointer compare
_around = lru_cache(maxsize=CACHED)(around)


@lru_cache(maxsize=CACHED)
def _regions(tagged: frozenset[str]) -> frozenset[str]:
    """The contract regions of "region:name" keys; Haifa's "MENA, Palestine" shares MENA with
    "the Middle East"."""
    return frozenset(r for t in tagged for r in regions_of(t.split(":", 1)[0]))


class _Where:
    """What places_disagree reads of one signature, computed the first time it is compared and
    kept on it (Signature.where): a lookup by the whole signature would hash all its sets."""

    __slots__ = ("alert", "alerted", "around", "as_names", "coarse", "fine", "inner", "keys", "mid", "unknown")

    def __init__(self, sig: Signature) -> None:
        # the place keys, the inner ones, the places those lie in (_nested), the keys as names,
        # only cities, the fine places' keys
        self.keys, self.inner, self.around, self.as_names, self.coarse, self.fine = _place_facts(sig.places)
        self.mid = _mid_name_keys(sig.names)  # place keys of the names written mid-sentence
        self.alerted = not sig.tokens.isdisjoint(_ALERTS)  # sirens or an alert (_alert_covers)
        self.unknown = _unknown_keys(sig.places)  # the places the gazetteer lacks (no region)
        # Arabic "الإنذار" is also a warning to leave ("إنذار بالإخلاء"): sirens only without one
        self.alert = self.alerted and (sig.lang == "en" or not any(t.startswith(_TO_LEAVE_AR) for t in sig.tokens))


@lru_cache(maxsize=CACHED)
def _place_facts(
    places: frozenset[str],
) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], bool, frozenset[str]]:
    """What _Where reads of a report's places, in one cache lookup instead of five: a decoded
    report's places are a set of its own, which each lookup hashes and compares with the
    cached one, on a heap too big for the processor's caches."""
    inner = _innermost(places)
    return (
        _keys(places),
        inner,
        _around(inner),
        _as_names(places),
        _only_coarse(places),
        frozenset(tag_key(p) for p in places if p.endswith(":f")),
    )


@lru_cache(maxsize=CACHED)
def _unknown_keys(places: frozenset[str]) -> frozenset[str]:
    return frozenset(tag_key(p) for p in places if p[:1] == ":")


def _where(sig: Signature) -> _Where:
    w = sig.where
    if w is None:
        w = _Where(sig)
        object.__setattr__(sig, "where", w)
    return w  # type: ignore[return-value]


class _What:
    """The rest of what the rules read of one signature, for the pairs no place keeps apart
    (Signature.what, as _Where)."""

    __slots__ = ("all_names", "mid_names", "name_stems", "named_areas", "sides", "specifics")

    def __init__(self, sig: Signature) -> None:
        self.mid_names = frozenset(n for n in sig.names if n[0] != "^")
        self.all_names = frozenset(n.lstrip("^") for n in sig.names)
        self.named_areas = frozenset(tag_key(a) for a in sig.areas if not a.endswith(":p"))
        w = _where(sig)
        self.specifics = w.fine | w.mid
        self.sides = frozenset(t for t in sig.tokens if t[0] == "~")
        self.name_stems = frozenset(stem(n) for n in self.all_names)


@lru_cache(maxsize=1)
def _actor_names() -> frozenset[str]:
    """The gazetteer's actors written as names (places.yaml, places_ar.yaml `actors`: leaders,
    parties, armed groups), folded as signatures fold names."""
    found: set[str] = set(leaders())
    for name in ("places.yaml", "places_ar.yaml"):
        for names in (load_yaml(name).get("actors") or {}).values():
            for actor in names or ():
                parts = [w.casefold() for w in words(str(actor))]
                found.add(" ".join(parts))
                found.update(parts)  # signatures keep a name word by word: "Israel Katz" is 'israel', 'katz'
    return frozenset(found)


def _what(sig: Signature) -> _What:
    w = sig.what
    if w is None:
        w = _What(sig)
        object.__setattr__(sig, "what", w)
    return w  # type: ignore[return-value]


def places_disagree(a: Signature, b: Signature) -> bool:
    """Where: two different places, a place and an area elsewhere in the world, or two different
    areas are different events. A place that the other report names only as a reference point
    ("west of Khan Younis") does not disagree; it does not agree either. An area named beside a
    place may be the actor ("Israel bombs Gaza City"), so places decide when both name one."""
    wa, wb = a.where or _where(a), b.where or _where(b)  # _where, without a call on every pair
    if (wa.mid or wb.mid) and _names_the_place(a, b):
        return False
    if _tsunami_of_quake(a, b):
        return False  # a tsunami warning names the coasts it will reach, not where the quake struck
    if a.places and b.places:
        ka, kb = wa.inner, wb.inner
        if _one_spot(ka, kb, wa.unknown | wb.unknown) or ((wa.alert or wb.alert) and _an_alert_covers(a, b)):
            return False
        if (wa.unknown or wb.unknown) and _spelled_as_known(wa, wb, ka, kb):
            return False
        # "a house in Khan Younis" vs "tents in al-Mawasi west of Khan Younis", or a school in
        # Tal al-Hawa vs a school in Gaza City: two events, unless a figure or a name says the
        # vaguer report (a reference point, a place around the other's, or only a city) is
        # about the finer one
        # the last two are _nested(ka, kb), from the places each one's inner places lie in
        apart = ka.isdisjoint(b.refs) and kb.isdisjoint(a.refs)
        if not (apart and wa.around.isdisjoint(kb) and wb.around.isdisjoint(ka)) or _in_speakers(a, b):
            return not (_same_figure_or_name(a, b) or _vague_rewrite(a, b))
        if wa.coarse != wb.coarse:  # a small figure ("two killed") is too common here
            return not (wa.mid & (wb.mid | wb.as_names) or wb.mid & wa.as_names)
        return True
    if a.places or b.places:
        local, wide = (a, b) if a.places else (b, a)
        # "off Hodeidah" and "68 miles west of Hodeidah": the one's place, the other's reference
        # a speaker's area ("correspondent in Gaza:") is shared by all its reports: agreement only
        # when the report names no area of its own
        wide_areas = _named_areas(wide) or _keys(wide.areas)
        if not wide.refs:  # a road's two ends ("طريق بنت جبيل - عيناثا") are both the report's
            wide_areas = _finest(wide_areas)
        if not wide.areas or _keys(local.areas | local.places) & wide_areas:
            return False
        if within(_keys(local.places), wide_areas):
            return False  # "near Huwara" and "the Nablus area"; a village and its district
        if _unsuffixed(_around(_keys(local.places))) & wide_areas:
            return False  # Qabatiya (Jenin, the West Bank) and "a West Bank raid": areas are keyed by spelling
        if _same_big_figure(a, b):
            return False  # "320 rockets at the Golan" and "320 rockets at Israel": one barrage
        if _shared_object(a, b):
            return False  # the tanker "Aegean Star" in the Red Sea and off Hodeidah: one ship
        if _keys(wide.areas) & wide.refs:
            return True  # "off Hodeidah" and "west of Aden": places, though the one is a reference
        if local.lang == "ar" and outside(_keys(local.places), wide_areas):
            return True  # Baalbek lies in the Bekaa, not in "جنوب لبنان"
        if local.areas:
            return True  # both name areas, and none is shared
        local_regions = _regions(local.places)
        return bool(local_regions) and not (local_regions & _regions(wide.areas))
    if a.areas and b.areas:
        # "east of Rafah" and "east of Khan Younis", both from "correspondent in Gaza:": the
        # areas each report names decide, not the speaker's, which all its lines share
        # "southern Gaza" and "the Gaza Strip": one lies in the other, so they need not differ;
        # a shared name (a ship, an app, an air base) outweighs two areas, one of which is
        # often context or the actor's ("US says", "its China-based parent"), as it does a place
        na, nb = _named_areas(a), _named_areas(b)
        if not (na and nb):
            na, nb = _keys(a.areas), _keys(b.areas)
        if na & nb:
            # "US to impose 25% tariff on Japan" / "... on South Korea": the area both share is
            # the actor's; each names another that the other does not speak of in any form (a
            # speaker's area, a demonym: "US MQ-9" / "American Reaper"), and neither lies in the
            # other's
            da, db = na - _spoken_of(b), nb - _spoken_of(a)
            return bool(da and db) and not (_nested(da, nb) or _nested(db, na) or _shared_object(a, b))
        return not (_nested(na, nb) or _shared_object(a, b))
    return False


_ALERTS = frozenset({"siren", "alert"})  # synonyms.yaml folds "sirens", "alarms"
_PROJECTILES = weapon_kinds() | {"missile"}  # synonyms.yaml folds "rocket" into "missile"


def _an_alert_covers(a: Signature, b: Signature) -> bool:
    """Either report is an alert whose listed places cover the other's (_alert_covers)."""
    return _alert_covers(a, b) or _alert_covers(b, a)


def _alert_covers(x: Signature, y: Signature) -> bool:
    """x reports sirens or an alert: it lists every place warned ("sirens in Safed, Rosh Pina and
    the surrounding area"), each as much the event's place as the others, though one lies beside
    another. A report of the rocket or drone that fell on one of them, on a place inside one
    ("Kiryat Ata" of "Haifa and the Krayot") or beside one ("a base northwest of Haifa") is not
    about another place. Two alerts are two launches, whatever towns they share a border with."""
    wx, wy = _where(x), _where(y)
    if not wx.alert or wy.alerted:
        return False  # two alerts are two launches; Arabic "الإنذار" is also an evacuation warning
    warned, hit = wx.keys, wy.inner
    return bool(warned & (hit | y.refs)) or within(hit, warned)


# first words that begin many places' names ("Kfar Kila", "Kfar Shouba"): a name that is only
# one of them is not the short form of every place it begins
_NAME_HEADS = frozenset(place_key(word) for word in _WORDS["name_heads"])


def _one_spot(ka: frozenset[str], kb: frozenset[str], unknown: frozenset[str] | None = None) -> bool:
    """The two reports name one place, however written: the same key, or one unknown place
    spelled two ways or named short and in full (see _one_place). Two names the gazetteer holds
    apart (`unknown` says which are not held) are two places, though one begins the other:
    "Nabatieh al-Fawqa" is a village beside the city of Nabatieh."""
    if not ka.isdisjoint(kb):
        return True
    for x in ka:
        for y in kb:
            if unknown is not None and x not in unknown and y not in unknown and _twin_village(x, y):
                continue
            # both of _one_place's spellings keep a key's first letter, unless an "h" drops or an
            # Arabic article does
            if (x[:1] == y[:1] or "h" in (x[:1], y[:1]) or _vowel_start(x, y) or not x.isascii()) and _one_place(
                x.rstrip(UNLIKE_KNOWN), y.rstrip(UNLIKE_KNOWN)
            ):
                return True
            # _one_village's cases (a homonym mark, "ch" for "sh", a first vowel), tested without
            # a cached call: most pairs of keys are none of them
            if x[:1] == y[:1]:
                if ("~" in x or "~" in y) and _one_village(x, y):
                    return True
            elif (x[:1] + y[:1] in ("cs", "sc") or _vowel_start(x, y)) and _one_village(x, y):
                return True
    return False


# "al-Fawqa", "al-Tahta", "al-Kabira", "al-Saghira", "al-Jadida", "al-Qadima", "Kalan", "Khurd" (upper,
# lower, greater, lesser, new, old) as place_key writes them: a village named after another
_TWIN_QUALIFIERS = frozenset({"fk", "tht", "kbr", "sgr", "jd", "kdm", "kln", "krd"})


def _twin_village(x: str, y: str) -> bool:
    """One key is the other and a qualifier ("nbt" and "nbt fk": Nabatieh and Nabatieh al-Fawqa)."""
    short, full = sorted((x.split(), y.split()), key=len)
    return len(full) == len(short) + 1 and full[: len(short)] == short and full[-1] in _TWIN_QUALIFIERS


@lru_cache(maxsize=CACHED)
def _one_village(x: str, y: str) -> bool:
    """Two ids the gazetteer keeps apart for one village it holds in two spellings too unlike for
    it ("Mays al-Jabal", "Meiss el-Jabal"; "Shmustar", the French "Chmestar"; "Odaisseh" beside
    Odessa's "ods"): spelled alike once the homonym mark is off and lying in the same places
    (an unknown spelling of such a name: _unknown_spelling)."""
    bx, by = x.split("~", 1)[0], y.split("~", 1)[0]
    if not (bx == by or _sh(bx) == _sh(by) or (_vowel_start(bx, by) and _one_place(bx, by))):
        return False
    px = _around(frozenset([x]))
    return bool(px) and px == _around(frozenset([y]))


def _spelled_as_known(wa: _Where, wb: _Where, ka: frozenset[str], kb: frozenset[str]) -> bool:
    """One report's unknown place is a spelling of one of the other's keys (_unknown_spelling)."""
    if not (wa.unknown or wb.unknown):
        return False
    return _unknown_spelling(wa.unknown, kb) or _unknown_spelling(wb.unknown, ka)


def _unknown_spelling(unknown: frozenset[str], keys: frozenset[str]) -> bool:
    """A name the gazetteer lacks ("Muwasi") spelled like one it holds among homonyms and places
    in the hierarchy ("al-Mawasi" of Khan Younis, 'ms~3'): that place, not a second one."""
    for k in keys:
        base = k.split("~", 1)[0]
        if "~" in k and (base in unknown or base + UNLIKE_KNOWN in unknown) and _around(frozenset([k])):
            return True
    return False


def _sh(key: str) -> str:
    """French transliteration writes "sh" as "ch" ("Chmestar", "Chebaa"): place_key keeps the c."""
    return "s" + key[1:] if key[:1] == "c" else key


@lru_cache(maxsize=CACHED)
def _one_place(x: str, y: str) -> bool:
    """Two keys of one place the gazetteer does not tell apart (no "~" homonym mark): spelled with
    and without an "h" ("Hamidiye", "al-Hamidiyah": place_key drops an "h" only from longer
    skeletons), or its short name and its full one ("Yohmor" and "Yohmor al-Shaqif",
    "Choueifat" and "Choueifat al-Amrousiyeh"), unless the short name is a word that begins
    many names ("Kfar", "Beit")."""
    if "~" in x or "~" in y:
        return False
    if not (x.isascii() and y.isascii()):
        # Arabic writes a name with or without its article, a "دير" name glued or apart: "بلدة
        # خيام" is "الخيام", "ديرميماس" "دير ميماس" (arabic_places.py reads qualifiers apart)
        return has_arabic(x) and has_arabic(y) and _bare_ar(x) == _bare_ar(y)
    if x.replace("h", "") == y.replace("h", ""):
        return True
    if _run_together(x) == _run_together(y):
        return True  # "Umm Durman" and "Omdurman", "Ein al-Hilweh" and "Ain al-Hilweh", "Irbil" and "Erbil"
    short, full = sorted((x.split(), y.split()), key=len)
    return len(short) == 1 < len(full) and short[0] == full[0] and len(short[0]) >= 3 and short[0] not in _NAME_HEADS


def _vowel_start(x: str, y: str) -> bool:
    """Both keys begin with a vowel and then the same letter ("um drmn", "omdrmn"): the only
    keys of different first letters _run_together may join, found without a cached call."""
    return x[1:2] == y[1:2] and x[:1] in "aeiou" and y[:1] in "aeiou"


def _run_together(key: str) -> str:
    """A key written as one word, each word's first vowel any vowel: transliterations disagree on
    both (place_key keeps a word's first letter, vowel or not: "Ein Ebel", "Ain Ibl")."""
    joined = "".join("a" + word[1:] if word[:1] in "eiou" else word for word in key.split())
    return undoubled(joined)  # "Kfar Roummane" is "Kfarromman"


def _finest(areas: frozenset[str]) -> frozenset[str]:
    """The areas none of the others lies in: "south Lebanon's Bint Jbeil district" is in Bint
    Jbeil district, and a strike in Tyre is not there, though Tyre is in Lebanon too."""
    if len(areas) < 2:
        return areas
    return (areas - _unsuffixed(_around(areas))) or areas


def _bare_ar(key: str) -> str:
    return "".join(map(without_article, key.split()))


def _alert_of_launch(x: Signature, y: Signature) -> bool:
    """x reports sirens after a launch from somewhere ("sirens in Tel Aviv after a missile launch
    from Yemen"), y the launch or its interception with no place of its own ("a missile launched
    from Yemen was intercepted"): the same weapon from the same place, told from the two ends.
    Arabic too ("صفارات الإنذار ... إثر إطلاق صاروخ من اليمن" / "اعتراض صاروخ أطلق من اليمن"): a
    launch names its weapon, which an evacuation warning ("إنذار بإخلاء") does not."""
    if not x.tokens & _ALERTS or y.tokens & _ALERTS or y.places:
        return False
    # "from Yemen" and "from Gaza", both "at central Israel": two launches; every area the
    # launch report names must be the alert's
    launch = _named_areas(y)
    return bool(launch) and launch <= _named_areas(x) and bool(x.tokens & y.tokens & _PROJECTILES)


# the land a launch "from Yemen" or "from Lebanon" is fired at, as the two sides name it
_TARGET_LAND = frozenset({"isrl", "plstn"})


def _claim_of_launch(x: Signature, y: Signature) -> bool:
    """x is the firing side's claim ("Yemeni Armed Forces: we targeted the Jaffa area with a
    ballistic missile"), y the launch or its interception told with no place of its own ("a
    missile launched from Yemen was intercepted"): the claimant's country is where y says the
    weapon came from, and x names no ship, sea or country but the land it was fired at. A claim
    on a ship in the Red Sea (a name, a sea) is another launch."""
    if y.places or x.names or not x.tokens & y.tokens & _PROJECTILES:
        return False
    launch = _named_areas(y) - _TARGET_LAND
    if not launch or not _named_areas(x) <= _TARGET_LAND:
        return False
    return launch <= _speaker_areas(x) or launch <= _speaker_country(x.speaker)


@lru_cache(maxsize=CACHED)
def _speaker_country(speaker: str) -> frozenset[str]:
    """The countries a speaker's demonyms name ("القوات المسلحة اليمنية": Yemen), as area
    keys. Not among the report's areas: there they would be compared with the Arabic areas of
    other reports ("جنوب لبنان"), which are keyed by their Arabic spelling."""
    countries = (demonyms().get(word) for word in speaker.split())
    return frozenset(place_key(country) for country in countries if country)


@lru_cache(maxsize=CACHED)
def _innermost(places: frozenset[str]) -> frozenset[str]:
    """The report's places less those it names only around another ("Kiryat Yam near Haifa",
    "Khan Yunis's al-Mawasi"): it is about the inner one, and the outer one is not a place two
    reports can agree on."""
    keys = _keys(places)
    return frozenset(k for k in keys if not any(within(frozenset([other]), frozenset([k])) for other in keys))


def _names_the_place(a: Signature, b: Signature) -> bool:
    """One report's place is a name the other writes where no place cue precedes it ("rebels
    seize Rastan" / "enter the city of al-Rastan", "the road between Shmustar and Baalbek" / "near
    Shmustar"): the place is shared, whatever else either names around it."""
    wa, wb = _where(a), _where(b)
    if not (wa.mid or wb.mid):
        return False  # asked of every pair, and most name no one mid-sentence (_spelled_out neither)
    return bool(wa.mid & wb.as_names or wb.mid & wa.as_names) or _spelled_out(a, b)


def _vague_rewrite(a: Signature, b: Signature) -> bool:
    """Another outlet's rewrite that names only the town ("Israel strikes Beirut southern suburb
    building") of the one's report pinned inside it ("the threatened building in Haret Hreik"):
    the same thing hit; the words must then clear the rewrite bar (margin: no place is shared).
    One source's own lines are not rewrites of each other, and a house here and tents there
    already disagree on what was hit."""
    if not two_outlets(a, b):
        return False
    oa, ob = a.tokens & target_objects(), b.tokens & target_objects()
    if oa & ob:
        return True
    # neither names a thing hit: the finer one must not set itself apart from the other's town
    # ("Qabatiya, south of Jenin" is not the raid on Jenin)
    return oa == ob and a.refs.isdisjoint(_where(b).keys) and b.refs.isdisjoint(_where(a).keys)


def two_outlets(a: Signature, b: Signature) -> bool:
    """Both sources known and different: a rewrite, not one ticker saying a thing twice. An
    Arabic ticker relays others all day, each line led by whom it quotes ("وزارة الصحة:", "إعلام
    إسرائيلي:", "القوات المسلحة اليمنية:"): two such lines with two speakers are two outlets'
    reports of the event as well, while its own correspondent's lines are the ticker's own."""
    if not (a.source and b.source):
        return False
    if a.source != b.source:
        return True
    return a.lang == "ar" and bool(a.speaker and b.speaker) and not _same_speaker(a.speaker, b.speaker)


def _same_speaker(x: str, y: str) -> bool:
    """One speaker named in full or short ("وزارة الصحة اللبنانية", "الصحة اللبنانية")."""
    if x == y:
        return True
    wx, wy = set(x.split()), set(y.split())
    return wx <= wy or wy <= wx


def _in_speakers(a: Signature, b: Signature) -> bool:
    """One report names only places the gazetteer lacks, and its speaker's city is the other's
    place ("correspondent in Damascus: ... the Kafr Sousa building" / "strike on a Damascus
    building"): its place lies in that city, as a known quarter would."""
    return _speaker_holds(a, b) or _speaker_holds(b, a)


def _speaker_holds(x: Signature, y: Signature) -> bool:
    if not x.places or any(p[0] != ":" for p in x.places):
        return False
    return not _speaker_areas(x).isdisjoint(_where(y).inner)


def _less_holders(own: frozenset[str], other: frozenset[str]) -> frozenset[str]:
    """`own`'s places but those one of `other`'s lies in."""
    return frozenset(k for k in own if not within(other, frozenset((k,))))


def _spoken_of(sig: Signature) -> frozenset[str]:
    """Every area key a report names in any form: its areas (a speaker's included), and its
    words and actors as place keys ("American" is the US, "Yemeni" Yemen)."""
    return _keys(sig.areas) | frozenset(place_key(t.lstrip("@")) for t in sig.tokens | sig.actors)


def _nested(ka: frozenset[str], kb: frozenset[str]) -> bool:
    """One report's place lies in the other's (jobs/data/place_parents.yaml)."""
    return within(ka, kb) or within(kb, ka)


def _figures_differ(a: Signature, b: Signature) -> bool:
    """Both give figures and none agrees, and neither says a figure changed ("the toll rises to
    11" updates "kills eight"), unless the toll it rose to is below every figure of the other:
    "the Ahmedpur East toll rises to 13" updates no report of "26 killed, 46 wounded"."""
    if not (a.numbers and b.numbers) or a.numbers & b.numbers or _within_bounds(a.numbers, b.numbers):
        return False
    ua, ub = bool(a.tokens & _UPDATES), bool(b.tokens & _UPDATES)
    return (not (ua or ub)) or (ua and _all_below(a, b)) or (ub and _all_below(b, a))


def _all_below(x: Signature, y: Signature) -> bool:
    """Every figure of x is smaller than every figure of y."""
    fx = [int(n) for n in x.numbers if n.isdigit()]
    fy = [int(n) for n in y.numbers if n.isdigit()]
    return bool(fx and fy) and max(fx) < min(fy)


def _within_bounds(na: frozenset[str], nb: frozenset[str]) -> bool:
    """A lower bound of one report ("أكثر من 20": '20+') that a figure of the other reaches (21)."""
    for bounds, other in ((na, nb), (nb, na)):
        for bound in bounds:
            if bound[-1] == "+" and any(_at_least(n, int(bound[:-1])) for n in other):
                return True
    return False


def _at_least(figure: str, bound: int) -> bool:
    number = figure.removesuffix("+")
    return number.isdigit() and int(number) >= bound


@lru_cache(maxsize=CACHED)
def _only_coarse(places: frozenset[str]) -> bool:
    """Only cities, no finer place: asked of nearly every pair one report's place rules out."""
    return all(p.endswith(":c") for p in places)


@lru_cache(maxsize=CACHED)
def _mass(sig: Signature) -> float:
    # by the whole signature, not kept on it: a float summed over a set, whose order two equal
    # signatures (a report and its copy read back from Redis) need not share
    return sum(_weight(t, sig.context) for t in sig.tokens)


def _weight(token: str, context: frozenset[str]) -> float:
    return weight(token) * (CONTEXT if token in context else 1.0)


def similarity(a: Signature, b: Signature) -> float:
    """Weighted Jaccard and overlap coefficient, mixed by ALPHA: rare shared words count more
    than common ones; a word of a clause that names the event this one follows ("after the
    Fed's rate cut") counts for less."""
    if not a.tokens or not b.tokens:
        return 0.0
    common = a.tokens & b.tokens
    if a.context or b.context:
        context = a.context | b.context
        shared = sum(_weight(t, context) for t in common)
    else:
        shared = sum(map(weight, common))
    wa, wb = _mass(a), _mass(b)
    return ALPHA * shared / (wa + wb - shared) + (1 - ALPHA) * shared / min(wa, wb)


# kinds of event rare enough that two of one kind in one city or country within hours are
# likely one (synonyms.yaml folds their words); strikes, killings and drones are daily
EVENT_KINDS = frozenset(_WORDS["event_kinds"])


_INSTITUTIONS = frozenset(_WORDS["institutions"])  # they decide a few times a year
_UPDATES = frozenset(_WORDS["updates"])  # "the toll rises to 9": a report that changes a figure
_OFFICES = frozenset(_WORDS["offices"])
_CLAIMANTS = {f" {word} ": group for group, spellings in _WORDS["claimants"].items() for word in spellings}
_HARM_OR_UPDATE = HARM | _UPDATES  # the dead or the hurt, or a figure changed: a report of the event


def _named_areas(sig: Signature) -> frozenset[str]:
    """Areas the report itself names: the place of an attribution ("correspondent in Gaza:")
    says where the speaker is, which two reports share whatever they are about."""
    return _what(sig).named_areas


def periods_apart(a: Signature, b: Signature) -> bool:
    """A tally and a single event, or tallies of two spans (the day's, the war's): apart, unless
    a figure ties them ("Lebanon says strikes killed 38 on Wednesday" is the ministry's "since
    dawn ... killed 38"; "passes 46,000" is "46,006 since October 7")."""
    if a.period == b.period:
        return False
    return not (_same_figure(a, b) or _close_figures(a.numbers, b.numbers))


def _close_figures(na: frozenset[str], nb: frozenset[str]) -> bool:
    """Two counts of a hundred or more within 1% of each other: one tally, one rounded."""
    big = [[int(n) for n in ns if n.isdigit() and int(n) >= 100] for ns in (na, nb)]
    return any(abs(x - y) <= 0.01 * max(x, y) for x in big[0] for y in big[1])


def _same_figure(a: Signature, b: Signature) -> bool:
    return bool({n for n in a.numbers & b.numbers if n != "1"})


def _same_big_figure(a: Signature, b: Signature) -> bool:
    """A figure too rare to be chance: 20 or more, or a decimal (small tolls recur all day; so
    do scores)."""
    return any("." in n or ("-" not in n and int(n.removesuffix("+")) >= 20) for n in a.numbers & b.numbers)


def _shared_names(a: Signature, b: Signature) -> frozenset[str]:
    """The names written mid-sentence in one report and anywhere in the other (a capitalised
    first word is only half a name)."""
    if not (a.names and b.names):
        return frozenset()
    wa, wb = _what(a), _what(b)
    return wa.mid_names & wb.all_names | wb.mid_names & wa.all_names


def _shared_name(a: Signature, b: Signature) -> bool:
    return bool(_shared_names(a, b))


def _shared_object(a: Signature, b: Signature) -> bool:
    """A shared name that is no actor's (a ship, a hotel worker, a village written as a name):
    evidence of one event, where a leader's or an armed group's name ("Netanyahu", "M23") runs
    through his whole day. It still pins his own words ("Biden says the deal is in Hamas's
    hands" and "US President Joe Biden: the agreement is in the hands of Hamas") and what befell
    him alone (a chief of staff's resignation, an arrest, a verdict)."""
    shared = _shared_names(a, b)
    if not shared:
        return False
    if shared - _actor_names():
        return True
    spoken = frozenset(a.speaker.split()) | frozenset(b.speaker.split())
    return bool(spoken & shared) or (_personal(a) and _personal(b))


_PERSONAL = ("resign", "arres", "senten", "impea", "assas", "sworn", "elect", "indic", "convic")


def _personal(sig: Signature) -> bool:
    """News of what befell one person: a resignation, an arrest, a verdict, an election."""
    return any(t.startswith(_PERSONAL) for t in sig.tokens)


def _same_figure_or_name(a: Signature, b: Signature) -> bool:
    if _shared_object(a, b) or _same_figure(a, b):
        return True
    # a name one report gives a place the other calls a town ("Lebanon's Aitaroun" / "in Aitaroun")
    wa, wb = _where(a), _where(b)
    if wa.mid & wb.as_names or wb.mid & wa.as_names or _spelled_out(a, b):
        return True
    return a.lang == "ar" and (_written_plain(a, b) or _written_plain(b, a))


def _written_plain(x: Signature, y: Signature) -> bool:
    """A village of one Arabic report (found after "بلدة") that the other writes as a plain
    word ("الغارة على جويا"): Arabic has no capitals to mark it a name, so its words say it."""
    plain = {t for t in y.tokens if t[0] != "@"}
    return any(all(stem(part) in plain for part in key.split()) for key in _fine(x))


def _spelled_out(a: Signature, b: Signature) -> bool:
    """A place of one report whose every word the other writes as a name: "entered Ain Ziwan"
    read as names, "the village of Ain Ziwan" as a place; "the Abu Samra family home" likewise."""
    for x, y in ((a, b), (b, a)):
        words = _where(y).mid
        if words and any(set(key.split()) <= words for key in _where(x).fine if " " in key):
            return True
    return False


def evidence(a: Signature, b: Signature) -> int:
    """3: the same rare kind of event (a quake, a flood, a blast) in the same place or country.
    2: positive evidence of one event (the same fine place: town, village, camp, site; the
    same named person, ship or aircraft; the same figure other than 1). 1: the same city or
    governorate (several events a day happen in one). 0: nothing more; a shared country, area or
    actor counts for nothing, since every line of a day's ticker shares them."""
    wa, wb = _where(a), _where(b)
    if (
        _one_spot(wa.fine, wb.fine, wa.unknown | wb.unknown)
        or _same_figure_or_name(a, b)
        or _spelled_as_known(wa, wb, wa.fine, wb.fine)
    ):
        return 2
    if not wa.keys.isdisjoint(wb.keys):
        if EVENT_KINDS & a.tokens & b.tokens:
            return 3
        if _an_alert_covers(a, b):
            return 1  # the towns an alert lists do not pin it: "Haifa, the Krayot and the Carmel"
        # the same city, and neither pins its report further (a neighbourhood, a named school):
        # a report that does is not evidently about the vague one's event; nor is one whose
        # figures all differ ("family of eight killed" / "12 killed at the school")
        if bool(_specifics(a)) != bool(_specifics(b)) or _figures_differ(a, b):
            return 0
        return 1
    if _an_alert_covers(a, b):
        return 1  # sirens over a city and a rocket on a town in it: as close as one city
    if _speaker_at(a, wb) or _speaker_at(b, wa):
        return 1  # "Al-Awda Hospital in Nuseirat: the toll rose to 7" and the strike in Nuseirat
    if _alert_of_launch(a, b) or _alert_of_launch(b, a):
        return 1
    if _claim_of_launch(a, b) or _claim_of_launch(b, a):
        return 1
    if _tsunami_of_quake(a, b) and _keys(a.areas) & _keys(b.areas):
        return 3  # the warning for Okinawa "after a quake near Taiwan", and the quake in Taiwan
    if a.places and b.places:
        return 0  # no shared place, yet no veto: one names the other's place as a reference only
    if EVENT_KINDS & a.tokens & b.tokens and _named_areas(a) & _named_areas(b):
        return 3  # an earthquake in Japan and an earthquake in Japan, the same hours: one event
    if a.actors & b.actors & _INSTITUTIONS:
        return 1  # a central bank or a cartel decides a few times a year, not every hour
    return 0  # the same country, area or actor alone: every report of a day's ticker shares them


def _speaker_at(x: Signature, wy: _Where) -> bool:
    """x names no place of its own and its speaker is where the other's event was (a hospital, a
    civil defence or a governor of that town): as close as one city, not more, since the speaker
    reports every event of its town."""
    if x.places:
        return False
    areas = _speaker_areas(x)
    # a dateline ("El Fasher:") is no speaker: every line of the town's day leads with it
    return not areas.isdisjoint(wy.keys) and place_key(x.speaker) not in areas


def _mid_names(sig: Signature) -> frozenset[str]:
    return _where(sig).mid


@lru_cache(maxsize=CACHED)
def _mid_name_keys(names: frozenset[str]) -> frozenset[str]:
    """The place keys of the names written mid-sentence, each also as an unknown place's key
    that a short skeleton of the gazetteer's marks (placenames.unknown_place_key): a name
    written is the place of its own spelling, whichever way its key was told apart."""
    keys = {place_key(n) for n in names if n[0] != "^"}
    return frozenset(keys | {k + UNLIKE_KNOWN for k in keys if len(k) <= SHORT_SKELETON})


def _fine(sig: Signature) -> frozenset[str]:
    return _where(sig).fine


def _specifics(sig: Signature) -> frozenset[str]:
    """The fine places and the names written mid-sentence: what pins a report to one event."""
    return _what(sig).specifics


def _city_spelt_apart(wa: _Where, wb: _Where) -> bool:
    """The one's "village" is the other's city spelt another way ("Umm Durman", "Omdurman"):
    an unknown name is not finer than the place it spells."""
    return bool(wa.fine) and not wb.fine and _one_spot(wa.fine, wb.keys)


def specifics_disagree(a: Signature, b: Signature) -> bool:
    """Both pin their report to something (a neighbourhood, a named school, ship or person) and
    nothing pinned is shared: a strike on a house in Zeitoun is not a strike on the Mustafa Hafez
    school, though both are in Gaza City. An agreeing figure overrides."""
    wa, wb = _where(a), _where(b)
    if not ((wa.fine or wa.mid) and (wb.fine or wb.mid)):
        return False
    sa, sb = _what(a).specifics, _what(b).specifics
    if _city_spelt_apart(wa, wb) or _city_spelt_apart(wb, wa):
        return False
    if _one_spot(sa, sb) or _spelled_as_known(wa, wb, sa, sb):
        # the same neighbourhood, different named things: the Dalloul house, the Falah school
        na, nb = wa.mid, wb.mid
        if not (na and nb) or na & nb or na & wb.as_names or nb & wa.as_names:
            return False
    all_a, all_b = _what(a).all_names, _what(b).all_names
    if _unsuffixed(sa) & {place_key(n) for n in all_b} or _unsuffixed(sb) & {place_key(n) for n in all_a}:
        return False
    if _spelled_out(a, b) or _an_alert_covers(a, b):
        return False
    return not _same_figure(a, b)


def missions_apart(a: Signature, b: Signature) -> bool:
    """Two countries' embassies (signature._missions): the French embassy set on fire and the
    Rwandan one ransacked in one capital are two events, however alike the words."""
    ma = {n for n in a.names if n.startswith("mission:")}
    mb = {n for n in b.names if n.startswith("mission:")}
    return bool(ma and mb) and ma.isdisjoint(mb)


def _downed_apart(a: Signature, b: Signature) -> bool:
    """One report is of an aircraft shot down ("we shot down a Hermes 450 over Nabatieh"), the
    other of a strike that shot nothing down ("an airstrike on Kfar Roummane near Nabatieh"):
    the one fired at the sky, the other from it."""
    da, db = "downed" in a.tokens, "downed" in b.tokens
    return da != db and "strike" in (b.tokens if da else a.tokens)


# named sites a ground force takes, storms or surrounds apart from the town they stand in
_SITES = frozenset(
    [
        "airport",
        "hospital",
        "prison",
        "port",
        "naval",
        "church",
        "mosque",
        "school",
        "market",
        "depot",
        "powerplant",
        "bridge",
        # a headquarters, as signatures stem it (no object of synonyms.yaml: a building's strike
        # may be called either): "army takes the 1st Division headquarters in Wad Madani"
        "headq",
        "hq",
        "مقر",
    ]
)


def _site_taken_apart(a: Signature, b: Signature) -> bool:
    """Two ground operations in one town, one at a site in it and one at the town: "M23 seize
    Goma airport" and "M23 claim the capture of Goma", "الفصائل تقتحم سجن حماة المركزي" and "الفصائل
    تسيطر على مدينة حماة", "forces surround Jenin's hospital" and the raid on Jenin: each a step
    of its own. From the air, a wire's "strikes on Sanaa" may be the airport's strike told
    vaguely; on the ground, taking a town and taking its airport are news apart."""
    if a.mode != "ground" or b.mode != "ground":
        return False
    sa, sb = a.tokens & _SITES, b.tokens & _SITES
    return bool(sa) != bool(sb) and bool(_where(a).keys & _where(b).keys)


def objects_disagree(a: Signature, b: Signature) -> bool:
    """Both name what was hit and nothing hit is shared: a car and a motorcycle in one village
    are two strikes, a house and a tent in one city two events. An agreeing figure overrides
    (a toll names the dead, not always what was hit)."""
    oa, ob = a.tokens & target_objects(), b.tokens & target_objects()
    return bool(oa and ob and not oa & ob and not _same_figure(a, b))


def _reaction(sig: Signature) -> bool:
    """A statement about an event ("Iran condemns the US strike on Ras Isa", "Houthis vow
    response"), not a report of it: it shares the event's words and place, yet it is news of its
    own. A report that also gives a toll or the hurt ("seven paramedics wounded; we condemn")
    reports the event; a figure alone does not ("three days of mourning" counts days)."""
    said = sig.tokens - sig.context  # not what it reacts to ("concerned by reports of deaths")
    # synonyms.yaml's canonical words; an order to leave is an event wherever the sentence puts it
    return "condemn" in sig.tokens and not said & _HARM_OR_UPDATE and sig.tokens.isdisjoint(_LEAVING)


# "أوامر إخلاء", "تأمر بإخلاء", "يأمر بإخلاء", "يطالب السكان بإخلائها", "إنذار بالإخلاء" (light stems;
# "إنذار" is read as sirens are, 'siren'): an order to evacuate areas
_ORDER_AR = frozenset({"اوامر", "امر", "تامر", "يامر", "امرت", "يطالب", "تطالب", "يطلب", "تطلب", "طالب", "siren"})
_EVACUATE_AR = frozenset({"اخلاء"})
_EVACUATE_STEMS_AR = ("اخلا", "باخلا")  # "إخلاء", "بالإخلاء", "بإخلائها" as tokens begin
# an order to leave ("urges the evacuation of Sanaa airport", "calls on residents to evacuate",
# "إخلاء"): an event, however its verb reads
_LEAVING = _EVACUATE_AR | {"evacuate"}
_STRUCK = HARM | {"strike"}


# stems; synonyms.yaml folds "urges", "calls on", "calls for" into 'condemn'
_ORDER_WORDS = frozenset({"warn", "warni", "order", "call", "tell", "condemn"})
_LEAVE = frozenset({"evacuate", "leav"})


def _order_to_leave(sig: Signature) -> bool:
    """An English report of an order or warning to leave a town or area ("issues an evacuation
    warning to residents of Baalbek", "tells residents to leave ahead of strikes") that reports no
    one hurt, no strike but the one it announces and no one building: news of its own, as in
    Arabic (_evacuation_order)."""
    tokens = sig.tokens
    if tokens.isdisjoint(_LEAVE) or tokens.isdisjoint(_ORDER_WORDS) or not tokens.isdisjoint(HARM):
        return False
    # a warning to leave one building, port or airport is the first report of its strike
    return ("strike" not in tokens or "ahead" in tokens) and tokens.isdisjoint(target_objects())


def _evacuation_order(sig: Signature) -> bool:
    """An Arabic report of an order to evacuate ("الجيش الإسرائيلي يأمر بإخلاء مناطق في القرارة",
    "أوامر إخلاء جديدة لأحياء شرق دير البلح"), and of no strike: Gaza's evacuation orders cover
    whole neighbourhoods and are news of their own (who must leave, where to), not a strike
    that day in the town they name, nor a warning to leave one building ("إنذار بإخلاء مبنى",
    which _warning_to_leave keeps apart from the strike after it); an order "ahead of bombing"
    names the strike."""
    tokens = sig.tokens
    if tokens.isdisjoint(_ORDER_AR) or not any(t.startswith(_EVACUATE_STEMS_AR) for t in tokens):
        return False
    return tokens.isdisjoint(_STRUCK) and tokens.isdisjoint(target_objects())


# what a warning to leave reads as (light stems, glued letters and all): "إنذار" (as sirens are
# "صفارات الإنذار": 'siren'), "إخلاء", "بإخلائه", "تحذير", "المبنى المهدد"; "دون", "بلا": without
_TO_LEAVE_AR = (*_EVACUATE_STEMS_AR, "تحذير", "مهدد")
_WARNING_AR = ("siren", *_TO_LEAVE_AR)
_WITHOUT_AR = frozenset({"دون", "بلا"})


# "يحذر من التواجد في ميناء الحديدة", "تحذير لسكان ...": a warning, whatever it asks
_WARN_AR = frozenset({"يحذر", "تحذر", "حذر", "تحذير"})


# a hazard's warning ("تحذير من تسونامي"): no order to leave a target, but the hazard's own news
_NATURAL = frozenset({"quake", "tsuna", "flood", "fire"})


def _warning_to_leave(sig: Signature) -> bool:
    """An Arabic warning or order to leave (a building, a port, a town) that reports no strike
    and no one hurt: "أدرعي يدعو إلى إخلاء مطار صنعاء", "إنذار بإخلاء مبنى في حارة حريك". The strike
    that follows is news of its own, an alert rather than an update under the warning (the
    helpers' newer Arabic sets label them apart; on the tuning half +0.023 precision, -0.007
    recall; English did worse with it, its older sets joining the two). A strike "بعد إنذار"
    reports the strike (the warning is its context)."""
    said = sig.tokens - sig.context
    if not said.isdisjoint(_STRUCK) or not said.isdisjoint(_NATURAL):
        return False  # a strike reported, or a tsunami's warning: the quake's news
    leave = any(t.startswith(_EVACUATE_STEMS_AR) for t in said)
    return (leave and not said.isdisjoint(_ORDER_AR | {"condemn"})) or not said.isdisjoint(_WARN_AR)


def _warned_apart(a: Signature, b: Signature) -> bool:
    """One Arabic report says the strike came without warning ("غارة ... من دون إنذار مسبق"),
    the other speaks of a warning ("بعد إنذار بالإخلاء", "المبنى المهدد", the warning itself):
    a strike without warning is not the warned one, whatever town both name."""
    wa, wb = _warning(a), _warning(b)
    return bool(wa and wb) and wa != wb


def _warning(sig: Signature) -> str:
    if not any(t.startswith(_WARNING_AR) for t in sig.tokens):
        return ""
    return "without" if not sig.tokens.isdisjoint(_WITHOUT_AR) else "with"


def weapons_disagree(a: Signature, b: Signature) -> bool:
    """Both say what the attack was made with and nothing is shared: "the Zar'it barracks with a
    rocket salvo" and "a tank at the Zar'it barracks with a guided missile" are two operations.
    A report that names two kinds ("a drone fired a guided missile") agrees with either."""
    wa, wb = a.tokens & weapon_kinds(), b.tokens & weapon_kinds()
    return bool(wa and wb) and wa.isdisjoint(wb)


_LAUNCHED = frozenset({"intercept", "launch", "siren"})


def _launched(sig: Signature) -> frozenset[str]:
    """What a report of a launch says was fired: a drone, or a missile (a rocket, a ballistic
    missile); nothing when it is no launch report or names both ("a drone fired a missile")."""
    if sig.tokens.isdisjoint(_LAUNCHED):
        return _NOTHING
    drone, missile = "drone" in sig.tokens, not sig.tokens.isdisjoint(_MISSILES)
    return _DRONE if drone and not missile else _MISSILE if missile and not drone else _NOTHING


_NOTHING: frozenset[str] = frozenset()
_DRONE, _MISSILE = frozenset({"drone"}), frozenset({"missile"})
_MISSILES = frozenset({"missile", "ballistic"})


def launches_disagree(a: Signature, b: Signature) -> bool:
    """A drone intercepted and a missile launched are two launches, however alike the army's two
    lines read ("a drone launched from the east was intercepted" / "a missile was launched from
    Yemen; interception attempts underway"). Outside launch reports a strike's weapon is told
    loosely (a drone's missile), so weapons_disagree leaves missiles out."""
    la, lb = _launched(a), _launched(b)
    return bool(la and lb) and la != lb


def modes_disagree(a: Signature, b: Signature) -> bool:
    """One report's attack came from the air (an airstrike, a drone), the other's on the ground
    (troops storm the town or the hospital): two operations in one place, as a drone strike on
    Tammun and a raid by armoured vehicles into Tammun are. A report that says both, or
    neither, agrees with either."""
    return bool(a.mode and b.mode) and a.mode != b.mode


def victims_disagree(a: Signature, b: Signature) -> bool:
    """One report's dead are soldiers, the other's civilians: two events, whatever figure both
    give (small tolls recur all day). A report that names both kinds agrees with either."""
    va, vb = a.tokens & victim_kinds(), b.tokens & victim_kinds()
    return len(va) == 1 and len(vb) == 1 and va != vb


def sides_disagree(a: Signature, b: Signature) -> bool:
    """ "The eastern outskirts of Khiam" and "the southern outskirts of Khiam": both say which
    side of a place, and no side is shared (signature tokens "~east", "~south"); "Jenin camp"
    and "Jenin city" likewise ("~camp", "~city")."""
    sa, sb = _what(a).sides, _what(b).sides
    if not (sa and sb) or not sa.isdisjoint(sb):
        return False
    # sides of one place: "Nur Shams camp" and "near the city of Tulkarm" name two places' kinds
    ka, kb = _where(a).keys, _where(b).keys
    return not (ka and kb) or _one_spot(ka, kb)


def magnitudes_disagree(a: Signature, b: Signature) -> bool:
    """Two quakes of different magnitudes (a 7.7 and its 6.4 aftershock) are two events, though
    a toll may change between reports of one; a magnitude revised by a tenth stays one."""
    if not ("quake" in a.tokens and "quake" in b.tokens):
        return False
    ma, mb = _magnitudes(a), _magnitudes(b)
    return bool(ma and mb) and all(abs(x - y) > 0.25 for x in ma for y in mb)


def _aftershock_apart(a: Signature, b: Signature) -> bool:
    """An aftershock is a quake of its own: a report of it and a report of a quake that does not
    call it one ("Powerful earthquake rocks Myanmar") are two events, unless a magnitude ties
    them (an outlet may call the 5.5 aftershock "a 5.5 quake")."""
    if ("aftershock" in a.tokens) == ("aftershock" in b.tokens):
        return False
    other = b if "aftershock" in a.tokens else a
    return "quake" in other.tokens and not (_magnitudes(a) and set(_magnitudes(a)) & set(_magnitudes(b)))


def _tsunami_of_quake(a: Signature, b: Signature) -> bool:
    """One report is of a tsunami warning or wave, the other of a quake without one: the warning
    for Okinawa and the quake near Hualien are one event, as every labelled set has it."""
    ta, tb = "tsuna" in a.tokens, "tsuna" in b.tokens  # "tsunami", "تسونامي" (synonyms.yaml)
    return ta != tb and "quake" in (b.tokens if ta else a.tokens)


def _aftermath(x: Signature, y: Signature) -> bool:
    """x names the kind of event y reports only in an "after X" clause, and gives no toll: it
    reports what followed ("a tower collapses in Bangkok after the quake", "Bangkok declares an
    emergency after the quake"), news of its own, not the quake; a toll ("the toll rises to 100
    after the quake") still reports the quake. Likewise a report that names a place y does not
    and shares with y nothing but that clause's words reports what followed ("Israel strikes
    Sanaa hours after the Houthi missile attack" is not the missile attack), unless one is an
    alert: sirens or an interception "after a launch" are that launch."""
    if x.tokens & _HARM_OR_UPDATE or "tsuna" in x.tokens or x.tokens & _DAMAGE:
        return False  # a toll, a tsunami warning or the damage "after the quake" reports the quake
    kinds = EVENT_KINDS & x.tokens & y.tokens
    if (
        x.places
        and _where(x).keys.isdisjoint(_where(y).keys)
        and x.tokens.isdisjoint(_ALERTS_OR_INTERCEPT)
        and y.tokens.isdisjoint(_ALERTS_OR_INTERCEPT)
    ):
        kinds = frozenset(t for t in x.tokens & y.tokens if t[0] not in "@~")
    return bool(kinds) and kinds <= x.context and not kinds <= y.context


_DAMAGE = frozenset({"casua", "damag", "abnor"})  # "no casualties or damage after the quake": its toll
_ALERTS_OR_INTERCEPT = _ALERTS | {"intercept"}  # synonyms.yaml folds "intercepted", "interception"


_MEETING = frozenset({"meet", "talk"})


def _meetings_apart(a: Signature, b: Signature) -> bool:
    """Two meetings with one host ("X meets Pope Leo", "Y and Z hold talks with Pope Leo"): the
    host is the only name shared and each report names a party the other does not, so two
    visitors, two meetings. Two shared names (the host and the visitor, however spelt:
    'Zelensky', 'Zelenskiy') are one meeting, whatever else either names."""
    if not (a.tokens & _MEETING and b.tokens & _MEETING):
        return False
    na, nb = _name_stems(a), _name_stems(b)
    return len(na & nb) == 1 and bool(na - nb and nb - na)


def _name_stems(sig: Signature) -> frozenset[str]:
    return _what(sig).name_stems


def identity_disagrees(a: Signature, b: Signature) -> bool:
    """What no later report can change: a quake's magnitude, the ordinal of a strike, the
    village a report is pinned to, what was hit (a car, a house), whether from the air or on the
    ground. One report of a story that disagrees keeps the newcomer out, whichever other report
    it resembles (jobs/cluster.py), so a vaguer rewrite that joined ("the strike on Bint Jbeil
    wounded three") cannot bridge the story to another event (a strike on a car there)."""
    if _nth_differ(a, b) or magnitudes_disagree(a, b) or _aftershock_apart(a, b) or _fine_places_disagree(a, b):
        return True
    return objects_disagree(a, b) or modes_disagree(a, b)


def _nth_differ(a: Signature, b: Signature) -> bool:
    """ "A second strike" is not the first; "another strike" ('*') says a series without saying
    which of it, and agrees with any; "new strikes" ('n') is not the first either, but may be any
    numbered one. A ticker's line without an ordinal after its own "second strike" line is
    another strike; another outlet's line without one may be the same strike told without
    counting (the ticker's "strikes on T4" and a wire's "strikes T4 for the second time")."""
    if a.nth == b.nth or "*" in (a.nth, b.nth):
        return False
    if "n" in (a.nth, b.nth) and "" not in (a.nth, b.nth):
        return False  # "new strikes" may be the second or the third
    return not ("" in (a.nth, b.nth) and two_outlets(a, b))


def _fine_places_disagree(a: Signature, b: Signature) -> bool:
    """Two villages, camps or neighbourhoods, neither in the other nor named by it: a figure
    does not override here (five killed in Shujaiya and five in Zeitoun are two strikes)."""
    wa, wb = _where(a), _where(b)
    fa, fb = wa.fine, wb.fine
    if not (fa and fb) or _one_spot(fa, fb) or _spelled_out(a, b):
        return False
    if _nested(fa, fb):
        # "Tal al-Sultan, west of Rafah" and "al-Shaboura camp in Rafah": the town that holds one
        # report's quarter is where the other's quarter lies too, not a place the two share
        fa, fb = _less_holders(fa, fb), _less_holders(fb, fa)
        if not (fa and fb) or (fa, fb) == (wa.fine, wb.fine) or _one_spot(fa, fb) or _nested(fa, fb):
            return False
    if _an_alert_covers(a, b) or _spelled_as_known(wa, wb, fa, fb):
        return False
    return not (wa.mid & (fb | wb.mid) or wb.mid & fa)


def _magnitudes(sig: Signature) -> list[float]:
    return [float(n) for n in sig.numbers if "." in n and 2.0 <= float(n) < 10.0]


def score(a: Signature, b: Signature) -> float:
    """Word similarity, or 0 when the two disagree on where, on what was hit, on who was hit or
    who acted, on which of a series it is ("a second strike"), or are written
    in two languages (no translation here: an Arabic and an English report stay apart)."""
    return 0.0 if _vetoed(a, b) else similarity(a, b)


# what was done, where an Arabic ticker names it: clashes, arrests, a bomb set off, reinforcements
# sent, bulldozers at work, gunfire, and (by the signature's mode) an attack from the air
_ACTS = frozenset(["clash", "arrest", "shoot", "kidnap", "torch", "ram", "reinf", "detonate", "تعزيز", "جراف", "bulld"])
# a raid or a storming is the operation all of them happen in: it agrees with any
_RAID = frozenset(["raid", "storm"])


def _acts(sig: Signature) -> frozenset[str]:
    found = (sig.tokens - sig.context) & _ACTS
    return found | {"air"} if sig.mode == "air" else found


def _acts_apart(a: Signature, b: Signature) -> bool:
    """Two Arabic reports from one camp that name different acts and nothing done in both: the
    reinforcements sent into Nur Shams, the clashes in its Manshiya quarter, a drone strike on
    young men there, its bulldozers tearing up the water network: a day of one raid, each line
    its own event (arabic22's tuning days; English held-out text did worse with it, so Arabic
    only). A report that names the raid itself, or a named thing both share ("ترومان"), agrees."""
    if a.lang != "ar" or not (a.tokens | b.tokens).isdisjoint(_RAID) or a.names & b.names:
        return False
    xa, xb = _acts(a), _acts(b)
    return bool(xa and xb and xa.isdisjoint(xb))


def _vetoed(a: Signature, b: Signature) -> bool:
    if a.lang != b.lang or (a.nth != b.nth and _nth_differ(a, b)) or places_disagree(a, b):
        return True
    if specifics_disagree(a, b) or provinces_apart(a, b):
        return True
    if objects_disagree(a, b) or victims_disagree(a, b) or magnitudes_disagree(a, b) or sides_disagree(a, b):
        return True
    if _site_taken_apart(a, b) or _acts_apart(a, b):
        return True
    if _downed_apart(a, b) or periods_apart(a, b) or missions_apart(a, b) or _two_claimants(a, b):
        return True
    if _aftershock_apart(a, b) or _aftermath(a, b) != _aftermath(b, a):
        return True  # an aftershock, or what followed a quake, is not the quake
    if weapons_disagree(a, b) or modes_disagree(a, b) or _meetings_apart(a, b) or launches_disagree(a, b):
        return True
    if ("markets" in a.tokens) != ("markets" in b.tokens) and not _one_company(a, b):
        return True  # how markets took a decision is news of its own
    if a.market and b.market and set(a.market.split(",")).isdisjoint(b.market.split(",")):
        return True  # the dollar's slide and Wall Street's close are two markets' moves
    if sessions_apart(a, b):
        return True  # the Nikkei's open and its close; the Nikkei's close and the FTSE's
    if a.lang == "ar" and (
        _evacuation_order(a) != _evacuation_order(b)
        or _warning_to_leave(a) != _warning_to_leave(b)
        or _warned_apart(a, b)
    ):
        return True  # an order or a warning to leave is news of its own, not a strike there
    if _funeral(a) != _funeral(b):
        return True  # "funeral held in Qana for the martyrs of this morning's strike": not the strike
    if a.lang == "en" and _order_to_leave(a) != _order_to_leave(b):
        return True  # "tells residents of Baalbek to leave": not the strike on Douris after it
    ra, rb = _reaction(a), _reaction(b)
    if ra != rb and not (a.quoted and b.quoted) and not _speaks_for(b if ra else a, a if ra else b):
        return True  # a statement is not the event
    if (ra or rb) and _two_parties(a, b):
        return True  # two parties' statements are two stories
    if a.quoted != b.quoted and _reports_an_act(b if a.quoted else a):
        return True  # "Netanyahu: Israel regrets the mishap at Nasser Hospital": not the strike
    if _two_countries_office_holders(a, b) and not _shared_name(a, b):
        return True  # the Turkish and the Iranian president arriving in Moscow: two arrivals
    if not _other_actors(a, b) or _shared_name(a, b) or _actor_as_area(a, b) or _actor_as_area(b, a):
        return False  # the Houthis' claim and the Pentagon's denial about the carrier Lincoln
    return not (_where(a).keys & _where(b).keys or _keys(a.areas) & _keys(b.areas))


@lru_cache(maxsize=4096)
def _claimant(speaker: str) -> str:
    """The armed group whose own claim a line is ("Al-Qassam Brigades:", "سرايا القدس:"), or ''.
    Asked of both speakers of every pair that has two (a hot path), of a few hundred speakers a day."""
    padded = f" {speaker} "
    return next((group for word, group in _CLAIMANTS.items() if word in padded), "")


def _two_claimants(a: Signature, b: Signature) -> bool:
    """Two groups each claiming an operation ("Saraya al-Quds: we shelled IOF gatherings at the
    Rafah crossing", "Al-Qassam Brigades: we hit a troop carrier near the Rafah crossing"): two
    operations, however alike the place, the target and the words."""
    if not (a.speaker and b.speaker) or a.speaker == b.speaker:
        return False
    ga, gb = _claimant(a.speaker), _claimant(b.speaker)
    return bool(ga and gb) and ga != gb


def provinces_apart(a: Signature, b: Signature) -> bool:
    """Each names provinces of one country and none the other names ("flash floods kill 50 in
    Afghanistan's Baghlan province", "20 killed in floods in Takhar province"): two events."""
    if not (a.areas and b.areas):
        return False
    pa, pb = _provinces(a), _provinces(b)
    return bool(pa and pb) and pa.keys().isdisjoint(pb) and not set(pa.values()).isdisjoint(pb.values())


# "governorate", "province", "محافظة" as signatures stem them: the area named beside is one
_PROVINCE_WORDS = frozenset({"gover", "provi", "محافظ"})


def _provinces(sig: Signature) -> dict[str, str]:
    """The signature's areas that are first-level subdivisions, with their countries: the
    generated layer's, and a seat city the report calls a governorate or province."""
    subs = subdivision_countries()
    found = {k: subs[k] for k in _keys(sig.areas) if k in subs}
    if not sig.tokens.isdisjoint(_PROVINCE_WORDS):
        seats = seat_countries()
        found.update((k, seats[k]) for k in _keys(sig.areas) if k in seats and k not in found)
    return found


_FUNERAL = frozenset({"funer", "تشييع"})  # "funeral(s)", "تشييع" as signatures stem them


def _funeral(sig: Signature) -> bool:
    """A report of a funeral ("Mass funeral in Jenin for the martyrs of the drone strike", "حشود
    تشارك في تشييع القائد الشهيد"): news of its own, days or hours after the strike it mourns,
    whose words, place and dead it shares. A strike or blast that hit a funeral ("Israeli strike
    hits funeral procession, killing 3", "Explosion at Beirut funeral") is that strike."""
    tokens = sig.tokens
    if tokens.isdisjoint(_FUNERAL) or "blast" in tokens:
        return False
    # "PMF holds funeral procession for fighters killed in US strikes": a funeral held is one
    return "hold" in tokens or "strike" not in tokens or tokens.isdisjoint(HARM)


def _speaks_for(x: Signature, y: Signature) -> bool:
    """x is a speaker's own words that report no act, and y names that speaker or its country
    ("Pashinyan: Armenian troops are not in Karabakh" / "Armenia's Pashinyan calls on Russian
    peacekeepers to act"; "French Foreign Ministry: Paris requests a UN meeting" / "France
    calls for a UN meeting"): one statement, whichever way each verb reads."""
    if not x.speaker or not (x.tokens.isdisjoint(_HARM_OR_UPDATE) and x.tokens.isdisjoint(_STRUCK)):
        return False
    # any name but the speaker's is a second party: "Al Jazeera holds Netanyahu responsible"
    # answers "Netanyahu: ... stop Al Jazeera"
    names = _what(y).all_names
    if names:
        return names <= frozenset(x.speaker.split())
    return not _speaker_country(x.speaker).isdisjoint(_keys(y.areas) | {place_key(a) for a in y.actors})


def _reports_an_act(sig: Signature) -> bool:
    """A strike, its dead or its toll, reported, not spoken of ("condemns the strike on Tyre")."""
    return not sig.tokens.isdisjoint(REPORTS_AN_ACT) and not _reaction(sig)


def _one_company(a: Signature, b: Signature) -> bool:
    """Both open with one name ("Eli Lilly misses revenue estimates", "Eli Lilly shares tumble
    after sales fall short"): a company's shares' move is its results' news, not a market's answer
    to someone's decision. A name further on is context ("stocks drift ahead of Microsoft and Meta
    results")."""
    return any(n[0] == "^" for n in a.names & b.names)


def sessions_apart(a: Signature, b: Signature) -> bool:
    """Two exchanges' moves, or one exchange's open and close (signature._bourses names them)."""
    xa = {n for n in a.names if n.startswith("bourse:")}
    xb = {n for n in b.names if n.startswith("bourse:")}
    if not (xa and xb):
        return False
    ea, eb = {n for n in xa if n.count(":") == 1}, {n for n in xb if n.count(":") == 1}
    if ea.isdisjoint(eb):
        return True
    sa, sb = xa - ea, xb - eb  # "bourse:jp:close"
    return bool(sa and sb) and sa.isdisjoint(sb)


def _two_parties(a: Signature, b: Signature) -> bool:
    """Two statements by two parties: other actors or speakers, unless both name the one who
    spoke ("Lebanese PM Najib Mikati: ..." and "Lebanon's Mikati condemns Israeli strike":
    Israel is what he spoke of), or one ticker's two speakers."""
    if _two_speakers_one_ticker(a, b):
        return True
    return (_other_actors(a, b) or _other_speakers(a, b)) and not _shared_name(a, b)


def _two_speakers_one_ticker(a: Signature, b: Signature) -> bool:
    """One source's two statements led by two speakers ("الناطق باسم الحكومة العراقية:",
    "كتائب حزب الله:"): two parties' words, whatever they share. Across outlets one speaker is
    written many ways, so only one ticker's own prefixes tell speakers apart."""
    return a.source == b.source and bool(a.speaker and b.speaker) and a.speaker != b.speaker


def _other_speakers(a: Signature, b: Signature) -> bool:
    """Two statements whose speakers differ, counting the country each one's attribution places
    it in ("Lebanese PM:", "US State Department:") and, in English, the speaker itself
    (_speaker_self) with the actors it names: two statements with other actors are apart
    whatever country both speak from (_other_actors, asked first)."""
    if a.speaker and b.speaker and a.lang == b.lang == "en":
        # both say who speaks: the speakers decide, not the actors each speaks of ("Yunus urges
        # the UN" and "Sudanese Foreign Ministry: ... UN base": the UN is spoken of, not speaking)
        sa, sb = _speaker_areas(a) | _speaker_self(a), _speaker_areas(b) | _speaker_self(b)
    else:
        sa, sb = a.actors | _speaker_areas(a) | _speaker_self(a), b.actors | _speaker_areas(b) | _speaker_self(b)
    if not (sa and sb) or not sa.isdisjoint(sb):
        return False
    # "Bangladesh's Yunus expresses shock" and "Yunus urges the UN": one man, whom each names
    return _what(a).all_names.isdisjoint(_party_words(b)) and _what(b).all_names.isdisjoint(_party_words(a))


def _party_words(sig: Signature) -> frozenset[str]:
    """The speaker's words and the names a report gives, as written (folded)."""
    return frozenset(sig.speaker.split()) | _what(sig).all_names


def _speaker_self(sig: Signature) -> frozenset[str]:
    """The speaker itself as a party: its words ("yemeni armed forces"), each also as a demonym's
    country and as a place key, so that "Bangladesh condemns" and "UN chief: ..." are two
    parties while "Yemeni FM:" and "Yemen condemns" are one. English only."""
    if not sig.speaker or sig.lang != "en":  # Arabic writes one minister many ways ("وزير جيش الاحتلال كاتس", "كاتس")
        return frozenset()
    return frozenset(place_key(w) for w in sig.speaker.split()) | _speaker_country(sig.speaker)


def _speaker_areas(sig: Signature) -> frozenset[str]:
    """The area keys its attribution named ("correspondent in Damascus:" → 'dmscs')."""
    return frozenset(tag_key(t) for t in sig.areas if t.endswith(":p"))


def _two_countries_office_holders(a: Signature, b: Signature) -> bool:
    """Both name an office ("president", "FM", "الرئيس") and their countries differ: two
    leaders, two visits or two calls, whatever town both name. Synonyms make some offices actors
    ("FM"), which must not count as a country shared."""
    if not (a.tokens & _OFFICES and b.tokens & _OFFICES):
        return False
    ca, cb = _office_countries(a), _office_countries(b)
    return bool(ca and cb) and ca.isdisjoint(cb)


def _office_countries(sig: Signature) -> frozenset[str]:
    """The countries an office may be of, as place keys: the demonyms ("Iranian") or, with none,
    the countries named ("Iran's president"), which may also be where he went: then they agree
    with more, never with less."""
    actors = sig.actors - _OFFICES - leaders()  # a leader's name says no country, as in English
    if actors:
        return frozenset(place_key(actor) for actor in actors)
    return _named_areas(sig)  # not the speaker's


def _actor_as_area(x: Signature, y: Signature) -> bool:
    """x's actor is a country y names (x "fire at Russian arms depot in Tver region", y "Ukrainian
    drones hit arms depot in Russia's Toropets"): x's actor ("Russian") is then whose depot was
    hit, not a second actor beside y's."""
    areas = _named_areas(y)
    return any(place_key(actor) in areas for actor in x.actors)


def _other_actors(a: Signature, b: Signature) -> bool:
    return bool(a.actors and b.actors) and a.actors.isdisjoint(b.actors)


def margin(a: Signature, b: Signature, gap: float = 0.0, quiet: float = QUIET_SECONDS) -> float:
    """How far past the bar for "same event" the pair is (>= 0 joins), given the time between
    the report and the story: vetoed pairs never join; for the rest the join model
    (jobs/join_model.py) weighs what the rules measure."""
    if _vetoed(a, b):
        return -1.0
    s = similarity(a, b)
    level = evidence(a, b)
    if _figures_apart(a, b, level):
        return -1.0
    model = join_models().get(a.lang)
    if model is None:
        return _bar_margin(a, b, s, level) - RECENCY * min(1.0, gap / quiet)
    floor = 1.0
    if level == 0 and not two_outlets(a, b):
        # one source's own lines sharing nothing specific: a ticker says one thing twice only
        # in near-paraphrase, and the model, learned mostly from rewrites, would join its lines
        # of one template ("carried out five airstrikes" / "carried out major bombings")
        floor = _bar_margin(a, b, s, level)
        if floor < 0:
            return floor
    return min(floor, model.probability(features(a, b, gap, s, level)) - model.threshold)


def ruled_out(a: Signature, b: Signature) -> bool:
    """A pair no model may join (margin's first two tests): a rule vetoes it, or it shares no
    evidence and its figures differ. tests/train_join_model.py learns from the other pairs."""
    return _vetoed(a, b) or _figures_apart(a, b, evidence(a, b))


def _figures_apart(a: Signature, b: Signature, level: int) -> bool:
    """No evidence, and the figures differ: a rewrite of one report carries its figures ("kills
    5" is not "one killed")."""
    return level == 0 and _figures_differ(a, b)


def _bar_margin(a: Signature, b: Signature, s: float, level: int) -> float:
    """The hand-tuned bar: a similarity each level of evidence needs. The join model reads it as
    a feature; one source's own lines sharing nothing specific must still clear it, and so must
    every pair in a language with no model."""
    return s - (_without_evidence(a, b), SOME_EVIDENCE, WITH_EVIDENCE, SAME_KIND)[level]


def features(a: Signature, b: Signature, gap: float, s: float | None = None, level: int | None = None) -> list[float]:
    """What the join model weighs, in the order of FEATURES (the model file repeats it)."""
    s = similarity(a, b) if s is None else s
    level = evidence(a, b) if level is None else level
    common = len(a.tokens & b.tokens)
    fewer, more = sorted((len(a.tokens), len(b.tokens)))
    return [
        s,
        _bar_margin(a, b, s, level),
        float(level == 1),
        float(level == 2),
        float(level == 3),
        float(two_outlets(a, b)),
        gap / 3600.0,
        float(len(_where(a).keys & _where(b).keys)),
        float(len(_keys(a.areas) & _keys(b.areas))),
        float(common),
        common / max(1, fewer),
        common / max(1, fewer + more - common),
        float(fewer),
        float(more),
        float(bool(a.speaker) and a.speaker == b.speaker),
        float(bool(a.speaker and b.speaker) and a.speaker != b.speaker),
    ]


FEATURES = (
    "similarity",
    "bar_margin",
    "evidence_1",
    "evidence_2",
    "evidence_3",
    "two_outlets",
    "gap_hours",
    "shared_places",
    "shared_areas",
    "shared_words",
    "word_overlap",
    "word_jaccard",
    "fewer_words",
    "more_words",
    # one speaker twice is a ticker's template (two strikes its correspondent reports); two
    # speakers are often one event told twice (the correspondent's strike, the ministry's toll)
    "same_speaker",
    "two_speakers",
)


def _without_evidence(a: Signature, b: Signature) -> float:
    """The bar for two reports that share no place, name or figure. One source seldom reports an
    event twice in other words, while outlets rewrite each other's reports all day; on the tuning
    half, such pairs from one source were another event six times in seven, from two sources
    about as often the same event as not."""
    if not two_outlets(a, b):
        return WITHOUT_EVIDENCE
    return REWRITE if a.lang == "en" else REWRITE_AR


def same_event(a: Signature, b: Signature) -> bool:
    return margin(a, b) >= 0
