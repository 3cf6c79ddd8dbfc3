"""`newsbot check-sources` promises every problem at once: a duplicate id is reported even when
that entry has another error too; and a one-source catalogue is "1 source"."""

from __future__ import annotations

import pytest
from test_cli import newsbot

from jobs.kinds import find
from jobs.kinds.feed import Feed
from jobs.kinds.html_ticker import HtmlTicker
from jobs.kinds.json_ticker import JsonTicker
from jobs.sources import CatalogueError, parse_catalogue


def test_a_duplicate_with_another_error_is_still_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "sources:\n"
        "  - {id: a, name: x, kind: feed, url: 'https://x.org/'}\n"
        "  - {id: a, name: y, kind: feed, url: 'ftp://y.org/'}\n"
    )
    result = newsbot("check-sources", str(path))
    assert result.returncode == 1
    assert "http(s) URL" in result.stderr and "duplicate id 'a'" in result.stderr, result.stderr


def test_one_source_is_singular(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text("sources:\n  - {id: a, name: x, kind: feed, url: 'https://x.org/'}\n")
    result = newsbot("check-sources", str(path))
    assert result.returncode == 0 and "1 source, all valid" in result.stdout, result.stdout


def test_every_problem_of_one_entry_is_reported_with_its_place():
    text = (
        "sources:\n  - {id: a, name: x, kind: ticker, format: json, url: 'https://x.org/', interval: 60,"
        " max_interval: 30, regions: [Europe, Mars], breaking: 'yes', colour: red}\n"
    )
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "c.yaml")
    assert caught.value.problems == [
        "c.yaml: sources[0] (a): unknown key 'colour'",
        "c.yaml: sources[0] (a): max_interval must not be below interval",
        "c.yaml: sources[0] (a): breaking must be true or false",
        "c.yaml: sources[0] (a): regions[1]: unknown region 'Mars'",
        "c.yaml: sources[0] (a): a JSON ticker needs 'items' (dotted path to the list of items)",
    ]


def test_each_kind_and_format_has_one_class():
    assert find("feed", "html") is Feed and find("feed", "json") is Feed  # a feed's format is its own
    assert find("ticker", "html") is HtmlTicker and find("ticker", "json") is JsonTicker
    assert find("ticker", "xml") is None and find("rss", "html") is None


def test_missing_required_keys_are_reported_not_taken_as_empty():
    """A missing name or url used to pass (pydantic skips validators on defaults), so a SIGHUP
    could load a feed without a URL."""
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue("sources:\n  - {id: broken, kind: feed}\n  - {name: x, url: 'https://x.org/'}\n", "c.yaml")
    assert caught.value.problems == [
        "c.yaml: sources[0] (broken): 'name' is required",
        "c.yaml: sources[0] (broken): 'url' is required",
        "c.yaml: sources[1]: 'id' is required",
        "c.yaml: sources[1]: 'kind' is required",
    ]
