"""Chat commands. Each handler answers every input, however odd, with a one-line explanation
and an example; none raises to the user."""

from __future__ import annotations

import functools
import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from redis.exceptions import RedisError
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import throttle
from bot.matching import ChatView, item_words
from bot.outgoing import replies
from bot.query import QueryError
from bot.render import render_alert
from bot.runtime import Runtime, runtime
from bot.schedule import DIGEST_PERIODS, ScheduleError, parse_quiet, parse_timezone
from bot.subscriptions import ChatGone, LimitReached
from jobs.models import Item
from jobs.regions import REGIONS, resolve_region
from jobs.state import enable_source, load_state

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300
COMMANDS: list[tuple[str, str]] = [
    ("start", "Start: what this bot does"),
    ("help", "How to use the bot, with examples"),
    ("subscribe", "Follow a region or a keyword: /subscribe Palestine"),
    ("unsubscribe", "Stop following: /unsubscribe Palestine | phrase | all"),
    ("exclude", "Never alert on a phrase: /exclude football"),
    ("list", "What this chat follows"),
    ("regions", "Tap regions on or off"),
    ("settings", "This chat's settings"),
    ("pause", "Pause alerts"),
    ("resume", "Resume alerts"),
    ("mute", "Alerts arrive silently"),
    ("unmute", "Alerts arrive with sound"),
    ("updates", "Later reports of a story as replies: /updates on|off"),
    ("breaking", "Only breaking news: /breaking on|off"),
    ("quiet", "Quiet hours: /quiet 23:00-07:00 or /quiet off"),
    ("timezone", "Your timezone: /timezone Asia/Beirut"),
    ("digest", "Digest instead of alerts: /digest off|hourly|daily"),
    ("latest", "The latest matching alerts: /latest 5"),
    ("stop", "Forget this chat entirely"),
]

HELP = """<b>newsbot</b> sends breaking news as it happens: one alert per story, never a flood.

<b>Follow</b>
/subscribe Palestine: a region ({regions})
/subscribe Nabatieh: a keyword, matched as whole words, any case or accents
/subscribe "oil prices": an exact phrase
/subscribe Gaza + ceasefire: both words must appear
/subscribe Lebanon -football: "-word" vetoes a match

<b>Filter and manage</b>
/exclude sport: never alert on items containing it (/exclude remove sport undoes it)
/unsubscribe Palestine, /unsubscribe Nabatieh, /unsubscribe all
/list: what this chat follows · /regions: tap regions on or off
/pause, /resume · /mute, /unmute (silent alerts) · /settings
/breaking on: only breaking news (off: everything this chat follows)
/quiet 23:00-07:00 (held, then one summary) · /quiet off · /timezone Asia/Beirut
/digest hourly or daily: one summary per period · /digest off
/settings: breaking news may skip quiet hours and digests if you switch it on there
/updates off: one alert per story, no follow-ups (on: new numbers or places arrive as a reply)
/latest 5: the last alerts that match this chat (only breaking ones after /breaking on; shown
even while paused; in groups at most 5 unless an administrator asks, once a minute)
/stop: forget this chat and everything it set

In groups only administrators change settings. Manage a channel from here by naming it first:
/subscribe @mychannel Palestine (add the bot to the channel as an administrator)."""


def arg_text(update: Update) -> str:
    """Everything after the command word, untouched (quotes and signs matter to queries)."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def reply(update: Update, text: str, **kwargs) -> None:
    """Queue an HTML reply in the update's chat and return at once: the send waits for the
    chat's flood turn in the chat's outgoing queue (bot/outgoing.py), not in the handler, so a
    busy chat never holds one of PTB's concurrent-update slots."""
    message = update.effective_message
    if message is None:
        return

    async def send() -> None:
        try:
            await message.reply_text(text, parse_mode=ParseMode.HTML, **kwargs)
        except TelegramError as exc:
            log.warning("reply to chat %s failed: %s", message.chat_id, exc)

    replies.submit(message.chat_id, send, reply_record(message.chat_id, message.message_id, text, kwargs))


