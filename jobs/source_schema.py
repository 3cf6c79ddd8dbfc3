"""The catalogue keys every source has, as a pydantic schema, and the validation of one entry:
these common keys, then each kind's own (jobs/kinds), every problem collected at once in the
catalogue's wording so `newsbot check-sources` tells an operator all of them in one pass."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, ValidationError, ValidationInfo, field_validator

from jobs.kinds import KINDS, Fields, find, format_names, kind_names
from jobs.regions import resolve_region

_ID_RE = re.compile(r"^[a-z0-9-]+$")
_URL_RE = re.compile(r"^https?://[^\s/]+")
DEFAULT_FORMAT = "html"  # a ticker that names no format is a web page


def _region(raw: Any) -> str:
    region = resolve_region(raw) if isinstance(raw, str) else None
    if region is None:
        raise ValueError(f"unknown region {raw!r}")
    return region


def _choices(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


class SourceFields(Fields):
    # defaults validated too: a missing id, name, kind or url is reported, not taken as ""
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, validate_default=True)

    id: str = ""
    name: str = ""
    kind: str = ""
    url: str = ""
    format: str = DEFAULT_FORMAT
    interval: float = 300.0
    max_interval: float = 0.0  # 0: derived from interval
    breaking: bool = False
    enabled: bool = True
    regions: tuple[Annotated[str, BeforeValidator(_region)], ...] = ()
    categories: tuple[str, ...] = ()

    @field_validator("id", "name", "kind", "url")
    @classmethod
    def _required(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError(f"{info.field_name!r} is required")
        if info.field_name == "id" and not _ID_RE.match(value):
            raise ValueError(f"id {value!r} may only contain a-z, 0-9 and '-'")
        if info.field_name == "kind" and value not in kind_names():
            raise ValueError(f"kind must be {_choices(kind_names())}, not {value!r}")
        if info.field_name == "url" and not _URL_RE.match(value):
            raise ValueError(f"url must be an http(s) URL, not {value!r}")
        return value

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value and value not in format_names():
            raise ValueError(f"format must be {_choices(format_names())}, not {value!r}")
        return value or DEFAULT_FORMAT

    @field_validator("interval", "max_interval", mode="before")
    @classmethod
    def _seconds(cls, value: Any, info: ValidationInfo) -> float:
        minimum = 1 if info.field_name == "interval" else 0
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{info.field_name} must be a number of seconds, not {value!r}")
        if value < minimum:
            raise ValueError(f"{info.field_name} must be >= {minimum:g}, not {value!r}")
        interval = info.data.get("interval")  # validated first: declared first
        if info.field_name == "max_interval" and value and interval is not None and value < interval:
            raise ValueError("max_interval must not be below interval")
        return float(value)

    @field_validator("breaking", "enabled", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: ValidationInfo) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{info.field_name} must be true or false")
        return value

    @field_validator("regions", mode="before")
    @classmethod
    def _region_list(cls, value: Any) -> tuple[Any, ...]:
        if not value:
            return ()
        if not isinstance(value, list):
            raise ValueError("regions must be a list")
        return tuple(value)

    @field_validator("regions")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("categories", mode="before")
    @classmethod
    def _names(cls, value: Any) -> tuple[str, ...]:
        if not value:
            return ()
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise ValueError("categories must be a list of names")
        return tuple(value)


def known_keys() -> set[str]:
    return set(SourceFields.model_fields).union(*(cls.fields.model_fields for cls in KINDS))


def problems(exc: ValidationError) -> list[str]:
    """pydantic's errors in the catalogue's wording; an item of a list is located by index."""
    out: list[str] = []
    for err in exc.errors():
        loc = err["loc"]
        where = f"{loc[0]}[{loc[1]}]: " if len(loc) > 1 and isinstance(loc[1], int) else ""
        if err["type"] == "value_error":
            out.append(where + str(err["ctx"]["error"]))
        else:
            out.append(f"{'.'.join(map(str, loc)) or 'entry'}: {err['msg']}")
    return out


def _validated(model: type[Fields], entry: dict[str, Any], errs: list[str]) -> Fields | None:
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        errs.extend(problems(exc))
        return None


def validate_entry(entry: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The entry's values (common keys and every kind's), or None and every problem found.
    Each kind's own keys are checked whatever the entry's kind, as they always were; what a
    kind requires is asked of the entry's kind only."""
    errs = [f"unknown key {key!r}" for key in sorted(set(entry) - known_keys(), key=str)]
    common = _validated(SourceFields, entry, errs)
    own: dict[type[Fields], Fields | None] = {}
    for cls in KINDS:
        if cls.fields not in own:
            own[cls.fields] = _validated(cls.fields, entry, errs)
    kind, fmt = entry.get("kind"), entry.get("format") or ""
    serving = None
    if isinstance(kind, str) and isinstance(fmt, str):
        serving = find(kind.strip(), fmt.strip() or DEFAULT_FORMAT)
    if serving is not None and own[serving.fields] is not None:
        errs.extend(serving.missing(own[serving.fields]))
    if errs or common is None:
        return None, errs
    values = common.model_dump()
    for fields in own.values():
        values.update(fields.model_dump() if fields is not None else {})
    return values, []
