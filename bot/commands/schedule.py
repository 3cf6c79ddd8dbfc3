"""When alerts arrive: /quiet hours, the chat's /timezone, and /digest instead of alerts.
Parsing and the rules themselves are in bot/schedule.py."""

from __future__ import annotations

import html
import time

from telegram import Update

from bot.commands.registry import Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.runtime import runtime
from bot.schedule import DIGEST_PERIODS, ScheduleError, parse_quiet, parse_timezone

DIGEST_ANSWERS = {"hourly": N_("One hourly digest of your alerts."), "daily": N_("One daily digest of your alerts.")}


def _sentence(error: ScheduleError) -> str:
    """A parse error as the start of a sentence (quotes left as typed: outside attributes)."""
    return html.escape(error.translated(), quote=False)


@command(
    "quiet",
    N_("Quiet hours: /quiet 23:00-07:00 or /quiet off"),
    access=Access.CHAT_ADMIN,
    help=(N_("/quiet 23:00-07:00 (held, then one summary) · /quiet off · /timezone Asia/Beirut"),),
)
async def quiet(update: Update, context: Context, target: Target) -> None:
    """Hold alerts during the given hours, then send one summary."""
    rt = runtime(context)
    chat_id = await target.touch(rt)
    if target.args.casefold() == "off":
        await rt.subs.set_fields(chat_id, quiet_start=-1, quiet_end=-1)
        await reply(update, _("🔔 Quiet hours off."))
        return
    try:
        start, end = parse_quiet(target.args)
    except ScheduleError as exc:
        example = "<code>/quiet 23:00-07:00</code> or <code>/quiet off</code>"
        await reply(update, _("{error}. Example: {example}").format(error=_sentence(exc), example=example))
        return
    await rt.subs.set_fields(chat_id, quiet_start=start, quiet_end=end)
    chat = await rt.subs.get(chat_id)
    zone = html.escape(chat.timezone if chat else "UTC")
    await reply(
        update,
        _(
            "🌙 Quiet hours {hours} ({zone}): alerts are held and sent "
            "as one summary when they end. /timezone sets your zone."
        ).format(hours=html.escape(target.args), zone=zone),
    )


@command("timezone", N_("Your timezone: /timezone Asia/Beirut"), access=Access.CHAT_ADMIN)
async def timezone_command(update: Update, context: Context, target: Target) -> None:
    """The zone quiet hours and daily digests are read in."""
    try:
        zone = parse_timezone(target.args)
    except ScheduleError as exc:
        await reply(
            update,
            _("{error}. Example: {example}").format(error=_sentence(exc), example="<code>/timezone Asia/Beirut</code>"),
        )
        return
    rt = runtime(context)
    await rt.subs.set_fields(await target.touch(rt), timezone=zone)
    await reply(update, _("🕰 Timezone set to {zone}.").format(zone=html.escape(zone)))


@command(
    "digest",
    N_("Digest instead of alerts: /digest off|hourly|daily"),
    access=Access.CHAT_ADMIN,
    help=(
        N_("/digest hourly or daily: one summary per period · /digest off"),
        N_("/settings: breaking news may skip quiet hours and digests if you switch it on there"),
    ),
)
async def digest(update: Update, context: Context, target: Target) -> None:
    """One summary per period instead of alerts as they happen."""
    mode = target.args.casefold()
    if mode not in DIGEST_PERIODS:
        await reply(
            update, _("Say <code>/digest hourly</code>, <code>/digest daily</code> or <code>/digest off</code>.")
        )
        return
    rt = runtime(context)
    await rt.subs.set_fields(await target.touch(rt), digest=mode, last_digest=time.time())
    await reply(update, _("Alerts arrive as they happen.") if mode == "off" else "🗞 " + _(DIGEST_ANSWERS[mode]))
