"""`newsbot check-sources` promises every problem at once: a duplicate id is reported even when
that entry has another error too; and a one-source catalogue is "1 source"."""

from __future__ import annotations

from test_cli import newsbot


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
