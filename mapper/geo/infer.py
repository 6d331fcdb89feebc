"""Locating the unlocated from their network: iterative spatial label propagation.

An unlocated person gets the weighted geometric median of their located
neighbours' places (neighbours in the interaction graph, either direction,
weighted by the number of interactions), repeated until nothing changes, so a
place can spread along a chain of people (Jurgens, ICWSM 2013; Compton et al.
2014).  A person is placed only when their neighbours agree: at least
``min_neighbours`` located neighbours whose weighted median distance to the
median point (the *dispersion*, km) is at most ``max_dispersion_km``.  The
place is the gazetteer place nearest that point; it carries ``source =
"network"``, a confidence, and the dispersion, and is never counted as a stated
location.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import settings
from ..model import Conversation, Place
from .distance import haversine_km

# the limits (settings.infer_*) are calibrated on synthetic graphs and the shared
# tweet files (see README)


_T = TypeVar("_T", int, float)


def _or(value: _T | None, default: _T) -> _T:
    return default if value is None else value


def _vec(lat: float, lon: float) -> tuple[float, float, float]:
    p, lam = math.radians(lat), math.radians(lon)
    return (math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p))


def _latlon(v: tuple[float, float, float]) -> tuple[float, float]:
    x, y, z = v
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def geometric_median(
    points: list[tuple[float, float]], weights: list[float] | None = None, iterations: int = 100
) -> tuple[float, float]:
    """The weighted geometric median (degrees) of points on the sphere (Weiszfeld).

    >>> lat, lon = geometric_median([(0, 0), (0, 0), (0, 10)])
    >>> round(lat, 3), round(lon, 3)
    (0.0, 0.0)
    """
    weights = weights or [1.0] * len(points)
    vs = [_vec(*p) for p in points]
    total = sum(weights)
    y = [sum(w * v[k] for w, v in zip(weights, vs, strict=True)) / total for k in range(3)]
    for _ in range(iterations):
        num, den = [0.0, 0.0, 0.0], 0.0
        for w, v in zip(weights, vs, strict=True):
            d = math.dist(y, v)
            if d < 1e-12:
                return _latlon(tuple(v))  # type: ignore[arg-type]
            num = [num[k] + w * v[k] / d for k in range(3)]
            den += w / d
        new = [num[k] / den for k in range(3)]
        if math.dist(new, y) < 1e-12:
            y = new
            break
        y = new
    n = math.sqrt(sum(c * c for c in y)) or 1.0
    return _latlon((y[0] / n, y[1] / n, y[2] / n))


def _weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted(zip(values, weights, strict=True))
    half, acc = sum(weights) / 2, 0.0
    for v, w in pairs:
        acc += w
        if acc >= half:
            return v
    return pairs[-1][0]


def neighbour_weights(g) -> dict[str, dict[str, float]]:
    """Undirected neighbour weights: interactions in either direction summed."""
    from ..graph import as_edges

    edges = as_edges(g)
    nodes = edges.nodes
    out: dict[str, dict[str, float]] = {n: {} for n in nodes}
    for e in range(len(edges)):
        s, t, w = nodes[edges.src[e]], nodes[edges.dst[e]], float(edges.weight[e])
        out[s][t] = out[s].get(t, 0.0) + w
        out[t][s] = out[t].get(s, 0.0) + w
    return out


@dataclass
class Guess:
    lat: float
    lon: float
    dispersion_km: float
    neighbours: int


def propagate(
    known: dict[str, tuple[float, float]],
    nbrs: dict[str, dict[str, float]],
    max_dispersion_km: float | None = None,
    min_neighbours: int | None = None,
    max_rounds: int | None = None,
) -> dict[str, Guess]:
    """Guesses (degrees, km) for people not in ``known``, by rounds of propagation.
    The limits default to ``settings.infer_max_dispersion_km`` (km),
    ``settings.infer_min_neighbours`` and ``settings.infer_max_rounds``.

    >>> known = {"a": (43.6, -116.2), "b": (43.6, -116.2), "c": (48.85, 2.35)}
    >>> nbrs = {"x": {"a": 1, "b": 1}, "y": {"a": 1, "c": 1}, "a": {}, "b": {}, "c": {}}
    >>> g = propagate(known, nbrs)
    >>> sorted(g), round(g["x"].lat, 1), round(g["x"].dispersion_km)
    (['x'], 43.6, 0)
    """
    max_dispersion_km = _or(max_dispersion_km, settings.infer_max_dispersion_km)
    min_neighbours = _or(min_neighbours, settings.infer_min_neighbours)
    max_rounds = _or(max_rounds, settings.infer_max_rounds)
    placed = dict(known)
    guesses: dict[str, Guess] = {}
    for _ in range(max_rounds):
        new: dict[str, Guess] = {}
        for person, near in nbrs.items():
            if person in placed:
                continue
            pts, ws = [], []
            for other, w in near.items():
                if other in placed:
                    pts.append(placed[other])
                    ws.append(w)
            if len(pts) < min_neighbours:
                continue
            lat, lon = geometric_median(pts, ws)
            spread = _weighted_median([haversine_km(lat, lon, a, b) for a, b in pts], ws)
            if spread <= max_dispersion_km:
                new[person] = Guess(lat, lon, spread, len(pts))
        if not new:
            break
        for person, guess in new.items():
            placed[person] = (guess.lat, guess.lon)
            guesses[person] = guess
    return guesses


def infer_locations(
    conv: Conversation,
    g,
    gazetteer: Any = None,
    max_dispersion_km: float | None = None,
    min_neighbours: int | None = None,
) -> int:
    """Give unlocated people in ``conv`` a place inferred from their network
    (``source="network"``); return how many were placed."""
    from .gazetteer import get
    from .locate import make_place
    from .parse import Parser

    for p in conv.people.values():  # a re-run starts from the stated places only
        if p.place is not None and p.place.source == "network":
            p.place = None
    gz = gazetteer or get()
    parser = Parser(gz)
    nbrs = neighbour_weights(g)
    known = {
        pid: (p.place.lat, p.place.lon)
        for pid, p in conv.people.items()
        if p.place is not None and p.place.source != "network" and pid in nbrs
    }
    max_dispersion_km = _or(max_dispersion_km, settings.infer_max_dispersion_km)
    guesses = propagate(known, nbrs, max_dispersion_km, min_neighbours)
    for pid, guess in guesses.items():
        person = conv.people[pid]
        near = parser.nearest(guess.lat, guess.lon, max_km=settings.infer_snap_km)
        confidence = round(
            min(
                settings.infer_confidence_max,
                settings.infer_confidence_base
                + settings.infer_confidence_per_neighbour * guess.neighbours,
            )
            * (1 - guess.dispersion_km / (2 * max_dispersion_km)),
            2,
        )
        if near is not None:
            place = make_place(near, gz, "network", confidence)
            place.dispersion_km = round(guess.dispersion_km, 1)
        else:
            place = Place(
                f"{guess.lat:.2f}, {guess.lon:.2f}",
                guess.lat,
                guess.lon,
                None,
                None,
                None,
                "unknown",
                "point",
                "network",
                confidence,
                dispersion_km=round(guess.dispersion_km, 1),
            )
        person.place = place
        person.add_evidence(
            "inferred",
            f"from {guess.neighbours} located neighbours, dispersion {guess.dispersion_km:.0f} km",
            "network",
        )
    return len(guesses)


# --- evaluation --------------------------------------------------------------------


def _summary(errors: list[float], hidden: int) -> dict[str, Any]:
    return {
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "within_40km": round(sum(e <= 40 for e in errors) / len(errors), 3) if errors else None,
        "within_161km": round(sum(e <= 161 for e in errors) / len(errors), 3) if errors else None,
        "coverage": round(len(errors) / hidden, 3) if hidden else None,
        "n": len(errors),
    }


def evaluate(
    known: dict[str, tuple[float, float]],
    nbrs: dict[str, dict[str, float]],
    hide: float = 0.2,
    seeds: Iterable[int] = range(5),
    max_dispersion_km: float | None = None,
    min_neighbours: int | None = None,
) -> dict[str, Any]:
    """Hide a share of the located people (for each seed), infer, and measure the
    error (km) against the hidden truth, for the method and two baselines: every
    hidden person at the geometric median of everyone located (``global_median``),
    and at the place of a random located neighbour (``random_neighbour``)."""
    method: list[float] = []
    glob: list[float] = []
    rand: list[float] = []
    hidden_total = 0
    for seed in seeds:
        rng = random.Random(seed)
        people = sorted(known)
        hidden = set(rng.sample(people, max(1, int(len(people) * hide)))) if people else set()
        hidden_total += len(hidden)
        visible = {p: ll for p, ll in known.items() if p not in hidden}
        guesses = propagate(visible, nbrs, max_dispersion_km, min_neighbours)
        for p in hidden:
            if p in guesses:
                method.append(haversine_km(guesses[p].lat, guesses[p].lon, *known[p]))
        if visible:
            centre = geometric_median(list(visible.values()))
            glob.extend(haversine_km(*centre, *known[p]) for p in hidden)
        for p in sorted(hidden):
            located = [o for o in sorted(nbrs.get(p, {})) if o in visible]
            if located:
                rand.append(haversine_km(*visible[rng.choice(located)], *known[p]))
    return {
        "method": _summary(method, hidden_total),
        "baselines": {
            "global_median": _summary(glob, hidden_total),
            "random_neighbour": _summary(rand, hidden_total),
        },
    }
