"""What a headline says happened, reduced to the parts that tell one event from another.

Story clustering compares these, never raw words: two reports are one event only with positive
evidence (the same town, the same named ship or person, an agreeing figure) or a near-paraphrase,
and two different towns veto. Pure functions, no I/O: the clusterer (jobs/cluster.py) stores and
compares the results.

- an attribution prefix ("Al Mayadeen's correspondent in Gaza:", "IOF Spokesperson:") is cut
  off: its words are boilerplate, its place is only an area, never the event's place;
- places are split by granularity: a fine place (town, village, camp, neighbourhood, named site,
  or an unknown capitalised name in place position) and a coarse one (a big city, a state or
  governorate) can veto; an area (country, island, sea, wide region, or a reference point such as
  "west of Khan Younis") only narrows;
- names are what the event is about: people, ships, aircraft types;
- actors (organisations, demonyms, acronyms) say who acted, which alone proves nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jobs import vocabulary
from jobs.arabic import DIGITS, arabic_base, fold_arabic, glued_short, language, stems
from jobs.arabic_places import grain_from_word_before, unknown_place_keys
from jobs.classify import Classifier, default_classifier, has_vessel, names_a_person, names_a_vessel, title_case
from jobs.periods import period
from jobs.phrases import PhraseIndex, fold_words, folded_name, words
from jobs.placenames import (
    PLACE_FILLER,
    first_name,
    granularity,
    is_quarter,
    named_within,
    place_id,
    place_key,
    tag_key,
    unknown_place_key,
)
from jobs.vocabulary import (
    GENERIC_NAMES,
    MONTHS,
    NOT_PLACE_TAILS,
    SPEAKERS,
    is_attribution,
    is_figure,
    prefix_key,
    split_prefix,
    stem,
    target_objects,
    weight,
)

__all__ = [
    "Signature",
    "granularity",
    "is_attribution",
    "place_id",
    "place_key",
    "prefix_key",
    "signature",
    "split_prefix",
    "stem",
    "target_objects",
    "weight",
]

_CUE = r"(?:in|near|at|into|outside|around|toward|towards|from|on|across|inside|targeting|targeted|hit|struck|between)"
_NAME_WORD = r"(?:(?:al|el|ad|as|ash|at|az|ed|ez|an|ar)[-‑])?[A-Z][\w'’]*(?:[-‑][A-Za-z][\w'’]*)*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:al|el)[-‑\s])?{_NAME_WORD})*"
# "in Aitaroun", "near the town of Deir Seryan", "the outskirts of Kfar Kila", "the Bir Ora area"
_PLACE_NOUNS = (
    r"(?:towns?|villages?|city|cities|outskirts|areas?|vicinity|camps?|neighbou?rhoods?|districts?|suburbs?|"
    r"municipality|municipalities|countryside)"
)
# "the towns of Yaroun and Maroun al-Ras", "in Houla, Meiss al-Jabal and Blida"
_MORE_PLACES = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?({_NAME})")
_PLACE_AFTER_CUE = re.compile(
    rf"\b(?:{_CUE}\s+(?:the\s+)?(?:{_PLACE_NOUNS}\s+of\s+(?:the\s+)?)?|{_PLACE_NOUNS}\s+of\s+(?:the\s+)?)({_NAME})"
)
_PLACE_BEFORE_NOUN = re.compile(
    rf"({_NAME})\s+(?:area|camp|refugee camp|neighbou?rhood|district|crossing|junction|settlement|square|"
    rf"roundabout|valley|axis|outpost|base|barracks|site|plain|heights|hills|town|village)\b"
)
# a word in each branch of _PLACE_BEFORE_NOUN's nouns (as written): a headline with none is spared it
_BEFORE_NOUN_WORDS = (
    "area",
    "camp",
    "neighbo",
    "district",
    "crossing",
    "junction",
    "settlement",
    "square",
    "roundabout",
    "valley",
    "axis",
    "outpost",
    "base",
    "barracks",
    "site",
    "plain",
    "heights",
    "hills",
    "town",
    "village",
)
# "west of Khan Younis": a reference point, so an area, not where it happened
_REFERENCE = re.compile(
    rf"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|western)"
    rf"(?:ern)?\s+of\s+(?:the\s+)?({_NAME})"
)
_DISTRICT_WORDS = frozenset(
    ["district", "countryside", "governorate", "province", "region", "desert", "suburbs", "direction", "axis", "sector"]
)  # "the Vovchansk direction", "the Pokrovsk axis": a front named after its town, not the town
# "in Partiaga village, Tapoa province", "Chartar village of Martuni region": a name before one of
# these is the wide area the place lies in, two villages of which are two places, not one shared
_AREA_AFTER = re.compile(
    r"\s+(?:province|region|oblast|governorate|county|territory|township|prefecture|department|regency)\b",
    re.IGNORECASE,
)
# "the town of Douris, near Baalbek", "in Kfar Roummane, on the edge of Nabatieh": Baalbek and
# Nabatieh only say where Douris and Kfar Roummane are
_NEAR_REFERENCE = re.compile(
    rf",\s*(?:not\s+far\s+from|near|on\s+the\s+(?:edges?|outskirts)\s+of|(?:just\s+)?outside)\s+(?:the\s+)?({_NAME})"
)
# "... in response to the attack on Beit Lif": the place of the event answered, not of this one
_RESPONSE_REFERENCE = re.compile(
    rf"\b(?:in\s+response\s+to|in\s+retaliation\s+for|retaliating\s+for|avenging)\s+(?:[\w'’-]+\s+){{0,4}}?"
    rf"(?:on|in|against|of)\s+(?:the\s+)?({_NAME})"
)
# "a quake shakes western Turkey, felt in Istanbul": where it was felt, not where it struck
_FELT_REFERENCE = re.compile(rf"\bfelt\s+(?:as\s+far\s+(?:away\s+)?as|in|across|throughout)\s+(?:the\s+)?({_NAME})")
# "on the Damascus-Sweida road", "the Kfar Kila-Adaisseh road": a road named after the towns it
# joins; a big town at one end is only a reference point (a village at one end is near the spot)
_ROAD_TOWN = r"(?:(?:al|el)[-‑])?[A-Z][\w'’]*"
_ROAD_REFERENCE = re.compile(
    rf"({_ROAD_TOWN}(?:\s+{_ROAD_TOWN}){{0,2}})\s?[-–]\s?({_ROAD_TOWN}(?:\s+{_ROAD_TOWN}){{0,2}})"
    r"\s+(?:road|highway|motorway|expressway|route)\b"
)
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
# Arabic digits and separators ("٢٥٫٥", "٤٠٬١٧٣"), and thousands written as a word
# ("45 ألفاً و227" is 45,227; "40 ألفاً" is 40,000): one figure, as the other report writes it
_ARABIC_FIGURES = str.maketrans({"\u066b": ".", "\u066c": ",", **DIGITS})
_THOUSANDS_AR = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:[أا]لف[اً]*|[آا]لاف)(?:\s+و\s?(\d{1,3})(?!\d))?")
# a decimal ("6.1", "4.5%") or a score or tally ("3-1", "8-1 vote"): one figure, whose digits
# alone would agree with any report that has a 6, a 1 or a 3
_WHOLE_FIGURE = re.compile(r"(?<![\w.,–-])(?:\d+\.\d+|\d{1,3}\s?[-–]\s?\d{1,3})(?![\w.]|,\d|[-–]\d)")
_DESIGNATOR = re.compile(r"\b[A-Z]{1,4}[-‑]?\d{1,4}[A-Z]?\b")
_REFERENCES = (_REFERENCE, _NEAR_REFERENCE, _RESPONSE_REFERENCE, _FELT_REFERENCE)
# words each of _REFERENCES needs (as written: the patterns heed case), with what else it needs:
# most headlines name no reference point, and are spared the three searches (_references)
_COMPASS_ROOTS = ("north", "south", "east", "west")
_REFERENCE_WORDS = ("response", "retaliat", "avenging")
_NEAR_WORDS = ("near", "far", "edge", "outskirts", "outside")
_OWNED_PLACE = re.compile(rf"({_NAME})['’]s\s+({_NAME})")  # "Lebanon's Aitaroun": a place in a place
# "Rafah's al-Jneina neighbourhood", "Gaza City's Shujaiya district": the owned name is a place
_QUARTER_AFTER = re.compile(r"\s+(?:neighbou?rhood|district|quarter|camp|village|town|suburb)s?\b", re.I)
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth")
_ORDINAL = re.compile(
    rf"\b({'|'.join(_ORDINALS)}|another|new)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:time|strike|airstrike|air\s?strike|raid|wave|round|salvo|barrage|volley|vote|ballot|attack|failure|explosion|blast|operation|missile|rocket)"
    r"(?:s|es)?\b",
    re.IGNORECASE,
)
# "sirens sound again in Kiryat Shmona", "explosions heard again": alerts and blasts come in
# salvos, each an event; "the ECB cuts again" or "forces storm Qabatiya again" say only that
# it happened before, on another day, and the ticker's next line is still about this one
_REPEATS = r"(?:sirens?|alarms?|rockets?|missiles?|barrages?|salvos?|explosions?|blasts?)"
_AGAIN = re.compile(rf"\b{_REPEATS}\b[^.;:]*\bagain\b|\bagain\b[^.;:]*\b{_REPEATS}\b", re.IGNORECASE)
# "holds Netanyahu responsible", "hold the occupation fully responsible": a statement, as the
# words together are (synonyms.yaml), with whom it blames between them
_BLAME = re.compile(r"\bhol(?:d|ds|ding)\s+(?:[\w'’-]+\s+){1,4}?(?:fully\s+|directly\s+)?responsible\b", re.I)
_ORDINALS_AR = ("الثانيه", "الثالثه", "الرابعه", "الخامسه")
# "للمرة الثانية" (for the second time), "مجدداً" (again), "غارة ثانية" (a second strike): folded
_ORDINAL_AR = re.compile(rf"للمره\s+({'|'.join(_ORDINALS_AR)})|(?:مجددا|(?:غاره|ضربه|رشقه|صليه)\s+ثانيه)")
# "غارات إسرائيلية جديدة" (new strikes), "غارات ثانية" (second strikes), "بصلية صاروخية جديدة" (with a
# new rocket salvo): the plural, a glued "with", and an adjective between, as the ticker writes them
_NEW_AR = re.compile(
    r"(?<!\S)[وب]?(?:غارات|ضربات|رشقات|صليات|موجه|غاره|ضربه|صليه|رشقه|سلسله)\s+(?:\S+\s+)?(جديده|ثانيه)(?!\S)"
)
# "Wall Street ends lower after the Fed's rate cut", "airstrikes on PKK positions in response to
# the Ankara attack": the clause names the event this one follows, whose words it shares
_CAUSE = re.compile(r"\b(?:after|following|in\s+response\s+to|in\s+retaliation\s+for|in\s+the\s+wake\s+of)\b", re.I)
_CAUSE_WORDS = ("after", "following", "response", "retaliation", "wake")  # one in each branch of _CAUSE
# the same in Arabic, folded: "رداً على" / "في رد على" (in response to), "انتقاماً ل" (avenging),
# "بعد" / "عقب" (after):
# "استهدفنا نهاريا رداً على مجزرة عيتا الشعب" is a salvo on Nahariya, not the Aita al-Shaab strike
_CAUSE_AR = re.compile(r"(?<!\w)(?:ردا\s+علي|رد\s+علي|انتقاما\s+ل|(?:بعد|عقب)(?!\w))")
# "the eastern outskirts of Khiam" and "the southern outskirts of Khiam": two spots of one town
_SIDE = re.compile(
    r"\b(north|south|east|west)(?:ern)?\s+(?:outskirts|edge|side|part|parts|area|areas|entrance|neighbourhoods?)\b",
    re.IGNORECASE,
)
# "Jenin camp" and "Jenin city", "Tulkarm camp" and "the eastern neighbourhood of Tulkarm city":
# a refugee camp and the town it is named after are two spots, as two sides of a town are
# (signature tokens "~camp", "~city"); "Gaza City", a name, is not "city" written in lower case
_CAMP_OR_CITY = {
    "camp": re.compile(r"\b[A-Z][\w'’-]*\s+(?:refugee\s+)?camp\b", re.IGNORECASE),
    "city": re.compile(r"\b[A-Z][\w'’-]*\s+city\b"),
}
# "South Sulawesi" and "Chicago's South Side": a capitalised compass word is part of a place's
# name, never a name two reports can share as evidence
_COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"})
_STAGES = frozenset({"last", "top", "stage", "round", "matchday", "gameweek", "week", "leg"})
_MISSILE_KINDS = frozenset({"guided", "ballistic", "salvo"})  # synonyms.yaml weapons
_AIR = re.compile(
    r"\b(?:air\s?strikes?|air\s?raids?|warplanes?|fighter\s+jets|jets|drones?|quadcopters?|UAVs?|helicopters?|"
    r"aircraft|bombers?|dropp(?:ed|ing|s)?\s+(?:bombs?|explosives?))\b",
    re.IGNORECASE,
)
_GROUND = re.compile(
    r"\b(?:storm(?:s|ed|ing)?|br(?:eak|eaks|oke)\s+into|incursions?|ground\s+(?:operation|offensive|assault|invasion)|"
    r"bulldoz(?:e|es|ed|ing)|surround(?:s|ed|ing)?|besieg(?:e|es|ed|ing)|"
    r"(?:troops|soldiers|tanks)\s+(?:raid(?:s|ed)?|enter(?:s|ed)?)|round(?:s|ed)?\s+up|detain(?:s|ed)?|arrest(?:s|ed)?|"
    r"artiller(?:y|ies)|shell(?:s|ed|ing)?|ambush(?:es|ed)?|"
    # a town or a site taken: troops did it, whatever the air did before
    r"seiz(?:e|es|ed|ing)|(?:re)?captur(?:e|es|ed|ing)|(?:take|takes|took|taken|taking|gain|gains|gained)\s+control\s+of|"
    r"re(?:take|takes|took|taken|taking)|(?:army|rebels|fighters|forces|militants)\s+enter(?:s|ed)?)\b",
    re.IGNORECASE,
)
# the same in Arabic, folded: "غارة" (an airstrike), "مسيّرة" (a drone), warplanes; "اقتحام" (storming),
# "حصار" (a siege), "جرافات" (bulldozers), "توغل" (an incursion), and artillery ("قصف مدفعي",
# "المدفعية"), fired from the ground: an artillery barrage and an airstrike on one camp are two
# attacks; "قصف" alone (shelling or bombing) says neither
_AIR_AR = re.compile(r"غاره|غارات|غارتان|غارتين|مسيره|مسيرات|طايرات حربيه|الطيران الحربي")
_GROUND_AR = re.compile(
    r"اقتحام|تقتحم|يقتحم|اقتحمت|اقتحم|تحاصر|يحاصر|حصار|جرافات|تجرف|تجريف|توغل|مدفعي|"
    r"السيطره علي|تسيطر علي|يسيطر علي|سيطرت علي|سيطر علي"  # a town or a site taken
    # or entered, or taken back, by a force ("قواتنا دخلت مدينة ود مدني", "الجيش يستعيد جسر حنتوب")
    r"|(?:قوات\w*|الجيش|الفصائل|المعارضه|مقاتل\w*)\s+(?:\w+\s+){0,2}?(?:دخلت|تدخل|يدخل|دخل|[يت]ستعيد|استعاد|استعادت)(?!\w)"
    r"|(?<!\w)(?:دخول|استعاده)\s+(?:قوات|الجيش|الفصائل|مدينه|بلده|مخيم)"
)
# "the French embassy", "Rwanda's embassy", "the embassy of France": whose diplomatic mission
_MISSION = re.compile(
    r"\b(?!(?:The|Its|Their|His|Her|An?)\b)([A-Z][A-Za-z]+)(?:['’]s)?\s+(?i:embassy|embassies|consulate)\b"
    r"|\b(?i:embassy|consulate)\s+of\s+(?:the\s+)?([A-Z][A-Za-z]+)"
)
_BOURSE = re.compile(
    "|".join(
        rf"(?P<{code}>(?<!\w)(?:{'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})(?!\w))"
        for code, names in vocabulary.exchanges().items()
    )
)


def _covering_words(names: list[str]) -> tuple[str, ...]:
    """Few words (lower case) that every name holds one of: the word most names hold first ("US
    stocks", "Tokyo stocks": 'stocks'), the rarer of equals; a headline holding none of them
    cannot name any, and is spared the names' search (_may_match)."""
    left = [set(name.lower().split()) for name in names]
    chosen: list[str] = []
    while left:
        counts = Counter(w for ws in left for w in ws)
        word = max(counts, key=lambda w: (counts[w], vocabulary.weight(vocabulary.stem(w)), w))
        chosen.append(word)
        left = [ws for ws in left if word not in ws]
    return tuple(sorted(chosen))


_BOURSE_WORDS = _covering_words([n for names in vocabulary.exchanges().values() for n in names if n.isascii()])
_CLOSE = re.compile(r"\b(?:clos(?:e|es|ed|ing)|end(?:s|ed)?|finish(?:es|ed)?|settle[sd]?)\b|غلق")  # يغلق, الإغلاق
_OPEN = re.compile(r"\b(?:open(?:s|ed|ing)?|start(?:s|ed)?)\b|فتتح")  # يفتتح, الافتتاح
_MARKET_KINDS = {
    "equities": re.compile(
        r"\b(?:stocks|shares|equities|Wall\s+Street|S&P\s+500|Nasdaq|Dow|FTSE|Nikkei|DAX|Hang\s+Seng)\b"
    ),
    "currency": re.compile(r"\b(?:dollar|yen|sterling)\b", re.IGNORECASE),
    "bonds": re.compile(r"\b(?:bonds|yields)\b", re.IGNORECASE),
    "commodities": re.compile(r"\b(?:gold\s+prices?|oil\s+prices?|crude|bitcoin)\b", re.IGNORECASE),
}
# a statement about an event, not a report of it (synonyms.yaml `condemn` in English: "vows
# response", "holds responsible", "war crime"), in the phrases Arabic writes it with (folded):
# "لن يمر دون رد" (will not go unanswered), "سيدفع الثمن" (will pay the price), "نحمّل الاحتلال
# المسؤولية" (we hold the occupation responsible), "يتوعد" (vows), "ندين" (we condemn); not "جرائم
# حرب", which as often names the charges of the event itself ("أمرا اعتقال بتهم جرائم حرب")
_REACTION_AR = re.compile(
    r"لن\s+[يت]مر\s+(?:دون|بدون|من\s+دون|بلا|مرور)"
    r"|(?<!\w)س[يتن]دفع(?:ون)?\s+(?:ال)?ثمن"
    r"|(?<!\w)(?:و?[نيت]حمل|حمل|حملت)\s+(?:\w+\s+){0,4}?(?:ال)?مسووليه"
    r"|(?<!\w)(?:[يتن]توعد|توعد|توعدت)(?:ون|ان)?(?!\w)"
    r"|(?<!\w)(?:ندين|نستنكر|نندد)(?!\w)"
    # "بري دان المجزرة" (Berri condemned), as written: by light stem it is "بدأنا" (we began)
    r"|(?<!\w)دان(?!\w)"
    # "انتهاك فاضح" (a flagrant violation), "اغتيال سافر" (a blatant assassination), "تصعيد
    # خطير" (a dangerous escalation), "رد طبيعي" (a natural response), as in English
    r"|(?<!\w)فاضح[اه]?(?!\w)"
    r"|(?<!\w)(?:اغتيال|اعتداء|عدوان|انتهاك|جريمه)\w*\s+سافر"
    r"|(?<!\w)جريمه\s+متعمده"  # "جريمة متعمّدة": a deliberate crime, as in English
    r"|(?<!\w)جريمه\s+حرب"  # "جريمة حرب جديدة": calls it one ("بتهم جرائم حرب", charges, do not)
    # "ستأتي الضربات المؤلمة" (painful blows will come): a threat, as "painful blows" in English
    r"|(?<!\w)(?:ال)?ضرب(?:ات|ه)\s+(?:ال)?مولم"
    # an offer of help ("يعرض المساعدة", "مستعدة لتقديم المساعدة"): a statement, as in English
    r"|(?<!\w)[يت]عرض\s+(?:ال)?مساعد"
    r"|(?<!\w)مستعد[هين]*\s+ل(?:تقديم|ل?مساعد)"
    # "سنعمل في جنين كما عملنا في غزة" (we will act), "سنرد", "سنواصل": a vow in the first
    # person's future; "يجب وقفه فوراً" (it must be stopped): what someone demands
    r"|(?<!\w)و?سن(?:عمل|طبق|رد|واصل|ستمر|لاحق|ضرب|دافع|حاسب)(?!\w)"
    r"|(?<!\w)و?يجب(?!\w)"
    r"|(?<!\w)تصعيد\w*\s+خطير"
    r"|(?<!\w)رد[اه]?\s+طبيعي"
)
# "على طريق بنت جبيل - عيناثا" (on the Bint Jbeil - Ainata road): the road between the two towns
# is where it was, and each is only a reference, as "the road between Shmustar and Baalbek" is
_ROAD_AR = frozenset({"طريق", "الطريق", "وطريق", "بطريق"})
# "جنوبي لبنان" is "جنوب لبنان", "شمالي غزة" "شمال غزة": the adjective and the noun say one area
_DIRECTION_AR = re.compile(r"(?<!\w)(جنوب|شمال|شرق|غرب)ي(?!\w)")
# an aircraft's designator spelt out in Arabic letters ("إم كيو 9", "إف-35"): the MQ-9 or F-35
# another outlet writes in Latin letters (_DESIGNATOR then names it in both)
_DESIGNATOR_AR = {
    "MQ": re.compile(r"(?<!\w)[إا]م\s*كيو\s*[-‑]?\s*(\d{1,2})(?!\d)"),
    "F": re.compile(r"(?<!\w)[إا]ف\s*[-‑]?\s*(\d{2})(?!\d)"),
}
# "أكثر من 20 قتيلاً" (more than 20 killed), "تجاوز 40 ألفاً" (passed 40,000): a lower bound
# ("20+"), which a later report's 21 or 28 does not contradict
_LOWER_BOUND_AR = re.compile(
    r"(?:[أا]كثر من|[أا]زيد من|ما يزيد عن|ما لا يقل عن|تجاوز|يتجاوز|تتجاوز|تجاوزت|تخطى|يتخطى|تتخطى)\s+(\d+)(?![\d.,])"
)
# a word in each branch of _AIR, _GROUND and _MARKET_KINDS (lower case): an ASCII headline with
# none of them cannot match, and is spared the case-blind search (_may_match)
_AIR_WORDS = ("air", "warplane", "jet", "drone", "quadcopter", "uav", "helicopter", "bomber", "dropp")
_GROUND_WORDS = ("storm", "into", "incursion", "ground", "bulldoz", "surround", "besieg")
_GROUND_WORDS += ("troops", "soldiers", "tanks", "round", "detain", "arrest", "artiller", "shell", "ambush")
_GROUND_WORDS += ("seiz", "captur", "control", "retak", "retook", "enter")
_MARKET_WORDS = {
    "equities": (
        "stocks",
        "shares",
        "equities",
        "wall",
        "s&p",
        "nasdaq",
        "dow",
        "ftse",
        "nikkei",
        "dax",
        "hang",
    ),
    "currency": ("dollar", "yen", "sterling"),
    "bonds": ("bonds", "yields"),
    "commodities": ("gold", "oil", "crude", "bitcoin"),
}
_QUALIFIERS_AR = frozenset({"الشرقيه", "الغربيه", "الشماليه", "الجنوبيه", "الفوقا", "التحتا", "الفوقه", "التحته"})
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


# most reports name no reference point, no "after X" clause, no actor: their empty sets are
# this one object. A process keeps tens of thousands of signatures (stories' first reports), and
# every set among them is one more object each full garbage collection walks
_EMPTY: frozenset[str] = frozenset()


def _frozen(items: Iterable[str]) -> frozenset[str]:
    if items.__class__ is list and not items:
        return _EMPTY  # a stored signature's empty lists, most of them
    return frozenset(items) or _EMPTY


_FIGURE_HEADS = frozenset(".-")


@dataclass(frozen=True, slots=True)
class Signature:
    tokens: frozenset[str]  # content words: stems, canonical synonyms, digits
    places: frozenset[str]  # place keys of specific places (towns, camps, sites, unknown names)
    areas: frozenset[str]  # "region:name" of countries, governorates, wide areas, reference points
    actors: frozenset[str]  # organisations, demonym targets, acronyms: who acted
    names: frozenset[str]  # people, ships, aircraft types: what the event is about
    numbers: frozenset[str]
    refs: frozenset[str] = _EMPTY  # place keys named as reference points ("west of X")
    lang: str = "en"  # the headline's language: reports in two languages are never compared
    source: str = ""  # the source that reported it (jobs/evidence.py: a rewrite comes from another)
    nth: str = ""  # "2" for "a second strike", "for the second time", "second round": a repeat, not the first
    context: frozenset[str] = _EMPTY  # words of "after X", "in response to X": another event, named
    mode: str = ""  # "air" (an airstrike, a drone) or "ground" (troops storm a place); "" for both or neither
    market: str = ""  # the markets whose move it reports ("currency", "equities,currency"): _markets
    speaker: str = ""  # whom the line quotes, by its attribution ("وزارة الصحة"), folded: speaker_key
    period: str = ""  # the span a tally sums up ("day", "total"), "" for one event: jobs/periods.py
    quoted: str = ""  # "1": a politician's words, no act reported (_quotes_a_politician)
    # sets jobs/evidence.py derives from this signature, kept on it once computed: a report is
    # compared with a dozen candidates and a candidate with report after report (never stored,
    # never compared, and dataclasses.replace() starts them afresh)
    where: object = field(default=None, init=False, repr=False, compare=False, hash=False)
    what: object = field(default=None, init=False, repr=False, compare=False, hash=False)

    def to_list(self) -> list[list[str]]:
        return [
            sorted(self.tokens),
            sorted(self.places),
            sorted(self.areas),
            sorted(self.actors),
            sorted(self.names),
            sorted(self.refs),
            [self.lang],
            [self.source, self.nth, self.mode, self.market, self.speaker, self.period, self.quoted],
            sorted(self.context),
        ]

    @classmethod
    def from_list(cls, data: list[list[str]]) -> Signature:
        """Six lists (stored before languages were told apart: English), seven (before sources
        and ordinals were kept: unknown), eight (before "after X" clauses were kept) or nine; the
        eighth holds source and ordinal, then mode, market, speaker, period and quoted (stored
        before those: "")."""
        lang = data[6][0] if len(data) > 6 and data[6] else "en"
        source, nth, mode, market, speaker, period, quoted = (data[7] + [""] * 7)[:7] if len(data) > 7 else ("",) * 7
        context = data[8] if len(data) > 8 else ()
        return cls.build(
            *data[:6],
            lang=lang,
            source=source,
            nth=nth,
            context=context,
            mode=mode,
            market=market,
            speaker=speaker,
            period=period,
            quoted=quoted,
        )

    @classmethod
    def build(
        cls,
        tokens: Iterable[str],
        places: Iterable[str],
        areas: Iterable[str],
        actors: Iterable[str],
        names: Iterable[str],
        refs: Iterable[str],
        lang: str = "en",
        source: str = "",
        nth: str = "",
        context: Iterable[str] = (),
        mode: str = "",
        market: str = "",
        speaker: str = "",
        period: str = "",
        quoted: str = "",
    ) -> Signature:
        tokens = _frozen(tokens)
        return cls(
            tokens,
            _frozen(places),
            _frozen(areas),
            _frozen(actors),
            _frozen(names),
            # a figure begins with a digit, or with the "." or "-" is_figure lets go
            _frozen(t for t in tokens if (t[:1] in _FIGURE_HEADS or t[:1].isdigit()) and is_figure(t)),
            _frozen(refs),
            lang,
            source,
            nth,
            _frozen(context) & tokens or _EMPTY,
            mode,
            market,
            speaker,
            period,
            quoted,
        )

    def facts(self) -> set[str]:
        """What a later report may add: figures, places, named objects, and (marked) words. An
        actor's country ('s:') is recorded as an area but is never news: "Israeli strike" then
        "... kills five Palestinians" adds no place."""
        actor_words = {w for a in self.actors for w in a.split()}
        return (
            {f"n:{n}" for n in self.numbers}
            | {f"p:{p}" for p in self.places}
            | {f"a:{a.split(':')[1]}" for a in self.areas}
            | {f"s:{place_key(a)}" for a in self.actors}  # known from now on, never new itself
            | {f"o:{o.lstrip('^')}" for o in self.names}
            | {f"t:{t}" for t in self.tokens if not is_figure(t) and t[0] != "@" and t not in actor_words}
        )


@dataclass(slots=True)
class _Draft:
    """A headline while its signature is read off it, step by step (signature() below)."""

    text: str
    original: list[str]  # its words, as written
    classifier: Classifier
    title_case: bool  # "Israeli Jets Pound Gaza": capitals say nothing of names here
    folded: list[str] = field(init=False)  # `original` casefolded, for the phrase indexes
    # word offset of an "after X" / "in response to X" clause (len(original) when none): what
    # follows it names another event (its places, its words)
    cause_at: int = field(init=False)
    tokens: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)  # tokens of a clause naming another event
    covered: dict[int, str] = field(default_factory=dict)  # word offset → synonym token ("" inside)
    place_spans: set[int] = field(default_factory=set)
    place_starts: set[int] = field(default_factory=set)  # the first word of each place named
    lead: str = ""  # the place or country the body opens with ("Qatar condemns ..."), as named
    place_at: dict[str, int] = field(default_factory=dict)  # tagged place → its first word offset
    attribution: str = ""  # the prefix cut from `text` ("correspondent in southern Lebanon:")

    def __post_init__(self) -> None:
        self.folded = [w.casefold() for w in self.original]
        if self.text.isascii():
            cause = _CAUSE.search(self.text) if not _lacks(self.text, _CAUSE_WORDS) else None
            self.cause_at = len(words(self.text[: cause.start()])) if cause else len(self.original)
            return
        folded = fold_arabic(self.text)
        cause = _CAUSE_AR.search(folded) or _CAUSE.search(folded)
        self.cause_at = len(words(folded[: cause.start()])) if cause else len(self.original)


