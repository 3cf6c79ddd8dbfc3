"""Arabic place names the gazetteer lacks. English finds them by their capital letter in place
position ("in Aitaroun"); Arabic has no capitals, but its headlines announce a place with a noun
("بلدة مركبا", "مستعمرة المطلة", "عند أطراف بلدة رب ثلاثين"). Two reports of one template about
two villages must veto each other, not merge because the gazetteer knows neither."""

from __future__ import annotations

from functools import cache

from jobs.arabic import fold_arabic
from jobs.datafiles import load_yaml
from jobs.placenames import named_within, place_key
from jobs.vocabulary import STOP, name_heads_ar


@cache
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = load_yaml("headline_words.yaml")
    cues, stop = (frozenset(map(fold_arabic, data[k])) for k in ("place_cues_ar", "place_stop_ar"))
    return cues, name_heads_ar(), stop | STOP


_GLUED = ("وب", "ول", "فب", "و", "ب", "ل", "ف")  # "وبلدة", "لمدينة": the cue with a glued particle


def _is_cue(word: str, cues: frozenset[str]) -> bool:
    return word in cues or any(word.startswith(p) and word[len(p) :] in cues for p in _GLUED)


def _name_at(original: list[str], j: int) -> list[str]:
    """The one or two words of a name starting at `j`: a second word only after a name head
    ("بيت", "رب") or when it carries the article and is not an adjective ("عيتا الشعب")."""
    cues, heads, stop = _lists()
    if j >= len(original) or original[j] in stop or original[j].isdigit() or _is_cue(original[j], cues):
        return []
    name = [original[j]]
    if j + 1 < len(original):
        second = original[j + 1]
        fits = second not in stop and not second.isdigit() and not _is_cue(second, cues)
        if fits and (original[j] in heads or (second.startswith("ال") and len(second) > 3)):
            name.append(second)
    return name


def without_article(word: str) -> str:
    """ "المطلة" → "مطلة", so that a name meets itself written without the article; a short word
    keeps its letters ("الم" is no article and a name)."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def unknown_place_names(original: list[str]) -> list[str]:
    """Names in place position, each as its folded words with the article dropped (so that
    "المطلة" and "مطلة" meet)."""
    cues = _lists()[0]
    found: list[str] = []
    i = 0
    while i < len(original):
        if not _is_cue(original[i], cues):
            i += 1
            continue
        j = i + 1
        while j < len(original) and _is_cue(original[j], cues):
            j += 1  # "في محيط بلدة مركبا": the last of the nouns announces the name
        name = _name_at(original, j)
        if name:
            found.append(" ".join(map(without_article, name)))
        i = j + max(1, len(name))
    return found


@cache
def _before() -> dict[str, str]:
    data = load_yaml("headline_words.yaml")
    out = {fold_arabic(w): "area" for w in data["district_before_ar"]}
    out.update((fold_arabic(w), "reference") for w in data["direction_before_ar"])
    return out


def grain_from_word_before(word: str) -> str | None:
    """'area' after "قضاء"/"ريف" (the Nabatieh district, not the town), 'reference' after
    "غرب"/"جنوب" (al-Mawasi west of Rafah happened in al-Mawasi), else None; a letter glued
    before it counts for nothing ("بريف جبلة" is Jableh's countryside, as "ريف جبلة" is)."""
    before = _before()
    found = before.get(word)
    if found is None and len(word) > 3 and word[0] in _GLUED_BEFORE:
        found = before.get(word[1:])
    return found


_GLUED_BEFORE = frozenset("وبلف")  # and, in, for, so: letters written onto the next word


def unknown_place_keys(original: list[str], known: set[str]) -> list[str]:
    """The place keys of the names in place position that are not one of the `known` place keys
    (the report's gazetteer places, compared without their article)."""
    bare = {" ".join(map(without_article, k.split())) for k in known}
    keys = (place_key(name) for name in unknown_place_names(original))
    return [key for key in keys if key and not named_within(key, bare)]
