"""Settings from the environment (names and defaults are a contract: README, "Configuration")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from telegram.constants import FloodLimit

from bot.redis_server import SENTINEL_SCHEMES, parse_sentinel_url

DEFAULT_API_URL = "https://api.telegram.org/bot"


class ConfigError(ValueError):
    pass


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(name: str, text: str) -> float:
    """'90', '90s', '45m', '3h', '1d' → seconds, at least one minute."""
    number, unit = (text[:-1], text[-1].lower()) if text[-1:].lower() in _UNITS else (text, "s")
    try:
        seconds = float(number) * _UNITS[unit]
    except ValueError:
        raise ConfigError(f"{name}: {text!r} is not a duration such as 3h, 45m or 600") from None
    if not 60 <= seconds <= 7 * 86400:
        raise ConfigError(f"{name}: {text!r} must be between 1 minute and 7 days")
    return seconds


@dataclass(frozen=True, slots=True)
class Settings:
    token: str = ""
    api_url: str = DEFAULT_API_URL
    redis_url: str = ""  # empty: embedded Redis in data_dir
    data_dir: Path = Path("./data")
    sources_file: Path | None = None  # None: the bundled catalogue
    admin_ids: frozenset[int] = frozenset()
    metrics_port: int = 9464
    metrics_host: str = "127.0.0.1"  # loopback: metrics are for the operator, not the internet
    prefix: str = "nb:"
    disable_after: int = 10  # consecutive errors before a source is disabled
    # Telegram's flood limits: per second to all chats (all instances together), per second to
    # one private chat, per minute to one group or channel
    rate_overall: float = float(FloodLimit.MESSAGES_PER_SECOND)
    rate_private: float = float(FloodLimit.MESSAGES_PER_SECOND_PER_CHAT)
    rate_group: float = float(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)
    rate_margin: float = 1.04  # sends spaced this much wider than the limits (jitter headroom)
    story_quiet: float = 3 * 3600.0  # a story with no report for this long takes no new ones
    live_interval: float = 120.0  # seconds between polls of a source added live
    allow_private_sources: bool = False  # live-added sources may be on private addresses

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        admins = _admin_ids(env.get("NEWSBOT_ADMIN_IDS", ""))
        port_text = env.get("NEWSBOT_METRICS_PORT", "9464").strip() or "9464"
        if not port_text.isdigit() or int(port_text) > 65535:
            raise ConfigError(f"NEWSBOT_METRICS_PORT: {port_text!r} is not a port number (0 turns it off)")
        disable_text = env.get("NEWSBOT_DISABLE_AFTER", "10").strip() or "10"
        if not disable_text.isdigit() or int(disable_text) < 1:
            raise ConfigError(f"NEWSBOT_DISABLE_AFTER: {disable_text!r} is not a whole number >= 1")
        rates, margin = _rates(env)
        story_quiet = _duration("NEWSBOT_STORY_QUIET", env.get("NEWSBOT_STORY_QUIET", "").strip() or "3h")
        sources = env.get("NEWSBOT_SOURCES", "").strip()
        api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise ConfigError(f"TELEGRAM_API_URL: {api_url!r} must start with http:// or https://")
        redis_url = env.get("REDIS_URL", "").strip()
        if redis_url.startswith(SENTINEL_SCHEMES):
            try:
                parse_sentinel_url(redis_url)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_url=api_url,
            redis_url=redis_url,
            data_dir=Path(env.get("NEWSBOT_DATA_DIR", "").strip() or "./data"),
            sources_file=Path(sources) if sources else None,
            admin_ids=admins,
            metrics_port=int(port_text),
            metrics_host=env.get("NEWSBOT_METRICS_HOST", "").strip() or "127.0.0.1",
            prefix=env.get("NEWSBOT_REDIS_PREFIX", "").strip() or "nb:",
            disable_after=int(disable_text),
            rate_overall=rates["NEWSBOT_RATE_OVERALL"],
            rate_private=rates["NEWSBOT_RATE_PRIVATE"],
            rate_group=rates["NEWSBOT_RATE_GROUP"],
            rate_margin=margin,
            story_quiet=story_quiet,
            live_interval=_live_interval(env.get("NEWSBOT_LIVE_INTERVAL", "").strip() or "120"),
            allow_private_sources=_flag("NEWSBOT_ALLOW_PRIVATE_SOURCES", env.get("NEWSBOT_ALLOW_PRIVATE_SOURCES", "")),
        )

    @property
    def file_api_url(self) -> str:
        """Bot API file URL that goes with api_url (…/bot → …/file/bot)."""
        base = self.api_url
        if base.endswith("/bot"):
            return base[: -len("bot")] + "file/bot"
        return base.rstrip("/") + "/file/bot"


def _live_interval(text: str) -> float:
    """Seconds between polls of a source added live (`/source add`, `newsbot sources import`)."""
    try:
        seconds = float(text)
    except ValueError:
        raise ConfigError(f"NEWSBOT_LIVE_INTERVAL: {text!r} is not a number of seconds") from None
    if not 1 <= seconds <= 86400:
        raise ConfigError(f"NEWSBOT_LIVE_INTERVAL: {text!r} must be between 1 and 86400 seconds")
    return seconds


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def _flag(name: str, text: str) -> bool:
    """'1'/'true'/'yes'/'on' or '0'/'false'/'no'/'off'/unset; anything else is a mistake worth
    stopping for, since a typo must not silently leave a safety check off (or on)."""
    value = text.strip().lower()
    if value not in _TRUE + _FALSE:
        raise ConfigError(f"{name}: {text!r} is not 1 or 0 (true/false, yes/no, on/off)")
    return value in _TRUE


def _admin_ids(text: str) -> frozenset[int]:
    admins: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            admins.add(int(part))
        except ValueError:
            raise ConfigError(f"NEWSBOT_ADMIN_IDS: {part!r} is not a numeric Telegram user id") from None
    return frozenset(admins)


def _rates(env: Mapping[str, str]) -> tuple[dict[str, float], float]:
    """The send rates (Telegram's own flood limits unless overridden) and the spacing margin."""
    rates: dict[str, float] = {}
    for name, default in (
        ("NEWSBOT_RATE_OVERALL", float(FloodLimit.MESSAGES_PER_SECOND)),
        ("NEWSBOT_RATE_PRIVATE", float(FloodLimit.MESSAGES_PER_SECOND_PER_CHAT)),
        ("NEWSBOT_RATE_GROUP", float(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)),
    ):
        text = env.get(name, "").strip()
        try:
            rates[name] = float(text) if text else default
        except ValueError:
            raise ConfigError(f"{name}: {text!r} is not a number") from None
        if not 0 < rates[name] <= 10_000:
            raise ConfigError(f"{name}: {text!r} must be above 0")
    margin_text = env.get("NEWSBOT_RATE_MARGIN", "").strip()
    try:
        margin = float(margin_text) if margin_text else 1.04
    except ValueError:
        raise ConfigError(f"NEWSBOT_RATE_MARGIN: {margin_text!r} is not a number") from None
    if not 1.0 <= margin <= 2.0:
        raise ConfigError(f"NEWSBOT_RATE_MARGIN: {margin_text!r} must be between 1.0 and 2.0")
    return rates, margin