def reply_record(chat_id: int, reply_to: int, text: str, kwargs: dict) -> dict:
    """What a queued reply sends, as JSON, so that one still queued at shutdown is sent by the
    next start (bot/outgoing.py, bot/app.py): keyboards by their dict, other options as given."""
    options = {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in kwargs.items()}
    return {"chat_id": chat_id, "reply_to": reply_to, "text": text, "options": options}


async def send_saved_reply(bot: Bot, record: dict) -> None:
    """Send a reply saved at the last shutdown, as it would have been sent then."""
    options = dict(record.get("options") or {})
    if isinstance(options.get("reply_markup"), dict):
        options["reply_markup"] = InlineKeyboardMarkup.de_json(options["reply_markup"], bot)
    try:
        await bot.send_message(
            record["chat_id"],
            record["text"],
            parse_mode=ParseMode.HTML,
            reply_parameters=ReplyParameters(record["reply_to"], allow_sending_without_reply=True),
            **options,
        )
    except TelegramError as exc:
        log.warning("saved reply to chat %s failed: %s", record["chat_id"], exc)


async def can_manage(update: Update, context: ContextTypes.DEFAULT_TYPE, fresh: bool = False) -> bool:
    """Private chats and posts in a channel (only admins can post there): yes. Groups, and
    buttons pressed in a channel (any viewer can press those): ask Telegram whether the sender
    is an administrator, cached for a few minutes; `fresh` asks again (before destroying
    anything: a demoted admin must not keep the right for the cache's lifetime)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if chat.type == ChatType.CHANNEL and update.callback_query is None:
        return True
    anonymous = message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id
    if anonymous and update.callback_query is None:
        return True  # anonymous group administrator (a button's message is ours: not this)
    if user is None:
        return False
    rt = runtime(context)
    cached = None if fresh else rt.admin_cache.get((chat.id, user.id))
    if cached and time.monotonic() - cached[0] < ADMIN_CACHE_SECONDS:
        return cached[1]
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
        allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    except TelegramError as exc:
        log.warning("admin check in %s failed: %s", chat.id, exc)
        return False
    rt.admin_cache.put((chat.id, user.id), allowed, time.monotonic())
    return allowed


async def _touch(update: Update, rt: Runtime) -> int:
    chat = update.effective_chat
    assert chat is not None
    await rt.subs.touch(chat.id, chat.type, chat.title or chat.username or chat.full_name or "")
    return chat.id


@dataclass(slots=True)
class Target:
    """The chat a settings command acts on: the chat it was sent in, or a channel named as
    `@channel` at the start of the arguments in a private chat."""

    chat_id: int
    kind: str
    title: str
    args: str

    async def touch(self, rt: Runtime) -> int:
        await rt.subs.touch(self.chat_id, self.kind, self.title)
        return self.chat_id


async def resolve_target(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Target | str:
    """A Target, or the one-line reason it cannot be used."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    args = arg_text(update)
    own = Target(chat.id, chat.type, chat.title or chat.username or chat.full_name or "", args)
    if chat.type != ChatType.PRIVATE or not args.startswith("@"):
        return own
    name, _, rest = args.partition(" ")
    if not re.fullmatch(r"@[A-Za-z][A-Za-z0-9_]{3,31}", name):
        return f"{html.escape(name[:40])} is not a channel username (like @mychannel)."
    try:
        channel = await context.bot.get_chat(name)
        member = await context.bot.get_chat_member(channel.id, user.id) if user else None
    except TelegramError as exc:
        return (
            f"Cannot reach {html.escape(name)}: add this bot to the channel as an administrator first "
            f"({html.escape(exc.message)})."
        )
    if channel.type != ChatType.CHANNEL:
        return f"{html.escape(name)} is not a channel; send commands in that group itself."
    if member is None or member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return f"Only administrators of {html.escape(name)} can change its alerts."
    return Target(channel.id, channel.type, channel.title or name, rest.strip())


