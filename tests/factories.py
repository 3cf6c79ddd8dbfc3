"""Items for tests and benches that start after normalization (matching, delivery, rendering)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jobs.models import Item


def make_item(title: str, key: str = "k", **fields: Any) -> Item:
    """An item published and first seen now; its story is its key unless given."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "source": "s",
        "source_name": "S",
        "key": key,
        "title": title,
        "url": "",
        "published": now,
        "first_seen": now,
        "story": key,
    }
    return Item(**{**values, **fields})
