"""The bot's languages: gettext catalogues managed by Babel (bot/locale/<lang>/LC_MESSAGES/
newsbot.po), compiled in memory from the `.po` the first time a language is used, so an
editable install, a wheel and the Docker image all translate without a build step that could
be skipped. English is the source language: its texts are the message ids themselves.

The language of the update being handled lives in a context variable set once per update
(`bot.commands.language.pick`), so handlers call `_()` without passing it around; delivery,
which runs outside any update, passes the chat's language explicitly."""

from __future__ import annotations

import functools
import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "newsbot"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"
LANGUAGES = ("en", "ar")  # the ones /language accepts and the command menu is published in
NAMES = {"en": "English", "ar": "العربية"}

_current: ContextVar[str] = ContextVar("newsbot_language", default=DEFAULT)


def N_(message: str) -> str:
    """Mark a module-level text for extraction; it is translated where it is shown, since the
    language is only known then."""
    return message


def language_of(code: str | None) -> str:
    """One of LANGUAGES from Telegram's IETF tag ("ar", "ar-EG", "en-US"); anything else is
    English, the language every text exists in."""
    base = (code or "").replace("_", "-").split("-", 1)[0].casefold()
    return base if base in LANGUAGES else DEFAULT


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalogue of `language` (fuzzy entries left out, as pybabel compile does);
    English and a missing catalogue pass texts through unchanged."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT or not path.is_file():
        return gettext_module.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def current() -> str:
    """The language of the update being handled (English outside one)."""
    return _current.get()


def set_current(language: str) -> None:
    """Set for the rest of this update's handling (each update runs in its own task)."""
    _current.set(language_of(language))


@contextmanager
def using(language: str) -> Iterator[None]:
    """Texts rendered inside the block are in `language` (delivery: the chat's)."""
    token = _current.set(language_of(language))
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, language: str | None = None) -> str:
    """`message` in `language`, or else in the current update's language."""
    return translations(language or _current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    """The plural form `n` takes in `language` (Arabic has six)."""
    return translations(language or _current.get()).ngettext(singular, plural, n)


_ = gettext


class UserError(ValueError):
    """A refusal whose message is shown to the user: raised with its English template and
    values, so that `str()` (logs, English replies) stays as it was and `translated()` gives
    it in the current update's language."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values

    def translated(self) -> str:
        """The message in the current update's language."""
        return gettext(self.template).format(**self.values)
