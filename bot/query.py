"""The keyword language users type: plain words match whole words, case- and accent-blind;
`"exact phrase"`; `a + b` needs both; `-word` vetoes. Never a regular expression (ReDoS)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import MessageLimit

from bot.i18n import N_, UserError
from jobs.phrases import contains, fold_words

MAX_QUERY_CHARS = 100  # of the stored (folded, canonical) form: what matching will load
MAX_TERMS = 8
MAX_INPUT_CHARS = MessageLimit.MAX_TEXT_LENGTH  # raw text: only bounds the work of parsing (Telegram's message size)


class QueryError(UserError):
    """Why a keyword query was refused (its text is shown to the user)."""


@dataclass(frozen=True, slots=True)
class Query:
    need: tuple[tuple[str, ...], ...]  # every phrase must occur
    veto: tuple[tuple[str, ...], ...]  # none may occur

    @property
    def key(self) -> str:
        """Canonical text: the same subscription typed twice is stored once."""
        parts = [" ".join(p) for p in self.need] + ["-" + " ".join(p) for p in self.veto]
        return " + ".join(parts[: len(self.need)]) + "".join(" " + p for p in parts[len(self.need) :])

    @property
    def anchor(self) -> str:
        """The phrase the index files this query under: the longest is the rarest."""
        return " ".join(max(self.need, key=lambda p: (len(p), sum(map(len, p)))))

    def matches(self, text_words: tuple[str, ...]) -> bool:
        return all(contains(text_words, p) for p in self.need) and not any(contains(text_words, p) for p in self.veto)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\+)|(-?)([^\s"+]+)')


def parse_query(text: str) -> Query:
    """A new keyword or exclusion typed by a user. The limits apply to the stored form
    (`Query.key`), not to the typed text: folding can lengthen it (ß → ss, ligatures, U+FDFA →
    18 characters, `a+b` → `a + b`), and a keyword whose stored form is over the limit must be
    refused now, not accepted and then lost when the index loads it."""
    text = (text or "").strip()
    if len(text) > MAX_INPUT_CHARS:
        raise QueryError(N_("too long: at most {n} characters"), n=MAX_QUERY_CHARS)
    query = parse_stored(text)
    if len(query.key) > MAX_QUERY_CHARS:
        raise QueryError(
            N_(
                "too long: at most {n} characters as stored ({here} here; "
                "accents, ligatures and letters like ß are spelled out and '+' counts as ' + ')"
            ),
            n=MAX_QUERY_CHARS,
            here=len(query.key),
        )
    if len(query.need) + len(query.veto) > MAX_TERMS:
        raise QueryError(N_("too many parts: at most {n}"), n=MAX_TERMS)
    return query


def parse_stored(text: str) -> Query:
    """A query as stored, or typed to find one that is stored (/unsubscribe, /exclude remove):
    no user-input limits, since what was accepted once (perhaps under other limits) must keep
    matching and stay removable."""
    text = (text or "").strip()
    if not text:
        raise QueryError(N_("empty keyword"))
    need: list[tuple[str, ...]] = []
    veto: list[tuple[str, ...]] = []
    loose: list[str] = []  # consecutive plain words form one phrase

    def flush() -> None:
        if loose:
            phrase = fold_words(" ".join(loose))
            if phrase:
                need.append(phrase)
            loose.clear()

    for m in _TOKEN.finditer(text.replace("“", '"').replace("”", '"')):
        q_neg, quoted, plus, w_neg, word = m.groups()
        if plus:
            flush()
        elif quoted is not None:
            flush()
            phrase = fold_words(quoted)
            if phrase:
                (veto if q_neg else need).append(phrase)
        elif w_neg and word:
            flush()
            phrase = fold_words(word)
            if phrase:
                veto.append(phrase)
        elif word:
            loose.append(word)
    flush()
    if not need:
        raise QueryError(N_("no words to match (letters or digits needed; '-word' alone only vetoes)"))
    return Query(tuple(dict.fromkeys(need)), tuple(dict.fromkeys(veto)))
