"""What `/source` does (bot administrators): add a feed live from its URL or its page's, and
remove, pause, resume or re-enable a source. Changes go to the overlay in Redis
(jobs/source_overlay.py), which every poller re-reads within seconds; this process re-reads it
at once, so the next command already sees the change."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.commands.reply import reply
from bot.i18n import N_, _
from bot.runtime import Runtime
from jobs.live_sources import ADDED, EXISTS, NOT_FEED, NewFeed, add_feed, live_fetcher
from jobs.regions import REGIONS, resolve_region
from jobs.source_overlay import PAUSED, REMOVED, set_status
from jobs.state import enable_source

USAGE = N_(
    "Usage: <code>/source add &lt;url&gt; [id] [region &lt;name&gt;, ...]</code> or "
    "<code>/source remove|pause|resume|enable &lt;id&gt;</code> (ids: /sources)"
)
ADDED_TEXT = N_(
    "✅ Source <b>{id}</b> added: {name}, {url}. Every poller polls it within seconds; "
    "its first poll only records what is already there."
)
EXISTS_TEXT = N_("Already there: <b>{id}</b> polls {url}.")
NOT_FEED_TEXT = N_("❌ Not added: {url} is neither a feed nor a page that links one ({why}).")
REFUSED_TEXT = N_("❌ Not added: {why}.")
BAD_REGION = N_("Unknown region <b>{region}</b>. Regions: {regions}.")
NO_SOURCE = N_("No source <b>{id}</b>; see /sources.")
NEVER_POLLED = N_("No source <b>{id}</b> has been polled; see /sources.")
REMOVED_TEXT = N_("🗑 Source <b>{id}</b> removed: no poller polls it any more.")
PAUSED_TEXT = N_("⏸ Source <b>{id}</b> paused on every poller; <code>/source resume {id}</code> undoes it.")
RESUMED_TEXT = N_("▶️ Source <b>{id}</b> resumed.")
NOT_PAUSED = N_("Source <b>{id}</b> is not paused.")
ENABLED_TEXT = N_("✅ {id} enabled; it is polled at its next turn.")

Action = Callable[[Update, Runtime, list[str]], Awaitable[None]]


def _region_args(words: list[str]) -> tuple[tuple[str, ...], str]:
    """`region MENA, Latin America` → the canonical regions, or the first name not a region
    (commas separate names, since region names have spaces: "US & Canada")."""
    found: list[str] = []
    for name in " ".join(words[1:]).split(","):
        if not name.strip():
            continue
        region = resolve_region(name.strip())
        if region is None:
            return (), name.strip()
        found.append(region)
    return tuple(dict.fromkeys(found)), ""


async def add(update: Update, rt: Runtime, words: list[str]) -> None:
    """`/source add <url> [id] [region <name>, ...]`."""
    assert rt.catalogue is not None
    url, rest = words[0], words[1:]
    source_id = rest.pop(0) if rest and rest[0].casefold() not in ("region", "regions") else ""
    if rest and (rest[0].casefold() not in ("region", "regions") or len(rest) < 2):
        await reply(update, _(USAGE))
        return
    regions, unknown = _region_args(rest) if rest else ((), "")
    if unknown:
        await reply(update, _(BAD_REGION).format(region=html.escape(unknown[:64]), regions=", ".join(REGIONS)))
        return
    wanted = NewFeed(url=url, source_id=source_id, regions=regions, interval=rt.settings.live_interval)
    # a fetcher of its own, not the poller's: an administrator's URL must not reach a private
    # address (jobs/address_guard.py), while the operator's catalogue may
    fetcher = live_fetcher(rt.settings.allow_private_sources)
    try:
        outcome = await add_feed(rt.redis, rt.keys, fetcher, rt.catalogue.view, wanted)
    finally:
        await fetcher.aclose()
    await rt.catalogue.refresh()
    source, why = outcome.source, html.escape(outcome.detail)
    if outcome.status == ADDED and source is not None:
        text = _(ADDED_TEXT).format(id=source.id, name=html.escape(source.name), url=html.escape(source.url))
    elif outcome.status == EXISTS and source is not None:
        text = _(EXISTS_TEXT).format(id=source.id, url=html.escape(source.url))
    elif outcome.status == NOT_FEED:
        text = _(NOT_FEED_TEXT).format(url=html.escape(url[:300]), why=why)
    else:
        text = _(REFUSED_TEXT).format(why=why)
    await reply(update, text)


async def _known(update: Update, rt: Runtime, source_id: str) -> bool:
    """Whether the running catalogue has this source; tells the administrator if not."""
    assert rt.catalogue is not None
    if rt.catalogue.view.find(source_id) is not None:
        return True
    await reply(update, _(NO_SOURCE).format(id=html.escape(source_id[:64])))
    return False


async def remove(update: Update, rt: Runtime, words: list[str]) -> None:
    """`/source remove <id>`: file or added, for good (until added again)."""
    if await _known(update, rt, words[0]):
        await set_status(rt.redis, rt.keys, words[0], REMOVED)
        await rt.catalogue.refresh()
        await reply(update, _(REMOVED_TEXT).format(id=words[0]))


async def pause(update: Update, rt: Runtime, words: list[str]) -> None:
    """`/source pause <id>`: kept in the catalogue, polled by no one."""
    if await _known(update, rt, words[0]):
        await set_status(rt.redis, rt.keys, words[0], PAUSED)
        await rt.catalogue.refresh()
        await reply(update, _(PAUSED_TEXT).format(id=words[0]))


async def resume(update: Update, rt: Runtime, words: list[str]) -> None:
    """`/source resume <id>`: undo a pause."""
    if not await _known(update, rt, words[0]):
        return
    if not rt.catalogue.view.paused(words[0]):
        await reply(update, _(NOT_PAUSED).format(id=words[0]))
        return
    await set_status(rt.redis, rt.keys, words[0], None)
    await rt.catalogue.refresh()
    await reply(update, _(RESUMED_TEXT).format(id=words[0]))


async def enable(update: Update, rt: Runtime, words: list[str]) -> None:
    """`/source enable <id>`: poll a source disabled after errors again at its next turn."""
    source = rt.source(words[0])
    if source is None or not await enable_source(rt.redis, rt.keys, source.id):
        await reply(update, _(NEVER_POLLED).format(id=html.escape(words[0][:64])))
        return
    await reply(update, _(ENABLED_TEXT).format(id=html.escape(source.id)))


ACTIONS: dict[str, tuple[Action, bool]] = {  # name → (action, whether it takes more than one word)
    "add": (add, True),
    "remove": (remove, False),
    "pause": (pause, False),
    "resume": (resume, False),
    "enable": (enable, False),
}


async def run(update: Update, rt: Runtime, args: str) -> None:
    """Dispatch `/source <action> ...`; anything else gets the usage line."""
    words = args.split()
    action = ACTIONS.get(words[0].casefold()) if words else None
    if action is None or len(words) < 2 or (len(words) > 2 and not action[1]) or rt.catalogue is None:
        await reply(update, _(USAGE))
        return
    await action[0](update, rt, words[1:])
