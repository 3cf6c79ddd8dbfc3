"""What every kind of source shares: the parser's result, the base class a kind extends, and
the pydantic schema of a kind's own catalogue keys, whose errors keep the catalogue's wording."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from jobs.models import RawEntry

if TYPE_CHECKING:
    from jobs.sources import Source


@dataclass(slots=True)
class ParseResult:
    entries: list[RawEntry] = field(default_factory=list)
    ttl_seconds: float | None = None  # the feed's own <ttl> hint
    error: str = ""
    title: str = ""  # the feed's own title: names a source added live


class Fields(BaseModel):
    """A kind's own catalogue keys. Strict (no 'yes' for true), blank or null text is "",
    surrounding spaces are dropped; other keys belong to other kinds or to every source."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> Any:
        if cls.model_fields[info.field_name].annotation not in (str, "str"):
            return value
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError(f"{info.field_name!r} must be a string")
        return value.strip()


def check_selector(selector: str, name: str) -> str:
    """A CSS selector selectolax accepts, else ValueError with the catalogue's message."""
    from selectolax.lexbor import LexborHTMLParser

    if selector:
        try:
            LexborHTMLParser("<html></html>").css(selector)
        except Exception as exc:  # selectolax raises several types for bad selectors
            raise ValueError(f"{name} {selector!r} is not a valid CSS selector: {exc}") from None
    return selector


class Kind:
    """One kind of source: the `kind:` (and `format:`) it answers to, its own keys, what it
    requires of an entry, and its parser. A new kind is a subclass in a module of its own and
    one line in jobs/kinds/__init__.py."""

    name: ClassVar[str]  # the catalogue's `kind:`
    format: ClassVar[str | None] = None  # the `format:` it serves; None: whatever it says
    fields: ClassVar[type[Fields]] = Fields
    # lines shown in place and edited there (a ticker): near-repeats are edits, not news
    edits_lines: ClassVar[bool] = False

    @classmethod
    def missing(cls, fields: Fields) -> list[str]:
        """What an entry of this kind must give beyond the keys every source has."""
        return []

    @classmethod
    def parse(cls, source: Source, body: bytes, content_type: str) -> ParseResult:
        raise NotImplementedError
