"""The eight region names of the contract, and the words people type for them."""

from __future__ import annotations

import re
from functools import cache

from jobs.arabic import fold_arabic

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
# Arabic names, as users type them; stored folded (jobs.arabic), so "فلسطين" with or without
# hamza or diacritics finds the same entry. "غزة" stays a keyword, as Arabic tickers name Gaza
# for the strip and the city alike.
_ARABIC_ALIASES: dict[str, str] = {
    "فلسطين": "Palestine",
    "دولة فلسطين": "Palestine",
    "الأراضي الفلسطينية": "Palestine",
    "الأراضي الفلسطينية المحتلة": "Palestine",
    "الضفة الغربية": "Palestine",
    "الشرق الأوسط": "MENA",
    "الشرق الأوسط وشمال أفريقيا": "MENA",
    "الشرق الاوسط وشمال افريقيا": "MENA",
    "شمال أفريقيا": "MENA",
    "شمال إفريقيا": "MENA",
    "العالم العربي": "MENA",
    "الوطن العربي": "MENA",
    "الخليج": "MENA",
    "الخليج العربي": "MENA",
    "المشرق": "MENA",
    "أوروبا": "Europe",
    "أوربا": "Europe",
    "الاتحاد الأوروبي": "Europe",
    "أفريقيا": "Africa",
    "إفريقيا": "Africa",
    "آسيا": "Asia",
    "آسيا والمحيط الهادئ": "Asia-Pacific",
    "آسيا والمحيط الهادي": "Asia-Pacific",
    "آسيا المحيط الهادئ": "Asia-Pacific",
    "أوقيانوسيا": "Asia-Pacific",
    "المحيط الهادئ": "Asia-Pacific",
    "أمريكا اللاتينية": "Latin America",
    "أميركا اللاتينية": "Latin America",
    "أمريكا الجنوبية": "Latin America",
    "أميركا الجنوبية": "Latin America",
    "أمريكا الوسطى": "Latin America",
    "الكاريبي": "Latin America",
    "الولايات المتحدة وكندا": "US & Canada",
    "أمريكا وكندا": "US & Canada",
    "أميركا وكندا": "US & Canada",
    "الولايات المتحدة": "US & Canada",
    "أمريكا الشمالية": "US & Canada",
    "أميركا الشمالية": "US & Canada",
    "أمريكا": "US & Canada",
    "أميركا": "US & Canada",
    "كندا": "US & Canada",
}


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", " ", fold_arabic(text.strip().lstrip("#").casefold()))


_ALIASES.update((_fold(name), region) for name, region in _ARABIC_ALIASES.items())


@cache
def regions_of(value: str) -> tuple[str, ...]:
    """The contract regions a gazetteer entry stands for. Most name one; a few name two, written
    "MENA, Palestine" (Israel: the Middle East, and the reference site's "occupied Palestine") or
    "Asia, Asia-Pacific" (East and mainland South-East Asia, which outlets file under either),
    because a reader of either section expects that news and a missing section hides it."""
    return tuple(part.strip() for part in value.split(",")) if value else ()


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
