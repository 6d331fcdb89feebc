"""Where each participant is: every piece of evidence, weakest first, strongest wins.

Evidence, from weakest to strongest (each recorded in the person's ``evidence``):

1. the country-code TLD of their site (``.fr``) — country level;
2. a city subdomain of their site (``detroit.example.com``) — city level;
3. their own words in the thread ("this hidden place in France", "I live in
   Boise"), and the size of place they say they live in ("a place of 500 people");
4. their profile location (``location_text``), via the offline gazetteer and,
   if asked, an online geocoder for what it cannot resolve;
5. coordinates or a place attached to their posts;
6. the user's own locations file (``--locations``), which overrides everything.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import settings
from ..ids import norm_name, normalize_url, twitter_handle
from ..model import Conversation, Person, Place, off_globe
from .gazetteer import LOCALITY_IDS, Entry, Gazetteer, get, norm
from .parse import Parser, Resolution
from .tiers import by_population, locality_tier, tier

if TYPE_CHECKING:  # geopy loads only when an online geocoder is asked for
    from .geocoders import OnlineGeocoder

log = logging.getLogger("mapper")

#: ccTLDs used as generic domains: they say nothing about where someone is.
GENERIC_CCTLDS = {
    "io",
    "co",
    "tv",
    "me",
    "ly",
    "fm",
    "ai",
    "gg",
    "cc",
    "ws",
    "to",
    "am",
    "im",
    "is",
    "it",
    "la",
    "sh",
    "so",
    "vc",
    "nu",
    "tk",
    "ml",
    "ga",
    "cf",
    "gq",
    "app",
    "xyz",
}
NOT_CITY_LABELS = {
    "www",
    "blog",
    "blogs",
    "news",
    "m",
    "mobile",
    "shop",
    "store",
    "mail",
    "web",
    "en",
    "de",
    "fr",
    "es",
    "app",
    "api",
    "my",
    "home",
    "info",
    "go",
    "the",
}
_lives = re.compile(
    r"\b(?:[Ii]|[Ww]e)(?:'m| am| are|'re)?\s+(?:live|living|based|moved|relocated|reside|work|"
    r"am from|come from|from)\b[^.!?\n]{0,80}?\b(?:in|to|near|from)\s+"
    r"(?:this|a|the|my|our)?[^.!?\n]{0,40}?\b(?:in|of)?\s*"
    r"([A-Z][\w'’-]+(?:[ ,]+[A-Z][\w'’-]+){0,3})",
    re.UNICODE,
)
_place_in = re.compile(
    r"\b(?:place|town|village|city|here|hamlet|county|region|farm|ranch|"
    r"home|house|studio|office)\s+in\s+"
    r"([A-Z][\w'’-]+(?:[ ,]+[A-Z][\w'’-]+){0,3})"
)
_size = re.compile(
    r"\b(?:town|place|village|city|hamlet|community)\s+(?:of\s+)?\(?"
    r"(\d{1,3}(?:[,.]\d{3})+|\d+)\s*(?:people|inhabitants|residents|souls|\))",
    re.I,
)


def size_of(entry: Entry, gz: Gazetteer) -> tuple[str, int | None, str | None]:
    """``(tier, metro population, metro name)`` of a gazetteer entry: a GeoNames town
    by the urban area it belongs to (:mod:`mapper.geo.tiers`), a postal town or
    village GeoNames lacks by the catchment that holds it, if any
    (:func:`~mapper.geo.tiers.locality_tier`); regions and countries ``unknown``."""
    metro = gz.metro(entry.id) if entry.kind == "city" and entry.id else None
    metro_pop, metro_name = metro if metro else (None, None)
    if entry.kind == "city" and entry.id and entry.id >= LOCALITY_IDS:
        return locality_tier(metro_pop), metro_pop, metro_name
    if not entry.population:
        metro_pop = metro_name = None  # no size in the data: none shown
    return tier(entry.kind, entry.population, metro_pop), metro_pop, metro_name


def make_place(
    entry: Entry,
    gz: Gazetteer,
    source: str,
    confidence: float,
    point: tuple[float, float] | None = None,
) -> Place:
    """A :class:`Place` for a gazetteer entry, with its metro's population and the
    tier decided on it (:mod:`mapper.geo.tiers`)."""
    size, metro_pop, metro_name = size_of(entry, gz)
    return Place(
        name=entry.name,
        lat=entry.lat,
        lon=entry.lon,
        country_code=entry.country_code or None,
        admin1=entry.admin1,
        population=entry.population or None,
        tier=size,
        kind=entry.kind,
        source=source,
        confidence=round(confidence, 2),
        point_lat=point[0] if point else None,
        point_lon=point[1] if point else None,
        metro_population=metro_pop,
        metro=metro_name,
    )


def _unchanged_people_row(p: Person, row: dict[str, str]) -> bool:
    """A ``people.csv`` row (it has ``place_source``) given back as ``--locations``
    whose ``location`` is still the person's own profile text and which has no
    ``lat``/``lon``: nothing the user said, so no override (it would beat a post's
    GPS with the profile's words)."""
    if "place_source" not in row or row.get("lat") or row.get("lon"):
        return False
    text = (row.get("location") or "").strip()
    return bool(text) and norm(text) == norm(p.location_text or "")


class Locator:
    """Resolves strings (each distinct normalised string once) and locates people."""

    def __init__(self, gazetteer: Gazetteer | None = None, geocoder: OnlineGeocoder | None = None):
        self.gz = gazetteer or get()
        self.parser = Parser(self.gz)
        self.geocoder = geocoder
        self._memo: dict[str, tuple[Resolution, str]] = {}
        self.pending: list[str] = []  # strings an online service could not answer for now
        #: during :meth:`locate`: each profile string's place, evidence kind and value
        self._profile: dict[str, tuple[Place | None, str, str]] = {}
        #: a list to have :meth:`locate` (without overrides or an online geocoder) note,
        #: for each person in order, what it gave them from their profile string alone
        #: — ``(evidence entry, place, the string's answer)`` — or ``None`` (the Dask
        #: engine's finishing task sends it to the workers as codes, issue #19)
        self.record: list[tuple[dict[str, Any], Place | None, tuple] | None] | None = None

    # --- strings ---------------------------------------------------------------

    def resolve(self, text: str) -> tuple[Resolution, str]:
        """``(resolution, source)`` for one string; source is ``gazetteer`` or
        ``geocoder:<name>``."""
        # once per distinct normalised string: "Paris, France" and " Paris,  France"
        # get the same answer; not case-folded, as the parser reads capitals ("APAC"
        # is an acronym, "Apac" a town in Uganda): one must not get the other's answer
        key = " ".join(text.split())
        hit = self._memo.get(key)
        if hit is None:
            res = self.parser.resolve(text)
            source = "gazetteer"
            if (
                not res.resolved
                and self.geocoder is not None
                and "not a place" not in (res.reason or "")
            ):
                res, source = self._online(text, res)
            if not res.resolved and "ambiguous" in (res.reason or ""):
                described = self.ambiguity(text)
                if described:
                    res.reason = f"unresolved ({described})"
            hit = self._memo[key] = (res, source)
        return hit

    def candidates(self, text: str, limit: int = 5) -> list[Entry]:
        """The distinct places (one per region and country, most populous first) a bare
        town name in ``text`` (before any comma) could mean."""
        from .gazetteer import norm

        name = re.split(r"[,;/|(]", text, maxsplit=1)[0]
        entries = [e for e in self.gz.lookup(norm(name)) if e.kind == "city"]
        # places of that very name first; alternate names only for sizeable places
        pool = [e for e in entries if e.primary]
        if len(pool) < 2:
            pool += [e for e in entries if not e.primary and e.population >= 15_000]
        seen: dict[tuple[str, str], Entry] = {}
        for e in sorted(pool, key=lambda e: -e.population):
            seen.setdefault((e.country_code, e.admin1_code), e)
        return list(seen.values())[:limit]

    def ambiguity(self, text: str) -> str | None:
        """``"ambiguous: Bloomington, Indiana (US) or Bloomington, Illinois (US) or …:
        add the state"`` — the candidates with their region and country, and what tells
        them apart; None when fewer than two candidates are known."""
        cands = self.candidates(text, limit=50)
        if len(cands) < 2:
            return None
        named = " or ".join(self.describe(e) for e in cands[:3])
        if len(cands) > 3:
            named += f" (or {len(cands) - 3} smaller)"
        return f"ambiguous: {named}: {_tell_apart(cands)}"

    def describe(self, e: Entry) -> str:
        """``"Name, Region (CC)"``, the region's name where the gazetteer has it."""
        region = e.admin1
        if not region and e.admin1_code:
            r = self.gz.region(e.country_code, e.admin1_code)
            region = r.name if r is not None else None
        return (
            f"{e.name}, {region} ({e.country_code})" if region else f"{e.name} ({e.country_code})"
        )

    def _online(self, text: str, offline: Resolution) -> tuple[Resolution, str]:
        from .geocoders import TemporaryFailure

        geocoder = self.geocoder
        assert geocoder is not None  # only called when one is configured
        try:
            ans = geocoder.geocode(text)
        except TemporaryFailure as e:
            self.pending.append(text)
            offline.reason = f"unresolved for now ({e})"
            return offline, "gazetteer"
        if ans is None:
            return offline, "gazetteer"
        near = self.parser.nearest(ans["lat"], ans["lon"])
        res = Resolution(
            query=text,
            method=f"geocoder:{geocoder.service}",
            confidence=settings.confidence_geocoder,
        )
        if near is not None:
            res.entry = near
        else:
            res.entry = Entry(
                0, ans["name"] or text, "city", "", "", None, ans["lat"], ans["lon"], 0, True
            )
        return res, f"geocoder:{geocoder.service}"

    def place_for(
        self, text: str, source: str | None = None, confidence: float | None = None
    ) -> tuple[Place | None, Resolution]:
        res, how = self.resolve(text)
        if not res.resolved or res.entry is None:
            return None, res
        return make_place(
            res.entry,
            self.gz,
            source or how,
            confidence if confidence is not None else res.confidence,
            res.point,
        ), res

    def geocode_record(self, text: str) -> dict[str, Any]:
        """The ``mapper geocode`` JSON object for one input line."""
        res, how = self.resolve(text)
        if not res.resolved or (res.entry is None and res.point is None):
            return {"query": text, "lat": None, "lon": None, "reason": res.reason}
        e = res.entry
        if res.point:
            lat, lon = res.point
        else:
            assert e is not None  # resolved without a point: there is an entry
            lat, lon = e.lat, e.lon
        size, metro_pop, metro_name = size_of(e, self.gz) if e else ("unknown", None, None)
        out = {
            "query": text,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "country_code": e.country_code if e else None,
            "name": e.name if e else None,
            "admin1": e.admin1 if e else None,
            "population": e.population or None if e else None,
            "metro_population": metro_pop,
            "metro": metro_name,
            "tier": size,
            "kind": e.kind if e else "city",
            "method": res.method,
            "confidence": res.confidence,
        }
        if how != "gazetteer":
            out["method"] = how
        if res.notes:
            out["note"] = "; ".join(res.notes)
        return out

    # --- people ----------------------------------------------------------------

    def locate(self, conv: Conversation, overrides: dict[str, dict[str, str]] | None = None) -> int:
        """Give each person in ``conv`` a place from their evidence; return how many
        are located.  ``overrides`` maps match keys (id, handle, url, name) to
        ``{"location": ..., "lat": ..., "lon": ...}`` from the user's file."""
        words = _own_words(conv)
        used: set[str] = set()
        self._profile = {}
        if self.geocoder is not None:
            # each distinct string once, with a progress bar: online lookups take ≥ 1 s each
            from tqdm.auto import tqdm

            texts = list(
                dict.fromkeys(p.location_text for p in conv.people.values() if p.location_text)
            )
            texts += [r["location"] for r in (overrides or {}).values() if r.get("location")]
            for text in tqdm(
                list(dict.fromkeys(texts)), desc="locating", unit="place", disable=None, leave=False
            ):
                self.resolve(text)
        located = 0  # (counted here: another pass over 195k people cost ~0.05 s, #17)
        record = self.record if not overrides and self.geocoder is None else None
        if self.record is not None:
            self.record.clear()
        for p in conv.people.values():
            best: Place | None = None
            mark = None
            if not p.urls and not p.evidence and p.id not in words:
                # only the profile's words can place them (most people of a big
                # archive, issue #17): _candidates' last step without its generator;
                # the evidence is the person's first (add_evidence would index it)
                if p.location_text:
                    hit = self._profile_of(p.location_text)
                    entry = {"kind": hit[1], "value": hit[2], "source": "profile"}
                    p.evidence.append(entry)
                    best = _copy_place(hit[0]) if hit[0] is not None else None
                    mark = (entry, best, hit)
            else:
                for place in self._candidates(p, words.get(p.id, [])):
                    if place is not None and (best is None or place.confidence >= best.confidence):
                        best = place
            # without a table nothing matches: skip the keys (a name's norm_name each)
            key = _match(p, overrides) if overrides else None
            if key is not None:
                used.add(key)
                row = overrides[key]  # type: ignore[index]
                if _unchanged_people_row(p, row):
                    p.place = best
                    located += best is not None
                    continue
                place = self._override(p, row)
                if place is not None:
                    best = combine(best, place, p, row.get("location") or "")
                else:
                    self._report_unusable(conv, p, row)
            p.place = best
            located += best is not None
            if record is not None:
                record.append(mark)
        self._profile = {}
        for key in sorted(set(overrides or {}) - used):
            conv.problem("--locations", key, "no participant matches this row; not used")
        return located

    def _candidates(self, p: Person, words: list[tuple[str, str]]):
        for url in p.urls:
            yield from self._from_url(p, url)
        for text, ref in words:
            yield from self._from_words(p, text, ref)
        for ev in list(p.evidence):
            if ev["kind"] == "coordinates":
                lat, lon = ev["value"]
                e = self.parser.nearest(lat, lon)
                if e is not None:
                    p.add_evidence("place", f"{e.name} (from post coordinates)", ev["source"])
                    yield make_place(e, self.gz, "post", settings.confidence_post_point, (lat, lon))
            elif ev["kind"] == "tweet place":
                place, _ = self.place_for(ev["value"], "post", settings.confidence_post_place)
                yield place
        if p.location_text:
            # each distinct profile string's place and evidence made once per run, each
            # person given a copy (many people share a string: the per-person part
            # of locating a big archive); not with an online geocoder, which may
            # answer a string later in the run that it could not answer before
            hit = self._profile_of(p.location_text)
            p.add_evidence(hit[1], hit[2], "profile")
            yield _copy_place(hit[0]) if hit[0] is not None else None

    def _profile_of(self, text: str) -> tuple[Place | None, str, str]:
        """A profile string's place, evidence kind and evidence value."""
        hit = self._profile.get(text) if self.geocoder is None else None
        if hit is None:
            place, res = self.place_for(text)
            if place is None:
                hit = (None, "location unresolved", f"{text!r}: {res.reason}")
            else:
                hit = (place, "location", f"{text!r} → {place.name} ({res.method})")
            if self.geocoder is None:
                self._profile[text] = hit
        return hit

    def _from_url(self, p: Person, url: str):
        host = (normalize_url(url) or "").split("/", 1)[0]
        if not host or twitter_handle(url):
            return
        labels = host.split(".")
        tld = labels[-1]
        if len(tld) == 2 and tld not in GENERIC_CCTLDS:
            cc = {"uk": "GB"}.get(tld, tld.upper())
            country = self.gz.country(cc)
            if country is not None:
                p.add_evidence("tld", f".{tld} → {country.name}", url)
                yield make_place(country, self.gz, "tld", settings.confidence_tld)
        if len(labels) >= 3 and labels[0] not in NOT_CITY_LABELS and len(labels[0]) >= 4:
            res = self.parser.resolve(labels[0])
            e = res.entry
            if (
                e is not None
                and e.kind == "city"
                and e.population >= settings.subdomain_min_population
            ):
                p.add_evidence("subdomain", f"{labels[0]}. → {e.name}", url)
                yield make_place(e, self.gz, "subdomain", settings.confidence_subdomain)

    def _from_words(self, p: Person, text: str, ref: str):
        size = None
        m = _size.search(text)
        if m:
            size = int(re.sub(r"[,.]", "", m.group(1)))
            p.add_evidence("size", f"says they live in a place of {size:,} people", ref)
        for rx in (_lives, _place_in):
            for phrase in rx.findall(text):
                for cut in range(len(phrase.split()), 0, -1):
                    candidate = " ".join(phrase.split()[:cut])
                    res = self.parser.resolve(candidate)
                    if res.entry is not None:
                        p.add_evidence("own words", f"{candidate!r} → {res.entry.name}", ref)
                        place = make_place(res.entry, self.gz, "text", settings.confidence_text)
                        if size and place.tier == "unknown":
                            # a region or country: the stated size is all we know of
                            # their place (the country's population is not its size)
                            place.tier = by_population(size)
                            place.population = place.metro_population = None
                        yield place
                        break

    def _report_unusable(self, conv: Conversation, p: Person, row: dict[str, str]) -> None:
        """An ambiguous or unknown place in the user's file: named in ``problems`` (and
        so on stderr) (with the candidates, for an ambiguous one), never dropped silently."""
        text = (row.get("location") or "").strip()
        if not text:
            return
        res, _ = self.resolve(text)
        # in problems; the CLI prints every problem on stderr
        conv.problem(
            "--locations", p.id, f"location {text!r} for {p.name or p.id} not used: {res.reason}"
        )

    def _override(self, p: Person, row: dict[str, str]) -> Place | None:
        lat, lon = row.get("lat"), row.get("lon")
        if lat and lon:
            try:
                lat_f, lon_f = float(lat), float(lon)
            except ValueError:
                p.add_evidence("override unusable", f"lat/lon {lat!r},{lon!r}", "--locations")
                return None
            off = off_globe(lat_f, lon_f)
            if off is not None:  # NaN, inf, latitude 91: never placed off the globe
                p.add_evidence("override unusable", off, "--locations")
                return None
            e = self.parser.nearest(lat_f, lon_f)
            p.add_evidence("override", f"{lat_f},{lon_f}", "--locations")
            if e is None:
                return Place(
                    name=row.get("location") or f"{lat_f:.3f},{lon_f:.3f}",
                    lat=lat_f,
                    lon=lon_f,
                    kind="city",
                    source="user",
                    confidence=settings.confidence_user,
                )
            near = make_place(e, self.gz, "user", settings.confidence_user)
            near.name = row.get("location") or e.name
            near.lat, near.lon = lat_f, lon_f
            return near
        text = (row.get("location") or "").strip()
        if not text:
            return None
        place, res = self.place_for(text, "user", settings.confidence_user)
        if place is None:
            p.add_evidence("override unresolved", f"{text!r}: {res.reason}", "--locations")
            return None
        p.add_evidence("override", f"{text!r} → {place.name}", "--locations")
        return place


def _copy_place(place: Place) -> Place:
    """``copy.copy(place)`` without copy's generic protocol (a person's own copy of a
    profile string's place: 93k at 1M tweets, issue #17)."""
    new = object.__new__(Place)
    new.__dict__.update(place.__dict__)
    return new


#: how precise a place is, by kind (a stated size adds to a region or country)
_PRECISION = {"city": 3.0, "point": 3.0, "region": 2.0, "country": 1.0}


def precision(place: Place) -> float:
    """3 a town or point, 2 a region, 1 a country; +0.5 for a region or country whose
    size the person stated in their own words ("a place of 500 people in France")."""
    p = _PRECISION.get(place.kind, 0.0)
    if place.kind in ("region", "country") and place.tier != "unknown":
        p += 0.5
    return p


def contains(outer: Place, inner: Place) -> bool:
    """Does the region or country ``outer`` hold ``inner``?"""
    if outer.kind == "country":
        return bool(outer.country_code) and inner.country_code == outer.country_code
    if outer.kind == "region":
        return (
            inner.country_code == outer.country_code
            and bool(outer.admin1)
            and inner.admin1 == outer.admin1
        )
    return False


def combine(found: Place | None, user: Place, p: Person, text: str = "") -> Place:
    """The user's place and what the tool found, combined: the user's wins where it is
    at least as precise or where it contradicts; where it is coarser and holds the
    finer place (a country containing the town), the finer place stays, with the
    user's confirming it in the evidence."""
    if found is None or precision(user) >= precision(found) or not contains(user, found):
        if found is not None and precision(user) < precision(found):
            p.add_evidence(
                "override contradicts",
                f"{text or user.name!r} ({user.name}) does not hold {found.name} "
                f"({found.source}): the user's place is used",
                "--locations",
            )
        return user
    p.add_evidence(
        "override coarser",
        f"{text or user.name!r} ({user.name}) is consistent with the finer place found "
        f"from {found.source}: {found.name}, {found.tier}; the finer place is kept",
        "--locations",
    )
    return found


def _tell_apart(cands: list[Entry]) -> str:
    """What to add to a name to choose between ``cands``."""
    countries = {e.country_code for e in cands}
    if len(countries) == 1:
        word = {"US": "state", "AU": "state", "CA": "province", "GB": "nation"}.get(
            cands[0].country_code, "region"
        )
        return f"add the {word}"
    if len(countries) == len(cands):
        return "add the country"
    return "add the country and region"


def _own_words(conv: Conversation) -> dict[str, list[tuple[str, str]]]:
    """Each person's own texts in the thread; a post's text counts as its author's."""
    out: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for it in conv.interactions:
        if it.text and it.kind in ("comment", "reply") and (it.source, it.text) not in seen:
            seen.add((it.source, it.text))
            out.setdefault(it.source, []).append((it.text, it.ref or ""))
    for post in conv.posts:
        if post.author_id and post.text:
            out.setdefault(post.author_id, []).append((post.text, f"post {post.id}"))
    return out


def _match(p: Person, overrides: dict[str, dict[str, str]]) -> str | None:
    """The key of the user's row for ``p``: by id, then handle, then URL, then name."""
    keys = [p.id.lower()]
    keys += [h.lower().lstrip("@") for h in p.handles.values()]
    keys += [f"@{h.lower().lstrip('@')}" for h in p.handles.values()]
    keys += [n for n in (normalize_url(u) for u in p.urls) if n]
    keys += [norm_name(p.name)]
    for k in keys:
        if k in overrides:
            return k
    return None


def read_locations(path: str | Path) -> dict[str, dict[str, str]]:
    """Moved to :func:`mapper.sources.locations.read_locations` (reading the user's
    table is a source); kept here so existing imports work."""
    from ..sources.locations import read_locations as read

    return read(path)


def locate_people(
    conv: Conversation,
    overrides: dict[str, dict[str, str]] | None = None,
    geocoder: OnlineGeocoder | None = None,
    gazetteer: Gazetteer | None = None,
    locator: Locator | None = None,
) -> int:
    """Locate everyone in ``conv`` (see the module docstring); return how many are
    located.  ``overrides`` is the user's table
    (:func:`mapper.sources.locations.overrides_from`), applied over everything;
    strings an online geocoder could not answer are noted in ``conv.problems``."""
    if locator is None:
        locator = Locator(gazetteer, geocoder)
    elif geocoder is not None:
        locator.geocoder = geocoder
    n = locator.locate(conv, overrides)
    if locator.pending:
        conv.problem(
            "geocoder",
            f"{len(locator.pending)} string(s)",
            "online geocoder did not answer; unresolved for now (not cached): "
            + ", ".join(repr(s) for s in locator.pending[:10]),
        )
    online = locator.geocoder
    if online is not None:
        if online.stopped is not None:
            conv.problem("geocoder", online.service, online.stopped)
        for text, why in online.rejected:
            conv.problem("geocoder", online.service, f"answer for {text!r} rejected: {why}")
    log.info("located %d of %d participants", n, len(conv.people))
    return n
