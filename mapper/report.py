"""report.json, people.csv and the one-paragraph summary.

report.json follows DESIGN.md; its keys are stable.  People are listed by
influence, most influential first.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, overload

import msgspec

from . import settings
from .files import write_atomic
from .geography import TIER_KEYS
from .model import KINDS, Conversation
from .products import Counts, Geography, Ranked, Report, Score, Tie


def ranked(conv: Conversation, scores: dict[str, dict[str, float]]) -> People:
    """Every person (spam too) with their influence, most influential first, then by id
    (:class:`People`: with the rows in the conversation's order and the ranking)."""
    zero = Score()
    # the degrees are ints inside graph.influence's float-typed dicts: passed on as they are
    # (positional, in the fields' order: Score(**s) unpacked a dict per person)
    # (no typing.cast call per value: 169k calls at 1M tweets)
    score = {
        pid: Score(s["pagerank"], s["in_degree"], s["out_degree"])  # type: ignore[arg-type]
        for pid, s in scores.items()
    }
    # the rows, ids and PageRanks in one pass over the people (each pass over a 1M-tweet
    # report's 195k, spread over a heap of a GB, costs in cache misses: issue #17)
    rows: list[Ranked] = []
    ids: list[str] = []
    prs: list[float] = []
    for p in conv.people.values():
        pid = p.id
        s = score.get(pid, zero)
        rows.append(Ranked(p, s))
        ids.append(pid)
        prs.append(s.pagerank)
    # by (-pagerank, id), stable, as NumPy sorts integers: the ids ranked by one stable
    # sort of the strings, then both keys at once — sorting the rows by a key tuple each
    # compared 84.5k tuples through two attribute chains (a 1M-tweet report, issue #19)
    import numpy as np

    n = len(rows)
    by_id = np.empty(n, np.int64)
    by_id[sorted(range(n), key=ids.__getitem__)] = np.arange(n)
    pr = np.array(prs, dtype=float)
    order = np.lexsort((by_id, -pr))
    out = People(map(rows.__getitem__, order.tolist()))
    out.unranked, out.order = rows, order
    return out


def ties(g) -> Ties:
    """One :class:`~mapper.products.Tie` per folded edge and kind (the weight is the
    number of interactions of that kind), by source, target and kind; ``g`` is a
    networkx graph or :class:`~mapper.graph.Edges`.  A :class:`Ties`: the sorted edge
    arrays, whose ``Tie`` objects are made when first iterated (report.json's rows are
    encoded from the arrays a slice at a time, without them)."""
    import numpy as np

    from .graph import as_edges

    edges = as_edges(g)
    nodes = edges.nodes
    rows, cols = edges.counts.nonzero()
    # sorted by source, target and kind as strings: each sorted once, the rows by rank
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[sorted(range(len(nodes)), key=nodes.__getitem__)] = np.arange(len(nodes))
    names = _KIND_NAMES
    kind_rank = np.empty(len(names), dtype=np.int64)
    kind_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    src, dst = edges.src[rows], edges.dst[rows]
    # one int64 key (source rank, target rank, kind rank) sorted stably: lexsort's
    # order on its three keys in a third of the time; the key (< 8·n²) fits an int64
    # up to 10⁹ people
    n, k = len(nodes), len(names)
    order = np.argsort((rank[src] * n + rank[dst]) * k + kind_rank[cols], kind="stable")
    weight = edges.counts[rows, cols]
    return Ties(nodes, src[order], dst[order], cols[order], weight[order])


def _made(nodes: Sequence[str], src, dst, kind, weight) -> Iterator[Tie]:
    """The ``Tie`` of each row of the edge arrays, :data:`_TIE_SLICE` at a time (the
    lists are a slice's, not every tie's).  ``nodes`` may be the ids as an object
    array (:meth:`Ties.node_objects`): otherwise made here."""
    import numpy as np

    # the ids and kinds picked by NumPy's indexing of object arrays and the ties made
    # by map: no Python frame per tie (950k at 1M tweets, issue #17)
    objs = nodes if isinstance(nodes, np.ndarray) else _objects(nodes)
    kinds = _objects(_KIND_NAMES)
    for i in range(0, len(src), _TIE_SLICE):
        at = slice(i, i + _TIE_SLICE)
        yield from map(
            Tie,
            objs[src[at]].tolist(),
            objs[dst[at]].tolist(),
            kinds[kind[at]].tolist(),
            weight[at].tolist(),
        )


def _objects(items: Sequence[str]) -> Any:
    """``items`` as a NumPy array of objects (one per item, whatever they are)."""
    import numpy as np

    return np.fromiter(items, dtype=object, count=len(items))


def encode_ties(nodes: Sequence[str], src, dst, kind, weight) -> bytes:
    """The rows of the edge arrays as report.json's compact ``edges`` array ``[...]``
    (a Tie encodes as :func:`tie_dict`'s object: its fields are those keys in order).
    The Dask engine runs it on workers, a slice each (:meth:`Ties.encoded`)."""
    return _ENCODER.encode(list(_made(nodes, src, dst, kind, weight)))


class Ties(Sequence[Tie]):
    """The report's ties (:func:`ties`) as sorted edge arrays: ``nodes`` (ids),
    ``src``/``dst`` (indices into them), ``kind`` (indices into
    :data:`mapper.model.KINDS`) and ``weight``.  A sequence of
    :class:`~mapper.products.Tie` like the tuple it stands for (made on first use and
    kept); :func:`write_report` encodes the rows from the arrays, a slice at a time
    (:meth:`encoded`), and :meth:`total_weight` sums the weights, without making them.
    ``encoded_by``, when set (the Dask engine's finishing task), starts encoding the
    slices elsewhere (on workers) and gives them in order; :func:`write_report` calls
    :meth:`encoded` before it makes the people's rows, so that they run meanwhile."""

    def __init__(self, nodes: Sequence[str], src, dst, kind, weight) -> None:
        self.nodes, self.src, self.dst, self.kind, self.weight = nodes, src, dst, kind, weight
        self._made: tuple[Tie, ...] | None = None
        self._node_objects: Any = None
        self._node_pieces: tuple[Any, Any] | None = None
        self.encoded_by: Callable[[], Iterable[bytes]] | None = None

    def _all(self) -> tuple[Tie, ...]:
        if self._made is None:
            self._made = tuple(
                _made(self.node_objects(), self.src, self.dst, self.kind, self.weight)
            )
        return self._made

    def __len__(self) -> int:
        return len(self.src)

    @overload
    def __getitem__(self, i: int) -> Tie: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Tie, ...]: ...

    def __getitem__(self, i: int | slice) -> Tie | tuple[Tie, ...]:
        return self._all()[i]

    def __iter__(self) -> Iterator[Tie]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"Ties({len(self)} ties)"

    def __getstate__(self) -> dict[str, Any]:  # pickled as arrays, not as made ties
        return {
            **self.__dict__,
            "_made": None,
            "_node_objects": None,
            "_node_pieces": None,
            "encoded_by": None,
        }

    def node_objects(self) -> Any:
        """``nodes`` as a NumPy array of objects, made once (:func:`_made` indexes it)."""
        if self._node_objects is None:
            self._node_objects = _objects(self.nodes)
        return self._node_objects

    def total_weight(self) -> int:
        """The summed weights (report.json's ``interactions``)."""
        return int(self.weight.sum())

    def slices(self, size: int = 0) -> Iterator[tuple[Any, Any, Any, Any]]:
        """``(src, dst, kind, weight)`` of ``size`` rows at a time (default
        :data:`_TIE_SLICE`)."""
        size = size or _TIE_SLICE
        for i in range(0, len(self), size):
            at = slice(i, i + size)
            yield self.src[at], self.dst[at], self.kind[at], self.weight[at]

    def encoded(self) -> Iterable[bytes]:
        """The rows as compact JSON arrays ``[...]`` of :data:`_BATCH` rows (made as
        they are taken), or what ``encoded_by`` gives when set (:func:`encode_ties` of
        a slice each, started now)."""
        if self.encoded_by is not None:
            return self.encoded_by()
        return self._encoded()

    def _encoded(self) -> Iterator[bytes]:
        # :data:`_BATCH` rows an array (an indented report formats each: copies of a
        # batch, not of a slice)
        import numpy as np

        if self.weight.dtype.kind not in "iu":  # not counts: as the ties encode
            for part in self.slices():
                made = list(_made(self.node_objects(), *part))
                for i in range(0, len(made), _BATCH):
                    yield _ENCODER.encode(made[i : i + _BATCH])
            return
        # Each row joined from four pieces encoded once — '{"source":ID,"target":' per
        # node, 'ID,"kind":' per node, 'KIND,"weight":' per kind, 'WEIGHT}' per weight —
        # the bytes the encoder writes for its Tie, without making the Tie (950k rows at
        # 1M tweets: half the time, issue #17); each piece but the first after a ","
        heads, mids = self._pieces()
        kinds = _kind_pieces()
        for i in range(0, len(self), _BATCH):
            at = slice(i, i + _BATCH)
            weight = self.weight[at]
            parts = np.empty(4 * len(weight) + 1, dtype=object)
            parts[0:-1:4] = heads[self.src[at]]
            parts[1:-1:4] = mids[self.dst[at]]
            parts[2:-1:4] = kinds[self.kind[at]]
            parts[3:-1:4] = _weight_pieces(weight)
            parts[0] = b"[" + parts[0][1:]
            parts[-1] = b"]"
            yield b"".join(parts.tolist())

    def _pieces(self) -> tuple[Any, Any]:
        """Each node's two pieces of :meth:`_encoded`'s rows, as object arrays."""
        import numpy as np

        if self._node_pieces is None:
            ids = [_ENCODER.encode(n) for n in self.nodes]
            self._node_pieces = (
                np.array([b',{"source":' + i + b',"target":' for i in ids], dtype=object),
                np.array([i + b',"kind":' for i in ids], dtype=object),
            )
        return self._node_pieces


