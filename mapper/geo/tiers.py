"""City-size tiers, decided on the population of the urban area a place belongs to.

``metropolis``: a metro of at least ``settings.metropolis_population`` people
(Somerville, MA is in the Boston metro); ``city``: 100,000–999,999; ``town``:
10,000–99,999; ``small_town``: fewer than 10,000; ``unknown``: a region or a
country, or a GeoNames place with no population — never guessed.  A postal town or
village GeoNames' list lacks takes the tier of the catchment that holds it, else
``small_town`` (:func:`locality_tier`).  The metro populations
come from :mod:`mapper.geo.metro`, computed once when the gazetteer is built.
"""

from __future__ import annotations

from .. import settings
from .distance import EARTH_RADIUS_KM as EARTH_RADIUS_KM  # re-exported: its old home
from .distance import haversine_km as haversine_km


def by_population(population: int | None) -> str:
    """The tier of an urban area of ``population`` people.

    >>> by_population(4_900_000), by_population(60_000), by_population(500), by_population(0)
    ('metropolis', 'town', 'small_town', 'unknown')
    """
    if not population:
        return "unknown"
    if population >= settings.metropolis_population:
        return "metropolis"
    if population >= settings.city_population:
        return "city"
    if population >= settings.town_population:
        return "town"
    return "small_town"


def locality_tier(metro_population: int | None) -> str:
    """Tier of a postal town or village GeoNames' list of places of 500 people or more
    lacks (no population of its own is known): its urban area's when a town's
    catchment holds it (Roxbury, MA: Boston's), else ``small_town`` — no town's
    catchment holds it and GeoNames counts it under 500 people or not at all.

    >>> locality_tier(4_900_000), locality_tier(None)
    ('metropolis', 'small_town')
    """
    return by_population(metro_population) if metro_population else "small_town"


def tier(kind: str, population: int | None, metro_population: int | None = None) -> str:
    """Tier of a place of ``kind`` (regions and countries are ``unknown``), from its
    metro's population when known, else its own.

    >>> tier("city", 80_318, 4_200_000), tier("region", 7_000_000), tier("city", 700)
    ('metropolis', 'unknown', 'small_town')
    """
    if kind not in ("city", "point") or not population:
        return "unknown"  # no size in the data: never guessed
    return by_population(max(metro_population or 0, population))
