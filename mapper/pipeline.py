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
from .errors import UsageError
from .model import Conversation

log = logging.getLogger("mapper")


@dataclass
class Result:
    """What one run produced; ``report`` is the report.json dict, ``edges`` the folded
    interactions; ``graph`` is the networkx graph, built when first asked for."""

    conversation: Conversation
    edges: graph_mod.Edges
    scores: dict[str, dict[str, float]]
    geography: dict[str, Any] | None = None
    report: dict[str, Any] = field(default_factory=dict)
    _graph: nx.DiGraph | None = None

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            self._graph = graph_mod.build_graph(self.edges)
            for pid in self._graph:
                self._graph.nodes[pid]["name"] = self.conversation.people[pid].name
            graph_mod.annotate(self._graph, self.conversation, self.scores)
        return self._graph


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
    engine: str = "local",
    scheduler: str | None = None,
) -> Result:
    """Run the pipeline on ``inputs`` and return every intermediate product.

    ``locate`` turns on locating (offline gazetteer, plus ``geocoder`` for what
    it cannot resolve, and the user's ``locations`` file over everything);
    ``infer`` also places unlocated people from their network, reported apart.
    ``engine="dask"`` reads and locates over shards on a Dask cluster (a local one,
    or ``scheduler``), with the same results (:mod:`mapper.distributed`).
    """
    from .geo.locate import locate_people

    located = bool(locate or locations or geocoder is not None or infer)
    locator = None
    if engine == "dask":
        from .distributed import read_and_locate

        conv, locator = read_and_locate(
            list(inputs), author=author, aliases=aliases, scheduler=scheduler
        )
    elif engine == "local":
        from .study import read

        conv = read(inputs, author=author, aliases=aliases)
    else:
        raise UsageError(f"unknown engine {engine!r} (local or dask)")
    if located:
        locate_people(conv, locations=locations, geocoder=geocoder, locator=locator)
    edges = graph_mod.fold(conv, keep_spam=keep_spam)
    scores = graph_mod.influence(edges)
    if infer:
        from .geo.infer import infer_locations

        log.info("inferred %d place(s) from the network", infer_locations(conv, edges))
    geography = with_inferred = None
    if located:
        from .geography import geography as compute_geography

        geography = compute_geography(conv, edges, scores)
        if infer:
            with_inferred = compute_geography(conv, edges, scores, include_inferred=True)
    rep = report.build_report(conv, scores, report.edge_list(edges), geography, with_inferred)
    return Result(conv, edges, scores, geography, rep)
