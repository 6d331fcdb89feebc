"""Free-text locations → gazetteer entries, with a method, a confidence, or a reason.

Handles casing, diacritics and other scripts (transliterated), emoji and flag
emoji, "City, ST" and "City, Country", region and country names and codes,
nicknames ("NYC", "Philly"), "X area"/"Greater X", several places in one
string (the first that resolves wins, and the answer says so), coordinates
(decimal, degrees with N/S/E/W, "ÜT: lat,lon"), and trailing pronouns,
handles and bios.

Disambiguation: the region or country in the string first, then population.
Countries and regions are tried before towns, and a bare name resolves to a
town only when one candidate clearly dominates; otherwise the answer is
"unresolved (ambiguous)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Entry, Gazetteer, norm

#: Strings people put in a location field that are not places.
_JUNK_WORDS = """
airport, all over, all over the world, anywhere, around, around the world, at home,
atlantis, beach, bed, behind you, chaos, citizen of the world, city, cloud, couch, country,
cyberspace, downtown, dreamland, dreams, earth, elsewhere, everywhere, everywhere and
nowhere, facebook, far away, far far away, forest, global, global citizen, globe, god,
gotham, heart, heaven, hell, here, here and there, hidden, hogwarts, home, house, in my
head, in transit, in your heart, instagram, internet, interwebs, jesus, kitchen, life,
limbo, lost, love, mars, matrix, middle earth, moon, mountains, music, my bed, my home, my
house, my mind, mystery, n a, na, narnia, neverland, nirvana, none, not here, nowhere, null,
ocean, office, on the road, online, outer space, paradise, planet, planet earth, private,
purgatory, road, school, sea, secret, sky, somewhere, space, tba, tbd, the beach, the city,
the cloud, the country, the earth, the internet, the internets, the interwebs, the matrix,
the moon, the mountains, the ocean, the office, the sky, the void, the web, the woods, the
world, there, tiktok, town, travel, traveling, travelling, twitter, universe, unknown,
uptown, ur mom s house, utopia, vibes, void, web, westeros, wherever, wonderland, woods,
work, world, world wide, worldwide, your heart, your mom s house, youtube
"""
JUNK = {w.strip() for w in _JUNK_WORDS.split(",") if w.strip()}

#: Nicknames and abbreviations → a string the gazetteer resolves.
NICKNAMES = {
    "nyc": "New York City, NY",
    "ny ny": "New York City, NY",
    "new york": "New York City, NY",
    "new york ny": "New York City, NY",
    "the big apple": "New York City, NY",
    "big apple": "New York City, NY",
    "manhattan": "New York City, NY",
    "la": "Los Angeles, CA",
    "l a": "Los Angeles, CA",
    "socal": "California",
    "norcal": "California",
    "sf": "San Francisco, CA",
    "san fran": "San Francisco, CA",
    "frisco": "San Francisco, CA",
    "bay area": "San Francisco, CA",
    "sf bay area": "San Francisco, CA",
    "san francisco bay area": "San Francisco, CA",
    "the bay": "San Francisco, CA",
    "silicon valley": "San Jose, CA",
    "dc": "Washington, DC",
    "d c": "Washington, DC",
    "washington dc": "Washington, DC",
    "washington d c": "Washington, DC",
    "philly": "Philadelphia, PA",
    "chi town": "Chicago, IL",
    "chitown": "Chicago, IL",
    "chicagoland": "Chicago, IL",
    "atl": "Atlanta, GA",
    "nola": "New Orleans, LA",
    "vegas": "Las Vegas, NV",
    "motown": "Detroit, MI",
    "motor city": "Detroit, MI",
    "beantown": "Boston, MA",
    "twin cities": "Minneapolis, MN",
    "dfw": "Dallas, TX",
    "htown": "Houston, TX",
    "h town": "Houston, TX",
    "pdx": "Portland, OR",
    "stl": "St. Louis, MO",
    "kc": "Kansas City, MO",
    "bk": "Brooklyn, NY",
    "bklyn": "Brooklyn, NY",
    "hk": "Hong Kong",
    "mtl": "Montreal, QC",
    "the 6ix": "Toronto, ON",
    "the six": "Toronto, ON",
    "t dot": "Toronto, ON",
    "yyc": "Calgary, AB",
    "yvr": "Vancouver, BC",
    "yyz": "Toronto, ON",
    "ldn": "London, UK",
    "london town": "London, UK",
    "brum": "Birmingham, UK",
    "cdmx": "Mexico City, Mexico",
    "df": "Mexico City, Mexico",
    "rio": "Rio de Janeiro, Brazil",
    "sampa": "Sao Paulo, Brazil",
    "bcn": "Barcelona, Spain",
    "nz": "New Zealand",
    "aus": "Australia",
    "oz": "Australia",
    "the netherlands": "Netherlands",
}

# what people call their own country
NICKNAMES.update(
    {
        "espana": "Spain",
        "deutschland": "Germany",
        "italia": "Italy",
        "nederland": "Netherlands",
        "brasil": "Brazil",
        "osterreich": "Austria",
        "schweiz": "Switzerland",
        "suisse": "Switzerland",
        "sverige": "Sweden",
        "norge": "Norway",
        "danmark": "Denmark",
        "suomi": "Finland",
        "polska": "Poland",
        "nippon": "Japan",
        "rossiya": "Russia",
        "eire": "Ireland",
        "cymru": "Wales",
        "hellas": "Greece",
        "magyarorszag": "Hungary",
    }
)

#: Common words that are also the names of some town somewhere: never a bare answer.
JUNK |= {
    "time",
    "life",
    "love",
    "hope",
    "peace",
    "joy",
    "faith",
    "grace",
    "unity",
    "liberty",
    "freedom",
    "harmony",
    "truth",
    "eden",
    "zion",
    "bliss",
    "happy",
    "sunshine",
    "nowhere",
    "anywhere",
    "paradise",
    "heaven",
    "fun",
    "music",
    "art",
    "coffee",
    "wine",
    "beer",
}

_ri = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_emoji = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2190-\u21ff\u2300-\u23ff"
    "\U0001f1e6-\U0001f1ff\u00a9\u00ae\u2122\u3030\u303d]+"
)
_pronouns = re.compile(
    r"\b(?:he|she|they|ze|xe|it)\s*/\s*(?:him|her|them|hers|theirs|zir|xem|"
    r"his|it|they|she|he)(?:\s*/\s*\w+)?\b",
    re.I,
)
_handle = re.compile(r"(?<!\w)@[A-Za-z0-9_.]+(?:@[A-Za-z0-9.-]+)?")
_url = re.compile(r"https?://\S+|www\.\S+", re.I)
_separators = re.compile(
    r"\s*(?:\||•|·|;|/|\\|\s-\s|\s–\s|\s—\s|->|→|⇒|\s&\s|\sand\s|\+|"
    r"\bvia\b|\bby way of\b|\bnow\b|\bformerly\b|\bbut\b)\s*",
    re.I,
)
_prefix = re.compile(
    r"^(?:(?:currently|proudly|happily|now)\s+)?(?:(?:i\s+)?(?:live|living|"
    r"lives|based|located|residing|reside|born and raised|raised|born|work|"
    r"working)\s+(?:in|near|outside(?:\s+of)?|around)|from|in|near|"
    r"outside(?:\s+of)?|around|just outside(?:\s+of)?|somewhere in|greater|"
    r"metro|downtown|central|the|north|south|east|west|northern|southern|"
    r"eastern|western)\s+",
    re.I,
)
_suffix = re.compile(
    r"\s+(?:area|metro(?:\s+area)?|region|metropolitan area|suburbs|"
    r"and beyond|based)$",
    re.I,
)
_num = r"[-+]?\d{1,3}(?:\.\d+)?"
_dms = re.compile(
    r"(\d{1,2}(?:\.\d+)?)\s*°\s*(?:(\d{1,2}(?:\.\d+)?)\s*['′]\s*)?(?:(\d{1,2}(?:\.\d+)?)\s*"
    r"[\"″]\s*)?([NS])[\s,;]+(\d{1,3}(?:\.\d+)?)\s*°\s*(?:(\d{1,2}(?:\.\d+)?)\s*['′]\s*)?"
    r"(?:(\d{1,2}(?:\.\d+)?)\s*[\"″]\s*)?([EW])",
    re.I,
)
_dec = re.compile(
    r"(?<![\d.])([-+]?\d{1,2}\.\d{2,})\s*°?\s*([NS])?\s*[,;\s]\s*"
    r"([-+]?\d{1,3}\.\d{2,})\s*°?\s*([EW])?(?![\d.])",
    re.I,
)


@dataclass
class Resolution:
    """The answer for one location string."""

    query: str
    entry: Entry | None = None
    method: str | None = None
    confidence: float = 0.0
    reason: str | None = None
    point: tuple[float, float] | None = None  # exact coordinates given in the text (degrees)
    notes: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.entry is not None or self.point is not None


def coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` in degrees written in ``text``, if any.

    >>> coordinates("ÜT: 37.7749,-122.4194")
    (37.7749, -122.4194)
    >>> coordinates("37.77° N, 122.42° W")
    (37.77, -122.42)
    """
    m = _dms.search(text)
    if m:
        d1, m1, s1, ns, d2, m2, s2, ew = m.groups()
        lat = float(d1) + float(m1 or 0) / 60 + float(s1 or 0) / 3600
        lon = float(d2) + float(m2 or 0) / 60 + float(s2 or 0) / 3600
        lat, lon = (-lat if ns.upper() == "S" else lat), (-lon if ew.upper() == "W" else lon)
    else:
        m = _dec.search(text)
        if not m:
            return None
        lat, ns, lon, ew = float(m.group(1)), m.group(2), float(m.group(3)), m.group(4)
        if ns and ns.upper() == "S":
            lat = -abs(lat)
        if ew and ew.upper() == "W":
            lon = -abs(lon)
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        return round(lat, 6), round(lon, 6)
    return None