#: ties made from the edge arrays at a time by :func:`ties`
_TIE_SLICE = 1 << 16

#: the kinds' names, in :data:`mapper.model.KINDS`' order (a tie's ``kind`` index)
_KIND_NAMES = [k.value for k in KINDS]

_ENCODER = msgspec.json.Encoder(enc_hook=str)

#: weights below this have their row's last piece made once (:func:`_weight_pieces`)
_SMALL_WEIGHTS = 4096


@functools.cache
def _kind_pieces() -> Any:
    """Each kind's piece of :meth:`Ties._encoded`'s rows, in :data:`_KIND_NAMES`' order."""
    import numpy as np

    return np.array([_ENCODER.encode(k) + b',"weight":' for k in _KIND_NAMES], dtype=object)


@functools.cache
def _small_weights() -> Any:
    """The last piece (``WEIGHT}``) of :meth:`Ties._encoded`'s rows for every weight
    under :data:`_SMALL_WEIGHTS`, made once, as an object array indexed by weight."""
    import numpy as np

    return np.array([b"%d}" % w for w in range(_SMALL_WEIGHTS)], dtype=object)


def _weight_pieces(weight: Any) -> Any:
    """The last piece of each row of :meth:`Ties._encoded` (``WEIGHT}``) for integer
    ``weight``, as the encoder writes an int."""
    if len(weight) and weight.min() >= 0 and weight.max() < _SMALL_WEIGHTS:
        return _small_weights()[weight]
    return [b"%d}" % w for w in weight.tolist()]


