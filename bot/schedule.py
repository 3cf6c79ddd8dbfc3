"""When a chat wants its alerts: quiet hours and digests in the chat's own timezone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import N_, UserError

DIGEST_PERIODS = {"off": 0, "hourly": 3600, "daily": 86400}
_QUIET = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)?\s*[-–—]\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)?\s*$")


class ScheduleError(UserError):
    """Why a quiet-hours or timezone argument was refused: a capitalised sentence without a
    final stop or an example, since the command adds its own example after it."""


def parse_quiet(text: str) -> tuple[int, int]:
    """'23:00-07:00' → minutes after midnight (1380, 420)."""
    match = _QUIET.match(text or "")
    if not match:
        raise ScheduleError(N_("Give quiet hours as HH:MM-HH:MM"))
    h1, m1, h2, m2 = match.groups()
    start, end = int(h1) * 60 + int(m1 or 0), int(h2) * 60 + int(m2 or 0)
    if start == end:
        raise ScheduleError(N_("Quiet hours cannot start and end at the same time"))
    return start, end


def parse_timezone(text: str) -> str:
    name = (text or "").strip()
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        raise ScheduleError(N_("Give an IANA timezone name (Region/City, or UTC)"))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(
            N_("Unknown timezone {name} (IANA names are Region/City, or UTC)"), name=name[:64]
        ) from None
    return name


def local_minutes(now: float, tz: str) -> int:
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = ZoneInfo("UTC")
    local = datetime.fromtimestamp(now, UTC).astimezone(zone)
    return local.hour * 60 + local.minute


def in_quiet_hours(now: float, tz: str, start: int, end: int) -> bool:
    if start < 0 or end < 0:
        return False
    minute = local_minutes(now, tz)
    return start <= minute < end if start < end else minute >= start or minute < end


def digest_due(now: float, last: float, mode: str) -> bool:
    period = DIGEST_PERIODS.get(mode, 0)
    return period == 0 or now - last >= period