# "Sixty-eight killed": the figure another outlet writes as "68" (words() splits the hyphen); the
# words are headline_words.yaml's `numbers`, the tens and the units among them
_TENS = {w: int(n) for w, n in vocabulary.NUMBERS.items() if w.isascii() and n in {f"{t}0" for t in range(2, 10)}}
_UNITS = {w: int(n) for w, n in vocabulary.NUMBERS.items() if w.isascii() and len(n) == 1 and n != "0"}
_COMPOUND_NUMBER = re.compile(rf"\b({'|'.join(_TENS)})[-‑ ]({'|'.join(_UNITS)})\b", re.IGNORECASE)


def _compound_number(match: re.Match[str]) -> str:
    return str(_TENS[match.group(1).casefold()] + _UNITS[match.group(2).casefold()])


def signature(text: str, classifier: Classifier | None = None, attribution: str = "", source: str = "") -> Signature:
    """`attribution` is a prefix already cut from `text` (its places count as areas only)."""
    classifier = classifier or default_classifier()
    if "ty" in text:
        text = _COMPOUND_NUMBER.sub(_compound_number, text)
    owned: list[tuple[str, bool]] = []  # "Lebanon's Aitaroun": the name, and whether a quarter's noun follows
    if "'" in text or "’" in text:  # both patterns need an apostrophe: most headlines have none
        owned = [
            (m.group(2), bool(_QUARTER_AFTER.match(text, m.end())))
            for m in _OWNED_PLACE.finditer(text)
            if m.group(1) in classifier.places
        ]
        text = _POSSESSIVE.sub("", text)
    text = text.translate(_ARABIC_FIGURES)
    span = period(text)  # before the figures go: "the past 24 hours"
    if "capital" in text or "العاصم" in text:
        text = _capital_by_name(text)
    if "," in text:
        # "2,119" is one figure, not "2" and "119" ("2,119 martyrs" does not agree with "two")
        text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    if "لف" in text or "لاف" in text:  # "ألف", "آلاف": _THOUSANDS_AR's words
        text = _THOUSANDS_AR.sub(_thousands_ar, text)
    arabic = not text.isascii()  # the two Arabic patterns need Arabic letters; most headlines have none
    if arabic:
        text = _DIRECTION_AR.sub(r"\1", text)
        if any(ch.isdigit() for ch in text):  # both designators end in a figure
            for latin, pattern in _DESIGNATOR_AR.items():
                text = pattern.sub(rf" {latin}-\1 ", text)
    figures = {re.sub(r"\s*[-–]\s*", "-", m.group(0)) for m in _WHOLE_FIGURE.finditer(text)}
    text = _WHOLE_FIGURE.sub(" ", text)
    if arabic:
        figures |= {f"{m.group(1)}+" for m in _LOWER_BOUND_AR.finditer(text)}
        text = _LOWER_BOUND_AR.sub(lambda m: text[m.start() : m.start(1)], text)
    original = words(text)
    draft = _Draft(text, original, classifier, title_case(original), attribution=attribution)
    if attribution:
        _speaker_areas(draft, attribution)
    _synonym_spans(draft)
    if not arabic:
        _what_it_reacts_to(draft)
    _known_places(draft)
    lang = language(text)
    if lang == "ar":
        _unknown_places_ar(draft)
        _qualified_places_ar(draft)
    elif not draft.title_case:
        _unknown_places(draft)
    _places_of_cause(draft)
    _word_tokens(draft)
    if lang == "ar" and _REACTION_AR.search(fold_arabic(text)):
        draft.tokens.add("condemn")
    elif "responsib" in text and _BLAME.search(text):
        draft.tokens.add("condemn")  # synonyms.yaml's "holds responsible", with whom between
    # who speaks, by the prefix (cut or not) or by "X says": not the stored `speaker`, which is the
    # cut attribution's alone
    quoting = attribution or split_prefix(text)[0] or _subject_who_says(text)
    quoted = _quotes_a_politician(quoting) and draft.tokens.isdisjoint(REPORTS_AN_ACT)
    _named_things(draft, owned)
    if _may_match(text, _BOURSE_WORDS, _BOURSE):
        draft.names |= _bourses(text)
    if _may_match(text, ("mbass", "onsulate"), _MISSION):
        draft.names |= _missions(text)
    draft.tokens |= figures
    if not _lacks(text, _COMPASS_ROOTS):
        draft.tokens |= {f"~{m.group(1).casefold()}" for m in _SIDE.finditer(text)}
    draft.tokens |= {f"~{part}" for part, pattern in _CAMP_OR_CITY.items() if _may_match(text, (part,), pattern)}
    return Signature.build(
        draft.tokens,
        draft.places,
        draft.areas,
        draft.actors,
        draft.names,
        draft.refs,
        lang,
        source,
        _nth(text),
        draft.context,
        _mode(text, lang),
        _markets(text),
        speaker_key(attribution) or _reacting_country(draft) or _reacting_subject(draft),
        span,
        "1" if quoted else "",
    )


