"""The folium map of social leadership.

One circle per located participant (area ∝ influence, colour by city-size
tier, a popup and a tooltip), or one per place above
``settings.aggregate_threshold`` located people; interactions as great-circle
arcs in their own layer; a heat map of influence; a layer per tier; a legend;
a summary panel with the headline numbers and a collapsible list of the people
who could not be located.

Every piece of user text is HTML-escaped (and stripped of the characters that
could end a JavaScript template literal); only http/https links are made.
People are drawn at their place's centre, never at exact coordinates taken
from a post, unless ``exact=True``.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
from branca.element import MacroElement
from folium.plugins import HeatMap
from folium.template import Template

from . import settings
from .basemap import BasemapLayer
from .files import write_atomic
from .flows import TOP as TOP_FLOWS
from .flows import FlowLayer
from .products import Counts, Geography, Ranked, Report, Tie
from .report import Ties

log = logging.getLogger("mapper")

#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies
#: (vermillion and orange are never both used: they blur at small sizes).
PALETTE = {
    "metropolis": "#D55E00",
    "city": "#CC79A7",
    "town": "#009E73",
    "small_town": "#0072B2",
    "unknown": "#999999",
}
LABELS = {
    "metropolis": "Big-city metro (≥ 1M)",
    "city": "City (100k–1M)",
    "town": "Town (10k–100k)",
    "small_town": "Small town (< 10k)",
    "unknown": "Size unknown (region/country)",
    "unlocated": "Not located",
}
#: The JS and CSS the map needs: Leaflet (the heat-map plugin adds its own script).
ASSETS_JS = [
    ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
]
ASSETS_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]


def esc(text: Any) -> str:
    """HTML-escape ``text`` and neutralise characters that matter inside the
    JavaScript template literals folium wraps popups and tooltips in."""
    s = html.escape("" if text is None else str(text), quote=True)
    s = s.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
    # branca compiles rendered pieces as Jinja templates again: leave it no braces
    s = s.replace("{", "&#123;").replace("}", "&#125;")
    # bidi controls and NULs can disguise text; drop them
    return re.sub(r"[\u0000\u202a-\u202e\u2066-\u2069]", "", s)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, else None (no javascript:, data:, ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def _link(url: str, text: str | None = None) -> str:
    u = safe_url(url)
    if u is None:
        return ""  # not http(s): not shown at all
    return (
        f'<a href="{esc(u)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"{esc(text or u)}</a>"
    )


def great_circle(
    lat1: float, lon1: float, lat2: float, lon2: float, n: int = 24
) -> list[tuple[float, float]]:
    """``n + 1`` points (degrees) along the great circle between two points, with
    longitudes unwrapped so Leaflet draws one continuous arc across the antimeridian.

    >>> pts = great_circle(0, 0, 0, 90, n=2)
    >>> [(round(a, 6), round(b, 6)) for a, b in pts]
    [(0.0, 0.0), (0.0, 45.0), (0.0, 90.0)]
    """
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    v1 = (math.cos(p1) * math.cos(l1), math.cos(p1) * math.sin(l1), math.sin(p1))
    v2 = (math.cos(p2) * math.cos(l2), math.cos(p2) * math.sin(l2), math.sin(p2))
    dot = max(-1.0, min(1.0, sum(a * b for a, b in zip(v1, v2, strict=True))))
    omega = math.acos(dot)
    pts = []
    prev_lon = None
    for i in range(n + 1):
        f = i / n
        if omega < 1e-9:
            x, y, z = v1
        else:
            a = math.sin((1 - f) * omega) / math.sin(omega)
            b = math.sin(f * omega) / math.sin(omega)
            x, y, z = (a * v1[k] + b * v2[k] for k in range(3))
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        if prev_lon is not None:
            while lon - prev_lon > 180:
                lon -= 360
            while lon - prev_lon < -180:
                lon += 360
        prev_lon = lon
        pts.append((lat, lon))
    return pts


def _position(place, exact: bool) -> tuple[float, float]:
    if exact and place.point_lat is not None and place.point_lon is not None:
        return place.point_lat, place.point_lon
    return place.lat, place.lon


class CircleLayer(MacroElement):
    """Many circles as one Leaflet GeoJSON layer, styled from feature properties.

    One ``CircleMarker`` per point costs folium about 1 ms and 1 kB of HTML, and a
    GeoJSON layer with a Python ``style_function`` becomes a JavaScript ``switch``
    with a case per feature; this layer instead carries only each point's
    coordinates (degrees, 5 decimals ≈ 1 m), radius (pixels), popup and tooltip
    (both already HTML-escaped), and styles them in the browser.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, Object.assign({radius: f.properties.r},
                                                            {{ this.style }}));
            },
            onEachFeature: function (f, layer) {
                if (f.properties.p) { layer.bindPopup(f.properties.p, {maxWidth: 320}); }
                if (f.properties.l) {
                    layer.bindTooltip(f.properties.l, {permanent: true, direction: "right",
                        offset: [f.properties.r, 0], className: "mapper-label"});
                } else if (f.properties.t) { layer.bindTooltip(f.properties.t); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        points: list[tuple[float, float, float, str, str]],
        style: dict[str, Any],
        labels: dict[int, str] | None = None,
    ):
        """``labels``: index in ``points`` → escaped text shown as a permanent label."""
        super().__init__()
        self._name = "CircleLayer"
        labels = labels or {}
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {"r": round(r, 1), "p": popup, "t": tip}
                | ({"l": labels[i]} if i in labels else {}),
            }
            for i, (lat, lon, r, popup, tip) in enumerate(points)
        ]
        self.data = _js_json({"type": "FeatureCollection", "features": feats})
        self.style = _js_json(style)


