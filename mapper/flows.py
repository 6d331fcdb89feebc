"""Flows between places, legible at 10,000 people (after Flowmap.blue and kepler.gl).

Interactions are summed between *clusters* of positions: a grid whose cells shrink as
the map zooms in (:data:`ZOOMS`), so a world view shows a few thick continental flows
and a city view the flows between its neighbourhoods.  At each zoom only the ``top``
strongest flows are kept; width and opacity follow the weight, lines curve to the right
of their direction and carry an arrowhead at the middle, and every line is cut at the
antimeridian so all coordinates stay within ±180° / ±90° (RFC 7946).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from branca.element import MacroElement
from folium.template import Template

#: Leaflet zoom levels with their own clustering; a zoom uses the largest level ≤ it.
ZOOMS = (1, 3, 5, 7, 9)
#: Most flows drawn at any zoom level (the strongest); fewer when zoomed out (:func:`top_at`).
TOP = 150


def top_at(zoom: int, top: int = TOP) -> int:
    """Flows drawn at a zoom level: 30 at the world view (zoom 1), doubling every two
    zoom levels, at most ``top`` — a world map has room for few lines.

    >>> [top_at(z) for z in ZOOMS]
    [30, 60, 120, 150, 150]
    """
    return min(top, 30 * 2 ** max(0, (zoom - 1) // 2))


@dataclass(frozen=True, slots=True)
class Flow:
    """A directed flow between two cluster centres (degrees) and its summed weight
    (interactions); ``people`` is how many distinct ties were summed."""

    a: tuple[float, float]
    b: tuple[float, float]
    weight: float
    ties: int


def cell_deg(zoom: int) -> float:
    """Grid cell size in degrees at a Leaflet zoom: about 60 screen pixels wide."""
    return 60 * 360 / (256 * 2**zoom)


def cluster_flows(
    pos: Mapping[str, tuple[float, float]],
    ties: Iterable[tuple[str, str, float]],
    cell: float,
    top: int = TOP,
) -> list[Flow]:
    """The ``top`` strongest flows between grid cells of ``cell`` degrees: each end is
    the mean position of the located ids in its cell; ties within one cell and ties
    whose ends are not in ``pos`` are left out.  Strongest first.

    >>> pos = {"a": (0.0, 0.0), "b": (0.1, 0.1), "c": (10.0, 10.0)}
    >>> fl = cluster_flows(pos, [("a", "c", 1), ("b", "c", 2), ("a", "b", 5)], cell=1)
    >>> [(f.a, f.b, f.weight, f.ties) for f in fl]
    [((0.05, 0.05), (10.0, 10.0), 3.0, 2)]
    """

    return FlowIndex(pos, ties).cluster(cell, top)


class FlowIndex:
    """Positions and ties as NumPy arrays, made once and clustered at every zoom level:
    ``pts`` (distinct positions, lat/lon), ``mass`` (ids at each), and per ordered pair
    of positions its summed weight and number of ties (ties whose ends are not both in
    ``pos`` left out)."""

    def __init__(
        self,
        pos: Mapping[str, tuple[float, float]],
        ties: Iterable[tuple[str, str, float]] = (),
        *,
        records: Iterable[Any] | None = None,
        arrays: tuple[Sequence[str], Any, Any, Any] | None = None,
    ) -> None:
        """``ties`` as ``(source, target, weight)`` tuples, as ``records`` with those
        three attributes (:class:`~mapper.products.Tie`), or as ``arrays``: ``(nodes,
        src, dst, weight)``, the ends as indices into the ids ``nodes`` (the report's
        :class:`~mapper.report.Ties`: 950k ties at 1M tweets, issue #17, read without
        a Tie or a tuple made for each)."""
        import numpy as np

        where: dict[tuple[float, float], int] = {}
        pid = {k: where.setdefault(p, len(where)) for k, p in pos.items()}
        get = pid.get
        if arrays is not None:
            nodes, n_src, n_dst, n_weight = arrays
            # each node's position index once (-1: not located), then every tie's ends
            at = np.fromiter(map(get, nodes, repeat(-1)), dtype=np.int64, count=len(nodes))
            a, b = at[n_src], at[n_dst]
            both = (a >= 0) & (b >= 0)
            src, dst, wts = a[both], b[both], np.asarray(n_weight)[both]
        else:
            if records is not None:
                ties = ((r.source, r.target, r.weight) for r in records)
            src, dst, wts = [], [], []
            for s, t, w in ties:
                a, b = get(s), get(t)
                if a is not None and b is not None:
                    src.append(a)
                    dst.append(b)
                    wts.append(w)
        self.pts = np.array(list(where), dtype=float).reshape(-1, 2)
        self.mass = np.bincount(
            np.fromiter(pid.values(), dtype=np.int64, count=len(pid)), minlength=len(where)
        ).astype(float)
        k = max(len(where), 1)
        key = np.array(src, dtype=np.int64) * k + np.array(dst, dtype=np.int64)
        pairs, inv = np.unique(key, return_inverse=True)
        inv = inv.reshape(-1)
        self.src, self.dst = pairs // k, pairs % k
        self.weight = np.bincount(inv, np.array(wts, dtype=float), minlength=len(pairs))
        self.ties = np.bincount(inv, minlength=len(pairs)).astype(float)

    def cluster(self, cell: float, top: int = TOP) -> list[Flow]:
        """:func:`cluster_flows` at one cell size, with ``unique``/``bincount``."""
        import numpy as np

        if not len(self.src):
            return []
        grid = np.floor(self.pts / cell).astype(np.int64)
        # cells sorted as (row, column) tuples, so ties in weight break as tuples would
        cells, cell_of = np.unique(grid, axis=0, return_inverse=True)
        cell_of = cell_of.reshape(-1)
        m = np.bincount(cell_of, self.mass)
        lat = np.bincount(cell_of, self.pts[:, 0] * self.mass) / m
        lon = np.bincount(cell_of, self.pts[:, 1] * self.mass) / m
        ka, kb = cell_of[self.src], cell_of[self.dst]
        keep = ka != kb
        if not keep.any():
            return []
        key = ka[keep] * len(cells) + kb[keep]
        uniq, inv = np.unique(key, return_inverse=True)
        inv = inv.reshape(-1)
        w = np.bincount(inv, self.weight[keep])
        n = np.bincount(inv, self.ties[keep])
        out = []
        for i in np.lexsort((uniq, -w))[:top]:
            a, b = divmod(int(uniq[i]), len(cells))
            out.append(
                Flow(
                    (float(lat[a]), float(lon[a])),
                    (float(lat[b]), float(lon[b])),
                    float(w[i]),
                    int(n[i]),
                )
            )
        return out


def split_antimeridian(pts: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A line of ``(lat, lon)`` points whose longitudes may run past ±180 (unwrapped)
    as pieces of ``(lon, lat)`` pairs each within ±180, cut where it crosses.

    >>> split_antimeridian([(0.0, 170.0), (10.0, 190.0)])
    [[(170.0, 0.0), (180.0, 5.0)], [(-180.0, 5.0), (-170.0, 10.0)]]
    """

    def wrap(lon: float) -> float:
        return ((lon + 180) % 360) - 180 if not -180 <= lon <= 180 else lon

    pieces: list[list[tuple[float, float]]] = [[]]
    for i, (lat, lon) in enumerate(pts):
        if i:
            plat, plon = pts[i - 1]
            # the multiples of 360 past -180 each end lies in; a change is a crossing
            k0, k1 = math.floor((plon + 180) / 360), math.floor((lon + 180) / 360)
            if k0 != k1 and lon != plon:
                edge = (max(k0, k1)) * 360 - 180  # the unwrapped meridian crossed
                f = (edge - plon) / (lon - plon)
                clat = plat + f * (lat - plat)
                east = 180.0 if lon > plon else -180.0
                pieces[-1].append((east, clat))
                pieces.append([(-east, clat)])
        pieces[-1].append((wrap(lon), lat))
    return [p for p in pieces if len(p) >= 2]


