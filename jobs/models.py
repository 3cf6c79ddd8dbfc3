"""The domain types that flow from a source to the stories stream."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from jobs.text import parse_iso


@dataclass(slots=True)
class RawEntry:
    """What a parser saw in a source, before any cleaning: kept loose on purpose so parsers stay
    thin and every rule about trusting source data lives in `normalize`."""

    title: str
    link: str = ""
    guid: str = ""
    published: datetime | None = None
    summary: str = ""
    categories: list[str] = field(default_factory=list)
    # whether title and summary are HTML (tags to strip, entities to decode) or plain text,
    # where "<live>" is part of the headline
    title_html: bool = True
    summary_html: bool = True
    image: str = ""  # the item's picture as the source gave it (maybe relative)


@dataclass(slots=True)
class Item:
    """One normalized news item; the unit that is deduplicated, classified and alerted."""

    source: str
    source_name: str
    key: str  # stable dedupe key (guid, else canonical link, else normalized text)
    title: str
    url: str
    published: datetime
    first_seen: datetime
    summary: str = ""
    guid: str = ""
    breaking: bool = False
    regions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    feed_categories: list[str] = field(default_factory=list)
    story: str = ""
    update: bool = False  # a later item of a known story that adds information (a reply)
    # a near-repeat of a known story: alerted only to chats that follow its source and were
    # not alerted to the story (a source's followers get every item of it)
    repeat: bool = False
    image: str = ""  # an absolute http(s) URL of its picture, sent as a photo; "" for none

    def to_json(self) -> str:
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["first_seen"] = self.first_seen.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Item:
        data = json.loads(raw)
        data["published"] = parse_iso(data["published"])
        data["first_seen"] = parse_iso(data["first_seen"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
