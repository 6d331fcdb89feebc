"""City-size tiers, decided on the population of the urban area a place belongs to.

``metropolis``: a metro of at least ``settings.metropolis_population`` people
(Somerville, MA is in the Boston metro); ``city``: 100,000–999,999; ``town``:
10,000–99,999; ``small_town``: fewer than 10,000; ``unknown``: a region or a
country, or no population in the data — never guessed.  The metro populations
come from :mod:`mapper.geo.metro`, computed once when the gazetteer is built.
"""

from __future__ import annotations

import math

from .. import settings

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    >>> round(haversine_km(48.8566, 2.3522, 51.5074, -0.1278))
    344
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


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


def tier(kind: str, population: int | None, metro_population: int | None = None) -> str:
    """Tier of a place of ``kind`` (regions and countries are ``unknown``), from its
    metro's population when known, else its own.

    >>> tier("city", 80_318, 4_200_000), tier("region", 7_000_000), tier("city", 700)
    ('metropolis', 'unknown', 'small_town')
    """
    if kind not in ("city", "point") or not population:
        return "unknown"  # no size in the data: never guessed
    return by_population(max(metro_population or 0, population))
