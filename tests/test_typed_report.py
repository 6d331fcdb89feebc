"""Typed stage outputs: report.json made at the edge from the typed report is the same,
key for key and byte for byte, as the dict the stages used to pass along.

The "before" is built here from the documented keys, the way the report stage built
its dict before the stages were typed (geography and report as plain dicts), over the
same run's conversation, influence and folded edges: so the comparison holds whatever
the reading or locating rules become.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import msgspec
import pytest

from mapper import _pipeline, settings
from mapper import report as report_mod
from mapper.geography import BASE_NAME, KNOWN_SIZE, TIER_KEYS, place_of, tie_distances, tier_of
from mapper.products import Geography, Report
from mapper.report import (
    edge_list,
    people_csv,
    summary,
    summary_of,
    to_dict,
    without_exact,
    write_json,
    write_report,
)
from tests.conftest import DATA, EXAMPLE, ROOT


def _geography_before(conv, edges, scores, include_inferred=False) -> dict[str, Any]:
    """DESIGN.md's geography block as a dict, as geography.geography built it."""
    nodes = list(edges.nodes)
    total_pr = sum(scores.get(v, {}).get("pagerank", 0.0) for v in nodes) or 1.0
    count = dict.fromkeys(TIER_KEYS, 0)
    pr = dict.fromkeys(TIER_KEYS, 0.0)
    for v in nodes:
        t = tier_of(conv, v, include_inferred)
        count[t] += 1
        pr[t] += scores.get(v, {}).get("pagerank", 0.0)
    n_base = sum(count[t] for t in KNOWN_SIZE)
    pr_base = sum(pr[t] for t in KNOWN_SIZE)
    by_tier: dict[str, dict[str, Any]] = {}
    for t in TIER_KEYS:
        if t in KNOWN_SIZE:
            by_tier[t] = {
                "participants": count[t],
                "participant_share": round(count[t] / n_base, 6) if n_base else None,
                "influence_share": round(pr[t] / pr_base, 6) if pr_base else None,
            }
        else:
            by_tier[t] = {
                "participants": count[t],
                "participant_share": None,
                "influence_share": None,
                "influence_share_of_all": round(pr[t] / total_pr, 6),
            }
    distances = tie_distances(conv, edges, include_inferred)

    def share_over(km: float) -> float | None:
        return round(sum(1 for x in distances if x > km) / len(distances), 6) if distances else None

    places: dict[tuple, dict[str, Any]] = {}
    for v in nodes:
        pl = place_of(conv, v, include_inferred)
        if pl is None:
            continue
        key = (pl.name, pl.admin1, pl.country_code, round(pl.lat, 4), round(pl.lon, 4))
        rec = places.setdefault(
            key,
            {
                "name": pl.name,
                "admin1": pl.admin1,
                "country_code": pl.country_code,
                "lat": pl.lat,
                "lon": pl.lon,
                "tier": pl.tier,
                "population": pl.population,
                "metro": pl.metro,
                "metro_population": pl.metro_population,
                "participants": 0,
                "influence": 0.0,
                "people": [],
            },
        )
        rec["participants"] += 1
        rec["influence"] += scores[v]["pagerank"]
        rec["people"].append(v)
    place_list = sorted(places.values(), key=lambda r: -r["influence"])
    for r in place_list:
        r["influence"] = round(r["influence"], 6)
    outside = n_base - count["metropolis"]
    return {
        "base": {
            "name": BASE_NAME,
            "participants": n_base,
            "of_participants": len(nodes),
            "unknown_size": count["unknown"],
            "unlocated": count["unlocated"],
            "influence_share_of_all": round(pr_base / total_pr, 6),
        },
        "by_tier": by_tier,
        "outside_big_cities": {
            "participants": n_base,
            "outside": outside,
            "participant_share": round(outside / n_base, 6) if n_base else None,
            "influence_share": (
                round((pr_base - pr["metropolis"]) / pr_base, 6) if pr_base else None
            ),
            "base": BASE_NAME,
        },
        "tie_km": {
            "located_interactions": len(distances),
            "median": round(statistics.median(distances), 3) if distances else None,
            "share_over_32km": share_over(32.0),
            "long_tie_km": settings.long_tie_km,
            "share_over_long_tie_km": share_over(settings.long_tie_km),
        },
        "places": place_list,
    }


