"""One base for every share: panel, legend, report.json, summary and chart agree."""

import re

from mapper import analyze
from mapper.geography import BASE_NAME, KNOWN_SIZE, headline_percents, percents
from mapper.render import html_of
from mapper.report import summary
from tests.conftest import EXAMPLE


def _result():
    return analyze([EXAMPLE / "thread.txt"], locations=EXAMPLE / "locations.csv")


def test_report_shares_are_on_the_named_base():
    geo = _result().report["geography"]
    base, by = geo["base"], geo["by_tier"]
    assert base["name"] == BASE_NAME == geo["outside_big_cities"]["base"]
    assert base["participants"] == sum(by[t]["participants"] for t in KNOWN_SIZE)
    assert base["unlocated"] == by["unlocated"]["participants"] == 1  # Samuel Okafor
    assert base["unknown_size"] == by["unknown"]["participants"] == 1  # "Wisconsin"
    assert base["of_participants"] == base["participants"] + 2
    for key in ("participant_share", "influence_share"):
        assert abs(sum(by[t][key] for t in KNOWN_SIZE) - 1) < 1e-5
        assert by["unlocated"][key] is None and by["unknown"][key] is None
    out = geo["outside_big_cities"]
    assert out["participants"] == base["participants"]
    assert abs(out["participant_share"] - (1 - by["metropolis"]["participant_share"])) < 1e-5
    assert abs(out["influence_share"] - (1 - by["metropolis"]["influence_share"])) < 1e-5
    # what the people outside the base hold is said, as a share of all influence
    left = by["unlocated"]["influence_share_of_all"] + by["unknown"]["influence_share_of_all"]
    assert abs(left + base["influence_share_of_all"] - 1) < 1e-5


def test_panel_legend_and_summary_state_the_same_numbers():
    res = _result()
    geo = res.report["geography"]
    shown = headline_percents(geo)
    page = html_of(
        res.map(
            tiles="none",
        )
    )
    page = page.replace("\\n", " ").replace('\\"', '"')  # the panel sits in a JS string
    text = re.sub(r"<[^>]+>", " ", page)
    text = re.sub(r"\s+", " ", text)
    ppl, inf = shown["outside"]
    n = geo["base"]["participants"]
    assert f"Outside big cities: {ppl}% of the {n} {BASE_NAME} hold {inf}% of their influence" in (
        text
    )
    assert "Not in these shares: 1 not located, 1 of unknown size" in text
    # the legend: one line per known-size tier, percentages that add up to 100
    legend = re.findall(r"(\d+) · (\d+)% of them · (\d+)% of their influence", text)
    assert len(legend) == 4
    assert sum(int(p) for _, p, _ in legend) == 100 == sum(int(i) for _, _, i in legend)
    assert [int(c) for c, _, _ in legend] == [geo["by_tier"][t]["participants"] for t in KNOWN_SIZE]
    # the headline is the legend's complement of the metropolis line
    assert (100 - int(legend[0][1]), 100 - int(legend[0][2])) == (ppl, inf)
    # the printed summary says the same
    assert f"Outside big cities: {ppl}% of the {n} {BASE_NAME} hold {inf}% of their" in summary(
        res.report
    )


def test_percentages_add_up_even_when_rounding_would_not():
    assert sum(percents([1 / 3, 1 / 3, 1 / 3])) == 100
    assert sum(percents([0.005, 0.005, 0.99])) == 100
    assert percents([0.0, 0.0, 0.0, 1.0]) == [0, 0, 0, 100]


def test_study_card_says_the_same():
    from mapper import Study

    card = Study(EXAMPLE / "thread.txt", locations=EXAMPLE / "locations.csv")._repr_html_()
    geo = _result().report["geography"]
    ppl, inf = headline_percents(geo)["outside"]
    assert card.count("Outside big cities") == 1
    assert f"{ppl}% of the {geo['base']['participants']} {BASE_NAME} hold {inf}%" in card