def _reacting_country(draft: _Draft) -> str:
    """The country an English statement opens with ("Saudi Arabia condemns the drone attacks on
    Port Sudan", "Qatar condemns ..."): its speaker, as an attribution names one, so that one
    ticker's two countries' condemnations are two parties' words (evidence._two_parties)."""
    if not draft.lead or "condemn" not in draft.tokens or not draft.text.isascii():
        return ""
    head, colon, _ = draft.text.partition(":")
    if colon and len(head.split()) <= 3:
        return ""  # "Mali: Timbuktu governor announces a curfew": a dateline, where, not who speaks
    return speaker_key(draft.lead)


# "Yunus urges ...", "UN chief says ...", "Guterres slams ...": who opens a statement, up to its verb
_REACTING_SUBJECT = re.compile(
    rf"^([A-Z][\w'’.-]*\s+(?:[\w'’.-]+\s+){{0,3}}?)(?:{'|'.join(sorted(vocabulary.SPEECH))})\b"
)


def _reacting_subject(draft: _Draft) -> str:
    """Whoever an English statement that opens with no country opens with ("Yunus urges the UN
    to ...", "UN chief says the attack may be a war crime"): its speaker, as _reacting_country's
    country is."""
    if "condemn" not in draft.tokens or not draft.text.isascii():
        return ""
    m = _REACTING_SUBJECT.match(draft.text)
    return speaker_key(m.group(1)) if m else ""


