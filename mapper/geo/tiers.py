"""City-size tiers from population, with big-city metro areas.

``metropolis``: within ``settings.metro_radius_km`` of a city of at least
``settings.metropolis_population`` people (the city itself included);
``city``: 100,000–999,999; ``town``: 10,000–99,999; ``small_town``: fewer
than 10,000; ``unknown``: a region or country, or no population in the data.
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
    """The tier of a place of ``population`` people, ignoring metro areas.

    >>> by_population(60_000), by_population(500), by_population(0)
    ('town', 'small_town', 'unknown')
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


class Metros:
    """Big cities, for the "is this place in a big city's metro area" test."""

    def __init__(self, cities: list[tuple[str, float, float]]):
        self.cities = sorted(cities, key=lambda c: c[1])
        self._lats = [c[1] for c in self.cities]

    def nearest(self, lat: float, lon: float) -> tuple[str, float] | None:
        """``(name, km)`` of the nearest big city within the metro radius, else None."""
        import bisect

        r = settings.metro_radius_km
        dlat = r / 111.0
        lo = bisect.bisect_left(self._lats, lat - dlat)
        hi = bisect.bisect_right(self._lats, lat + dlat)
        best = None
        for name, clat, clon in self.cities[lo:hi]:
            d = haversine_km(lat, lon, clat, clon)
            if d <= r and (best is None or d < best[1]):
                best = (name, d)
        return best

    def tier(self, lat: float, lon: float, population: int | None, kind: str = "city") -> str:
        """Tier of a place; regions and countries are ``unknown``."""
        if kind not in ("city", "point") or not population:
            return "unknown"  # no size in the data: never guessed
        if self.nearest(lat, lon) is not None:
            return "metropolis"
        return by_population(population)
