"""report.json, people.csv and the one-paragraph summary.

report.json follows DESIGN.md; its keys are stable.  People are listed by
influence, most influential first.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from . import settings
from .files import write_atomic
from .geography import TIER_KEYS
from .model import Conversation


def build_report(
    conv: Conversation,
    scores: dict[str, dict[str, float]],
    edges: list[dict[str, Any]],
    geography: dict[str, Any] | None = None,
    geography_with_inferred: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The report as a dict: counts, people with influence, edges, geography, problems."""
    zero = {"pagerank": 0.0, "in_degree": 0, "out_degree": 0}
    people: list[dict[str, Any]] = []
    for p in conv.people.values():
        people.append(
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
        )
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
        **(
            {"geography_with_inferred": geography_with_inferred}
            if geography_with_inferred is not None
            else {}
        ),
        "problems": list(conv.problems),
    }


def edge_list(g) -> list[dict[str, Any]]:
    """One record per folded edge and kind: ``{source, target, kind, weight}`` (the
    weight is the number of interactions of that kind); ``g`` is a networkx graph
    or :class:`~mapper.graph.Edges`."""
    from .graph import as_edges
    from .model import KINDS

    edges = as_edges(g)
    nodes = edges.nodes
    out = []
    rows, cols = edges.counts.nonzero()
    for e, k in zip(rows.tolist(), cols.tolist(), strict=True):
        out.append(
            {
                "source": nodes[edges.src[e]],
                "target": nodes[edges.dst[e]],
                "kind": KINDS[k].value,
                "weight": int(edges.counts[e, k]),
            }
        )
    out.sort(key=lambda r: (r["source"], r["target"], r["kind"]))
    return out


#: report.json is indented up to this size (bytes); larger reports are written compact
INDENT_LIMIT = 64 * 2**20


def write_json(report: dict[str, Any], path: str | Path | None) -> bytes | None:
    """Write ``report`` as JSON to ``path``; with ``-``/None return the bytes instead.

    msgspec encodes (and indents) in C: ``json.dumps`` took 20 s on a 1M-tweet report.
    Above ``INDENT_LIMIT`` the JSON is compact, which also spares a second copy in memory.
    """
    import msgspec

    data = msgspec.json.encode(report, enc_hook=str)
    if len(data) <= INDENT_LIMIT:
        data = msgspec.json.format(data, indent=2)
    data += b"\n"
    if path and str(path) != "-":
        write_atomic(path, data)
        return None
    return data


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
    """A CSV cell that a spreadsheet will not run as a formula."""
    s = "" if value is None else str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
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


def headline(geo: dict[str, Any]) -> str:
    """The headline sentence, on the geography's one named base, with whole percentages
    that add up (the map's panel says the same), and who is left out of the base."""
    from .geography import BASE_NAME, headline_percents

    out = geo.get("outside_big_cities") or {}
    if out.get("participant_share") is None:
        return ""
    base = geo.get("base") or {}
    ppl, inf = headline_percents(geo)["outside"]
    text = (
        f" Outside big cities: {ppl}% of the {out['participants']} {BASE_NAME} "
        f"hold {inf}% of their influence."
    )
    if base.get("unlocated") or base.get("unknown_size"):
        text += (
            f" Not in these shares: {base.get('unlocated', 0)} not located, "
            f"{base.get('unknown_size', 0)} of unknown size "
            f"(together {1 - base.get('influence_share_of_all', 1.0):.0%} of all influence)."
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
