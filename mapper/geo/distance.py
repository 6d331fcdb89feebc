"""Distances on the Earth: the one great-circle helper, and unit-sphere coordinates for
k-d trees.  Every distance in mapper is computed here, in km on a sphere of the mean
Earth radius (IUGG), from points in degrees."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

#: Mean Earth radius in km (IUGG).
EARTH_RADIUS_KM = 6371.0088


@overload
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | NDArray[np.float64]: ...
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees: four numbers give a
    float; arrays (broadcast together) give an array, element by element.

    >>> round(haversine_km(48.8566, 2.3522, 51.5074, -0.1278))
    344
    >>> haversine_km([48.8566, 0.0], [2.3522, 0.0], [51.5074, 0.0], [-0.1278, 1.0]).round()
    array([344., 111.])
    """
    if (
        isinstance(lat1, float | int)
        and isinstance(lon1, float | int)
        and isinstance(lat2, float | int)
        and isinstance(lon2, float | int)
    ):
        # one pair: plain floats are ~20× faster than numpy on scalars
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
    import numpy as np  # here, not at the top: `mapper geocode` starts without numpy

    r1, r2 = np.radians(lat1), np.radians(lat2)
    rl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    h = np.sin((r2 - r1) / 2) ** 2 + np.cos(r1) * np.cos(r2) * np.sin(rl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def unit_xyz(lat_deg: ArrayLike, lon_deg: ArrayLike) -> NDArray[np.float64]:
    """Points in degrees → an (n, 3) array on the unit sphere (for k-d trees)."""
    import numpy as np

    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord(km: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in km → straight-line distance between unit-sphere points."""
    import numpy as np

    return 2 * np.sin(np.asarray(km, dtype=float) / (2 * EARTH_RADIUS_KM))
