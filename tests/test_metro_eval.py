"""The metro rule against published metro populations (tests/data/metro-eval/).

The parameters were tuned on metros-dev.tsv only; metros-holdout.tsv is the honest
score.  Measured when the rule was written: holdout tier agreement 92.2 % (83/90),
median ratio of our metro population to the published one 0.99; the municipality's
own population (no metro) agrees on 56.7 %.

The floor, 85 %, leaves room for about six more disagreements out of 90 — the number
of rows the list's README marks as borderline (within 15 % of a tier boundary) —
and stays far above the municipality-only baseline, so a change that broke the metro
step (or the section rule that stops double counting) fails here.
"""

import pytest

from benchmarks.metro_eval import FILES, HERE, evaluate, load, scores
from mapper.geo.gazetteer import get

HOLDOUT_TIER_FLOOR = 0.85
#: the median ratio must stay within this factor of the published populations
RATIO_BAND = (0.67, 1.5)


@pytest.fixture(scope="module")
def holdout():
    return evaluate(get(), load(HERE / FILES[1]))


def test_holdout_tier_agreement_above_floor(holdout):
    s = scores(holdout)
    assert s["n"] >= 90
    assert s["tier_agreement"] >= HOLDOUT_TIER_FLOOR, s


def test_holdout_metro_population_close_to_published(holdout):
    s = scores(holdout)
    assert RATIO_BAND[0] <= s["median_ratio"] <= RATIO_BAND[1], s


def test_metro_rule_beats_the_municipality_alone(holdout):
    base = evaluate(get(), load(HERE / FILES[1]), metro_of=lambda pid: None)
    assert scores(holdout)["tier_agreement"] >= scores(base)["tier_agreement"] + 0.2


def test_every_big_metro_in_the_holdout_is_a_metropolis(holdout):
    # the headline's failure before this rule: big-metro cores and suburbs counted
    # as "outside big cities"
    big = [o for o in holdout if o.row["expected_tier"] == "metropolis"]
    wrong = [o.row["place"] for o in big if o.tier != "metropolis"]
    assert len(big) >= 40 and not wrong
