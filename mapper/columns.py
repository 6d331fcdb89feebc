"""A shard's conversation as columns, and the driver's reduction of them.

A Dask worker reads its shard with the ordinary reader and turns the
:class:`~mapper.model.Conversation` into :class:`ShardColumns` before sending it
back: the people as parallel lists (one entry per person, not per tweet), the
counted interactions as integer arrays ``(source, target, kind, weight, number)``
indexed into the shard's own string table of person ids.  Lists of strings and
NumPy arrays pickle an order of magnitude faster than a dict of ``Person``
dataclasses keyed by string tuples, which is what made the driver the bottleneck.

:func:`reduce` folds the shards back into one conversation exactly as the
single-process path would have built it:

* shards of one input are folded the way the reader folds a line about someone it
  already knows (:func:`_continue`), not as two records merged: a person seen in
  three shards of a file is one record of that file, with one ``merged_from`` entry,
  as when the file is read whole.  Folding them with ``Conversation.extend`` (the
  old engine) listed the person once per shard and counted one extra record per
  shard where the person was first met as a mention rather than as an author (the
  v1.1 reader gives a person first met by ``@handle`` ``records=1``, as it would
  for a tweet, and counts nothing more until they tweet) — 944 records instead of
  942 on the test corpus when the shards were really cut;
* the inputs are then folded in order with ``Conversation.extend``, as
  :func:`mapper.sources.read` does;
* the counted interactions of every shard are re-factorised and summed with NumPy
  (kept as arrays, :class:`CountTable`, for the graph fold),
  keeping the order in which each interaction was first met.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .model import KINDS, Conversation, Interaction, Person, Place, Post

_KIND_CODE: dict[str, int] = {str(k): i for i, k in enumerate(KINDS)}


_gc_lock = threading.Lock()
_gc_tasks = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def client_gc(young: int | None) -> Iterator[None]:
    """A task on a worker runs with the client's young-generation GC threshold
    ``young`` (``gc.get_threshold()[0]`` there: a CLI command raises it to
    ``mapper.cli.GC_YOUNG``, the collector having taken a fifth of a big read at
    Python's 700), as the single process reading the same input would; restored
    when the last task of the process running under it ends.  ``None``: unchanged."""
    global _gc_tasks, _gc_saved
    if young is None:
        yield
        return
    with _gc_lock:
        if not _gc_tasks:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], young), *_gc_saved[1:])
            _heap(True)
        _gc_tasks += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_tasks -= 1
            if not _gc_tasks:
                gc.set_threshold(*_gc_saved)
                _heap(False)


#: glibc's ``mallopt`` parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3

#: while a task of ours runs on a worker, blocks up to this size come from the heap and
#: the heap keeps twice that free at its top: the largest values glibc's own dynamic
#: thresholds reach in one process (``DEFAULT_MMAP_THRESHOLD_MAX`` on 64 bits)
_TASK_MMAP_THRESHOLD = 32 * 2**20


def _heap(tasks: bool) -> None:
    """The C heap of a Dask worker as in one process while a task of ours runs
    (``tasks``), as the worker had it otherwise.  Dask's nanny starts workers with
    ``MALLOC_TRIM_THRESHOLD_=65536`` (``distributed.nanny.pre-spawn-environ``), which
    also turns off glibc's dynamic thresholds: every block over 128 kB (a NumPy array
    of 16k numbers) is then mapped fresh and unmapped when freed, and the heap is
    given back whenever 64 kB are free at its top, so the memory is faulted in again
    page by page at every use — at 1M tweets the finishing task's stages took 1.67 s
    of CPU against 1.29 s in one process (issue #19, the ninth pass).  Nothing is done
    unless that variable is set (a process not started by a nanny keeps glibc's own
    behaviour), nor off glibc."""
    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    libc = _libc()
    if trim is None or libc is None:
        return
    if tasks:
        libc.mallopt(_M_MMAP_THRESHOLD, _TASK_MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 * _TASK_MMAP_THRESHOLD)
    else:  # the worker's: its trim threshold, glibc's default mmap threshold
        mmap = os.environ.get("MALLOC_MMAP_THRESHOLD_", str(128 * 1024))
        if mmap.isdigit() and trim.isdigit():
            libc.mallopt(_M_MMAP_THRESHOLD, int(mmap))
            libc.mallopt(_M_TRIM_THRESHOLD, int(trim))


_LIBC: list[Any] = []


def _libc() -> Any:
    """glibc (its ``mallopt``), or ``None`` elsewhere; looked up once."""
    if not _LIBC:
        lib = None
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                lib = ctypes.CDLL("libc.so.6")
                lib.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            except (OSError, AttributeError):  # (musl: no libc.so.6, or no mallopt)
                lib = None
        _LIBC.append(lib)
    return _LIBC[0]


@dataclass
class ShardColumns:
    """One shard read by a worker, as columns (``i``-th entry of each people column
    is the person ``ids[i]``)."""

    #: the input as the user named it (path or URL) and the shard's place in it
    input: str
    part: int
    #: how the reader folds a line about a known person within one file:
    #: ``"v1"`` (records counted, nothing else added), ``"v2"`` (also the first URL),
    #: ``""`` (the reader merges records: :func:`~mapper.model.absorb`)
    fast_path: str = ""
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    #: a person's handles, or (most) just the text ``h`` for ``{"twitter": h}``
    handles: list[dict[str, str] | str] = field(default_factory=list)
    #: the people with URLs, evidence: index → list (most have none: fewer objects to
    #: pickle, unpickle and fold — that was a third of a shard's trip)
    urls: dict[int, list[str]] = field(default_factory=dict)
    location: list[str | None] = field(default_factory=list)
    records: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    profile_only: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: first met in this shard by ``@handle`` (a record counted that was no tweet)
    via_handle: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: a person's ``merged_from`` when it is the reader's one entry
    #: ``"<id> (<input>: line <n>)"``: ``n`` here (before :attr:`line_shift`), else -1
    #: and the list in ``merged_from`` (index → list)
    lines_at: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    merged_from: dict[int, list[str]] = field(default_factory=dict)
    evidence: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    #: the few people a reader already placed (tweet coordinates): index → place
    places: dict[int, Place] = field(default_factory=dict)
    spam: list[int] = field(default_factory=list)
    #: counted interactions: indexes into ``ids``, kind codes (order of ``KINDS``)
    src: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    dst: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    number: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    #: listed interactions (comments with text: few, kept as objects), posts, ...
    interactions: list[Interaction] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    set_aside: dict[str, int] = field(default_factory=dict)
    #: line numbers count from the shard's first line (a range cut on a worker);
    #: ``lines`` is how many lines the shard holds, to number the next ones
    relative: bool = False
    lines: int = 0
    #: lines to add to the line numbers in ``merged_from`` (:meth:`shift_lines`)
    line_shift: int = 0
    #: the worker's time reading the shard (seconds: wall, and CPU of the task's thread)
    seconds: float = 0.0
    cpu: float = 0.0
    #: ``(wall, CPU)`` seconds of the read tasks of the shards combined into this
    #: one, in order, and of the combine tasks that joined them (:func:`combine`)
    tasks: list[tuple[float, float]] = field(default_factory=list)
    merges: list[tuple[float, float]] = field(default_factory=list)

    def renamed(self, old: str, new: str) -> None:
        """Name the input ``new`` where its reader wrote ``old`` (a worker's
        temporary copy of a URL)."""
        self.inputs = [new if x == old else x for x in self.inputs]
        for p in self.problems:
            if p.get("input") == old:
                p["input"] = new
        was, now = f"({old}: ", f"({new}: "
        # (the entries kept as line numbers are written with ``input``, set by the caller)
        self.merged_from = {
            i: [m.replace(was, now, 1) for m in ms] for i, ms in self.merged_from.items()
        }
        for it in self.interactions:
            if it.ref and old in it.ref:
                it.ref = it.ref.replace(old, new)

    def shift_lines(self, by: int) -> None:
        """Add ``by`` to every line number the shard's reader wrote: at once in
        ``problems`` (few), and in a person's ``merged_from`` only when the person is
        made a record (:func:`_person`): most people of a shard were met in an
        earlier one, and their ``merged_from`` is never read (shifting every entry of
        every shard was the biggest part of a combine task)."""
        if not by:
            return
        self.line_shift += by
        for p in self.problems:
            where = p.get("where", "")
            if where.startswith("line "):
                p["where"] = _shift(f"({self.input}: {where}", f"({self.input}: line ", by)[
                    len(self.input) + 3 :
                ]

    @property
    def nbytes(self) -> int:
        """Bytes of the interaction arrays (the part that grows with the input)."""
        return sum(a.nbytes for a in (self.src, self.dst, self.kind, self.weight, self.number))


def from_conversation(
    conv: Conversation,
    input: str,
    part: int,
    fast_path: str = "",
    via_handle: set[str] | None = None,
) -> ShardColumns:
    """``conv`` (one shard, read by a worker) as columns.  ``via_handle``: the ids of
    the people first met in the shard by ``@handle``."""
    people = list(conv.people.values())
    index = {pid: i for i, pid in enumerate(conv.people)}
    arrays = _table_columns(conv.counts, index)
    if arrays is not None:  # the reader's tally (mapper.tally): its arrays, re-coded
        src, dst, kind, weight, number = arrays
    else:
        n = len(conv.counts)
        # column by column (assigning NumPy elements one tie at a time cost 5× more)
        at, code = index.__getitem__, _KIND_CODE.__getitem__
        keys, values = conv.counts.keys(), conv.counts.values()
        src = np.fromiter((at(k[0]) for k in keys), np.int32, n)
        dst = np.fromiter((at(k[1]) for k in keys), np.int32, n)
        kind = np.fromiter((code(k[2]) for k in keys), np.int8, n)
        weight = np.fromiter((v[0] for v in values), np.float64, n)
        number = np.fromiter((v[1] for v in values), np.int64, n)
    via = via_handle or set()
    lines_at, merged_from = _lines_at(people, input)
    return ShardColumns(
        input=input,
        part=part,
        fast_path=fast_path,
        ids=[p.id for p in people],
        names=[p.name for p in people],
        handles=[_compact(p.handles) for p in people],
        urls={i: p.urls for i, p in enumerate(people) if p.urls},
        location=[p.location_text for p in people],
        records=np.fromiter((p.records for p in people), np.int64, len(people)),
        profile_only=np.fromiter((p.profile_only for p in people), bool, len(people)),
        via_handle=np.fromiter((p.id in via for p in people), bool, len(people)),
        lines_at=lines_at,
        merged_from=merged_from,
        evidence={i: p.evidence for i, p in enumerate(people) if p.evidence},
        places={i: p.place for i, p in enumerate(people) if p.place is not None},
        spam=[i for i, p in enumerate(people) if p.spam],
        src=src,
        dst=dst,
        kind=kind,
        weight=weight,
        number=number,
        interactions=conv.interactions,
        posts=conv.posts,
        inputs=conv.inputs,
        problems=conv.problems,
        set_aside=conv.set_aside,
    )


def _compact(handles: dict[str, str]) -> dict[str, str] | str:
    """``handles`` as :attr:`ShardColumns.handles` keeps it (see there)."""
    if len(handles) == 1:
        h = handles.get("twitter")
        if type(h) is str:
            return h
    return handles


def _lines_at(people: list[Person], input: str) -> tuple[np.ndarray, dict[int, list[str]]]:
    """:attr:`ShardColumns.lines_at` and ``merged_from`` of ``people`` read from ``input``."""
    head = f" ({input}: line "
    at = np.full(len(people), -1, np.int64)
    other: dict[int, list[str]] = {}
    for i, p in enumerate(people):
        mf = p.merged_from
        if len(mf) == 1:
            m, pid = mf[0], p.id
            k = len(pid) + len(head)
            if m.startswith(pid) and m.startswith(head, len(pid)) and m.endswith(")"):
                n = m[k:-1]
                if n.isascii() and n.isdigit() and str(int(n)) == n:
                    at[i] = int(n)
                    continue
        other[i] = mf
    return at, other


def _table_columns(counts: Any, index: dict[str, int]) -> tuple[np.ndarray, ...] | None:
    """A :class:`CountTable`'s arrays (a twitter reader's tally) with its person codes
    turned into indexes of ``index`` — the rows, order and sums of its dict, without
    making the dict of tuples on the worker; ``None`` for a dict (or a table already
    made one) or a person id that is not in ``index``."""
    columns = getattr(counts, "columns", lambda: None)()
    if columns is None:
        return None
    names, s, t, k, w, c = columns
    local = np.fromiter((index.get(x, -1) for x in names), np.int64, len(names))
    if len(s) and (local[s].min() < 0 or local[t].min() < 0):
        return None
    return (
        local[s].astype(np.int32),
        local[t].astype(np.int32),
        np.asarray(k, np.int8),
        np.asarray(w, np.float64),
        np.asarray(c, np.int64),
    )


def _shift(m: str, prefix: str, by: int) -> str:
    """``m`` with ``by`` added to the line number after ``prefix`` (if it is there)."""
    at = m.find(prefix)
    if at < 0:
        return m
    at += len(prefix)
    end = at
    while end < len(m) and m[end].isdigit():
        end += 1
    return m[:at] + str(int(m[at:end]) + by) + m[end:]


def _person(
    cols: ShardColumns, i: int, records: list[int], profile_only: list[bool], at: list[int]
) -> Person:
    """Person ``i`` of ``cols`` as a record (``records``, ``profile_only``, ``at``: its
    columns as lists — a NumPy element read per person cost a third of the client's
    fold): :func:`_people`'s, the one rule."""
    return _people(cols, records, profile_only, at, (i,))[0]


