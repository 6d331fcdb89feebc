"""The JSON platform readers on small files the project wrote itself (invented people
and text, the real structures): every layout a user has, the counting rules, profile
lists, and damaged or oddly shaped records (per-record isolation)."""

import json

import pytest

from mapper import merge, read
from mapper.cli import main
from mapper.model import Conversation
from mapper.sources import InputError, detect, jsonrecords, mastodon, twitter_v1, twitter_v2
from tests.conftest import DATA

V1 = DATA / "platforms" / "twitter_v1"
V2 = DATA / "platforms" / "twitter_v2"


def edges(conv) -> set[tuple[str, str, str, int]]:
    return {(s, t, k, n) for s, t, k, _w, n in conv.edges()}


# Ada's tweet mentions Ben; Cal retweets it; Dee replies to Ada; Eli quotes Dee's reply
# and mentions Cal.  The retweeter gets one retweet edge, Ada keeps her mention of Ben.
SEARCH = {
    ("twitter:cal_ito", "twitter:ada_moss", "retweet", 1),
    ("twitter:ada_moss", "twitter:benfarrow", "mention", 1),
    ("twitter:dee_okoro", "twitter:ada_moss", "reply", 1),
    ("twitter:eli_park", "twitter:dee_okoro", "quote", 1),
    ("twitter:eli_park", "twitter:cal_ito", "mention", 1),
}


@pytest.mark.parametrize(
    "name",
    [
        "search-oneline.json",  # json.dump's one line, search_metadata first
        "search-statuses-first.json",  # pretty-printed, statuses first
        "search-pages.jsonl",  # one search page per line
        "premium-results.json",  # premium/enterprise {"results": [...]}
    ],
)
def test_v1_every_layout_same_people_and_edges(name):
    path = V1 / name
    assert detect(path) is twitter_v1
    conv = merge(read(path))
    assert edges(conv) == SEARCH
    assert len(conv.people) == 5 and not conv.problems
    # nobody without a tie: every participant is on an edge
    on_edges = {x for s, t, *_ in edges(conv) for x in (s, t)}
    assert set(conv.people) == on_edges
    assert conv.people["twitter:ada_moss"].location_text == "Hardwick, Vermont"


@pytest.mark.parametrize("name", ["gnip-activities.json", "gnip-activities.jsonl"])
def test_gnip_activity_streams(name):
    conv = merge(read(V1 / name))
    assert edges(conv) == {
        ("twitter:cal_ito", "twitter:ada_moss", "retweet", 1),  # verb share
        ("twitter:ada_moss", "twitter:benfarrow", "mention", 1),  # the shared original's
        ("twitter:dee_okoro", "twitter:ada_moss", "reply", 1),  # inReplyTo link
        ("twitter:benfarrow", "twitter:dee_okoro", "quote", 1),  # twitter_quoted_status
        ("twitter:benfarrow", "twitter:cal_ito", "mention", 1),  # long_object entities
    }
    dee = conv.people["twitter:dee_okoro"]
    # Gnip writes geo as [lat, lon]: Enugu, not a point in the Gulf of Guinea
    assert {"kind": "coordinates", "value": (6.4584, 7.5464)} in [
        {k: e[k] for k in ("kind", "value")} for e in dee.evidence
    ]
    assert conv.people["twitter:benfarrow"].location_text == "Tromsø, Norway"


def test_extended_tweet_wins_over_truncated_fields():
    conv = merge(read(V1 / "stream-extended.jsonl"))
    assert edges(conv) == {
        ("twitter:benfarrow", "twitter:dee_okoro", "mention", 1),
        ("twitter:benfarrow", "twitter:eli_park", "mention", 1),
    }
    assert not conv.problems  # delete and limit notices are stream control, not damage


def test_2009_tweets_without_id_str_or_entities():
    path = V1 / "stream-2009.txt"
    assert detect(path) is twitter_v1
    conv = merge(read(path))
    assert edges(conv) == {
        ("twitter:ada_moss", "twitter:benfarrow", "mention", 1),  # only in the text
        ("twitter:cal_ito", "twitter:ada_moss", "retweet", 1),  # old-style "RT @x:"
        ("twitter:dee_okoro", "twitter:eli_park", "via", 1),
    }


