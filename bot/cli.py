"""`newsbot` command line (README, "Command line"): run, preview, tag, cluster, check-sources,
sources export|import."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.logs import scrub, setup_logging
from jobs.classify import default_classifier
from jobs.fetch import Fetcher
from jobs.items import items_from
from jobs.models import Item
from jobs.sources import CatalogueError, Source, load_catalogue
from jobs.text import parse_iso

log = logging.getLogger("newsbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsbot", description="Breaking-news alerts for Telegram.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument("--role", choices=("all", "poller", "sender"), default="all")
    preview = sub.add_parser("preview", help="poll every source once and print what would be alerted")
    preview.add_argument(
        "--sources", type=Path, default=None, help="catalogue file (default: NEWSBOT_SOURCES or bundled)"
    )
    preview.add_argument("--json", action="store_true", help="one JSON object per line")
    sub.add_parser("tag", help="headlines on stdin → regions and categories as JSON lines")
    sub.add_parser("cluster", help='JSON lines {"source","title"} on stdin → the same with "story"')
    check = sub.add_parser("check-sources", help="validate a sources catalogue")
    check.add_argument("file", type=Path)
    sources = sub.add_parser("sources", help="the running catalogue as OPML, or feeds added from OPML")
    actions = sources.add_subparsers(dest="action", required=True)
    actions.add_parser("export", help="print the catalogue file plus sources changed live as OPML")
    opml_import = actions.add_parser("import", help="add the feeds of an OPML file, one line of outcome each")
    opml_import.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    setup_logging()
    try:
        if args.command == "run":
            return cmd_run(args.role)
        if args.command == "preview":
            return asyncio.run(cmd_preview(args.sources, args.json))
        if args.command == "tag":
            return cmd_tag()
        if args.command == "cluster":
            return cmd_cluster()
        if args.command == "sources":
            from bot.cli_sources import cmd_sources

            return cmd_sources(args.action, getattr(args, "file", None))
        return cmd_check(args.file)
    except ConfigError as exc:
        print(f"newsbot: configuration error: {exc}", file=sys.stderr)
        return 2
    except CatalogueError as exc:
        print(f"newsbot: invalid sources catalogue:\n{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _catalogue(path: Path | None, settings: Settings) -> list[Source]:
    return load_catalogue(path or settings.sources_file)


def cmd_run(role: str) -> int:
    from telegram.error import InvalidToken

    from bot.app import run_bot
    from bot.redis_server import EmbeddedRedis, RedisUnavailable, connect, wait_for_redis

    settings = Settings.from_env()
    if not settings.token:
        print("newsbot: TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)", file=sys.stderr)
        return 2
    scrub(settings.token)
    sources = _catalogue(None, settings)
    embedded = None
    url = settings.redis_url
    if not url:
        embedded = EmbeddedRedis(settings.data_dir)
        try:
            url = embedded.start()
        except RuntimeError as exc:
            print(f"newsbot: {exc}", file=sys.stderr)
            return 1

    async def go() -> None:
        redis = connect(url)
        watchdog = asyncio.create_task(embedded.watch()) if embedded is not None else None
        try:
            await wait_for_redis(redis, url)
            await run_bot(settings, redis, sources, role)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            await redis.aclose()

    try:
        asyncio.run(go())
    except RedisUnavailable as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 1
    except InvalidToken:
        print("newsbot: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", file=sys.stderr)
        return 2
    finally:
        if embedded is not None:
            embedded.stop()  # last: the bot's shutdown still had its Redis
    if embedded is not None and embedded.failed:
        print("newsbot: the embedded Redis died and could not be restarted", file=sys.stderr)
        return 1
    return 0


async def cmd_preview(path: Path | None, as_json: bool) -> int:
    """What one poll of every source would alert, through the poller's own extraction step,
    with neither Redis nor Telegram: every listed item is its own story."""
    settings = Settings.from_env()
    sources = _catalogue(path, settings)
    classifier = default_classifier()
    fetcher = Fetcher()
    try:
        results = await asyncio.gather(*(fetcher.fetch(s.url) for s in sources))
    finally:
        await fetcher.aclose()
    now = datetime.now(UTC)
    failures = 0
    for source, result in zip(sources, results, strict=True):
        extracted = items_from(source, result, now)
        if extracted.error:
            failures += 1
            print(f"# {source.id}: {extracted.error}", file=sys.stderr)
            continue
        for item in extracted.items:
            classifier.apply(item)
            item.story = item.key
            print(_preview_line(item, as_json))
    sys.stdout.flush()
    return 1 if failures == len(sources) else 0


def _preview_line(item: Item, as_json: bool) -> str:
    if as_json:
        fields = {
            "source": item.source,
            "title": item.title,
            "url": item.url,
            "published": item.published.isoformat(),
            "regions": item.regions,
            "categories": item.categories,
            "breaking": item.breaking,
            "story": item.story,
        }
        return json.dumps(fields, ensure_ascii=False)
    flag = "!" if item.breaking else " "
    return f"{flag} {item.published:%H:%M} {item.source:<22.22} {', '.join(item.regions):<24.24} {item.title}"


def _stdin_lines():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.strip():
            yield line


def cmd_tag() -> int:
    classifier = default_classifier()
    for line in _stdin_lines():
        tags = classifier.tag_text(line)
        print(json.dumps({"text": line, "regions": tags.regions, "categories": tags.categories}, ensure_ascii=False))
        sys.stdout.flush()
    return 0


def cmd_cluster() -> int:
    """Story ids from the same clustering the bot runs, in a throwaway key namespace of the
    configured Redis (or of a temporary embedded one)."""
    import secrets
    import tempfile

    from bot.redis_server import EmbeddedRedis, connect
    from jobs.keys import Keys

    settings = Settings.from_env()
    with tempfile.TemporaryDirectory(prefix="newsbot-cluster-") as tmp:
        embedded = None if settings.redis_url else EmbeddedRedis(Path(tmp))
        try:
            url = settings.redis_url or embedded.start()
        except RuntimeError as exc:  # no redis-server here, or it would not start: say so
            print(f"newsbot: {exc}", file=sys.stderr)
            return 1
        try:
            keys = Keys(f"nbcluster:{secrets.token_hex(6)}:")
            return asyncio.run(_cluster_lines(connect(url), keys, settings.story_quiet))
        finally:
            if embedded is not None:
                embedded.stop()


async def _cluster_lines(redis, keys, quiet: float) -> int:
    import hashlib
    import time

    from jobs.classify import without_breaking
    from jobs.cluster import StoryClusterer

    clusterer = StoryClusterer(redis, keys, quiet=quiet)
    start = time.time()  # lines without 'published' are one instant
    try:
        for n, line in enumerate(_stdin_lines()):
            try:
                obj = json.loads(line)
            except ValueError:
                print(f"newsbot cluster: skipping a line that is not JSON: {line[:80]!r}", file=sys.stderr)
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("title"), str):
                print("newsbot cluster: skipping a line without a string 'title'", file=sys.stderr)
                continue
            when = _published(obj.get("published"), start)
            if when is None:
                print(
                    f"newsbot cluster: line {n + 1}: 'published' is not ISO 8601; using the common instant",
                    file=sys.stderr,
                )
                when = start
            new_id = hashlib.sha1(f"{n}:{obj['title']}".encode()).hexdigest()[:16]
            source = obj.get("source") if isinstance(obj.get("source"), str) else ""
            # as the poller does before clustering: "عاجل |" / "BREAKING:" is a flag, not the event
            title = without_breaking(obj["title"]) or obj["title"]
            assignment = await clusterer.assign(new_id, title, when, source=source)
            obj["story"] = assignment.story
            print(json.dumps(obj, ensure_ascii=False), flush=True)
    finally:
        async for key in redis.scan_iter(match=keys.prefix + "*", count=1000):
            await redis.delete(key)
        await redis.aclose()
    return 0


def _published(value: object, default: float) -> float | None:
    """An ISO 8601 time as a timestamp (naive means UTC); `default` when absent."""
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        return None
    try:
        return parse_iso(value).timestamp()
    except ValueError:
        return None


def cmd_check(path: Path) -> int:
    sources = load_catalogue(path)
    count = f"{len(sources)} source" if len(sources) == 1 else f"{len(sources)} sources"
    print(f"{path}: {count}, all valid")
    return 0
