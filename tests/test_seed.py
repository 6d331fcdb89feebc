"""The seed thread: each person once, the right edges, the author on top, spam out."""

import csv
import io
import json
from pathlib import Path

import pytest

from mapper import analyze
from mapper.cli import main


@pytest.fixture
def result(seed):
    return analyze([seed])


def test_each_person_once_and_duplicates_merged(result):
    people = result.conversation.people
    names = [p.name for p in people.values()]
    assert len(names) == len(set(names))
    michael = people["url:simplycast.com"]
    assert len(michael.merged_from) == 2  # saved twice, URL differs by a trailing slash
    ethan = people["url:emergingwebmemo.com"]
    assert len(ethan.merged_from) == 3
    # Ethan's three copies of one comment count once
    edges = [e for e in result.report["edges"] if e["source"] == "url:emergingwebmemo.com"]
    assert edges == [
        {
            "source": "url:emergingwebmemo.com",
            "target": "twitter:jaybaer",
            "kind": "comment",
            "weight": 1,
        }
    ]


def test_one_person_across_comment_pingback_and_tweet(result):
    people = result.conversation.people
    olammi = people["twitter:olammi"]  # pingback "olammi (Outi)" + tweet from twitter.com/olammi
    assert olammi.handles == {"twitter": "olammi", "pingback": "olammi"}
    assert "pingback:olammi" not in people
    jay = people["twitter:jaybaer"]  # the reply signed "jaybaer" with his blog URL
    assert "http://www.convinceandconvert.com" in jay.urls
    assert any("display name 'jaybaer' is a handle" in e["value"] for e in jay.evidence)
    stuart = [p for p in people.values() if p.name == "Stuart Foster"]
    assert len(stuart) == 1 and stuart[0].handles.get("pingback") == "Stuartcfoster"


def _edges(result, kind):
    return {(e["source"], e["target"]) for e in result.report["edges"] if e["kind"] == kind}


def test_edges_point_the_right_way(result):
    assert ("twitter:jeffreyromano", "twitter:alexgrech") in _edges(result, "retweet")
    assert ("twitter:ajbruce", "twitter:olammi") in _edges(result, "retweet")
    assert ("twitter:davechalmers1", "twitter:socialmedia411") in _edges(result, "retweet")
    assert ("twitter:frank_souders", "twitter:chrisaahrens") in _edges(result, "via")
    assert ("twitter:davechalmers1", "twitter:jaybaer") in _edges(result, "mention")
    assert ("twitter:jaybaer", "url:tommartin.typepad.com") in _edges(result, "reply")
    assert ("pingback:raytquest", "twitter:jaybaer") in _edges(result, "pingback")
    assert ("twitter:mmidas", "twitter:jaybaer") in _edges(result, "share")
    # "By @jaybaer" in a share is the same act as the share: not also a mention
    assert ("twitter:mmidas", "twitter:jaybaer") not in _edges(result, "mention")
    # "RT @olammi" is a retweet, not also a mention
    assert ("twitter:ajbruce", "twitter:olammi") not in _edges(result, "mention")


def test_author_inferred_with_evidence_and_most_influential(result):
    post = result.report["posts"][0]
    assert post["title"] == "Closing the Gap with Social Media"
    assert post["author"] == "twitter:jaybaer"
    kinds = {e["kind"] for e in post["author_evidence"]}
    assert kinds == {"credit", "reply"}
    top = max(result.scores, key=lambda n: result.scores[n]["pagerank"])
    assert top == "twitter:jaybaer"


def test_spam_flagged_without_influence(result):
    spam = [p for p in result.report["people"] if p["spam"]]
    assert [p["name"] for p in spam] == ["letstalkandchat"]
    assert spam[0]["influence"]["pagerank"] == 0.0
    assert "name:letstalkandchat" not in result.graph
    assert any(e["kind"] == "spam" and "mikelmurphy.com" in e["value"] for e in spam[0]["evidence"])
    assert result.report["spam"] == 1


def test_keep_spam_puts_it_back(seed):
    res = analyze([seed], keep_spam=True)
    assert "name:letstalkandchat" in res.graph


def test_people_csv_lists_everyone_once(seed, tmp_path, capsys):
    out = tmp_path / "people.csv"
    assert main(["-q", "people", str(seed), "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 41
    assert rows[0]["id"] == "twitter:jaybaer" and rows[0]["location"] == ""


def test_report_json_shape(seed, tmp_path):
    out = tmp_path / "report.json"
    assert main(["-q", "report", str(seed), "-o", str(out)]) == 0
    r = json.loads(out.read_text())
    for key in (
        "mapper_version",
        "inputs",
        "participants",
        "interactions",
        "located",
        "spam",
        "people",
        "edges",
        "geography",
        "problems",
    ):
        assert key in r
    assert r["participants"] == 40 and r["located"] == 0
    assert set(r["geography"]["by_tier"]) == {
        "metropolis",
        "city",
        "town",
        "small_town",
        "unknown",
        "unlocated",
    }


def test_seed_with_the_readme_locations_says_what_a_reader_expects(seed, tmp_path):
    """README's seed example: big-metro commenters are big city, the small-town
    commenter is small town, and the map's panel adds up on one stated base."""
    import re

    from mapper.geography import BASE_NAME, KNOWN_SIZE, headline_percents

    locs = Path(__file__).resolve().parent.parent / "data" / "seed" / "locations.csv"
    out, rep = tmp_path / "seed.html", tmp_path / "seed.json"
    args = ["map", str(seed), "--locations", str(locs), "-o", str(out), "--report", str(rep)]
    assert main(["-q", *args, "--tiles", "none"]) == 0
    r = json.loads(rep.read_text())
    tier = {p["id"]: (p["place"] or {}).get("tier") for p in r["people"]}
    for pid in (
        "pingback:stuartcfoster",  # Boston
        "url:emergingwebmemo.com",  # Somerville, MA: the Boston metro
        "url:marsdenassociates.com",  # Berkeley: the San Francisco metro
        "twitter:davechalmers1",  # Stockport: the Manchester metro
        "url:detroit.fwix.com",  # Detroit, from the site's subdomain
        "twitter:olammi",  # Helsinki
    ):
        assert tier[pid] == "metropolis", pid
    assert tier["twitter:beerbergman"] == "small_town"  # "a place of 500 people" + "France"
    assert tier["twitter:jaybaer"] == "town"  # Bloomington, IN: "a smallish town"
    assert tier["twitter:alexgrech"] == "unknown"  # only a country
    # the ambiguous row is named, with its candidates, not dropped silently
    assert any("ambiguous" in p["what"] and "add the state" in p["what"] for p in r["problems"])
    geo = r["geography"]
    base = geo["base"]
    assert base["participants"] + base["unknown_size"] + base["unlocated"] == r["participants"]
    assert base["participants"] == sum(geo["by_tier"][t]["participants"] for t in KNOWN_SIZE)
    ppl, inf = headline_percents(geo)["outside"]
    page = out.read_text().replace("\\n", " ").replace('\\"', '"')
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"{ppl}% of the {base['participants']} {BASE_NAME} hold {inf}% of their" in text
    assert f"{base['unlocated']} not located, {base['unknown_size']} of unknown size" in text
