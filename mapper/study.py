"""A :class:`Study`: the pipeline as cached stages, for Jupyter.

Each stage (in the order :data:`mapper._pipeline.STAGES` owns) is computed on first
use and kept; changing a location re-locates that one person and recomputes only what
depends on places (inference, geography, report, map) — not the reading, the merging
or the influence.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
import networkx as nx

from . import graph as graph_mod
from . import report
from ._pipeline import Options, Run
from .model import Conversation, Person
from .pipeline import locate, read  # noqa: F401 - re-exported: their old home
from .products import Geography, Report
from .settings import Settings

log = logging.getLogger("mapper")


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
        settings: Settings | None = None,
    ):
        self.inputs = [inputs] if isinstance(inputs, str | Path) else list(inputs)
        self.author, self.aliases, self.keep_spam = author, aliases, keep_spam
        self.locations, self.geocoder = locations, geocoder
        self.infer = infer  # place unlocated people from their network (kept apart)
        self._report: tuple[Report, dict[str, Any]] | None = None  # (typed, its dict)
        self._run = Run(
            self.inputs,
            Options(
                author=author,
                aliases=aliases,
                keep_spam=keep_spam,
                locate=True,
                locations=locations,
                geocoder=geocoder,
                infer=infer,
                settings=settings,
            ),
        )

    @property
    def runs(self) -> Counter[str]:
        """How often each stage ran, to see the caching work."""
        return self._run.runs

    # --- stages ------------------------------------------------------------------

    def _edges(self) -> graph_mod.Edges:
        return self._run.product("graph")

    @property
    def conversation(self) -> Conversation:
        """People (merged, spam flagged) and interactions, located."""
        return self._run.product("locate")

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
        return self._run.product("influence").scores

    @property
    def typed(self) -> Report:
        """The typed report (:class:`~mapper.products.Report`): ranked people, ties, the
        typed geography; what the map, tables and card below are made from."""
        return self._run.product("report")

    @property
    def geography(self) -> dict[str, Any]:
        """The report's geography block (shares by tier, tie distances, places)."""
        return self.report["geography"]

    @property
    def report(self) -> dict[str, Any]:
        """report.json as a dict, made from :attr:`typed` (again only after a change)."""
        typed = self.typed
        if self._report is None or self._report[0] is not typed:
            self._report = (typed, report.to_dict(typed))
        return self._report[1]

    def _geo(self) -> Geography:
        geo = self.typed.geography
        assert geo is not None  # a Study always locates
        return geo

    # --- changing things -----------------------------------------------------------

    def set_location(self, who: str, where: str | tuple[float, float] | None) -> None:
        """Put one person (id, @handle or name) at ``where`` (a place text or
        ``(lat, lon)`` in degrees), or ``None`` to leave them unlocated.  Only
        geography, the report and the map are recomputed."""
        from .errors import InputError
        from .geo.locate import Locator, combine
        from .sources.locations import overrides_from

        key = str(who).strip().lower().lstrip("@")
        person = self._find(who)
        if where is None:
            person.place = None
        else:
            row = overrides_from({key: where})[key]
            locator = Locator(geocoder=self.geocoder)
            place = locator._override(person, row)
            if place is None:
                reason = locator.resolve(str(where))[0].reason or ""
                if "ambiguous" in reason:
                    raise InputError(f"{where!r}: {reason}")
                raise InputError(f"{where!r}: not a place the gazetteer knows; try (lat, lon)")
            # a coarser place that holds what the tool found keeps the finer one
            found = person.place if person.place and person.place.source != "user" else None
            person.place = combine(found, place, person, str(where))
        self._run.changed("locate")

    def _find(self, who: str) -> Person:
        from .ids import norm_name

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
        for r in self.typed.people:
            p, pl = r.person, r.person.place
            rows.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "handles": " ".join(f"{k}:{v}" for k, v in p.handles.items()),
                    "location_text": p.location_text,
                    "place": pl.name if pl else None,
                    "admin1": pl.admin1 if pl else None,
                    "country_code": pl.country_code if pl else None,
                    "population": pl.population if pl else None,
                    "metro": pl.metro if pl else None,
                    "metro_population": pl.metro_population if pl else None,
                    "tier": pl.tier if pl else "unlocated",
                    "place_source": pl.source if pl else None,
                    "lat": pl.lat if pl else None,
                    "lon": pl.lon if pl else None,
                    "pagerank": r.score.pagerank,
                    "in_degree": r.score.in_degree,
                    "out_degree": r.score.out_degree,
                    "spam": p.spam,
                }
            )
        return pd.DataFrame(rows).set_index("id")

    @property
    def edges(self):
        """One row per (source, target, kind) with its weight, both ends' names and,
        when both are located, the great-circle distance between their places in km
        (pandas DataFrame; ``km`` is NaN otherwise)."""
        import pandas as pd

        from .geo.distance import haversine_km

        by_id = {r.id: r.person for r in self.typed.people}
        rows = []
        for t in self.typed.ties:
            a, b = by_id.get(t.source), by_id.get(t.target)
            pa, pb = (a.place if a else None), (b.place if b else None)
            km = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) if pa and pb else None
            rows.append(
                (
                    t.source,
                    t.target,
                    a.name if a else None,
                    b.name if b else None,
                    t.kind,
                    t.weight,
                    km,
                )
            )
        return pd.DataFrame(
            rows,
            columns=["source", "target", "source_name", "target_name", "kind", "weight", "km"],
        ).astype({"km": "float64"})

    def geo_people(self):
        """:attr:`people`'s located rows as a geopandas GeoDataFrame (points, EPSG:4326),
        so ``.explore()`` and ``.plot()`` work; needs ``pip install 'mapper[geo]'``."""
        gpd = _geopandas()
        df = self.people.dropna(subset=["lat", "lon"])
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")

    def geo_places(self):
        """:attr:`places` as a geopandas GeoDataFrame (points, EPSG:4326)."""
        gpd = _geopandas()
        df = self.places
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")

    def infographic(self, size: tuple[int, int] = (1600, 1000)):
        """The static infographic (a matplotlib Figure, shown inline in Jupyter; save it
        with ``.savefig("map.png")``); ``size`` in pixels."""
        from .infographic import infographic
        from .render import post_title

        r = self.typed
        return infographic(r.people, r.ties, self._geo(), title=post_title(r.posts), size=size)

    @property
    def places(self):
        """One row per place: participants and summed influence (pandas DataFrame)."""
        import pandas as pd

        rows = [
            {k: v for k, v in msgspec.structs.asdict(pl).items() if k != "people"}
            | {"people": len(pl.people)}
            for pl in self._geo().places
        ]
        return pd.DataFrame(rows)

    def map(self, **options: Any):
        """The folium map (displays inline in Jupyter); options as :func:`render_map`."""
        from .render import map_of

        return map_of(self.typed, **options)

    def chart_tiers(self):
        """Participant share vs influence share by tier (matplotlib Figure)."""
        from .charts import tier_shares

        return tier_shares(self._geo())

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
        report.write_json(self.typed, out / "report.json")
        write_atomic(out / "people.csv", report.people_csv(self.report))
        write_atomic(out / "map.html", html_of(self.map()))
        charts = write_charts(self._geo(), tie_distances(self.conversation, self._edges()), out)
        return [out / "report.json", out / "people.csv", out / "map.html", *charts]

    def _repr_html_(self) -> str:
        typed = self.typed
        c, tie = typed.counts, self._geo().tie_km

        def pct(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.0%}"

        median = "n/a" if tie.median is None else f"{tie.median:.0f} km"
        counted = [r.person for r in typed.people if not r.person.spam]
        leaders = ", ".join(html.escape(p.name) for p in counted[:3])
        problems = (
            f"<br><span style='color:#a00'>{len(typed.problems)} problem(s) in the input</span>"
            if typed.problems
            else ""
        )
        return (
            "<div style='font:13px system-ui,sans-serif;border:1px solid #ccc;border-radius:6px;"
            "padding:8px 12px;max-width:520px'>"
            f"<b>mapper Study</b> — {len(self.inputs)} input(s)<br>"
            f"{c.participants} participants · {c.interactions} interactions · "
            f"{c.located} located · {c.spam} spam<br>"
            # the same sentence as the summary and the map's panel, on the same base
            f"{html.escape(report.headline(self._geo()).strip() or 'Outside big cities: n/a')}"
            "<br>"
            f"<b>Ties:</b> median {median}, {pct(tie.share_over_long_tie_km)} over "
            f"{tie.long_tie_km:.0f} km<br>"
            f"<b>Most influential:</b> {leaders or '—'}{problems}</div>"
        )


def _geopandas():
    try:
        import geopandas
    except ImportError:  # pragma: no cover - depends on the install
        raise ImportError("GeoDataFrames need geopandas: pip install 'mapper[geo]'") from None
    return geopandas
