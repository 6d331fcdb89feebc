"""The stage order, written once: read → merge → spam → locate → graph → influence →
infer → geography → report.

Every way of running mapper goes through :class:`Run`: :func:`mapper.analyze` and the
CLI (all stages), :class:`mapper.Study` (stages on demand, cached, re-run only where a
change reaches), :func:`mapper.read` (up to ``spam``), ``mapper evaluate-inference``
(up to ``graph``) and the Dask engine (which swaps how ``read`` and ``locate`` do
their work, not the order).  To add or move a stage, edit :data:`STAGES` — nothing
else names the sequence.

Each stage is a function of the run that returns a typed product (the last two are
the structs of :mod:`mapper.products`); a stage names the stages whose products it uses
(``needs``), so a change (a person's place set by hand) invalidates exactly the stages
downstream of it.  No stage makes or reads the report dict: report.json is made from
the typed report at the edge, by :func:`mapper.report.to_dict`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import settings as settings_mod
from .errors import UsageError
from .model import Conversation
from .settings import Settings

if TYPE_CHECKING:
    from .geo.locate import Locator
    from .graph import Edges
    from .products import Geography as GeographyBlock
    from .products import Report as ReportData
    from .products import Tie

log = logging.getLogger("mapper")


# --- what a run is asked to do ---------------------------------------------------------


@dataclass
class Options:
    """What to do on a run (the CLI's options, :func:`mapper.analyze`'s arguments).

    ``locate`` turns on locating (offline gazetteer, plus ``geocoder`` for what it
    cannot resolve, and the user's ``locations`` over everything: a file path, a dict
    or a DataFrame); ``infer`` also places unlocated people from their network,
    reported apart.  ``engine`` is ``"local"`` or ``"dask"`` (with ``scheduler``, the
    address of a running Dask scheduler, or a local cluster when ``None``).
    ``settings`` pins every threshold for the run (and its Dask workers); ``None``
    uses the values of :mod:`mapper.settings` when each stage runs.  ``release``
    (the CLI's runs, issue #17) lets :meth:`Run.run_all` drop what no later stage
    reads: the conversation's unfolded interactions (``interactions`` and
    ``counts``) once the ``graph`` stage has folded them — the Python API keeps
    them."""

    author: str | None = None
    aliases: str | Path | None = None
    keep_spam: bool = False
    locate: bool = False
    locations: Any = None
    geocoder: Any = None
    infer: bool = False
    engine: str = "local"
    scheduler: str | None = None
    settings: Settings | None = None
    release: bool = False

    @property
    def locating(self) -> bool:
        """Whether people are located at all (asked for, or implied by another option)."""
        return bool(
            self.locate or self.locations is not None or self.geocoder is not None or self.infer
        )


class Engine(Protocol):
    """How the ``read`` stage reads and where ``locate`` resolves location strings."""

    def read(self, inputs: list[str | Path], author: str | None) -> Conversation:
        """Every input read into one conversation (records not yet merged)."""
        ...

    def locator(self, conv: Conversation) -> Locator | None:
        """A locator already holding answers for ``conv``'s strings, or ``None``."""
        ...

    def ties(self, edges: Edges) -> Sequence[Tie]:
        """The report's ties (:func:`mapper.report.ties`), their rows encoded where
        this engine encodes them (the Dask engine's finishing task: on its workers)."""
        ...

    def finished(self, report: ReportData) -> ReportData:
        """The report stage's product as this engine hands it on (the Dask engine's
        finishing task: with its people's rows for report.json to be encoded on the
        workers, from the people's columns kept there)."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a cluster client)."""
        ...


