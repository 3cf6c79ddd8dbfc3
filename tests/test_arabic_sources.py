"""Arabic sources from bundled fixtures (a right-to-left ticker page with diacritics, tatweel,
bidi marks and Arabic-Indic digits; an Arabic RSS feed) through the real parse → normalize →
tag steps, and the whole bot as a process alerting Arabic keyword and region chats."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from botapi import BotApi
from botprocess import bot_logs, start_bot, stop_bot, ticker_catalogue, ticker_page, wait_until
from newssite import Site

from jobs.classify import default_classifier
from jobs.models import Item
from jobs.normalize import normalize
from jobs.parse import parse
from jobs.sources import Source
from jobs.text import fold_text

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def source(**kw: object) -> Source:
    base = {"id": "s", "name": "S", "kind": "ticker", "url": "https://ar.site.example/", "selector": ".ticker__item"}
    return Source(**{**base, **kw})


def items_of(src: Source, fixture: str) -> list[Item]:
    result = parse(src, (DATA / fixture).read_bytes())
    assert not result.error, result.error
    normalized = [normalize(src, entry, NOW) for entry in result.entries]
    return [default_classifier().apply(item) for item in normalized if item is not None]


def test_arabic_ticker_page_lines_breaking_and_regions() -> None:
    items = items_of(source(), "almayadeen_ar_home.html")
    assert len(items) == 8
    assert [i.breaking for i in items][:3] == [True, False, True]  # "عاجل |" and "خبر عاجل:"
    assert items[0].title.startswith("مراسل الميادين في غزة")
    assert items[2].title.startswith("ارتفاع عدد الشهداء")
    assert [i.regions for i in items] == [
        ["Palestine"],  # مواصي خان يونس
        ["MENA"],  # عيترون, with diacritics
        ["Palestine"],  # قطاع غزة
        ["MENA"],  # the Yemeni armed forces, the Red Sea
        [
            "MENA",
            "Palestine",
        ],  # the Islamic Resistance in Lebanon and the occupation's soldiers (actors: no place named)
        ["Palestine"],  # مخيـــم جنين, stretched with tatweel
        ["Europe"],  # موسكو
        [],  # "صور": pictures, not Tyre
    ]
    assert "3 صواريخ" in fold_text(items[3].title)  # Persian digits fold to ASCII for matching
    assert "43 500" in fold_text(items[2].title)


def test_arabic_feed_items() -> None:
    feed = source(kind="feed", url="https://www.aljazeera.net/rss", selector="")
    items = items_of(feed, "aljazeera_ar.xml")
    assert items[0].title == "شهداء بقصف إسرائيلي على منزل في بيت لاهيا شمالي قطاع غزة"
    assert [i.breaking for i in items] == [True, False, False]
    assert [i.regions for i in items] == [
        ["Palestine"],
        ["MENA"],
        ["Asia", "Asia-Pacific"],
    ]  # Japan: both Asia sections
    assert items[0].url == "https://www.aljazeera.net/news/2026/11/27/gaza-beit-lahia"


def test_a_line_with_and_without_diacritics_is_one_item() -> None:
    plain = normalize(source(), parse(source(), ticker_page(["غارة على خان يونس"]).encode()).entries[0], NOW)
    marked = normalize(source(), parse(source(), ticker_page(["غارةٌ على خانِ يونُس"]).encode()).entries[0], NOW)
    assert plain is not None and marked is not None
    assert plain.key == marked.key


KHAN_YOUNIS = "شهيدان بقصف إسرائيلي على خان يونس جنوبي قطاع غزة"
KHAN_YOUNIS_MARKED = "شَهيدانِ بِقَصْفٍ إسرائيليٍّ على خانِ يونُس جنوبيَّ قطاعِ غزّة"
OLD_LINES = ["مراسل الميادين: سطر قديم كان على الشريط قبل أن يبدأ البوت", "الخارجية الروسية: بيان"]


def test_arabic_ticker_alerts_keyword_and_region_chats_once(
    tmp_path: Path, botapi: BotApi, site: Site, redis_url: str, clean_redis
) -> None:
    site.put("/", ticker_page(OLD_LINES))
    catalogue = ticker_catalogue(tmp_path, site.url("/"), "ar-ticker", "الميادين")
    proc = start_bot(tmp_path, botapi, redis_url, catalogue)
    try:
        botapi.send_command(7001, "/subscribe غزة")
        botapi.send_command(7002, "/subscribe فلسطين")
        assert botapi.wait_for(lambda: any("غزه" in t for t in botapi.messages_to(7001)), 30), bot_logs(tmp_path)
        assert botapi.wait_for(lambda: any("Palestine" in t for t in botapi.messages_to(7002)), 30), bot_logs(tmp_path)
        assert wait_until(lambda: clean_redis.hget("nb:src:ar-ticker", "primed") == "1"), bot_logs(tmp_path)
        before = {chat: len(botapi.messages_to(chat)) for chat in (7001, 7002)}

        site.put("/", ticker_page([KHAN_YOUNIS, *OLD_LINES]))
        for chat in (7001, 7002):
            assert botapi.wait_for(lambda chat=chat: len(botapi.messages_to(chat)) > before[chat], 30), bot_logs(
                tmp_path
            )
        site.put("/", ticker_page([KHAN_YOUNIS_MARKED, KHAN_YOUNIS, *OLD_LINES]))  # the same line, re-typed
        time.sleep(4)  # a few more polls: nothing may be sent twice
        for chat in (7001, 7002):
            alerts = botapi.messages_to(chat)[before[chat] :]
            assert len(alerts) == 1, alerts
            assert "خان يونس" in alerts[0] and "#Palestine" in alerts[0]
    finally:
        stop_bot(proc)
