"""A generator of realistic synthetic tweet corpora (v1.1 or v2 JSON lines).

Power-law activity (a few users write most tweets and draw most mentions and
retweets), realistic profile locations (big cities, towns, small towns, regions,
messy forms, junk, empty), repeated places, optional padding to make big files.

    python -m benchmarks.synth_tweets --lines 1000000 --users 50000 -o tweets.jsonl.gz
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
) -> Iterator[str]:
    """Yield ``lines`` JSON lines (no newline) of synthetic tweets; ``url_of(user)``,
    when given, is each user's profile URL (``None``: none)."""
    rng = random.Random(seed)
    locs = [LOCATIONS[rng.randrange(len(LOCATIONS))] for _ in range(users)]
    filler = "lorem ipsum dolor sit amet " * (pad // 27 + 1) if pad else ""
    for i in range(lines):
        a = _zipf_choice(rng, users)
        b = _zipf_choice(rng, users)
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
            if url_of is not None:
                tw["author"]["url"] = url_of(a)
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
            yield json.dumps(tw)


def write(
    path: str | Path,
    lines: int,
    users: int,
    fmt: str = "v1",
    pad: int = 0,
    seed: int = 7,
    url_of: Callable[[int], str | None] | None = None,
) -> Path:
    """Write a corpus (gzip when ``path`` ends in .gz); return the path."""
    path = Path(path)
    gz = path.suffix == ".gz"
    with gzip.open(path, "wt", compresslevel=1) if gz else open(path, "w", encoding="utf-8") as f:
        buf = []
        for line in tweets(lines, users, fmt, pad, seed, url_of):
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
    ap.add_argument("--format", choices=["v1", "v2"], default="v1")
    ap.add_argument("--pad", type=int, default=0, help="bytes of profile text per tweet")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    write(args.output, args.lines, args.users, args.format, args.pad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
