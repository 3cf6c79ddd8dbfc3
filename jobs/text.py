"""Small text rules written once: accent folding, dates as sources write them, Redis stream ids. Tagging,
matching, clustering and delivery must agree on them exactly, so none keeps its own copy."""

from __future__ import annotations

import email.utils
import re
import unicodedata
from datetime import UTC, datetime

from jobs.arabic import fold_arabic

_WORD = re.compile(r"\w+")


# Latin letters no decomposition takes apart: "Diyarbakır" is written "Diyarbakir", "Łódź" "Lodz"
_LATIN_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss"})


def strip_accents(text: str) -> str:
    """'Nabatîyé' → 'Nabatiye', 'Diyarbakır' → 'Diyarbakir', 'غَزّة' → 'غزه' (jobs.arabic's
    folds); ASCII text (most headlines) is returned as it is, for speed."""
    if text.isascii():
        return text
    text = fold_arabic(text).translate(_LATIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_text(text: str) -> str:
    """Case- and accent-insensitive word sequence: the form keywords and ticker lines compare in."""
    return " ".join(_WORD.findall(strip_accents(text.casefold())))


def parse_iso(value: str) -> datetime:
    """An ISO 8601 time, always aware: a trailing Z is UTC and so is a time without a zone.
    Raises ValueError for anything else."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_time(text: str) -> datetime | None:
    """A time as sources write it: ISO 8601, else RFC 2822 (e-mail style); None if neither."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def stream_id(entry_id: str) -> tuple[int, int]:
    """A Redis stream id ('1700000000000-3') as (milliseconds, sequence), the order Redis keeps:
    compared as strings, '999-0' would sort after '1000-0'."""
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)