def managed(func=None, *, destructive: Callable[[Target], bool] | None = None):
    """Commands that change settings: group admins only; a channel may be named from a private
    chat; chat recorded; Redis trouble answered. `destructive(target)` true: the admin check
    asks Telegram again rather than trust the cache (`@managed(destructive=...)`)."""
    if func is None:
        return functools.partial(managed, destructive=destructive)

    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is None:
            return
        if not await can_manage(update, context):
            await reply(update, "Only this group's administrators can change its alerts.")
            return
        try:
            target = await resolve_target(update, context)
            if isinstance(target, str):
                await reply(update, target)
                return
            if destructive is not None and destructive(target) and not await can_manage(update, context, fresh=True):
                await reply(update, "Only this group's administrators can change its alerts.")
                return
            await func(update, context, target)
        except RedisError as exc:
            log.error("command failed on Redis: %s", exc)
            await reply(update, "Storage is unavailable right now; nothing was changed. Please try again in a minute.")

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    try:
        chat_id = await _touch(update, rt)
        chat = await rt.subs.get(chat_id)
    except RedisError:
        await reply(update, "Storage is unavailable right now; please try /start again in a minute.")
        return
    await reply(
        update,
        "👋 I send breaking-news alerts: one message per story, by region or keyword.\n\n"
        "Try /subscribe Palestine or /subscribe Nabatieh, or tap /regions.\n/help shows everything.",
    )
    if chat is not None:
        await reply(update, settings_text(chat), reply_markup=settings_keyboard(chat))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, HELP.format(regions=", ".join(html.escape(r) for r in REGIONS)))


@managed
async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    arg = target.args
    if not arg:
        await reply(
            update,
            "Say what to follow, e.g. <code>/subscribe Palestine</code> or <code>/subscribe Nabatieh</code>.\n"
            f"Regions: {html.escape(', '.join(REGIONS))}",
        )
        return
    chat_id = await target.touch(rt)
    region = resolve_region(arg)
    try:
        if region:
            added = await rt.subs.add_region(chat_id, region)
            word = "Subscribed to" if added else "Already following"
            await reply(update, f"✅ {word} the region <b>{html.escape(region)}</b>.")
            return
        query, added = await rt.subs.add_keyword(chat_id, arg)
    except ChatGone:  # a /stop ran in between: it wins, and nothing half-made is left
        await reply(update, "This chat was just forgotten (/stop), so nothing was added. Send it again to start over.")
        return
    except QueryError as exc:
        await reply(
            update, f"Cannot use that keyword: {html.escape(str(exc))}. Example: <code>/subscribe Nabatieh</code>"
        )
        return
    except LimitReached as exc:
        await reply(update, html.escape(str(exc)))
        return
    word = "Subscribed to" if added else "Already following"
    await reply(update, f"✅ {word} the keyword <b>{html.escape(query.key)}</b>.")


@managed(destructive=lambda target: target.args.casefold() == "all")
async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    chat_id = target.chat_id
    arg = target.args
    if not arg:
        await reply(
            update,
            "Say what to stop following, e.g. <code>/unsubscribe Palestine</code> or <code>/unsubscribe all</code>.",
        )
        return
    if arg.casefold() == "all":
        count = await rt.subs.clear(chat_id)
        await reply(update, f"Unsubscribed from everything ({count} removed).")
        return
    region = resolve_region(arg)
    if region and await rt.subs.remove_region(chat_id, region):
        await reply(update, f"Unsubscribed from the region <b>{html.escape(region)}</b>.")
        return
    try:
        removed = await rt.subs.remove_keyword(chat_id, arg)
    except QueryError:
        removed = False
    if removed:
        await reply(update, f"Unsubscribed from <b>{html.escape(arg)}</b>.")
    else:
        await reply(update, f"This chat does not follow <b>{html.escape(arg[:100])}</b>; see /list.")


