"""Telegram HTML measured and cut the way Telegram counts it: a caption's 1,024 characters are
counted after the HTML is parsed (tags gone, entities decoded), in UTF-16 code units (an emoji
outside the BMP is two). Cutting the HTML text by Python length would refuse a caption that
fits (tags and entities counted) or pass one that does not (emoji counted once), and a cut
inside a tag or an entity makes Telegram refuse the message outright."""

from __future__ import annotations

import html
import re

ELLIPSIS = "…"
# a tag, an entity, or one character of text: the pieces a cut may fall between
_PIECE = re.compile(r"<[^>]*>|&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)")


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _visible(piece: str) -> str:
    if piece.startswith("<") and len(piece) > 1:
        return ""
    return html.unescape(piece) if piece.startswith("&") else piece


def telegram_length(text: str) -> int:
    """How long Telegram finds this HTML: its visible text, in UTF-16 code units."""
    return sum(units(_visible(piece)) for piece in _PIECE.findall(text))


def _whole_words(pieces: list[str], reach: int = 30) -> list[str]:
    """Pieces up to the last space, when the cut fell inside a word and a space is near (and
    no tag stands between, so the open tags stay as counted)."""
    for back in range(len(pieces) - 1, max(-1, len(pieces) - 1 - reach), -1):
        piece = pieces[back]
        if piece.startswith("<") and len(piece) > 1:
            break
        if piece.isspace():
            return pieces[:back]
    return pieces


def clip_html(text: str, limit: int) -> str:
    """At most `limit` units of visible text, still valid HTML: cut between pieces (never in
    a tag or an entity), an ellipsis where it was cut, every tag still open closed."""
    if telegram_length(text) <= limit:
        return text
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    budget = limit - units(ELLIPSIS)
    for piece in _PIECE.findall(text):
        tag = _TAG_NAME.match(piece) if piece.startswith("<") else None
        if tag is not None:
            if tag.group(1):
                if open_tags:
                    open_tags.pop()
            else:
                open_tags.append(tag.group(2).lower())
            out.append(piece)
            continue
        size = units(_visible(piece))
        if used + size > budget:
            if not piece.isspace():
                out = _whole_words(out)
            break
        used += size
        out.append(piece)
    kept = "".join(out).rstrip()
    return kept + ELLIPSIS + "".join(f"</{name}>" for name in reversed(open_tags))