def test_an_embedded_original_without_entities_reads_its_text_one_per_line(tmp_path):
    """A 2009–2010 retweet whose original has no ``entities``: the original's
    ``@x`` is read from its text whether the tweet is a line of its own or in a
    search page (the one-per-line fast path decodes no text)."""
    tweet = {
        "id_str": "2",
        "user": {"screen_name": "ada_moss"},
        "entities": {"user_mentions": [{"screen_name": "benfarrow"}]},
        "text": "RT @benfarrow: lunch with @cal_ito",
        "retweeted_status": {
            "id_str": "1",
            "user": {"screen_name": "benfarrow"},
            "text": "lunch with @cal_ito",
        },
    }
    line = tmp_path / "line.jsonl"
    line.write_text(json.dumps(tweet) + "\n")
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"statuses": [tweet]}))
    want = {
        ("twitter:ada_moss", "twitter:benfarrow", "retweet", 1),
        ("twitter:benfarrow", "twitter:cal_ito", "mention", 1),
    }
    assert edges(merge(read(page))) == want
    assert edges(merge(read(line))) == want


def test_same_tweet_twice_counts_once(tmp_path):
    f = tmp_path / "twice.jsonl"
    line = (V1 / "search-pages.jsonl").read_text().splitlines()[0]
    f.write_text(line + "\n" + line + "\n")
    conv = merge(read(f))
    assert {n for *_, n in edges(conv)} == {1}


def test_user_lists_are_profiles_not_participants(tmp_path, capsys):
    # alone: profiles only, nobody to count
    for name in ("users-lookup.json", "followers-page.json"):
        assert detect(V1 / name) is twitter_v1
        assert merge(read(V1 / name)).people == {}
    assert merge(read(V2 / "users-lookup.json")).people == {}
    # beside tweets: a profile locates the participant with its handle; Zoe, who is in
    # no conversation, stays out
    conv = merge(read([V1 / "stream-extended.jsonl", V1 / "users-lookup.json"]))
    assert set(conv.people) == {"twitter:benfarrow", "twitter:dee_okoro", "twitter:eli_park"}
    assert conv.people["twitter:dee_okoro"].location_text == "Enugu, Nigeria"
    rep = tmp_path / "r.json"
    assert main(["-q", "report", str(V2 / "users-lookup.json"), "-o", str(rep)]) == 0
    assert json.loads(rep.read_text())["participants"] == 0


def test_twitter_lists_response_is_refused(capsys):
    assert main(["report", str(V1 / "lists.json")]) == 1
    err = capsys.readouterr().err
    assert "lists.json: a Twitter lists response" in err and "@ada_moss" in err


def test_v2_retweeted_original_is_its_authors_tweet():
    path = V2 / "search-page.jsonl"
    assert detect(path) is twitter_v2
    conv = merge(read(path))
    assert edges(conv) == {
        ("twitter:cal_ito", "twitter:ada_moss", "retweet", 1),  # not Cal's mention of Ben
        ("twitter:ada_moss", "twitter:benfarrow", "mention", 1),  # includes.tweets: Ada's
        ("twitter:dee_okoro", "twitter:ada_moss", "reply", 1),
    }


def test_v2_quote_of_a_missing_tweet_and_mentions_without_ids(tmp_path):
    # a page whose quoted tweet was not included (deleted, withheld): the quote's own
    # link names its author; a mention with a username and no id (raw API pages) is
    # the included user of that name, with their profile
    page = {
        "data": [
            {
                "id": "20",
                "author_id": "1",
                "text": "@BenFarrow look https://t.co/x",
                "referenced_tweets": [{"type": "quoted", "id": "10"}],
                "entities": {
                    "mentions": [{"start": 0, "end": 10, "username": "BenFarrow"}],
                    "urls": [{"expanded_url": "https://twitter.com/Dee_Okoro/status/10"}],
                },
            }
        ],
        "includes": {
            "users": [
                {"id": "1", "username": "ada_moss", "name": "Ada Moss"},
                {"id": "2", "username": "BenFarrow", "name": "Ben", "location": "Tromsø"},
            ]
        },
        "errors": [{"resource_id": "10", "title": "Not Found Error"}],
    }
    f = tmp_path / "page.jsonl"
    f.write_text(json.dumps(page) + "\n")
    conv = merge(read(f))
    assert edges(conv) == {
        ("twitter:ada_moss", "twitter:dee_okoro", "quote", 1),
        ("twitter:ada_moss", "twitter:benfarrow", "mention", 1),
    }
    assert conv.people["twitter:benfarrow"].location_text == "Tromsø"