def arrowhead(pts: list[tuple[float, float]], size_deg: float) -> list[tuple[float, float]] | None:
    """An open arrowhead (three ``(lat, lon)`` points, a "V") at the middle of a line of
    ``(lat, lon)`` points, pointing along it, ``size_deg`` degrees long."""
    if len(pts) < 2:
        return None
    i = max(1, len(pts) // 2)
    (lat0, lon0), (lat1, lon1) = pts[i - 1], pts[i]
    mid = ((lat0 + lat1) / 2, (lon0 + lon1) / 2)
    k = math.cos(math.radians(mid[0])) or 1e-6  # east-west degrees shrink with latitude
    dx, dy = (lon1 - lon0) * k, lat1 - lat0
    norm = math.hypot(dx, dy)
    if norm == 0:
        return None
    dx, dy = dx / norm, dy / norm
    wings = []
    for sign in (1, -1):
        # 28° either side of the line, pointing back
        c, s = math.cos(math.radians(28)), math.sin(math.radians(28)) * sign
        bx, by = -(dx * c - dy * s), -(dx * s + dy * c)
        wings.append((mid[0] + by * size_deg, mid[1] + bx * size_deg / k))
    return [wings[0], mid, wings[1]]


def flow_curve(
    a: tuple[float, float], b: tuple[float, float], n: int = 16, bend: float = 0.2
) -> list[tuple[float, float]]:
    """A flow's line from ``a`` to ``b`` (``(lat, lon)`` degrees) as ``n + 1`` points:
    a quadratic curve in longitude/latitude, the short way round (longitudes unwrapped,
    to be cut by :func:`split_antimeridian`), bending to the right of its direction by
    ``bend`` × its length, so A→B and B→A are two curves side by side.  Great circles
    would run over the poles on a web map and tangle; these stay where the places are.

    >>> pts = flow_curve((0.0, 0.0), (0.0, 10.0), n=2)
    >>> [(round(x, 6), round(y, 6)) for x, y in pts]
    [(0.0, 0.0), (-1.0, 5.0), (0.0, 10.0)]
    """
    (y0, x0), (y1, x1) = a, b
    while x1 - x0 > 180:
        x1 -= 360
    while x1 - x0 < -180:
        x1 += 360
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 + bend * dy, (y0 + y1) / 2 - bend * dx
    cy = max(-85.0, min(85.0, cy))
    pts = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        pts.append(
            (u * u * y0 + 2 * u * t * cy + t * t * y1, u * u * x0 + 2 * u * t * cx + t * t * x1)
        )
    return pts


def level_features(flows: list[Flow], zoom: int) -> list[dict[str, Any]]:
    """GeoJSON features for one zoom level's flows: each flow a MultiLineString (cut at
    the antimeridian) with width ``w`` (px, 1–8) and opacity ``o`` (0.2–0.9) by weight,
    and its arrowhead (8 px long at that zoom) as a second feature of the same style."""
    wmax = max((f.weight for f in flows), default=1.0) or 1.0
    px_deg = 360 / (256 * 2**zoom)
    feats: list[dict[str, Any]] = []
    for f in flows:
        share = f.weight / wmax
        props = {"w": round(1 + 7 * share**0.5, 1), "o": round(0.2 + 0.7 * share, 2)}
        pts = flow_curve(f.a, f.b)
        head = arrowhead(pts, (6 + 6 * share**0.5) * px_deg)
        for line, kind in ((pts, "flow"), (head, "arrow")):
            if not line:
                continue
            pieces = split_antimeridian(line)
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiLineString",
                        "coordinates": [
                            [[round(x, 3), round(y, 3)] for x, y in piece] for piece in pieces
                        ],
                    },
                    "properties": {**props, "k": kind, "n": f.weight},
                }
            )
    return feats


