"""Metro-aware size: the population of the urban area a place belongs to decides its tier."""

import numpy as np
import pytest

from mapper import settings
from mapper.geo.metro import catchment_km, urban_areas
from mapper.geo.tiers import by_population, tier

KM = 1 / 111.2  # degrees of latitude per km


def test_satellites_join_the_core_and_make_a_metropolis():
    # an invented core of 700,000 with three suburbs of 150,000 within 12 km,
    # and a village 200 km away
    lat = np.array([10.0, 10.0 + 8 * KM, 10.0 - 12 * KM, 10.0 + 5 * KM, 12.0])
    lon = np.array([20.0, 20.0, 20.0, 20.0 + 9 * KM, 20.0])
    pop = np.array([700_000, 150_000, 150_000, 150_000, 800])
    areas = urban_areas(lat, lon, pop)
    assert areas.population[:4].tolist() == [1_150_000] * 4
    assert areas.core[:4].tolist() == [0, 0, 0, 0]
    assert by_population(int(areas.population[1])) == "metropolis"
    # the far village keeps its own population and is its own core
    assert areas.population[4] == 800 and areas.core[4] == 4


def test_sections_are_not_counted_twice():
    # a city of 2,000,000 and a "borough" of 500,000 listed at 3 km from its point
    # (inside its own footprint: sqrt(2e6 / (pi * 8000)) = 8.9 km)
    lat = np.array([0.0, 3 * KM, 30 * KM])
    lon = np.array([0.0, 0.0, 0.0])
    pop = np.array([2_000_000, 500_000, 40_000])
    areas = urban_areas(lat, lon, pop)
    assert areas.section_of.tolist() == [-1, 0, -1]
    # the borough adds nothing; the town 30 km out (inside R = 30 km × 2^0.5 = 42 km) does
    assert areas.population.tolist() == [2_040_000] * 3


def test_catchment_grows_with_population_and_is_capped():
    r = catchment_km(np.array([10_000, 100_000, 1_000_000, 50_000_000]))
    assert r[0] < r[1] < r[2] <= r[3] == settings.metro_radius_max_km
    assert r[2] == pytest.approx(settings.metro_radius_km_at_1m)


def test_tier_rule():
    assert tier("city", 80_000, 4_000_000) == "metropolis"
    assert tier("city", 80_000, 90_000) == "town"
    assert tier("city", 700, None) == "small_town"
    assert tier("region", 7_000_000, None) == "unknown"  # never guessed
    assert tier("city", 0, 5_000_000) == "unknown"  # no population in the data


@pytest.mark.parametrize(
    ("text", "metro"),
    [
        ("Somerville, MA", "Boston"),
        ("Cambridge, MA", "Boston"),
        ("Stockport", "Manchester"),
        ("Berkeley, CA", "San Francisco"),
        ("Salford", "Manchester"),
        ("Boulogne-Billancourt", "Paris"),
    ],
)
def test_suburbs_of_big_cities_are_metropolis(text, metro):
    from mapper.geo.locate import Locator

    rec = Locator().geocode_record(text)
    assert rec["tier"] == "metropolis", rec
    assert rec["metro"] == metro
    assert rec["metro_population"] >= 1_000_000 > rec["population"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boston, MA", "metropolis"),
        ("Detroit, MI", "metropolis"),
        ("Charlotte, NC", "metropolis"),
        ("Atlanta, GA", "metropolis"),
        ("Miami, FL", "metropolis"),
        ("Washington, DC", "metropolis"),
        ("Hardwick, Vermont", "small_town"),
        ("Eastport, Maine", "small_town"),
        ("Bozeman, MT", "town"),
        ("Galway", "town"),
    ],
)
def test_tiers_of_known_places(text, expected):
    from mapper.geo.locate import Locator

    assert Locator().geocode_record(text)["tier"] == expected


def test_place_carries_both_populations_into_report_and_people_csv(tmp_path):
    import csv
    import io

    from mapper.cli import main

    thread = tmp_path / "people.csv"
    thread.write_text('id,name,location\nsam,Sam,"Somerville, MA"\nvi,Vi,"Hardwick, VT"\n')
    out = tmp_path / "out.csv"
    assert main(["-q", "people", str(thread), "--locate", "-o", str(out)]) == 0
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    sam, vi = rows["Sam"], rows["Vi"]
    assert sam["place"] == "Somerville" and sam["tier"] == "metropolis"
    assert int(sam["population"]) < 1_000_000 <= int(sam["metro_population"])
    assert sam["metro"] == "Boston"
    assert vi["tier"] == "small_town" and vi["metro_population"] == vi["population"]


def test_geography_places_carry_the_metro():
    from mapper import analyze
    from tests.conftest import EXAMPLE

    res = analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")
    chicago = next(p for p in res.report["geography"]["places"] if p["name"] == "Chicago")
    assert chicago["metro"] == "Chicago" and chicago["metro_population"] >= 1_000_000
    assert chicago["tier"] == "metropolis"
