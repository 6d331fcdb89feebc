"""``mapper graph -o FILE`` streams GraphML/GEXF from the edge arrays (issue #17): the
same file networkx writes from :attr:`Result.graph`, on the example, every platform
fixture and hostile text (control characters, colliding ids, markup)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from mapper import analyze
from mapper.cli import main
from mapper.graph import write_graph
from mapper.graphfile import write_graph_file
from tests import hostile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"
# every platform fixture that holds a conversation (a lists response is refused);
# bluesky/follows.json gives an empty graph (no nodes, no edges)
PLATFORMS = [
    p for p in sorted((ROOT / "tests" / "data" / "platforms").glob("*/*")) if p.name != "lists.json"
]


def _same(res, tmp_path: Path) -> None:
    for suffix in (".graphml", ".gexf"):
        ours, theirs = tmp_path / f"ours{suffix}", tmp_path / f"nx{suffix}"
        write_graph_file(res.edges, res.conversation, res.scores, ours)
        write_graph(res.graph, theirs)
        read = nx.read_graphml if suffix == ".graphml" else nx.read_gexf
        a, b = read(ours), read(theirs)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))
        # byte for byte, in fact (networkx's element order, keys and number formats)
        assert ours.read_bytes() == theirs.read_bytes()


def test_example_with_places(tmp_path):
    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv", locate=True)
    _same(res, tmp_path)


@pytest.mark.parametrize("path", PLATFORMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_platform_fixtures(path, tmp_path):
    _same(analyze([path]), tmp_path)


@pytest.mark.parametrize("fmt", ["csv", "twitter_v1", "twitter_v2", "mastodon", "wxr"])
def test_hostile_text(fmt, tmp_path):
    corpus = hostile.write_all(tmp_path / "in")
    _same(analyze(corpus[fmt], locate=True), tmp_path)


def test_cli_writes_it(tmp_path):
    out = tmp_path / "g.gexf"
    assert main(["-q", "graph", str(EXAMPLE / "thread.txt"), "-o", str(out)]) == 0
    assert nx.read_gexf(out).number_of_edges() > 0
