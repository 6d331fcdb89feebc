"""Evidence combined, ambiguity shown, `mapper people` located (invented fixtures)."""

import csv
import io

import pytest

from mapper import Study, analyze
from mapper.cli import main
from mapper.errors import InputError
from mapper.geo.locate import combine, contains, precision
from mapper.model import Person, Place
from tests.conftest import EXAMPLE

THREAD = EXAMPLE / "thread.txt"


def _locations(tmp_path, rows):
    path = tmp_path / "locations.csv"
    # matched by id when it has a colon, else by name
    path.write_text(
        "id,name,location\n"
        + "".join(
            f'{who if ":" in who else ""},{"" if ":" in who else who},"{loc}"\n'
            for who, loc in rows
        )
    )
    return path


def _people(tmp_path, rows):
    res = analyze([THREAD], locations=_locations(tmp_path, rows))
    return res, {p.name: p for p in res.conversation.people.values()}


# --- 3. evidence is combined, not overwritten -------------------------------------


def test_a_country_that_holds_the_village_keeps_the_village_size(tmp_path):
    # Ingrid's own words: "a village of 400 people in Norway"; the user writes "Norway"
    _, people = _people(tmp_path, [("Ingrid Solberg", "Norway")])
    ingrid = people["Ingrid Solberg"]
    assert (ingrid.place.country_code, ingrid.place.tier) == ("NO", "small_town")
    assert ingrid.place.population is None  # Norway's population is not her village's
    kinds = [e["kind"] for e in ingrid.evidence]
    assert "size" in kinds and "override" in kinds and "override coarser" in kinds


def test_a_region_that_holds_the_town_keeps_the_town(tmp_path):
    # Tomas: "I live in Eastport, Maine"; the user writes "Maine"
    _, people = _people(tmp_path, [("Tomas Reyes", "Maine")])
    tomas = people["Tomas Reyes"]
    assert (tomas.place.name, tomas.place.tier, tomas.place.source) == (
        "Eastport",
        "small_town",
        "text",
    )
    assert any(e["kind"] == "override coarser" for e in tomas.evidence)


def test_a_contradicting_or_as_precise_user_place_wins(tmp_path):
    _, people = _people(
        tmp_path,
        [("Tomas Reyes", "Texas"), ("Ingrid Solberg", "Bergen, Norway")],
    )
    tomas, ingrid = people["Tomas Reyes"], people["Ingrid Solberg"]
    assert (tomas.place.name, tomas.place.source, tomas.place.tier) == ("Texas", "user", "unknown")
    assert any(e["kind"] == "override contradicts" for e in tomas.evidence)
    assert (ingrid.place.name, ingrid.place.source) == ("Bergen", "user")


def test_precision_and_containment_rules():
    town = Place("Eastport", 44.9, -67.0, "US", "Maine", 1266, "small_town", "city", "text")
    maine = Place("Maine", 45.0, -69.0, "US", "Maine", 1_300_000, "unknown", "region", "user")
    us = Place("United States", 39.0, -98.0, "US", None, 330_000_000, "unknown", "country")
    fr = Place("France", 46.0, 2.0, "FR", None, None, "small_town", "country", "text")
    assert precision(town) > precision(maine) > precision(fr) > precision(us)
    assert contains(maine, town) and contains(us, town) and not contains(us, fr)
    p = Person("x", "X")
    assert combine(town, us, p) is town
    assert combine(fr, us, p) is us  # a country that contradicts wins
    assert combine(None, maine, p) is maine


def test_seed_small_town_commenter_keeps_small_town_when_user_writes_france(seed, tmp_path):
    locs = _locations(tmp_path, [("twitter:beerbergman", "France")])
    beer = analyze([seed], locations=locs).conversation.people["twitter:beerbergman"]
    assert (beer.place.country_code, beer.place.tier, beer.place.source) == (
        "FR",
        "small_town",
        "text",
    )
    assert {"size", "override", "override coarser"} <= {e["kind"] for e in beer.evidence}


# --- 4. ambiguity is shown, never silent --------------------------------------------


def test_ambiguous_user_location_named_on_stderr_and_in_problems(tmp_path, capsys):
    out = tmp_path / "report.json"
    locs = _locations(tmp_path, [("Samuel Okafor", "Bloomington")])
    assert main(["report", str(THREAD), "--locations", str(locs), "-o", str(out)]) == 0
    stderr = capsys.readouterr().err
    import json

    problems = json.loads(out.read_text())["problems"]
    what = [p["what"] for p in problems if p["input"] == "--locations"]
    assert len(what) == 1
    for needle in ("ambiguous", "Bloomington, Indiana (US)", "Bloomington, Illinois (US)"):
        assert needle in what[0]
        assert needle in stderr
    assert what[0].endswith("add the state)")


def test_set_location_says_ambiguous_with_the_candidates():
    s = Study(THREAD, locations=EXAMPLE / "locations.csv")
    with pytest.raises(InputError, match="ambiguous") as e:
        s.set_location("Samuel Okafor", "Bloomington")
    assert "Bloomington, Minnesota (US)" in str(e.value) and "add the state" in str(e.value)
    with pytest.raises(InputError, match="not a place"):
        s.set_location("Samuel Okafor", "Atlantis under the sea")
    s.set_location("Samuel Okafor", "Bloomington, Indiana")
    sam = next(p for p in s.conversation.people.values() if p.name == "Samuel Okafor")
    assert sam.place.admin1 == "Indiana"


def test_set_location_keeps_the_finer_place_for_a_coarser_consistent_one():
    s = Study(THREAD)
    s.set_location("Ingrid Solberg", "Norway")
    ingrid = next(p for p in s.conversation.people.values() if p.name == "Ingrid Solberg")
    assert (ingrid.place.tier, ingrid.place.source) == ("small_town", "text")


def test_candidates_carry_region_and_country():
    from mapper.geo.locate import Locator

    rec = Locator().geocode_record("Cambridge")
    assert "Cambridge, England (GB)" in rec["reason"]
    assert "Cambridge, Massachusetts (US)" in rec["reason"]
    assert "add the country" in rec["reason"]


# --- 5. mapper people fills place, tier and source ------------------------------------


def _csv(path):
    return {r["name"]: r for r in csv.DictReader(io.StringIO(path.read_text()))}


def test_people_locates_by_default(tmp_path):
    out = tmp_path / "people.csv"
    assert main(["-q", "people", str(THREAD), "-o", str(out)]) == 0
    rows = _csv(out)
    tomas = rows["Tomas Reyes"]  # his own words
    assert (tomas["place"], tomas["tier"], tomas["place_source"]) == (
        "Eastport",
        "small_town",
        "text",
    )
    priya = rows["Priya Natarajan"]  # her site's city subdomain
    assert (priya["place"], priya["tier"], priya["place_source"]) == (
        "Chicago",
        "metropolis",
        "subdomain",
    )
    assert rows["Samuel Okafor"]["place"] == ""  # nothing to go on: left for the user
    assert tomas["location"] == ""  # the column the user fills is still theirs


def test_people_no_locate_leaves_the_columns_empty(tmp_path):
    out = tmp_path / "people.csv"
    assert main(["-q", "people", str(THREAD), "--no-locate", "-o", str(out)]) == 0
    assert all(r["place"] == r["tier"] == "" for r in _csv(out).values())
    assert (
        main(["-q", "people", str(THREAD), "--no-locate", "--locations", str(out), "-o", "-"]) == 2
    )
