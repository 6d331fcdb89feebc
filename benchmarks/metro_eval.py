"""Check the metro rule against published metro populations (tests/data/metro-eval/).

For every labelled place (name, country, approximate point, published population of
the urban area it belongs to, expected tier) it finds the gazetteer's place — the
place of that name nearest the point within 30 km, else the most populous place
within 10 km — and compares the tool's metro population and tier with the
published ones. Prints, per file: tier agreement, the median ratio of our metro
population to the published one, the share within a factor of 2, agreement per
expected tier and per continent; ``--show-errors`` lists every disagreement.

The rule's parameters were tuned on ``metros-dev.tsv`` only (``--tune`` prints the
grid it was chosen from); ``metros-holdout.tsv`` is the honest score.

    python -m benchmarks.metro_eval [--show-errors] [--tune]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mapper import settings
from mapper.geo.gazetteer import Gazetteer, get, norm
from mapper.geo.tiers import haversine_km, tier

HERE = Path(__file__).resolve().parent.parent / "tests" / "data" / "metro-eval"
FILES = ("metros-dev.tsv", "metros-holdout.tsv")


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def find(gz: Gazetteer, row: dict[str, str]) -> tuple[int, str, int] | None:
    """``(id, name, population)`` of the gazetteer place a row means, or None."""
    lat, lon = float(row["lat"]), float(row["lon"])
    named = [
        (haversine_km(lat, lon, e.lat, e.lon), e)
        for e in gz.lookup(norm(row["place"]))
        if e.kind == "city" and e.country_code == row["country_code"]
    ]
    named = [(km, e) for km, e in named if km <= 30]
    if named:
        e = min(named, key=lambda ke: (ke[0], -ke[1].population))[1]
        return e.id, e.name, e.population
    d = 10 / 111.0
    near = gz.db.execute(
        "SELECT id, name, pop, lat, lon FROM places WHERE kind = 'city' AND cc = ?"
        " AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
        (row["country_code"], lat - d, lat + d, lon - 2 * d, lon + 2 * d),
    ).fetchall()
    near = [r for r in near if haversine_km(lat, lon, r[3], r[4]) <= 10]
    if not near:
        return None
    r = max(near, key=lambda r: r[2])
    return r[0], r[1], r[2]


@dataclass
class Outcome:
    row: dict[str, str]
    found: str | None
    population: int | None
    metro_population: int | None
    metro: str | None
    tier: str

    @property
    def ratio(self) -> float | None:
        pub = int(self.row["published_metro_population"])
        return self.metro_population / pub if self.metro_population and pub else None

    @property
    def right(self) -> bool:
        return self.tier == self.row["expected_tier"]


def evaluate(gz: Gazetteer, rows: list[dict[str, str]], metro_of=None) -> list[Outcome]:
    """Each row's outcome; ``metro_of(place_id) -> (population, name)`` defaults to the
    gazetteer's own metros table."""
    metro_of = metro_of or gz.metro
    out = []
    for row in rows:
        hit = find(gz, row)
        if hit is None:
            out.append(Outcome(row, None, None, None, None, "unlocated"))
            continue
        pid, name, pop = hit
        m = metro_of(pid)
        out.append(
            Outcome(
                row,
                name,
                pop or None,
                m[0] if m else None,
                m[1] if m else None,
                tier("city", pop, m[0] if m else None),
            )
        )
    return out


def scores(outcomes: list[Outcome]) -> dict[str, float]:
    ratios = [o.ratio for o in outcomes if o.ratio is not None]
    return {
        "n": len(outcomes),
        "tier_agreement": sum(o.right for o in outcomes) / len(outcomes),
        "median_ratio": statistics.median(ratios) if ratios else float("nan"),
        "within_2x": sum(1 for r in ratios if 0.5 <= r <= 2) / len(ratios) if ratios else 0.0,
        "found": sum(o.found is not None for o in outcomes) / len(outcomes),
    }


