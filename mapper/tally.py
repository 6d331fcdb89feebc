"""Interactions counted as integer columns while a reader streams (issue #17, build
item 1).

A reader of a big archive meets each interaction once per tweet and most ties only
once or twice.  :meth:`Conversation.count <mapper.model.Conversation.count>` keeps
them in a dict keyed by ``(source id, target id, kind)`` with a ``[weight, number]``
list per tie: two Python objects and a dict entry per tie (~0.2 kB), all tracked by
the garbage collector.  A :class:`Tally` interns each person id to an integer code
once and appends each interaction as three integers to :mod:`array` columns; at the
end of the file :meth:`Tally.table` sums them per ``(source, target, kind)`` with
NumPy into a :class:`~mapper.columns.CountTable` — the table the Dask engine already
gives: :func:`mapper.graph.fold` and the identity merge read its arrays, and any
other use (iterating, looking up, counting more) makes, once, the very dict that
``Conversation.count`` would have made (same keys in the same order — the order each
tie was first met — and the same sums).

The twitter readers count through a tally (``Conversation.count``'s rules: a tie to
oneself is not counted, an unknown kind is a ``ValueError``); other readers, which
meet far fewer interactions, still count into the dict.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from .model import KINDS

if TYPE_CHECKING:
    from .columns import CountTable

#: the code of each kind: its column in folded edge counts (order of ``KINDS``)
KIND_CODE: dict[str, int] = {str(k): i for i, k in enumerate(KINDS)}
# interactions kept as columns before they are summed into ties (Tally.settle): ~70 MB
SETTLE_AT = 1 << 22


class Tally:
    """Counted interactions of one input as integer columns (see the module).

    ``ids[c]`` is the person id of code ``c``; :meth:`code` interns an id.  The hot
    path of a reader that already holds both codes appends to ``src``, ``dst`` and
    ``kind`` itself (:meth:`add`)."""

    __slots__ = ("_codes", "_settled", "_settled_n", "dst", "ids", "kind", "src")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._codes: dict[str, int] = {}
        self.src = array("q")
        self.dst = array("q")
        self.kind = array("b")
        # the interactions already summed by settle(): (source, target, kind, weight,
        # number) arrays, one row per tie, and how many interactions they hold
        self._settled: tuple | None = None
        self._settled_n = 0

    def code(self, pid: str) -> int:
        """The integer code of person id ``pid`` (a new one on first sight)."""
        c = self._codes.get(pid)
        if c is None:
            c = self._codes[pid] = len(self.ids)
            self.ids.append(pid)
        return c

    def count(self, source: str, target: str, kind: str) -> None:
        """One interaction of ``source`` towards ``target`` (person ids), as
        :meth:`Conversation.count <mapper.model.Conversation.count>` counts it."""
        if source == target:
            return
        k = KIND_CODE.get(kind)
        if k is None:
            raise ValueError(f"unknown interaction kind {kind!r}")
        self.src.append(self.code(source))
        self.dst.append(self.code(target))
        self.kind.append(k)

    def add(self, source: int, target: int, kind: int) -> None:
        """One interaction between two codes (already different), kind by its code."""
        self.src.append(source)
        self.dst.append(target)
        self.kind.append(kind)

    def __len__(self) -> int:
        """How many interactions were counted (not how many ties)."""
        return self._settled_n + len(self.src)

    def settle(self, at: int = SETTLE_AT) -> None:
        """Sum the interactions appended so far into the ties summed before, once
        there are ``at`` of them, and empty the columns (in place: readers hold
        their ``append``): memory grows with ties, not interactions (17 bytes an
        interaction otherwise). :meth:`table` gives the same table either way."""
        if len(self.src) < at:
            return
        self._settled = self._summed()
        self._settled_n += len(self.src)
        del self.src[:], self.dst[:], self.kind[:]

    def _summed(self) -> tuple:
        """The ties settled so far and the columns, summed: ``(source, target, kind,
        weight, number)`` arrays in the order each tie was first met."""
        import numpy as np

        from .columns import _summed

        src = np.frombuffer(self.src, np.int64) if self.src else np.zeros(0, np.int64)
        dst = np.frombuffer(self.dst, np.int64) if self.dst else np.zeros(0, np.int64)
        kind = np.frombuffer(self.kind, np.int8) if self.kind else np.zeros(0, np.int8)
        ones = np.ones(len(src), np.float64)
        parts = [(src, dst, kind, ones, ones)]
        if self._settled is not None:
            # the ties summed before come first: their first meeting was earlier
            s0, t0, k0, w0, n0 = self._settled
            parts.insert(0, (s0, t0, k0, w0, n0.astype(np.float64)))
        return _summed(len(self.ids), *(list(column) for column in zip(*parts, strict=True)))

    def table(self) -> CountTable:
        """The interactions summed per ``(source, target, kind)``, in the order each
        was first met, weight 1 and number 1 each."""
        from .columns import CountTable

        return CountTable(self.ids, *self._summed())
