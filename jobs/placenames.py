"""Place names as clustering compares them: one key for a place's spellings, one id per place
the gazetteer holds (homonyms apart), and how fine a place is (a village, a city, a country).

Tagging (jobs/classify.py) says which region a name is in; this module says whether two names
are one place and whether a place pins an event (a village does, a country does not)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache, lru_cache

from jobs.arabic import has_arabic
from jobs.classify import Classifier, default_classifier, subdivisions_ar
from jobs.datafiles import data_text, load_yaml
from jobs.phrases import folded_name, words

_WORDS = load_yaml("headline_words.yaml")
# words inside a place's name that are not the place ("Gaza City", "Jenin camp")
PLACE_FILLER = frozenset(_WORDS["place_filler"]) | frozenset(" ".join(words(w)) for w in _WORDS["place_filler_ar"])
_WIDE_AREAS = frozenset(_WORDS["wide_areas"])  # areas whatever the generated layer says
_COUNTRY_ALIASES = frozenset(_WORDS["country_aliases"])  # countries' short names and aliases
_COARSE_AR = frozenset(" ".join(words(name)) for name in _WORDS["coarse_ar"])  # words() folds Arabic
_COARSE_AR |= {name.replace(" ", "") for name in _COARSE_AR if name.count(" ") == 1}  # "ديرالبلح" too
_GATEWAYS_AR = frozenset(["ميناء", "مطار"])  # a city's port or airport, named after it
_VOWELS = str.maketrans("", "", "aeiouyw'’")
_ARTICLES = frozenset(["al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ez", "es"])
SAME_SPELLING = 0.83  # difflib ratio above which two gazetteer names of one skeleton are one place


def tag_key(tagged: str) -> str:
    """The key of a tagged place or area ('MENA:nbt:f' → 'nbt'), as signatures store them."""
    return tagged.split(":")[1]


_GLUED_AR = frozenset({"كفر"})  # the first word of names Arabic writes glued or apart ("Kfar")


@lru_cache(maxsize=65536)
def undoubled(text: str) -> str:
    """Each run of one letter as one letter: spellings double consonants at will ("Roummane",
    "Kfarromman", "كفررمان")."""
    return _DOUBLED.sub(r"\1", text)


_DOUBLED = re.compile(r"(.)\1+")


def place_key(name: str) -> str:
    """One key for a place's spellings: filler words and articles out, vowels out, doubles
    collapsed ('Khan Younis' = 'Khan Yunis', 'al-Nuseirat' = 'Nuseirat', 'Hodeidah' = 'Hudaydah')."""
    parts = []
    after_initial = False
    for word in words(name.replace("'", "").replace("’", "")):
        folded = word.casefold()
        if folded in PLACE_FILLER:
            continue
        skeleton = (folded[0] + folded[1:].translate(_VOWELS)).replace("q", "k")  # Qiryat, Kiryat
        skeleton = undoubled(skeleton.replace("h", "") if len(skeleton) > 3 else skeleton)
        if parts and parts[-1] in _GLUED_AR:
            # "كفر كلا" is "كفركلا", as Arabic writes it either way; "كفر رمان" is "كفررمان",
            # whose doubled letter the one-word spelling loses like any other
            skeleton = undoubled(parts.pop() + skeleton)
        initial = len(folded) == 1 and folded.isascii()
        if initial and parts and after_initial:
            skeleton = parts.pop() + skeleton  # initials: "U.S." (words "U", "S") is "US"
        after_initial = initial
        parts.append(skeleton)
    return " ".join(parts)


def named_within(key: str, known: set[str]) -> bool:
    """A place already named, a word of one ("Khan" of "Khan Younis"), or one inside it: a
    candidate name that is not a second place."""
    return any(key == k or key in k.split() or k in key.split() for k in known)


def place_id(name: str, classifier: Classifier | None = None) -> str:
    """The id two reports must share to name one place: see _place_ids; a name the gazetteer
    lacks has its skeleton (two spellings of an unknown village still meet); a second name of
    a place (place_parents.yaml `same`: Umm al-Rashrash, Eilat) has the first one's id."""
    classifier = classifier or default_classifier()
    raw = _raw_place_id(name, classifier)
    return _hierarchy(classifier)[0].get(raw, raw)


def first_name(key: str) -> str:
    """An area's key under its first name when `key` is a second one (place_parents.yaml
    `same`): an Arabic report's "لبنان" is the "Lebanon" its speaker's demonym names. Areas are
    keyed by spelling alone (places by id: _place_ids)."""
    return _area_aliases().get(key, key)


