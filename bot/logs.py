"""Logging set-up. The bot token is in every Bot API URL, and httpx logs URLs: anything
token-shaped is scrubbed from every line, whichever library wrote it and whatever the format.

NEWSBOT_LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, and the
exception if any) for log collectors; the default is plain text for people."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_secrets: set[str] = set()


def scrub(secret: str) -> None:
    """Never log this exact value either (the configured TELEGRAM_BOT_TOKEN): a token of an
    unusual shape, or one a library wrote in pieces (the part after the colon), slips past the
    pattern above."""
    secret = secret.strip()
    if len(secret) >= 6:
        _secrets.add(secret)
        _, _, tail = secret.partition(":")
        if len(tail) >= 6:
            _secrets.add(tail)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):  # the whole token before its tail
        if secret in text:
            text = text.replace(secret, "<token>")
    return _TOKEN.sub("<token>", text)


class RedactTokens(logging.Filter):
    """Scrubs the message before any handler sees it (a record may reach several)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg = clean
            record.args = ()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))  # tracebacks too: an exception may quote a URL


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return redact(json.dumps(entry, ensure_ascii=False))


def setup_logging() -> None:
    level = os.environ.get("NEWSBOT_LOG_LEVEL", "INFO").upper()
    handler = logging.StreamHandler()
    json_lines = os.environ.get("NEWSBOT_LOG_FORMAT", "").strip().lower() == "json"
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
