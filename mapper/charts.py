"""Pictures: participant share vs influence share by tier, and tie distances.

Each function returns a :class:`Chart` (a :class:`matplotlib.figure.Figure` that
shows itself inline in Jupyter).  Nothing here touches pyplot's global state or calls
``matplotlib.use``: the notebook's backend, and the user's own later plots, are left
as they were.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import msgspec
from matplotlib.figure import Figure

from . import settings
from .products import Geography

LABELS = {
    "metropolis": "Big-city metro",
    "city": "City",
    "town": "Town",
    "small_town": "Small town",
    "unknown": "Size unknown",
    "unlocated": "Not located",
}


class Chart(Figure):
    """A Figure made without pyplot that Jupyter shows as a PNG (IPython calls
    ``_repr_png_``; a formatter the inline backend registered for Figures wins)."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png")
        return buf.getvalue()


def _figure(width_in: float, height_in: float, dpi: int = 110):
    fig = Chart(figsize=(width_in, height_in), dpi=dpi)
    return fig, fig.add_subplot()


def tier_shares(geography: Geography | dict[str, Any]) -> Chart:
    """Bar chart: share of participants vs share of influence in each known-size tier,
    on the geography's one base (the located participants of known size); the title
    says how many that is and how many are left out.  ``geography`` is the typed
    geography (or report.json's block, read back)."""
    from .geography import BASE_NAME, KNOWN_SIZE

    if isinstance(geography, dict):
        geography = msgspec.convert(geography, Geography)
    by = geography.by_tier
    xs = range(len(KNOWN_SIZE))
    fig, ax = _figure(7, 3.8)
    w = 0.4
    for shift, key, label, colour in (
        (-w / 2, "participant_share", "participants", "#56B4E9"),
        (w / 2, "influence_share", "influence (PageRank)", "#D55E00"),
    ):
        values = [getattr(by[t], key) or 0.0 for t in KNOWN_SIZE]
        bars = ax.bar([x + shift for x in xs], values, w, label=label, color=colour)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(list(xs), [LABELS[t] for t in KNOWN_SIZE], rotation=20, ha="right")
    ax.set_ylabel(f"share of the {BASE_NAME}")
    ax.set_ylim(0, 1.08)
    n = geography.base.participants
    title = f"Who takes part, and who leads, by size of place\n{n} {BASE_NAME}"
    left_out = by["unlocated"].participants + by["unknown"].participants
    if left_out:
        title += (
            f"; not shown: {by['unlocated'].participants} not located, "
            f"{by['unknown'].participants} of unknown size"
        )
    ax.set_title(title, fontsize=9)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def tie_distances(distances_km: list[float]) -> Chart:
    """Histogram of tie lengths in km (log scale), with the 32 km line."""
    fig, ax = _figure(7, 3.6)
    if distances_km:
        lo = max(1.0, min((d for d in distances_km if d > 0), default=1.0))
        hi = max(max(distances_km), lo * 10)
        bins = [lo * (hi / lo) ** (i / 30) for i in range(31)]
        ax.hist([max(d, lo) for d in distances_km], bins=bins, color="#009E73")
        ax.set_xscale("log")
    ax.axvline(settings.long_tie_km, color="#444", linestyle="--", linewidth=1)
    ax.text(
        settings.long_tie_km, ax.get_ylim()[1] * 0.9, f" {settings.long_tie_km:.0f} km", fontsize=8
    )
    ax.set_xlabel("distance between the two ends of an interaction (km)")
    ax.set_ylabel("interactions")
    n = len(distances_km)
    ax.set_title(
        f"How far ties reach ({n} located interactions)"
        if n
        else "How far ties reach (no located interactions)"
    )
    fig.tight_layout()
    return fig


def write_charts(
    geography: Geography | dict[str, Any], distances_km: list[float], directory: str | Path
) -> list[Path]:
    """Write ``tiers.png`` and ``ties.png`` into ``directory``; return their paths."""
    from .files import write_atomic

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in (
        ("tiers.png", tier_shares(geography)),
        ("ties.png", tie_distances(distances_km)),
    ):
        write_atomic(out / name, fig._repr_png_())
        paths.append(out / name)
    return paths