@cache
def _area_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for first, *others in load_yaml("place_parents.yaml").get("same") or []:
        aliases.update((place_key(other), place_key(first)) for other in others if place_key(other) != place_key(first))
    return aliases


UNLIKE_KNOWN = "*"  # marks an unknown name's key that a gazetteer place's skeleton also is
SHORT_SKELETON = 2  # the longest skeleton unknown_place_key tells apart from the gazetteer's


def unknown_place_key(name: str, classifier: Classifier | None = None) -> str:
    """The key of a name the gazetteer lacks: its skeleton, which is also the id of the places
    the gazetteer holds under it ("al-Ghaziyeh" and "Gaza" are both 'gz'); spelled unlike every
    one of them, it is another place ('gz*'), as two gazetteer names of one skeleton that are not
    spelled alike are (_place_ids). A spelling close to one ("Muwasi", "al-Mawasi") keeps it."""
    key = place_key(name)
    if len(key) > SHORT_SKELETON:
        return key  # a longer skeleton is rarely two places' (and spellings of one vary more)
    held = _skeleton_groups(classifier or default_classifier()).get(key)
    if not held:
        return key
    folded = folded_name(name)
    if any(_spelled_alike(folded, other) for other, _region in held):
        return key
    return key + UNLIKE_KNOWN


@cache
def _skeleton_groups(classifier: Classifier) -> dict[str, list[tuple[str, str]]]:
    """Skeleton (place_key) → the gazetteer's (folded name, region) pairs that have it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for folded, region in classifier.place_regions.items():
        name = " ".join(folded)
        groups.setdefault(place_key(name), []).append((name, region))
    return groups


def _raw_place_id(name: str, classifier: Classifier) -> str:
    folded = folded_name(name)
    return _place_ids(classifier).get(folded) or place_key(name)


def within(inner: frozenset[str], outer: frozenset[str], classifier: Classifier | None = None) -> bool:
    """One of `inner`'s place ids lies in or right beside one of `outer`'s (Huwara and Nablus,
    Kiryat Yam and Haifa, a village and its district): two reports that name them may be about
    one spot, though neither names the other's place."""
    parents = _hierarchy(classifier or default_classifier())[1]
    for key in inner:
        around = parents.get(key)
        if around is not None and not around.isdisjoint(outer):
            return True
    return False


def around(inner: frozenset[str], classifier: Classifier | None = None) -> frozenset[str]:
    """Every place id that one of `inner`'s lies in or right beside: within(inner, outer) is
    `not around(inner).isdisjoint(outer)`, for a set compared with many others (computed once)."""
    parents = _hierarchy(classifier or default_classifier())[1]
    found = [p for p in (parents.get(key) for key in inner) if p]
    return found[0] if len(found) == 1 else frozenset().union(*found) if found else _NOWHERE


_NOWHERE: frozenset[str] = frozenset()  # most places lie in none the hierarchy knows: one object


def outside(inner: frozenset[str], outer: frozenset[str], classifier: Classifier | None = None) -> bool:
    """Every one of `inner`'s place ids has its places around it in place_parents.yaml, every
    one of `outer`'s is such a place around others, and none of `inner` lies in one of `outer`:
    the hierarchy knows both and says they are apart (Baalbek is in the Bekaa, not in south
    Lebanon), where a place it knows nothing of may lie anywhere."""
    parents = _hierarchy(classifier or default_classifier())[1]
    around = [parents.get(key) for key in inner]
    if not inner or not outer or any(not a for a in around) or not outer <= _parent_ids(classifier):
        return False
    return all(a.isdisjoint(outer) for a in around)


@cache
def _parent_ids(classifier: Classifier | None = None) -> frozenset[str]:
    """The place ids that place_parents.yaml has other places in."""
    parents = _hierarchy(classifier or default_classifier())[1]
    return frozenset().union(*parents.values())


def is_quarter(key: str, classifier: Classifier | None = None) -> bool:
    """A place that lies in another place, not only in an area (a neighbourhood, a camp, a
    district of a town: Chiyah in Beirut's suburb, Kitaf in Saada): "the Chiyah district" names
    Chiyah itself, where "the Baalbek district" names the wide area around a town."""
    return key in _quarters(classifier or default_classifier())


@cache
def _quarters(classifier: Classifier) -> frozenset[str]:
    data = load_yaml("place_parents.yaml").get("within") or {}
    return frozenset(
        _raw_place_id(child, classifier)
        for child, parents in data.items()
        if any(granularity(folded_name(p), classifier) != "area" for p in parents)
    )