def build_report(
    conv: Conversation,
    scores: dict[str, dict[str, float]],
    edges: Sequence[Tie],
    geography: Geography | None = None,
    geography_with_inferred: Geography | None = None,
) -> Report:
    """The report stage: counts, people with influence, ties, geography, problems
    (typed; :func:`to_dict` makes report.json's dict of it)."""
    people = ranked(conv, scores)
    return Report(
        inputs=tuple(conv.inputs),
        posts=tuple(conv.posts),
        counts=Counts.of(people, edges),
        set_aside=dict(conv.set_aside),
        people=people,
        ties=edges,
        geography=geography,
        geography_with_inferred=geography_with_inferred,
        problems=tuple(conv.problems),
        long_tie_km=settings.long_tie_km,
    )


class People(tuple[Ranked, ...]):
    """The report's ranked people (:func:`ranked`), a tuple.  ``encoded_by``, when set
    (the Dask engine's finishing task: :func:`mapper.distributed.spread_people`), is
    called by :func:`write_report` with its ``exact`` and gives the rows of
    report.json's ``people`` as compact JSON arrays, in rank order, made elsewhere
    (on the workers, from the people's columns kept there): they are written instead
    of the rows :func:`encode_people` would make here."""

    encoded_by: Callable[[bool], Iterable[bytes]] | None = None
    #: the rows in the conversation's order, and the ranking (``self[k] is
    #: unranked[order[k]]``), when :func:`ranked` made them
    unranked: list[Ranked] | None = None
    order: Any = None

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as the tuple, without encoded_by
        return (People, (tuple(self),))


