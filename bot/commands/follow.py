"""Following a source: /follow <id> sends every item of that source, whatever it names, still
under the chat's pause, only-breaking, quiet hours, digest and exclusions; /unfollow <id>. The
ids are the catalogue's, which /sources lists; the catalogue can change while the bot runs, so a
followed id may later be gone (/list marks it) and stays removable."""

from __future__ import annotations

import html
import re

from telegram import Update

from bot.commands.registry import FOLLOW, Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.render import refusal_text
from bot.runtime import Runtime, runtime
from bot.subscriptions import ChatGone, LimitReached

SOURCE_ID = re.compile(r"[a-z0-9-]{1,64}")  # the catalogue's id syntax (jobs/source_schema.py)
DEFAULT_EXAMPLE = "almayadeen-breaking"


def _example(rt: Runtime) -> str:
    """An id that exists here, so the example in a reply works when copied."""
    return rt.sources[0].id if rt.sources else DEFAULT_EXAMPLE


def _shown(arg: str) -> str:
    return html.escape(arg[:64])


@command(
    "follow",
    N_("Every item of one source (ids: /sources)"),
    access=Access.CHAT_ADMIN,
    section=FOLLOW,
    help=(N_("/follow almayadeen-breaking: every item of that source, even outside your regions and keywords"),),
)
async def follow(update: Update, context: Context, target: Target) -> None:
    """Follow every item of a source from the catalogue."""
    rt = runtime(context)
    arg = target.args.strip().lower()
    source = rt.source(arg) if SOURCE_ID.fullmatch(arg) else None
    if source is None:
        if arg:
            text = _("There is no source <b>{id}</b>.").format(id=_shown(target.args.strip()))
        else:
            text = _("Say which source to follow.")
        example = f"<code>/follow {html.escape(_example(rt))}</code>"
        await reply(
            update, text + " " + _("/sources lists every source with its id, e.g. {example}.").format(example=example)
        )
        return
    chat_id = await target.touch(rt)
    try:
        added = await rt.subs.add_source(chat_id, source.id)
    except (ChatGone, LimitReached) as exc:
        await reply(update, refusal_text(exc))
        return
    what = f"<b>{html.escape(source.name)}</b> (<code>{html.escape(source.id)}</code>)"
    done = _("Following {what}: every item it publishes.") if added else _("Already following {what}.")
    await reply(update, "✅ " + done.format(what=what))


@command(
    "unfollow",
    N_("Stop following a source (see /list)"),
    access=Access.CHAT_ADMIN,
    help=(N_("/unfollow almayadeen-breaking: stop following that source"),),
)
async def unfollow(update: Update, context: Context, target: Target) -> None:
    """Stop following a source, even one the catalogue no longer has."""
    rt = runtime(context)
    arg = target.args.strip().lower()
    if not arg:
        example = f"<code>/unfollow {html.escape(_example(rt))}</code>"
        await reply(
            update, _("Say which source to stop following, e.g. {example}; /list shows them.").format(example=example)
        )
        return
    if SOURCE_ID.fullmatch(arg) and await rt.subs.remove_source(target.chat_id, arg):
        await reply(update, _("No longer following <code>{id}</code>.").format(id=html.escape(arg)))
        return
    await reply(
        update, _("This chat does not follow the source <b>{id}</b>; see /list.").format(id=_shown(target.args.strip()))
    )
