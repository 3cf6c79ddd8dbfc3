"""What Redis holds besides key names (those are `jobs.keys.Keys`): stream entries, claim values,
held references and the chat-hash fields several modules share, each written and read here
only, so a format changes in one place (as arq keeps a job's wire format in `jobs.py`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from jobs.models import Item

# A (chat, story) claim's value, and an update's: a send under way (expires with SENDING_TTL), an
# alert held for quiet hours or a digest, or else the message id of the alert Telegram accepted.
CLAIM_SENDING = "sending"
CLAIM_HELD = "held"
# after the message id: the alert went out with a picture ("123p"), so its updates go as text
CLAIM_PHOTO = "p"


def claim_message_id(value: str | None) -> int | None:
    """The alert's message id when the claim holds one: later reports reply to it."""
    if value is not None and value.endswith(CLAIM_PHOTO):
        value = value[: -len(CLAIM_PHOTO)]
    return int(value) if value is not None and value.isdigit() else None


def claim_value(message_id: int, photo: bool) -> str:
    """What a claim keeps once Telegram accepted the alert: its message id, marked when it
    carried a picture (one picture per story's thread)."""
    return f"{message_id}{CLAIM_PHOTO}" if photo else str(message_id)


def claim_has_photo(value: str | None) -> bool:
    return claim_message_id(value) is not None and value is not None and value.endswith(CLAIM_PHOTO)


class ChatField:
    """Fields of a chat's settings hash that modules other than `bot.subscriptions` touch."""

    ACTIVE = "active"  # "0" once the chat blocked or removed us
    THREAD = "thread"  # the forum topic alerts go to (message_thread_id); absent or 0: General
    INACTIVE_REASON = "inactive_reason"
    LAST_DIGEST = "last_digest"  # when its last summary of held alerts went out (epoch s)


def _flag(value: str | None) -> bool:
    return value == "1"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One alert for one chat in the outbox stream: fan-out writes it, delivery reads it."""

    chat: int
    story: str
    item: str  # the item's key; a story's first item has the story's key
    update: bool = False  # a later report of the story: a reply to its alert
    breaking: bool = False
    repeat: bool = False  # a near-repeat, for a source's follower: only if the story is new to it
    image: str = ""  # the item's picture (an http(s) URL): sent as a photo where the chat wants it

    def to_fields(self) -> dict[str, str | int]:
        fields: dict[str, str | int] = {
            "chat": self.chat,
            "story": self.story,
            "item": self.item,
            "update": int(self.update),
            "breaking": int(self.breaking),
        }
        if self.repeat:
            fields["repeat"] = 1
        if self.image:  # most entries have none: not a byte spent on them
            fields["image"] = self.image
        return fields

    @classmethod
    def from_fields(cls, fields: dict[str, str] | None) -> OutboxEntry:
        """Raises ValueError for an entry that names no chat or no story."""
        fields = fields or {}
        try:
            chat, story = int(fields["chat"]), fields["story"]
        except (KeyError, ValueError) as exc:
            raise ValueError(f"malformed outbox entry: {exc}") from exc
        return cls(
            chat=chat,
            story=story,
            item=fields.get("item") or story,
            update=_flag(fields.get("update")),
            breaking=_flag(fields.get("breaking")),
            repeat=_flag(fields.get("repeat")),
            image=fields.get("image") or "",
        )

    def for_chat(self, chat: int) -> OutboxEntry:
        """The same alert for the supergroup a group became."""
        return replace(self, chat=chat)

    @classmethod
    def of_item(cls, item: Item, chat: int) -> OutboxEntry:
        return cls(
            chat=chat,
            story=item.story,
            item=item.key,
            update=item.update,
            breaking=item.breaking,
            repeat=item.repeat,
            image=item.image,
        )


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One published item in the stories stream, as JSON (the same text as its `item` key)."""

    item_json: str

    def to_fields(self) -> dict[str, str]:
        return {"item": self.item_json}

    @classmethod
    def from_fields(cls, fields: dict[str, str] | None) -> StoryEntry:
        """Raises ValueError for an entry without an item."""
        if not fields or "item" not in fields:
            raise ValueError("stories entry without an item")
        return cls(fields["item"])

    def item(self) -> Item:
        return Item.from_json(self.item_json)


@dataclass(frozen=True, slots=True)
class HeldRef:
    """An alert waiting in a chat's held list: its story, and the item to show (or the story's
    first item once that item expired)."""

    story: str
    item: str

    def to_json(self) -> str:
        return json.dumps({"story": self.story, "item": self.item})

    @classmethod
    def from_json(cls, raw: str) -> HeldRef:
        data = json.loads(raw)
        return cls(story=data["story"], item=data["item"])


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An alert given up on, kept in the dead-letter stream for a person to look at."""

    chat: int
    story: str
    reason: str

    def to_fields(self) -> dict[str, str | int]:
        return {"chat": self.chat, "story": self.story, "reason": self.reason[:500]}
