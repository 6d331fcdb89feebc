"""A generator of realistic synthetic tweet corpora (v1.1 or v2 JSON lines).

Power-law activity (a few users write most tweets and draw most mentions and
retweets), realistic profile locations (big cities, towns, small towns, regions,
messy forms, junk, empty), repeated places, optional padding to make big files.

    python -m benchmarks.synth_tweets --lines 1000000 --users 50000 -o tweets.jsonl.gz

``--realistic`` (issue #17) draws users from a heavy tail over a pool of ``--users``
(about 40 k distinct participants per 200 k tweets with ``--users`` = lines / 5, most seen
once or twice, a few thousands of times) and gives each a profile location drawn from
thousands of real-looking strings (cities in several spellings, states, countries,
non-Latin names, emoji, junk, a third empty); ``--format v2pages`` writes twarc2
response pages of 100 tweets with their ``includes``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

LOCATIONS = [
    "New York, NY",
    "NYC",
    "Los Angeles, CA",
    "London, UK",
    "Paris, France",
    "Chicago IL",
    "Toronto, ON",
    "Berlin",
    "Lagos, Nigeria",
    "São Paulo",
    "Mumbai, India",
    "Tokyo",
    "Boise, ID",
    "Bloomington, Indiana",
    "Galway, Ireland",
    "Missoula, Montana",
    "Bend, OR",
    "Asheville, NC",
    "Burlington, VT",
    "Duluth, MN",
    "Bozeman, MT",
    "Kilkenny, Ireland",
    "Marfa, TX",
    "Hardwick, Vermont",
    "Eastport, Maine",
    "Paris, KY",
    "Ketchum, Idaho",
    "Decorah, IA",
    "Ely, MN",
    "Sitka, Alaska",
    "Hallstatt, Austria",
    "Dingle, Ireland",
    "Texas",
    "California, USA",
    "Ontario, Canada",
    "UK",
    "Germany",
    "🇮🇪",
    "Scotland",
    "Boise, ID 🏔️ | he/him",
    "somewhere over the rainbow",
    "Earth",
    "home",
    "the internet",
    "Worldwide",
    "she/her",
    "Hogwarts",
    "37.77° N, 122.42° W",
    "ÜT: 40.71,-74.00",
    "Greater Boston Area",
    "Bay Area",
    "Philly",
    "Atlanta, Georgia",
    "",
    "",
    "",
    "",
]


SOURCE = '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>'


# (city, region, country) for the realistic location strings: world cities, towns, small
# towns; written in several forms each (below)
_PLACES = [
    ("New York", "NY", "USA"),
    ("Los Angeles", "CA", "USA"),
    ("Chicago", "IL", "USA"),
    ("Houston", "TX", "USA"),
    ("Austin", "TX", "USA"),
    ("Seattle", "WA", "USA"),
    ("Portland", "OR", "USA"),
    ("Denver", "CO", "USA"),
    ("Atlanta", "GA", "USA"),
    ("Boston", "MA", "USA"),
    ("Miami", "FL", "USA"),
    ("Nashville", "TN", "USA"),
    ("Boise", "ID", "USA"),
    ("Missoula", "MT", "USA"),
    ("Bend", "OR", "USA"),
    ("Asheville", "NC", "USA"),
    ("Burlington", "VT", "USA"),
    ("Duluth", "MN", "USA"),
    ("Marfa", "TX", "USA"),
    ("Decorah", "IA", "USA"),
    ("Sitka", "AK", "USA"),
    ("Bloomington", "Indiana", "USA"),
    ("Athens", "GA", "USA"),
    ("Ithaca", "NY", "USA"),
    ("London", "England", "UK"),
    ("Manchester", "England", "UK"),
    ("Leeds", "England", "UK"),
    ("Glasgow", "Scotland", "UK"),
    ("Cardiff", "Wales", "UK"),
    ("Belfast", "NI", "UK"),
    ("Dublin", "Leinster", "Ireland"),
    ("Galway", "Connacht", "Ireland"),
    ("Kilkenny", "Leinster", "Ireland"),
    ("Paris", "Île-de-France", "France"),
    ("Lyon", "Rhône", "France"),
    ("Marseille", "PACA", "France"),
    ("Berlin", "", "Germany"),
    ("Munich", "Bavaria", "Germany"),
    ("Hamburg", "", "Germany"),
    ("Madrid", "", "Spain"),
    ("Barcelona", "Catalonia", "Spain"),
    ("Rome", "Lazio", "Italy"),
    ("Milan", "", "Italy"),
    ("Amsterdam", "", "Netherlands"),
    ("Brussels", "", "Belgium"),
    ("Vienna", "", "Austria"),
    ("Hallstatt", "", "Austria"),
    ("Zurich", "", "Switzerland"),
    ("Stockholm", "", "Sweden"),
    ("Oslo", "", "Norway"),
    ("Copenhagen", "", "Denmark"),
    ("Helsinki", "", "Finland"),
    ("Warsaw", "", "Poland"),
    ("Prague", "", "Czechia"),
    ("Lisbon", "", "Portugal"),
    ("Toronto", "ON", "Canada"),
    ("Vancouver", "BC", "Canada"),
    ("Montreal", "QC", "Canada"),
    ("Halifax", "NS", "Canada"),
    ("Mexico City", "CDMX", "Mexico"),
    ("São Paulo", "SP", "Brazil"),
    ("Rio de Janeiro", "RJ", "Brazil"),
    ("Buenos Aires", "", "Argentina"),
    ("Santiago", "", "Chile"),
    ("Bogotá", "", "Colombia"),
    ("Lima", "", "Peru"),
    ("Lagos", "", "Nigeria"),
    ("Abuja", "FCT", "Nigeria"),
    ("Nairobi", "", "Kenya"),
    ("Accra", "", "Ghana"),
    ("Johannesburg", "Gauteng", "South Africa"),
    ("Cape Town", "", "South Africa"),
    ("Cairo", "", "Egypt"),
    ("Mumbai", "Maharashtra", "India"),
    ("Delhi", "", "India"),
    ("Bangalore", "Karnataka", "India"),
    ("Karachi", "", "Pakistan"),
    ("Dhaka", "", "Bangladesh"),
    ("Jakarta", "", "Indonesia"),
    ("Manila", "", "Philippines"),
    ("Singapore", "", "Singapore"),
    ("Kuala Lumpur", "", "Malaysia"),
    ("Bangkok", "", "Thailand"),
    ("Tokyo", "", "Japan"),
    ("Osaka", "", "Japan"),
    ("Seoul", "", "South Korea"),
    ("Sydney", "NSW", "Australia"),
    ("Melbourne", "VIC", "Australia"),
    ("Auckland", "", "New Zealand"),
    ("Istanbul", "", "Turkey"),
    ("Tel Aviv", "", "Israel"),
]
_NON_LATIN = [
    "東京",
    "東京都渋谷区",
    "大阪",
    "서울",
    "부산",
    "Москва",
    "Санкт-Петербург",
    "Київ",
    "القاهرة",
    "الرياض",
    "دبي",
    "तेहरान",
    "मुंबई",
    "नई दिल्ली",
    "北京",
    "上海",
    "香港",
    "臺北",
    "Αθήνα",
    "ประเทศไทย",
    "กรุงเทพฯ",
    "תל אביב",
    "İstanbul",
    "日本",
    "한국",
]
_JUNK = [
    "somewhere over the rainbow",
    "Earth",
    "home",
    "the internet",
    "Worldwide",
    "she/her",
    "he/him",
    "they/them",
    "Hogwarts",
    "in your heart",
    "🌍",
    "✨🌙✨",
    "wherever I am",
    "Planet Earth 🌎",
    "your mom's house",
    "127.0.0.1",
    "404",
    "Mars",
    "everywhere",
    "Global",
    "Online",
    "follow me",
    "DM for collabs",
    "🇺🇸🇺🇸🇺🇸",
    "here",
    "Sol III",
]
_EMOJI = ["", "", "", " 🌴", " ✈️", " 🏳️‍🌈", " 🇺🇸", " ☕", " | he/him", " 📍", " & beyond"]


def realistic_locations(n: int, seed: int = 11) -> list[str]:
    """``n`` profile-location strings as users write them (about a third empty)."""
    rng = random.Random(seed)
    forms = [
        lambda c, r, k: c,
        lambda c, r, k: f"{c}, {r or k}",
        lambda c, r, k: f"{c}, {k}",
        lambda c, r, k: f"{c} {r}".strip(),
        lambda c, r, k: c.upper(),
        lambda c, r, k: c.lower(),
        lambda c, r, k: f"📍 {c}",
        lambda c, r, k: f"{c} ↔ {rng.choice(_PLACES)[0]}",
        lambda c, r, k: f"Greater {c} Area",
        lambda c, r, k: f"born in {c}, living in {rng.choice(_PLACES)[0]}",
        lambda c, r, k: r or k,
        lambda c, r, k: k,
    ]
    out = []
    for _ in range(n):
        u = rng.random()
        if u < 0.33:
            out.append("")
        elif u < 0.43:
            out.append(rng.choice(_JUNK))
        elif u < 0.50:
            out.append(rng.choice(_NON_LATIN))
        elif u < 0.52:
            out.append(f"{rng.uniform(-60, 70):.4f},{rng.uniform(-170, 170):.4f}")
        else:
            # a few cities are far more common (their index drawn from a heavy tail)
            c, r, k = _PLACES[min(len(_PLACES) - 1, int(len(_PLACES) * rng.random() ** 2))]
            out.append(rng.choice(forms)(c, r, k) + rng.choice(_EMOJI))
    return out


def _heavy(rng: random.Random, n: int) -> int:
    """A user index in 0..n-1 from a heavy tail: 0 is the most active; most of the
    pool is drawn once or twice (u ** 4: a power-law density ~ i ** -3/4)."""
    return min(n - 1, int(n * rng.random() ** 4))


def _user(a: int, location: str, description: str) -> dict:
    """A v1.1 user object with the fields real ones carry (most unused by mapper)."""
    return {
        "id": a,
        "id_str": str(a),
        "name": f"User {a}",
        "screen_name": f"u{a}",
        "location": location,
        "url": None,
        "description": description or "Writer, runner, coffee. Opinions my own.",
        "protected": False,
        "verified": False,
        "followers_count": 100 + a % 5000,
        "friends_count": 200,
        "listed_count": 3,
        "favourites_count": 1500,
        "statuses_count": 4200,
        "created_at": "Sat Sep 03 12:00:00 +0000 2011",
        "utc_offset": None,
        "time_zone": None,
        "geo_enabled": False,
        "lang": None,
        "contributors_enabled": False,
        "is_translator": False,
        "profile_background_color": "C0DEED",
        "profile_background_image_url": "http://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_image_url_https": "https://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_tile": False,
        "profile_link_color": "1DA1F2",
        "profile_sidebar_border_color": "C0DEED",
        "profile_sidebar_fill_color": "DDEEF6",
        "profile_text_color": "333333",
        "profile_use_background_image": True,
        "profile_image_url": f"http://pbs.twimg.com/profile_images/{a}/photo_normal.jpg",
        "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{a}/photo_normal.jpg",
        "default_profile": True,
        "default_profile_image": False,
        "following": None,
        "follow_request_sent": None,
        "notifications": None,
    }


def _zipf_choice(rng: random.Random, n: int, s: float = 1.1) -> int:
    # inverse-CDF of a discrete power law over 0..n-1 (cheap approximation)
    u = rng.random()
    return min(n - 1, int((n ** (1 - s) * u + (1 - u)) ** (1 / (1 - s))) - 1) if s != 1 else 0


def tweets(
    lines: int,
    users: int,
    fmt: str = "v1",
    pad: int = 0,
    seed: int = 7,
    url_of: Callable[[int], str | None] | None = None,
    realistic: bool = False,
) -> Iterator[str]:
    """Yield ``lines`` JSON lines (no newline) of synthetic tweets; ``url_of(user)``,
    when given, is each user's profile URL (``None``: none).  ``realistic``: users
    from a heavy tail and real-looking locations (module docstring)."""
    if fmt == "v2pages":
        yield from _pages(tweets(lines, users, "v2", pad, seed, url_of, realistic))
        return
    rng = random.Random(seed)
    if realistic:
        locs = realistic_locations(users, seed)
        draw = _heavy
    else:
        locs = [LOCATIONS[rng.randrange(len(LOCATIONS))] for _ in range(users)]
        draw = _zipf_choice
    filler = "lorem ipsum dolor sit amet " * (pad // 27 + 1) if pad else ""
    for i in range(lines):
        a = draw(rng, users)
        b = draw(rng, users)
        kind = rng.random()
        text = f"tweet {i} about small towns @u{b}"
        if fmt == "v1":
            tw = {
                "created_at": "Wed Dec 09 19:40:11 +0000 2015",
                "id": 10**9 + i,
                "id_str": str(10**9 + i),
                "text": text,
                "source": SOURCE,
                "truncated": False,
                "in_reply_to_status_id": None,
                "in_reply_to_user_id": None,
                "in_reply_to_screen_name": None,
                "user": _user(a, locs[a], filler[:pad]),
                "geo": None,
                "coordinates": None,
                "place": None,
                "is_quote_status": False,
                "retweet_count": rng.randint(0, 50),
                "favorite_count": rng.randint(0, 100),
                "entities": {
                    "hashtags": [{"text": "smalltowns", "indices": [10, 21]}],
                    "symbols": [],
                    "urls": [
                        {
                            "url": "https://t.co/abcdefghij",
                            "expanded_url": "https://example.org/a/long/article/path",
                            "display_url": "example.org/a/long/artic…",
                            "indices": [40, 63],
                        }
                    ],
                    "user_mentions": [
                        {
                            "screen_name": f"u{b}",
                            "name": f"User {b}",
                            "id": b,
                            "id_str": str(b),
                            "indices": [30, 38],
                        }
                    ],
                },
                "favorited": False,
                "retweeted": False,
                "lang": "en",
                "timestamp_ms": "1449690011000",
            }
            if url_of is not None:
                tw["user"]["url"] = url_of(a)
            if kind < 0.25:
                tw["retweeted_status"] = {
                    "id_str": str(i),
                    "text": "orig",
                    "user": _user(b, locs[b], ""),
                }
                tw["text"] = f"RT @u{b}: orig"
            elif kind < 0.4:
                tw["in_reply_to_screen_name"] = f"u{b}"
            yield json.dumps(tw)
        else:
            tw = {
                "id": str(10**9 + i),
                "author_id": str(a),
                "text": text,
                "author": {
                    "id": str(a),
                    "username": f"u{a}",
                    "name": f"User {a}",
                    "location": locs[a],
                    "description": filler[:pad],
                },
                "entities": {"mentions": [{"username": f"u{b}", "id": str(b)}]},
            }
            if realistic:  # where the mention is in the text, as the API says
                start = text.index("@")
                tw["entities"]["mentions"][0].update(start=start, end=start + len(f"@u{b}"))
            if url_of is not None:
                tw["author"]["url"] = url_of(a)
            if realistic:  # the other fields twarc2 asks for (mapper reads none of them)
                tw.update(_V2_EXTRA, conversation_id=tw["id"], edit_history_tweet_ids=[tw["id"]])
                tw["public_metrics"] = {
                    "retweet_count": rng.randint(0, 50),
                    "reply_count": rng.randint(0, 5),
                    "like_count": rng.randint(0, 100),
                    "quote_count": 0,
                    "impression_count": rng.randint(0, 5000),
                }
                tw["author"].update(_V2_USER_EXTRA, description=f"Writer, runner #{a % 97}")
            if kind < 0.25:
                tw["referenced_tweets"] = [
                    {
                        "type": "retweeted",
                        "id": str(i),
                        "author_id": str(b),
                        "author": {"id": str(b), "username": f"u{b}"},
                    }
                ]
            elif kind < 0.4:
                tw["in_reply_to_user_id"] = str(b)
                if realistic:  # twarc2 expands the replied-to user
                    tw["in_reply_to_user"] = {
                        "id": str(b),
                        "username": f"u{b}",
                        "name": f"User {b}",
                        "location": locs[b],
                    }
            yield json.dumps(tw)


_V2_EXTRA = {
    "created_at": "2022-11-09T19:40:11.000Z",
    "lang": "en",
    "possibly_sensitive": False,
    "reply_settings": "everyone",
    "edit_controls": {
        "edits_remaining": 5,
        "is_edit_eligible": True,
        "editable_until": "2022-11-09T20:10:11.000Z",
    },
    "context_annotations": [
        {
            "domain": {"id": "46", "name": "Business Taxonomy", "description": "Categories"},
            "entity": {"id": "1557696940178935808", "name": "Gaming Business"},
        }
    ],
}
_V2_USER_EXTRA = {
    "created_at": "2011-09-03T12:00:00.000Z",
    "protected": False,
    "verified": False,
    "profile_image_url": "https://pbs.twimg.com/profile_images/1/photo_normal.jpg",
    "public_metrics": {
        "followers_count": 120,
        "following_count": 200,
        "tweet_count": 4200,
        "listed_count": 3,
    },
}


def _pages(lines: Iterator[str], size: int = 100) -> Iterator[str]:
    """twarc2 response pages of ``size`` tweets from flattened v2 lines: authors, the
    retweeted tweets and their authors moved into ``includes`` (each once per page)."""
    batch: list[dict] = []
    for line in lines:
        batch.append(json.loads(line))
        if len(batch) == size:
            yield _page(batch)
            batch = []
    if batch:
        yield _page(batch)


def _page(batch: list[dict]) -> str:
    users: dict[str, dict] = {}
    tweets: dict[str, dict] = {}
    data = []
    for t in batch:
        author = t.pop("author")
        users[author["id"]] = author
        for r in t.get("referenced_tweets") or []:
            ra = r.pop("author", None)
            if ra:
                users.setdefault(ra["id"], ra)
                tweets[r["id"]] = {
                    "id": r["id"],
                    "text": "orig",
                    "author_id": r["author_id"],
                    "created_at": "2022-11-09T18:00:00.000Z",
                }
            del r["author_id"]
        replied = t.pop("in_reply_to_user", None)
        if replied:
            users.setdefault(replied["id"], replied)
        data.append(t)
    meta = {"result_count": len(data), "newest_id": data[0]["id"], "oldest_id": data[-1]["id"]}
    includes = {"users": list(users.values()), "tweets": list(tweets.values())}
    return json.dumps({"data": data, "includes": includes, "meta": meta})


def write(
    path: str | Path,
    lines: int,
    users: int,
    fmt: str = "v1",
    pad: int = 0,
    seed: int = 7,
    url_of: Callable[[int], str | None] | None = None,
    realistic: bool = False,
) -> Path:
    """Write a corpus (gzip when ``path`` ends in .gz); return the path."""
    path = Path(path)
    gz = path.suffix == ".gz"
    with gzip.open(path, "wt", compresslevel=1) if gz else open(path, "w", encoding="utf-8") as f:
        buf = []
        for line in tweets(lines, users, fmt, pad, seed, url_of, realistic):
            buf.append(line)
            if len(buf) >= 2000:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--format", choices=["v1", "v2", "v2pages"], default="v1")
    ap.add_argument(
        "--realistic", action="store_true", help="heavy-tailed users, real-looking locations"
    )
    ap.add_argument("--pad", type=int, default=0, help="bytes of profile text per tweet")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    write(args.output, args.lines, args.users, args.format, args.pad, realistic=args.realistic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