def encode_people(rows: Sequence[Ranked], exact: bool) -> Iterator[bytes]:
    """The rows of report.json's ``people`` as compact JSON arrays of :data:`_BATCH`
    rows (``person_dict`` through ``person_without_exact`` unless ``exact``): in one
    process (:func:`write_report`) and on a Dask worker for a slice of the ranked
    people (:func:`mapper.distributed.spread_people`) — one function, the same bytes."""
    encode = _ENCODER.encode
    for i in range(0, len(rows), _BATCH):
        yield encode([_person_row(r, exact) for r in rows[i : i + _BATCH]])


def person_dict(r: Ranked) -> dict[str, Any]:
    """One row of report.json's ``people``."""
    p = r.person
    return {
        "id": p.id,
        "name": p.name,
        "handles": dict(p.handles),
        "urls": list(p.urls),
        "location_text": p.location_text,
        "place": p.place.to_dict() if p.place else None,
        "influence": {
            "pagerank": r.score.pagerank,
            "in_degree": r.score.in_degree,
            "out_degree": r.score.out_degree,
        },
        "spam": p.spam,
        "merged_from": list(p.merged_from),
        "records": p.records,
        "evidence": list(p.evidence),
    }


#: what report.json says in place of a post's exact coordinates without ``--exact``
WITHHELD = "withheld (--exact keeps exact coordinates)"