class LocalEngine:
    """This process reads every input in turn; locating resolves as it goes."""

    def read(self, inputs: list[str | Path], author: str | None) -> Conversation:
        from . import sources

        urls = [str(p) for p in inputs if isinstance(p, str) and "://" in p]
        if urls:  # fsspec reads them on the workers; this engine reads files
            raise UsageError(f"{urls[0]}: inputs by URL are read by --engine dask")
        return sources.read(inputs, author=author)

    def locator(self, conv: Conversation) -> Locator | None:
        return None

    def ties(self, edges: Edges) -> Sequence[Tie]:
        from .report import ties

        return ties(edges)

    def finished(self, report: ReportData) -> ReportData:
        return report

    def close(self) -> None:
        pass


def engine_for(options: Options) -> Engine:
    """The engine ``options.engine`` names, or :class:`~mapper.errors.UsageError`."""
    if options.engine == "local":
        return LocalEngine()
    if options.engine == "dask":
        try:
            from .distributed import DaskEngine
        except ImportError as e:
            raise UsageError(
                f"--engine dask needs dask: pip install 'mapper[dask]' ({e})"
            ) from None
        return DaskEngine(scheduler=options.scheduler)
    raise UsageError(f"unknown engine {options.engine!r} (local or dask)")


# --- typed stage products ---------------------------------------------------------------


@dataclass
class Influence:
    """The folded interaction graph and each person's influence (``pagerank``,
    ``in_degree``, ``out_degree``)."""

    edges: Edges
    scores: dict[str, dict[str, float]]


@dataclass
class Geographies:
    """The typed geography (stated places only) and, with inference, the same with
    inferred places counted too.  ``None`` when nobody was located."""

    stated: GeographyBlock | None
    with_inferred: GeographyBlock | None = None


# --- the stages --------------------------------------------------------------------------


def _read(run: Run) -> Conversation:
    # keep_spam also reads the blog comments a moderator did not approve
    cfg = settings_mod.Settings.current()
    if run.options.keep_spam and not cfg.keep_unapproved:
        cfg = cfg.replace(keep_unapproved=True)
    with settings_mod.applied(cfg):
        conv = run.engine.read(run.inputs, run.options.author)
    log.info(
        "read %d record(s) of people and %d interaction(s)",
        len(conv.people),
        conv.edges_count(),  # not iterated: the Dask engine's counts stay arrays
    )
    return conv


def _merge(run: Run) -> Conversation:
    from . import identity

    aliases = identity.Aliases.read(run.options.aliases) if run.options.aliases else None
    return identity.merge(run.product("read"), aliases)


def _spam(run: Run) -> Conversation:
    from .spam import flag_spam

    conv = run.product("merge")
    n_spam = flag_spam(conv)
    log.info("%d participants after merging; %d flagged as spam", len(conv.people), n_spam)
    return conv


def _locate(run: Run) -> Conversation:
    conv = run.product("spam")
    if run.options.locating:
        from .geo.locate import locate_people
        from .sources.locations import overrides_from

        locate_people(
            conv,
            overrides_from(run.options.locations),
            geocoder=run.options.geocoder,
            locator=run.engine.locator(conv),
        )
    return conv


def _graph(run: Run) -> Edges:
    from .graph import fold

    return fold(run.product("spam"), keep_spam=run.options.keep_spam)


def _influence(run: Run) -> Influence:
    from .graph import influence

    edges = run.product("graph")
    return Influence(edges, influence(edges))


def _infer(run: Run) -> int:
    """How many people were placed from their network (0 unless asked)."""
    if not run.options.infer:
        return 0
    from .geo.infer import infer_locations

    n = infer_locations(run.product("locate"), run.product("graph"))
    log.info("inferred %d place(s) from the network", n)
    return n


def _geography(run: Run) -> Geographies:
    conv, infl = run.product("locate"), run.product("influence")
    run.product("infer")
    if not run.options.locating:
        return Geographies(None)
    from .geography import measure

    stated = measure(conv, infl.edges, infl.scores)
    with_inferred = None
    if run.options.infer:
        with_inferred = measure(conv, infl.edges, infl.scores, include_inferred=True)
    return Geographies(stated, with_inferred)