# the dead and the hurt (synonyms.yaml's canonical words): a report that gives them reports the event
HARM = frozenset({"kill", "injure"})
# a report of a strike, of its dead or of a changed toll
REPORTS_AN_ACT = HARM | {"strike", "toll", "rise"}


# "Netanyahu says ...", "Syrian PM says ...", "..., says Foreign Minister Abbas Araghchi": whoever
# says it, as a prefix would name him
_SAYS = re.compile(r"^([^:,]{2,60}?)\s+(?:says|said|tells|warns|vows)\b|,\s*(?:says|said)\s+([^,]{2,60})$")


_SAYS_WORDS = (" says", " said", " tells", " warns", " vows")


def _subject_who_says(text: str) -> str:
    if not any(word in text for word in _SAYS_WORDS):
        return ""
    m = _SAYS.search(text)
    return (m.group(1) or m.group(2)) if m else ""


@lru_cache(maxsize=4096)
def _quotes_a_politician(prefix: str) -> bool:
    """The line quotes a head of state, a minister or a party's leader ("Netanyahu: Israel deeply
    regrets the tragic mishap at Nasser Hospital", "Hamas leader Osama Hamdan: ..."): his words
    about an event are news of their own, not a report of it, as every labelled set has it; one
    who orders or reports a strike, or gives its dead, reports the event (REPORTS_AN_ACT)."""
    if not prefix:
        return False
    folded = {arabic_base(fold_arabic(w.casefold())) for w in words(prefix)}
    if not folded.isdisjoint(vocabulary.POLITICIAN_NOT):
        return False
    return not folded.isdisjoint(vocabulary.POLITICIAN) or not folded.isdisjoint(vocabulary.leaders())


