"""`mapper report` on every real JSON file in ../shared/data/ against reference counts
computed from the raw JSON by tests/reference_counts.py (standard library only, not
mapper's readers).  The script first reproduces the figures ../shared/data/README.md
states, so it counts what the README counts; then mapper's participants and
interactions by kind must equal what the documented rules give on the raw JSON."""

import json
from collections import Counter

import pytest

from mapper.cli import main
from tests import reference_counts as rc

# ../shared/data/README.md, "Reference counts for the files added above"
README = {
    "twitter_v1/t-search.json": {
        "tweets": 99,
        "retweets": 60,
        "replies": 10,
        "quotes": 0,
        "mentions": 90,
        "participants": 158,
    },
    "twitter_v1/t-favorites.json": {
        "tweets": 20,
        "retweets": 0,
        "replies": 0,
        "quotes": 0,
        "mentions": 0,
        "participants": 19,
    },
    "twitter_v1/twitter-stream-tweets.txt": {
        "tweets": 4,
        "retweets": 0,
        "replies": 0,
        "quotes": 0,
        "mentions": 0,
        "participants": 4,
    },
    "twitter_v1/gnip_api-search_activities_response.json": {
        "tweets": 10,
        "retweets": 0,
        "replies": 0,
        "quotes": 1,
        "mentions": 4,
        "participants": 9,
    },
    "twitter_v1/tweet-updates-replies.json": {
        "tweets": 1,
        "retweets": 0,
        "replies": 1,
        "quotes": 0,
        "mentions": 26,
        "participants": 1,
    },
    "twitter_v1/tweet-updates-quoted_w_replies+attachment.json": {
        "tweets": 1,
        "retweets": 0,
        "replies": 0,
        "quotes": 1,
        "mentions": 0,
        "participants": 1,
    },
    "twitter_v2/twarc-csv-withheld.jsonl": {
        "pages": 5,
        "tweets": 215,
        "retweeted": 83,
        "replied_to": 62,
        "quoted": 8,
        "mentions": 212,
        "includes_tweets": 70,
        "errors": 5,
        "participants": 147,
    },
    "twitter_v2/twarc-csv-entities_test.jsonl": {
        "pages": 1,
        "tweets": 474,
        "retweeted": 314,
        "replied_to": 84,
        "quoted": 12,
        "mentions": 490,
        "includes_tweets": 197,
        "errors": 11,
        "participants": 577,
    },
    "twitter_v2/twarc-csv-quoted_edit.jsonl": {
        "pages": 1,
        "tweets": 1,
        "quoted": 1,
        "replied_to": 1,
        "mentions": 1,
        "includes_tweets": 3,
        "participants": 2,
    },
    "mastodon/rtoot-mastodonsocial.json": {
        "statuses": 48,
        "posts": 43,
        "replies": 5,
        "reblogs": 0,
        "quotes": 0,
        "mentions": 2,
        "participants": 44,
    },
    "mastodon/rtoot-malformed.json": {
        "statuses": 49,
        "posts": 41,
        "replies": 8,
        "reblogs": 0,
        "quotes": 0,
        "mentions": 4,
        "participants": 48,
    },
    "bluesky/atproto.dart-getPostThread.json": {
        "posts": 58,
        "blockedPost": 1,
        "mention_facets": 0,
        "participants": 31,
    },
    "bluesky/atproto.dart-find_post_thread.json": {
        "posts": 4,
        "notFoundPost": 2,
        "blockedPost": 2,
        "mention_facets": 0,
        "participants": 4,
    },
    "bluesky/atproto.dart-find_profiles.json": {"profiles": 2},
}

RULES = {
    "twitter_v1": rc.v1_rules,
    "twitter_v2": rc.v2_rules,
    "mastodon": rc.mastodon_rules,
    "bluesky": rc.bluesky_rules,
}
FILES = [
    *README,
    "twitter_v1/python-twitter-get_home_timeline.json",
    "twitter_v1/python-twitter-get_mentions.json",
    "twitter_v1/python-twitter-get_retweets.json",
    "twitter_v1/python-twitter-streaming-lines.jsonl",
    "twitter_v1/twitter-ruby-statuses.json",
    "twitter_v2/twarc-csv-noflat.jsonl",
    "twitter_v2/twarc-csv-geo_tweets.jsonl",
    "twitter_v2/twarc-csv-streaming_output_with_error.jsonl",
    "mastodon/mastodon4j-context.json",
    "mastodon/mastodon4j-public_timeline.json",
    "bluesky/thread_view_post_with_embed_media.json",
    "bluesky/get_follows.json",
]


@pytest.mark.parametrize("name", sorted(README))
def test_script_reproduces_the_readme(shared, name):
    counted = {
        "twitter_v1": rc.v1_readme,
        "twitter_v2": rc.v2_readme,
        "mastodon": rc.mastodon_readme,
        "bluesky": rc.bluesky_readme,
    }[name.split("/")[0]]
    got = counted(shared / "data" / name)
    assert {k: got.get(k, 0) for k in README[name]} == README[name]


@pytest.mark.parametrize("name", sorted(FILES))
def test_mapper_report_matches_the_rules(shared, tmp_path, name):
    path = shared / "data" / name
    expected = RULES[name.split("/")[0]](path)
    out = tmp_path / "report.json"
    assert main(["-q", "report", str(path), "-o", str(out)]) == 0
    report = json.loads(out.read_text())
    kinds: Counter = Counter()
    for e in report["edges"]:
        kinds[e["kind"]] += e["weight"]
    assert report["participants"] == len(expected.people)
    assert dict(kinds) == dict(expected.kinds)
    if name.startswith("twitter"):
        # every tweet's author is a participant (by handle)
        assert {p["id"].split(":", 1)[1] for p in report["people"]} >= expected.authors - {
            a for a in expected.authors if a.startswith("id:")
        }


def test_every_real_file_is_checked_somewhere(shared):
    # a file added to ../shared/data/ without a test naming it would go unchecked
    from pathlib import Path

    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("*.py"))
    files = [p for p in (shared / "data").rglob("*") if p.is_file() and p.name != "README.md"]
    assert files
    assert [p.name for p in files if p.name not in tests] == []
