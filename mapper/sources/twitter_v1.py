"""Twitter API v1.1 tweets: API response arrays, one tweet per line (streams,
twarc v1), and search responses (``{"statuses": [...]}``).

Each tweet's author is a participant (``twitter:<screen_name>``) with the
profile ``user.location`` as ``location_text``; tweet ``coordinates`` and
``place`` are kept as strong location evidence.  Edges: retweet → the original
author (``retweeted_status``), quote → the quoted author, reply → the one
replied to, mention → each other ``@user``; the ``@x`` of ``RT @x`` and the
leading ``@x`` of a reply are not counted again as mentions.  The author of an
embedded original or quoted tweet becomes a participant; that tweet's own
mentions count when the tweet itself is in the file.

Lines are streamed and interactions counted as they come, so memory grows with
the number of people, not of tweets; a tweet id seen again within the last
``DEDUP_WINDOW`` tweets is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from ..ids import new_person
from ..model import Conversation
from .jsonrecords import looks_like_json, records

NAME = "Twitter v1.1 JSON"


class _User(TypedDict, total=False):
    screen_name: str
    id_str: str
    id: int
    name: str
    url: str | None
    location: str | None


class _Embedded(TypedDict, total=False):
    id_str: str
    user: _User


class _Mention(TypedDict, total=False):
    screen_name: str
    name: str


class _Entities(TypedDict, total=False):
    user_mentions: list[_Mention]


class _Tweet(TypedDict, total=False):
    """The fields mapper reads; the decoder skips every other field of a tweet."""

    id_str: str
    id: int
    user: _User
    retweeted_status: _Embedded
    quoted_status: _Embedded
    in_reply_to_screen_name: str | None
    entities: _Entities
    coordinates: dict | None
    place: dict | None
    delete: dict
    limit: dict


DEDUP_WINDOW = 1_000_000


def sniff(head: str) -> bool:
    return (
        looks_like_json(head)
        and '"screen_name"' in head
        and '"user"' in head
        and ('"id_str"' in head or '"statuses"' in head)
    )


class _Ref:
    """Where a record was seen, formatted only if someone asks (a new person's
    ``merged_from``, a problem): building a string per line costs more than the line."""

    __slots__ = ("path", "where")

    def __init__(self, path, where):
        self.path, self.where = path, where

    def __str__(self) -> str:
        return f"{self.path}: {self.where}"


def read(
    path: str | Path, author: str | None = None, shard: tuple[int, int, int] | None = None
) -> Conversation:
    """Read v1.1 tweets from ``path`` (see the module docstring)."""
    conv = Conversation(inputs=[str(path)])
    seen: set[str] = set()
    for where, value in records(path, conv, line_type=_Tweet, shard=shard):
        if type(value) is dict and type(value.get("user")) is dict:  # one tweet a line
            add_tweet(value, conv, seen, _Ref(path, where))
            continue
        items = value.get("statuses") if isinstance(value, dict) and "statuses" in value else value
        items = items if isinstance(items, list) else [items]
        for i, tweet in enumerate(items):
            loc = where if len(items) == 1 else f"{where}, tweet {i + 1}"
            if not isinstance(tweet, dict) or not isinstance(tweet.get("user"), dict):
                if isinstance(tweet, dict) and ("delete" in tweet or "limit" in tweet):
                    continue  # stream control messages
                conv.problem(str(path), loc, "not a tweet (no 'user'); skipped")
                continue
            add_tweet(tweet, conv, seen, _Ref(path, loc))
    return conv


def _person(user: dict[str, Any], conv: Conversation, ref: Any) -> str:
    name = user.get("screen_name") or user.get("id_str") or str(user.get("id", ""))
    # fast path: someone already seen (most lines of a big archive) is only counted
    known = conv.people.get("twitter:" + name.lower())
    if known is not None:
        known.records += 1
        if not known.location_text and user.get("location"):
            known.location_text = user["location"].strip() or None
        return known.id
    p = new_person(
        user.get("name") or name, handles={"twitter": name}, source=ref, platform="twitter"
    )
    url = user.get("url")
    if url:
        p.urls.append(url)
    loc = (user.get("location") or "").strip()
    if loc:
        p.location_text = loc
    return conv.add_person(p).id


def _handle(handle: str, name: str | None, conv: Conversation, ref: Any) -> str:
    """The id of the person with this handle (created on first sight)."""
    known = conv.people.get("twitter:" + handle.lower())
    if known is not None:
        return known.id
    p = new_person(name or handle, handles={"twitter": handle}, source=ref, platform="twitter")
    return conv.add_person(p).id


def add_tweet(tweet: dict[str, Any], conv: Conversation, seen: set[str], ref: Any) -> None:
    """Add one tweet (and the tweets embedded in it) to ``conv``."""
    tid = tweet.get("id_str") or str(tweet.get("id", ""))
    if tid and tid in seen:
        return
    if len(seen) >= DEDUP_WINDOW:
        seen.clear()
    seen.add(tid)
    me = _person(tweet["user"], conv, ref)
    if tweet.get("coordinates") or tweet.get("place"):
        _location_evidence(tweet, conv.people[me], f"tweet {tid}")
    used: set[str] = set()
    rt = tweet.get("retweeted_status")
    if isinstance(rt, dict) and isinstance(rt.get("user"), dict):
        other = _person(rt["user"], conv, ref)
        conv.count(me, other, "retweet")
        return  # a retweet's text and mentions are the original's
    qt = tweet.get("quoted_status")
    if isinstance(qt, dict) and isinstance(qt.get("user"), dict):
        other = _person(qt["user"], conv, ref)
        conv.count(me, other, "quote")
        used.add(other)
    reply_to = tweet.get("in_reply_to_screen_name")
    if reply_to:
        other = _handle(reply_to, None, conv, ref)
        conv.count(me, other, "reply")
        used.add(other)
    for m in (tweet.get("entities") or {}).get("user_mentions") or []:
        h = m.get("screen_name")
        if not h:
            continue
        other = _handle(h, m.get("name"), conv, ref)
        if other not in used:
            conv.count(me, other, "mention")
            used.add(other)


def _location_evidence(tweet: dict[str, Any], person, ref: str) -> None:
    coords = tweet.get("coordinates")
    if isinstance(coords, dict) and coords.get("type") == "Point":
        lon, lat = coords.get("coordinates", [None, None])[:2]
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            person.add_evidence("coordinates", (float(lat), float(lon)), ref)
            return
    place = tweet.get("place")
    if isinstance(place, dict) and place.get("full_name"):
        country = place.get("country") or place.get("country_code") or ""
        text = (
            place["full_name"]
            if place.get("place_type") != "city" or not country
            else f"{place['full_name']}, {country}"
        )
        person.add_evidence("tweet place", text, ref)
