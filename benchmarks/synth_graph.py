"""Synthetic interaction graphs with a planted spatial structure, for inference tests.

People live around real places (GeoNames, weighted by population); a share
``p_local`` of their ties is to people of the same place, the rest anywhere.
"""

from __future__ import annotations

import random

from mapper.geo.gazetteer import get


def planted(
    n: int = 2000,
    places: int = 60,
    degree: int = 6,
    p_local: float = 0.5,
    seed: int = 3,
    spread_deg: float = 0.1,
) -> tuple[dict[str, tuple[float, float]], dict[str, dict[str, float]]]:
    """``(true places {person: (lat, lon)}, undirected neighbour weights)``."""
    rng = random.Random(seed)
    rows = (
        get()
        .db.execute(
            "SELECT lat, lon, pop FROM places WHERE kind = 'city' AND pop > "
            "50000 ORDER BY pop DESC LIMIT 2000"
        )
        .fetchall()
    )
    chosen = rng.sample(rows, places)
    home = {f"p{i}": rng.choices(chosen, [r[2] ** 0.5 for r in chosen])[0] for i in range(n)}
    by_place: dict[tuple, list[str]] = {}
    for p, r in home.items():
        by_place.setdefault(r, []).append(p)
    nbrs: dict[str, dict[str, float]] = {p: {} for p in home}
    people = list(home)
    for p in people:
        for _ in range(rng.randint(1, degree)):
            pool = by_place[home[p]] if rng.random() < p_local else people
            q = rng.choice(pool)
            if q != p:
                nbrs[p][q] = nbrs[p].get(q, 0) + 1
                nbrs[q][p] = nbrs[q].get(p, 0) + 1
    # people live around their town, not on its centre point (0.1° ≈ 11 km)
    truth = {
        p: (r[0] + rng.gauss(0, spread_deg), r[1] + rng.gauss(0, spread_deg))
        for p, r in home.items()
    }
    return truth, nbrs