def _people(
    cols: ShardColumns,
    records: list[int],
    profile_only: list[bool],
    at: list[int],
    rows: Sequence[int] | None = None,
) -> list[Person]:
    """Every person of ``cols`` as a record, or those of ``rows`` (indices), in one pass
    over the columns (a call and ten column look-ups per person were most of the fold
    of a table of 84.5k people, the finishing task's serial part, issue #19).  The one
    rule a record is made from columns by: the fold's (:func:`_fold_shard`, also through
    :func:`_person`) and the Dask workers' making report.json's people's rows from the
    table kept there (:func:`mapper.distributed._people_rows`)."""
    urls, evidence, places, merged_from = cols.urls, cols.evidence, cols.places, cols.merged_from
    head, shift = f" ({cols.input}: line ", cols.line_shift
    prefix = f"({cols.input}: line "
    columns: tuple[list[Any], ...] = (
        cols.ids,
        cols.names,
        cols.handles,
        cols.location,
        at,
        records,
        profile_only,
    )
    index: Iterable[int] = range(len(cols.ids))
    if rows is not None:
        index = rows
        columns = tuple(list(map(c.__getitem__, rows)) for c in columns)
    out: list[Person] = []
    append = out.append
    for i, pid, name, h, loc, n, rec, prof in zip(index, *columns, strict=True):
        if n >= 0:
            merged = [f"{pid}{head}{n + shift})"]
        else:
            merged = merged_from[i]
            if shift:
                merged = [_shift(m, prefix, shift) for m in merged]
        append(
            Person(
                pid,
                name,
                {"twitter": h} if type(h) is str else dict(h),
                urls.get(i) or [],
                loc,
                evidence.get(i) or [],
                places.get(i),
                False,
                merged,
                rec,
                prof,
            )
        )
    return out


