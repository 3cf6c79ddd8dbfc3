"""The monitoring files against the bot they watch: every PromQL expression of the Grafana
dashboard names only metrics (and labels) that the bot's real /metrics endpoint exports, wired
as `newsbot run` wires it; Prometheus scrapes where compose runs the bot; Grafana is provisioned
with the datasource and the dashboards folder the dashboard and compose.yaml refer to."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.app import count_poll, start_metrics
from bot.config import Settings
from bot.metrics import Metrics
from jobs.keys import Keys
from jobs.models import Item
from jobs.poller import PollReport

ROOT = Path(__file__).resolve().parents[1]
MONITORING = ROOT / "monitoring"
DASHBOARD = MONITORING / "grafana" / "dashboards" / "newsbot.json"

# PromQL words that are neither metrics nor labels
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
MATCHERS = re.compile(r"\{([^}]*)\}")
LABEL_IN_MATCHER = re.compile(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")
IDENTIFIER = re.compile(r"(?<![\w:$.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()")


def parse_promql(expr: str) -> tuple[set[str], set[str]]:
    """(metric names, label names) an expression refers to. Enough PromQL for dashboards: strings,
    label matchers, ranges and grouping clauses are taken out, functions are the identifiers
    followed by "(", and every other identifier is a metric name."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    labels = {label for block in MATCHERS.findall(expr) for label in LABEL_IN_MATCHER.findall(block)}
    labels |= {name.strip() for _, names in GROUPING.findall(expr) for name in names.split(",") if name.strip()}
    expr = GROUPING.sub(" ", MATCHERS.sub(" ", re.sub(r"\[[^\]]*\]", " ", expr)))
    metrics = {name for name in IDENTIFIER.findall(expr) if name not in KEYWORDS}
    return metrics, labels


def panel_expressions(dashboard: dict) -> list[tuple[str, str]]:
    """(panel title, expr) for every query of every panel, rows' nested panels included."""
    found = []
    for panel in dashboard["panels"]:
        for inner in [panel, *panel.get("panels", [])]:
            found += [(inner["title"], t["expr"]) for t in inner.get("targets", [])]
    return found


