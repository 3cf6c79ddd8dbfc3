"""Commands for the bot's administrators (NEWSBOT_ADMIN_IDS): each source's health, and
re-enabling a source the poller disabled after repeated errors. Not in the command menu."""

from __future__ import annotations

import html

from telegram import Update

from bot.commands.registry import Access, Context, command
from bot.commands.reply import arg_text, reply
from bot.render import source_health, split_lines
from bot.runtime import runtime
from jobs.state import enable_source, load_state


@command("sources", access=Access.BOT_ADMIN)
async def sources_command(update: Update, context: Context) -> None:
    """Each source's last success, errors and next poll, in as few messages as fit."""
    rt = runtime(context)
    lines = [source_health(source, await load_state(rt.redis, rt.keys, source.id)) for source in rt.sources]
    for part in split_lines(lines or ["No sources configured."]):
        await reply(update, part)


@command("source", access=Access.BOT_ADMIN)
async def source_command(update: Update, context: Context) -> None:
    """`/source enable <id>`: poll a disabled source again at its next turn."""
    rt = runtime(context)
    parts = arg_text(update).split()
    if len(parts) != 2 or parts[0] != "enable":
        await reply(update, "Usage: <code>/source enable &lt;id&gt;</code> (ids: /sources)")
        return
    source = rt.source(parts[1])
    if source is None or not await enable_source(rt.redis, rt.keys, source.id):
        await reply(update, f"No source <b>{html.escape(parts[1][:64])}</b> has been polled; see /sources.")
        return
    await reply(update, f"✅ {html.escape(source.id)} enabled; it is polled at its next turn.")
