"""Forum topics: /here moves a forum group's alerts to the topic it is sent in. (Changing what
the chat follows from a topic moves them there too: bot/topics.py.)"""

from __future__ import annotations

from telegram import Update

from bot.commands.registry import Access, Context, command
from bot.commands.reply import reply
from bot.commands.target import Target
from bot.i18n import N_, _
from bot.runtime import runtime
from bot.topics import remember_topic, topic_of


@command(
    "here",
    N_("In a group with topics: alerts go to this topic"),
    access=Access.CHAT_ADMIN,
    help=(N_("/here: in a group with topics, alerts go to the topic it is sent in (General included)"),),
)
async def here(update: Update, context: Context, target: Target) -> None:
    """Alerts go to the topic this command was sent in."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or target.chat_id != chat.id or not (chat.is_forum or topic_of(message)):
        await reply(update, _("This chat has no topics: alerts already arrive here."))
        return
    rt = runtime(context)
    await target.touch(rt)
    await remember_topic(rt.subs, target.chat_id, message)
    if topic_of(message):
        await reply(update, "📌 " + _("Alerts will arrive in this topic."))
    else:
        await reply(update, "📌 " + _("Alerts will arrive in General."))