def _continue(have: Person, cols: ShardColumns, i: int, counted: bool = False) -> None:
    """Fold person ``i`` of a later shard of the same input into ``have`` the way the
    reader treats a line about someone it already knows (see the module docstring);
    ``counted``: records, profile flag and location are already folded."""
    if not counted:
        have.records += int(cols.records[i]) - int(cols.via_handle[i])
        have.profile_only = have.profile_only and bool(cols.profile_only[i])
        if not have.location_text and cols.location[i]:
            have.location_text = cols.location[i]
    urls = cols.urls.get(i)
    if cols.fast_path == "v2" and not have.urls and urls:
        have.urls.append(urls[0])
    for e in cols.evidence.get(i, ()):
        have.add_evidence(e["kind"], e["value"], e.get("source"))  # type: ignore[arg-type]
    place = cols.places.get(i)
    if place is not None and (have.place is None or place.confidence > have.place.confidence):
        have.place = place


class Reducer:
    """Folds shards, given one at a time in input order, into one conversation:
    :meth:`add` each shard as it arrives (its people folded, its columns then
    dropped: only the interaction arrays, re-coded, are kept), :meth:`result` at the
    end.  The same as :func:`mapper.sources.read` over the inputs in one process."""

    def __init__(self) -> None:
        self.out: Conversation | None = None
        #: the input being folded: its conversation (as its reader would have read it
        #: whole), its name and the lines of its shards so far
        self._conv: Conversation | None = None
        self._input: str | None = None
        self._lines = 0
        self._pending: list[tuple[ShardColumns, list[str]]] = []
        #: every person id met, as a small integer (the re-factorised string table)
        self.code: dict[str, int] = {}
        self._arrays: list[tuple[np.ndarray, ...]] = []
        self._distinct: list[bool] = []

    def add(self, cols: ShardColumns) -> None:
        """Fold in the next shard."""
        if self._conv is None or cols.part == 0 or cols.input != self._input:
            self._close_input()
            self._conv, self._input, self._lines = Conversation(), cols.input, 0
        if cols.relative:  # cut on a worker: number its lines after the shards before
            cols.shift_lines(self._lines)
            self._lines += cols.lines
        self._pending.append((cols, _fold_shard(self._conv, cols)))

    def _close_input(self) -> None:
        """The input folded so far joins the result (``Conversation.extend``'s rules)."""
        conv, self._conv = self._conv, None
        if conv is None:
            return
        renamed: dict[str, str] = {}
        if self.out is None:
            self.out = conv
        else:  # its counts are still arrays (below), so extend folds no counts
            renamed = self.out.extend(conv)
        code = self.code
        for cols, final in self._pending:
            names = [renamed.get(x, x) for x in final] if renamed else final
            if not code:  # the first shard: its people coded in order (a dict, not a call each)
                code.update(zip(names, range(len(names)), strict=True))
                fresh = len(code) == len(names)
                if not fresh:  # two became one: coded in the order met, below
                    code.clear()
            else:
                fresh = False
            local = (
                np.arange(len(names), dtype=np.int64)
                if fresh
                else np.fromiter(
                    (code.setdefault(x, len(code)) for x in names), np.int64, len(names)
                )
            )
            self._arrays.append(
                (local[cols.src], local[cols.dst], cols.kind, cols.weight, cols.number)
            )
            # a shard's ties are summed already (its reader's dict, or combine): kept
            # as they are if no two of its people became one here (see result)
            self._distinct.append(fresh or np.unique(local).size == local.size)
        self._pending = []

    def result(self) -> Conversation:
        """The conversation of every shard added (records not yet merged)."""
        self._close_input()
        out = self.out if self.out is not None else Conversation()
        src, dst, kind, weight, number = ([a[j] for a in self._arrays] for j in range(5))
        self._arrays = []
        if len(src) == 1 and self._distinct[0] and len(src[0]) and (src[0] != dst[0]).all():
            # one table (one input, combined on the cluster), its people still distinct:
            # its ties are one per (source, target, kind), in the order first met,
            # already summed: what _summed would return, without its sort of every tie
            arrays = (src[0], dst[0], kind[0], weight[0], number[0])
            types = (np.int64, np.int64, np.int64, np.float64, np.int64)
            cast = (a.astype(t, copy=False) for a, t in zip(arrays, types, strict=True))
            out.counts = CountTable(list(self.code), *cast)  # type: ignore[assignment]
        elif sum(len(a) for a in src):
            table = CountTable(
                list(self.code), *_summed(len(self.code), src, dst, kind, weight, number)
            )
            out.counts = table  # type: ignore[assignment]
        else:
            out.counts = {}
        return out