def _report_before(run: _pipeline.Run) -> dict[str, Any]:
    """report.json as a dict, as report.build_report built it from the stage dicts."""
    conv, infl = run.product("locate"), run.product("influence")
    scores, edges = infl.scores, edge_list(infl.edges)
    geography = with_inferred = None
    if run.options.locating:
        geography = _geography_before(conv, infl.edges, scores)
        if run.options.infer:
            with_inferred = _geography_before(conv, infl.edges, scores, include_inferred=True)
    zero = {"pagerank": 0.0, "in_degree": 0, "out_degree": 0}
    people = [
        {
            "id": p.id,
            "name": p.name,
            "handles": dict(p.handles),
            "urls": list(p.urls),
            "location_text": p.location_text,
            "place": p.place.to_dict() if p.place else None,
            "influence": dict(scores.get(p.id, zero)),
            "spam": p.spam,
            "merged_from": list(p.merged_from),
            "records": p.records,
            "evidence": list(p.evidence),
        }
        for p in conv.people.values()
    ]
    people.sort(key=lambda r: (-r["influence"]["pagerank"], r["id"]))
    geography = geography or {
        "base": None,
        "by_tier": {t: {} for t in TIER_KEYS},
        "outside_big_cities": {"participant_share": None, "influence_share": None},
        "tie_km": {
            "median": None,
            "share_over_32km": None,
            "long_tie_km": settings.long_tie_km,
            "share_over_long_tie_km": None,
        },
    }
    counted = [p for p in conv.people.values() if not p.spam]
    return {
        "mapper_version": settings.version,
        "inputs": list(conv.inputs),
        "posts": [
            {
                "id": post.id,
                "title": post.title,
                "url": post.url,
                "author": post.author_id,
                "author_evidence": post.author_evidence,
            }
            for post in conv.posts
        ],
        "participants": len(counted),
        "interactions": int(sum(e["weight"] for e in edges)),
        "located": sum(1 for p in counted if p.place is not None and p.place.source != "network"),
        "inferred": sum(1 for p in counted if p.place is not None and p.place.source == "network"),
        "spam": sum(1 for p in conv.people.values() if p.spam),
        "set_aside": dict(conv.set_aside),
        "people": people,
        "edges": edges,
        "geography": geography,
        **({"geography_with_inferred": with_inferred} if with_inferred is not None else {}),
        "problems": list(conv.problems),
    }


