"""Where influence lives: shares by city-size tier, tie distances, per-place totals.

Spam is left out everywhere (it is not in the graph).  Every share is on one
base, named in the report as ``base.name``: the located participants of known
size (tiers metropolis, city, town, small_town).  Shares of participants and of
influence (PageRank) sum to 1 over those four tiers, and ``outside_big_cities``
is their complement of ``metropolis``.  People of unknown size and unlocated
people are counted (``participants``) and their part of *all* influence is given
as ``influence_share_of_all``, but they hold no share of the base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import settings
from .geo.distance import haversine_km
from .model import TIERS, Conversation, Place, Tier
from .products import (
    Base,
    Geography,
    OutsideBigCities,
    PlaceTotal,
    TieKm,
    TierShare,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    from .graph import Edges

#: the report's ``by_tier`` keys: every place tier, and the people with no place
UNLOCATED = "unlocated"
TIER_KEYS: tuple[str, ...] = (*(t.value for t in TIERS), UNLOCATED)
#: the tiers of known size, the base of ``outside_big_cities``
KNOWN_SIZE: tuple[str, ...] = (Tier.METROPOLIS, Tier.CITY, Tier.TOWN, Tier.SMALL_TOWN)
#: What every share in the geography is a share of (report, map, charts, summary).
BASE_NAME = "located participants of known size"


def percents(shares: list[float | None]) -> list[int | None]:
    """Whole percentages of ``shares`` (fractions summing to 1) that add up to exactly
    100, by largest remainder, so a panel's numbers add up as printed.

    >>> percents([1 / 3, 1 / 3, 1 / 3]), percents([0.125, 0.875]), percents([None, None])
    ([34, 33, 33], [13, 87], [None, None])
    """
    if any(x is None for x in shares) or not shares:
        return [None] * len(shares)
    raw = [100 * float(x or 0.0) for x in shares]
    out = [int(x) for x in raw]
    short = round(sum(raw)) - sum(out)
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: max(short, 0)]:
        out[i] += 1
    return list(out)


def headline_percents(geo: Geography | dict[str, Any]) -> dict[str, Any]:
    """The numbers a reader sees, as whole percentages that add up: per known-size tier
    ``{tier: (participants %, influence %)}`` and ``outside`` (the same two, = 100 −
    metropolis), all on the geography's base (typed, or report.json's block)."""
    if isinstance(geo, Geography):
        ppl = percents([geo.by_tier[t].participant_share for t in KNOWN_SIZE])
        inf = percents([geo.by_tier[t].influence_share for t in KNOWN_SIZE])
    else:
        by = geo["by_tier"]
        ppl = percents([by[t]["participant_share"] for t in KNOWN_SIZE])
        inf = percents([by[t]["influence_share"] for t in KNOWN_SIZE])
    tiers = {t: (ppl[i], inf[i]) for i, t in enumerate(KNOWN_SIZE)}
    outside = tuple(None if x is None else 100 - x for x in tiers["metropolis"])
    return {"tiers": tiers, "outside": outside}


def place_of(conv: Conversation, pid: str, include_inferred: bool = False):
    """The person's place, or None; places inferred from the network count only
    when ``include_inferred``."""
    p = conv.people.get(pid)
    if p is None or p.place is None:
        return None
    if p.place.source == "network" and not include_inferred:
        return None
    return p.place


#: a node without scores (read-only)
_NO_SCORE: dict[str, float] = {}


def tier_of(conv: Conversation, pid: str, include_inferred: bool = False) -> str:
    pl = place_of(conv, pid, include_inferred)
    return pl.tier if pl is not None else UNLOCATED


def tie_distances(
    conv: Conversation, g: nx.DiGraph | Edges, include_inferred: bool = False
) -> list[float]:
    """Great-circle km between the two ends of each interaction whose ends are both
    located (an edge of weight n counts n times)."""
    from .graph import as_edges

    edges = as_edges(g)
    return _distances(edges, _places(conv, edges.nodes, include_inferred))


def _places(conv: Conversation, nodes: list[str], include_inferred: bool) -> list[Place | None]:
    """:func:`place_of` each node, in node order, without a call per node."""
    return [pl for _, pl in _each_place(conv, nodes, include_inferred)]


def _each_place(
    conv: Conversation, nodes: Iterable[str], include_inferred: bool
) -> Iterator[tuple[str, Place | None]]:
    """Each node with its :func:`place_of`, in node order."""
    get = conv.people.get
    for pid in nodes:
        p = get(pid)
        pl = None if p is None else p.place
        if pl is not None and not include_inferred and pl.source == "network":
            pl = None
        yield pid, pl


def _distances(edges: Edges, placed: list[Place | None]) -> list[float]:
    """:func:`tie_distances` with each node's place given (``placed``, in node order)."""
    return _km(edges, placed).tolist()