class CountTable(MutableMapping[tuple[str, str, str], list[float]]):
    """:attr:`Conversation.counts <mapper.model.Conversation.counts>` as the reduced
    arrays: person codes into ``names``, kind codes (order of ``KINDS``), summed
    weights and numbers, one row per ``(source, target, kind)`` in the order each was
    first met.  :func:`mapper.graph.fold` reads the arrays (:meth:`columns`); any
    other use (iterating, looking up, counting more) makes the dict once, the same
    dict the single process counts, and the table is that dict from then on."""

    def __init__(
        self,
        names: list[str],
        src: np.ndarray,
        dst: np.ndarray,
        kind: np.ndarray,
        weight: np.ndarray,
        number: np.ndarray,
    ) -> None:
        self._columns: tuple[Any, ...] | None = (names, src, dst, kind, weight, number)
        self._dict: dict[tuple[str, str, str], list[float]] | None = None

    def columns(self) -> tuple[Any, ...] | None:
        """``(names, src, dst, kind, weight, number)``, or ``None`` once the dict is made."""
        return self._columns

    @property
    def _d(self) -> dict[tuple[str, str, str], list[float]]:
        if self._dict is None:
            assert self._columns is not None
            names, s, t, k, w, c = self._columns
            kind_names = [str(x) for x in KINDS]
            self._dict = {
                (names[a], names[b], kind_names[q]): [x, int(y)]
                for a, b, q, x, y in zip(
                    s.tolist(), t.tolist(), k.tolist(), w.tolist(), c.tolist(), strict=True
                )
            }
            self._columns = None
        return self._dict

    def renamed(self, new_id: dict[str, str]) -> CountTable | None:
        """The table with each person ``a`` of ``new_id`` counted as ``new_id[a]``
        (the identity merge's renaming): ties that become one are summed in the
        order met, ties that become a tie to oneself are dropped — the dict the
        merge makes from the dict, as arrays.  ``None`` once the dict is made."""
        if self._columns is None:
            return None
        names, s, t, k, w, c = self._columns
        code: dict[str, int] = {}
        remap = np.fromiter(
            (code.setdefault(new_id.get(x, x), len(code)) for x in names), np.int64, len(names)
        )
        return CountTable(list(code), *_summed(len(code), [remap[s]], [remap[t]], [k], [w], [c]))

    def __getitem__(self, key: tuple[str, str, str]) -> list[float]:
        return self._d[key]

    def __setitem__(self, key: tuple[str, str, str], value: list[float]) -> None:
        self._d[key] = value

    def __delitem__(self, key: tuple[str, str, str]) -> None:
        del self._d[key]

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._columns[1]) if self._columns is not None else len(self._d)

    def copy(self) -> dict[tuple[str, str, str], list[float]]:
        """A shallow copy as a plain dict, as ``dict.copy`` gives: code written when
        ``Conversation.counts`` was always a dict keeps working."""
        return self._d.copy()

    def __eq__(self, other: object) -> bool:
        return self._d == (other._d if isinstance(other, CountTable) else other)

    def __repr__(self) -> str:
        return f"CountTable({self._d!r})"