_OWN_REPORTER = frozenset({"مراسل", "مراسله", "مراسلنا", "مراسلتنا", "correspondent"})
_SPEAKER_PLACE = frozenset({"في", "من", "in", "from"})


def speaker_key(attribution: str) -> str:
    """Whom a line quotes, one form however its attribution is written: its words folded, less
    their article, up to where it says where the speaker is ("وزارة الصحّة في غزة:" is 'وزاره
    صحه'). The outlet's own correspondent ("مراسل الميادين في غزة:") is the outlet: ''."""
    key: list[str] = []
    for word in fold_words(attribution):
        if word in _SPEAKER_PLACE and key:
            break
        key.append(arabic_base(fold_arabic(word)))
    return "" if not key or key[0] in _OWN_REPORTER else " ".join(key)


def _thousands_ar(m: re.Match[str]) -> str:
    return str(int(m.group(1)) * 1000 + int(m.group(2) or 0))


def is_dateline(prefix: str, classifier: Classifier | None = None) -> bool:
    """A prefix that is only a country or a wide area ("Iraq:", "South Korea:"): where the
    source files the line from, shared by every line it files from there, as a speaker is."""
    classifier = classifier or default_classifier()
    hits = list(classifier.places.scan(prefix))
    span = [w.casefold() for w in words(prefix)]
    if len(hits) != 1 or (hits[0].start, hits[0].end) != (0, len(span)):
        return False
    return granularity(_gazetteer_name(span, classifier), classifier) == "area"