class Panel(MacroElement):
    """Ready-made (escaped) HTML added to the page body by a line of JavaScript.

    Never ``folium.Element(html)``: branca compiles that as a Jinja template, so a
    participant named ``{{ … }}`` or ``{% raw %}`` would be template code.  Here the
    HTML travels as a JSON string whose braces are ``\\u007b`` escapes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        document.body.insertAdjacentHTML("beforeend", {{ this.content }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str):
        super().__init__()
        self._name = "Panel"
        self.content = _js_json(content)


def _js_json(value: Any) -> str:
    """JSON safe to embed in a <script>: no "</", no U+2028/2029 line breaks, and no
    braces inside strings (branca compiles rendered pieces as Jinja templates again,
    so a name like ``{{ config }}`` must never reach it as braces)."""

    def hide_braces(v: Any) -> Any:
        if isinstance(v, str):
            v = v.replace("\ue000", "").replace("\ue001", "")
            return v.replace("{", "\ue000").replace("}", "\ue001")
        if isinstance(v, dict):
            return {k: hide_braces(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [hide_braces(x) for x in v]
        return v

    text = json.dumps(hide_braces(value), ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("</", "<\\/")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        .replace("\ue000", "\\u007b")
        .replace("\ue001", "\\u007d")
    )


def map_of(report: Report, **options: Any) -> folium.Map:
    """:func:`render_map` on a run's typed ``report``: its people, ties and geography
    (with inferred places when there are any), titled after the post unless ``options``
    give a ``title``; the other ``options`` are render_map's keywords."""
    if report.geography is None:
        raise ValueError("nobody was located: there is no map to draw")
    options.setdefault("title", post_title(report.posts))
    options.setdefault("counts", report.counts)
    return render_map(
        report.people,
        report.ties,
        report.geography,
        with_inferred=report.geography_with_inferred,
        **options,
    )


