"""The alert message: Telegram HTML with everything from sources escaped, always under
Telegram's 4096-character limit."""

from __future__ import annotations

from html import escape

from jobs.models import Item
from jobs.regions import region_hashtag

SUMMARY_CHARS = 300


MAX_URL = 1024


def _clip(text: str, limit: int) -> str:
    """Escape, keeping the escaped form within limit: entities make escaping grow text up to
    sixfold, and a cut must never fall inside an entity."""
    out = escape(text)
    while len(out) > limit:
        text = text[: max(0, min(len(text) - 1, len(text) * limit // len(out) - 1))].rstrip()
        out = escape(text) + "…"
    return out


def render_alert(item: Item, update: bool = False) -> str:
    """`update`: a later report of a story this chat was alerted to, sent as a reply to it."""
    lines: list[str] = []
    head = f"<i>{_clip(item.source_name, 200)}</i>"
    if update:
        head = "↪️ <b>Update</b> · " + head
    elif item.breaking:
        head = "🔴 <b>BREAKING</b> · " + head
    lines.append(head)
    lines.append(f"<b>{_clip(item.title, 1500)}</b>")
    if item.summary:
        lines.append("")
        lines.append(_clip(item.summary[:SUMMARY_CHARS], 1200))
    lines.append("")
    meta = item.published.strftime("%d %b %H:%M UTC")
    tags = " ".join(region_hashtag(r) for r in item.regions)
    lines.append(f"{tags} · {meta}" if tags else meta)
    if item.url and len(item.url) <= MAX_URL:
        lines.append(f'<a href="{escape(item.url, quote=True)}">Read more</a>')
    return "\n".join(lines)  # at most ~4,000 characters by the clips above


DIGEST_CHUNK = 3800


def render_digest(items: list[Item]) -> list[str]:
    """Held alerts as one summary, split into several messages only past Telegram's limit."""
    if not items:
        return []
    lines = []
    for item in items:
        line = (
            f"• {'🔴 ' if item.breaking else ''}<b>{_clip(item.title, 600)}</b> — <i>{_clip(item.source_name, 80)}</i>"
        )
        if item.url and len(item.url) <= MAX_URL:
            line += f' <a href="{escape(item.url, quote=True)}">link</a>'
        lines.append(line)
    head = f"🗞 <b>While you were away</b> · {len(items)} {'story' if len(items) == 1 else 'stories'}\n\n"
    chunks, current = [], head
    for line in lines:
        if len(current) + len(line) + 1 > DIGEST_CHUNK:
            chunks.append(current.rstrip())
            current = ""
        current += line + "\n"
    chunks.append(current.rstrip())
    return chunks
