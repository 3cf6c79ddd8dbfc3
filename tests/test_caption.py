"""A photo's caption: the alert clipped to Telegram's 1,024 characters as Telegram counts them
(after parsing the HTML, in UTF-16 code units), still HTML Telegram's parser accepts. The
stand-in's parser (tests/telegram_html.py) is the judge."""

from __future__ import annotations

import pytest
from factories import make_item
from telegram_html import parse_html, telegram_length

from bot.html_clip import clip_html
from bot.html_clip import telegram_length as our_length
from bot.render import render_alert, render_caption

LIMIT = 1024


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("🔥" * 400, "Residents fled. " * 10),  # a 400-character headline: 800 units
        ("Doha & Cairo <live> " * 40, "Tom & Jerry's <b>not bold</b> " * 10),  # entities: 1 shown, 5 written
        ("Short headline " * 20, "😀" * 300),
        ("A" * 600, "B" * 300),
    ],
    ids=["emoji-title", "entities", "emoji-summary", "long-ascii"],
)
def test_a_long_alert_becomes_a_caption_telegram_accepts(title, summary):
    item = make_item(
        title,
        summary=summary,
        source_name="Wire <Breaking> & Co " * 6,
        url="https://news.example/a?x=1&y=2",
        regions=["Palestine", "US & Canada"],
        breaking=True,
    )
    assert telegram_length(parse_html(render_alert(item))) > LIMIT  # else the test proves nothing
    caption = render_caption(item)
    shown = parse_html(caption)  # valid: no tag cut, none left open, no entity cut
    assert telegram_length(shown) <= LIMIT
    assert our_length(caption) == telegram_length(shown)
    assert "…" in shown and "#Palestine #US_Canada" in shown and shown.endswith("Read more")
    assert 'href="https://news.example/a?x=1&amp;y=2"' in caption


def test_a_caption_that_fits_is_the_alert_itself():
    item = make_item("Quake hits Tokyo", summary="A 6.1 quake", url="https://news.example/q")
    assert render_caption(item) == render_alert(item)


def test_a_cut_never_splits_a_tag_or_an_entity_and_closes_what_is_open():
    html = "<b>bold <i>both &amp; more</i></b> tail"
    for limit in range(1, our_length(html)):
        clipped = clip_html(html, limit)
        shown = parse_html(clipped)
        assert telegram_length(shown) <= limit and shown.endswith("…"), (limit, clipped)
    assert clip_html(html, 12) == "<b>bold <i>both &amp;…</i></b>"
    assert clip_html(html, 15) == "<b>bold <i>both &amp;…</i></b>"  # whole words: not "both & m…"
    assert clip_html("<b>" + "x" * 50 + "</b>", 10) == "<b>" + "x" * 9 + "…</b>"  # no space near: cut anyway
    assert clip_html(html, our_length(html)) == html