SEED = ROOT.parent / "shared" / "seed" / "closing-the-gap-thread.txt"
CASES = {
    "example": ([EXAMPLE / "thread.txt"], {}),
    "example-located-inferred": (
        [EXAMPLE / "thread.txt"],
        {"locations": EXAMPLE / "locations.csv", "infer": True},
    ),
    "seed": ([SEED], {}),
    "seed-located-inferred": (
        [SEED],
        {"locations": ROOT / "data" / "seed" / "locations.csv", "infer": True},
    ),
    "small-fixtures": (
        [DATA / "small.html", DATA / "small.wxr.xml", DATA / "small-interactions.csv"],
        {"locate": True, "keep_spam": True},
    ),
    "blog-fixtures": (sorted((DATA / "blog").glob("*")), {"locate": True, "infer": True}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_report_json_is_the_same_as_the_stage_dicts_made(case, tmp_path, monkeypatch):
    inputs, kw = CASES[case]
    if any(not Path(p).exists() for p in inputs):
        pytest.skip(f"{case}: input absent (../shared/ not beside the clone)")
    with _pipeline.Run(inputs, _pipeline.Options(**kw)) as run:
        typed = run.run_all().product("report")
        before = _report_before(run)
    assert isinstance(typed, Report)
    assert typed.geography is None or isinstance(typed.geography, Geography)
    after = to_dict(typed)
    assert list(after) == list(before)  # the same keys in the same order
    assert after == before
    assert write_json(typed, None) == write_json(before, None)  # report.json, byte for byte
    assert people_csv(after) == people_csv(before)
    assert summary(after) == summary(before)
    assert summary_of(typed) == summary(before)
    # streamed from the typed report, indented and (over the limit) compact, in batches
    # of two rows: the same bytes
    monkeypatch.setattr(report_mod, "_BATCH", 2)
    monkeypatch.setattr(report_mod, "_TIE_SLICE", 3)  # the edges rows from the arrays
    for limit in (report_mod.INDENT_LIMIT, 200):
        monkeypatch.setattr(report_mod, "INDENT_LIMIT", limit)
        for exact in (False, True):
            write_report(typed, tmp_path / "r.json", exact=exact)
            want = write_json(before if exact else without_exact(before), None)
            assert (tmp_path / "r.json").read_bytes() == want, (limit, exact)


def test_median_of_the_tie_distances_is_statistics_median():
    """The geography stage's median of the distances as an array is the float
    ``statistics.median`` gives for them as a list (odd, even, repeated values)."""
    import numpy as np

    from mapper.geography import _median

    rng = np.random.default_rng(7)
    for values in (
        rng.random(1001) * 9000,
        rng.random(1000) * 9000,
        np.array([3.0, 1.0]),
        np.array([5.5]),
        np.round(rng.random(400) * 5) / 3,
    ):
        assert _median(values.copy()) == statistics.median(values.tolist())


def test_ties_are_the_sequence_of_tie_objects_they_stand_for(monkeypatch):
    """The report's ties (:class:`mapper.report.Ties`, the sorted edge arrays) behave
    as the tuple of ``Tie`` objects they stand for, sum their weights without making
    them, and encode as the tuple does, in any slices; pickled, they are the arrays."""
    import pickle

    with _pipeline.Run([EXAMPLE / "thread.txt"], _pipeline.Options()) as run:
        ties = run.run_all().product("report").ties
    assert isinstance(ties, report_mod.Ties) and len(ties) > 3
    assert ties.total_weight() == sum(t.weight for t in ties) > 0
    made = tuple(ties)
    assert ties == made and made == tuple(ties) and ties[1] == made[1]
    assert ties[1:3] == made[1:3] and list(reversed(ties)) == list(reversed(made))
    want = msgspec.json.encode(list(made))
    monkeypatch.setattr(report_mod, "_BATCH", 2)
    parts = list(ties.encoded())
    assert len(parts) == -(-len(made) // 2)
    assert b"[" + b",".join(p[1:-1] for p in parts) + b"]" == want
    again = pickle.loads(pickle.dumps(ties))
    assert again._made is None and again == ties


def test_ties_rows_joined_from_pieces_are_the_encoders_bytes(monkeypatch):
    """``Ties`` rows are joined from pieces encoded once per node, kind and small
    weight: the bytes msgspec writes for the ``Tie`` objects, whatever the ids hold
    (quotes, backslashes, control and non-ASCII characters) and however big the
    weights; weights that are not integers are encoded as the ties are."""
    import numpy as np

    nodes = ['a "q" \\ é ☕', "x\u2028\n\t", "twitter:u1", "bluesky:did:plc:ab/cd", ""]
    rng = np.random.default_rng(3)
    n = 5001
    src, dst = np.sort(rng.integers(0, len(nodes), n)), rng.integers(0, len(nodes), n)
    kind = rng.integers(0, len(report_mod._KIND_NAMES), n).astype(np.int64)
    monkeypatch.setattr(report_mod, "_BATCH", 700)
    for weight in (
        rng.integers(1, 30, n).astype(np.int64),
        np.where(rng.random(n) < 0.01, 2**40 + 7, 3).astype(np.int64),
        np.array([report_mod._SMALL_WEIGHTS - 1, report_mod._SMALL_WEIGHTS] * 2500 + [0]),
        rng.integers(1, 9, n).astype(float),
    ):
        ties = report_mod.Ties(nodes, src, dst, kind, weight)
        parts = list(ties._encoded())
        assert len(parts) == -(-n // 700)
        want = msgspec.json.encode(list(ties))
        assert b"[" + b",".join(p[1:-1] for p in parts) + b"]" == want
        assert all(msgspec.json.decode(p) for p in parts)  # each batch an array
    assert list(report_mod.Ties(nodes, src[:0], dst[:0], kind[:0], src[:0])._encoded()) == []


def test_ties_encoded_elsewhere_start_when_the_report_is_written(tmp_path):
    """``Ties.encoded_by`` (the Dask engine's: the rows encoded on workers) is started
    by write_report before the people's rows, once, and not by the report stage or a
    command that writes no report.json; what it gives is written as the rows."""
    with _pipeline.Run([EXAMPLE / "thread.txt"], _pipeline.Options()) as run:
        typed = run.run_all().product("report")
    write_report(typed, tmp_path / "want.json")
    started: list[int] = []

    def elsewhere():
        started.append(len(started))
        return iter(list(typed.ties._encoded()))

    typed.ties.encoded_by = elsewhere
    to_dict(typed), summary_of(typed), list(typed.ties)
    assert started == []
    write_report(typed, tmp_path / "got.json")
    assert started == [0]
    assert (tmp_path / "got.json").read_bytes() == (tmp_path / "want.json").read_bytes()


def test_streamed_report_is_compact_exactly_when_write_json_is(tmp_path, monkeypatch):
    """write_report chooses indented or compact by the size of the whole compact
    report, as write_json does: the same bytes for a report just over the limit (the
    keys, commas and brackets count too, not only the values and rows)."""
    with _pipeline.Run([EXAMPLE / "thread.txt"], _pipeline.Options()) as run:
        typed = run.run_all().product("report")
    compact = len(msgspec.json.encode(without_exact(to_dict(typed)), enc_hook=str))
    monkeypatch.setattr(report_mod, "_BATCH", 2)
    for limit in (compact - 1, compact, compact + 1):
        monkeypatch.setattr(report_mod, "INDENT_LIMIT", limit)
        write_report(typed, tmp_path / "r.json")
        want = write_json(without_exact(to_dict(typed)), None)
        assert (tmp_path / "r.json").read_bytes() == want, limit


@pytest.mark.parametrize("case", sorted(CASES))
def test_released_run_reports_the_same(case, monkeypatch):
    """Issue #17: the CLI's runs (``Options(release=True)``) drop the unfolded
    interactions once the graph is folded, and the ties are made a slice of the edge
    arrays at a time: the same report; the Python API's runs keep the interactions."""
    inputs, kw = CASES[case]
    if any(not Path(p).exists() for p in inputs):
        pytest.skip(f"{case}: input absent (../shared/ not beside the clone)")
    with _pipeline.Run(inputs, _pipeline.Options(**kw)) as run:
        kept = run.run_all()
        want = to_dict(kept.product("report"))
        conv = kept.product("spam")
        assert conv.edges_count() > 0  # kept for a notebook
    monkeypatch.setattr(report_mod, "_TIE_SLICE", 2)
    with _pipeline.Run(inputs, _pipeline.Options(**kw, release=True)) as run:
        released = run.run_all()
        got = to_dict(released.product("report"))
        conv = released.product("spam")
        assert (conv.interactions, conv.counts) == ([], {})
    assert list(got) == list(want)
    assert got == want


@pytest.mark.parametrize("enabled", [True, False])
def test_cli_pauses_the_collector_after_reading_and_restores_it(enabled, tmp_path, monkeypatch):
    """Issue #17: a CLI command raises the young-generation threshold and, once the
    inputs are read, pauses the cyclic collector; both are as they were when it
    returns (the Python API's runs never touch them)."""
    import gc

    from mapper import cli

    seen: dict[str, object] = {}
    read, build = _pipeline.LocalEngine.read, report_mod.build_report

    def reading(self, *a, **k):
        seen["read"] = (gc.isenabled(), gc.get_threshold()[0])
        return read(self, *a, **k)

    def building(*a, **k):
        seen["report"] = gc.isenabled()
        return build(*a, **k)

    monkeypatch.setattr(_pipeline.LocalEngine, "read", reading)
    monkeypatch.setattr(report_mod, "build_report", building)
    threshold = gc.get_threshold()
    (gc.enable if enabled else gc.disable)()
    try:
        out = tmp_path / "r.json"
        assert cli.main(["-q", "report", str(EXAMPLE / "thread.txt"), "-o", str(out)]) == 0
        assert seen["read"] == (enabled, max(threshold[0], cli.GC_YOUNG))
        assert seen["report"] is False
        assert gc.isenabled() is enabled
        assert gc.get_threshold() == threshold
        with _pipeline.Run([EXAMPLE / "thread.txt"]) as run:  # the Python API: untouched
            run.run_all()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_ranked_by_pagerank_then_id_as_the_key_tuple_sorts():
    """report.ranked sorts with NumPy (issue #19): the order of sorting the rows by
    ``(-pagerank, id)``, ties in PageRank (most people) broken by id as strings."""
    import random

    from mapper.model import Conversation, Person

    rng = random.Random(7)
    ids = [f"twitter:{rng.choice(['a', 'B', 'é', '10', '9', '日'])}{i}" for i in range(300)]
    conv = Conversation(people={pid: Person(pid, pid) for pid in ids})
    values = [0.0, 0.001, 0.25, 1e-9]
    scores = {
        pid: {"pagerank": rng.choice(values), "in_degree": 1, "out_degree": 2}
        for pid in ids[:250]  # the rest score zero (not in the graph)
    }
    got = [r.person.id for r in report_mod.ranked(conv, scores)]
    want = sorted(ids, key=lambda pid: (-scores.get(pid, {"pagerank": 0.0})["pagerank"], pid))
    assert got == want
