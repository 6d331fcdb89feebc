"""Pictures: participant share vs influence share by tier, and tie distances.

matplotlib is optional (``pip install 'mapper[notebook]'``); each function
returns a :class:`matplotlib.figure.Figure` (shown inline in Jupyter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import settings
from .geography import TIER_KEYS

LABELS = {
    "metropolis": "Big-city metro",
    "city": "City",
    "town": "Town",
    "small_town": "Small town",
    "unknown": "Size unknown",
    "unlocated": "Not located",
}


def _plt():
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the install
        raise ImportError("charts need matplotlib: pip install 'mapper[notebook]'") from None
    return plt


def tier_shares(geography: dict[str, Any]):
    """Bar chart: share of participants vs share of influence in each tier."""
    plt = _plt()
    by = geography["by_tier"]
    xs = range(len(TIER_KEYS))
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    w = 0.4
    ax.bar(
        [x - w / 2 for x in xs],
        [by[t]["participant_share"] for t in TIER_KEYS],
        w,
        label="participants",
        color="#56B4E9",
    )
    ax.bar(
        [x + w / 2 for x in xs],
        [by[t]["influence_share"] for t in TIER_KEYS],
        w,
        label="influence (PageRank)",
        color="#D55E00",
    )
    ax.set_xticks(list(xs), [LABELS[t] for t in TIER_KEYS], rotation=20, ha="right")
    ax.set_ylabel("share")
    ax.set_ylim(0, 1)
    ax.set_title("Who takes part, and who leads, by size of place")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def tie_distances(distances_km: list[float]):
    """Histogram of tie lengths in km (log scale), with the 32 km line."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
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
    geography: dict[str, Any], distances_km: list[float], directory: str | Path
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
        import io

        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        _plt().close(fig)
        write_atomic(out / name, buf.getvalue())
        paths.append(out / name)
    return paths
