"""Twitter API v2 tweets as twarc2 writes them: response pages (``data`` +
``includes.users``/``includes.tweets``/``includes.places``) and twarc's
flattened lines (each tweet with its ``author`` and expanded references).

``referenced_tweets`` give retweet, quote and reply edges; ``entities.mentions``
the mentions (the retweeted or replied-to user is not counted again).  The
author's profile ``location`` and the tweet's ``geo`` (coordinates or place)
are kept.  Lines that carry only ``errors`` are counted in ``problems``, not fatal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ids import new_person
from ..model import Conversation
from .jsonrecords import looks_like_json, records

NAME = "Twitter v2 JSON (twarc2)"
KIND = {"retweeted": "retweet", "quoted": "quote", "replied_to": "reply"}


def sniff(head: str) -> bool:
    return (
        looks_like_json(head)
        and '"author_id"' in head
        and ('"data"' in head or '"author"' in head or '"username"' in head)
    )


def read(
    path: str | Path, author: str | None = None, shard: tuple[int, int, int] | None = None
) -> Conversation:
    """Read twarc2 pages or flattened lines from ``path``."""
    conv = Conversation(inputs=[str(path)])
    seen: set[str] = set()
    for where, value in records(path, conv, shard=shard):
        if not isinstance(value, dict):
            conv.problem(str(path), where, "not a JSON object; skipped")
            continue
        if "data" not in value and "errors" in value:
            for err in value["errors"][:3]:
                conv.problem(str(path), where, f"API error: {err.get('title') or err}")
            continue
        ref = f"{path}: {where}"
        if "data" in value:
            inc = value.get("includes") or {}
            users = {u["id"]: u for u in inc.get("users") or [] if "id" in u}
            tweets = {t["id"]: t for t in inc.get("tweets") or [] if "id" in t}
            places = {p["id"]: p for p in inc.get("places") or [] if "id" in p}
            data = value["data"] if isinstance(value["data"], list) else [value["data"]]
            for t in data:
                _tweet(t, users, tweets, places, conv, seen, ref)
            errors = value.get("errors") or []
            if errors:
                first = errors[0].get("detail") or errors[0].get("title") or errors[0]
                conv.problem(
                    str(path),
                    where,
                    f"{len(errors)} API error(s) in this page, "
                    f"e.g. {first}; the tweets it returned are kept",
                )
        elif "author_id" in value:
            author_user = value.get("author") or {}
            users = {author_user.get("id"): author_user} if author_user else {}
            tweets = {}
            for r in value.get("referenced_tweets") or []:
                if isinstance(r, dict) and r.get("id"):
                    tweets[r["id"]] = r
                    if isinstance(r.get("author"), dict):
                        users[r["author"].get("id")] = r["author"]
            for m in (value.get("entities") or {}).get("mentions") or []:
                if m.get("id"):
                    users.setdefault(m["id"], m)
            place = (
                ((value.get("geo") or {}).get("place"))
                if isinstance(value.get("geo"), dict)
                else None
            )
            places = {place["id"]: place} if isinstance(place, dict) and "id" in place else {}
            _tweet(value, users, tweets, places, conv, seen, ref)
        else:
            conv.problem(str(path), where, "neither a page ('data') nor a tweet; skipped")
    return conv


def _person(
    uid: str | None,
    users: dict[str, dict],
    conv: Conversation,
    ref: str,
    username: str | None = None,
) -> str | None:
    u = users.get(uid) if uid else None
    handle = (u or {}).get("username") or username
    if not handle:
        if not uid:
            return None
        p = new_person(f"user {uid}", handles={"twitter_id": uid}, source=ref, platform="twitter")
        return conv.add_person(p).id
    known = conv.people.get("twitter:" + handle.lower())
    if known is not None:  # fast path: seen before, only counted
        known.records += 1
        if u and not known.location_text and u.get("location"):
            known.location_text = u["location"].strip() or None
        if u and not known.urls and u.get("url"):
            known.urls.append(u["url"])
        return known.id
    p = new_person(
        (u or {}).get("name") or handle, handles={"twitter": handle}, source=ref, platform="twitter"
    )
    if u:
        if u.get("url"):
            p.urls.append(u["url"])
        loc = (u.get("location") or "").strip()
        if loc:
            p.location_text = loc
    return conv.add_person(p).id


def _tweet(
    t: dict[str, Any],
    users: dict,
    tweets: dict,
    places: dict,
    conv: Conversation,
    seen: set[str],
    ref: str,
) -> None:
    tid = str(t.get("id", ""))
    if tid in seen:
        return
    if len(seen) >= 1_000_000:  # bounded memory: duplicates within a million tweets
        seen.clear()
    seen.add(tid)
    me = _person(t.get("author_id"), users, conv, ref)
    if me is None:
        conv.problem(ref.split(": ", 1)[0], ref.split(": ", 1)[-1], f"tweet {tid} has no author")
        return
    tref = f"tweet {tid}"
    _geo(t, places, conv.people[me], tref)
    used: set[str] = set()
    for r in t.get("referenced_tweets") or []:
        kind = KIND.get(r.get("type"))
        if not kind:
            continue
        ref_tweet = tweets.get(r.get("id"), {})
        uid = ref_tweet.get("author_id") or (
            t.get("in_reply_to_user_id") if kind == "reply" else None
        )
        other = _person(uid, users, conv, ref)
        if other and other != me:
            conv.count(me, other, kind)
            used.add(other)
    if t.get("in_reply_to_user_id") and not any(
        r.get("type") == "replied_to" for r in t.get("referenced_tweets") or []
    ):
        other = _person(t["in_reply_to_user_id"], users, conv, ref)
        if other and other != me:
            conv.count(me, other, "reply")
            used.add(other)
    retweet = any(r.get("type") == "retweeted" for r in t.get("referenced_tweets") or [])
    for m in (t.get("entities") or {}).get("mentions") or []:
        other = _person(m.get("id"), users, conv, ref, username=m.get("username"))
        if other and other != me and other not in used and not retweet:
            conv.count(me, other, "mention")
            used.add(other)


def _geo(t: dict[str, Any], places: dict, person, ref: str) -> None:
    geo = t.get("geo")
    if not isinstance(geo, dict):
        return
    coords = geo.get("coordinates")
    if isinstance(coords, dict) and coords.get("type") == "Point":
        lon, lat = (coords.get("coordinates") or [None, None])[:2]
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            person.add_evidence("coordinates", (float(lat), float(lon)), ref)
            return
    place = places.get(geo.get("place_id")) or (
        geo.get("place") if isinstance(geo.get("place"), dict) else None
    )
    if isinstance(place, dict) and place.get("full_name"):
        text = place["full_name"]
        if place.get("place_type") == "city" or "," not in text:
            text = f"{text}, {place.get('country') or place.get('country_code') or ''}".strip(", ")
        person.add_evidence("tweet place", text, ref)
