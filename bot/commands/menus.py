"""The two tap-to-toggle menus: /regions and /settings, and the buttons under them. A button
edits its menu in place, so the menu always shows the chat's current state."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.commands.registry import Context, button, command
from bot.commands.reply import reply
from bot.commands.target import own_target
from bot.i18n import N_, _
from bot.render import SETTING_TOGGLES, regions_keyboard, settings_keyboard, settings_text
from bot.runtime import runtime
from bot.topics import remember_topic
from jobs.regions import REGIONS

log = logging.getLogger(__name__)


@command("regions", N_("Tap regions on or off"))
async def regions_command(update: Update, context: Context) -> None:
    """Show the regions menu, each region ticked if followed."""
    assert update.effective_chat is not None
    chat = await runtime(context).subs.get(update.effective_chat.id)
    keyboard = regions_keyboard(chat.regions if chat else set())
    await reply(update, _("Tap a region to follow or drop it:"), reply_markup=keyboard)


@command("settings", N_("This chat's settings"))
async def settings_command(update: Update, context: Context) -> None:
    """Show the settings menu."""
    assert update.effective_chat is not None
    chat = await runtime(context).subs.get(update.effective_chat.id)
    if chat is None:
        await reply(update, _("Nothing set yet: /subscribe to something first, or /help."))
        return
    await reply(update, settings_text(chat), reply_markup=settings_keyboard(chat))


def _region(data: str | None) -> str | None:
    """The region a button stands for ("rg:<index>"), None if the button is out of date."""
    try:
        return REGIONS[int((data or "").split(":", 1)[1])]
    except (IndexError, ValueError):
        return None


@button("rg")
async def region_button(update: Update, context: Context, query: CallbackQuery) -> None:
    """Follow or drop the tapped region, then redraw the menu."""
    region = _region(query.data)
    if region is None or update.effective_chat is None:
        await query.answer(_("That button is out of date; send /regions again."))
        return
    rt = runtime(context)
    chat_id = await own_target(update.effective_chat, "").touch(rt)
    chat = await rt.subs.get(chat_id)
    if chat and region in chat.regions:
        await rt.subs.remove_region(chat_id, region)
        note = _("Dropped {region}").format(region=region)
    else:
        await rt.subs.add_region(chat_id, region)
        note = _("Following {region}").format(region=region)
    await remember_topic(rt.subs, chat_id, query.message if isinstance(query.message, Message) else None)
    chat = await rt.subs.get(chat_id)
    await query.answer(note)
    try:
        await query.edit_message_reply_markup(regions_keyboard(chat.regions if chat else set()))
    except TelegramError as exc:
        log.debug("regions keyboard not updated: %s", exc)


@button("st")
async def settings_button(update: Update, context: Context, query: CallbackQuery) -> None:
    """Toggle the tapped setting, then redraw the menu."""
    flag = (query.data or "").partition(":")[2]
    if flag not in SETTING_TOGGLES or update.effective_chat is None:
        await query.answer(_("That button is out of date; send /settings again."))
        return
    rt = runtime(context)
    chat_id = await own_target(update.effective_chat, "").touch(rt)
    chat = await rt.subs.get(chat_id)
    await rt.subs.set_flag(chat_id, flag, not getattr(chat, flag))
    chat = await rt.subs.get(chat_id)
    state = _("on") if getattr(chat, flag) else _("off")
    await query.answer(f"{_(SETTING_TOGGLES[flag])}: {state}")
    try:
        await query.edit_message_text(
            settings_text(chat), parse_mode=ParseMode.HTML, reply_markup=settings_keyboard(chat)
        )
    except TelegramError as exc:
        log.debug("settings menu not updated: %s", exc)
