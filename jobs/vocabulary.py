"""The words of English headlines as story clustering weighs them: stems, synonyms folded to
one token, how rare a word is, what counts as a figure, attribution prefixes, and the word lists
of jobs/data/headline_words.yaml."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from jobs.arabic import arabic_base, fold_arabic, has_arabic, stems
from jobs.datafiles import data_text, load_yaml
from jobs.phrases import PhraseIndex, folded_name, words

_WORDS = load_yaml("headline_words.yaml")
# Arabic entries are folded as headlines are (jobs/arabic.py) and written without the article
NUMBERS: dict[str, str] = {**_WORDS["numbers"], **{fold_arabic(k): v for k, v in _WORDS["numbers_ar"].items()}}
DUALS_AR = frozenset(map(fold_arabic, _WORDS["duals_ar"]))  # "شهيدان": two, and a killing
STOP = frozenset(_WORDS["stop"]) | frozenset(map(fold_arabic, _WORDS["stop_ar"]))
# a prefix naming one of these is attribution
SPEAKERS = frozenset(_WORDS["speakers"]) | frozenset(map(fold_arabic, _WORDS["speakers_ar"]))
POLITICIAN = frozenset(map(fold_arabic, _WORDS["politician"]))  # a prefix quoting a politician (signature.py)
POLITICIAN_NOT = frozenset(map(fold_arabic, _WORDS["politician_not"]))
MONTHS = frozenset(_WORDS["months"])
EQUIPMENT = frozenset(_WORDS["equipment"])  # weapon types: "Yassin 105" is neither a name nor a figure
GENERIC_NAMES = frozenset(_WORDS["generic_names"]) | EQUIPMENT  # capitalised, yet nobody's name
NOT_PLACE_TAILS = frozenset(_WORDS["not_place_tails"])  # "Champions League": an event, no place
SEATS: dict[str, str] = dict(_WORDS["seats"])  # "Riyadh condemns": the government speaking, its country
SPEECH = frozenset(_WORDS["speech_verbs"])  # "Moscow warns", "Yunus urges": who opens a headline speaks
_PREFIX = re.compile(r"^\s*([^:]{2,80}?)\s*:\s+(\S.*)$", re.DOTALL)


@cache
def demonyms() -> dict[str, str]:
    arabic = {fold_arabic(k): v for k, v in _WORDS["demonyms_ar"].items()}
    return {**load_yaml("demonyms.yaml"), **arabic}


@cache
def exchanges() -> dict[str, list[str]]:
    """Stock exchanges by code, each with the names reports give it (headline_words.yaml)."""
    return {code: [str(n) for n in names] for code, names in _WORDS["exchanges"].items()}


@cache
def name_heads_ar() -> frozenset[str]:
    """First words of Arabic two-word place names, folded ("بيت لاهيا", "دير البلح"):
    headline_words.yaml `name_heads_ar`, for the unknown-place scan and the gazetteer's
    run-together spellings alike."""
    return frozenset(map(fold_arabic, _WORDS["name_heads_ar"]))


@cache
def capitals() -> tuple[re.Pattern[str], dict[str, str]]:
    """ "the Syrian capital" / "العاصمة السورية" as written, and each adjective's capital
    (lower-case English, folded Arabic): headline_words.yaml `capitals`, `capitals_ar`."""
    names = dict(_WORDS["capitals"]) | {fold_arabic(k): v for k, v in _WORDS["capitals_ar"].items()}
    english = "|".join(_WORDS["capitals"])
    arabic = "|".join(_loose_arabic(k) for k in _WORDS["capitals_ar"])
    pattern = re.compile(rf"\b(?:the\s+)?({english})\s+capital\b|العاصم[ةه]\s+({arabic})", re.IGNORECASE)
    return pattern, names


def _loose_arabic(word: str) -> str:
    """A regular expression of an Arabic word in any of the spellings fold_arabic makes one."""
    return "".join({"ة": "[ةه]", "ه": "[ةه]", "ا": "[اأإآ]", "إ": "[اأإآ]", "أ": "[اأإآ]"}.get(c, c) for c in word)


@cache
def synonyms() -> tuple[PhraseIndex[str], frozenset[str]]:
    data = load_yaml("synonyms.yaml")
    index: PhraseIndex[str] = PhraseIndex(case_sensitive_names=True)
    entities = frozenset(data.get("entities", {})) | leaders()
    for section in ("entities", "leaders", "words", "objects", "weapons", "victims"):
        for canonical, variants in (data.get(section) or {}).items():
            for variant in variants:
                index.add(str(variant), canonical)
            if section == "words" and canonical.isascii() and canonical.isalpha() and len(canonical) > 5:
                index.add(canonical, canonical)  # "protest" itself, not only "protests", is 'protest'
    return index, entities


@cache
def leaders() -> frozenset[str]:
    """The entities that are people named in Arabic (synonyms.yaml `leaders`): an actor only
    when a headline opens with one (jobs/signature.py)."""
    return frozenset(load_yaml("synonyms.yaml").get("leaders") or {})


@cache
def target_objects() -> frozenset[str]:
    """The tokens that name what an attack hit (synonyms.yaml `objects`: house, car, tent...)."""
    return frozenset(load_yaml("synonyms.yaml").get("objects") or {})


@cache
def weapon_kinds() -> frozenset[str]:
    """The tokens that say what an attack was made with (synonyms.yaml `weapons`)."""
    return frozenset(load_yaml("synonyms.yaml").get("weapons") or {})


@cache
def arabic_kinds() -> dict[str, str]:
    """Arabic light stem → the object or victim kind it names ('سيار' → 'car'), so that the
    objects and victims rules read Arabic headlines as they read English ones. Each word also
    under its stem as written ('شهيدا' of "شهيداً"), which a dual shares ("شهيدان")."""
    data = load_yaml("synonyms.yaml")
    return {
        key: kind
        for section in ("objects_ar", "victims_ar", "words_ar")
        for kind, variants in (data.get(section) or {}).items()
        for word in variants
        for base in (arabic_base(fold_arabic(word)),)
        for key in (stem_as_written(base), stem(base))
    }


@cache
def victim_kinds() -> frozenset[str]:
    """The tokens that say who was hit (synonyms.yaml `victims`: soldiers or civilians)."""
    return frozenset(load_yaml("synonyms.yaml").get("victims") or {})


@cache
def _zipf() -> dict[str, float]:
    table = data_text("word_zipf.tsv")
    out = {}
    for line in table.splitlines():
        if not line.startswith("#"):
            word, value = line.split("\t")
            out[word] = float(value)
    return out


def is_figure(token: str) -> bool:
    """ "12", "6.1", a score or tally "3-1" (jobs/signature.py keeps each whole), and a lower
    bound "20+" ("more than 20")."""
    return token.removesuffix("+").replace(".", "", 1).replace("-", "", 1).isdigit()


@lru_cache(maxsize=65536)
def weight(token: str) -> float:
    """How much sharing this token says: a rare word much, a common one little (Zipf scale
    from jobs/data/word_zipf.tsv); place words and figures have their own evidence rules."""
    if token[0] in "@~" or is_figure(token):
        return 2.0
    return min(5.5, max(0.5, 7.0 - _zipf().get(token, 1.5)))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude but symmetric: 'strikes', 'strike' and 'striking' meet at 'strik'."""
    if not word.isascii() and has_arabic(word):
        return _unglued_stem(word)
    return stem_as_written(word)