def unknown_names(expressions: list[tuple[str, str]], exported: dict[str, set[str]]) -> list[str]:
    """What an expression names that the bot does not export, one line each."""
    problems = []
    for title, expr in expressions:
        metrics, labels = parse_promql(expr)
        problems += [f"{title}: metric {m} is not exported" for m in sorted(metrics - set(exported))]
        known = set().union(*(exported.get(m, set()) for m in metrics))
        problems += [f"{title}: label {label} is on none of {sorted(metrics)}" for label in sorted(labels - known)]
    return problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def scrape(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = data.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 200"), head
    return body


def exercise(metrics: Metrics) -> None:
    """One of every labelled series, through the code that counts them in the bot, so each family
    shows its samples and their labels (a labelled counter with no child exports no sample)."""
    now = datetime.now(UTC)
    item = Item("s1", "S1", "k1", "t", "https://x/1", published=now - timedelta(seconds=3), first_seen=now)
    for status in ("ok", "not-modified", "error", "disabled"):
        count_poll(metrics, "s1", PollReport("s1", status, alerted=[item] if status == "ok" else []))
    metrics.sends.labels(outcome="sent").inc()
    metrics.seen_to_sent.observe(1.0)


@pytest.fixture
async def exported(redis) -> dict[str, set[str]]:
    """Sample name → label names, from the real /metrics endpoint started by the bot's own
    start_metrics (so the Redis-read gauges are wired as in `newsbot run`)."""
    port = free_port()
    rt = SimpleNamespace(
        settings=Settings.from_env({"NEWSBOT_METRICS_PORT": str(port)}), redis=redis, keys=Keys(), metrics=Metrics()
    )
    exercise(rt.metrics)
    server = await start_metrics(rt)
    assert server is not None
    try:
        text = await scrape(port)
    finally:
        server.close()
    names: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            names.setdefault(sample.name, set()).update(sample.labels)
    return names


def test_the_dashboard_covers_what_operators_need():
    exprs = " ".join(expr for _, expr in panel_expressions(json.loads(DASHBOARD.read_text())))
    for needed in (
        'newsbot_sends_total{outcome="sent"}',  # alerts sent per second
        "newsbot_telegram_429_total",
        "newsbot_outbox_length",
        "newsbot_outbox_pending",
        "histogram_quantile(0.5, sum by (le) (rate(newsbot_published_to_seen_seconds_bucket",
        "histogram_quantile(0.95, sum by (le) (rate(newsbot_seen_to_sent_seconds_bucket",
        "sum by (source) (rate(newsbot_polls_total",
        "sum by (source) (rate(newsbot_poll_errors_total",
        'newsbot_polls_total{status="disabled"}',  # disabled sources
    ):
        assert needed in exprs, needed
    thresholds = [
        step["value"]
        for panel in json.loads(DASHBOARD.read_text())["panels"]
        if panel["title"].startswith("Alerts sent per second")
        for step in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
    ]
    assert 30 in thresholds  # the ceiling drawn against the rate


async def test_every_dashboard_query_names_metrics_and_labels_the_bot_exports(exported):
    assert {"newsbot_polls_total", "newsbot_seen_to_sent_seconds_bucket", "newsbot_outbox_pending"} <= set(exported)
    expressions = panel_expressions(json.loads(DASHBOARD.read_text()))
    assert len(expressions) >= 15
    assert unknown_names(expressions, exported) == []


async def test_a_misnamed_metric_or_label_is_caught(exported):
    """The check itself: names the bot does not export are reported, real ones are not."""
    wrong = [
        ("typo", 'sum by (source) (rate(newsbot_poll_error_total{status="error"}[5m]))'),
        ("suffix", "histogram_quantile(0.95, sum by (le) (rate(newsbot_seen_to_sent_seconds[5m])))"),
        ("label", "sum by (chat) (rate(newsbot_sends_total[$__rate_interval]))"),
        ("foreign", "up == 0 or process_cpu_seconds_total > 1"),
    ]
    assert unknown_names(wrong, exported) == [
        "typo: metric newsbot_poll_error_total is not exported",
        "typo: label source is on none of ['newsbot_poll_error_total']",
        "typo: label status is on none of ['newsbot_poll_error_total']",
        "suffix: metric newsbot_seen_to_sent_seconds is not exported",
        "suffix: label le is on none of ['newsbot_seen_to_sent_seconds']",
        "label: label chat is on none of ['newsbot_sends_total']",
        "foreign: metric process_cpu_seconds_total is not exported",
        "foreign: metric up is not exported",
    ]
    right = [("ok", "count(sum by (source) (increase(newsbot_polls_total{status='x'}[15m])) > 0) or vector(0)")]
    assert unknown_names(right, exported) == []


def test_prometheus_scrapes_the_bot_where_compose_runs_it():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    prometheus = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    port = Settings.from_env({}).metrics_port
    jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}
    assert jobs["newsbot"]["static_configs"][0]["targets"] == [f"bot:{port}"]
    assert jobs["newsbot-poller"]["dns_sd_configs"][0] == {
        "names": ["poller"],
        "type": "A",
        "port": port,
        "refresh_interval": "30s",
    }
    for name in ("bot", "poller"):  # both listen beyond their own loopback, on the default port
        env = compose["services"][name]["environment"]
        assert env["NEWSBOT_METRICS_HOST"] == "0.0.0.0" and "NEWSBOT_METRICS_PORT" not in env
    service = compose["services"]["prometheus"]
    assert service["profiles"] == ["monitoring"]
    assert "./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in service["volumes"]


def test_grafana_is_provisioned_with_the_dashboards_datasource_and_folder():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    grafana = compose["services"]["grafana"]
    assert grafana["profiles"] == ["monitoring"]
    mounts = dict(volume.split(":")[:2] for volume in grafana["volumes"] if volume.startswith("./"))
    provisioning = ROOT / "monitoring" / "grafana" / "provisioning"
    assert mounts["./monitoring/grafana/provisioning"] == "/etc/grafana/provisioning"
    datasources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"]
    providers = yaml.safe_load((provisioning / "dashboards" / "newsbot.yml").read_text())["providers"]
    assert mounts["./monitoring/grafana/dashboards"] == providers[0]["options"]["path"]
    assert datasources[0]["url"] == "http://prometheus:9090" and datasources[0]["type"] == "prometheus"
    uids = {
        target["datasource"]["uid"]
        for panel in json.loads(DASHBOARD.read_text())["panels"]
        for target in panel.get("targets", [])
    }
    assert uids == {datasources[0]["uid"]}


def test_compose_commands_do_not_need_the_token():
    """`docker compose down` or `logs` must work without TELEGRAM_BOT_TOKEN: no variable is
    required (`${VAR:?}`) by compose itself; the bot refuses to start without it instead."""
    text = (ROOT / "compose.yaml").read_text()
    assert ":?" not in text and "${TELEGRAM_BOT_TOKEN:-}" in text