def _km(edges: Edges, placed: list[Place | None]) -> NDArray[np.float64]:
    """:func:`_distances` as an array (the geography stage's sums and median run on it:
    1.4M interactions at 1M tweets, a Python float each, issue #19)."""
    import numpy as np

    # each person's place looked up once, then the ends of every edge as arrays
    n = len(placed)
    located = np.fromiter((pl is not None for pl in placed), dtype=bool, count=n)
    lat = np.array([0.0 if pl is None else pl.lat for pl in placed], dtype=float)
    lon = np.array([0.0 if pl is None else pl.lon for pl in placed], dtype=float)
    both = located[edges.src] & located[edges.dst]
    if not both.any():
        return np.empty(0, dtype=float)
    src, dst = edges.src[both], edges.dst[both]
    reps = edges.counts.sum(axis=1)[both]
    reps[reps == 0] = 1
    km = haversine_km(lat[src], lon[src], lat[dst], lon[dst])
    return np.repeat(km, reps)


def _median(km: NDArray[np.float64]) -> float:
    """``statistics.median`` of the array's values (the same float: the middle value,
    or the two middle ones summed and halved as Python floats), without sorting a list."""
    import numpy as np

    n = len(km)
    if n % 2:
        return float(np.partition(km, n // 2)[n // 2])
    i = n // 2
    part = np.partition(km, (i - 1, i))
    return (float(part[i - 1]) + float(part[i])) / 2


def geography(
    conv: Conversation,
    g: nx.DiGraph | Edges,
    scores: dict[str, dict[str, float]],
    include_inferred: bool = False,
) -> dict[str, Any]:
    """DESIGN.md's ``geography`` block, plus ``places`` (per-place totals), as the
    report.json dict (:func:`measure` gives the typed :class:`~mapper.products.Geography`).

    >>> from mapper.model import Conversation, Person, Place, Interaction
    >>> from mapper.graph import build_graph, influence
    >>> big = Place("Paris", 48.8566, 2.3522, population=2_000_000, tier="metropolis")
    >>> small = Place("Lyons-la-Forêt", 49.399, 1.476, population=700, tier="small_town")
    >>> c = Conversation(people={"a": Person("a", "A", place=big), "b": Person("b", "B", place=small)},
    ...                  interactions=[Interaction("a", "b", "comment")])
    >>> g = build_graph(c)
    >>> geo = geography(c, g, influence(g))
    >>> geo["by_tier"]["small_town"]["participants"], round(geo["tie_km"]["median"])
    (1, 88)
    """
    return measure(conv, g, scores, include_inferred).to_dict()


def measure(
    conv: Conversation,
    g: nx.DiGraph | Edges,
    scores: dict[str, dict[str, float]],
    include_inferred: bool = False,
) -> Geography:
    """The geography stage: shares by tier on one base, tie distances, places (typed)."""
    from .graph import as_edges

    edges = as_edges(g)
    nodes = list(edges.nodes)
    n = len(nodes)
    # each node's place and PageRank looked up once (place_of, tier_of, tie_distances
    # by node cost a call each: 195k nodes at 1M tweets, issue #17), in one pass that
    # also gathers the places' people (each pass over 195k people spread over a heap
    # of a GB costs in cache misses); the sums run in node order, as before
    placed: list[Place | None] = []  # as _places
    prs: list[float] = []
    count = dict.fromkeys(TIER_KEYS, 0)
    pr = dict.fromkeys(TIER_KEYS, 0.0)
    places: dict[tuple, tuple[Place, list[str], list[float]]] = {}
    # each person holds a copy of their place: its key (two round() calls) made once per
    # distinct unrounded place, not per person (59k people, 42 places at 1M tweets)
    keyed: dict[tuple, tuple] = {}
    for v, pl in _each_place(conv, nodes, include_inferred):
        placed.append(pl)
        x = scores.get(v, _NO_SCORE).get("pagerank", 0.0)
        prs.append(x)
        if pl is None:
            count[UNLOCATED] += 1
            pr[UNLOCATED] += x
            continue
        t = pl.tier
        count[t] += 1
        pr[t] += x
        raw = (pl.name, pl.admin1, pl.country_code, pl.lat, pl.lon)
        key = keyed.get(raw)
        if key is None:
            key = keyed[raw] = (*raw[:3], round(pl.lat, 4), round(pl.lon, 4))
        _, who, influence = places.setdefault(key, (pl, [], []))
        who.append(v)
        influence.append(scores[v]["pagerank"])
    total_pr = sum(prs) or 1.0
    n_base = sum(count[t] for t in KNOWN_SIZE)
    pr_base = sum(pr[t] for t in KNOWN_SIZE)
    by_tier: dict[str, TierShare] = {}
    for t in TIER_KEYS:
        if t in KNOWN_SIZE:
            by_tier[t] = TierShare(
                participants=count[t],
                participant_share=round(count[t] / n_base, 6) if n_base else None,
                influence_share=round(pr[t] / pr_base, 6) if pr_base else None,
            )
        else:  # outside the base: counted, with their part of all influence
            by_tier[t] = TierShare(
                participants=count[t],
                participant_share=None,
                influence_share=None,
                influence_share_of_all=round(pr[t] / total_pr, 6),
            )
    base = Base(
        name=BASE_NAME,
        participants=n_base,
        of_participants=n,
        unknown_size=count["unknown"],
        unlocated=count["unlocated"],
        influence_share_of_all=round(pr_base / total_pr, 6),
    )
    outside = n_base - count["metropolis"]
    outside_big = OutsideBigCities(
        participants=n_base,
        outside=outside,
        participant_share=round(outside / n_base, 6) if n_base else None,
        influence_share=round((pr_base - pr["metropolis"]) / pr_base, 6) if pr_base else None,
        base=BASE_NAME,
    )

    import numpy as np

    distances = _km(edges, placed)

    def share_over(km: float) -> float | None:
        if not len(distances):
            return None
        return round(int(np.count_nonzero(distances > km)) / len(distances), 6)

    tie_km = TieKm(
        located_interactions=len(distances),
        median=round(_median(distances), 3) if len(distances) else None,
        # DESIGN.md's key, always over 32 km (≈ 20 miles) whatever the setting, and
        # the share over the configured radius, named with the radius beside it
        share_over_32km=share_over(32.0),
        long_tie_km=settings.long_tie_km,
        share_over_long_tie_km=share_over(settings.long_tie_km),
    )

    totals = []
    for pl, who, influence in places.values():
        summed = 0.0
        for x in influence:  # in node order, as the float sum always was
            summed += x
        totals.append((pl, who, summed))
    totals.sort(key=lambda r: -r[2])
    place_list = tuple(
        PlaceTotal(
            name=pl.name,
            admin1=pl.admin1,
            country_code=pl.country_code,
            lat=pl.lat,
            lon=pl.lon,
            tier=pl.tier,
            population=pl.population,
            metro=pl.metro,
            metro_population=pl.metro_population,
            participants=len(who),
            influence=round(summed, 6),
            people=tuple(who),
        )
        for pl, who, summed in totals
    )
    return Geography(
        base=base,
        by_tier=by_tier,
        outside_big_cities=outside_big,
        tie_km=tie_km,
        places=place_list,
    )