def _fold_shard(conv: Conversation, cols: ShardColumns) -> list[str]:
    """Fold a shard into ``conv``, its input as the reader would have read it whole;
    the ids (in ``conv``) of the shard's people, by local index."""
    final: list[str] = [""] * len(cols.ids)
    renamed: dict[str, str] = {}
    people = conv.people
    # plain lists: indexing a NumPy array per person costs more than the fold itself
    records, via = cols.records.tolist(), cols.via_handle.tolist()
    profile_only, location = cols.profile_only.tolist(), cols.location
    at = cols.lines_at.tolist()
    fast, v2 = bool(cols.fast_path), cols.fast_path == "v2"
    urls, evidence = cols.urls, cols.evidence
    # the input's first shard (often its one table, combined on the cluster) into an
    # empty conversation: everyone is new (a shard's ids are distinct), made in one pass
    bulk = not people
    if bulk:
        people.update(zip(cols.ids, _people(cols, records, profile_only, at), strict=True))
        if len(people) == len(cols.ids):
            final = list(cols.ids)
        else:  # (never: the reader's ids are keys) the fold below decides
            people.clear()
            bulk = False
    for i, pid in enumerate(() if bulk else cols.ids):
        have = people.get(pid)
        if have is not None and fast and pid.startswith("twitter:"):
            # the common case inlined: see _continue
            have.records += records[i] - via[i]
            if have.profile_only and not profile_only[i]:
                have.profile_only = False
            if not have.location_text and location[i]:
                have.location_text = location[i]
            if (v2 and not have.urls and i in urls) or i in evidence or i in cols.places:
                _continue(have, cols, i, counted=True)
            final[i] = pid
            continue
        if have is None:  # conv.add_person's first case, inlined
            people[pid] = _person(cols, i, records, profile_only, at)
            final[i] = pid
            continue
        got = conv.add_person(_person(cols, i, records, profile_only, at))
        final[i] = got.id
        if got.id != pid:
            renamed[pid] = got.id
    for i in cols.spam:
        conv.people[final[i]].spam = True
    for it in cols.interactions:
        it.source = renamed.get(it.source, it.source)
        it.target = renamed.get(it.target, it.target)
    for post in cols.posts:
        if post.author_id in renamed:
            post.author_id = renamed[post.author_id]
    _take_records(conv, cols)
    return final