def _fingerprint(conv: Conversation) -> tuple:
    people = [
        (k, p.name, p.handles, p.urls, p.location_text, p.evidence, p.merged_from, p.records)
        for k, p in conv.people.items()
    ]
    return people, list(conv.counts.items()), conv.problems


def test_v2_struct_pages_read_as_the_dict_path(tmp_path, monkeypatch, request):
    # twarc2 pages are decoded into Structs and read by attribute (issue #17); every
    # page read so must give what the dict path gives: people (in order, with their
    # records, sources and locations), counts (in order) and problems
    user = {"id": "1", "username": "ada_moss", "name": "Ada", "location": " Oslo "}
    pages = [
        {
            "data": [
                {
                    "id": "20",
                    "author_id": "1",
                    "text": "RT @Ghost: hi",
                    "entities": {"mentions": [{"username": "ghost"}]},
                    "referenced_tweets": [{"type": "retweeted", "id": "99"}],
                },
                {
                    "id": "21",
                    "author_id": "2",
                    "text": "q https://t.co/x",
                    "referenced_tweets": [{"type": "quoted", "id": "98"}, {"type": "odd"}],
                    "entities": {
                        "urls": [
                            {"expanded_url": "https://x.com/Dee/status/98"},
                            {"expanded_url": None},
                        ],
                        "mentions": [{"id": "1"}, {"username": "BEN"}, {"id": "7"}],
                    },
                    "geo": {
                        "coordinates": {"type": "Point", "coordinates": [10.7, 59.9]},
                        "place_id": "p1",
                    },
                },
                {
                    "id": "22",
                    "author_id": "3",
                    "text": "@ada_moss yes",
                    "in_reply_to_user_id": "1",
                    "geo": {"place_id": "p1"},
                },
                {"id": "23", "text": "no author"},
                {"id": "24", "author_id": "", "text": "empty author"},
                {"id": "20", "author_id": "2", "text": "a duplicate"},
                {
                    "id": "25",
                    "author_id": "5",
                    "text": "reply without the user",
                    "referenced_tweets": [{"type": "replied_to", "id": "97"}],
                    "in_reply_to_user_id": "6",
                },
                {
                    "id": "26",
                    "author_id": "8",
                    "text": "",
                    "geo": {"coordinates": {"type": "Point", "coordinates": [500, 1]}},
                },
            ],
            "includes": {
                "users": [
                    user,
                    {"id": "2", "username": "Ben", "name": "", "url": "https://b.example"},
                    {"id": "2", "username": "ben", "name": "Ben again"},
                    {"id": "3", "username": "", "name": "no username"},
                    {"id": "5", "username": "cal", "location": None},
                    {"username": "no_id"},
                ],
                "tweets": [
                    {"id": "98", "author_id": "3", "text": "quoted"},
                    {
                        "id": "30",
                        "author_id": "1",
                        "text": "@ben hi",
                        "entities": {"mentions": [{"id": "2", "username": "ben"}]},
                    },
                ],
                "places": [
                    {"id": "p1", "full_name": "Oslo", "country": "Norway", "place_type": "city"}
                ],
            },
            "errors": [{"title": "Not Found Error", "resource_id": "99"}],
        },
        {
            "data": [
                {
                    "id": "40",
                    "author_id": "1",
                    "text": "again",
                    "referenced_tweets": [{"type": "replied_to", "id": "30"}],
                }
            ],
            "includes": {
                "users": [{**user, "location": "Bergen", "url": "https://a.example"}],
                "tweets": [{"id": "30", "author_id": "1", "text": "self"}],
            },
        },
        {
            "data": [],
            "includes": {
                "tweets": [{"id": "41", "author_id": "2", "text": "x"}],
                "users": [{"id": "2", "username": "ben"}],
            },
        },
        {
            # one user referred to many times in a page (looked up once, counted each
            # time); an id that reads as a '@name' (the name's user comes first)
            "data": [
                {
                    "id": "50",
                    "author_id": "9",
                    "text": "hi @zed",
                    "entities": {"mentions": [{"id": "@zed"}, {"id": "9"}, {"id": "10"}]},
                },
                {"id": "51", "author_id": "10", "text": "x", "in_reply_to_user_id": "9"},
                {
                    "id": "52",
                    "author_id": "9",
                    "text": "again",
                    "referenced_tweets": [{"type": "quoted", "id": "51"}],
                    "entities": {"mentions": [{"username": "ZED"}, {"id": "10"}]},
                },
            ],
            "includes": {
                "users": [
                    {"id": "@zed", "username": "odd", "location": "Lima"},
                    {"id": "9", "username": "Zed", "location": "  "},
                    {"id": "10", "username": "ula", "url": "https://u.example"},
                ],
                "tweets": [{"id": "51", "author_id": "10", "text": "x"}],
            },
        },
    ]
    f = tmp_path / "pages.jsonl"
    f.write_text("\n".join(json.dumps(p) for p in pages) + "\n")
    files = [f, V2 / "search-page.jsonl"]
    shared = request.config.rootpath.parent / "shared" / "data" / "twitter_v2"
    files += sorted(shared.glob("*.jsonl")) if shared.is_dir() else []
    struct = {p: _fingerprint(twitter_v2.read(p)) for p in files}
    monkeypatch.setattr(twitter_v2, "_is_page", lambda line: False)
    for p in files:
        assert _fingerprint(twitter_v2.read(p)) == struct[p], p
    assert struct[f][1] and struct[f][2]  # it counted and named problems