class FlowLayer(MacroElement):
    """The flows of every zoom level (:data:`ZOOMS`) in one Leaflet GeoJSON layer that
    swaps in the level of the current zoom; lines are non-interactive SVG paths with
    the classes ``mapper-arc mapper-flow`` (arrowheads: ``mapper-arrow``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map_name }}, levels = {{ this.data }};
            var layer = L.geoJSON(null, {
                style: function (f) {
                    return {color: "#2f3e4e", weight: f.properties.w, opacity: f.properties.o,
                            lineCap: "round", interactive: false,
                            className: f.properties.k === "arrow" ? "mapper-arrow"
                                                                   : "mapper-arc mapper-flow"};
                }
            }).addTo({{ this._parent.get_name() }});
            var shown = null;
            function pick() {
                var z = map.getZoom(), best = levels[0];
                for (var i = 0; i < levels.length; i++) { if (levels[i].z <= z) best = levels[i]; }
                if (best && best !== shown) {
                    layer.clearLayers(); layer.addData(best.fc); shown = best;
                }
            }
            map.on("zoomend", pick);
            map.whenReady(pick);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        map_name: str,
        pos: Mapping[str, tuple[float, float]],
        ties: Iterable[tuple[str, str, float]] = (),
        top: int = TOP,
        *,
        records: Iterable[Any] | None = None,
        arrays: tuple[Sequence[str], Any, Any, Any] | None = None,
    ) -> None:
        super().__init__()
        self._name = "FlowLayer"
        self.map_name = map_name
        index = FlowIndex(pos, ties, records=records, arrays=arrays)
        self.levels = [(z, index.cluster(cell_deg(z), top_at(z, top))) for z in ZOOMS]
        data = [
            {"z": z, "fc": {"type": "FeatureCollection", "features": level_features(fl, z)}}
            for z, fl in self.levels
        ]
        self.data = json.dumps(data, separators=(",", ":"))
