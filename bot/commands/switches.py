"""A chat's on/off settings as commands: /pause, /resume, /mute, /unmute, /updates, /breaking.
(The same flags are buttons in /settings: bot/commands/menus.py.)"""

from __future__ import annotations

from telegram import Update

from bot.commands.registry import Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.runtime import runtime


async def _set_flag(update: Update, context: Context, target: Target, flag: str, value: bool, answer: str) -> None:
    """Set one chat flag and confirm it."""
    rt = runtime(context)
    await rt.subs.set_flag(await target.touch(rt), flag, value)
    await reply(update, _(answer))


async def _switch(
    update: Update, context: Context, target: Target, flag: str, usage: str, answers: tuple[str, str]
) -> None:
    """`/cmd on|off` for one chat flag; anything else gets the usage line. `answers`: (on, off)."""
    arg = target.args.casefold()
    if arg not in ("on", "off"):
        await reply(update, _(usage))
        return
    await _set_flag(update, context, target, flag, arg == "on", answers[0] if arg == "on" else answers[1])


@command(
    "pause",
    N_("Pause alerts"),
    access=Access.CHAT_ADMIN,
    help=(N_("/pause, /resume · /mute, /unmute (silent alerts) · /settings"),),
)
async def pause(update: Update, context: Context, target: Target) -> None:
    """Hold back every alert until /resume."""
    await _set_flag(update, context, target, "paused", True, N_("⏸ Alerts paused. /resume turns them back on."))


@command("resume", N_("Resume alerts"), access=Access.CHAT_ADMIN)
async def resume(update: Update, context: Context, target: Target) -> None:
    """Undo /pause."""
    await _set_flag(update, context, target, "paused", False, N_("▶️ Alerts resumed."))


@command("mute", N_("Alerts arrive silently"), access=Access.CHAT_ADMIN)
async def mute(update: Update, context: Context, target: Target) -> None:
    """Alerts without a notification sound."""
    await _set_flag(update, context, target, "muted", True, N_("🔕 Alerts will arrive silently. /unmute to undo."))


@command("unmute", N_("Alerts arrive with sound"), access=Access.CHAT_ADMIN)
async def unmute(update: Update, context: Context, target: Target) -> None:
    """Undo /mute."""
    await _set_flag(update, context, target, "muted", False, N_("🔔 Alerts will arrive with sound."))


@command(
    "updates",
    N_("Later reports of a story as replies: /updates on|off"),
    access=Access.CHAT_ADMIN,
    help=(N_("/updates off: one alert per story, no follow-ups (on: new numbers or places arrive as a reply)"),),
)
async def updates(update: Update, context: Context, target: Target) -> None:
    """Whether later reports of a story arrive as replies to its alert."""
    usage = N_(
        "Say <code>/updates on</code> (later reports of a story arrive as a reply to its alert) "
        "or <code>/updates off</code> (one alert per story)."
    )
    answers = (N_("↪️ Updates to a story will arrive as replies."), N_("One alert per story; no follow-ups."))
    await _switch(update, context, target, "updates", usage, answers)


@command(
    "breaking",
    N_("Only breaking news: /breaking on|off"),
    access=Access.CHAT_ADMIN,
    help=(N_("/breaking on: only breaking news (off: everything this chat follows)"),),
)
async def breaking(update: Update, context: Context, target: Target) -> None:
    """Whether only breaking items are alerted."""
    usage = N_(
        "Say <code>/breaking on</code> (only breaking news) or "
        "<code>/breaking off</code> (everything this chat follows)."
    )
    answers = (N_("🔴 Only breaking news from now on."), N_("All matching news from now on."))
    await _switch(update, context, target, "breaking_only", usage, answers)