def _random_v2_file(rnd, path) -> None:
    """Lines of a twarc2 file drawn at random: pages whose users come back with and
    without a location or a link, ids that are another user's or none, mentions by id,
    by name or by both, retweets, quotes and replies of included tweets, tweets read
    twice, users responses and flattened tweets between the pages."""
    users = [f"u{i}" for i in range(12)]
    names = {u: rnd.choice([u, u.upper(), "User" + u]) for u in users}
    lines: list[dict] = []
    tid = 0
    for _ in range(rnd.randint(2, 6)):
        kind = rnd.random()
        if kind < 0.15:  # a users response: profiles
            data = []
            for u in rnd.sample(users, 3):
                d = {"id": "id" + u, "username": names[u], "name": "N " + u}
                if rnd.random() < 0.5:
                    d["location"] = rnd.choice(["Paris", "  ", "Berlin, DE", ""])
                if rnd.random() < 0.5:
                    d["url"] = rnd.choice(["https://a.example", "https://b.example"])
                data.append(d)
            lines.append({"data": data})
            continue
        if kind < 0.25:  # a flattened tweet
            tid += 1
            u = rnd.choice(users)
            author = {"id": "id" + u, "username": names[u], "location": rnd.choice([None, "Lyon"])}
            mention = {"username": names[rnd.choice(users)]}
            lines.append(
                {
                    "id": str(tid),
                    "text": "hi",
                    "author_id": "id" + u,
                    "author": author,
                    "entities": {"mentions": [mention]},
                }
            )
            continue
        inc_users = []
        for u in rnd.sample(users, rnd.randint(2, 8)):
            d = {
                "id": rnd.choice(["id" + u, "id" + u, "x" + u]),
                "username": rnd.choice([names[u], names[u].lower()]),
                "name": rnd.choice(["N " + u, ""]),
            }
            if rnd.random() < 0.5:
                d["location"] = rnd.choice(["Paris", "  ", "Berlin, DE", "", "Tokyo"])
            if rnd.random() < 0.4:
                d["url"] = rnd.choice(["https://a.example", "https://b.example"])
            inc_users.append(d)
        ids = [d["id"] for d in inc_users]
        inc_tweets = []
        for _ in range(rnd.randint(0, 3)):
            tid += 1
            inc_tweets.append(
                {"id": str(tid), "text": "o", "author_id": rnd.choice([*ids, "idzz"])}
            )
        data = []
        for _ in range(rnd.randint(1, 8)):
            tid += 1
            t: dict = {
                "id": str(rnd.choice([tid, tid, max(1, tid - 3)])),
                "text": "t",
                "author_id": rnd.choice([*ids, "", "idnone"]),
            }
            if rnd.random() < 0.5:
                mentions = []
                for _ in range(rnd.randint(1, 4)):
                    m = {}
                    r = rnd.random()
                    if r < 0.4:
                        m["id"] = rnd.choice(ids)
                    elif r < 0.55:
                        m["id"] = "idunknown"
                    elif r < 0.65:
                        m["id"] = "@" + rnd.choice(users)
                    if rnd.random() < 0.8:
                        m["username"] = rnd.choice([names[rnd.choice(users)], rnd.choice(users)])
                    mentions.append(m)
                t["entities"] = {"mentions": mentions}
            if inc_tweets and rnd.random() < 0.4:
                kind_ = rnd.choice(["retweeted", "quoted", "replied_to"])
                t["referenced_tweets"] = [{"type": kind_, "id": rnd.choice(inc_tweets)["id"]}]
            if rnd.random() < 0.2:
                t["in_reply_to_user_id"] = rnd.choice([*ids, "idother"])
            data.append(t)
        lines.append({"data": data, "includes": {"users": inc_users, "tweets": inc_tweets}})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def test_v2_struct_pages_read_as_the_dict_path_on_random_files(tmp_path, monkeypatch):
    # (review6) the page reader keeps state from page to page (issue #17: a person met
    # again is counted by code, its location and link asked of it only when it lacks
    # one, mentions by name looked up once a page): random files of pages, profiles and
    # flattened tweets read by it give what the dict path gives, profile flags included
    import random

    rnd = random.Random(6)
    files = [tmp_path / f"{i}.jsonl" for i in range(60)]
    for f in files:
        _random_v2_file(rnd, f)

    def seen(path):
        conv = twitter_v2.read(path)
        flags = [p.profile_only for p in conv.people.values()]
        return _fingerprint(conv), flags

    struct = {f: seen(f) for f in files}
    assert sum(len(fp[0][0]) for fp in struct.values()) > 500  # people
    assert sum(len(fp[0][1]) for fp in struct.values()) > 500  # ties
    monkeypatch.setattr(twitter_v2, "_is_page", lambda line: False)
    for f in files:
        assert seen(f) == struct[f], f


