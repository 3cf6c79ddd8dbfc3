"""The command line as users and outside checks run it: real processes, real HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def newsbot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, env=env
    )


def test_check_sources_accepts_the_bundled_and_contract_examples(tmp_path):
    bundled = Path(__file__).parents[1] / "jobs" / "sources.yaml"
    assert newsbot("check-sources", str(bundled)).returncode == 0
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "sources:\n"
        "  - id: example-json-ticker\n    name: Example Breaking\n    kind: ticker\n    format: json\n"
        "    url: https://example.org/breaking.json\n    items: data.breaking.items\n    text: title\n"
        "    link: url\n    id: guid\n"
    )
    result = newsbot("check-sources", str(contract))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - id: Bad Id\n    name: x\n    kind: feed\n    url: https://x.org/\n", "may only contain"),
        ("sources:\n  - id: a\n    name: x\n    kind: rss\n    url: https://x.org/\n", "kind must be"),
        ("sources:\n  - id: a\n    name: x\n    kind: feed\n    url: ftp://x.org/\n", "http(s) URL"),
        ("sources:\n  - id: a\n    name: x\n    kind: feed\n    url: https://x.org/\n    interval: 0\n", ">= 1"),
        ("sources:\n  - id: a\n    name: x\n    kind: ticker\n    url: https://x.org/\n", "needs 'selector'"),
        (
            "sources:\n  - id: a\n    name: x\n    kind: feed\n    url: https://x.org/\n    regions: [Mars]\n",
            "unknown region",
        ),
        (
            "sources:\n  - {id: a, name: x, kind: feed, url: 'https://x.org/'}\n  - {id: a, name: y, kind: feed, url: 'https://y.org/'}\n",
            "duplicate id",
        ),
        ("sources: [", "not valid YAML"),
        ("hello: 1\n", "'sources:' list"),
    ],
)
def test_check_sources_reports_each_problem(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = newsbot("check-sources", str(path))
    assert result.returncode == 1
    assert message in result.stderr


def test_check_sources_missing_file(tmp_path):
    result = newsbot("check-sources", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_tag_prints_regions_per_line():
    lines = [
        "Israeli strike kills 5 in Gaza City",
        "Israeli warplanes raid western Nabatieh",
        "",
        "Russian drones over Poland",
    ]
    result = newsbot("tag", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["regions"] for o in out] == [["Palestine"], ["MENA"], ["Europe"]]
    assert out[0]["text"] == lines[0] and isinstance(out[0]["categories"], list)


def test_cluster_adds_a_story_field_and_survives_garbage():
    stdin = '{"source": "a", "title": "Quake hits Chile"}\nnot json\n{"source": "b", "title": "Quake hits Chile"}\n'
    result = newsbot("cluster", stdin=stdin)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 2 and out[0]["story"] == out[1]["story"] and out[1]["source"] == "b"
    assert "not JSON" in result.stderr


def test_preview_polls_a_local_site(tmp_path, site):
    site.put("/", (DATA / "almayadeen_home.html").read_bytes())
    site.put(
        "/feed.xml",
        "<rss version='2.0'><channel><item><title>Quake hits Chile</title>"
        "<link>https://ex.org/q</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    catalogue = tmp_path / "s.yaml"
    catalogue.write_text(
        f"sources:\n  - id: tick\n    name: T\n    kind: ticker\n    url: {site.url('/')}\n"
        "    selector: '.ticker__item'\n    breaking: true\n"
        f"  - id: feed\n    name: F\n    kind: feed\n    url: {site.url('/feed.xml')}\n"
        f"  - id: dead\n    name: D\n    kind: feed\n    url: {site.url('/missing')}\n"
    )
    result = newsbot("preview", "--sources", str(catalogue), "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 11
    assert set(rows[0]) == {"source", "title", "url", "published", "regions", "categories", "breaking", "story"}
    nabatieh = next(r for r in rows if "Nabatieh" in r["title"])
    assert nabatieh["regions"] == ["MENA"] and nabatieh["breaking"] and nabatieh["url"] == ""
    assert rows[-1]["regions"] == ["Latin America"]
    assert "dead: HTTP 404" in result.stderr
    table = newsbot("preview", "--sources", str(catalogue))
    assert "Quake hits Chile" in table.stdout


def test_run_without_token_says_so():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    result = newsbot("run", env=env)
    assert result.returncode == 2 and "TELEGRAM_BOT_TOKEN" in result.stderr


def test_run_with_a_rejected_token_says_so(tmp_path, botapi, redis_url):
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "42:wrong-token-wrong-token-wrong",
        "TELEGRAM_API_URL": botapi.base_url,
        "REDIS_URL": redis_url,
        "NEWSBOT_METRICS_PORT": "0",
    }
    result = newsbot("run", env=env)
    assert result.returncode == 2 and "rejected" in result.stderr
    assert "wrong-token" not in result.stderr


def test_run_waits_out_an_unreachable_api_and_stops_cleanly(tmp_path, redis_url):
    from botprocess import free_port

    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "42:abcdefghijklmnopqrstuvwxyz",
        "REDIS_URL": redis_url,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}/bot",
        "NEWSBOT_METRICS_PORT": "0",
    }
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60  # a slow machine takes longer to say it; the bot must wait
    while time.monotonic() < deadline and not any("cannot reach the Bot API" in line for line in lines):
        time.sleep(0.2)
    time.sleep(2)  # and it keeps waiting after saying so
    assert proc.poll() is None, "".join(lines)  # still waiting, not crashed
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    reader.join(timeout=5)
    err = "".join(lines)
    assert proc.returncode == 0
    assert "cannot reach the Bot API" in err and "abcdefghijklmnopqrstuvwxyz" not in err


def test_json_logs_are_one_object_per_line_and_never_hold_the_token(tmp_path, redis_url):
    from botprocess import free_port

    token = "42:abcdefghijklmnopqrstuvwxyz"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "REDIS_URL": redis_url,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}/bot",
        "NEWSBOT_METRICS_PORT": "0",
        "NEWSBOT_LOG_FORMAT": "json",
    }
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    entries = [json.loads(line) for line in err.splitlines()]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    assert any("cannot reach the Bot API" in entry["message"] for entry in entries)
    assert token.split(":")[1] not in err


def test_log_formats_scrub_tokens_from_messages_and_tracebacks():
    import logging

    from bot.logs import JsonFormatter, RedactTokens, TextFormatter

    token = "123456:AAH-secret_secret_secret_secret"
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/sendMessage failed")
    except RuntimeError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "calling %s", (f"/bot{token}/getMe",), sys.exc_info()
        )
    RedactTokens().filter(record)
    for formatter in (JsonFormatter(), TextFormatter()):
        line = formatter.format(record)
        assert "secret" not in line and "<token>" in line
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and "RuntimeError" in entry["exception"]