@managed
async def exclude(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    arg = target.args
    if not arg:
        await reply(
            update,
            "Say what to never alert on, e.g. <code>/exclude football</code>; "
            "<code>/exclude remove football</code> undoes it.",
        )
        return
    chat_id = await target.touch(rt)
    head, _, rest = arg.partition(" ")
    try:
        if head.casefold() in ("remove", "off", "delete") and rest.strip():
            removed = await rt.subs.remove_exclude(chat_id, rest)
            await reply(
                update,
                f"No longer excluding <b>{html.escape(rest)}</b>."
                if removed
                else f"<b>{html.escape(rest[:100])}</b> was not excluded; see /list.",
            )
            return
        query, added = await rt.subs.add_exclude(chat_id, arg)
    except QueryError as exc:
        await reply(update, f"Cannot use that: {html.escape(str(exc))}. Example: <code>/exclude football</code>")
        return
    except LimitReached as exc:
        await reply(update, html.escape(str(exc)))
        return
    await reply(update, f"🚫 {'Excluding' if added else 'Already excluding'} <b>{html.escape(query.key)}</b>.")


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anyone may read a chat's list; a channel named from a private chat only by its admins."""
    rt = runtime(context)
    if update.effective_chat is None:
        return
    try:
        target = await resolve_target(update, context)
        if isinstance(target, str):
            await reply(update, target)
            return
        chat = await rt.subs.get(target.chat_id)
    except RedisError:
        await reply(update, "Storage is unavailable right now; please try again in a minute.")
        return
    if chat is None or not (chat.follows_anything or chat.excludes):
        await reply(update, "This chat follows nothing yet. Try /subscribe Palestine or /regions.")
        return
    lines = []
    if chat.regions:
        lines.append("<b>Regions:</b> " + ", ".join(html.escape(r) for r in REGIONS if r in chat.regions))
    if chat.keywords:  # one per line: 50 keywords of 100 characters need more than one message
        lines.append("<b>Keywords:</b>")
        lines += [f"• {html.escape(k)}" for k in sorted(chat.keywords)]
    if chat.excludes:
        lines.append("<b>Excluded:</b>")
        lines += [f"• {html.escape(k)}" for k in sorted(chat.excludes)]
    state = "⏸ paused" if chat.paused else "▶️ active"
    lines.append(f"<b>Status:</b> {state}{' · 🔕 silent' if chat.muted else ''}")
    for part in split_lines(lines):
        await reply(update, part)


def split_lines(lines: list[str], limit: int = 4096) -> list[str]:
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


def regions_keyboard(selected: set[str]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(("✅ " if r in selected else "▫️ ") + r, callback_data=f"rg:{i}")
        for i, r in enumerate(REGIONS)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def regions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    try:
        chat = await rt.subs.get(update.effective_chat.id)
    except RedisError:
        await reply(update, "Storage is unavailable right now; please try again in a minute.")
        return
    await reply(
        update, "Tap a region to follow or drop it:", reply_markup=regions_keyboard(chat.regions if chat else set())
    )


async def region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    rt = runtime(context)
    data = query.data or ""
    try:
        region = REGIONS[int(data.split(":", 1)[1])]
    except (IndexError, ValueError):
        region = None
    if region is None or update.effective_chat is None:
        await query.answer("That button is out of date; send /regions again.")
        return
    if not await can_manage(update, context):
        await query.answer("Only administrators can change this group's alerts.", show_alert=True)
        return
    chat_id = await _touch(update, rt)
    chat = await rt.subs.get(chat_id)
    if chat and region in chat.regions:
        await rt.subs.remove_region(chat_id, region)
        note = f"Dropped {region}"
    else:
        await rt.subs.add_region(chat_id, region)
        note = f"Following {region}"
    chat = await rt.subs.get(chat_id)
    await query.answer(note)
    try:
        await query.edit_message_reply_markup(regions_keyboard(chat.regions if chat else set()))
    except TelegramError as exc:
        log.debug("regions keyboard not updated: %s", exc)


SETTING_TOGGLES: list[tuple[str, str]] = [
    ("paused", "Paused"),
    ("muted", "Silent"),
    ("breaking_only", "Only breaking"),
    ("updates", "Updates as replies"),
    ("override", "Breaking skips quiet/digest"),
]


def settings_text(chat) -> str:
    quiet = (
        f"{chat.quiet_start // 60:02d}:{chat.quiet_start % 60:02d}-{chat.quiet_end // 60:02d}:{chat.quiet_end % 60:02d}"
        if chat.quiet_start >= 0
        else "off"
    )
    return (
        f"<b>Settings</b> (tap to toggle)\n"
        f"<b>Timezone:</b> {html.escape(chat.timezone)} (/timezone Asia/Beirut)\n"
        f"<b>Quiet hours:</b> {quiet} (/quiet 23:00-07:00, /quiet off)\n"
        f"<b>Digest:</b> {chat.digest} (/digest off|hourly|daily)\n"
        f"<b>Following:</b> {len(chat.regions)} regions, {len(chat.keywords)} keywords (/list)"
    )


def settings_keyboard(chat) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(("✅ " if getattr(chat, flag) else "▫️ ") + label, callback_data=f"st:{flag}")]
        for flag, label in SETTING_TOGGLES
    ]
    return InlineKeyboardMarkup(rows)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    chat = await rt.subs.get(update.effective_chat.id)
    if chat is None:
        await reply(update, "Nothing set yet: /subscribe to something first, or /help.")
        return
    await reply(update, settings_text(chat), reply_markup=settings_keyboard(chat))


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    flag = (query.data or "").partition(":")[2]
    if flag not in dict(SETTING_TOGGLES) or update.effective_chat is None:
        await query.answer("That button is out of date; send /settings again.")
        return
    if not await can_manage(update, context):
        await query.answer("Only administrators can change this group's alerts.", show_alert=True)
        return
    rt = runtime(context)
    chat_id = await _touch(update, rt)
    chat = await rt.subs.get(chat_id)
    await rt.subs.set_flag(chat_id, flag, not getattr(chat, flag))
    chat = await rt.subs.get(chat_id)
    await query.answer(f"{dict(SETTING_TOGGLES)[flag]}: {'on' if getattr(chat, flag) else 'off'}")
    try:
        await query.edit_message_text(
            settings_text(chat), parse_mode=ParseMode.HTML, reply_markup=settings_keyboard(chat)
        )
    except TelegramError as exc:
        log.debug("settings menu not updated: %s", exc)