def _report(run: Run) -> ReportData:
    from . import report

    conv, infl, geo = run.product("locate"), run.product("influence"), run.product("geography")
    return run.engine.finished(
        report.build_report(
            conv, infl.scores, run.engine.ties(infl.edges), geo.stated, geo.with_inferred
        )
    )


@dataclass(frozen=True)
class Stage:
    """One step: its name, the stages whose products it uses, and what it does."""

    name: str
    needs: tuple[str, ...]
    run: Callable[[Run], Any]


#: The stage order — the one place it is written.
STAGES: tuple[Stage, ...] = (
    Stage("read", (), _read),
    Stage("merge", ("read",), _merge),
    Stage("spam", ("merge",), _spam),
    Stage("locate", ("spam",), _locate),
    Stage("graph", ("spam",), _graph),
    Stage("influence", ("graph",), _influence),
    Stage("infer", ("locate", "graph"), _infer),
    Stage("geography", ("locate", "influence", "infer"), _geography),
    Stage("report", ("locate", "influence", "geography"), _report),
)
_BY_NAME = {s.name: s for s in STAGES}


# --- a run ---------------------------------------------------------------------------------


class Run:
    """The stages over ``inputs``, each computed on first use and kept.

    ``runs`` counts how often each stage ran (to see the caching work);
    :meth:`changed` drops what depends on a stage whose product was changed by hand.
    """

    def __init__(
        self,
        inputs: str | Path | Iterable[str | Path],
        options: Options | None = None,
        *,
        engine: Engine | None = None,
    ):
        self.inputs: list[str | Path] = [inputs] if isinstance(inputs, str | Path) else list(inputs)
        self.options = options or Options()
        self._engine = engine
        self._products: dict[str, Any] = {}
        self.runs: Counter[str] = Counter()

    @classmethod
    def of_conversation(
        cls, conv: Conversation, options: Options | None = None, *, located: bool = True
    ) -> Run:
        """A run over a conversation built in memory (a notebook, a benchmark): it
        stands for the products of ``read`` to ``spam`` — and of ``locate`` too when
        ``located`` (its people already have their places) — and the later stages run
        from it as usual."""
        run = cls(list(conv.inputs), options or Options(locate=located))
        done = ("read", "merge", "spam", "locate") if located else ("read", "merge", "spam")
        for name in done:
            run._products[name] = conv
        return run

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = engine_for(self.options)
        return self._engine

    def product(self, name: str) -> Any:
        """The product of stage ``name``, computing it (and what it needs) if not kept."""
        if name not in self._products:
            stage = _BY_NAME[name]
            for need in stage.needs:
                self.product(need)
            self.runs[name] += 1
            with settings_mod.applied(self.options.settings):
                self._products[name] = stage.run(self)
        return self._products[name]

    def run_all(self) -> Run:
        """Every stage, in order (with ``options.release``, the unfolded interactions
        are dropped once every stage that reads them has run)."""
        for stage in STAGES:
            self.product(stage.name)
            if self.options.release and stage.name == "graph":
                self._release_interactions()
        return self

    def _release_interactions(self) -> None:
        # read, merge and spam are done and locate ran before graph (STAGES' order);
        # what follows reads the folded edges and the people, never these
        for name in ("read", "merge", "spam", "locate"):
            conv = self._products.get(name)
            if conv is not None:
                conv.interactions = []
                conv.counts = {}

    def changed(self, name: str) -> None:
        """Stage ``name``'s product was changed in place: forget every stage that
        depends on it (directly or not), so they run again when next asked."""
        stale = {name}
        for stage in STAGES:  # in order, so a dependant's dependants follow it
            if stale & set(stage.needs):
                stale.add(stage.name)
                self._products.pop(stage.name, None)

    def close(self) -> None:
        """Release the engine's resources (a Dask client); the products stay."""
        if self._engine is not None:
            self._engine.close()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