def render_map(
    people: Sequence[Ranked],
    ties: Sequence[Tie],
    geography: Geography,
    *,
    with_inferred: Geography | None = None,
    exact: bool = False,
    tiles: str | None = "OpenStreetMap",
    aggregate: str = "auto",
    title: str | None = None,
    counts: Counts | None = None,
) -> folium.Map:
    """Build the folium map (see the module docstring) from the typed stage outputs:
    the ranked ``people`` (most influential first; spam is left out here), the folded
    ``ties``, the ``geography`` of stated places and, with inference, the geography
    counting inferred places too (``with_inferred``, quoted in the panel).

    ``aggregate``: ``"people"`` (a circle per person), ``"places"`` (a circle
    per place, people listed in its popup, arcs summed per place pair) or
    ``"auto"`` (places above ``settings.aggregate_threshold`` located people).
    ``title`` (the post's title) heads the panel and the page's ``<title>``. The five
    most influential people (or places) carry a permanent label. The map renders
    inline in Jupyter.  ``counts``: the report's :class:`~mapper.products.Counts`
    when the caller has them (they are ``Counts.of(people, ties)``, made here
    otherwise).
    """
    if counts is None:
        counts = Counts.of(people, ties)
    # the people read once, by the person's own attributes (not Ranked's properties),
    # in the order they lie in memory when the report's ranking gives it (its
    # ``unranked`` rows: the conversation's order), then taken in rank order: a 1M-tweet
    # run has 195k people spread over a heap of a GB, where each pass over them cost
    # ~0.1-0.3 s of CPU in cache misses, twice that in rank order (issue #17)
    rows: Sequence[Ranked] = getattr(people, "unranked", None) or people
    order = getattr(people, "order", None) if rows is not people else None
    if order is None or len(rows) != len(people):
        rows, order = people, None
    by_id: dict[str, Ranked] = {}
    # per row: None (spam), else its PageRank and, when located, its id, position and
    # whether it was placed from the network
    seen: list[tuple | None] = []
    for r in rows:
        person = r.person
        if person.spam:
            seen.append(None)
            continue
        by_id[person.id] = r
        here = person.place
        seen.append(
            (r.score.pagerank, person.id, _position(here, exact), here.source == "network")
            if here
            else (r.score.pagerank,)
        )
    kept: list[Ranked] = []  # spam is left out
    located: list[Ranked] = []
    network: list[Ranked] = []  # placed from their network
    unlocated: list[Ranked] = []  # no stated place: none, or one from their network
    pos: dict[str, tuple[float, float]] = {}
    max_pr: float | None = None
    for i in range(len(rows)) if order is None else order.tolist():
        row = seen[i]
        if row is None:
            continue
        r = rows[i]
        kept.append(r)
        pr = row[0]
        if max_pr is None or pr > max_pr:  # as max(): the first of the largest
            max_pr = pr
        if len(row) == 1:
            unlocated.append(r)
            continue
        located.append(r)
        pos[row[1]] = row[2]
        if row[3]:
            network.append(r)
            unlocated.append(r)
    people = kept
    mode = (
        aggregate
        if aggregate != "auto"
        else ("places" if len(located) > settings.aggregate_threshold else "people")
    )
    use_tiles = None if (tiles or "").lower() == "none" else tiles
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=use_tiles, control_scale=True, max_zoom=18)
    m.default_js = ASSETS_JS
    m.default_css = ASSETS_CSS
    # the offline basemap, under the tiles: the map reads with no network
    BasemapLayer().add_to(m)
    max_pr = (1.0 if max_pr is None else max_pr) or 1.0

    def radius(pr: float) -> float:
        return circle_radius(pr / max_pr)

    points: dict[str, list] = {t: [] for t in PALETTE}
    # per-person popups need each person's strongest ties and rank: skip that work
    # for place circles
    need = mode == "people" or bool(network)
    strongest = _strongest(ties, by_id) if need else {}
    rank = {p.person.id: i + 1 for i, p in enumerate(people)} if need else {}
    inferred = []  # drawn hollow in a layer of their own, in both modes
    for p in network:
        if p.id in pos:
            lat, lon = pos[p.id]
            inferred.append(
                (
                    lat,
                    lon,
                    radius(p.score.pagerank),
                    _person_popup(p, rank[p.id], strongest.get(p.id, [])),
                    esc(p.person.name) + " (inferred)",
                )
            )
    if mode == "people":
        for p in located:
            if p.id in pos and p.place is not None and p.place.source != "network":
                lat, lon = pos[p.id]
                points[p.place.tier].append(
                    (
                        lat,
                        lon,
                        radius(p.score.pagerank),
                        _person_popup(p, rank[p.id], strongest.get(p.id, [])),
                        esc(f"{p.person.name} · {p.place.name}"),
                    )
                )
    else:
        shown = settings.names_per_place
        for pl in geography.places:
            # one pass over the place's people: the first names shown, how many there
            # are, and the most influential (the first of them, as max())
            names: list[str] = []
            n_names = 0
            lead: Ranked | None = None
            for i in pl.people:
                who = by_id.get(i)
                if who is None:
                    continue
                n_names += 1
                if n_names <= shown or shown < 0:  # (all of them for a slice from the end)
                    names.append(who.person.name)
                if lead is None or who.score.pagerank > lead.score.pagerank:
                    lead = who
            body = (
                f"<b>{esc(pl.name)}</b>, {esc(pl.admin1 or '')} "
                f"{esc(pl.country_code or '')}<br>{esc(LABELS[pl.tier])}<br>"
                f"{pl.participants} participant(s), influence {pl.influence:.4f}<br>"
                + ", ".join(esc(n) for n in names[:shown])
                + (f" and {n_names - shown} more" if n_names > shown else "")
            )
            tip = pl.name + (f" · {lead.person.name}" if lead is not None else "")
            points[pl.tier].append((pl.lat, pl.lon, radius(pl.influence), body, esc(tip)))
    kind = "person" if mode == "people" else "place"
    labels = _labels(points, mode)
    for t, pts in points.items():
        layer = folium.FeatureGroup(name=LABELS[t], show=True)
        CircleLayer(
            pts,
            {
                "color": PALETTE[t],
                "fillColor": PALETTE[t],
                "fillOpacity": 0.7,
                "weight": 1,
                "className": f"mapper-{kind} mapper-{t}",
            },
            labels.get(t),
        ).add_to(layer)
        layer.add_to(m)
    if inferred:
        layer = folium.FeatureGroup(name="Inferred from their network (hollow)", show=True)
        CircleLayer(
            inferred,
            {
                "color": "#333333",
                "fillOpacity": 0,
                "weight": 2,
                "dashArray": "4 3",
                "className": "mapper-inferred",
            },
        ).add_to(layer)
        layer.add_to(m)

    # flows between clusters that follow the zoom, the strongest few per zoom (flows.py)
    arcs = folium.FeatureGroup(name="Interactions (flows, arrow = direction)", show=True)
    # the report's Ties as their arrays (no Tie made), other ties by attribute (no
    # tuple per tie): 950k at 1M tweets
    arrays = (ties.nodes, ties.src, ties.dst, ties.weight) if isinstance(ties, Ties) else None
    flow_layer = FlowLayer(
        m.get_name(),
        pos,
        top=min(TOP_FLOWS, settings.max_arcs),
        records=ties if arrays is None else None,
        arrays=arrays,
    )
    flow_layer.add_to(arcs)
    arcs.add_to(m)

    if mode == "places":
        heat = [
            [round(pl.lat, 3), round(pl.lon, 3), round(pl.influence / max_pr, 4)]
            for pl in geography.places
        ]
    else:
        heat = [
            [round(v[0], 3), round(v[1], 3), round(by_id[k].score.pagerank / max_pr, 4)]
            for k, v in pos.items()
        ]
    if heat:
        HeatMap(heat, name="Influence heat map", show=False, radius=25).add_to(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    bounds = None
    if pos:
        lats = [v[0] for v in pos.values()]
        lons = [v[1] for v in pos.values()]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    Panel(_panel(counts, geography, with_inferred, unlocated, mode, max_pr, title)).add_to(m)
    Layout(m.get_name(), control.get_name(), bounds).add_to(m)
    m.get_root().title = page_title(title, counts)  # type: ignore[attr-defined]
    m.mapper_mode = mode  # type: ignore[attr-defined]
    return m


def circle_radius(share: float) -> float:
    """A circle's radius in screen pixels for ``share`` of the top influence: area ∝
    influence above a 4 px floor (30 px for the most influential)."""
    return 4 + 26 * math.sqrt(max(share, 0.0))


def _size_key(max_pr: float) -> str:
    """An SVG key of three circle sizes: the top influence, a quarter and 1/25 of it."""
    shares = (1.0, 0.25, 0.04)
    rs = [circle_radius(x) for x in shares]
    width = sum(2 * r + 8 for r in rs) + 4
    h = 2 * rs[0] + 4
    out, x = [], 2.0
    for share, r in zip(shares, rs, strict=True):
        cx = x + r
        out.append(
            f'<circle cx="{cx:.1f}" cy="{h - r - 2:.1f}" r="{r:.1f}" fill="none" '
            f'stroke="#555" stroke-width="1"/><text x="{cx:.1f}" y="{h - 2 * r - 4:.1f}" '
            f'font-size="10" text-anchor="middle">{share * max_pr:.3g}</text>'
        )
        x += 2 * r + 8
    return (
        f'<svg id="mapper-size-key" width="{width:.0f}" height="{h + 12:.0f}" '
        f'viewBox="0 -12 {width:.0f} {h + 12:.0f}" role="img" '
        f'aria-label="circle size key">{"".join(out)}</svg>'
    )


def _labels(points: dict[str, list], mode: str, n: int = 5) -> dict[str, dict[int, str]]:
    """Tier → {index: label} for the ``n`` biggest circles (most influential people or
    places): their tooltip text (already escaped: a person and their place, or a place
    and its most influential person) shown permanently."""
    ranked = sorted(
        ((pt[2], t, i, pt[4]) for t, pts in points.items() for i, pt in enumerate(pts)),
        key=lambda x: -x[0],
    )[:n]
    out: dict[str, dict[int, str]] = {}
    for _, t, i, tip in ranked:
        out.setdefault(t, {})[i] = tip
    return out


def post_title(posts: Sequence[Any]) -> str | None:
    """The map's title: the first post's title (with "and N more posts" when several)."""
    titles = [p.title for p in posts if getattr(p, "title", None)]
    if not titles:
        return None
    more = len(posts) - 1
    return titles[0] + (f" (and {more} more post{'s' if more > 1 else ''})" if more else "")


def page_title(title: str | None, counts: Counts) -> str:
    """The page's ``<title>`` (HTML-escaped): the post's title, or a summary."""
    head = title or "Where does social leadership live?"
    return esc(f"{head} — map of {counts.participants} participants")


class Layout(MacroElement):
    """Embedding layout: below 900 px of width the summary panel and the layer control
    start collapsed (one click opens them); a popup that would open under the panel
    collapses the panel and, if still covered, pans the map clear of it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map_name }}, control = {{ this.control_name }};
            var wide = window.innerWidth >= 900;
            if (wide) { control.expand(); }
            var body = document.getElementById("mapper-panel-body");
            if (body && !wide) { body.open = false; }
            function overlap(a, b) {
                return !(a.right <= b.left || b.right <= a.left ||
                         a.bottom <= b.top || b.bottom <= a.top);
            }
            // fit the located people into the part of the window the panel leaves free
            var bounds = {{ this.bounds }};
            if (bounds) {
                var panel = document.getElementById("mapper-panel");
                var left = panel ? panel.getBoundingClientRect().right + 10 : 30;
                if (left > window.innerWidth / 2) { left = 30; }
                map.fitBounds(bounds, {paddingTopLeft: [left, 30],
                                       paddingBottomRight: [wide ? 30 : 50, 30], maxZoom: 8});
            }
            function clear(e) {
                var panel = document.getElementById("mapper-panel"), el = e.popup.getElement();
                if (!panel || !el) { return; }
                if (overlap(panel.getBoundingClientRect(), el.getBoundingClientRect()) && body) {
                    body.open = false;
                }
                var p = panel.getBoundingClientRect(), q = el.getBoundingClientRect();
                if (overlap(p, q)) {  // the smaller move that clears it
                    var dx = p.right - q.left + 10, dy = p.bottom - q.top + 10;
                    map.panBy(dx < dy ? [-dx, 0] : [0, -dy], {animate: false});
                }
            }
            // after Leaflet's own auto-pan, which runs once the popup is added
            map.on("popupopen", function (e) { setTimeout(function () { clear(e); }, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        map_name: str,
        control_name: str,
        bounds: list[list[float]] | None = None,
    ) -> None:
        """``bounds``: ``[[south, west], [north, east]]`` (degrees) to fit, or None."""
        super().__init__()
        self._name = "Layout"
        self.map_name, self.control_name = map_name, control_name
        self.bounds = json.dumps(bounds)


def _strongest(
    edges: Sequence[Tie], by_id: dict[str, Ranked]
) -> dict[str, list[tuple[str, str, int]]]:
    out: dict[str, dict[tuple[str, str], int]] = {}
    for e in edges:
        for me, other, arrow in ((e.source, e.target, "→"), (e.target, e.source, "←")):
            if me in by_id and other in by_id:
                d = out.setdefault(me, {})
                d[(other, arrow)] = d.get((other, arrow), 0) + e.weight
    return {
        k: sorted(((by_id[o].person.name, a, w) for (o, a), w in v.items()), key=lambda x: -x[2])[
            :5
        ]
        for k, v in out.items()
    }


def _person_popup(p: Ranked, rank: int, strongest: list[tuple[str, str, int]]) -> str:
    pl = p.place
    assert pl is not None  # only located people get a popup
    handles = ", ".join(
        _link(f"https://twitter.com/{h}", f"@{h}")
        if k in ("twitter", "pingback") and re.fullmatch(r"[A-Za-z0-9_]{1,30}", h)
        else esc(f"{k}:{h}")
        for k, h in p.person.handles.items()
    )
    sites = ", ".join(x for x in (_link(u) for u in p.person.urls[:3]) if x)
    where = ", ".join(esc(x) for x in (pl.name, pl.admin1, pl.country_code) if x)
    ties = "".join(f"<li>{esc(a)} {esc(n)} ({w})</li>" for n, a, w in strongest)
    return (
        f'<div class="mapper-popup"><b>{esc(p.person.name)}</b><br>'
        + (f"{handles}<br>" if handles else "")
        + (f"{sites}<br>" if sites else "")
        + f"{where} — {esc(LABELS[pl.tier])} <small>({esc(pl.source)})</small><br>"
        + (
            f"<i>Inferred from their network: neighbours {pl.dispersion_km or 0:.0f} km "
            "apart; not a stated location</i><br>"
            if pl.source == "network"
            else ""
        )
        + f"Influence rank {rank} (PageRank {p.score.pagerank:.4f})"
        + (f"<br>Strongest ties:<ul>{ties}</ul>" if ties else "")
        + "</div>"
    )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def _whole(x: int | None) -> str:
    return "n/a" if x is None else f"{x}%"


def _panel(
    counts: Counts,
    geo: Geography,
    with_inf: Geography | None,
    unloc: list[Ranked],
    mode: str,
    max_pr: float = 1.0,
    title: str | None = None,
) -> str:
    """The summary panel; ``unloc``: the people (spam left out) without a stated place,
    most influential first (those placed from their network among them)."""
    from .geography import BASE_NAME, KNOWN_SIZE, headline_percents

    tie = geo.tie_km
    by = geo.by_tier
    n_base = geo.base.participants
    shown = headline_percents(geo)
    legend = "".join(
        f'<div class="tier" data-tier="{t}"><span class="sw" style="background:{PALETTE[t]}">'
        f"</span>{esc(LABELS[t])}: {by[t].participants} · "
        f"{_whole(shown['tiers'][t][0])} of them · {_whole(shown['tiers'][t][1])} of their "
        "influence</div>"
        for t in KNOWN_SIZE
    )
    legend += (
        f'<div class="tier" data-tier="unknown"><span class="sw" '
        f'style="background:{PALETTE["unknown"]}"></span>{esc(LABELS["unknown"])}: '
        f"{by['unknown'].participants} · not in the shares</div>"
    )
    outside_p, outside_i = shown["outside"]
    left_out = by["unknown"].participants + by["unlocated"].participants
    left_out_note = (
        f'<br><span id="mapper-base-excluded">Not in these shares: '
        f"{by['unlocated'].participants} not located, {by['unknown'].participants} "
        f"of unknown size (together {_pct(1 - geo.base.influence_share_of_all)} of all "
        "influence).</span>"
        if left_out
        else ""
    )
    # people placed only by inference are "not located" as far as stated places go
    n_inferred = sum(1 for p in unloc if p.person.place)
    inferred_note = ""
    if n_inferred:
        inferred_note = (
            f"<br><i>{n_inferred} more placed from their network (hollow circles), "
            "not counted above"
        )
        if with_inf and with_inf.outside_big_cities.participant_share is not None:
            o = with_inf.outside_big_cities
            inferred_note += (
                f"; with them: {_pct(o.participant_share)} of participants, "
                f"{_pct(o.influence_share)} of influence outside big cities"
            )
        inferred_note += ".</i>"
    unloc_items = "".join(f"<li>{esc(p.person.name)}</li>" for p in unloc[:500])
    more = f"<li>… and {len(unloc) - 500} more</li>" if len(unloc) > 500 else ""
    median = "n/a" if tie.median is None else f"{tie.median:.0f} km"
    return f"""
<style>
#mapper-panel {{position:fixed;top:10px;left:50px;z-index:1000;background:rgba(255,255,255,.93);
 padding:8px 12px;border-radius:6px;font:13px/1.35 system-ui,sans-serif;max-width:340px;
 max-height:90vh;overflow:auto;box-shadow:0 1px 5px rgba(0,0,0,.4)}}
