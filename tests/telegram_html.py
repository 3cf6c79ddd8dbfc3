"""Telegram's HTML parse mode as its parser (tdlib's parse_html) reads a message or a caption:
what is shown, what is refused, and how long Telegram finds it (UTF-16 code units)."""

from __future__ import annotations

import re

_TAGS = frozenset({"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "pre", "code", "tg-spoiler"})
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_TAG = re.compile(r"<(/?)([^\s>]*)([^>]*)>")


def parse_html(text: str) -> str:
    """What Telegram's HTML parse mode makes of `text` (the rules of its parser, tdlib's
    parse_html): the visible text, or ValueError with Telegram's reason. A tag it does not
    support, an unclosed or unmatched tag, a lone `<` are refused; `&lt;` `&gt;` `&amp;`
    `&quot;` and numeric references are decoded, and an `&` that starts none of these is kept
    as it is (Telegram accepts it: what goes wrong then is a `&lt;` in the text shown as `<`)."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _ENTITY.match(text, i)
            decoded = None
            if match and match.group(3) is not None:
                decoded = _ENTITIES.get(match.group(3))
            elif match:
                code = int(match.group(1), 16) if match.group(1) is not None else int(match.group(2))
                decoded = chr(code) if 0 < code < 0x10FFFF else None
            if decoded is not None:
                out.append(decoded)
                i = match.end()
                continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        match = _TAG.match(text, i)
        if match is None:
            raise ValueError(f"Unclosed start tag at byte offset {i}")
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            if not open_tags:
                raise ValueError(f"Unexpected end tag at byte offset {i}")
            expected = open_tags.pop()
            if name and name != expected:
                raise ValueError(f'Unmatched end tag at byte offset {i}, expected "</{expected}>", found "</{name}>"')
        else:
            if name not in _TAGS:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {i}')
            open_tags.append(name)
        i = match.end()
    if open_tags:
        raise ValueError(f"Can't find end tag corresponding to start tag {open_tags[-1]}")
    return "".join(out)


def telegram_length(plain: str) -> int:
    """Shown text's length as Telegram counts it: UTF-16 code units (an emoji past U+FFFF is 2)."""
    return len(plain.encode("utf-16-le")) // 2
