"""Map build time and HTML size at 1k / 10k / 100k participants, in both modes.

Prints, per size and mode, build seconds, HTML bytes and bytes per located
participant, and the same for the naive folium approach (one ``CircleMarker`` per
person) as the baseline measured in the same run (skipped above --naive-max).

    python -m benchmarks.map_bench [--sizes 1000 10000 100000] [--naive-max 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import folium

from mapper.geo.gazetteer import get
from mapper.geo.tiers import by_population
from mapper.geography import geography
from mapper.graph import build_graph, influence
from mapper.model import Conversation, Interaction, Person, Place
from mapper.render import html_of, render_map
from mapper.report import build_report, edge_list


def synthetic(n: int, seed: int = 1) -> Conversation:
    """``n`` people in real places (weighted towards populous ones), ~3 ties each,
    preferential attachment so a few people draw most attention."""
    rng = random.Random(seed)
    rows = (
        get()
        .db.execute(
            "SELECT name, cc, a1name, lat, lon, pop FROM places WHERE "
            "kind = 'city' AND pop > 0 ORDER BY pop DESC LIMIT 20000"
        )
        .fetchall()
    )
    weights = [r[5] ** 0.5 for r in rows]
    conv = Conversation()
    for i in range(n):
        name, cc, a1, lat, lon, pop = rng.choices(rows, weights)[0]
        place = Place(name, lat, lon, cc, a1, pop, by_population(pop))
        conv.people[f"p{i}"] = Person(
            f"p{i}", f"Person {i}", place=place if rng.random() < 0.8 else None
        )
    targets = ["p0"]
    for i in range(1, n):
        for _ in range(rng.randint(1, 5)):
            t = rng.choice(targets)
            if t != f"p{i}":
                conv.interactions.append(Interaction(f"p{i}", t, "mention"))
                targets.append(t)
        targets.append(f"p{i}")
    return conv


def naive(conv: Conversation) -> str:
    m = folium.Map(tiles=None)
    for p in conv.people.values():
        if p.place:
            folium.CircleMarker(
                [p.place.lat, p.place.lon], radius=5, popup=folium.Popup(p.name), tooltip=p.name
            ).add_to(m)
    return m.get_root().render()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--naive-max", type=int, default=10000)
    args = ap.parse_args(argv)
    print(
        f"{'people':>8} {'mode':>7} {'located':>8} {'build s':>8} {'HTML bytes':>12} "
        f"{'B/located':>10}"
    )
    for n in args.sizes:
        conv = synthetic(n)
        g = build_graph(conv)
        scores = influence(g)
        rep = build_report(conv, scores, edge_list(g), geography(conv, g, scores))
        located = rep["located"]
        for mode in ("people", "places"):
            t0 = time.perf_counter()
            page = html_of(render_map(conv, rep, tiles="none", aggregate=mode))
            dt = time.perf_counter() - t0
            size = len(page.encode())
            print(f"{n:>8} {mode:>7} {located:>8} {dt:>8.2f} {size:>12,} {size / located:>10.0f}")
        if n <= args.naive_max:
            t0 = time.perf_counter()
            page = naive(conv)
            dt = time.perf_counter() - t0
            size = len(page.encode())
            print(
                f"{n:>8} {'naive':>7} {located:>8} {dt:>8.2f} {size:>12,} "
                f"{size / located:>10.0f}   (folium CircleMarker per person: the baseline)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