def _speaker_areas(draft: _Draft, attribution: str) -> None:
    """Where the speaker is ("correspondent in Gaza:", "Lebanese Ministry of Health:"): an area."""
    places, synonyms = draft.classifier.places, vocabulary.synonyms()[0]
    for hit in places.scan(attribution):
        kind, region = hit.payload
        if kind == "place":
            span = _written_name(words(attribution)[hit.start : hit.end], draft.classifier)
            draft.areas.add(f"{region}:{_area_key(span, synonyms)}:p")
    for word in words(attribution):
        country = vocabulary.demonyms().get(word.casefold())
        hit = next(iter(places.scan(country.title())), None) if country else None
        if hit is not None and hit.payload[0] == "place":
            draft.areas.add(f"{hit.payload[1]}:{_area_key(country.title(), synonyms)}:p")


def _synonym_spans(draft: _Draft) -> None:
    synonyms, entity_names = vocabulary.synonyms()
    for hit in synonyms.scan_words(draft.original, draft.folded):
        draft.covered[hit.start] = hit.payload
        draft.covered.update({k: "" for k in range(hit.start + 1, hit.end)})
        if hit.payload in entity_names and (hit.start == 0 or hit.payload not in vocabulary.leaders()):
            draft.actors.add(hit.payload)


def _what_it_reacts_to(draft: _Draft) -> None:
    """ "US Embassy: deeply concerned by reports of civilian deaths in Amhara", "Iran condemns the
    strike that killed five": the dead named after a statement's word are what it reacts to,
    another event named (as "after X" names one), not a toll it reports ("seven paramedics
    wounded; we condemn the attack" reports one)."""
    covered = draft.covered
    first = min((i for i, token in covered.items() if token == "condemn"), default=None)
    if first is None or first >= draft.cause_at or any(t in HARM for i, t in covered.items() if i < first):
        return
    draft.cause_at = first + 1


def _known_places(draft: _Draft) -> None:
    """The gazetteer's places, by granularity; reference points ("west of X") are areas."""
    text, original, classifier = draft.text, draft.original, draft.classifier
    draft.refs = {place_id(m.group(1), classifier) for p in _references(text) for m in p.finditer(text)}
    road_ends: set[str] = set()  # "the Damascus-Sweida road": its towns (_ROAD_REFERENCE)
    if ("-" in text or "–" in text) and _has_any(text, ("road", "way", "route")):
        road_ends = {place_id(m.group(n), classifier) for m in _ROAD_REFERENCE.finditer(text) for n in (1, 2)}
    road_end = -1  # where the last town named after "طريق" ends: the road's other end may follow
    ships = has_vessel(text)  # "the tanker Marlin Luanda": names_a_vessel, asked only then
    for hit in classifier.places.scan_words(original, draft.folded):
        kind, region = hit.payload
        if names_a_person(original, hit.start, hit.end) or (ships and names_a_vessel(original, hit.start)):
            continue  # "Tyre Nichols", "Chad Kroeger", "the tanker Marlin Luanda"
        if kind == "ambiguous":  # "صور" is Tyre beside a word of Lebanon, else "pictures"
            region = classifier.resolve(region, _context_words(draft))
            kind = "place" if region else kind
        if kind != "place":
            continue
        name = _gazetteer_name([w.casefold() for w in original[hit.start : hit.end]], classifier)
        if hit.start == 0 and name in vocabulary.SEATS and _speech_after(draft.folded, hit.end):
            draft.actors.add(vocabulary.SEATS[name])  # "Riyadh condemns ...": Saudi Arabia speaks
            draft.lead = vocabulary.SEATS[name]
            continue
        draft.place_spans.update(range(hit.start, hit.end))
        draft.place_starts.add(hit.start)
        if hit.start == 0:
            draft.lead = name
        grain = granularity(name, classifier)
        key = place_id(name, classifier)
        if hit.end < len(original) and original[hit.end].casefold() in _DISTRICT_WORDS and not is_quarter(key):
            grain = "area"  # "in the Baalbek district", "the Homs countryside": a wide area
        before = grain_from_word_before(original[hit.start - 1]) if hit.start else None
        if before is None and (hit.start == road_end or (hit.start and draft.folded[hit.start - 1] in _ROAD_AR)):
            before, road_end = "reference", hit.end  # "على طريق بنت جبيل - عيناثا": both ends
        if before is None and grain == "coarse" and key in road_ends:
            before = "reference"  # a big town at one end of a road is far from where on it
        if before == "reference":
            draft.refs.add(key)  # "المواصي غرب رفح": Rafah says where al-Mawasi is
        elif before == "area":
            grain = "area"  # "قضاء النبطية": the district, not the town
        if grain == "area":
            span = _written_name(original[hit.start : hit.end], classifier)
            draft.areas.add(f"{region}:{_area_key(span, vocabulary.synonyms()[0])}")
        elif key in draft.refs:
            draft.areas.add(f"{region}:{key}")
        else:
            draft.places.add(f"{region}:{key}:{grain[0]}")
            draft.place_at.setdefault(f"{region}:{key}:{grain[0]}", hit.start)


def _context_words(draft: _Draft) -> tuple[str, ...]:
    """The words that settle an ambiguous name: the headline's and its attribution's (the speaker
    "correspondent in southern Lebanon:" says which "صور"). Asked only of the few headlines that
    hold such a name."""
    return (*fold_words(draft.attribution), *draft.folded)


def _written_name(span: list[str], classifier: Classifier) -> str:
    """An area's name to look up among the synonyms, which are written as names ("Britain" =
    "UK"): as written in English; in Arabic, which has no capitals, the gazetteer's name without
    its glued letters ("بالضفة الغربية" is "الضفة الغربية", "بغزة" is "غزة")."""
    name = " ".join(span)
    return name if name.isascii() else _gazetteer_name([w.casefold() for w in span], classifier)


def _gazetteer_name(span: list[str], classifier: Classifier) -> str:
    """The name as the gazetteer holds it: 'وعسقلان' and 'بخان يونس' are found through their
    glued letters, and are 'عسقلان' and 'خان يونس'."""
    name = " ".join(span)
    if name.isascii() or classifier.holds(tuple(span)):
        return name
    short = glued_short(span[0]) if len(span) > 1 else ()  # "بأم درمان", as the scan found it
    for head in (*stems(span[0]), *short):
        if classifier.holds((head, *span[1:])):
            return " ".join((head, *span[1:]))
    return name


def _speech_after(folded: list[str], end: int) -> bool:
    """A verb of speech right after a seat of government that opens a headline ("Moscow warns")."""
    return end < len(folded) and folded[end] in vocabulary.SPEECH


def _unknown_places(draft: _Draft) -> None:
    """Names the gazetteer lacks, in place position: two different villages still veto."""
    text, classifier = draft.text, draft.classifier
    synonyms, entity_names = vocabulary.synonyms()
    patterns = (_PLACE_AFTER_CUE, _PLACE_BEFORE_NOUN) if _has_any(text, _BEFORE_NOUN_WORDS) else (_PLACE_AFTER_CUE,)
    found = [m for pattern in patterns for m in pattern.finditer(text)]
    for match in list(found):
        if match.re is _PLACE_AFTER_CUE:
            found.extend(_more_places(text, match.end()))
    for match in found:
        candidate = match.group(1)
        if candidate in classifier.places or candidate in synonyms:
            continue
        if not _unknown_place(candidate, vocabulary.demonyms(), entity_names):
            continue
        key = unknown_place_key(candidate, classifier)  # after the filters: it reads the gazetteer
        if not key:
            continue
        # the speaker's place is not named in the body: "Labbouneh" and "Lebanon" of "Islamic
        # Resistance in Lebanon:" share a skeleton, not a place
        if named_within(key, {tag_key(k) for k in draft.places | draft.areas if not k.endswith(":p")}):
            continue
        if key in draft.refs or _AREA_AFTER.match(text, match.end(1)):
            draft.areas.add(f":{key}")
        else:
            draft.places.add(f":{key}:f")
            draft.place_at.setdefault(f":{key}:f", len(words(text[: match.start(1)])))


_WHERE_WORDS = frozenset({"in", "on", "across", "over", "at", "into", "near"})  # where it happened