def _take_records(into: Conversation | ShardColumns, cols: ShardColumns) -> None:
    """Add a folded part's records that are not people (interactions, posts, inputs,
    problems, what was set aside) to ``into``, and drop the part's people columns (they
    are folded; its arrays stay)."""
    into.interactions.extend(cols.interactions)
    into.posts.extend(cols.posts)
    into.inputs.extend(x for x in cols.inputs if x not in into.inputs)
    into.problems.extend(cols.problems)
    for k, n in cols.set_aside.items():
        into.set_aside[k] = into.set_aside.get(k, 0) + n
    cols.ids, cols.names, cols.handles, cols.urls, cols.location = [], [], [], {}, []
    cols.merged_from, cols.evidence, cols.places = {}, {}, {}
    cols.lines_at = np.zeros(0, np.int64)


def combine(*parts: ShardColumns) -> ShardColumns:
    """Consecutive shards of one input (cut into line ranges, in order) as one shard:
    what the reader would have sent for their ranges read as one (runs on a worker,
    a step of the tree reduction of :class:`~mapper.distributed.DaskEngine`).  Folding
    the result is the same as folding the parts one after the other: a person keeps
    the record, ``merged_from`` and first-met-by-``@handle`` flag of the part that
    met them first, and the interactions are summed per ``(source, target, kind)`` in
    the order each was first met."""
    if len(parts) == 1:
        return parts[0]
    return _combine(parts)


