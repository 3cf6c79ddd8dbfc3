"""A word-phrase index: one left-to-right pass over a text's words finds every indexed phrase,
leftmost-longest, in time linear in the text. It serves the region gazetteer, category keywords
and subscription keywords alike, and never runs a user-supplied regular expression."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Generic, NamedTuple, TypeVar

from jobs.arabic import glued_short, stems
from jobs.text import strip_accents

T = TypeVar("T")
_WORD = re.compile(r"\w+")
# an apostrophe inside a transliterated name stands for a letter (ayn, hamza): "Far'a", "Shefa-'Amr",
# "Turmus'ayya" are one word each ("Fara", "Turmusayya"), as the outlets that leave it out write
# them; an English clitic ("Israel's", "don't", "they're") still ends the word, and "O'Hare" keeps
# its two parts
_APOSTROPHE = re.compile(r"['’ʼʿ](?=[^\W\d_])(?!(?:s|t|re|ve|ll|d|m)\b)")


def _join_apostrophes(text: str) -> str:
    def keep_or_drop(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        return "" if before == "-" or (before.isalpha() and not text[m.end()].isupper()) else m.group(0)

    return _APOSTROPHE.sub(keep_or_drop, text)


def words(text: str) -> list[str]:
    """Words with their case kept and accents removed: 'Nabatîyé' → ['Nabatiye']."""
    text = strip_accents(text)
    if "'" in text or "’" in text or "ʼ" in text or "ʿ" in text:  # most texts have none: no regex pass
        text = _join_apostrophes(text)
    return _WORD.findall(text)


def fold_words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in words(text))


def folded_name(text: str) -> str:
    """A name as the gazetteer's tables key it: its words folded, one space apart."""
    return " ".join(fold_words(text))


def contains(text_words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whole words; an Arabic word also matches with one glued prefix ('بغزه' contains 'غزه')."""
    n = len(phrase)
    if n == 0:
        return False
    first, tail = phrase[0], phrase[1:]
    if first.isascii():
        return any(text_words[i] == first and text_words[i : i + n] == phrase for i in range(len(text_words) - n + 1))
    return any(
        (text_words[i] == first or first in stems(text_words[i])) and text_words[i + 1 : i + n] == tail
        for i in range(len(text_words) - n + 1)
    )


class Hit(NamedTuple, Generic[T]):
    start: int  # word offsets
    end: int
    payload: T


class PhraseIndex(Generic[T]):
    """Phrases written with capitals ('Chad', 'US') only match capitalized words, so 'us' and
    'turkey' in lower case stay common words; lower-case phrases match any case."""

    def __init__(self, case_sensitive_names: bool = True) -> None:
        self._entries: dict[tuple[str, ...], list[tuple[tuple[str, ...], T]]] = {}
        self._firsts: dict[str, int] = {}  # first word → longest phrase starting with it
        self._max_len = 1
        self._case = case_sensitive_names

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, phrase: str, payload: T) -> None:
        original = tuple(words(phrase))
        if not original:
            return
        key = tuple(w.casefold() for w in original)
        if self._case:
            # an Arabic article before the name is written "al-Aqsa" as often as "Al-Aqsa"
            last = len(original) - 1
            shape = tuple(
                "" if (n < last and key[n] in _ARTICLES) or (0 < n == last and key[n] in _GENERIC_HEADS) else _shape(w)
                for n, w in enumerate(original)
            )
        else:
            shape = ("",) * len(original)
        self._entries.setdefault(key, []).append((shape, payload))
        self._firsts[key[0]] = max(self._firsts.get(key[0], 0), len(key))
        self._max_len = max(self._max_len, len(key))

    def __contains__(self, phrase: str) -> bool:
        return fold_words(phrase) in self._entries

    def extend(self, phrases: Iterable[tuple[str, T]]) -> None:
        for phrase, payload in phrases:
            self.add(phrase, payload)

    def scan(self, text: str, overlapping: bool = False) -> Iterator[Hit[T]]:
        """Leftmost-longest by default (tagging: 'South Sudan' hides 'Sudan'); with overlapping,
        every phrase at every position (subscriptions: 'Gaza' also matches in 'Gaza City').
        An Arabic word that starts no phrase is tried again without a glued prefix ('وخان يونس')."""
        original = words(text)
        return self.scan_words(original, [w.casefold() for w in original], overlapping)

    def scan_words(self, original: list[str], folded: list[str], overlapping: bool = False) -> Iterator[Hit[T]]:
        """scan() of a text already split into words (as written, and casefolded): a caller
        that scans one text with several indexes splits it once."""
        shouting = None  # whether most words are upper case: asked only of a phrase's words (_fits)
        i, n = 0, len(folded)
        firsts = self._firsts
        while i < n:
            word = folded[i]
            if word not in firsts and word.isascii():
                i += 1  # most words start no phrase (and an English word has no glued prefix)
                continue
            step = 1
            heads = (word,) if word.isascii() else (word, *stems(word), *glued_short(word))
            for head in heads:
                longest = firsts.get(head, 0)  # most positions start no phrase: one dict probe
                matched: list[T] = []
                # a two-letter first word less its glued letter ("بأم درمان", "بتل أبيب") begins
                # only a phrase of several words: alone it is too often a word of its own
                shortest = 2 if len(head) == 2 and head != word else 1
                for length in range(min(longest, n - i), shortest - 1, -1):
                    candidates = self._entries.get((head, *folded[i + 1 : i + length]))
                    if not candidates:
                        continue
                    span = original[i : i + length]
                    if shouting is None:
                        shouting = sum(1 for w in original if w.isupper()) > len(original) / 2
                    matched = [p for shape, p in candidates if shouting or _fits(shape, span)]
                    for payload in matched:
                        yield Hit(i, i + length, payload)
                    if matched and not overlapping:
                        step = length
                        break
                if matched and not overlapping:
                    break
            i += step


_ARTICLES = frozenset({"al", "el"})
# what a place is, after its name: headlines write it in lower case as often as not ("the Iberian
# peninsula", "the Gaza strip", "the Jordan valley"), and the name before it keeps its capital
_GENERIC_HEADS = frozenset(
    [
        "peninsula",
        "island",
        "islands",
        "strip",
        "valley",
        "province",
        "region",
        "governorate",
        "oblast",
        "sea",
        "gulf",
        "bay",
        "lake",
        "river",
        "mountains",
        "desert",
        "canal",
        "strait",
        "heights",
        "plain",
    ]
)


def _shape(word: str) -> str:
    if len(word) >= 2 and word.isupper():
        return "U"
    if word[:1].isupper():
        return "C"
    return ""


def _fits(shape: tuple[str, ...], span: list[str]) -> bool:
    for rule, word in zip(shape, span, strict=True):
        if rule == "U" and not word.isupper():
            return False
        if rule == "C" and not word[:1].isupper():
            return False
    return True
