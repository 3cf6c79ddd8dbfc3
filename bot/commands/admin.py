"""The sources: /sources lists them for everyone (the ids /follow takes) and adds each one's
health for the bot's administrators (NEWSBOT_ADMIN_IDS), who alone may change the catalogue live
with /source (not in the command menu): adding, removing, pausing, resuming and re-enabling."""

from __future__ import annotations

from telegram import Update

from bot.commands import source_edit
from bot.commands.access import is_bot_admin
from bot.commands.registry import FOLLOW, Access, Context, command
from bot.commands.reply import arg_text, reply
from bot.i18n import N_
from bot.render import source_health, source_line, sources_heading, split_lines
from bot.runtime import runtime
from jobs.state import load_state


@command(
    "sources",
    N_("Every source, with the id /follow takes"),
    section=FOLLOW,
    help=(N_("/sources: every source with its id, kind and fixed regions (✅ the ones this chat follows)"),),
)
async def sources_command(update: Update, context: Context) -> None:
    """Every source with its id, ticked if this chat follows it; a bot administrator also sees
    each one's last success, errors and next poll. In as few messages as fit."""
    rt = runtime(context)
    chat = await rt.subs.get(update.effective_chat.id) if update.effective_chat else None
    followed = chat.sources if chat else set()
    admin = is_bot_admin(update, context)
    lines = [sources_heading(rt.sources[0].id)] if rt.sources else []
    for source in rt.sources:
        line = source_line(source, source.id in followed)
        if admin:
            line += "\n" + source_health(source, await load_state(rt.redis, rt.keys, source.id))
        lines.append(line)
    for part in split_lines(lines or ["No sources configured."]):
        await reply(update, part)


@command("source", access=Access.BOT_ADMIN)
async def source_command(update: Update, context: Context) -> None:
    """`/source add <url> [id]`, `/source remove|pause|resume|enable <id>`: the catalogue
    changed live, on every poller (bot/commands/source_edit.py)."""
    await source_edit.run(update, runtime(context), arg_text(update))
