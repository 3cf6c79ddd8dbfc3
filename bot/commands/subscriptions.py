"""What a chat follows: /subscribe, /unsubscribe, /exclude, /list. A region name (with its
aliases) is a region; anything else is a keyword query (bot/query.py)."""

from __future__ import annotations

import html

from telegram import Update

from bot.commands.registry import FOLLOW, Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target, resolve_target
from bot.i18n import N_, _
from bot.query import QueryError
from bot.render import chat_lines, refusal_text, split_lines
from bot.runtime import runtime
from bot.subscriptions import ChatGone, LimitReached
from bot.topics import remember_topic
from jobs.regions import REGIONS, resolve_region

REGION_NAMES = html.escape(", ".join(REGIONS))


@command(
    "subscribe",
    N_("Follow a region or a keyword: /subscribe Palestine"),
    access=Access.CHAT_ADMIN,
    section=FOLLOW,
    help=(
        N_("/subscribe Palestine: a region ({regions})"),
        N_("/subscribe Nabatieh: a keyword, matched as whole words, any case or accents"),
        N_('/subscribe "oil prices": an exact phrase'),
        N_("/subscribe Gaza + ceasefire: both words must appear"),
        N_('/subscribe Lebanon -football: "-word" vetoes a match'),
    ),
)
async def subscribe(update: Update, context: Context, target: Target) -> None:
    """Follow a region, or else a keyword query."""
    if not target.args:
        example = "<code>/subscribe Palestine</code> or <code>/subscribe Nabatieh</code>"
        await reply(
            update,
            _("Say what to follow, e.g. {example}.\nRegions: {regions}").format(example=example, regions=REGION_NAMES),
        )
        return
    rt = runtime(context)
    chat_id = await target.touch(rt)
    region = resolve_region(target.args)
    try:
        if region:
            added = await rt.subs.add_region(chat_id, region)
            what = _("the region <b>{region}</b>").format(region=html.escape(region))
        else:
            query, added = await rt.subs.add_keyword(chat_id, target.args)
            what = _("the keyword <b>{keyword}</b>").format(keyword=html.escape(query.key))
    except QueryError as exc:
        example = "<code>/subscribe Nabatieh</code>"
        await reply(
            update,
            _("Cannot use that keyword: {error}. Example: {example}").format(
                error=html.escape(exc.translated()), example=example
            ),
        )
        return
    except (ChatGone, LimitReached) as exc:
        await reply(update, refusal_text(exc))
        return
    await remember_topic(rt.subs, chat_id, update.effective_message)  # alerts go where this was asked
    done = _("Subscribed to {what}.") if added else _("Already following {what}.")
    await reply(update, "✅ " + done.format(what=what))


@command(
    "unsubscribe",
    N_("Stop following: /unsubscribe Palestine | phrase | all"),
    access=Access.CHAT_ADMIN,
    destructive=lambda target: target.args.casefold() == "all",
    help=(N_("/unsubscribe Palestine, /unsubscribe Nabatieh, /unsubscribe all"),),
)
async def unsubscribe(update: Update, context: Context, target: Target) -> None:
    """Stop following a region, a keyword, or everything."""
    rt, arg = runtime(context), target.args
    if not arg:
        examples = "<code>/unsubscribe Palestine</code> or <code>/unsubscribe all</code>"
        await reply(update, _("Say what to stop following, e.g. {examples}.").format(examples=examples))
        return
    await remember_topic(rt.subs, target.chat_id, update.effective_message)
    if arg.casefold() == "all":
        count = await rt.subs.clear(target.chat_id)
        await reply(update, _("Unsubscribed from everything ({count} removed).").format(count=count))
        return
    region = resolve_region(arg)
    if region and await rt.subs.remove_region(target.chat_id, region):
        await reply(update, _("Unsubscribed from the region <b>{region}</b>.").format(region=html.escape(region)))
        return
    try:
        removed = await rt.subs.remove_keyword(target.chat_id, arg)
    except QueryError:
        removed = False
    if removed:
        await reply(update, _("Unsubscribed from <b>{what}</b>.").format(what=html.escape(arg)))
    else:
        await reply(
            update, _("This chat does not follow <b>{what}</b>; see /list.").format(what=html.escape(arg[:100]))
        )


@command(
    "exclude",
    N_("Never alert on a phrase: /exclude football"),
    access=Access.CHAT_ADMIN,
    help=(N_("/exclude sport: never alert on items containing it (/exclude remove sport undoes it)"),),
)
async def exclude(update: Update, context: Context, target: Target) -> None:
    """Veto items containing a phrase; `/exclude remove <phrase>` lifts the veto."""
    if not target.args:
        examples = "<code>/exclude football</code>; <code>/exclude remove football</code> undoes it"
        await reply(update, _("Say what to never alert on, e.g. {examples}.").format(examples=examples))
        return
    rt = runtime(context)
    chat_id = await target.touch(rt)
    head, _sep, rest = target.args.partition(" ")
    try:
        if head.casefold() in ("remove", "off", "delete") and rest.strip():
            removed = await rt.subs.remove_exclude(chat_id, rest)
            text = (
                _("No longer excluding <b>{what}</b>.").format(what=html.escape(rest))
                if removed
                else _("<b>{what}</b> was not excluded; see /list.").format(what=html.escape(rest[:100]))
            )
        else:
            query, added = await rt.subs.add_exclude(chat_id, target.args)
            done = _("Excluding <b>{what}</b>.") if added else _("Already excluding <b>{what}</b>.")
            text = "🚫 " + done.format(what=html.escape(query.key))
    except QueryError as exc:
        await reply(
            update,
            _("Cannot use that: {error}. Example: {example}").format(
                error=html.escape(exc.translated()), example="<code>/exclude football</code>"
            ),
        )
        return
    except LimitReached as exc:
        await reply(update, refusal_text(exc))
        return
    await reply(update, text)


@command(
    "list",
    N_("What this chat follows"),
    help=(N_("/list: what this chat follows · /regions: tap regions on or off"),),
)
async def list_command(update: Update, context: Context) -> None:
    """Anyone may read a chat's list; a channel named from a private chat only by its admins."""
    if update.effective_chat is None:
        return
    target = await resolve_target(update, context)
    if isinstance(target, str):
        await reply(update, target)
        return
    rt = runtime(context)
    chat = await rt.subs.get(target.chat_id)
    if chat is None or not (chat.follows_anything or chat.excludes):
        await reply(update, _("This chat follows nothing yet. Try /subscribe Palestine or /regions."))
        return
    for part in split_lines(chat_lines(chat, {source.id: source.name for source in rt.sources})):
        await reply(update, part)