@cache
def _hierarchy(classifier: Classifier) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(second name's id → first name's id, place id → the ids of every place it lies in)."""
    data = load_yaml("place_parents.yaml")
    alias: dict[str, str] = {}
    for group in data.get("same") or []:
        first, *others = (_raw_place_id(name, classifier) for name in group)
        alias.update((other, first) for other in others if other != first)
    direct: dict[str, set[str]] = {}
    for child, parents in (data.get("within") or {}).items():
        key = _raw_place_id(child, classifier)
        direct.setdefault(alias.get(key, key), set()).update(
            alias.get(p, p) for p in (_raw_place_id(name, classifier) for name in parents)
        )
        if has_arabic(child):
            # an Arabic area ("جنوب لبنان") is compared with the areas of other reports, which
            # are keyed by spelling ("lbn"), not by place id ("lbn~1"): its parents both ways
            direct[alias.get(key, key)].update(first_name(place_key(name)) for name in parents)
    closed: dict[str, frozenset[str]] = {}
    for key in direct:
        seen: set[str] = set()
        todo = list(direct[key])
        while todo:
            parent = todo.pop()
            if parent not in seen and parent != key:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closed[key] = frozenset(seen)
    return alias, closed


@cache
def _place_ids(classifier: Classifier) -> dict[str, str]:
    """Folded gazetteer name → its place id. The id is the consonant skeleton (place_key), which
    makes 'Khan Younis' and 'Khan Yunis' one place; but the skeleton also makes Saida (Lebanon)
    and Saada (Yemen), Sidon and Sydney, Hebron and Burin, Ramallah and al-Rimal one. Names the
    gazetteer holds are one place only when they share a region and are spelled alike, articles
    aside, or spellings.yaml says so; every other homonym gets an id of its own."""
    ids: dict[str, str] = {}
    for key, members in _skeleton_groups(classifier).items():
        clusters: list[list[tuple[str, str]]] = []
        for member in sorted(members, key=lambda m: (len(m[0]), m[0])):
            home = next((c for c in clusters if all(_alike(member, other) for other in c)), None)
            if home is None:
                clusters.append(home := [])
            home.append(member)
        for n, cluster in enumerate(clusters):
            ids.update((name, key if n == 0 else f"{key}~{n}") for name, _ in cluster)
    # a spellings.yaml group is one place even when its spellings' skeletons differ ("Hodeida",
    # "Hodeidah"): every member takes the id of the group's first name the gazetteer holds
    first: dict[int, str] = {}
    for name, group in _spellings().items():
        if name in ids:
            ids[name] = first.setdefault(group, ids[name])
    # a subdivision's names as a subdivision (subdivisions.yaml `names`: "Zaporizhzhia Oblast",
    # "Zaporozhye region") are one place, whatever their skeletons: the first one's id; the
    # towns and islands a group also lists ("Santorini", "Mykonos") stay places of their own
    for group in (load_yaml("subdivisions.yaml").get("names") or {}).values():
        folded = (folded_name(n) for n in group)
        present = [f for f in folded if f in ids and f.rsplit(" ", 1)[-1] in _SUBDIVISION_WORDS]
        ids.update((name, ids[present[0]]) for name in present[1:])
    # an Arabic two-word name run together ("ديرالبلح", jobs/classify.py adds them) is the name
    spaced = {name.replace(" ", ""): ids[name] for name in ids if name.count(" ") == 1 and not name.isascii()}
    ids.update((name, spaced[name]) for name in ids if " " not in name and name in spaced)
    return ids


_SUBDIVISION_WORDS = frozenset({"region", "oblast", "province", "governorate", "state", "krai", "prefecture"})


def _alike(a: tuple[str, str], b: tuple[str, str]) -> bool:
    groups = _spellings()
    if a[0] in groups and b[0] in groups:
        return groups[a[0]] == groups[b[0]]
    return a[1] == b[1] and _spelled_alike(a[0], b[0])


def _spelled_alike(a: str, b: str) -> bool:
    """Two folded names spelled alike, articles and filler words aside ("al-Mawasi", "Muwasi")."""
    return SequenceMatcher(None, _bare(a), _bare(b)).ratio() >= SAME_SPELLING


@cache
def _spellings() -> dict[str, int]:
    """jobs/data/spellings.yaml: folded name → the number of its group (one place)."""
    groups = load_yaml("spellings.yaml") or []
    return {folded_name(name): n for n, group in enumerate(groups) for name in group}


def _bare(name: str) -> str:
    """Articles and filler words out: "al-Mawasi" is "Mawasi", "Jenin camp" is "Jenin"."""
    return " ".join(w for w in name.split() if w not in _ARTICLES and w not in PLACE_FILLER)


def granularity(name: str, classifier: Classifier | None = None) -> str:
    """'area', 'coarse' or 'fine' for a folded place name the gazetteer found: the generated
    layer's kind first (a country is an area; a state, governorate or city of 150,000+ is
    coarse), then the curated layer's own word (its areas: seas, islands, wide regions)."""
    stripped = " ".join(w for w in name.split() if w not in PLACE_FILLER)  # "gaza city" → "gaza"
    grain = _grains().get(name)
    if grain is not None:
        return grain
    if name in _COARSE_AR or (name.split()[0] in _GATEWAYS_AR and stripped in _COARSE_AR):
        return "coarse"  # "ميناء الحديدة" is as coarse as "الحديدة", as "Hodeidah port" is
    if stripped != name and stripped in _grains():
        return "coarse"  # "Gaza City": named after its area or a big city, as coarse as a city
    if (classifier or default_classifier()).granularity(name) == "area":
        return "area"
    # "Gaza City" is the generated layer's "Gaza", "Deir al-Balah" its "Deir el-Balah": one
    # spelling of a big city or a governorate is as coarse as another
    classifier = classifier or default_classifier()
    key = place_id(name, classifier)
    return "coarse" if key in _coarse_ids(classifier) else "fine"


