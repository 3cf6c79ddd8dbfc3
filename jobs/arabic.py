"""Arabic text rules in one place. Headlines write one word many ways: with or without
diacritics (tashkeel), stretched with tatweel, with or without hamza on the alef, ة or ه at the
end, Arabic-Indic or ASCII digits, and with a conjunction, preposition or article glued to the
front ("وغزة", "بغزة", "للقدس"). Dedupe, tagging, keyword matching and clustering must all see one
form, so they share these rules through jobs.text and jobs.phrases rather than keep copies."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Arabic-Indic and Persian (Extended Arabic-Indic) digits: ASCII for matching and for figures
DIGITS = {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
# folds for matching only: the shown title keeps its spelling
_FOLD = str.maketrans(
    {
        "\u0640": None,  # tatweel: stretches a word, means nothing
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **DIGITS,
    }
)
# conjunctions, prepositions and the article a headline glues to a word, longest first so that
# "وبال" is tried before "و"; the ones that end in the article also leave it ("بالقدس" → "القدس")
_PREFIXES: tuple[str, ...] = (
    *("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال"),
    *("وب", "ول", "و", "ب", "ل", "ف"),
)
_MIN_STEM = 3  # letters left after a prefix: shorter remainders are too often whole words
_BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_MARKS = "[\u064b-\u065f\u0670]*"  # tashkeel a writer may put on any letter


def _marked(word: str) -> str:
    return _MARKS.join(re.escape(c) for c in word) + _MARKS


_BREAKING = re.compile(rf"^[\s{_BIDI_MARKS}🔴🚨⚡️]*(?:{_marked('خبر')}\s+)?{_marked('عاجل')}(?:\s*[:\-–—|،]\s*|\s+)")


def has_arabic(text: str) -> bool:
    """Most headlines are not Arabic: callers skip the work for them."""
    return _ARABIC.search(text) is not None


def fold_arabic(text: str) -> str:
    """'غَزّة' and 'غـزه' → 'غزه'; '٣ شهداء' → '3 شهداء'. Diacritics are combining marks that
    `\\w` does not match, so they must go before a text is split into words, or 'غزّة' would
    be two words."""
    if not has_arabic(text):
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD)


def strip_breaking(title: str) -> str:
    """A title without its leading 'عاجل' / 'عاجل |' / 'خبر عاجل:' (the Arabic 'BREAKING:'),
    or the title unchanged. Diacritics on the marker are allowed ('عاجِل')."""
    if not has_arabic(title[:60]):
        return title
    return _BREAKING.sub("", title, count=1)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The forms a folded headline word may stand for once one glued prefix is taken off:
    'بالقدس' → ('القدس', 'قدس', ...). Empty for non-Arabic words. Matching tries these only
    after the word itself, and only against known terms, so 'بيروت' stays 'بيروت'."""
    if word.isascii() or not has_arabic(word[:1]):
        return ()
    found: list[str] = []
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            rest = word[len(prefix) :]
            if prefix.endswith("ال") or prefix.endswith("لل"):
                found.append("ال" + rest)
            found.append(rest)
    return tuple(dict.fromkeys(found))


def glued_short(word: str) -> tuple[str, ...]:
    """A three-letter word less one glued letter ("بام" → "ام"): the first word of a place's
    name ("أم درمان", "تل أبيب") that stems() leaves alone, its remainder being short. Only the
    first word of a name of several words may be read so: alone "أم" and "تل" are words."""
    return (word[1:],) if len(word) == 3 and word[0] in _GLUED_LETTERS else ()


_GLUED_LETTERS = frozenset(p for p in _PREFIXES if len(p) == 1)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# the prefixes that end in the article: taking them off leaves the word itself
_ARTICLE_PREFIXES = tuple(p for p in _PREFIXES if p.endswith(("ال", "لل")))


def arabic_base(word: str) -> str:
    """A folded Arabic word without its article and what is glued before it ('والاحتلال' →
    'احتلال'), when three letters or more remain; other words as they are. Other glued letters
    (و, ب, ل) stay: 'بيروت' and 'وزير' begin with them."""
    if word.isascii():
        return word
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            return word[len(prefix) :]
    return word


def language(text: str) -> str:
    """'ar' when most letters are Arabic, else 'en': the two are never compared (no translation)."""
    if text.isascii():
        return "en"  # no Arabic letter at all: most headlines, told without counting
    arabic = len(_ARABIC_LETTER.findall(text))
    return "ar" if arabic > len(_LATIN_LETTER.findall(text)) else "en"