# --- damaged and oddly shaped input ------------------------------------------------


def _tweets():
    return json.loads((V1 / "search-statuses-first.json").read_text())["statuses"]


def test_odd_records_are_skipped_and_named(tmp_path):
    good = _tweets()
    bad_mention = json.loads(json.dumps(good[2]))
    bad_mention["id_str"] = "9100"
    bad_mention["entities"]["user_mentions"].append("dee_okoro")  # a string, not an object
    numeric = json.loads(json.dumps(good[1]))
    numeric["id_str"] = "9101"
    numeric["user"] = dict(numeric["user"], screen_name=12345)
    f = tmp_path / "odd.json"
    f.write_text(json.dumps([numeric, *good, bad_mention, "not a tweet"]))
    conv = merge(read(f))
    assert {e[:3] for e in edges(conv)} >= {e[:3] for e in SEARCH}  # good records kept
    whats = " | ".join(p["where"] + ": " + p["what"] for p in conv.problems)
    assert "screen_name is a int" in whats and "record 1" in whats
    assert "a mention that is a str" in whats
    assert "record 6: a JSON str, not an object" in whats


def test_lone_surrogate_keeps_the_array(tmp_path):
    text = json.dumps(_tweets())  # ASCII: non-ASCII as \u escapes
    text = text.replace("agreed, from Enugu", "agreed \\ud83d from Enugu", 1)
    f = tmp_path / "half-emoji.json"
    f.write_text(text)
    conv = merge(read(f))
    assert edges(conv) == SEARCH
    assert "lone surrogate" in conv.problems[0]["what"]