def flag_country(text: str) -> str | None:
    """ISO country code of the first flag emoji in ``text`` (🇮🇪 → ``IE``)."""
    m = _ri.search(text)
    if not m:
        return None
    return "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in m.group(0))


def clean(text: str) -> str:
    """Drop emoji, URLs, handles, pronouns and stray punctuation."""
    t = _url.sub(" ", text)
    t = _handle.sub(" ", t)
    t = _pronouns.sub(" ", t)
    t = _emoji.sub(" ", t)
    t = t.replace("#", " ").replace("\u00a0", " ")
    t = re.sub(r"[()\[\]{}\"“”«»*~_!?]+", " ", t)
    return re.sub(r"\s+", " ", t).strip(" .,:-'")


class Parser:
    """Resolves location strings against a :class:`~mapper.geo.gazetteer.Gazetteer`."""

    def __init__(self, gazetteer: Gazetteer):
        self.gz = gazetteer

    def resolve(self, text: str) -> Resolution:
        """Resolve one free-text location (see the module docstring)."""
        res = Resolution(query=text)
        if not text or not text.strip():
            res.reason = "empty"
            return res
        point = coordinates(text)
        if point:
            res.point, res.method, res.confidence = point, "coordinates", 0.95
            res.entry = self.nearest(*point)
            return res
        flag = flag_country(text)
        segments = [s for s in _separators.split(clean(text)) if s and s.strip(" ,.")]
        for i, seg in enumerate(segments):
            r = self._segment(seg.strip(" ,.-"), flag)
            if r.entry is not None:
                r.query = text
                if i > 0 or len(segments) > 1:
                    r.notes.append(f"several places in the string; took {seg.strip()!r}")
                return r
            if r.reason and r.reason.startswith("ambiguous"):
                res.reason = r.reason
        if flag:
            country = self.gz.country(flag)
            if country:
                res.entry, res.method, res.confidence = country, "flag", 0.7
                return res
        if res.reason is None:
            words = norm(clean(text))
            res.reason = "not a place" if not words or words in JUNK else "no such place"
        res.reason = f"unresolved ({res.reason})"
        return res

    # --- pieces ----------------------------------------------------------------

    def _segment(self, seg: str, flag: str | None, nicknames: bool = True) -> Resolution:
        res = Resolution(query=seg)
        # whole-string nicknames and junk first ("Bay Area", "the 6ix", "the internet"),
        # then again once "Greater …", "… area", "based in …" are stripped
        for attempt in range(4):
            key = norm(seg)
            if not key or key in JUNK:
                res.reason = "not a place"
                return res
            if nicknames and key in NICKNAMES:
                inner = self._segment(NICKNAMES[key], flag, nicknames=False)
                if inner.entry is not None:
                    inner.method = "nickname"
                    inner.confidence = min(inner.confidence, 0.85)
                return inner
            if self.gz.lookup(key):
                break  # a known name as it stands: "New South Wales", "West Virginia"
            stripped = _suffix.sub("", _prefix.sub("", seg)).strip(" ,.")
            if stripped == seg or attempt == 3:
                break
            seg = stripped
        parts = [p.strip() for p in seg.split(",") if norm(p)]
        if len(parts) == 1:
            parts = self._split_unpunctuated(seg)
        if len(parts) >= 2:
            return self._with_context(parts, flag, res, nicknames)
        return self._bare(parts[0], flag, res)

    def _split_unpunctuated(self, seg: str) -> list[str]:
        """ "Boise ID", "Paris France", "Galway Ireland" → [city, qualifier]."""
        if any(e.primary for e in self.gz.lookup(norm(seg))):
            return [seg]  # a name as it stands: "New South Wales", "Twin Falls"
        words = seg.split()
        for n in (3, 2, 1):
            if len(words) > n:
                tail = " ".join(words[-n:])
                if n == 1 and len(tail) == 2 and not tail.isupper():
                    continue  # "la", "in": only upper-case two-letter codes qualify
                if self._contexts(tail):
                    return [" ".join(words[:-n]), tail]
        return [seg]

    def _contexts(self, qualifier: str) -> list[Entry]:
        """Regions and countries a qualifier may mean ("KY", "Georgia", "UK")."""
        key = norm(qualifier)
        if key in NICKNAMES and "," not in NICKNAMES[key]:
            key = norm(NICKNAMES[key])
        out = [e for e in self.gz.lookup(key) if e.kind in ("region", "country") and e.primary]
        if len(key) == 2:
            order = {"US": 0, "CA": 1, "AU": 2}
            out.sort(key=lambda e: (e.kind != "region", order.get(e.country_code, 9)))
        return out

    def _with_context(
        self, parts: list[str], flag: str | None, res: Resolution, nicknames: bool = True
    ) -> Resolution:
        contexts: list[Entry] = []
        for q in reversed(parts[1:]):
            found = self._contexts(q)
            if found:
                contexts = (
                    found
                    if not contexts
                    else [
                        c for c in found if any(c.country_code == o.country_code for o in contexts)
                    ]
                    or contexts
                )
        if flag and not contexts:
            country = self.gz.country(flag)
            contexts = [country] if country else []
        city_key = norm(parts[0])
        countries = {c.country_code for c in contexts if c.kind == "country"}
        for e in self.gz.lookup(city_key):
            if e.kind == "region" and e.primary and e.country_code in countries:
                res.entry, res.method, res.confidence = e, "region+country", 0.85
                return res
        if nicknames and city_key in NICKNAMES:
            nick = self._segment(NICKNAMES[city_key], flag, nicknames=False)
            if nick.entry is not None:
                nick.method, nick.confidence = "nickname", 0.85
                return nick
        if contexts:
            best = None
            for key in _variants(city_key):
                for e in self.gz.lookup(key):
                    if e.kind != "city":
                        continue
                    for c in contexts:
                        if e.country_code == c.country_code and (
                            c.kind == "country" or e.admin1_code == c.admin1_code
                        ):
                            score = (e.primary, e.population)
                            if best is None or score > best[0]:
                                best = (score, e, c)
            if best is not None:
                _, e, c = best
                res.entry = e
                res.method = f"city+{c.kind}"
                res.confidence = 0.9 if e.primary else 0.8
                return res
            # the city is not in the gazetteer (or is junk): fall back to its region/country
            res.entry = contexts[0]
            res.method = f"{contexts[0].kind} (city not found)"
            res.confidence = 0.5
            res.notes.append(f"{parts[0]!r} not found in {contexts[0].name}")
            return res
        # no qualifier resolved: maybe "Wuppertal, Home of the Brave", or written
        # most specific last: "Indonesia, Jawa Barat, Bogor"
        first = self._contexts(parts[0])
        if first and len(parts) >= 2:
            reverse = self._with_context(
                [parts[-1], parts[0]], flag, Resolution(res.query), nicknames
            )
            if reverse.entry is not None and reverse.entry.kind == "city":
                return reverse
        return self._bare(parts[0], flag, res)

    def _bare(self, name: str, flag: str | None, res: Resolution) -> Resolution:
        key = norm(name)
        if key in JUNK:
            res.reason = "not a place"
            return res
        entries = self.gz.lookup(key)
        if len(key) <= 2 and key not in ("uk", "us"):
            # "in", "CA", "DE": a state, a country, or a word
            res.reason = "ambiguous (a two-letter code)"
            return res
        # countries and regions before towns: "UK", "Texas", "Ontario"
        big = [e for e in entries if e.kind in ("country", "region") and e.primary]
        if big:
            res.entry, res.method, res.confidence = big[0], big[0].kind, 0.8
            return res
        cities = [e for e in entries if e.kind == "city"]
        if flag:
            cities = [e for e in cities if e.country_code == flag] or cities
        # an alternate name counts only for a sizeable place: GeoNames lists many
        # alternates of hamlets that are other places' names
        cities = [e for e in cities if e.primary or e.population >= 15_000]
        if not cities:
            res.reason = "no such place"
            return res
        best = cities[0]
        rival = next(
            (
                e
                for e in cities[1:]
                if e.country_code != best.country_code or e.admin1_code != best.admin1_code
            ),
            None,
        )
        if len(key) < 4 and best.population < 1_000_000:
            res.reason = "ambiguous (too short to be sure)"
        elif rival is not None and rival.population * (2 if best.population >= 1_000_000 else 5) > (
            best.population
        ):
            res.reason = (
                f"ambiguous ({best.name}, {best.country_code} or {rival.name}, "
                f"{rival.country_code})"
            )
        elif best.population < 15_000 and (rival is not None or len(key) < 6):
            res.reason = "ambiguous (a small place with a common name)"
        else:
            res.entry, res.method = best, "city"
            res.confidence = 0.75 if best.population >= 100_000 else 0.55
        return res

    def nearest(self, lat: float, lon: float, max_km: float = 25.0) -> Entry | None:
        """The most populous place within ``max_km`` km of a point (degrees), else the nearest."""
        from .tiers import haversine_km

        d = max_km / 111.0
        rows = self.gz.db.execute(
            "SELECT id, name, kind, cc, a1code, a1name, lat, lon, pop, 1 FROM places WHERE "
            "kind = 'city' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            (lat - d, lat + d, lon - 2 * d, lon + 2 * d),
        ).fetchall()
        near = [(Entry(*r[:9], primary=True), haversine_km(lat, lon, r[6], r[7])) for r in rows]
        near = [(e, km) for e, km in near if km <= max_km]
        if not near:
            return None
        close = [(e, km) for e, km in near if km <= 5]
        pool = close or near
        return max(pool, key=lambda ek: (ek[0].population, -ek[1]))[0]


def _variants(key: str) -> list[str]:
    """ "st louis" ↔ "saint louis", "ft worth" ↔ "fort worth", "mt vernon" ↔ "mount vernon"."""
    out = [key]
    for short, full in (("st", "saint"), ("ft", "fort"), ("mt", "mount"), ("pt", "port")):
        if key.startswith(short + " "):
            out.append(full + key[len(short) :])
        elif key.startswith(full + " "):
            out.append(short + key[len(full) :])
    return out