def report(name: str, outcomes: list[Outcome], show_errors: bool) -> None:
    s = scores(outcomes)
    print(
        f"== {name}: {s['n']} places, tier agreement {s['tier_agreement']:.1%}, "
        f"median metro ratio (ours / published) {s['median_ratio']:.2f}, "
        f"within 2× {s['within_2x']:.0%}, found in the gazetteer {s['found']:.0%}"
    )
    for key in ("expected_tier", "continent"):
        groups: dict[str, list[Outcome]] = {}
        for o in outcomes:
            groups.setdefault(o.row[key], []).append(o)
        print(
            f"   by {key}: "
            + ", ".join(
                f"{g} {sum(o.right for o in v)}/{len(v)}" for g, v in sorted(groups.items())
            )
        )
    confusion = Counter((o.row["expected_tier"], o.tier) for o in outcomes if not o.right)
    if confusion:
        print(
            "   disagreements (expected → ours): "
            + ", ".join(f"{a} → {b} ×{n}" for (a, b), n in confusion.most_common())
        )
    if show_errors:
        for o in outcomes:
            if not o.right:
                pub = int(o.row["published_metro_population"])
                print(
                    f"   ✗ {o.row['place']} ({o.row['country_code']}): expected "
                    f"{o.row['expected_tier']} (published {pub:,}), got {o.tier} — "
                    f"{o.found or 'not found'} pop {o.population or 0:,}, metro "
                    f"{o.metro or '-'} {o.metro_population or 0:,}"
                )


def tune(gz: Gazetteer, rows: list[dict[str, str]]) -> None:
    """The parameter grid on the dev rows only: metros recomputed in memory from the
    gazetteer's places for each setting (no rebuild)."""
    from mapper.geo.metro import urban_areas

    data = np.array(
        gz.db.execute("SELECT id, lat, lon, pop FROM places WHERE kind = 'city'").fetchall(),
        dtype=float,
    )
    ids = data[:, 0].astype(np.int64)
    index = {int(i): k for k, i in enumerate(ids)}
    keep = {
        f: getattr(settings, f)
        for f in ("metro_radius_km_at_1m", "metro_radius_exponent", "metro_radius_max_km")
    }
    print("R(1M) km  exponent  cap km   dev tier agreement  median ratio")
    try:
        for r1, b, cap in itertools.product((30.0, 40.0, 50.0), (0.3, 0.4, 0.5), (60.0, 80.0)):
            settings.metro_radius_km_at_1m = r1
            settings.metro_radius_exponent = b
            settings.metro_radius_max_km = cap
            areas = urban_areas(data[:, 1], data[:, 2], data[:, 3].astype(np.int64))

            def metro_of(pid: int, areas=areas):
                k = index.get(pid)
                return None if k is None else (int(areas.population[k]), "")

            s = scores(evaluate(gz, rows, metro_of))
            print(
                f"{r1:8.0f}  {b:8.1f}  {cap:6.0f}   {s['tier_agreement']:18.1%}  "
                f"{s['median_ratio']:12.2f}"
            )
    finally:
        for f, v in keep.items():
            setattr(settings, f, v)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show-errors", action="store_true", help="list every disagreement")
    ap.add_argument("--tune", action="store_true", help="print the parameter grid on dev")
    args = ap.parse_args(argv)
    gz = get()
    if args.tune:
        tune(gz, load(HERE / FILES[0]))
        return 0
    print(
        f"rule: metro ≥ {settings.metropolis_population:,} metropolis, "
        f"≥ {settings.city_population:,} city, ≥ {settings.town_population:,} town; "
        f"catchment {settings.metro_radius_km_at_1m:g} km × (pop / 1M)^"
        f"{settings.metro_radius_exponent:g}, ≤ {settings.metro_radius_max_km:g} km"
    )
    for name in FILES:
        report(name, evaluate(gz, load(HERE / name)), args.show_errors)
    # the municipality-only rule the project had before, for comparison
    for name in FILES:
        rows = load(HERE / name)
        outs = evaluate(gz, rows, metro_of=lambda pid: None)
        right = sum(o.right for o in outs) / len(outs)
        print(f"   baseline (municipality's own population) on {name}: tier agreement {right:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
