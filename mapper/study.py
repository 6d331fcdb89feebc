"""A :class:`Study`: the pipeline as cached stages, for Jupyter.

Each stage (read → locate → graph → geography → report) is computed on first
use and kept; changing a location re-locates that one person and recomputes
only what depends on places (geography, report, map) — not the reading, the
merging or the influence.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from . import graph as graph_mod
from . import identity, report, sources, spam
from .model import Conversation, Person

log = logging.getLogger("mapper")


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
    conv = sources.read(inputs, author=author)
    log.info(
        "read %d record(s) of people and %d interaction(s)",
        len(conv.people),
        sum(1 for _ in conv.edges()),
    )
    conv = identity.merge(conv, identity.Aliases.read(aliases) if aliases else None)
    n_spam = spam.flag_spam(conv)
    log.info("%d participants after merging; %d flagged as spam", len(conv.people), n_spam)
    return conv


def _overrides(overrides: Any) -> dict[str, dict[str, str]]:
    """Normalise overrides: a dict ``{person id/handle/name: "place" | (lat, lon)}``,
    a pandas DataFrame with the locations-file columns, or a path to that file."""
    from .geo.locate import read_locations
    from .identity import norm_name

    if overrides is None:
        return {}
    if isinstance(overrides, (str, Path)):
        return read_locations(overrides)
    if hasattr(overrides, "to_dict") and hasattr(overrides, "columns"):  # a DataFrame
        rows = overrides.fillna("").astype(str).to_dict("records")
        out = {}
        for row in rows:
            row = {k.lower(): v.strip() for k, v in row.items()}
            key = row.get("id") or row.get("handle") or row.get("url") or norm_name(row.get("name"))
            if key and (row.get("location") or (row.get("lat") and row.get("lon"))):
                out[key.lower().lstrip("@")] = row
        return out
    out = {}
    for key, value in dict(overrides).items():
        k = str(key).strip().lower().lstrip("@")
        if isinstance(value, (tuple, list)) and len(value) == 2:
            out[k] = {"lat": str(value[0]), "lon": str(value[1])}
        elif isinstance(value, Mapping):
            out[k] = {str(a): str(b) for a, b in value.items()}
        else:
            out[k] = {"location": str(value)}
    return out


def locate(conv: Conversation, overrides: Any = None, *, geocoder: Any = None) -> Conversation:
    """Give each person a place (offline gazetteer, the evidence in the thread, an
    optional online ``geocoder``); ``overrides`` (dict, DataFrame or locations file)
    win over everything.  Returns ``conv``, changed in place."""
    from .geo.locate import Locator

    Locator(geocoder=geocoder).locate(conv, _overrides(overrides))
    return conv


class Study:
    """One analysis, stage by stage, each stage cached.

    >>> import mapper, pathlib
    >>> ex = pathlib.Path(mapper.__file__).parent.parent / "data/example"
    >>> s = mapper.Study(ex / "thread.txt", locations=ex / "locations.csv")
    >>> s.report["located"], s.geography["by_tier"]["small_town"]["participants"]
    (9, 5)
    >>> s.set_location("Samuel Okafor", "Lagos, Nigeria")
    >>> s.report["located"], s.runs["graph"]
    (10, 1)
    """

    def __init__(
        self,
        inputs: str | Path | Iterable[str | Path],
        *,
        author: str | None = None,
        aliases: str | Path | None = None,
        keep_spam: bool = False,
        locations: Any = None,
        geocoder: Any = None,
        infer: bool = False,
    ):
        self.inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        self.author, self.aliases, self.keep_spam = author, aliases, keep_spam
        self.locations, self.geocoder = locations, geocoder
        self.infer = infer  # place unlocated people from their network (kept apart)
        self._cache: dict[str, Any] = {}
        self.runs: Counter = Counter()  # how often each stage ran, to see the caching work

    # --- stages ------------------------------------------------------------------

    def _stage(self, name: str, compute):
        if name not in self._cache:
            self.runs[name] += 1
            self._cache[name] = compute()
        return self._cache[name]

    def _invalidate(self, *names: str) -> None:
        for n in names:
            self._cache.pop(n, None)

    def _read(self) -> Conversation:
        return self._stage(
            "read", lambda: read(self.inputs, author=self.author, aliases=self.aliases)
        )

    def _edges(self) -> graph_mod.Edges:
        conv = self._read()
        return self._stage("graph", lambda: graph_mod.fold(conv, keep_spam=self.keep_spam))

    @property
    def conversation(self) -> Conversation:
        """People (merged, spam flagged) and interactions; located once asked."""
        conv = self._read()
        self._stage("locate", lambda: locate(conv, self.locations, geocoder=self.geocoder))
        return conv

    @property
    def graph(self) -> nx.DiGraph:
        """The interaction graph as networkx, node attributes from the current places."""
        conv = self.conversation
        g = graph_mod.build_graph(self._edges())
        for pid in g:
            g.nodes[pid]["name"] = conv.people[pid].name
        return graph_mod.annotate(g, conv, self.scores)

    @property
    def scores(self) -> dict[str, dict[str, float]]:
        """Influence per person: pagerank, in_degree, out_degree."""
        edges = self._edges()
        return self._stage("influence", lambda: graph_mod.influence(edges))

    @property
    def geography(self) -> dict[str, Any]:
        """The report's geography block (shares by tier, tie distances, places)."""
        from .geography import geography

        conv, edges = self.conversation, self._edges()
        if self.infer:
            from .geo.infer import infer_locations

            self._stage("infer", lambda: infer_locations(conv, edges))
        return self._stage("geography", lambda: geography(conv, edges, self.scores))

    @property
    def report(self) -> dict[str, Any]:
        """report.json as a dict."""

        def build():
            edges = self._edges()
            with_inferred = None
            if self.infer:
                from .geography import geography

                with_inferred = geography(
                    self.conversation, edges, self.scores, include_inferred=True
                )
            return report.build_report(
                self.conversation,
                self.scores,
                report.edge_list(edges),
                self.geography,
                with_inferred,
            )

        return self._stage("report", build)

    # --- changing things -----------------------------------------------------------

    def set_location(self, who: str, where: str | tuple[float, float] | None) -> None:
        """Put one person (id, @handle or name) at ``where`` (a place text or
        ``(lat, lon)`` in degrees), or ``None`` to leave them unlocated.  Only
        geography, the report and the map are recomputed."""
        from .geo.locate import Locator

        key = str(who).strip().lower().lstrip("@")
        person = self._find(who)
        if where is None:
            person.place = None
        else:
            row = _overrides({key: where})[key]
            place = Locator(geocoder=self.geocoder)._override(person, row)
            if place is None:
                raise ValueError(f"{where!r}: not a place the gazetteer knows; try (lat, lon)")
            person.place = place
        self._invalidate("infer", "geography", "report")

    def _find(self, who: str) -> Person:
        from .identity import norm_name

        conv = self.conversation
        if who in conv.people:
            return conv.people[who]
        t = str(who).strip().lstrip("@").lower()
        for p in conv.people.values():
            if any(h.lower() == t for h in p.handles.values()) or norm_name(p.name) == norm_name(
                who
            ):
                return p
        raise KeyError(f"no participant {who!r}")

    # --- tables, pictures, map ----------------------------------------------------------

    @property
    def people(self):
        """One row per participant (pandas DataFrame), most influential first."""
        import pandas as pd

        rows = []
        for p in self.report["people"]:
            pl: dict = p["place"] or {}
            rows.append(
                {
                    "id": p["id"],
                    "name": p["name"],
                    "handles": " ".join(f"{k}:{v}" for k, v in p["handles"].items()),
                    "location_text": p["location_text"],
                    "place": pl.get("name"),
                    "admin1": pl.get("admin1"),
                    "country": pl.get("country_code"),
                    "tier": pl.get("tier", "unlocated"),
                    "place_source": pl.get("source"),
                    "lat": pl.get("lat"),
                    "lon": pl.get("lon"),
                    "pagerank": p["influence"]["pagerank"],
                    "in_degree": p["influence"]["in_degree"],
                    "out_degree": p["influence"]["out_degree"],
                    "spam": p["spam"],
                }
            )
        return pd.DataFrame(rows).set_index("id")

    @property
    def edges(self):
        """One row per (source, target, kind) with its weight (pandas DataFrame)."""
        import pandas as pd

        return pd.DataFrame(self.report["edges"], columns=["source", "target", "kind", "weight"])

    @property
    def places(self):
        """One row per place: participants and summed influence (pandas DataFrame)."""
        import pandas as pd

        rows = [
            {k: v for k, v in pl.items() if k != "people"} | {"people": len(pl["people"])}
            for pl in self.geography["places"]
        ]
        return pd.DataFrame(rows)

    def map(self, **options: Any):
        """The folium map (displays inline in Jupyter); options as :func:`render_map`."""
        from .render import render_map

        return render_map(self.conversation, self.report, **options)

    def chart_tiers(self):
        """Participant share vs influence share by tier (matplotlib Figure)."""
        from .charts import tier_shares

        return tier_shares(self.geography)

    def chart_ties(self):
        """Histogram of tie distances in km (matplotlib Figure)."""
        from .charts import tie_distances as chart
        from .geography import tie_distances

        return chart(tie_distances(self.conversation, self._edges()))

    def save(self, directory: str | Path) -> list[Path]:
        """Write report.json, people.csv, map.html and the charts into ``directory``."""
        from .charts import write_charts
        from .files import write_atomic
        from .geography import tie_distances
        from .render import html_of

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        report.write_json(self.report, out / "report.json")
        write_atomic(out / "people.csv", report.people_csv(self.report))
        write_atomic(out / "map.html", html_of(self.map()))
        charts = write_charts(self.geography, tie_distances(self.conversation, self._edges()), out)
        return [out / "report.json", out / "people.csv", out / "map.html", *charts]

    def _repr_html_(self) -> str:
        r = self.report
        out = r["geography"]["outside_big_cities"]
        tie = r["geography"]["tie_km"]

        def pct(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.0%}"

        median = "n/a" if tie["median"] is None else f"{tie['median']:.0f} km"
        counted = [p for p in r["people"] if not p["spam"]]
        leaders = ", ".join(html.escape(p["name"]) for p in counted[:3])
        problems = (
            f"<br><span style='color:#a00'>{len(r['problems'])} problem(s) in the input</span>"
            if r["problems"]
            else ""
        )
        return (
            "<div style='font:13px system-ui,sans-serif;border:1px solid #ccc;border-radius:6px;"
            "padding:8px 12px;max-width:520px'>"
            f"<b>mapper Study</b> — {len(self.inputs)} input(s)<br>"
            f"{r['participants']} participants · {r['interactions']} interactions · "
            f"{r['located']} located · {r['spam']} spam<br>"
            f"<b>Outside big cities:</b> {pct(out['participant_share'])} of located "
            f"participants hold {pct(out['influence_share'])} of their influence<br>"
            f"<b>Ties:</b> median {median}, {pct(tie['share_over_32km'])} over 32 km<br>"
            f"<b>Most influential:</b> {leaders or '—'}{problems}</div>"
        )