def combine_under(young: int | None, *parts: ShardColumns) -> ShardColumns:
    """:func:`combine` under the client's young-generation GC threshold (:func:`client_gc`)."""
    with client_gc(young):
        return combine(*parts)


def _combine(parts: tuple[ShardColumns, ...]) -> ShardColumns:
    import time

    t0, c0 = time.perf_counter(), time.thread_time()
    first = parts[0]
    tasks = [t for c in parts for t in (c.tasks or [(c.seconds, c.cpu)])]
    merges = [m for c in parts for m in c.merges]
    lines = 0
    for cols in parts:
        if cols.input != first.input or not cols.relative:
            raise ValueError("combine: consecutive line ranges of one input only")
        cols.shift_lines(lines)
        lines += cols.lines
    fast = next((c.fast_path for c in parts if c.fast_path), "")  # an empty part has none
    if all(
        not c.ids or (c.fast_path and all(x.startswith("twitter:") for x in c.ids)) for c in parts
    ):
        out, locals_ = _combine_columns(parts, fast)
    else:
        out, locals_ = _combine_records(parts, fast)
    n = len(out.ids)
    src, dst, kind, weight, number = [], [], [], [], []
    for cols, local in zip(parts, locals_, strict=True):
        src.append(local[cols.src])
        dst.append(local[cols.dst])
        kind.append(cols.kind)
        weight.append(cols.weight)
        number.append(cols.number)
    s, t, k, w, c = _summed(n, src, dst, kind, weight, number)
    out.src, out.dst = s.astype(np.int32), t.astype(np.int32)
    out.kind, out.weight, out.number = k.astype(np.int8), w, c.astype(np.int64)
    out.relative, out.lines = True, lines
    out.tasks = tasks
    out.merges = [*merges, (time.perf_counter() - t0, time.thread_time() - c0)]
    out.seconds = sum(t for t, _ in tasks)
    out.cpu = sum(c for _, c in tasks)
    return out


def _combine_records(
    parts: tuple[ShardColumns, ...], fast: str
) -> tuple[ShardColumns, list[np.ndarray]]:
    """:func:`combine`'s people: each part folded into a conversation of records
    (:func:`_fold_shard`), then made columns again; and each part's people as
    indexes into the result's."""
    first = parts[0]
    conv = Conversation()
    via: dict[str, bool] = {}
    finals: list[list[str]] = []
    for cols in parts:
        flags = cols.via_handle.tolist()
        final = _fold_shard(conv, cols)
        for i, pid in enumerate(final):
            if pid not in via:
                via[pid] = flags[i]
        finals.append(final)
    out = from_conversation(conv, first.input, first.part, fast, {p for p, v in via.items() if v})
    index = {pid: i for i, pid in enumerate(conv.people)}
    return out, [np.fromiter((index[x] for x in f), np.int64, len(f)) for f in finals]


