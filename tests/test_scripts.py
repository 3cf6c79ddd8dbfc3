"""Lua scripts as package data: each loads through the one helper, runs against real Redis, and
ships in a non-editable install (pyproject's package-data covers its directory)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from jobs.scripts import load_script, script_source

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "jobs" / "lua"


def test_every_script_is_packaged():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["jobs"]
    scripts = sorted(LUA.glob("*.lua"))
    assert scripts
    for path in scripts:
        relative = path.relative_to(ROOT / "jobs").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
        assert script_source(path.stem).startswith("--")  # KEYS and ARGV described at the top


async def test_a_loaded_script_runs_by_sha_and_in_a_pipeline(redis):
    release = load_script(redis, "release_tokens")
    await redis.set("a", "mine")
    await redis.set("b", "theirs")
    assert await release(keys=["a", "b"], args=["mine"]) == 1
    assert await redis.get("b") == "theirs"
    await redis.set("a", "mine")
    async with redis.pipeline(transaction=False) as pipe:
        await release(keys=["a"], args=["mine"], client=pipe)
        assert await pipe.execute() == [1]
