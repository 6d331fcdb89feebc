"""The static infographic: one picture of where the leaders are, for a slide or a post.

A :class:`matplotlib.figure.Figure` made directly (never pyplot's global state, never
``matplotlib.use``, so a notebook's backend is left alone): the offline basemap, one
circle per place coloured by city-size tier (area ∝ influence) with a size key, the
strongest flows between places with arrowheads, labels for the leading places and
their most influential person, the post's title, the headline numbers and a legend.
``mapper map … -o map.png`` (or ``.svg``, ``.pdf``) writes it; ``--size`` sets pixels.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import basemap
from .flows import cluster_flows, flow_curve, split_antimeridian
from .products import Counts, Geography, Ranked, Tie

if TYPE_CHECKING:  # matplotlib is imported by infographic() only: an HTML map needs none
    from matplotlib.figure import Figure

#: Output formats, chosen by the file's extension.
FORMATS = ("png", "svg", "pdf")
#: Default picture size in pixels (print quality: ≥ 1600 wide) and its resolution.
DEFAULT_SIZE = (1600, 1000)
DPI = 100
#: Flows drawn, places labelled.
TOP_FLOWS = 60
TOP_LABELS = 6


def _extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, east, south, north) degrees around ``points`` (lat, lon), padded, at
    least 30° × 15°, clipped to the world."""
    if not points:
        return (-180.0, 180.0, -60.0, 85.0)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    pad_x, pad_y = (
        max((e - w) * 0.12, (30 - (e - w)) / 2, 2),
        max((n - s) * 0.15, (15 - (n - s)) / 2, 2),
    )
    return (
        max(-180.0, w - pad_x),
        min(180.0, e + pad_x),
        max(-85.0, s - pad_y),
        min(85.0, n + pad_y),
    )


