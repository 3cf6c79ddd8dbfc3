"""The eight region names of the contract, and the words people type for them."""

from __future__ import annotations

import re

REGIONS: tuple[str, ...] = (
    "Africa",
    "Asia",
    "Asia-Pacific",
    "Europe",
    "Latin America",
    "MENA",
    "Palestine",
    "US & Canada",
)

CATEGORIES: tuple[str, ...] = (
    "Politics",
    "Economy",
    "Sports",
    "Arts&Culture",
    "Health",
    "Technology",
    "Environment",
)

_ALIASES: dict[str, str] = {
    "middle east": "MENA",
    "middle east and north africa": "MENA",
    "mena": "MENA",
    "north africa": "MENA",
    "arab world": "MENA",
    "gulf": "MENA",
    "levant": "MENA",
    "asia pacific": "Asia-Pacific",
    "asiapacific": "Asia-Pacific",
    "apac": "Asia-Pacific",
    "oceania": "Asia-Pacific",
    "pacific": "Asia-Pacific",
    "latam": "Latin America",
    "latin america": "Latin America",
    "latinamerica": "Latin America",
    "south america": "Latin America",
    "central america": "Latin America",
    "caribbean": "Latin America",
    "us & canada": "US & Canada",
    "us and canada": "US & Canada",
    "us canada": "US & Canada",
    "uscanada": "US & Canada",
    "north america": "US & Canada",
    "usa": "US & Canada",
    "us": "US & Canada",
    "united states": "US & Canada",
    "america": "US & Canada",
    "canada": "US & Canada",
    "palestine": "Palestine",
    "palestinian territories": "Palestine",
    "occupied palestine": "Palestine",
    "gaza": "Palestine",
    "west bank": "Palestine",
    "europe": "Europe",
    "eu": "Europe",
    "africa": "Africa",
    "sub-saharan africa": "Africa",
    "asia": "Asia",
}


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lstrip("#").casefold())


def resolve_region(text: str) -> str | None:
    """Map what a user or a catalogue wrote to a canonical region, or None if it is not one."""
    folded = _fold(text)
    for region in REGIONS:
        if folded == region.casefold():
            return region
    return _ALIASES.get(folded) or _ALIASES.get(folded.replace("-", " "))


def region_hashtag(region: str) -> str:
    """Telegram hashtags stop at the first non-word character, so 'US & Canada' → #US_Canada."""
    return "#" + re.sub(r"\W+", "_", region).strip("_").replace("Asia_Pacific", "AsiaPacific")