#mapper-panel h3 {{margin:0 0 4px;font-size:15px;display:inline}}
#mapper-panel summary {{cursor:pointer}}
#mapper-panel-body:not([open]) {{max-width:240px}}
@media (max-width: 899px) {{ #mapper-panel {{max-width:260px;font-size:12px;max-height:70vh}} }}
.mapper-label {{background:rgba(255,255,255,.85);border:0;box-shadow:none;padding:0 3px;
 font:600 11px system-ui,sans-serif;color:#222}}
.mapper-label::before {{display:none}}
/* the layer control's icon is an image a self-contained page lacks: a word instead */
.leaflet-control-layers-toggle {{background-image:none!important;width:auto!important;
 height:auto!important;padding:6px 10px;font:600 13px system-ui,sans-serif;color:#333;
 text-decoration:none}}
.leaflet-control-layers-toggle::after {{content:"Layers"}}
#mapper-panel .sw {{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;
 vertical-align:middle}}
#mapper-panel ul {{margin:2px 0;padding-left:18px}}
</style>
<div id="mapper-panel"><details id="mapper-panel-body" open>
<summary><h3>{esc(title) if title else "Where does social leadership live?"}</h3></summary>
<div id="mapper-summary">{counts.participants} participants, {counts.located} located,
{counts.interactions} interactions.<br>
<b>Outside big cities:</b> <span id="mapper-outside-participants">{_whole(outside_p)}</span>
of the <span id="mapper-base-count">{n_base}</span> <span id="mapper-base">{BASE_NAME}</span> hold
<span id="mapper-outside-influence">{_whole(outside_i)}</span> of their influence.{left_out_note}<br>
<b>Ties:</b> median <span id="mapper-tie-median">{median}</span>,
{_pct(tie.share_over_long_tie_km)} longer than {tie.long_tie_km:.0f} km.{inferred_note}</div>
<div id="mapper-legend" style="margin-top:6px"><div style="color:#555">Shares of the
{n_base} {BASE_NAME}:</div>{legend}
<div style="color:#555">Circle area ∝ influence (PageRank). {"One circle per place." if mode == "places" else ""}</div>
{_size_key(max_pr)}
<div style="color:#555">Lines: interactions between places, thicker = more; the arrow
points from who acts to whom.</div></div>
<details id="mapper-unlocated" style="margin-top:6px"><summary>{len(unloc)} not located</summary>
<ul>{unloc_items}{more}</ul></details>
</details></div>"""


# --- self-contained HTML ---------------------------------------------------------


def _asset_url(url: str) -> str:
    base = settings.asset_base_url
    if not base:
        return url
    parts = urlsplit(url)
    return f"{base.rstrip('/')}/{parts.netloc}{parts.path}"


def fetch_asset(url: str) -> bytes:
    """The bytes of an asset, from the on-disk cache or (once) from its URL
    (rewritten under ``settings.asset_base_url`` when that is set)."""
    import hashlib

    import requests

    cache = settings.cache_dir / "assets"
    cache.mkdir(parents=True, exist_ok=True)
    target = _asset_url(url)
    f = cache / hashlib.sha256(target.encode()).hexdigest()
    if f.exists():
        return f.read_bytes()
    if url.endswith("leaflet_heat.min.js"):
        local = Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js"
        data = local.read_bytes()
    else:
        try:
            r = requests.get(
                target, timeout=settings.http_timeout_s, headers={"User-Agent": settings.user_agent}
            )
            r.raise_for_status()
        except requests.RequestException as e:
            from .errors import FetchError

            why = f"HTTP {e.response.status_code}" if e.response is not None else type(e).__name__
            raise FetchError(
                f"{target}: {why}; --self-contained fetches the map's scripts once "
                "(MAPPER_ASSET_BASE_URL can point at a mirror)"
            ) from None
        data = r.content
    write_atomic(f, data)
    return data


def inline_assets(page: str) -> str:
    """Replace each external ``<script src>`` and stylesheet ``<link>`` with the
    asset itself, so the page needs no network at load time (tiles aside)."""

    def script(m: re.Match) -> str:
        body = fetch_asset(m.group(1)).decode("utf-8").replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def style(m: re.Match) -> str:
        body = fetch_asset(m.group(1)).decode("utf-8").replace("</style", "<\\/style")
        return f"<style>{body}</style>"

    page = re.sub(r'<script src="(https?://[^"]+)"></script>', script, page)
    page = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"/?>', style, page)
    return page


def html_of(m: folium.Map, self_contained: bool = False) -> str:
    """The map as an HTML page; asset URLs follow ``settings.asset_base_url``."""
    page = m.get_root().render()
    if self_contained:
        return inline_assets(page)
    if settings.asset_base_url:
        page = re.sub(
            r'((?:src|href)=")(https?://[^"]+\.(?:js|css))"',
            lambda mm: mm.group(1) + _asset_url(mm.group(2)) + '"',
            page,
        )
    return page


def geojson(
    people: Sequence[Ranked],
    ties: Sequence[Tie],
    geography: Geography,
    *,
    exact: bool = False,
) -> dict[str, dict[str, Any]]:
    """People (points), places (points) and ties (lines) as three RFC 7946
    FeatureCollections, ``{"people": …, "places": …, "ties": …}``, one geometry type
    each (one table each in QGIS, kepler.gl or geopandas); arguments as
    :func:`render_map`.  Every feature has ``name``, ``admin1``, ``country_code`` and
    ``tier`` (a tie: both ends'); tie lines follow the great circle and are cut at
    the antimeridian (MultiLineString), so every coordinate is within ±180° / ±90°."""
    from .flows import split_antimeridian
    from .geo.distance import haversine_km

    def coord(lon: float, lat: float) -> list[float]:
        return [round(lon, 6), round(lat, 6)]

    persons: list[dict[str, Any]] = []
    where: dict[str, tuple[float, float]] = {}
    who: dict[str, Ranked] = {}
    for p in people:
        cp = p.person
        if cp.spam or cp.place is None:
            continue
        lat, lon = _position(cp.place, exact)
        where[p.id], who[p.id] = (lat, lon), p
        persons.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coord(lon, lat)},
                "properties": {
                    "id": p.id,
                    "name": cp.name,
                    "place": cp.place.name,
                    "admin1": cp.place.admin1,
                    "country_code": cp.place.country_code,
                    "tier": cp.place.tier,
                    "place_source": cp.place.source,
                    "pagerank": p.score.pagerank,
                    "in_degree": p.score.in_degree,
                    "out_degree": p.score.out_degree,
                },
            }
        )
    places = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": coord(pl.lon, pl.lat)},
            "properties": {
                "name": pl.name,
                "admin1": pl.admin1,
                "country_code": pl.country_code,
                "tier": pl.tier,
                "population": pl.population,
                "participants": pl.participants,
                "influence": pl.influence,
            },
        }
        for pl in geography.places
    ]
    lines = []
    for e in ties:
        if e.source in where and e.target in where:
            a, b = where[e.source], where[e.target]
            ends: dict[str, Any] = {}
            for end, pid in (("source", e.source), ("target", e.target)):
                pl = who[pid].person.place
                assert pl is not None  # only located people have a position
                ends |= {
                    f"{end}_name": who[pid].person.name,
                    f"{end}_place": pl.name,
                    f"{end}_admin1": pl.admin1,
                    f"{end}_country_code": pl.country_code,
                    f"{end}_tier": pl.tier,
                }
            pieces = split_antimeridian(great_circle(*a, *b, n=16))
            lines.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiLineString",
                        "coordinates": [[coord(x, y) for x, y in pc] for pc in pieces],
                    },
                    "properties": {
                        "source": e.source,
                        "target": e.target,
                        "kind": e.kind,
                        "weight": e.weight,
                        "km": round(haversine_km(a[0], a[1], b[0], b[1]), 1),
                    }
                    | ends,
                }
            )
    return {
        name: {"type": "FeatureCollection", "features": feats}
        for name, feats in (("people", persons), ("places", places), ("ties", lines))
    }


def geojson_paths(base: str | Path) -> dict[str, Path]:
    """Where ``--geojson BASE`` writes: ``BASE.people.geojson``, ``BASE.places.geojson``
    and ``BASE.ties.geojson`` (a ``.geojson`` or ``.json`` ending of BASE is dropped).

    >>> sorted(str(p) for p in geojson_paths("out/m.geojson").values())
    ['out/m.people.geojson', 'out/m.places.geojson', 'out/m.ties.geojson']
    """
    b = Path(base)
    if b.suffix.lower() in (".geojson", ".json"):
        b = b.with_suffix("")
    return {k: b.with_name(f"{b.name}.{k}.geojson") for k in ("people", "places", "ties")}


def write_map(
    people: Sequence[Ranked],
    ties: Sequence[Tie],
    geography: Geography,
    output: str | Path,
    *,
    with_inferred: Geography | None = None,
    exact: bool = False,
    tiles: str | None = "OpenStreetMap",
    aggregate: str = "auto",
    self_contained: bool = False,
    title: str | None = None,
    counts: Counts | None = None,
) -> str:
    """Render the map (options as :func:`render_map`) and write it atomically to
    ``output``; return the mode drawn, ``"people"`` or ``"places"``."""
    m = render_map(
        people,
        ties,
        geography,
        with_inferred=with_inferred,
        exact=exact,
        tiles=tiles,
        aggregate=aggregate,
        title=title,
        counts=counts,
    )
    mode: str = getattr(m, "mapper_mode", "people")
    log.info("map mode: one circle per %s", "place" if mode == "places" else "person")
    page = html_of(m, self_contained=self_contained)
    del m
    write_atomic(output, page)
    log.info("map written to %s (%d kB)", output, len(page.encode()) // 1024)
    return mode


__all__ = [
    "PALETTE",
    "esc",
    "geojson",
    "geojson_paths",
    "great_circle",
    "html_of",
    "render_map",
    "safe_url",
    "write_map",
]
