"""Items from a fetch result: parse, then normalize. Redis-free, so the poller and
`newsbot preview` run the very same step and cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jobs.fetch import FetchResult
from jobs.models import Item
from jobs.normalize import normalize
from jobs.parse import parse
from jobs.sources import Source


@dataclass(slots=True)
class Extracted:
    items: list[Item] = field(default_factory=list)
    entries: int = 0  # entries the body listed, some of which normalization may have dropped
    ttl_seconds: float | None = None  # the feed's own <ttl> hint
    error: str = ""


def items_from(source: Source, result: FetchResult, when: datetime) -> Extracted:
    """A failed fetch or an unreadable body is an error, never an exception; `when` is the
    first-seen time every item gets (and the date of items that carry none)."""
    if not result.ok:
        return Extracted(error=result.error)
    parsed = parse(source, result.body, result.content_type)
    if parsed.error:
        return Extracted(error=parsed.error)
    items = [it for it in (normalize(source, e, when, result.url) for e in parsed.entries) if it]
    return Extracted(items, len(parsed.entries), parsed.ttl_seconds)