@cache
def subdivision_countries() -> dict[str, str]:
    """Area key → the country whose first-level subdivision (ISO 3166-2: a province, state or
    governorate) it is: two reports, each in another province of one country ("floods in Baghlan",
    "floods in Takhar"), are two events. English names only: the generated layer holds the units
    no other unit holds, none inside another, where the Arabic list files wide regions under the
    unit that holds them (دارفور under North Darfur) and lists Erbil beside Iraqi Kurdistan."""
    found: dict[str, str] = {}
    for parts in _geonames_rows():
        if len(parts) >= 4 and parts[2] == "subdivision":
            found.setdefault(place_key(parts[0]), parts[3])
    return found


@cache
def seat_countries() -> dict[str, str]:
    """Area key → country, for the generated layer's cities: a governorate named after its seat
    ("Dhamar governorate", "Taiz province") is a subdivision the layer files as the city, its
    name being taken (jobs/build_gazetteer.py)."""
    return {place_key(parts[0]): parts[3] for parts in _geonames_rows() if len(parts) >= 4 and parts[2] == "city"}


@cache
def _geonames_rows() -> tuple[list[str], ...]:
    """geonames_places.tsv's rows as fields (name, region, kind, country, population), read once
    for the grains and the provinces."""
    rows = (line.split("\t") for line in data_text("geonames_places.tsv").splitlines() if not line.startswith("#"))
    return tuple(parts for parts in rows if len(parts) >= 3)


COARSE_POPULATION = 150_000  # jobs/build_gazetteer.py's cut: its cities are all coarse


@cache
def _grains() -> dict[str, str]:
    """Folded place name → 'area' (countries, islands, wide regions) or 'coarse' (states,
    governorates, cities of the generated layer: big enough for several events a day); absent
    names are decided by granularity()."""
    grains: dict[str, str] = {}
    for parts in _geonames_rows():
        name = folded_name(parts[0])
        grains[name] = "area" if parts[2] in ("country", "island", "area") else "coarse"
    for line in data_text("cities_ar.tsv").splitlines():  # big cities named in Arabic, as in English
        parts = line.split("\t")
        if len(parts) == 4 and parts[3].isdigit() and int(parts[3]) >= COARSE_POPULATION:
            grains.setdefault(" ".join(words(parts[0])), "coarse")
    # Arabic states and provinces are as coarse as the English layer's, islands areas as there;
    # a name the curated layer holds keeps its own grain ("النبطية" the town, not the governorate)
    curated = load_yaml("places_ar.yaml")
    held = {" ".join(words(n)) for s in ("areas", "places") for names in curated[s].values() for n in names}
    for name, _code, section in subdivisions_ar():
        key = " ".join(words(name))
        if key not in grains and key not in held:
            grains[key] = "coarse" if section == "subdivisions" else "area"
    grains.update({name: "area" for name in _WIDE_AREAS | _COUNTRY_ALIASES})
    return grains


@cache
def _coarse_ids(classifier: Classifier) -> frozenset[str]:
    return frozenset(place_id(name, classifier) for name, grain in _grains().items() if grain == "coarse")
