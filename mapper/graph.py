"""The interaction graph (networkx) and influence.

Edges point from the person who acts to the person who receives attention
(commenter → post author, retweeter → original author, replier → the one
replied to, mentioner → mentioned).  Parallel interactions are folded into one
edge whose ``weight`` is their summed weight, with a count per kind
(``n_comment``, ``n_retweet``, ...).  Influence is weighted PageRank, plus the
number of distinct people each person received attention from (``in_degree``)
and gave it to (``out_degree``).

The pipeline works on :class:`Edges`, the folded edges as numpy arrays (a 1M-edge
graph in tens of MB); users get a networkx graph from :func:`build_graph`.  The
functions here and in :mod:`mapper.geography` accept either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import settings
from .errors import UsageError
from .model import KINDS, Conversation

if TYPE_CHECKING:  # networkx loads when a graph is asked for (~0.1 s: issue #17)
    import networkx as nx


@dataclass
class Edges:
    """Interactions folded per ordered pair of people, as arrays.

    ``nodes[i]`` is a person id; edge ``e`` goes from ``nodes[src[e]]`` to
    ``nodes[dst[e]]`` with summed ``weight[e]`` and ``counts[e, k]`` interactions
    of kind ``KINDS[k]``.
    """

    nodes: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.src)


def _edges(nodes: list[str], src: list, dst: list, weight: list, counts: list) -> Edges:
    return Edges(
        nodes,
        np.asarray(src, dtype=np.int64),
        np.asarray(dst, dtype=np.int64),
        np.asarray(weight, dtype=float),
        np.asarray(counts, dtype=np.int64).reshape(len(src), len(KINDS)),
    )


def fold(conv: Conversation, keep_spam: bool = False) -> Edges:
    """The conversation's interactions folded into :class:`Edges` (spam left out
    unless ``keep_spam``): edges in the order their pair was first met, weights summed
    in the order of :meth:`Conversation.edges`."""
    nodes = [p.id for p in conv.people.values() if keep_spam or not p.spam]
    index = {pid: i for i, pid in enumerate(nodes)}
    kind_of = {str(k): i for i, k in enumerate(KINDS)}
    # as columns, listed interactions first (Conversation.edges' order); a pass per
    # column over the counts dict, then NumPy: ~0.1 kB a tie instead of ~0.4 kB of
    # Python lists, and several times faster than a loop per tie
    get = index.get
    listed = conv.interactions
    # the Dask engine's counts are already arrays (mapper.columns.CountTable)
    columns = getattr(conv.counts, "columns", lambda: None)()
    if columns is not None:
        names, c_src, c_dst, c_kind, c_weight, c_number = columns
        code = np.fromiter((get(x, -1) for x in names), np.int64, len(names))
        n = len(listed)
    else:
        n = conv.edges_count()
    keys = conv.counts.keys() if columns is None else ()
    values = conv.counts.values() if columns is None else ()
    src = np.fromiter(
        chain((get(it.source, -1) for it in listed), (get(k[0], -1) for k in keys)), np.int64, n
    )
    dst = np.fromiter(
        chain((get(it.target, -1) for it in listed), (get(k[1], -1) for k in keys)), np.int64, n
    )
    kind = np.fromiter(
        chain((kind_of[it.kind] for it in listed), (kind_of[k[2]] for k in keys)), np.int64, n
    )
    weight = np.fromiter(
        chain((float(it.weight) for it in listed), (float(v[0]) for v in values)), float, n
    )
    number = np.fromiter(chain((1 for _ in listed), (int(v[1]) for v in values)), np.int64, n)
    if columns is not None:
        src = np.concatenate([src, code[c_src]])
        dst = np.concatenate([dst, code[c_dst]])
        kind = np.concatenate([kind, np.asarray(c_kind, np.int64)])
        weight = np.concatenate([weight, np.asarray(c_weight, float)])
        number = np.concatenate([number, np.asarray(c_number, np.int64)])
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    src, dst, kind, weight, number = src[keep], dst[keep], kind[keep], weight[keep], number[keep]
    if not len(src):
        return _edges(nodes, [], [], [], [])
    pair = src * len(nodes) + dst
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    # edge number = rank of its first meeting; ``first`` holds distinct positions, so
    # their ranks come from a running count over a mask of them, not a sort
    met = np.zeros(len(pair), bool)
    met[first] = True
    rank = (np.cumsum(met) - 1)[first]
    order = np.empty_like(rank)
    order[rank] = np.arange(len(rank))
    edge = rank[inverse.reshape(-1)]
    # bincount adds each edge's weights in input order, as the loop did: same floats
    summed = np.bincount(edge, weights=weight, minlength=len(order))
    # the counts per edge and kind by bincount too, a kind at a time (np.add.at took
    # 0.1 s at 1M tweets; one bincount over every edge and kind held a float copy of
    # the whole table, 34 MB there); float sums of integer counts are exact below 2**53
    counts = np.zeros((len(order), len(KINDS)), np.int64)
    for q in np.unique(kind).tolist():
        of = kind == q
        counts[:, q] = np.bincount(edge[of], weights=number[of], minlength=len(order))
    at = first[order]
    return Edges(nodes, src[at], dst[at], summed, counts)


def as_edges(g: Any) -> Edges:
    """:class:`Edges` from a networkx graph (or the Edges themselves)."""
    if isinstance(g, Edges):
        return g
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    src, dst, weight, counts = [], [], [], []
    for s, t, d in g.edges(data=True):
        src.append(index[s])
        dst.append(index[t])
        weight.append(float(d.get("weight", 1.0)))
        row = [int(d.get(f"n_{k}", 0)) for k in KINDS]
        counts.append(row if any(row) else [1] + [0] * (len(KINDS) - 1))
    return _edges(nodes, src, dst, weight, counts)


def build_graph(conv: Conversation | Edges, keep_spam: bool = False) -> nx.DiGraph:
    """A directed networkx graph with one node per participant (spam left out unless
    ``keep_spam``) and one weighted edge per ordered pair that interacted, with a
    count per kind that occurs (``n_comment``, ...).

    >>> from mapper.model import Conversation, Person, Interaction
    >>> c = Conversation(people={"a": Person("a", "A"), "b": Person("b", "B")},
    ...                  interactions=[Interaction("a", "b", "comment"), Interaction("a", "b", "mention")])
    >>> g = build_graph(c)
    >>> g["a"]["b"]["weight"], g["a"]["b"]["n_comment"], g["a"]["b"]["n_mention"]
    (2.0, 1, 1)
    """
    edges = conv if isinstance(conv, Edges) else fold(conv, keep_spam)
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    if not isinstance(conv, Edges):
        g.add_nodes_from((pid, {"name": conv.people[pid].name}) for pid in edges.nodes)
    else:
        g.add_nodes_from(edges.nodes)
    for e in range(len(edges)):
        attrs = {"weight": float(edges.weight[e])}
        for k, kind in enumerate(KINDS):
            if edges.counts[e, k]:
                attrs[f"n_{kind}"] = int(edges.counts[e, k])
        g.add_edge(edges.nodes[edges.src[e]], edges.nodes[edges.dst[e]], **attrs)
    return g


def influence(g: nx.DiGraph | Edges) -> dict[str, dict[str, float]]:
    """Per node: ``pagerank`` (weighted, sums to 1), ``in_degree`` and ``out_degree``
    (distinct people).  An empty graph gives an empty dict.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> r = influence(g)
    >>> max(r, key=lambda n: r[n]["pagerank"]), r["c"]["in_degree"]
    ('c', 2)
    """
    edges = as_edges(g)
    n = len(edges.nodes)
    if n == 0:
        return {}
    pr = pagerank(n, edges.src, edges.dst, edges.weight)
    # edges are distinct ordered pairs: degree = number of distinct people
    ind = np.bincount(edges.dst, minlength=n)
    outd = np.bincount(edges.src, minlength=n)
    return {
        pid: {"pagerank": p, "in_degree": i, "out_degree": o}
        for pid, p, i, o in zip(edges.nodes, pr.tolist(), ind.tolist(), outd.tolist(), strict=True)
    }


def pagerank(
    n: int,
    sources,
    targets,
    weights,
    alpha: float | None = None,
    tol: float | None = None,
    max_iter: int = 1000,
):
    """Weighted PageRank by power iteration on a scipy CSR matrix.

    The same definition as :func:`networkx.pagerank` (uniform teleport, dangling
    nodes spread uniformly) and the same stopping rule (L1 change below ``n × tol``),
    without building networkx's own matrix: on a 1M-edge graph this is the
    difference between seconds and tenths.  Returns a numpy array summing to 1.

    >>> r = pagerank(3, [0, 1], [2, 2], [1.0, 1.0])
    >>> [round(float(x), 4) for x in r]
    [0.2128, 0.2128, 0.5745]
    """
    import numpy as np
    import scipy.sparse as sp

    alpha = settings.pagerank_alpha if alpha is None else alpha
    tol = settings.pagerank_tol if tol is None else tol
    m = sp.csr_array(
        (
            np.asarray(weights, dtype=float),
            (np.asarray(sources, dtype=np.int64), np.asarray(targets, dtype=np.int64)),
        ),
        shape=(n, n),
    )
    out = np.asarray(m.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=~dangling)
    p = sp.diags_array(inv) @ m  # row-stochastic (rows of dangling nodes stay empty)
    pt = p.T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = alpha * (pt @ x + x[dangling].sum() / n) + (1 - alpha) / n
        err = np.abs(new - x).sum()
        x = new
        if err < n * tol:
            break
    return x / x.sum()


def annotate(g: nx.DiGraph, conv: Conversation, scores: dict[str, dict[str, float]]) -> nx.DiGraph:
    """Copy person attributes onto nodes in GraphML/GEXF-safe types (no None,
    no dicts): name, handles, urls, location, lat/lon and tier once known."""
    from .graphfile import node_attrs

    for n in g:
        p = conv.people.get(n)
        if p is None:
            continue
        g.nodes[n].update(node_attrs(p, scores.get(n)))
    return g


_xml_invalid = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` whose node ids and string attributes hold no character XML 1.0
    forbids (NUL, most control characters), so GraphML/GEXF files stay well-formed."""

    def clean(v):
        return _xml_invalid.sub("", v) if isinstance(v, str) else v

    mapping, used = {}, set()
    for n in g:
        new = clean(n)
        while new in used:
            new += "_"
        used.add(new)
        mapping[n] = new
    import networkx as nx

    h = nx.relabel_nodes(g, mapping, copy=True)
    for _, data in h.nodes(data=True):
        for k, v in data.items():
            data[k] = clean(v)
    for _, _, data in h.edges(data=True):
        for k, v in data.items():
            data[k] = clean(v)
    h.graph = {k: clean(v) for k, v in g.graph.items()}
    return h


def write_graph(g: nx.DiGraph, path: str | Path) -> None:
    """Write GraphML (``.graphml``) or GEXF (``.gexf``), chosen by the extension."""
    from io import BytesIO

    import networkx as nx

    from .files import write_atomic

    suffix = Path(path).suffix.lower()
    g = xml_safe(g)
    buf = BytesIO()
    if suffix == ".graphml":
        nx.write_graphml(g, buf)
    elif suffix == ".gexf":
        nx.write_gexf(g, buf)
    else:
        raise UsageError(f"{path}: unknown graph format {suffix!r} (use .graphml or .gexf)")
    write_atomic(path, buf.getvalue())
