"""The whole chain as one function: read → merge → spam → locate → graph → geography.

The CLI is a thin layer over :func:`analyze`; each stage is also usable alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from . import graph as graph_mod
from . import report
from .model import Conversation

log = logging.getLogger("mapper")


@dataclass
class Result:
    """What one run produced; ``report`` is the report.json dict."""

    conversation: Conversation
    graph: nx.DiGraph
    scores: dict[str, dict[str, float]]
    geography: dict[str, Any] | None = None
    report: dict[str, Any] = field(default_factory=dict)


def analyze(
    inputs: Iterable[str | Path],
    *,
    author: str | None = None,
    aliases: str | Path | None = None,
    keep_spam: bool = False,
    locate: bool = False,
    locations: str | Path | None = None,
    geocoder: Any = None,
    infer: bool = False,
) -> Result:
    """Run the pipeline on ``inputs`` and return every intermediate product.

    ``locate`` turns on locating (offline gazetteer, plus ``geocoder`` for what
    it cannot resolve, and the user's ``locations`` file over everything);
    ``infer`` also places unlocated people from their network, reported apart.
    """
    from .study import read

    conv = read(inputs, author=author, aliases=aliases)
    located = bool(locate or locations or geocoder is not None or infer)
    if located:
        from .geo.locate import locate_people

        locate_people(conv, locations=locations, geocoder=geocoder)
    g = graph_mod.build_graph(conv, keep_spam=keep_spam)
    scores = graph_mod.influence(g)
    if infer:
        from .geo.infer import infer_locations

        log.info("inferred %d place(s) from the network", infer_locations(conv, g))
    graph_mod.annotate(g, conv, scores)
    geography = with_inferred = None
    if located:
        from .geography import geography as compute_geography

        geography = compute_geography(conv, g, scores)
        if infer:
            with_inferred = compute_geography(conv, g, scores, include_inferred=True)
    rep = report.build_report(conv, scores, report.edge_list(g), geography, with_inferred)
    return Result(conv, g, scores, geography, rep)