@managed
async def quiet(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    arg = target.args
    chat_id = await target.touch(rt)
    if arg.casefold() == "off":
        await rt.subs.set_fields(chat_id, quiet_start=-1, quiet_end=-1)
        await reply(update, "🔔 Quiet hours off.")
        return
    try:
        start, end = parse_quiet(arg)
    except ScheduleError as exc:
        example = "<code>/quiet 23:00-07:00</code> or <code>/quiet off</code>"
        await reply(update, f"{html.escape(str(exc), quote=False)}. Example: {example}")
        return
    await rt.subs.set_fields(chat_id, quiet_start=start, quiet_end=end)
    chat = await rt.subs.get(chat_id)
    await reply(
        update,
        f"🌙 Quiet hours {html.escape(arg)} ({html.escape(chat.timezone)}): alerts are held and sent "
        "as one summary when they end. /timezone sets your zone.",
    )


@managed
async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    try:
        zone = parse_timezone(target.args)
    except ScheduleError as exc:
        await reply(update, f"{html.escape(str(exc), quote=False)}. Example: <code>/timezone Asia/Beirut</code>")
        return
    chat_id = await target.touch(rt)
    await rt.subs.set_fields(chat_id, timezone=zone)
    await reply(update, f"🕰 Timezone set to {html.escape(zone)}.")


@managed
async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    rt = runtime(context)
    mode = target.args.casefold()
    if mode not in DIGEST_PERIODS:
        await reply(update, "Say <code>/digest hourly</code>, <code>/digest daily</code> or <code>/digest off</code>.")
        return
    chat_id = await target.touch(rt)
    await rt.subs.set_fields(chat_id, digest=mode, last_digest=time.time())
    await reply(update, "Alerts arrive as they happen." if mode == "off" else f"🗞 One {mode} digest of your alerts.")


def _flag_command(flag: str, value: bool, answer: str):
    @managed
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
        rt = runtime(context)
        chat_id = await target.touch(rt)
        await rt.subs.set_flag(chat_id, flag, value)
        await reply(update, answer)

    return handler


def _switch_command(flag: str, usage: str, on_text: str, off_text: str):
    """`/cmd on|off` for one chat flag; anything else gets the usage line."""

    @managed
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
        rt = runtime(context)
        arg = target.args.casefold()
        if arg not in ("on", "off"):
            await reply(update, usage)
            return
        chat_id = await target.touch(rt)
        await rt.subs.set_flag(chat_id, flag, arg == "on")
        await reply(update, on_text if arg == "on" else off_text)

    return handler


pause = _flag_command("paused", True, "⏸ Alerts paused. /resume turns them back on.")
resume = _flag_command("paused", False, "▶️ Alerts resumed.")
mute = _flag_command("muted", True, "🔕 Alerts will arrive silently. /unmute to undo.")
unmute = _flag_command("muted", False, "🔔 Alerts will arrive with sound.")
breaking = _switch_command(
    "breaking_only",
    "Say <code>/breaking on</code> (only breaking news) or <code>/breaking off</code> (everything this chat follows).",
    "🔴 Only breaking news from now on.",
    "All matching news from now on.",
)
updates = _switch_command(
    "updates",
    "Say <code>/updates on</code> (later reports of a story arrive as a reply to its alert) "
    "or <code>/updates off</code> (one alert per story).",
    "↪️ Updates to a story will arrive as replies.",
    "One alert per story; no follow-ups.",
)


LATEST_MAX = 20
LATEST_GROUP_MAX = 5  # in groups, what any member may ask for; administrators may ask for more
LATEST_GROUP_COOLDOWN = 60  # seconds between two /latest in one group or channel


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The last alerts this chat would have got. Which items come out is decided by the same
    rule as live matching (`ChatView.wants`, the chat's queries parsed once per call), so
    /breaking on is honoured; a paused chat still gets what it explicitly asks for. In groups
    and channels every alert lands in front of everyone: any member gets at most 5, and a chat
    gets one /latest a minute."""
    rt = runtime(context)
    chat_obj = update.effective_chat
    if chat_obj is None:
        return
    arg = arg_text(update)
    if arg and not (arg.isdigit() and 1 <= int(arg) <= LATEST_MAX):
        await reply(update, f"Give a number from 1 to {LATEST_MAX}, e.g. <code>/latest 5</code>.")
        return
    wanted = int(arg) if arg else 5
    shared = chat_obj.type != ChatType.PRIVATE
    try:
        chat = await rt.subs.get(chat_obj.id)
        if chat is None or not chat.follows_anything:
            await reply(update, "This chat follows nothing yet; /subscribe first.")
            return
        if shared:
            fresh = await rt.redis.set(rt.keys.latest_cooldown(chat_obj.id), 1, nx=True, ex=LATEST_GROUP_COOLDOWN)
            if not fresh:
                await reply(update, "/latest was used here less than a minute ago; please wait a little.")
                return
            if wanted > LATEST_GROUP_MAX and not await can_manage(update, context):
                await reply(
                    update,
                    f"Showing the last {LATEST_GROUP_MAX}: in groups only administrators may ask for more.",
                )
                wanted = LATEST_GROUP_MAX
        recent = await rt.redis.lrange(rt.keys.recent, 0, -1)
    except RedisError as exc:
        log.error("/latest failed on Redis: %s", exc)
        await reply(update, "Storage is unavailable right now; please try again in a minute.")
        return
    view = ChatView.of(chat)  # parsed once for all recent items
    view.live = True  # an explicit request is answered even while alerts are paused
    found: list[Item] = []
    for raw in recent:
        try:
            item = Item.from_json(raw)
        except (ValueError, KeyError, TypeError):
            continue
        if view.wants(item, item_words(item)):
            found.append(item)
            if len(found) >= wanted:
                break
    if not found:
        await reply(update, "No recent alerts match this chat yet.")
        return
    for item in reversed(found):
        await reply(update, render_alert(item), disable_notification=True)


@managed(destructive=lambda target: True)
async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    """Forget the chat, or a channel named from a private chat (`/stop @channel`)."""
    rt = runtime(context)
    try:
        await rt.subs.forget(target.chat_id)
    except RedisError:
        await reply(update, "Storage is unavailable right now; nothing was deleted. Please try again.")
        return
    whose = "this chat's" if target.chat_id == update.effective_chat.id else f"{html.escape(target.title)}'s"
    await reply(update, f"Forgotten: {whose} subscriptions and settings are deleted. /start to begin again.")


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup. Telegram says so in both chats (migrate_to_chat_id in the
    old, migrate_from_chat_id in the new); whichever comes first moves the subscription, so the
    next alert goes straight to the new id. Delivery's ChatMigrated handling is the fallback."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    try:
        if await runtime(context).subs.migrate(old, new):
            log.info("chat %s migrated to %s", old, new)
    except RedisError as exc:
        log.warning("chat %s migrated to %s, not recorded now (the next alert will find out): %s", old, new, exc)


def _is_bot_admin(update: Update, rt: Runtime) -> bool:
    user = update.effective_user
    return user is not None and user.id in rt.settings.admin_ids


def _ago(ts: float) -> str:
    if not ts:
        return "never"
    return datetime.fromtimestamp(ts, UTC).strftime("%d %b %H:%M:%S UTC")


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    if not _is_bot_admin(update, rt):
        await reply(update, "Only the bot's administrators (NEWSBOT_ADMIN_IDS) can see source health.")
        return
    lines = []
    for source in rt.sources:
        st = await load_state(rt.redis, rt.keys, source.id)
        flag = "⛔" if st.disabled else ("⚠️" if st.errors else "✅")
        line = (
            f"{flag} <b>{html.escape(source.id)}</b>: ok {_ago(st.last_success)}, "
            f"{st.errors} errors, {st.items_total} items, next {_ago(st.next_poll)}"
        )
        if st.last_error:
            line += f"\n    <i>{html.escape(st.last_error[:150])}</i>"
        lines.append(line)
    chunk = ""
    for line in lines or ["No sources configured."]:
        if len(chunk) + len(line) > 3500:  # whole lines per message: tags never split
            await reply(update, chunk)
            chunk = ""
        chunk += line + "\n"
    await reply(update, chunk)


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    if not _is_bot_admin(update, rt):
        await reply(update, "Only the bot's administrators (NEWSBOT_ADMIN_IDS) can manage sources.")
        return
    parts = arg_text(update).split()
    if len(parts) != 2 or parts[0] != "enable":
        await reply(update, "Usage: <code>/source enable &lt;id&gt;</code> (ids: /sources)")
        return
    source = rt.source(parts[1])
    if source is None or not await enable_source(rt.redis, rt.keys, source.id):
        await reply(update, f"No source <b>{html.escape(parts[1][:64])}</b> has been polled; see /sources.")
        return
    await reply(update, f"✅ {html.escape(source.id)} enabled; it is polled at its next turn.")


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await reply(update, "I don't know that command. /help lists what I can do.")


def register(app: Application) -> None:
    msgs = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    for name, callback in (
        ("start", start),
        ("help", help_command),
        ("subscribe", subscribe),
        ("unsubscribe", unsubscribe),
        ("exclude", exclude),
        ("list", list_command),
        ("regions", regions_command),
        ("settings", settings_command),
        ("pause", pause),
        ("resume", resume),
        ("mute", mute),
        ("unmute", unmute),
        ("updates", updates),
        ("breaking", breaking),
        ("quiet", quiet),
        ("timezone", timezone_command),
        ("digest", digest),
        ("latest", latest),
        ("stop", stop),
        ("sources", sources_command),
        ("source", source_command),
    ):
        app.add_handler(CommandHandler(name, callback, filters=msgs))
    app.add_handler(TypeHandler(Update, throttle.guard), group=-1)  # before any handler: floods stop here
    app.add_handler(CallbackQueryHandler(region_button, pattern=r"^rg:"))
    app.add_handler(CallbackQueryHandler(settings_button, pattern=r"^st:"))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    app.add_handler(MessageHandler(filters.COMMAND & msgs, unknown))
    app.add_error_handler(on_error)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("handler error: %s", context.error, exc_info=context.error)
    if isinstance(update, Update):
        await reply(update, "Something went wrong with that; it was logged. Please try again.")


async def register_commands(app: Application) -> None:
    try:
        await app.bot.set_my_commands([BotCommand(n, d) for n, d in COMMANDS])
    except TelegramError as exc:
        log.warning("set_my_commands failed (commands still work): %s", exc)
