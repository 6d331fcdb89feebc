"""Aliases files force or forbid merges; GraphML/GEXF exports carry node attributes."""

import networkx as nx

from mapper import analyze
from mapper.cli import main
from tests.conftest import DATA, EXAMPLE


def test_aliases_force_and_forbid(seed, tmp_path):
    aliases = tmp_path / "aliases.txt"
    aliases.write_text(
        "# forbid the name/handle merge, force another\n"
        "pingback:stuartcfoster != url:thelostjacket.com\n"
        "@Marketing_Alert = pingback:innovationtrend\n"
    )
    res = analyze([seed], aliases=aliases)
    people = res.conversation.people
    assert "pingback:stuartcfoster" in people and "url:thelostjacket.com" in people
    merged = [
        p
        for p in people.values()
        if {"Marketing_Alert", "InnovationTrend"} & set(p.handles.values())
    ]
    assert len(merged) == 1
    values = {e["value"] for e in merged[0].evidence}
    assert {"pingback:Marketing_Alert", "pingback:InnovationTrend"} & values  # alias kept
    assert any(v.endswith("aliases file") for v in values)


def test_graph_exports_with_coordinates(tmp_path):
    for suffix in (".graphml", ".gexf"):
        out = tmp_path / f"g{suffix}"
        assert (
            main(
                [
                    "-q",
                    "graph",
                    str(EXAMPLE / "thread.txt"),
                    "--locations",
                    str(EXAMPLE / "locations.csv"),
                    "-o",
                    str(out),
                ]
            )
            == 0
        )
        g = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
        node = g.nodes["twitter:maggieortiz"]
        assert node["name"] == "Maggie Ortiz" and abs(node["lat"] - 44.55) < 0.1
        assert node["tier"] == "small_town" and node["pagerank"] > 0
        e = g.edges["twitter:hollis_b", "twitter:ruralweb"]
        assert e["n_via"] == 1 and e["weight"] == 1


def test_graph_without_locations_has_no_lat(tmp_path):
    out = tmp_path / "g.graphml"
    assert main(["-q", "graph", str(DATA / "small.html"), "-o", str(out)]) == 0
    g = nx.read_graphml(out)
    assert "lat" not in g.nodes["url:bob.example"]


def test_pagerank_matches_networkx():
    import random

    from mapper.graph import influence

    rng = random.Random(1)
    for seed in range(5):
        g = nx.gnp_random_graph(80, 0.05, seed=seed, directed=True)
        for u, v in g.edges:
            g[u][v]["weight"] = rng.randint(1, 5)
        expected = nx.pagerank(g, weight="weight", tol=1e-12, max_iter=1000)
        ours = influence(g)
        assert max(abs(expected[n] - ours[n]["pagerank"]) for n in g) < 1e-8


def test_fold_sums_per_pair_and_kind_in_the_order_met():
    """graph.fold's counts by bincount and its edge order by a mask (issue #19): the
    same as adding each interaction in turn, edges numbered as their pair is first met."""
    import random

    from mapper.graph import fold
    from mapper.model import KINDS, Conversation, Interaction, Person

    rng = random.Random(3)
    ids = [f"p{i}" for i in range(12)]
    conv = Conversation(people={p: Person(p, p) for p in ids})
    kinds = [str(k) for k in KINDS]
    for _ in range(40):
        conv.interactions.append(Interaction(rng.choice(ids), rng.choice(ids), rng.choice(kinds)))
    for _ in range(300):
        conv.count(rng.choice(ids), rng.choice(ids), rng.choice(kinds), 1.0, rng.randint(1, 3))
    want: dict[tuple[str, str], list] = {}
    for s, t, k, w, n in [
        *((it.source, it.target, it.kind, float(it.weight), 1) for it in conv.interactions),
        *((s, t, k, float(v[0]), int(v[1])) for (s, t, k), v in conv.counts.items()),
    ]:
        if s == t:
            continue
        row = want.setdefault((s, t), [0.0, [0] * len(KINDS)])
        row[0] += w
        row[1][kinds.index(k)] += n
    e = fold(conv)
    got = {
        (e.nodes[s], e.nodes[t]): [w, c]
        for s, t, w, c in zip(
            e.src.tolist(), e.dst.tolist(), e.weight.tolist(), e.counts.tolist(), strict=True
        )
    }
    assert list(got) == list(want) and got == want
