"""Commands for the bot's administrators (NEWSBOT_ADMIN_IDS): each source's health, and
changing the catalogue live: adding, removing, pausing, resuming and re-enabling sources. Not in
the command menu."""

from __future__ import annotations

from telegram import Update

from bot.commands import source_edit
from bot.commands.registry import Access, Context, command
from bot.commands.reply import arg_text, reply
from bot.render import source_health, split_lines
from bot.runtime import runtime
from jobs.state import load_state


@command("sources", access=Access.BOT_ADMIN)
async def sources_command(update: Update, context: Context) -> None:
    """Each source's last success, errors and next poll, in as few messages as fit."""
    rt = runtime(context)
    lines = [source_health(source, await load_state(rt.redis, rt.keys, source.id)) for source in rt.sources]
    for part in split_lines(lines or ["No sources configured."]):
        await reply(update, part)


@command("source", access=Access.BOT_ADMIN)
async def source_command(update: Update, context: Context) -> None:
    """`/source add <url> [id]`, `/source remove|pause|resume|enable <id>`: the catalogue
    changed live, on every poller (bot/commands/source_edit.py)."""
    await source_edit.run(update, runtime(context), arg_text(update))