def without_exact(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` (report.json's dict) without exact coordinates from posts: a
    person's ``place.point_lat``/``point_lon`` become ``None`` and the value of each
    ``coordinates`` evidence is withheld; the place's centre stays.  A shallow copy:
    ``report`` itself is unchanged."""
    return {**report, "people": [person_without_exact(p) for p in report.get("people") or []]}


def person_without_exact(p: dict[str, Any]) -> dict[str, Any]:
    """One row of report.json's ``people`` as :func:`without_exact` gives it."""
    place: dict[str, Any] = p.get("place") or {}
    evidence = p.get("evidence") or []
    exact_place = place and (
        place.get("point_lat") is not None or place.get("point_lon") is not None
    )
    exact_ev = any(e.get("kind") == "coordinates" for e in evidence)
    if not (exact_place or exact_ev):
        return p
    out = dict(p)
    if exact_place:
        out["place"] = {**place, "point_lat": None, "point_lon": None}
    if exact_ev:
        out["evidence"] = [
            {**e, "value": WITHHELD} if e.get("kind") == "coordinates" else e for e in evidence
        ]
    return out


def empty_geography(long_tie_km: float) -> dict[str, Any]:
    """report.json's ``geography`` block when nobody was located (no ``places``)."""
    return {
        "base": None,
        "by_tier": {t: {} for t in TIER_KEYS},
        "outside_big_cities": {"participant_share": None, "influence_share": None},
        "tie_km": {
            "median": None,
            "share_over_32km": None,
            "long_tie_km": long_tie_km,
            "share_over_long_tie_km": None,
        },
    }


def to_dict(report: Report) -> dict[str, Any]:
    """report.json as a dict (DESIGN.md's keys), made from the typed report: the one
    place the stages' products become the report's plain data."""
    out = dict(_head(report))
    out["people"] = [person_dict(r) for r in report.people]
    out["edges"] = [tie_dict(t) for t in report.ties]
    return out


#: the two keys of report.json that grow with the input, listed row by row
_ROWS = ("people", "edges")


def _head(report: Report) -> list[tuple[str, Any]]:
    """report.json's keys in order, with ``None`` standing for the ``people`` and
    ``edges`` rows (made, or streamed, by the caller)."""
    c = report.counts
    return [
        ("mapper_version", settings.version),
        ("inputs", list(report.inputs)),
        (
            "posts",
            [
                {
                    "id": post.id,
                    "title": post.title,
                    "url": post.url,
                    "author": post.author_id,
                    "author_evidence": post.author_evidence,
                }
                for post in report.posts
            ],
        ),
        ("participants", c.participants),
        ("interactions", c.interactions),
        ("located", c.located),
        ("inferred", c.inferred),
        ("spam", c.spam),
        ("set_aside", dict(report.set_aside)),
        ("people", None),
        ("edges", None),
        (
            "geography",
            report.geography.to_dict()
            if report.geography is not None
            else empty_geography(report.long_tie_km),
        ),
        *(
            [("geography_with_inferred", report.geography_with_inferred.to_dict())]
            if report.geography_with_inferred is not None
            else []
        ),
        ("problems", list(report.problems)),
    ]


def tie_dict(t: Tie) -> dict[str, Any]:
    """One row of report.json's ``edges``."""
    return {"source": t.source, "target": t.target, "kind": t.kind, "weight": t.weight}


def edge_list(g) -> list[dict[str, Any]]:
    """report.json's ``edges``: ``{source, target, kind, weight}`` per folded edge and
    kind; ``g`` is a networkx graph or :class:`~mapper.graph.Edges`."""
    return [tie_dict(t) for t in ties(g)]


#: report.json is indented up to this size (bytes); larger reports are written compact
INDENT_LIMIT = 64 * 2**20


def write_json(report: Report | dict[str, Any], path: str | Path | None) -> bytes | None:
    """Write ``report`` (typed, or its dict) as report.json to ``path``; with
    ``-``/None return the bytes instead.

    msgspec encodes (and indents) in C: ``json.dumps`` took 20 s on a 1M-tweet report.
    Above ``INDENT_LIMIT`` the JSON is compact, which also spares a second copy in memory.
    """
    if isinstance(report, Report):
        report = to_dict(report)
    data = msgspec.json.encode(report, enc_hook=str)
    if len(data) <= INDENT_LIMIT:
        data = msgspec.json.format(data, indent=2)
    if path and str(path) != "-":
        # the newline written after: ``data + b"\n"`` would copy a 1M-tweet report
        write_atomic(path, (data, b"\n"))
        return None
    return data + b"\n"


#: rows of ``people``/``edges`` encoded at a time by :func:`write_report`
_BATCH = 2000


def write_report(report: Report, path: str | Path, exact: bool = False) -> None:
    """Write the typed ``report`` as report.json to the file ``path`` (without exact
    coordinates unless ``exact``), the same bytes as ``write_json(to_dict(report))``
    (``without_exact`` applied) without ever holding the report's dict or more than
    :data:`INDENT_LIMIT` bytes of it: the rows of ``people`` and ``edges`` are made and
    encoded a batch at a time (issue #17: a 1M-tweet report held as a dict, then as
    bytes, was the run's peak memory)."""
    units = _units(report, exact)
    kept: list[tuple[str, Any, bytes]] = []
    size, rows = 1, False  # the compact report's bytes so far (its closing "}" first)
    for unit in units:  # compact, as write_json, once the report is over the limit
        kept.append(unit)
        what, key, data = unit
        if what == "rows":  # "[a,b]" written as "a,b", after a "," if rows came before
            size += len(data) - 2 + rows
            rows = True
        elif what == "close":
            size += 1
        else:  # "{" or ",", the key, ":", then "[" or the value
            size += 2 + len(msgspec.json.encode(key)) + (1 if what == "open" else len(data))
            rows = False
        if size > INDENT_LIMIT:
            write_atomic(path, chain(_compact(chain(kept, units)), (b"\n",)))
            return
    write_atomic(path, chain(_indented(kept), (b"\n",)))


def _units(report: Report, exact: bool):
    """report.json as ``(what, key, compact bytes)``: ``("value", key, value)`` for a
    key and its whole value, ``("open", key, b"")``, then ``("rows", None, batch)`` per
    batch of rows of a list (a JSON array of them) and ``("close", None, b"")``."""
    encode = msgspec.json.Encoder(enc_hook=str).encode
    # the people's and the edges' rows started first (elsewhere, if the engine encodes
    # them on its workers: they run while what comes before them is written here)
    started = getattr(report.people, "encoded_by", None)
    people = started(exact) if started is not None else None
    edges = report.ties.encoded() if isinstance(report.ties, Ties) else None
    for key, value in _head(report):
        if key not in _ROWS:
            yield "value", key, encode(value)
            continue
        yield "open", key, b""
        if key == "edges" and edges is not None:  # from the arrays, a slice each
            for data in edges:
                yield "rows", None, data
            yield "close", None, b""
            continue
        if key == "people":
            for data in people if people is not None else encode_people(report.people, exact):
                yield "rows", None, data
            yield "close", None, b""
            continue
        rows: Sequence[Any] = report.ties
        for i in range(0, len(rows), _BATCH):
            # a Tie encodes as tie_dict's object: its fields are those keys in order
            yield "rows", None, encode(rows[i : i + _BATCH])
        yield "close", None, b""


class _PersonRow(msgspec.Struct):
    """A row of ``people`` to encode: the keys of :func:`person_dict` in its order,
    holding the person's own values, not copies (the place a dataclass, the influence
    a :class:`~mapper.products.Score`: they encode as the same objects as its dicts).
    4× faster than ``person_dict`` on a 1M-tweet report's 195k rows (issue #17)."""

    id: str
    name: str
    handles: Any
    urls: Any
    location_text: Any
    place: Any
    influence: Any
    spam: Any
    merged_from: Any
    records: Any
    evidence: Any


def _person_row(r: Ranked, exact: bool) -> _PersonRow:
    """``person_dict(r)`` (through :func:`person_without_exact` unless ``exact``) as
    the same JSON, for :func:`_units`."""
    p = r.person
    place: Any = p.place
    evidence: Any = p.evidence
    if not exact:  # person_without_exact's two rules
        if place is not None and (place.point_lat is not None or place.point_lon is not None):
            place = {**place.to_dict(), "point_lat": None, "point_lon": None}
        for e in evidence:  # (a loop, not any(): no generator per person)
            if e.get("kind") == "coordinates":
                evidence = [
                    {**e, "value": WITHHELD} if e.get("kind") == "coordinates" else e
                    for e in evidence
                ]
                break
    return _PersonRow(
        p.id,
        p.name,
        p.handles,
        p.urls,
        p.location_text,
        place,
        r.score,
        p.spam,
        p.merged_from,
        p.records,
        evidence,
    )


def _compact(units) -> Iterator[bytes | memoryview]:
    """The units as msgspec.json.encode writes the whole dict (a batch's rows as a view
    of its bytes: slicing them copied the 150 MB of a 1M-tweet report twice)."""
    first, rows = True, False
    for what, key, data in units:
        if what == "rows":  # "[a,b]": its rows, after a "," if rows came before
            if rows:
                yield b","
            yield memoryview(data)[1:-1]
            rows = True
            continue
        if what == "close":
            yield b"]"
            continue
        yield (b"{" if first else b",") + msgspec.json.encode(key) + b":"
        first = False
        if what == "open":
            rows = False
            yield b"["
        else:
            yield data
    yield b"}"


def _indented(units) -> Iterator[bytes]:
    """The units as ``msgspec.json.format(..., indent=2)`` writes the whole dict."""
    fmt = msgspec.json.format
    first, rows = True, False
    for what, key, data in units:
        if what == "rows":
            # "[\n  a,\n  b\n]" formatted alone: its rows, two levels deeper
            inner = fmt(data, indent=2)[1:-2].replace(b"\n", b"\n  ")
            yield inner if not rows else b"," + inner
            rows = True
            continue
        if what == "close":
            yield b"\n  ]" if rows else b"]"
            continue
        yield (b"{\n  " if first else b",\n  ") + msgspec.json.encode(key) + b": "
        first = False
        if what == "open":
            rows = False
            yield b"["
        else:
            yield fmt(data, indent=2).replace(b"\n", b"\n  ")
    yield b"\n}"


def summary_of(report: Report) -> str:
    """:func:`summary` of the typed report, without making its whole dict."""
    head = dict(_head(report))
    top = []
    for r in report.people:  # summary names the three most influential non-spam people
        if not r.person.spam:
            top.append(person_dict(r))
            if len(top) == 3:
                break
    head["people"] = top
    return summary(head)


PEOPLE_COLUMNS = (
    "id",
    "name",
    "location",
    "handle",
    "url",
    "place",
    "population",
    "metro",
    "metro_population",
    "tier",
    "place_source",
    "pagerank",
    "in_degree",
    "out_degree",
    "spam",
)


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: a leading ``'`` before
    ``=``, ``+``, ``-``, ``@``, tab, CR — and before a ``'`` of the value's own, so
    that :func:`mapper.files.unguard_cell` on reading gives the value back exactly."""
    s = "" if value is None else str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r", "'"):
        s = "'" + s
    return s


def people_csv(report: dict[str, Any]) -> str:
    """people.csv: one row per participant; ``location`` is the profile location,
    empty where none is known, for the user to fill in and give back with
    ``--locations``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PEOPLE_COLUMNS)
    for p in report["people"]:
        place = p["place"] or {}
        w.writerow(
            [
                safe_cell(v)
                for v in (
                    p["id"],
                    p["name"],
                    p["location_text"] or "",
                    " ".join(f"{k}:{v}" for k, v in p["handles"].items()),
                    p["urls"][0] if p["urls"] else "",
                    place.get("name", ""),
                    place.get("population") or "",
                    place.get("metro") or "",
                    place.get("metro_population") or "",
                    place.get("tier", ""),
                    place.get("source", ""),
                    f"{p['influence']['pagerank']:.6f}",
                    p["influence"]["in_degree"],
                    p["influence"]["out_degree"],
                    "yes" if p["spam"] else "",
                )
            ]
        )
    return buf.getvalue()


def headline(geo: Geography | dict[str, Any] | None) -> str:
    """The headline sentence, on the geography's one named base, with whole percentages
    that add up (the map's panel says the same), and who is left out of the base.
    ``geo`` is the typed geography or report.json's block; empty when nobody is in
    the base."""
    from .geography import BASE_NAME, headline_percents

    if isinstance(geo, dict):
        # report.json's block read back: the empty block (nobody located) has no base
        geo = msgspec.convert(geo, Geography) if geo.get("base") else None
    if geo is None or geo.outside_big_cities.participant_share is None:
        return ""
    out, base = geo.outside_big_cities, geo.base
    ppl, inf = headline_percents(geo)["outside"]
    text = (
        f" Outside big cities: {ppl}% of the {out.participants} {BASE_NAME} "
        f"hold {inf}% of their influence."
    )
    if base.unlocated or base.unknown_size:
        text += (
            f" Not in these shares: {base.unlocated} not located, "
            f"{base.unknown_size} of unknown size "
            f"(together {1 - base.influence_share_of_all:.0%} of all influence)."
        )
    return text


def summary(report: dict[str, Any]) -> str:
    """One paragraph with the headline numbers."""
    top = [p for p in report["people"] if not p["spam"]][:3]
    lead = ", ".join(f"{p['name']} ({p['influence']['pagerank']:.2f})" for p in top)
    text = (
        f"{report['participants']} participants, {report['interactions']} interactions, "
        f"{report['located']} located"
        + (
            f" (+{report['inferred']} inferred from their network)"
            if report.get("inferred")
            else ""
        )
        + f", {report['spam']} flagged as spam. "
        f"Most influential: {lead or 'nobody'}."
    )
    geo = report["geography"]
    text += headline(geo)
    tie = geo.get("tie_km") or {}
    if tie.get("median") is not None:
        text += (
            f" Ties: median {tie['median']:.0f} km, "
            f"{tie['share_over_long_tie_km']:.0%} longer than {tie['long_tie_km']:.0f} km."
        )
    if report["problems"]:
        text += f" {len(report['problems'])} problem(s) in the input: see 'problems'."
    return text
