"""Score the offline locator on the labelled strings in tests/data/geocode-eval/.

Prints, per file: accuracy, precision, recall, junk rejected, small-town accuracy,
per-category accuracy, and throughput (strings/s) against a plain dict lookup of
pre-normalised names measured in the same run.

    python -m benchmarks.geocode_eval [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from anyascii import anyascii

from mapper.geo.distance import haversine_km
from mapper.geo.gazetteer import get, norm
from mapper.geo.locate import Locator

HERE = Path(__file__).resolve().parent.parent / "tests" / "data" / "geocode-eval"


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def same_name(a: str, b: str) -> bool:
    return norm(anyascii(a)) == norm(anyascii(b))


def correct(rec: dict, expected: str) -> bool:
    """Is the ``mapper geocode`` record ``rec`` the labelled answer?"""
    kind, _, rest = expected.partition(":")
    if kind == "none":
        return rec["lat"] is None
    if rec["lat"] is None:
        return False
    if kind == "point":
        lat, lon = map(float, rest.split(","))
        return haversine_km(lat, lon, rec["lat"], rec["lon"]) <= 1.0
    if kind == "country":
        return rec["kind"] == "country" and rec["country_code"] == rest
    if kind == "region":
        cc, a1 = rest.split(":")
        return rec["kind"] == "region" and rec["country_code"] == cc and rec.get("_a1") == a1
    parts = rest.split(":")
    name, cc = parts[0], parts[1]
    a1 = parts[2] if len(parts) > 2 else None
    return (
        rec["kind"] == "city"
        and rec["country_code"] == cc
        and same_name(rec["name"], name)
        and (a1 is None or rec.get("_a1") == a1)
    )


def score(rows: list[dict[str, str]], locator: Locator) -> tuple[dict, list]:
    results, errors = [], []
    for r in rows:
        res, _ = locator.resolve(r["query"])
        rec = locator.geocode_record(r["query"])
        rec["_a1"] = res.entry.admin1_code if res.entry is not None else None
        ok = correct(rec, r["expected"])
        results.append((r, rec, ok))
        if not ok:
            errors.append(
                (
                    r["query"],
                    r["expected"],
                    rec.get("name") or rec.get("reason"),
                    rec.get("country_code"),
                    rec.get("_a1"),
                )
            )
    n = len(results)
    should = [x for x in results if x[0]["expected"] != "none"]
    resolved = [x for x in results if x[1]["lat"] is not None]
    junk = [x for x in results if x[0]["expected"] == "none"]
    small = [x for x in results if x[0]["category"] == "small_town"]
    by_cat = Counter(x[0]["category"] for x in results)
    ok_cat = Counter(x[0]["category"] for x in results if x[2])
    return {
        "n": n,
        "accuracy": sum(x[2] for x in results) / n,
        "precision": sum(x[2] for x in resolved) / len(resolved) if resolved else 0.0,
        "recall": sum(x[2] for x in should) / len(should) if should else 0.0,
        "junk_rejected": sum(x[1]["lat"] is None for x in junk) / len(junk) if junk else 0.0,
        "small_town_accuracy": sum(x[2] for x in small) / len(small) if small else 0.0,
        "by_category": {c: f"{ok_cat[c]}/{by_cat[c]}" for c in sorted(by_cat)},
    }, errors


def throughput(queries: list[str], rounds: int = 20) -> tuple[float, float]:
    """(strings/s for a cold locator per round, strings/s for a plain dict lookup)."""
    gz = get()
    distinct = list(dict.fromkeys(queries))
    t0 = time.perf_counter()
    for _ in range(rounds):
        gz._cache.clear()  # fresh caches each round: every string is really resolved
        loc = Locator(gz)
        for q in distinct:
            loc.resolve(q)
    ours = rounds * len(distinct) / (time.perf_counter() - t0)
    table = {norm(q): i for i, q in enumerate(distinct)}
    keys = [norm(q) for q in distinct]
    t0 = time.perf_counter()
    for _ in range(rounds * 50):
        for k in keys:
            table.get(k)
    base = rounds * 50 * len(keys) / (time.perf_counter() - t0)
    return ours, base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    locator = Locator()
    all_queries = []
    for name in ("dev.tsv", "holdout.tsv"):
        rows = load(HERE / name)
        all_queries += [r["query"] for r in rows]
        s, errors = score(rows, locator)
        print(
            f"{name}: n={s['n']} accuracy={s['accuracy']:.1%} precision={s['precision']:.1%} "
            f"recall={s['recall']:.1%} junk_rejected={s['junk_rejected']:.1%} "
            f"small_town_accuracy={s['small_town_accuracy']:.1%}"
        )
        print(f"  by category: {s['by_category']}")
        if args.show_errors:
            for e in errors:
                print("  MISS", e)
    ours, base = throughput(all_queries)
    print(
        f"throughput: {ours:,.0f} strings/s offline vs {base:,.0f} strings/s plain dict "
        f"lookup (ratio {ours / base:.2%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
