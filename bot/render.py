"""Every text the bot shows: alerts, digests, settings and region menus, /list, the sources
list with their health and the admin notice. Telegram HTML with everything from users and sources escaped, always
under Telegram's message-length limit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.html_clip import clip_html, telegram_length
from bot.i18n import N_, _, ngettext
from bot.subscriptions import Chat, ChatGone, LimitReached
from jobs.models import Item
from jobs.regions import REGIONS, region_hashtag
from jobs.sources import Source
from jobs.state import SourceState

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


def _alert_parts(item: Item, update: bool, language: str | None) -> tuple[str, str, str]:
    """An alert's head (mark and source), body (headline and summary) and foot (hashtags,
    time, link): a caption too long for Telegram loses the end of its body, never its foot."""
    head = f"<i>{_clip(item.source_name, 200)}</i>"
    if update:
        head = "↪️ <b>" + _("Update", language) + "</b> · " + head
    elif item.breaking:
        head = "🔴 <b>" + _("BREAKING", language) + "</b> · " + head
    body = f"<b>{_clip(item.title, 1500)}</b>"
    if item.summary:
        body += "\n\n" + _clip(item.summary[:SUMMARY_CHARS], 1200)
    meta = item.published.strftime("%d %b %H:%M UTC")
    tags = " ".join(region_hashtag(r) for r in item.regions)
    foot = f"{tags} · {meta}" if tags else meta
    if item.url and len(item.url) <= MAX_URL:
        more = _("Read more", language)
        foot += f'\n<a href="{escape(item.url, quote=True)}">{more}</a>'
    return head, body, foot


def render_alert(item: Item, update: bool = False, language: str | None = None) -> str:
    """`update`: a later report of a story this chat was alerted to, sent as a reply to it.
    The frame is in `language` (else the update's); the headline stays the source's own, and
    no bidi marks are added: Telegram lays out each line by its first strong character."""
    head, body, foot = _alert_parts(item, update, language)
    return f"{head}\n{body}\n\n{foot}"  # at most ~4,000 characters by the clips above


def render_caption(item: Item, update: bool = False, language: str | None = None) -> str:
    """The alert as a photo's caption: the same text, its body clipped so that the whole fits
    Telegram's caption limit as Telegram counts it (bot/html_clip.py)."""
    head, body, foot = _alert_parts(item, update, language)
    limit = MessageLimit.CAPTION_LENGTH
    budget = limit - telegram_length(head) - telegram_length(foot) - 3  # the three line breaks
    if budget < 40:  # a frame that long leaves no room for the headline: clip the whole
        return clip_html(f"{head}\n{body}\n\n{foot}", limit)
    return f"{head}\n{clip_html(body, budget)}\n\n{foot}"


DIGEST_CHUNK = 3800


def render_digest(items: list[Item], language: str | None = None) -> list[str]:
    """Held alerts as one summary, split into several messages only past Telegram's limit;
    its frame in `language` (else the update's)."""
    if not items:
        return []
    lines = []
    link = _("link", language)
    for item in items:
        line = (
            f"• {'🔴 ' if item.breaking else ''}<b>{_clip(item.title, 600)}</b> — <i>{_clip(item.source_name, 80)}</i>"
        )
        if item.url and len(item.url) <= MAX_URL:
            line += f' <a href="{escape(item.url, quote=True)}">{link}</a>'
        lines.append(line)
    count = ngettext("{n} story", "{n} stories", len(items), language).format(n=len(items))
    head = "🗞 <b>" + _("While you were away", language) + f"</b> · {count}\n\n"
    chunks, current = [], head
    for line in lines:
        if len(current) + len(line) + 1 > DIGEST_CHUNK:
            chunks.append(current.rstrip())
            current = ""
        current += line + "\n"
    chunks.append(current.rstrip())
    return chunks


def topic_gone_note(language: str | None = None) -> str:
    """Posted once in a forum group's General topic when the topic its alerts went to is gone:
    its administrators are the ones who can choose another."""
    return _(
        "⚠️ <b>Administrators:</b> the topic where alerts were posted is gone, so alerts now arrive "
        "here in General. Send /here in a topic to move them there.",
        language,
    )


# --- menus and lists --------------------------------------------------------------------------
SETTING_TOGGLES: dict[str, str] = {  # chat flag → its button's label (English), in the menu's order
    "paused": N_("Paused"),
    "muted": N_("Silent"),
    "breaking_only": N_("Only breaking"),
    "updates": N_("Updates as replies"),
    "override": N_("Breaking skips quiet/digest"),
    "pictures": N_("Pictures"),
}


def refusal_text(exc: ChatGone | LimitReached) -> str:
    """Why a region, keyword or source was not added: a /stop that ran in between wins (and
    left nothing half-made), or the chat is at its cap."""
    if isinstance(exc, ChatGone):
        return _("This chat was just forgotten (/stop), so nothing was added. Send it again to start over.")
    return escape(exc.translated())


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def settings_text(chat: Chat) -> str:
    """The settings menu's text: what the buttons below it cannot show, with the command that
    changes each."""
    quiet = f"{_clock(chat.quiet_start)}-{_clock(chat.quiet_end)}" if chat.quiet_start >= 0 else _("off")
    following = _("{regions} regions, {keywords} keywords, {sources} sources").format(
        regions=len(chat.regions), keywords=len(chat.keywords), sources=len(chat.sources)
    )
    lines = [
        "<b>" + _("Settings") + "</b> " + _("(tap to toggle)"),
        "<b>" + _("Timezone:") + f"</b> {escape(chat.timezone)} (/timezone Asia/Beirut)",
        "<b>" + _("Quiet hours:") + f"</b> {quiet} (/quiet 23:00-07:00, /quiet off)",
        "<b>" + _("Digest:") + f"</b> {escape(chat.digest)} (/digest off|hourly|daily)",
        "<b>" + _("Following:") + f"</b> {following} (/list)",
    ]
    return "\n".join(lines)


def settings_keyboard(chat: Chat) -> InlineKeyboardMarkup:
    """One toggle per flag, its state in the label, so that a tap shows its effect in place."""
    rows = [
        [InlineKeyboardButton(("✅ " if getattr(chat, flag) else "▫️ ") + _(label), callback_data=f"st:{flag}")]
        for flag, label in SETTING_TOGGLES.items()
    ]
    return InlineKeyboardMarkup(rows)


def regions_keyboard(selected: set[str]) -> InlineKeyboardMarkup:
    """Two regions a row; a button carries the region's index, since callback data is short."""
    buttons = [
        InlineKeyboardButton(("✅ " if r in selected else "▫️ ") + r, callback_data=f"rg:{i}")
        for i, r in enumerate(REGIONS)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def chat_lines(chat: Chat, source_names: Mapping[str, str] | None = None) -> list[str]:
    """/list as lines: keywords one per line, since 50 keywords of 100 characters need more
    than one message and a message may only end between lines. `source_names` is the
    catalogue as it is now (id → name): a followed source missing from it is marked gone."""
    lines = []
    if chat.regions:
        lines.append("<b>" + _("Regions:") + "</b> " + ", ".join(escape(r) for r in REGIONS if r in chat.regions))
    if chat.sources:
        lines.append("<b>" + _("Sources:") + "</b>")
        lines += [_followed_line(s, (source_names or {}).get(s)) for s in sorted(chat.sources)]
    if chat.keywords:
        lines.append("<b>" + _("Keywords:") + "</b>")
        lines += [f"• {escape(k)}" for k in sorted(chat.keywords)]
    if chat.excludes:
        lines.append("<b>" + _("Excluded:") + "</b>")
        lines += [f"• {escape(k)}" for k in sorted(chat.excludes)]
    state = "⏸ " + _("paused") if chat.paused else "▶️ " + _("active")
    silent = " · 🔕 " + _("silent") if chat.muted else ""
    lines.append("<b>" + _("Status:") + f"</b> {state}{silent}")
    return lines


def _followed_line(source_id: str, name: str | None) -> str:
    """A followed source in /list; one that left the catalogue (removed by an administrator)
    is still listed, so the chat sees why it went quiet and how to drop it."""
    if name is None:
        gone = _("no longer available; /unfollow {id} drops it").format(id=escape(source_id))
        return f"• <code>{escape(source_id)}</code>: <i>{gone}</i>"
    return f"• {_clip(name, 100)} (<code>{escape(source_id)}</code>)"


def split_lines(lines: list[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Whole lines joined into messages of at most `limit` characters (Telegram's cap), so that
    no tag is ever cut in two; a line longer than that on its own is cut at the limit."""
    parts: list[str] = []
    chunk = ""
    for line in lines:
        line = line[:limit]
        if chunk and len(chunk) + 1 + len(line) > limit:
            parts.append(chunk)
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        parts.append(chunk)
    return parts


# --- sources: the list for everyone, health for the bot's administrators ----------------------
SOURCE_KINDS = {"feed": N_("feed"), "ticker": N_("ticker")}  # kinds a user may not know by name


def sources_heading(example: str) -> str:
    """What /sources is for: the ids are what /follow takes."""
    return _("<b>Sources</b> · /follow &lt;id&gt; sends every item of one, e.g. <code>/follow {id}</code>").format(
        id=escape(example)
    )


def source_line(source: Source, followed: bool = False) -> str:
    """One source in /sources: its name to recognise it, its id to /follow it, then what sets it
    apart (kind, breaking, the regions every item of it gets, not polled)."""
    facts = [_(SOURCE_KINDS.get(source.kind, source.kind))]
    if source.breaking:
        facts.append(_("breaking"))
    if source.regions:
        facts.append(", ".join(escape(r) for r in source.regions))
    if not source.enabled:
        facts.append(_("not polled"))
    mark = "✅ " if followed else "• "
    return f"{mark}<b>{_clip(source.name, 100)}</b> <code>{escape(source.id)}</code>: {' · '.join(facts)}"


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%d %b %H:%M:%S UTC") if ts else "never"


def source_health(source: Source, state: SourceState) -> str:
    """One source in /sources: a flag to scan by, then what an administrator acts on."""
    flag = "⛔" if state.disabled else ("⚠️" if state.errors else "✅")
    line = (
        f"{flag} <b>{escape(source.id)}</b>: ok {_when(state.last_success)}, "
        f"{state.errors} errors, {state.items_total} items, next {_when(state.next_poll)}"
    )
    if state.last_error:
        line += f"\n    <i>{escape(state.last_error[:150])}</i>"
    return line


def admin_notice(source: Source, state: SourceState) -> str:
    """Sent to each bot administrator when a source is disabled: the error as the feed gave
    it (escaped, quotes kept readable) and the command that undoes it."""
    return (
        f"⛔ Source <b>{escape(source.id)}</b> was disabled after {state.errors} consecutive errors.\n"
        f"Last error: <code>{escape(state.last_error[:200], quote=False)}</code>\n"
        f"Re-enable with <code>/source enable {escape(source.id)}</code>"
    )


# --- /help ------------------------------------------------------------------------------------
HELP_INTRO = N_("<b>newsbot</b> sends breaking news as it happens: one alert per story, never a flood.")
HELP_OUTRO = N_(
    "In groups only administrators change settings. Manage a channel from here by naming it first:\n"
    "/subscribe @mychannel Palestine (add the bot to the channel as an administrator)."
)


def help_page(sections: dict[str, list[str]]) -> str:
    """/help from each section's lines (the commands' own, bot/commands/registry.py)."""
    body = "\n\n".join(f"<b>{escape(title)}</b>\n" + "\n".join(lines) for title, lines in sections.items())
    return f"{_(HELP_INTRO)}\n\n{body}\n\n{_(HELP_OUTRO)}"