def _places_of_cause(draft: _Draft) -> None:
    """A place named only in an "after X" clause, when the report names a place of its own
    before it, is where the other event happened, a reference point here: "Houthis claim an
    attack on the USS Truman after the Ras Isa strikes" is not in Ras Isa. Without a place of its
    own ("arrested four after raiding homes in Balata"), the clause may well be this event's."""
    start = draft.cause_at
    if start == len(draft.original):
        return
    own = {tag_key(p) for p, at in draft.place_at.items() if at < start}
    if not own:
        # an area of its own before the clause will do, where it happened ("airstrikes on PKK
        # positions in Iraq and Syria in response to Ankara attack"), not who acted ("Japan demands
        # an explanation after a boy is stabbed in Shenzhen") or the speaker ("Turkish Ministry:")
        head = draft.original[:start]
        before = {place_key(w) for i, w in enumerate(head) if i and head[i - 1].casefold() in _WHERE_WORDS}
        own = {k for a in draft.areas if not a.endswith(":p") and (k := tag_key(a)).split()[0] in before}
    if not own:
        return
    for tagged, at in draft.place_at.items():
        key = tag_key(tagged)
        if at >= start and key not in own and tagged in draft.places:
            draft.places.discard(tagged)
            draft.refs.add(key)
            draft.areas.add(f"{tagged.split(':', 1)[0]}:{key}")


def _qualified_places_ar(draft: _Draft) -> None:
    """A village written with its qualifier ("زوطر الشرقية" and "زوطر الغربية", eastern and
    western Zawtar; "النبطية الفوقا", upper Nabatieh) is a place of its own, not the town whose name
    it shares: its key takes the qualifier, so the two veto each other as two villages do."""
    folded = draft.folded  # words() has folded the Arabic letters already
    for tagged in list(draft.places):
        region, key, _ = tagged.split(":")
        parts = key.split()
        for i in range(len(folded) - len(parts)):
            first = folded[i] if folded[i] == parts[0] else folded[i][1:]  # "بزوطر": glued ب
            if first == parts[0] and folded[i + 1 : i + len(parts)] == parts[1:]:
                qualifier = folded[i + len(parts)]
                if qualifier in _QUALIFIERS_AR:
                    draft.places.discard(tagged)
                    draft.places.add(f"{region}:{key} {qualifier}:f")
                break


def _unknown_places_ar(draft: _Draft) -> None:
    """Arabic names after a place noun that the gazetteer lacks (jobs/arabic_places.py)."""
    known = {tag_key(k) for k in draft.places | draft.areas}
    draft.places.update(f":{key}:f" for key in unknown_place_keys(draft.original, known))


def _word_tokens(draft: _Draft) -> None:
    """Every word once: a synonym's token, a figure, a demonym's actor, a place word, or a stem
    (and a name when written with a capital mid-sentence)."""
    original, demonyms = draft.original, vocabulary.demonyms()
    context_from = draft.cause_at
    place_words = {w for p in draft.places | draft.areas for w in tag_key(p).split()}
    place_words |= {w for r in draft.refs for w in r.split()}
    # tokens before the "after X" clause: a word the report says of itself is not context, and a
    # synonym's token after it is ("after the quake": 'quake')
    main: set[str] = set()
    objects = target_objects()
    for i, (word, lower) in enumerate(zip(original, draft.folded, strict=True)):
        # "Port Sudan", "Port Harcourt": a city, not a port that was hit (a place word, below)
        if i in draft.covered and not (i in draft.place_starts and draft.covered[i] in objects):
            if draft.covered[i]:
                draft.tokens.add(draft.covered[i])
                (draft.context if i >= context_from else main).add(draft.covered[i])
                if draft.covered[i] in _MISSILE_KINDS:
                    draft.tokens.add("missile")  # a ballistic missile is a missile to a rewrite
            continue
        base = arabic_base(lower)  # 'والاحتلال' is 'احتلال'
        if base[:1] == "و" and base[1:].isdigit():
            base = base[1:]  # "٣ شهداء و٥ جرحى": 'و5' is five
        if base in vocabulary.DUALS_AR:
            draft.tokens.add("2")  # "شهيدان": two martyrs, and a killing (the word's own token)
        folded = vocabulary.NUMBERS.get(base, base)
        if folded in vocabulary.STOP or (len(folded) == 1 and not folded.isdigit()):
            continue
        if folded.isdigit() and (_is_date(original, i) or _is_label(original, i)):
            continue  # "since October 7", "a Yassin 105 shell", "the last 16": no figure to agree on
        if folded in demonyms:
            draft.actors.add(demonyms[folded])
            draft.tokens.update(demonyms[folded].split())
            continue
        if i in draft.place_spans or place_key(word) in place_words:
            draft.tokens.add(f"@{place_key(word) or folded}")
            continue
        token = stem(folded)
        token = vocabulary.arabic_kinds().get(token, token) if not folded.isascii() else token
        draft.tokens.add(token)
        (draft.context if i >= context_from else main).add(token)
        if len(word) >= 2 and word.isupper() and not word.isdigit():
            draft.actors.add(folded)
        elif not draft.title_case and _is_name(original, i, folded):
            # the first word is capitalised anyway: a name there only counts if the other
            # report writes it capitalised mid-sentence too
            draft.names.add(folded if i > 0 else f"^{folded}")
    draft.context -= main


def _is_name(original: list[str], i: int, folded: str) -> bool:
    """Capitalised, no figure, no generic word or month, and not "Champions League" or
    "Australian Open": a competition, shared by its every match."""
    # "Australian Open" is a competition; "Federal charges against Mangione open a door" a name
    after = original[i + 1].casefold() if i + 1 < len(original) and original[i + 1][:1].isupper() else ""
    return (
        original[i][:1].isupper()
        and not folded.isdigit()
        and folded not in vocabulary.GENERIC_NAMES
        and folded not in vocabulary.MONTHS
        and folded not in vocabulary.NOT_PLACE_TAILS
        and after not in vocabulary.NOT_PLACE_TAILS
        and folded not in _COMPASS
        and not _in_operation_name(original, i)
    )


_OPERATION = frozenset({"operation", "operations"})


def _in_operation_name(original: list[str], i: int) -> bool:
    """A word of a military operation's name ("Operation Sindoor", "Operation Rising Lion"):
    every report of the campaign names it, so sharing it says nothing of which strike."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if original[j].casefold() in _OPERATION:
            return True
        if not original[j][:1].isupper():
            return False
    return False


def _capital_by_name(text: str) -> str:
    """ "the Syrian capital" → "Damascus", "العاصمة السورية" → "دمشق": the place another report
    names (headline_words.yaml `capitals`)."""
    pattern, names = vocabulary.capitals()
    return pattern.sub(lambda m: names[(m.group(1) or "").lower() or fold_arabic(m.group(2))], text)


def _named_things(draft: _Draft, owned: list[tuple[str, bool]]) -> None:
    """Owned places and designators."""
    # "Lebanon's Aitaroun", "Brazil's Copom", "Hungary's Tisza": a town, a body or a party; a
    # named thing either way (evidence when shared), never a place that could veto, unless a
    # quarter's noun says it is one ("Rafah's al-Jneina neighbourhood")
    for name, quarter in owned:
        key = place_key(name)
        if key and name not in draft.classifier.places and not any(key == tag_key(p) for p in draft.places):
            if quarter:
                draft.places.add(f":{key}:f")
            else:
                draft.names.add(folded_name(name))
    for match in _DESIGNATOR.finditer(draft.text):
        draft.names.add(match.group(0).replace("‑", "").replace("-", "").casefold())
    if not draft.text.isascii() and _has_any(draft.text, _VESSEL_WORDS_AR):
        draft.names |= _vessel_names_ar(fold_arabic(draft.text))


# "السفينة روبيمار", "الناقلة النفطية "سونيون"", "قاعدة كونيكو": Arabic has no capitals, but a
# ship or a base is named right after its noun (and its definite adjectives): the name itself,
# which every report of that ship shares and no other ship has
_VESSEL_WORDS_AR = ("سفين", "ناقل", "باخر", "قاعد", "حقل")
_QUOTED_AR = re.compile(r"[\"«“]([^\"»”]{2,40})[\"»”]")
_VESSEL_AR = re.compile(
    r"(?<!\S)(?:ال)?(?:سفينه|ناقله|باخره|قاعده|حقل)(?:\s+(?:ال)?(?:شحن|نفط|حاويات|حقل))?(?:\s+ال\S+){0,2}"
    r"\s+(?:[\"«“]([^\"»”]{2,40})[\"»”]|([^\s\"»”'،,.:]+))"
)


def _vessel_names_ar(folded: str) -> set[str]:
    """The word after a ship's or a base's noun and its adjectives, when it can be a name: not a
    word of the language's own (a verb, "تعرضت"; an adjective, "عسكريه"; a preposition)."""
    names: set[str] = set()
    for match in _QUOTED_AR.finditer(folded):
        # a ship's quoted name anywhere in a line about a ship ("السفينة التي أصيبت ... هي "ماريا
        # ستار"", as the security firm names it hours later), not only right after its noun
        names |= _quoted_name_words(match.group(1))
    for match in _VESSEL_AR.finditer(folded):
        if match.group(1) and len(match.group(1).split()) <= 3:
            names |= _quoted_name_words(match.group(1))  # quoted right after the noun
            continue
        word = match.group(2) or ""
        if (
            word in vocabulary.STOP
            or word.startswith(("ال", "ت", "ي"))
            or word.endswith(("ت", "يه", "ي"))
            or len(word) < 3
            or any(ch.isdigit() for ch in word)
        ):
            continue
        names.add(word)
    # "ch" is written "تش" or "ش" ("سي تشامبيون", "سي شامبيون": the Sea Champion): one spelling
    return {name.replace("تش", "ش") for name in names}


