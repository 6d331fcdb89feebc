"""The generic word of a first-level region, in any language it is written with.

People name a state, province or prefecture with the word that says what it is:
"São Paulo (estado)", "Estado de Jalisco", "Osaka-fu", "Aichi-ken", "Yukon Territory",
"Provincia de Córdoba", "Région Bretagne", "Bundesland Sachsen". The word says the
region is meant, not the city that shares its name ("São Paulo", "Chihuahua"), and
its language says in which countries to look (an "estado" is Mexico's, Brazil's or
Venezuela's; a "-fu" is Japan's).

A grammar per word, from a list of words per language (hand-written: no registry
package lists the generic words of divisions; every entry is tested): each word may
stand after the name (``X word``, ``X, word`` — what "X (word)" is once cleaned),
and the words of :data:`_BEFORE` before it too (``word X``, ``word de X``). The
countries of a language come from CLDR (``babel``): where it is official or spoken by
a quarter of the people. English words fit every country.
"""

from __future__ import annotations

import functools

#: Words for a first-level division, by language (keys as :func:`gazetteer.norm`
#: writes them: lower case, Latin letters without their marks). Not Russian's
#: "область" or "край": the name before them is an adjective ("Московская область"),
#: which only GeoNames' own alternate names of a region spell.
WORDS: dict[str, tuple[str, ...]] = {
    "en": ("state", "province", "prefecture", "territory", "region", "oblast", "krai"),
    "es": ("estado", "provincia", "region", "departamento", "comunidad autonoma"),
    "pt": ("estado", "provincia", "regiao"),
    "fr": ("region", "province", "etat"),
    "it": ("regione", "provincia"),
    "de": ("bundesland", "freistaat", "kanton", "provinz"),
    "nl": ("provincie",),
    "pl": ("wojewodztwo",),
    # Japanese prefectures written in Latin letters: "Aichi-ken", "Osaka-fu",
    # "Hokkai-do" (only after the name; "do" only hyphenated). Not "Tokyo-to": the
    # labels read "東京都" as the city, and its Latin spelling is left as it was
    "ja": ("ken", "fu", "do"),
}
#: The words that also stand before the name, with a preposition or without one
#: ("Estado de México", "Provincia di Lecce", "Région Bretagne", "State of Texas").
_BEFORE = frozenset(
    (
        "estado",
        "provincia",
        "province",
        "region",
        "regione",
        "regiao",
        "state",
        "etat",
        "bundesland",
        "freistaat",
        "kanton",
        "provinz",
        "provincie",
        "wojewodztwo",
        "departamento",
        "comunidad autonoma",
    )
)
_PREPOSITIONS = ("de la ", "del ", "de ", "do ", "da ", "di ", "du ", "of ", "d ")
#: Japanese words only hyphenated after the name: "do" is a word of English
_HYPHEN_ONLY = frozenset(("do",))
#: Words for "region" after a name only in brackets or after a comma (as the cleaned
#: text has it): "Moscow region", "Santiago region" are the city and around it
_BRACKETED_ONLY = frozenset(("region", "regione", "regiao"))

_LANGUAGES: dict[str, frozenset[str]] = {}
for _lang, _words in WORDS.items():
    for _w in _words:
        _LANGUAGES[_w] = _LANGUAGES.get(_w, frozenset()) | {_lang}
_LONGEST_FIRST = sorted(_LANGUAGES, key=len, reverse=True)
# cheap guards: the last and first words of the generic words
_LAST_WORDS = frozenset(w.rsplit(" ", 1)[-1] for w in _LANGUAGES)
_FIRST_WORDS = frozenset(w.split(" ", 1)[0] for w in _BEFORE)


def _hyphenated(typed: str) -> bool:
    """Is the last word of ``typed`` joined to the name by a hyphen ("Hokkai-do")?"""
    tail = typed.rstrip().rsplit("-", 1)
    return (
        len(tail) == 2
        and tail[1].strip() != ""
        and not any(c.isspace() or c == "," for c in tail[1].strip())
    )


@functools.cache
def language_countries(lang: str) -> frozenset[str] | None:
    """The countries where ``lang`` is official or spoken by a quarter of the people
    (CLDR, via ``babel``); None for English, whose words fit every country."""
    if lang == "en":
        return None
    import pycountry
    from babel.languages import get_territory_language_info

    out = set()
    for c in pycountry.countries:
        info = get_territory_language_info(c.alpha_2).get(lang) or {}
        share = info.get("population_percent")
        if info.get("official_status") in ("official", "de_facto_official") or (
            isinstance(share, int | float) and share >= 25
        ):
            out.add(c.alpha_2)
    return frozenset(out)


def split(typed: str, key: str) -> tuple[str, frozenset[str]] | None:
    """The region's name in ``key`` (the normalised ``typed`` text) and the languages
    of its generic word, when the text is a name and such a word ("Osaka-fu" →
    ("osaka", {"ja"})); None when it is not."""
    last = key.rsplit(" ", 1)[-1]
    if last in _LAST_WORDS:
        for w in _LONGEST_FIRST:
            if not key.endswith(" " + w):
                continue
            langs = _LANGUAGES[w]
            if w in _HYPHEN_ONLY and not _hyphenated(typed):
                langs = langs - {"ja"}
            if w in _BRACKETED_ONLY and "," not in typed:
                break  # "Moscow region" is around the city, "Bretagne (région)" the region
            if langs:
                return key[: -len(w) - 1], langs
            break
    if key.split(" ", 1)[0] not in _FIRST_WORDS:
        return None
    for w in _LONGEST_FIRST:
        if w in _BEFORE and key.startswith(w + " "):
            rest = key[len(w) + 1 :]
            for p in _PREPOSITIONS:
                if rest.startswith(p) and len(rest) > len(p):
                    rest = rest[len(p) :]
                    break
            return rest, _LANGUAGES[w]
    return None


def countries(langs: frozenset[str]) -> frozenset[str] | None:
    """The countries whose regions a word of ``langs`` may name; None for any."""
    out: set[str] = set()
    for lang in langs:
        found = language_countries(lang)
        if found is None:
            return None
        out |= found
    return frozenset(out)