def _combine_columns(
    parts: tuple[ShardColumns, ...], fast: str
) -> tuple[ShardColumns, list[np.ndarray]]:
    """:func:`_combine_records` for parts read on the fast path whose every person is
    a Twitter account (``twitter:`` ids, which never rename one another): the same
    columns, folded as columns — no record made per person and part (that was most
    of a combine task).  The rules are :func:`_fold_shard`'s fast path: a person
    keeps the columns of the part that met them first; later parts add their
    records (less the one counted for a first meeting by ``@handle``), clear
    ``profile_only``, give a location or (v2) a first URL if there was none, add
    evidence and a more confident place."""
    first = parts[0]
    out = ShardColumns(input=first.input, part=first.part, fast_path=fast)
    index: dict[str, int] = {}
    records: list[int] = []
    profile_only: list[bool] = []
    via: list[bool] = []
    lines_at: list[int] = []
    spam: set[int] = set()
    locals_: list[np.ndarray] = []
    for cols in parts:
        rec, flags = cols.records.tolist(), cols.via_handle.tolist()
        prof, location = cols.profile_only.tolist(), cols.location
        at, shift = cols.lines_at.tolist(), cols.line_shift
        urls, evidence = cols.urls, cols.evidence
        v2 = cols.fast_path == "v2"
        local = np.empty(len(cols.ids), np.int64)
        prefix = f"({cols.input}: line "
        for i, pid in enumerate(cols.ids):
            j = index.get(pid)
            if j is None:  # first met here: this part's columns
                j = index[pid] = len(out.ids)
                out.ids.append(pid)
                out.names.append(cols.names[i])
                out.handles.append(cols.handles[i])
                if i in urls:
                    out.urls[j] = urls[i]
                out.location.append(location[i])
                if at[i] >= 0:
                    lines_at.append(at[i] + shift)
                else:
                    lines_at.append(-1)
                    merged = cols.merged_from[i]
                    if shift:
                        merged = [_shift(m, prefix, shift) for m in merged]
                    out.merged_from[j] = merged
                if i in evidence:
                    out.evidence[j] = evidence[i]
                place = cols.places.get(i)
                if place is not None:
                    out.places[j] = place
                records.append(rec[i])
                profile_only.append(prof[i])
                via.append(flags[i])
                local[i] = j
                continue
            local[i] = j
            records[j] += rec[i] - flags[i]
            if profile_only[j] and not prof[i]:
                profile_only[j] = False
            if not out.location[j] and location[i]:
                out.location[j] = location[i]
            if v2 and not out.urls.get(j) and i in urls:
                out.urls[j] = [urls[i][0]]
            if i in evidence:
                have = Person(id=pid, name="", evidence=out.evidence.setdefault(j, []))
                for e in evidence[i]:
                    have.add_evidence(e["kind"], e["value"], e.get("source"))  # type: ignore[arg-type]
            place = cols.places.get(i)
            if place is not None:
                had = out.places.get(j)
                if had is None or place.confidence > had.confidence:
                    out.places[j] = place
        spam.update(int(local[i]) for i in cols.spam)
        _take_records(out, cols)
        locals_.append(local)
    n = len(out.ids)
    out.records = np.array(records, np.int64).reshape(n)
    out.profile_only = np.array(profile_only, bool).reshape(n)
    out.via_handle = np.array(via, bool).reshape(n)
    out.lines_at = np.array(lines_at, np.int64).reshape(n)
    out.places = dict(sorted(out.places.items()))
    out.spam = sorted(spam)
    return out, locals_


def reduce(parts: Iterable[ShardColumns]) -> Conversation:
    """One conversation (records not yet merged) from every shard, in input order:
    the same as :func:`mapper.sources.read` over the inputs in one process."""
    r = Reducer()
    for cols in parts:
        r.add(cols)
    return r.result()


def _summed(
    n: int,
    srcs: list[np.ndarray],
    dsts: list[np.ndarray],
    kinds: list[np.ndarray],
    weights: list[np.ndarray],
    numbers: list[np.ndarray],
) -> tuple[np.ndarray, ...]:
    """``(source, target, kind, weight, number)`` arrays (person codes below ``n``)
    summed per ``(source, target, kind)``, in the order each was first met; ties to
    oneself dropped (a renamed record can make one: not counted)."""
    if not sum(len(a) for a in srcs):
        z = np.zeros(0, np.int64)
        return z, z, z, np.zeros(0, np.float64), z
    s = np.concatenate(srcs).astype(np.int64)
    t = np.concatenate(dsts).astype(np.int64)
    k = np.concatenate(kinds).astype(np.int64)
    keep = s != t
    s, t, k = s[keep], t[keep], k[keep]
    key = (s * n + t) * len(KINDS) + k
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    w = np.bincount(inverse, weights=np.concatenate(weights)[keep], minlength=len(uniq))
    c = np.bincount(inverse, weights=np.concatenate(numbers)[keep], minlength=len(uniq))
    order = np.argsort(first, kind="stable")
    at = first[order]
    return s[at], t[at], k[at], w[order], c[order].astype(np.int64)