@pytest.mark.parametrize(
    "prefix", [b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n", b"  \n\t\n"]
)
def test_bom_and_blank_leading_lines(tmp_path, prefix):
    lines = [json.dumps(t) for t in _tweets()]
    for name, body in (("t.jsonl", "\r\n".join(lines)), ("t.json", json.dumps(_tweets()))):
        f = tmp_path / name
        f.write_bytes(prefix + body.encode())
        assert detect(f) is twitter_v1, (prefix, name)
        conv = merge(read(f))
        assert edges(conv) == SEARCH and not conv.problems, (prefix, name)


def test_bad_first_line_is_skipped_without_reading_the_whole_file(tmp_path, monkeypatch):
    lines = [json.dumps(t) for t in _tweets()] * 400
    f = tmp_path / "t.jsonl"
    f.write_text('{"id_str": "1", "user": {"screen_name": "x"\n' + "\n".join(lines) + "\n")
    opened = []

    def spy(path):
        opened.append(open(path, "rb"))  # noqa: SIM115 - closed by records()
        return opened[-1]

    monkeypatch.setattr(jsonrecords, "_open", spy)
    conv = Conversation()
    it = jsonrecords.records(f, conv)
    where, value = next(it)
    assert where == "line 2" and value["id_str"] == "9002"
    assert opened[0].tell() < f.stat().st_size / 10  # streaming, not slurping
    assert conv.problems[0]["where"] == "line 1"
    assert sum(1 for _ in it) == len(lines) - 1


def test_deep_nesting_skips_the_deep_part(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text(json.dumps(_tweets())[:-1] + ", " + "[" * 5000 + "]" * 5000 + "]")
    conv = merge(read(f))
    assert edges(conv) == SEARCH
    assert any("nested deeper than" in p["what"] for p in conv.problems)


def test_nothing_readable_exits_1(tmp_path, capsys):
    f = tmp_path / "none.json"
    f.write_text(json.dumps([{"user": {"screen_name": 5}, "entities": {}, "id_str": "1"}]))
    with pytest.raises(InputError, match="no tweets or users could be read"):
        read(f)
    assert main(["report", str(f)]) == 1
    assert "screen_name is a int" in capsys.readouterr().err


def test_gzip_of_a_fixture(tmp_path):
    import gzip

    f = tmp_path / "search.json.gz"
    f.write_bytes(gzip.compress((V1 / "search-oneline.json").read_bytes()))
    assert edges(merge(read(f))) == SEARCH


# --- Mastodon and Bluesky -------------------------------------------------------------

MASTODON = DATA / "platforms" / "mastodon"
BLUESKY = DATA / "platforms" / "bluesky"


def test_mastodon_location_is_a_whole_location_label():
    conv = merge(read(MASTODON / "thread-quotes.json"))
    where = {pid: p.location_text for pid, p in conv.people.items()}
    assert where["mastodon:ada@rural.social"] == "Hardwick, Vermont"  # not "Homepage"
    assert where["mastodon:ben@fjord.example"] == "Tromsø"  # "📍 Wohnort", not "Portfolio"
    assert where["mastodon:dee@akkoma.example"] == "Enugu"  # ":flag_ng: Ubicación:"
    assert where["mastodon:cal@town.example"] == "Nampa, Idaho"  # "Support" refused: bio


@pytest.mark.parametrize(
    ("label", "is_location"),
    [
        ("Location", True),
        ("📍 location:", True),
        ("Based in", True),
        ("Home base", True),
        ("Ort", True),
        ("Lieu", True),
        ("Localização", True),
        ("所在地", True),
        ("위치", True),
        ("Местоположение", True),
        ("Homepage", False),
        ("Portfolio", False),
        ("Support", False),
        ("Location of my blog", False),
        ("Home", False),
    ],
)
def test_mastodon_location_labels(label, is_location):
    fields = [{"name": label, "value": "<p>Galway &amp; Mayo</p>"}]
    assert mastodon.location_field(fields) == ("Galway & Mayo" if is_location else None)


def test_mastodon_quotes_in_every_shape():
    conv = merge(read(MASTODON / "thread-quotes.json"))
    got = {(s.split(":", 1)[1], t.split(":", 1)[1], k) for s, t, k, *_ in edges(conv)}
    assert {
        ("cal@town.example", "ben@fjord.example", "quote"),  # Mastodon 4.4 quote object
        ("dee@akkoma.example", "ada@rural.social", "quote"),  # Akkoma pleroma.quote
        ("eli@town.example", "dee@akkoma.example", "quote"),  # quote_id of a status here
    } <= got
    # the quoted Ben is mentioned too, but a quote is not also a mention
    assert ("cal@town.example", "ben@fjord.example", "mention") not in got
    assert ("ada@rural.social", "ada@rural.social", "quote") not in got  # pending: no quote
    assert [p["what"] for p in conv.problems] == [
        (
            "a quote of status 999, which is not in the file: its author is unknown, "
            "the quote is not counted"
        )
    ]


def test_mastodon_account_list_locates_but_is_not_counted():
    assert detect(MASTODON / "followers.json") is mastodon
    assert merge(read(MASTODON / "followers.json")).people == {}
    conv = merge(read([MASTODON / "timeline.jsonl", MASTODON / "followers.json"]))
    assert "mastodon:zoe@west.example" not in conv.people
    assert conv.people["mastodon:eli@town.example"].location_text == "Kisumu, Kenya"


def test_mastodon_odd_records_are_skipped_and_named(tmp_path):
    lines = (MASTODON / "timeline.jsonl").read_text().splitlines()
    odd = json.loads(lines[1])
    odd["account"]["fields"] = ["Location: Cork", *odd["account"]["fields"]]
    odd["mentions"].append("ada")
    f = tmp_path / "odd.jsonl"
    f.write_text("\n".join([lines[0], json.dumps(odd), lines[2], '"a string"']) + "\n")
    conv = merge(read(f))
    whats = " | ".join(f"{p['where']}: {p['what']}" for p in conv.problems)
    assert "line 2: profile field 1 is a str" in whats
    assert "a mention that is a str" in whats
    assert "line 4" in whats
    assert conv.people["mastodon:ben@fjord.example"].location_text == "Tromsø"
    assert len(conv.people) == 4


def test_bluesky_thread_quotes_mentions_parents():
    conv = merge(read(BLUESKY / "thread-quotes.json"))
    got = {(s.split(":", 1)[1], t.split(":", 1)[1], k) for s, t, k, *_ in edges(conv)}
    assert got == {
        ("ada.rural.example", "eli.bsky.social", "reply"),  # the anchor answers its parent
        ("ben.bsky.social", "ada.rural.example", "reply"),
        ("ada.rural.example", "ben.bsky.social", "reply"),  # two levels down
        ("cal.bsky.social", "ada.rural.example", "reply"),
        ("ada.rural.example", "dee.bsky.social", "quote"),  # app.bsky.embed.record
        ("cal.bsky.social", "dee.bsky.social", "quote"),  # recordWithMedia
        ("ada.rural.example", "cal.bsky.social", "mention"),  # facet
        ("dee.bsky.social", "ben.bsky.social", "mention"),  # the quoted post's own facet
    }
    assert conv.people["bsky:ada.rural.example"].location_text == "Hardwick, Vermont"


def test_bluesky_profile_lists_are_profiles():
    for name in ("profiles.json", "follows.json"):
        assert merge(read(BLUESKY / name)).people == {}
    conv = merge(read([BLUESKY / "thread-quotes.json", BLUESKY / "profiles.json"]))
    assert len(conv.people) == 5  # Zoe, in no conversation, is not counted
    assert conv.people["bsky:eli.bsky.social"].location_text == "Kisumu, Kenya"


def test_bluesky_null_facet_type_is_named(tmp_path):
    doc = json.loads((BLUESKY / "thread-quotes.json").read_text())
    doc["thread"]["post"]["record"]["facets"][0]["features"][0]["$type"] = None
    f = tmp_path / "t.json"
    f.write_text(json.dumps(doc))
    conv = merge(read(f))
    assert "a feature without a $type" in conv.problems[0]["what"]
    assert len(conv.people) == 5  # every post kept


def test_bluesky_deep_reply_chain_keeps_the_records(tmp_path):
    doc = json.loads((BLUESKY / "thread-quotes.json").read_text())
    leaf = doc["thread"]["replies"][0]
    doc["thread"]["replies"].append("DEEP")
    opening = []
    for i in range(3000):  # a chain of 3,000 replies, alternating two people
        post = json.loads(json.dumps(leaf["post"]))
        post["uri"] = f"{post['uri']}-{i}"
        post["record"]["text"] = f"reply number {i}"
        post["author"] = doc["thread"]["post"]["author"] if i % 2 else leaf["post"]["author"]
        opening.append('{"post": ' + json.dumps(post) + ', "replies": [')
    chain = "".join(opening) + "]}" * 3000  # written by hand: json.dumps stops at 1,000 levels
    f = tmp_path / "deep.json"
    f.write_text(json.dumps(doc).replace('"DEEP"', chain))
    conv = merge(read(f))
    kept = sum(n for _s, _t, k, _w, n in conv.edges() if k == "reply")
    assert kept > 300  # everything above the cut, not nothing
    assert any("nested deeper than" in p["what"] for p in conv.problems)


@pytest.mark.parametrize("enabled", [True, False])
def test_v2_reader_pauses_the_collector_and_restores_it(enabled, monkeypatch):
    # issue #17: reading makes no reference cycles; the collector is paused while the
    # file is read and left as it was (the Python API's runs included)
    import gc

    seen = []
    page = twitter_v2._page

    def paging(*a, **k):
        seen.append(gc.isenabled())
        return page(*a, **k)

    monkeypatch.setattr(twitter_v2, "_page", paging)
    (gc.enable if enabled else gc.disable)()
    try:
        conv = twitter_v2.read(V2 / "search-page.jsonl")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert seen and not any(seen)
    assert conv.people


def test_interactions_settled_on_the_way_give_the_same_table(tmp_path, monkeypatch):
    # memory bounded by ties, not tweets (issue #17): the readers sum the interactions
    # into ties every SETTLE_AT of them, and once more at the end; settling after every
    # few interactions gives the same people, counts (in order) and problems
    import random

    from mapper import tally as tally_module
    from mapper.sources import twitter_v1

    rnd = random.Random(11)
    v2_files = [tmp_path / f"{i}.jsonl" for i in range(25)]
    for f in v2_files:
        _random_v2_file(rnd, f)
    v1_files = [f for f in sorted(V1.glob("*.json*")) if f.name != "lists.json"]
    assert v1_files
    whole = {f: _fingerprint(twitter_v2.read(f)) for f in v2_files}
    whole1 = {f: _fingerprint(twitter_v1.read(f)) for f in v1_files}
    assert sum(len(fp[1]) for fp in whole.values()) > 200  # ties: many settles
    monkeypatch.setattr(tally_module, "SETTLE_AT", 3)
    for f in v2_files:
        assert _fingerprint(twitter_v2.read(f)) == whole[f], f
    for f in v1_files:
        assert _fingerprint(twitter_v1.read(f)) == whole1[f], f


def test_tally_settle_keeps_first_met_order_and_sums():
    from mapper.tally import Tally

    t = Tally()
    for a, b, k in [("x", "y", "reply"), ("y", "z", "mention"), ("x", "y", "reply")]:
        t.count(a, b, k)
    t.settle(at=1)
    assert len(t) == 3 and len(t.src) == 0
    for a, b, k in [("z", "x", "reply"), ("x", "y", "reply"), ("y", "z", "mention")]:
        t.count(a, b, k)
    t.settle(at=100)  # under the threshold: kept as columns
    assert len(t.src) == 3 and len(t) == 6
    cols = t.table().columns()
    assert cols is not None
    _, src, dst, _, weight, number = cols
    rows = list(zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True))
    assert number.tolist() == [3, 2, 1]
    x, y, z = (t.code(p) for p in "xyz")
    assert rows == [(x, y, 3.0), (y, z, 2.0), (z, x, 1.0)]