def infographic(
    people: Sequence[Ranked],
    ties: Sequence[Tie],
    geography: Geography,
    *,
    title: str | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> Figure:
    """The infographic as a Figure of ``size`` pixels (width, height) at :data:`DPI`,
    from the typed stage outputs (as :func:`mapper.render.render_map`); ``title`` is
    the post's title.  Spam is left out, people are drawn at their place's centre."""
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    from .charts import Chart
    from .geography import BASE_NAME, KNOWN_SIZE, headline_percents
    from .render import LABELS, PALETTE

    counts = Counts.of(list(people), tuple(ties))
    people = [p for p in people if not p.person.spam]
    by_id = {p.id: p for p in people}
    pos = {p.id: (p.place.lat, p.place.lon) for p in people if p.place is not None}
    places = [pl for pl in geography.places if pl.participants]
    width, height = size
    fig = Chart(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    scale = width / 1600  # fonts and marks grow with the picture
    fs = 11 * scale

    ax = fig.add_axes((0.01, 0.04, 0.70, 0.84))
    west, east, south, north = _extent([(pl.lat, pl.lon) for pl in places])
    # widen the shorter side so the view fills the axes' box (w/h in pixels)
    box = (0.70 * width) / (0.84 * height)
    k = max(0.2, math.cos(math.radians((south + north) / 2)))
    if (east - west) * k / (north - south) < box:
        grow = ((north - south) * box / k - (east - west)) / 2
        west, east = max(-180.0, west - grow), min(180.0, east + grow)
    else:
        grow = ((east - west) * k / box - (north - south)) / 2
        south, north = max(-85.0, south - grow), min(85.0, north + grow)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # equirectangular with true shape at the middle latitude
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((south + north) / 2))), adjustable="box")
    ax.set_anchor("N")  # a wide, short world view sits under the title, not mid-page
    ax.set_facecolor(basemap.SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#bbbbbb")
    ax.add_collection(
        PolyCollection(
            basemap.rings(),
            facecolors=basemap.LAND,
            edgecolors=basemap.OUTLINE,
            linewidths=0.5 * scale,
            zorder=1,
        )
    )

    # flows: clusters about 1/40 of the view wide, the strongest few
    cell = max((east - west) / 40, 0.05)
    flows = cluster_flows(
        pos, [(e.source, e.target, float(e.weight)) for e in ties], cell, top=TOP_FLOWS
    )
    wmax = max((f.weight for f in flows), default=1.0) or 1.0
    segs, widths, alphas = [], [], []
    for f in reversed(flows):  # strongest drawn last, on top
        share = f.weight / wmax
        pts = flow_curve(f.a, f.b)
        for piece in split_antimeridian(pts):
            segs.append(piece)
            widths.append((0.8 + 4.5 * share**0.5) * scale)
            alphas.append(0.3 + 0.6 * share)
        mid = len(pts) // 2
        (la0, lo0), (la1, lo1) = pts[mid - 1], pts[mid]
        if all(-180 <= x <= 180 for x in (lo0, lo1)):
            ax.add_patch(
                FancyArrowPatch(
                    (lo0, la0),
                    (lo1, la1),
                    arrowstyle="-|>",
                    mutation_scale=(14 + 14 * share**0.5) * scale,
                    color="#2f3e4e",
                    alpha=0.3 + 0.6 * share,
                    linewidth=0,
                    zorder=3,
                )
            )
    if segs:
        ax.add_collection(
            LineCollection(
                segs,
                linewidths=widths,
                colors=[(0.18, 0.24, 0.31, a) for a in alphas],
                capstyle="round",
                zorder=2,
            )
        )

    # circles: one per place, area ∝ influence
    imax = max((pl.influence for pl in places), default=1.0) or 1.0

    def area(share: float) -> float:  # marker area in points²
        return ((5 + 25 * math.sqrt(max(share, 0.0))) * scale) ** 2

    order = sorted(places, key=lambda pl: -pl.influence)
    ax.scatter(
        [pl.lon for pl in reversed(order)],
        [pl.lat for pl in reversed(order)],
        s=[area(pl.influence / imax) for pl in reversed(order)],
        c=[PALETTE[pl.tier] for pl in reversed(order)],
        alpha=0.8,
        edgecolors="white",
        linewidths=0.6 * scale,
        zorder=4,
    )
    placed: list[tuple[float, float, int]] = []  # label anchors (pixels) and side

    def side_for(lon: float, lat: float) -> int:
        """+1 (right of the circle) unless a label already there is close: then -1."""
        x = (lon - west) / (east - west) * 0.70 * width
        y = (lat - south) / (north - south) * 0.84 * height
        near = {d for px, py, d in placed if abs(py - y) < 45 * scale and abs(px - x) < 230 * scale}
        d = 1 if 1 not in near else -1
        placed.append((x, y, d))
        return d

    for pl in order[:TOP_LABELS]:
        leader = max(
            (by_id[i] for i in pl.people if i in by_id),
            key=lambda p: p.score.pagerank,
            default=None,
        )
        text = pl.name + (f"\n{leader.person.name}" if leader is not None else "")
        where = side_for(pl.lon, pl.lat)
        ax.annotate(
            text,
            (pl.lon, pl.lat),
            xytext=(where * (8 * scale + math.sqrt(area(pl.influence / imax)) / 2), 0),
            textcoords="offset points",
            fontsize=fs * 0.85,
            va="center",
            ha="left" if where > 0 else "right",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )

    # title and headline numbers; a long post title takes two lines, cut with "…"
    import textwrap

    headline = "\n".join(
        textwrap.wrap(title or "Where does social leadership live?", 90, max_lines=2)
    )
    fig.text(
        0.01,
        0.955,
        headline,
        fontsize=fs * (1.9 if "\n" not in headline else 1.35),
        weight="bold",
        va="center",
    )
    fig.text(
        0.01,
        0.91,
        f"{counts.participants} participants · {counts.located} located · "
        f"{counts.interactions} interactions",
        fontsize=fs * 1.1,
        color="#444",
        va="center",
    )
    shown = headline_percents(geography)
    out_p, out_i = shown["outside"]
    tie = geography.tie_km

    def whole(x: int | None) -> str:
        return "n/a" if x is None else f"{x}%"

    side = fig.add_axes((0.73, 0.04, 0.26, 0.84))
    side.axis("off")
    side.text(0, 1.0, "Outside big cities", fontsize=fs * 1.2, weight="bold", va="top")
    side.text(0, 0.95, whole(out_i), fontsize=fs * 3.2, weight="bold", color="#0072B2", va="top")
    side.text(
        0,
        0.85,
        f"of the influence, held by {whole(out_p)} of the\n{geography.base.participants} "
        f"{BASE_NAME}",
        fontsize=fs,
        va="top",
    )
    median = "n/a" if tie.median is None else f"{tie.median:,.0f} km"
    side.text(0, 0.76, f"Median tie: {median}", fontsize=fs, va="top")
    tiers = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=9 * scale,
            mfc=PALETTE[t],
            mec="white",
            label=f"{LABELS[t]}: {whole(shown['tiers'][t][1])} of influence",
        )
        for t in KNOWN_SIZE
    ]
    tiers.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=9 * scale,
            mfc=PALETTE["unknown"],
            mec="white",
            label=LABELS["unknown"],
        )
    )
    leg = side.legend(
        handles=tiers,
        loc="upper left",
        bbox_to_anchor=(0, 0.7),
        frameon=False,
        fontsize=fs * 0.9,
        title="Place size (circle colour)",
        title_fontsize=fs,
        alignment="left",
    )
    leg.set_gid("mapper-legend")
    side.add_artist(leg)
    keys = (1.0, 0.25, 0.04)
    sizes = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=math.sqrt(area(k)),
            mfc="none",
            mec="#555",
            label=f"{k * imax:.3g}",
        )
        for k in keys
    ]
    side.legend(
        handles=sizes,
        loc="upper left",
        bbox_to_anchor=(0, 0.36),
        frameon=False,
        fontsize=fs * 0.9,
        title="Circle area: influence (PageRank)",
        title_fontsize=fs,
        labelspacing=1.6 * scale + 0.6,
        borderpad=1,
        alignment="left",
    )
    side.text(
        0,
        0.06,
        "Lines: interactions between places;\nthicker = more, arrow = direction.",
        fontsize=fs * 0.85,
        color="#444",
        va="top",
    )
    fig.text(
        0.99,
        0.012,
        "Basemap: Natural Earth (public domain) · made with mapper",
        fontsize=fs * 0.7,
        color="#777",
        ha="right",
    )
    return fig


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x1000"`` → ``(1600, 1000)`` pixels (each 200–10000).

    >>> parse_size("1920x1080")
    (1920, 1080)
    """
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise ValueError(
            f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000"
        ) from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise ValueError(f"--size {text!r}: each side must be 200 to 10000 pixels")
    return w, h


def format_of(path: str | Path) -> str | None:
    """The infographic format a file name asks for (``png``, ``svg``, ``pdf``), or None."""
    ext = Path(path).suffix.lower().lstrip(".")
    return ext if ext in FORMATS else None


def to_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure rendered as ``fmt`` (one of :data:`FORMATS`)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=DPI, facecolor="white")
    return buf.getvalue()


def write_infographic(fig: Figure, output: str | Path) -> None:
    """Write ``fig`` atomically to ``output`` in the format its extension names."""
    from .files import write_atomic

    fmt = format_of(output)
    if fmt is None:
        raise ValueError(f"{output}: the infographic must end in .png, .svg or .pdf")
    write_atomic(output, to_bytes(fig, fmt))