def _quoted_name_words(quoted: str) -> set[str]:
    """A quoted name of three words at most, word by word ("ستار ميريديان"), as another outlet
    names it unquoted by its first; a longer quotation is speech, not a name."""
    parts = quoted.split()
    return {w for w in parts if len(w) > 2 and w not in vocabulary.STOP} if len(parts) <= 3 else set()


def _area_key(name: str, synonyms: PhraseIndex[str]) -> str:
    canonical = next((h.payload for h in synonyms.scan(name) if h.end - h.start == len(name.split())), None)
    return first_name(place_key(canonical or name) or name)


def _nth(text: str) -> str:
    """ "A second airstrike on Srifa", "for the third time", "second round": the ticker's own
    word that this is another event than the one before it, in the same words."""
    match = _ORDINAL.search(text)
    if match:
        word = match.group(1).casefold()
        return {"another": "*", "new": "n"}.get(word) or str(_ORDINALS.index(word) + 2)
    if _AGAIN.search(text):
        return "2"  # "sirens sound again in Kiryat Shmona": as Arabic "مجدداً", another salvo
    if text.isascii():
        return ""
    folded = fold_arabic(text)
    match = _ORDINAL_AR.search(folded)
    if match:
        return str(_ORDINALS_AR.index(match.group(1)) + 2 if match.group(1) else 2)
    match = _NEW_AR.search(folded)
    return ("n" if match.group(1) == "جديده" else "2") if match else ""


def _mode(text: str, lang: str) -> str:
    """How the attack was made, when the report says one way only: from the air (an airstrike,
    warplanes, a drone or quadcopter) or on the ground (troops storm a town, a ground
    offensive). A drone strike on Tammun and troops storming Tammun are two events; "raid"
    says neither (Lebanese tickers call an airstrike a raid)."""
    if lang == "ar":  # its folded letters, glued prefixes and all
        folded = fold_arabic(text)
        air, ground = bool(_AIR_AR.search(folded)), bool(_GROUND_AR.search(folded))
    else:
        air, ground = _may_match(text, _AIR_WORDS, _AIR), _may_match(text, _GROUND_WORDS, _GROUND)
    return "air" if air and not ground else "ground" if ground and not air else ""


def _missions(text: str) -> set[str]:
    """The country whose embassy or consulate the report is about ("mission:france" from "the
    French embassy", "France's embassy", "the embassy of France"), as a name: protesters storming
    the French and the Rwandan embassy in one city the same hour are two events, and two reports
    of the French one share a named thing."""
    found = set()
    for match in _MISSION.finditer(text):
        owner = (match.group(1) or match.group(2) or "").casefold()
        found.add(f"mission:{vocabulary.demonyms().get(owner, owner)}")
    return found


def _bourses(text: str) -> set[str]:
    """The exchange a report's move is of ("bourse:jp", from "Nikkei" or "Tokyo stocks") and the
    session it reports ("bourse:jp:close"), as names: two reports of one exchange's close share
    one, and the open and the close of one exchange are two events (evidence.sessions_apart)."""
    found = {f"bourse:{m.lastgroup}" for m in _BOURSE.finditer(text)}
    session = "close" if _CLOSE.search(text) else "open" if _OPEN.search(text) else ""
    return found | {f"{name}:{session}" for name in found if session}


def _markets(text: str) -> str:
    """Which markets the report says moved (synonyms.yaml `markets`, by kind): "the dollar slides
    after the Fed's cut" and "Wall Street ends lower after the Fed's cut" are two markets' news."""
    lower = text.lower() if text.isascii() else None
    return ",".join(
        kind
        for kind, pattern in _MARKET_KINDS.items()
        if (lower is None or any(w in lower for w in _MARKET_WORDS[kind])) and pattern.search(text)
    )


def _may_match(text: str, words_in: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """pattern.search(text), skipped when an ASCII text holds none of the words (lower case)
    that each of the pattern's branches contains: most headlines name no drone, no market."""
    if text.isascii():
        lower = text.lower()
        if not any(w in lower for w in words_in):
            return False
    return pattern.search(text) is not None


def _lacks(text: str, words_in: tuple[str, ...]) -> bool:
    """An ASCII text that holds none of the words (lower case): a case-blind pattern each of
    whose branches contains one cannot match it (a text with other letters is searched)."""
    if not text.isascii():
        return False
    lower = text.lower()
    return not any(w in lower for w in words_in)


def _has_any(text: str, words_in: tuple[str, ...]) -> bool:
    return any(w in text for w in words_in)


def _references(text: str) -> tuple[re.Pattern[str], ...]:
    """Those of _REFERENCES (in order) that can match `text`: each needs words of its own, as
    written ("west of", ", near", "in response to")."""
    return tuple(
        pattern
        for pattern, possible in (
            (_REFERENCE, "of" in text and _has_any(text, _COMPASS_ROOTS)),
            (_NEAR_REFERENCE, "," in text and _has_any(text, _NEAR_WORDS)),
            (_RESPONSE_REFERENCE, _has_any(text, _REFERENCE_WORDS)),
            (_FELT_REFERENCE, "felt" in text),
        )
        if possible
    )


def _is_label(original: list[str], i: int) -> bool:
    """A number that names rather than counts: a weapon ("Yassin 105"), a stage ("last 16",
    "round of 16", "stage 5"); every match of a round shares it."""
    before = original[i - 1].casefold() if i else ""
    if before in vocabulary.EQUIPMENT or before in _STAGES:
        return True
    return before == "of" and i > 1 and original[i - 2].casefold() == "round"


def _is_date(original: list[str], i: int) -> bool:
    word = original[i]
    if len(word) == 4 and word[:2] in ("19", "20"):
        return True
    near = {original[j].casefold() for j in (i - 1, i + 1) if 0 <= j < len(original)}
    return bool(near & MONTHS)


def _more_places(text: str, pos: int) -> list[re.Match[str]]:
    out = []
    while (match := _MORE_PLACES.match(text, pos)) is not None:
        out.append(match)
        pos = match.end()
    return out


def _unknown_place(candidate: str, demonyms: dict[str, str], entity_names: frozenset[str]) -> bool:
    folded = [w.casefold() for w in words(candidate)]
    meaningful = [w for w in folded if w not in PLACE_FILLER]
    if not meaningful:
        return False
    first = meaningful[0]
    if folded[-1] in NOT_PLACE_TAILS:
        return False  # "in Champions League", "at the Australian Open": events, not places
    return not (
        first in demonyms
        or first in GENERIC_NAMES
        or first in MONTHS
        or first in entity_names
        or first in SPEAKERS
        or (len(words(candidate)) == 1 and candidate.isupper())
    )
