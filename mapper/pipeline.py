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
from . import identity, report, sources, spam
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
) -> Result:
    """Run the pipeline on ``inputs`` and return every intermediate product.

    ``locate`` turns on locating (offline gazetteer, plus ``geocoder`` for what
    it cannot resolve, and the user's ``locations`` file over everything).
    """
    inputs = list(inputs)
    conv = sources.read(inputs, author=author)
    log.info(
        "read %d input(s): %d records of people, %d interactions",
        len(inputs),
        len(conv.people),
        len(conv.interactions),
    )
    conv = identity.merge(conv, identity.Aliases.read(aliases) if aliases else None)
    n_spam = spam.flag_spam(conv)
    log.info("%d participants after merging; %d flagged as spam", len(conv.people), n_spam)
    if locate or locations or geocoder is not None:
        from .geo import locate as locate_mod

        locate_mod.locate_people(conv, locations=locations, geocoder=geocoder)
    g = graph_mod.build_graph(conv, keep_spam=keep_spam)
    scores = graph_mod.influence(g)
    graph_mod.annotate(g, conv, scores)
    geography = None
    if locate or locations or geocoder is not None:
        from .geography import geography as compute_geography

        geography = compute_geography(conv, g, scores)
    rep = report.build_report(conv, scores, report.edge_list(g), geography)
    return Result(conv, g, scores, geography, rep)