def stem_as_written(word: str) -> str:
    """stem() without taking glued letters off an Arabic word: the word frequency table
    (jobs/build_wordweights.py) holds words as written, which stem() then compares."""
    if word.isdigit():
        return word
    if not word.isascii() and has_arabic(word):
        return _arabic_stem(word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:5]


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
    return folded_name(prefix)


def is_attribution(prefix: str) -> bool:
    """A prefix that names a speaker ('... correspondent in Gaza', 'Ministry of Health',
    'مراسل الميادين'). Others are learned per source from how often they recur (jobs/cluster.py)."""
    return any(arabic_base(w.casefold()) in SPEAKERS for w in words(prefix))


def _unglued_stem(word: str) -> str:
    """The stem of an Arabic word less a letter glued before it ('بإخلاء' is 'إخلاء', 'لسكان'
    'سكان', 'ومنشآت' 'منشآت'; jobs.arabic.stems says what may be glued) when what is left is a
    more common word than the whole: 'بيروت', 'وزير' and 'بحرية' stay. Two rewrites then share
    their words, and a glued form, rare as written, no longer takes a report's index keys
    (jobs/cluster.py rare_words)."""
    whole = _arabic_stem(word)
    known = _zipf()
    best, best_zipf = whole, known.get(whole, 0.0)
    # the accusative's alif ("هجوماً", "رسوماً", "شخصاً", tanween or not) off, by the same test:
    # "سوريا", "ضحايا" and "جدا" are more common as written
    bare = (word[:-1],) if word.endswith("ا") and len(word) >= 4 else ()
    for rest in map(_arabic_stem, (*stems(word), *bare, *(s for b in bare for s in stems(b)))):
        if known.get(rest, 0.0) > best_zipf:
            best, best_zipf = rest, known[rest]
    return best


def _arabic_stem(word: str) -> str:
    """As crude and as symmetric, for an Arabic word without its article: plural and feminine
    endings off ('غارات', 'غارة' → 'غار'), the present tense of form X made past ('تستهدف' →
    'استهدف'), then five letters ('استهداف' and 'استهدفت' meet at 'استهد')."""
    for suffix in ("ات", "ون", "ين"):
        if word.endswith(suffix) and len(word) >= 5:
            word = word[:-2]
            break
    else:
        if word.endswith("ه") and len(word) >= 4:
            word = word[:-1]
    if word[:3] in ("يست", "تست", "نست"):
        word = "ا" + word[1:]
    return word[:5]
