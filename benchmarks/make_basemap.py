"""Make mapper/data/basemap-110m.json, the offline basemap every map embeds.

Source: Natural Earth 1:110m admin-0 countries (public domain, naturalearthdata.com),
as shipped in the pyogrio wheel on PyPI (``pyogrio/tests/fixtures/naturalearth_lowres``).
Needs ``pip install 'mapper[geo]'`` (geopandas, shapely, pyogrio); run from the repo root:

    python benchmarks/make_basemap.py

Countries are simplified (Douglas–Peucker, 0.1°) and rounded to 0.01° (≈ 1 km) so the
file stays under 300 kB; the filled countries are the land, their edges the borders
and coasts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import mapping

TOLERANCE_DEG = 0.1
OUT = Path(__file__).resolve().parent.parent / "mapper" / "data" / "basemap-110m.json"


def _rounded(geom: dict) -> dict:
    def r(c):
        if isinstance(c[0], float | int):
            return [round(c[0], 2), round(c[1], 2)]
        return [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def main() -> None:
    src = (
        Path(pyogrio.__file__).parent
        / "tests"
        / "fixtures"
        / "naturalearth_lowres"
        / "naturalearth_lowres.shp"
    )
    df = pyogrio.read_dataframe(src)
    feats = []
    for _, row in df.iterrows():
        g = shapely.make_valid(row.geometry.simplify(TOLERANCE_DEG, preserve_topology=True))
        feats.append(
            {
                "type": "Feature",
                "geometry": _rounded(mapping(g)),
                "properties": {"name": row["name"], "iso_a3": row["iso_a3"], "kind": "country"},
            }
        )
    data = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via pyogrio "
        f"{pyogrio.__version__} test data; simplified {TOLERANCE_DEG} deg, rounded 0.01 deg",
        "features": feats,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUT}: {OUT.stat().st_size // 1024} kB, {len(feats)} countries")


if __name__ == "__main__":
    main()
