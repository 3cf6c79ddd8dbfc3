"""The span of time a report sums up, when it is a tally rather than an event.

"Gaza Ministry of Health: 52 martyrs over the past 24 hours", "strikes on Baalbek-Hermel since
dawn have killed 38", "the toll since October 7 rises to 43,972": a ministry's or an army's
count of many events, each of which the ticker also reports on its own. Such a line shares the
day's places, actors and verbs with every strike it counts, and is none of them; and a day's
count is not the war's. So a signature keeps which span a tally covers ("day" or "total"), and
jobs/evidence.py keeps a tally apart from a single event, and one span's tally from another's,
unless a figure ties them (the wire's "Lebanon says strikes killed 38 on Wednesday").

"The heaviest bombing since October 7" or "for the first time since 2006" compare one event
with the past: no tally.
"""

from __future__ import annotations

import re

from jobs.arabic import fold_arabic

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|aug|sept?|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY_EN = re.compile(
    r"\b(?:(?:past|last|previous)\s+(?:24|twenty-four|48|forty-eight)\s+hours"
    # "kills 38 more in 24 hours"; not "the second time in 24 hours", an event against the past
    r"|(?<!time\s)(?:in|over|within)\s+(?:the\s+)?(?:24|twenty-four|48|forty-eight)\s+hours"
    r"|(?:past|last|previous)\s+day"
    r"|since\s+(?:dawn|daybreak|midnight|(?:this|the)\s+morning|morning|(?:last|yesterday)\s+(?:night|evening))"
    # "26 civilians killed at six locations": a count over places, as these over hours are
    r"|(?:at|in)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:different\s+)?(?:locations|sites|places)"
    # "140 rockets fired from Lebanon in three barrages": a count over salvos, as over places
    r"|(?:in|over)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:separate\s+)?"
    r"(?:barrages|waves|salvos|volleys|rounds))\b",
    re.IGNORECASE,
)
_TOTAL_EN = re.compile(
    r"\b(?:since\s+(?:the\s+)?(?:start|beginning|outbreak|onset|launch|resumption|ceasefire|truce|war"
    rf"|aggression|protests?|operation|escalation|last\s+\w+|{_MONTHS}|{_WEEKDAYS}|\d)"
    r"|(?:total|overall|cumulative)\s+(?:death\s+)?toll|cumulative)\b",
    re.IGNORECASE,
)
# "the heaviest strikes since October 7", "the first time since 2006": an event measured against
# the past, whatever follows "since"
_COMPARED_EN = re.compile(
    r"\b(?:most|heaviest|biggest|largest|worst|deadliest|highest|lowest|fiercest|first|strongest|longest)"
    r"\b[^.;:]{0,40}\bsince\b",
    re.IGNORECASE,
)
_PERIOD_WORDS = ("since", "past", "last", "previous", "toll", "cumulative", "hours", "locations", "sites", "places")
_PERIOD_WORDS += ("barrages", "waves", "salvos", "volleys", "rounds")
_SINCE_AR = "منذ"
_DAY_AR = re.compile(
    r"(?:خلال|في)\s+(?:ال)?\s*(?:24|اربع\s+وعشرين|48)\s*ساعه"
    r"|الساعات\s+(?:ال)?\s*(?:24|48)\s*(?:ال)?(?:ماضيه|اخيره|المنصرمه)"
    r"|اليوم\s+الماضي"
    r"|منذ\s+(?:ال)?(?:فجر|صباح|ساعات\s+الصباح|منتصف\s+الليل)(?:\s+اليوم)?(?!\s+(?:امس|يوم))"
    r"|منذ\s+(?:الليله\s+الماضيه|ليل\s+امس|مساء\s+امس)"
)
_TOTAL_AR = re.compile(
    r"منذ\s+(?:بدء|بدايه|بداية|انطلاق|اندلاع|استئناف|وقف|سريان|السابع|\d|صباح\s+امس|فجر\s+امس|يوم|امس"
    r"|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|الاحد|تشرين|اكتوبر|بدء|مطلع)"
    r"|الحصيله\s+الاجماليه|اجمالي\s+(?:عدد\s+)?(?:الشهداء|الضحايا|القتلي)|الحصيله\s+التراكميه"
)
_COMPARED_AR = re.compile(r"(?:(?:ال)?(?:اعنف|اكبر|اشد|اعلي|اول|اولي)|لاول\s+مره)\S*\s+(?:\S+\s+){0,5}?منذ")


def period(text: str) -> str:
    """ "day" for a count over the past day (24 hours, since dawn), "total" for one since a date
    or the start of a war or operation, "" for a report of one event."""
    if text.isascii():
        lower = text.lower()
        if not any(w in lower for w in _PERIOD_WORDS):
            return ""  # most headlines: none of the patterns' words
        return _period_en(text)
    folded = fold_arabic(text)
    if _SINCE_AR in folded and _COMPARED_AR.search(folded):
        return ""
    if _DAY_AR.search(folded):
        return "day"
    if _TOTAL_AR.search(folded):
        return "total"
    return "" if folded.isascii() else _period_en(text)


def _period_en(text: str) -> str:
    """The English patterns, for an English headline or a mixed line (an Arabic ticker quoting
    an English source)."""
    if _COMPARED_EN.search(text):
        return ""
    if _DAY_EN.search(text):
        return "day"
    return "total" if _TOTAL_EN.search(text) else ""
