"""A chat's history and its end: /latest (what it would have been sent), /stop (forget it),
and a group's move to a new id when it becomes a supergroup."""

from __future__ import annotations

import html
import logging

from redis.exceptions import RedisError
from telegram import Update
from telegram.constants import ChatType

from bot.commands.access import can_manage
from bot.commands.registry import Access, Context, command
from bot.commands.reply import arg_text, reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.matching import wanted_recent
from bot.render import render_alert
from bot.runtime import Runtime, runtime

log = logging.getLogger(__name__)

LATEST_DEFAULT = 5
LATEST_MAX = 20
LATEST_GROUP_MAX = 5  # in groups, what any member may ask for; administrators may ask for more
LATEST_GROUP_COOLDOWN = 60  # seconds between two /latest in one group or channel


async def _group_allowance(update: Update, context: Context, rt: Runtime, wanted: int) -> int:
    """How many alerts /latest may show in a group or channel, where each lands in front of
    everyone: 0 within a minute of the last /latest there; past 5 only for administrators."""
    chat_id = update.effective_chat.id if update.effective_chat else 0
    if not await rt.redis.set(rt.keys.latest_cooldown(chat_id), 1, nx=True, ex=LATEST_GROUP_COOLDOWN):
        await reply(update, _("/latest was used here less than a minute ago; please wait a little."))
        return 0
    if wanted > LATEST_GROUP_MAX and not await can_manage(update, context):
        await reply(
            update,
            _("Showing the last {n}: in groups only administrators may ask for more.").format(n=LATEST_GROUP_MAX),
        )
        return LATEST_GROUP_MAX
    return wanted


@command(
    "latest",
    N_("The latest matching alerts: /latest 5"),
    help=(
        N_("/latest 5: the last alerts that match this chat (only breaking ones after /breaking on; shown"),
        N_("even while paused; in groups at most 5 unless an administrator asks, once a minute)"),
    ),
)
async def latest(update: Update, context: Context) -> None:
    """The last alerts this chat would have got, by the same rule as live matching."""
    rt, chat_obj = runtime(context), update.effective_chat
    if chat_obj is None:
        return
    arg = arg_text(update)
    if arg and not (arg.isdigit() and 1 <= int(arg) <= LATEST_MAX):
        await reply(update, _("Give a number from 1 to {n}, e.g. <code>/latest 5</code>.").format(n=LATEST_MAX))
        return
    wanted = int(arg) if arg else LATEST_DEFAULT
    chat = await rt.subs.get(chat_obj.id)
    if chat is None or not chat.follows_anything:
        await reply(update, _("This chat follows nothing yet; /subscribe first."))
        return
    if chat_obj.type != ChatType.PRIVATE:
        wanted = await _group_allowance(update, context, rt, wanted)
        if not wanted:
            return
    found = wanted_recent(chat, await rt.redis.lrange(rt.keys.recent, 0, -1), wanted)
    if not found:
        await reply(update, _("No recent alerts match this chat yet."))
    for item in reversed(found):
        await reply(update, render_alert(item), disable_notification=True)


@command(
    "stop",
    N_("Forget this chat entirely"),
    access=Access.CHAT_ADMIN,
    destructive=lambda target: True,
    help=(N_("/stop: forget this chat and everything it set"),),
)
async def stop(update: Update, context: Context, target: Target) -> None:
    """Forget the chat, or a channel named from a private chat (`/stop @channel`)."""
    await runtime(context).subs.forget(target.chat_id)
    own = update.effective_chat is not None and target.chat_id == update.effective_chat.id
    if own:
        text = _("Forgotten: this chat's subscriptions and settings are deleted. /start to begin again.")
    else:
        text = _("Forgotten: {title}'s subscriptions and settings are deleted. /start to begin again.").format(
            title=html.escape(target.title)
        )
    await reply(update, text)


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup; whichever of its two service messages comes first moves
    the subscription, so the next alert goes straight to the new id. No reply: a service
    message has no one to answer, and delivery's ChatMigrated handling is the fallback."""
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
