"""Lua scripts live in `jobs/lua/<name>.lua` (package data), one file each with its KEYS and
ARGV described at its top, so a script reads as Lua and no module builds one in a string.
Every key a script touches is passed in KEYS, never built inside Lua from a prefix."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from redis.asyncio import Redis
from redis.commands.core import AsyncScript


@cache
def script_source(name: str) -> str:
    """Read once per process: scripts are registered by every instance of their users."""
    return (files("jobs") / "lua" / f"{name}.lua").read_text(encoding="utf-8")


def load_script(redis: Redis, name: str, library: str = "") -> AsyncScript:
    """redis-py's script object for `jobs/lua/<name>.lua`: called with keys= and args= (and
    client= inside a pipeline), it runs by SHA and loads itself when Redis lacks it. `library`
    names a file of local functions several scripts share, put before the script's own text."""
    return redis.register_script((script_source(library) + "\n" if library else "") + script_source(name))
