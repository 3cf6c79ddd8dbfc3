"""Turning fetched bytes into RawEntry lists, by the source's kind (jobs/kinds). Parsers never
raise on hostile input; whatever they miss costs one poll, reported as an error string."""

from __future__ import annotations

import logging

from jobs.kinds import ParseResult, kind_of
from jobs.sources import Source

log = logging.getLogger(__name__)

MAX_ENTRIES = 500  # a source listing more than this is cut: nobody needs 10,000 alerts

__all__ = ["MAX_ENTRIES", "ParseResult", "parse"]


def parse(source: Source, body: bytes, content_type: str = "") -> ParseResult:
    try:
        result = kind_of(source).parse(source, body, content_type)
    except RecursionError:
        result = ParseResult(error="document nested too deeply")
    except Exception as exc:  # a parser bug must cost one poll, not the bot
        log.exception("parser failed on %s", source.id)
        result = ParseResult(error=f"parser failed: {type(exc).__name__}: {exc}"[:300])
    del result.entries[MAX_ENTRIES:]
    return result
