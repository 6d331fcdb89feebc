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

from mapper._pipeline import Run
from mapper.geo.gazetteer import get
from mapper.geo.tiers import by_population
from mapper.model import Conversation, Interaction, Person, Place
from mapper.render import html_of, render_map


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


def open_seconds(page: str) -> float:
    """Seconds until the map's circles are on screen in headless Chromium."""
    import shutil
    import tempfile
    from pathlib import Path

    from mapper import settings
    from tests.browser import serve_site

    class _MP:  # the small part of pytest's monkeypatch that serve_site uses
        def setattr(self, obj, name, value):
            setattr(obj, name, value)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        gen = serve_site(Path(d), _MP())
        root, base = next(gen)
        # the page was rendered for the CDN: point it at the local copies
        (root / "m.html").write_text(
            page.replace("https://cdn.jsdelivr.net/", f"{base}/assets/cdn.jsdelivr.net/")
        )
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            tab = b.new_page()
            t0 = time.perf_counter()
            tab.goto(f"{base}/m.html")
            tab.wait_for_function(
                "document.querySelectorAll('path.mapper-person, path.mapper-place').length > 0",
                timeout=120_000,
            )
            dt = time.perf_counter() - t0
            b.close()
        settings.asset_base_url = None
        next(gen, None)
    return dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--naive-max", type=int, default=10000)
    ap.add_argument(
        "--browser",
        action="store_true",
        help="also time opening each map in headless Chromium (assets served "
        "from .ci/assets on 127.0.0.1)",
    )
    args = ap.parse_args(argv)
    print(
        f"{'people':>8} {'mode':>7} {'located':>8} {'build s':>8} {'HTML bytes':>12} "
        f"{'B/located':>10}"
    )
    for n in args.sizes:
        conv = synthetic(n)  # people already placed: the pipeline runs from `graph` on
        rep = Run.of_conversation(conv).product("report")
        located = rep.counts.located
        for mode in ("people", "places"):
            t0 = time.perf_counter()
            page = html_of(
                render_map(rep.people, rep.ties, rep.geography, tiles="none", aggregate=mode)
            )
            dt = time.perf_counter() - t0
            size = len(page.encode())
            shown = f"  opens in {open_seconds(page):.1f} s" if args.browser else ""
            print(
                f"{n:>8} {mode:>7} {located:>8} {dt:>8.2f} {size:>12,} {size / located:>10.0f}"
                f"{shown}"
            )
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
