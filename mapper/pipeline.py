"""The public entry points over the pipeline: :func:`analyze` (everything),
:func:`read` (people and interactions) and :func:`locate` (places).

The stage order itself lives in :mod:`mapper._pipeline`; the CLI and
:class:`~mapper.study.Study` are thin layers over it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import graph as graph_mod
from ._pipeline import Options, Run
from .model import Conversation
from .products import Report
from .settings import Settings

if TYPE_CHECKING:  # loaded by graph.build_graph when a graph is asked for
    import networkx as nx

log = logging.getLogger("mapper")


@dataclass
class Result:
    """What one run produced: the located ``conversation``, the folded interactions
    (``edges``), each person's influence (``scores``) and the typed report
    (``typed``, a :class:`~mapper.products.Report` holding the typed geography).
    ``report`` is the report.json dict, made from it when first asked for; ``graph``
    is the networkx graph, built when first asked for."""

    conversation: Conversation
    edges: graph_mod.Edges
    scores: dict[str, dict[str, float]]
    typed: Report
    _graph: nx.DiGraph | None = field(default=None, repr=False)
    _report: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def report(self) -> dict[str, Any]:
        """report.json as a dict (DESIGN.md's keys)."""
        if self._report is None:
            from .report import to_dict

            self._report = to_dict(self.typed)
        return self._report

    @property
    def geography(self) -> dict[str, Any] | None:
        """report.json's ``geography`` block, or ``None`` when nobody was located."""
        return self.report["geography"] if self.typed.geography is not None else None

    @property
    def geography_with_inferred(self) -> dict[str, Any] | None:
        """The geography with inferred places counted too (only with ``infer``)."""
        return self.report.get("geography_with_inferred")

    def map(self, **options: Any) -> Any:
        """The folium map of this run, as :meth:`mapper.study.Study.map` draws it
        (options as :func:`mapper.render.render_map`)."""
        from .render import map_of

        return map_of(self.typed, **options)

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            self._graph = graph_mod.build_graph(self.edges)
            for pid in self._graph:
                self._graph.nodes[pid]["name"] = self.conversation.people[pid].name
            graph_mod.annotate(self._graph, self.conversation, self.scores)
        return self._graph

    @classmethod
    def of(cls, run: Run) -> Result:
        """The products of a finished :class:`~mapper._pipeline.Run`."""
        infl = run.product("influence")
        return cls(run.product("locate"), infl.edges, infl.scores, run.product("report"))


def analyze(
    inputs: Iterable[str | Path],
    *,
    author: str | None = None,
    aliases: str | Path | None = None,
    keep_spam: bool = False,
    locate: bool = False,
    locations: Any = None,
    geocoder: Any = None,
    infer: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    settings: Settings | None = None,
) -> Result:
    """Run the pipeline on ``inputs`` and return every intermediate product.

    ``locate`` turns on locating (offline gazetteer, plus ``geocoder`` for what
    it cannot resolve, and the user's ``locations`` file over everything);
    ``infer`` also places unlocated people from their network, reported apart.
    ``engine="dask"`` reads and locates over shards on a Dask cluster (a local one,
    or ``scheduler``), with the same results (:mod:`mapper.distributed`).
    ``settings`` pins every threshold for this run (default: :mod:`mapper.settings`
    as it is when each stage runs).
    """
    options = Options(
        author=author,
        aliases=aliases,
        keep_spam=keep_spam,
        locate=locate,
        locations=locations,
        geocoder=geocoder,
        infer=infer,
        engine=engine,
        scheduler=scheduler,
        settings=settings,
    )
    with Run(inputs, options) as run:
        return Result.of(run.run_all())


def read(
    inputs: str | Path | Iterable[str | Path],
    *,
    author: str | None = None,
    aliases: str | Path | None = None,
) -> Conversation:
    """Read one or more inputs into one Conversation: each person once (merged,
    with evidence), spam flagged.

    >>> import mapper, pathlib
    >>> conv = mapper.read(pathlib.Path(mapper.__file__).parent.parent / "data/example/thread.txt")
    >>> conv.people["twitter:maggieortiz"].name
    'Maggie Ortiz'
    """
    with Run(inputs, Options(author=author, aliases=aliases)) as run:
        return run.product("spam")


def locate(conv: Conversation, overrides: Any = None, *, geocoder: Any = None) -> Conversation:
    """Give each person a place (offline gazetteer, the evidence in the thread, an
    optional online ``geocoder``); ``overrides`` (dict, DataFrame or locations file)
    win over everything.  Returns ``conv``, changed in place."""
    from .geo.locate import locate_people
    from .sources.locations import overrides_from

    locate_people(conv, overrides_from(overrides), geocoder=geocoder)
    return conv
