"""Twitter API v1.1 tweets in every layout a user has: API response arrays, one
tweet per line (streams, twarc v1), search responses (``{"statuses": [...]}``,
whatever the key order, pretty-printed or on one line, one page per line),
premium/enterprise ``{"results": [...]}``, Gnip Activity Streams ("original
format" activities, also one per line), and user lists (``users/lookup`` arrays,
``{"users": [...]}`` pages, one user per line) read as profiles.

Each tweet's author is a participant (``twitter:<screen_name>``) with the
profile ``user.location`` as ``location_text``; tweet ``coordinates`` and
``place`` are kept as strong location evidence.  ``extended_tweet`` (its
``entities``) wins over the truncated fields; a tweet without ``id_str``
(2009–2010) is known by ``id``; a tweet without ``entities`` at all (before
2010) has its ``RT @x``, ``via @x`` and ``@x`` read from the text.

Edges: retweet → the original author, quote → the quoted author, reply → the one
replied to, mention → each other ``@user`` (the leading ``@x`` of a reply is not
counted again).  An embedded original (``retweeted_status``, ``quoted_status``) is
a tweet of its own author, counted once per tweet id: its mentions and replies are
that author's, so a retweeter gets one ``retweet`` edge and never the original's
mentions.  User lists give profiles (:attr:`~mapper.model.Person.profile_only`),
not participants; a Twitter *lists* response is refused with a message.

Lines are streamed and interactions counted as they come, so memory grows with
the number of people, not of tweets; a tweet id seen again within the last
``DEDUP_WINDOW`` tweets is skipped.  A record of the wrong shape is skipped and
named in ``problems``; the file goes on.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypedDict

import msgspec
from msgspec import UNSET, UnsetType

from .. import tally as tally_module
from ..ids import new_person, twitter_handle
from ..model import Conversation, Person, off_globe
from ..tally import Tally
from .base import InputError
from .jsonrecords import looks_like_json, nothing_read, records

NAME = "Twitter v1.1 JSON"


class _User(TypedDict, total=False):
    screen_name: str
    id_str: str
    id: int
    name: str
    url: str | None
    location: str | None


class _Mention(TypedDict, total=False):
    screen_name: str
    name: str


class _Entities(TypedDict, total=False):
    user_mentions: list[_Mention]


class _Extended(TypedDict, total=False):
    entities: _Entities


class _Tweet(TypedDict, total=False):
    """The fields mapper reads; the decoder skips every other field of a tweet."""

    id_str: str
    id: int
    user: _User
    retweeted_status: _Tweet
    quoted_status: _Tweet
    in_reply_to_screen_name: str | None
    entities: _Entities
    extended_tweet: _Extended
    coordinates: dict | None
    place: dict | None


def _typed(value: dict) -> bool:
    """A tweet the typed decoder read whole; other lines (search pages, activities,
    users, tweets without ``entities`` whose text is needed) are decoded as they are."""
    return "user" in value and "entities" in value


# The same fields as msgspec Structs, for the common line (one tweet with ``user`` and
# ``entities``): decoded into slots, not dicts, and read by attribute in
# :func:`_add_struct` (issue #17).  Types as strict as the TypedDicts above (a null
# where they want text fails and the line goes the dict way); an absent field is UNSET.
class _SUser(msgspec.Struct, gc=False):
    screen_name: str | UnsetType = UNSET
    id_str: str | UnsetType = UNSET
    id: int | UnsetType = UNSET
    name: str | UnsetType = UNSET
    url: str | UnsetType | None = UNSET
    location: str | UnsetType | None = UNSET


class _SMention(msgspec.Struct, gc=False):
    screen_name: str | UnsetType = UNSET
    name: str | UnsetType = UNSET


class _SEntities(msgspec.Struct, gc=False):
    user_mentions: list[_SMention] | UnsetType = UNSET


class _SExtended(msgspec.Struct, gc=False):
    entities: _SEntities | UnsetType = UNSET


class _STweet(msgspec.Struct):
    id_str: str | UnsetType = UNSET
    id: int | UnsetType = UNSET
    user: _SUser | UnsetType = UNSET
    retweeted_status: _SEmbedded | UnsetType = UNSET
    quoted_status: _SEmbedded | UnsetType = UNSET
    in_reply_to_screen_name: str | UnsetType | None = UNSET
    entities: _SEntities | UnsetType = UNSET
    extended_tweet: _SExtended | UnsetType = UNSET
    coordinates: dict | UnsetType | None = UNSET
    place: dict | UnsetType | None = UNSET


class _SEmbedded(_STweet):
    """An embedded original, with its text: one from 2009–2010 has no ``entities``
    and its ``@x`` are read from the text (:func:`_text_interactions`)."""

    text: str | UnsetType | None = UNSET
    full_text: str | UnsetType | None = UNSET


def _struct_whole(value: Any) -> bool:
    """A line the Struct decoder read whole (a tweet with ``user`` and ``entities``)."""
    return value.user is not UNSET and value.entities is not UNSET


DEDUP_WINDOW = 1_000_000

#: while :func:`read` runs with ``by_handle``: that set, to which a person first met
#: by ``@handle`` (a mention, a reply, no tweet of theirs) is added when made
_BY_HANDLE: ContextVar[set[str] | None] = ContextVar("by_handle", default=None)

_screen_name = re.compile(r'"(?:screen_name|preferredUsername)"\s*:')


def sniff(head: str) -> bool:
    return looks_like_json(head) and _screen_name.search(head) is not None


class _Ref:
    """Where a record was seen, formatted only if someone asks (a new person's
    ``merged_from``, a problem): building a string per line costs more than the line."""

    __slots__ = ("path", "where")

    def __init__(self, path, where):
        self.path, self.where = path, where

    def __str__(self) -> str:
        return f"{self.path}: {self.where}"


class Shape(ValueError):
    """A record of the wrong shape: skipped and named in ``problems``."""


def read(
    path: str | Path,
    author: str | None = None,
    shard: tuple[int, int, int] | None = None,
    by_handle: set[str] | None = None,
) -> Conversation:
    """Read v1.1 tweets (and user lists) from ``path`` (see the module docstring).
    ``by_handle``: a set given receives the ids of the people first met by
    ``@handle`` rather than as the author of a tweet or a profile (the Dask engine
    folds a range's people with it: :mod:`mapper.columns`)."""
    if by_handle is not None:
        token = _BY_HANDLE.set(by_handle)
        try:
            return read(path, author, shard)
        finally:
            _BY_HANDLE.reset(token)
    conv = Conversation(inputs=[str(path)])
    seen: set[str] = set()
    names: dict[str, Person] = {}
    tally = Tally()
    lines = records(path, conv, line_type=_STweet, shard=shard, typed_if=_struct_whole)
    settle_at = tally_module.SETTLE_AT
    for where, value in lines:
        if len(tally.src) >= settle_at:
            tally.settle(settle_at)  # memory bounded by ties, not tweets
        if type(value) is _STweet:
            try:  # one tweet a line: the hot path
                _add_struct(value, conv, seen, names, _Ref(path, where), tally)
            except (TypeError, AttributeError, KeyError, ValueError) as e:
                _skipped(e, where, path, conv)
            continue
        if type(value) is dict and type(value.get("user")) is dict and "entities" in value:
            try:  # one tweet a line: the hot path
                add_tweet(value, conv, seen, _Ref(path, where), tally)
            except (TypeError, AttributeError, KeyError, ValueError) as e:
                _skipped(e, where, path, conv)
            continue
        items, what = _unwrap(value)
        for i, item in enumerate(items):
            where_i = where if len(items) == 1 else f"{where}, {what} {i + 1}"
            _one(item, where_i, path, conv, seen, tally)
    if len(tally):
        conv.counts = tally.table()  # type: ignore[assignment]  # a dict to every reader
    if shard is None:
        nothing_read(conv, path, "tweets or users")
    return conv


def _unwrap(value: Any) -> tuple[list, str]:
    """The records a JSON value holds: a search page's ``statuses``, a premium or
    Gnip ``results``, a ``users`` page, an array, or the value itself."""
    if isinstance(value, dict):
        for key, what in (("statuses", "tweet"), ("results", "result"), ("users", "user")):
            if isinstance(value.get(key), list):
                return value[key], what
        if isinstance(value.get("lists"), list):
            return value["lists"], "list"
        return [value], "record"
    if isinstance(value, list):
        return value, "record"
    return [value], "record"


def _one(item: Any, where: str, path, conv: Conversation, seen: set[str], tally: Tally) -> None:
    """Add one record of any kind, or name it in ``problems``."""
    ref = _Ref(path, where)
    try:
        if type(item) is not dict:
            raise Shape(f"a JSON {type(item).__name__}, not an object")
        if type(item.get("user")) is dict and "member_count" in item and "mode" in item:
            _refuse_lists(item, path)
        if type(item.get("user")) is dict:
            add_tweet(item, conv, seen, ref, tally)
        elif isinstance(item.get("actor"), dict) and "verb" in item:
            activity = from_activity(item)
            if activity is not None:
                add_tweet(activity, conv, seen, ref, tally)
        elif "screen_name" in item:
            profile(item, conv, ref)
        elif "delete" in item or "limit" in item or "scrub_geo" in item:
            return  # stream control messages
        else:
            raise Shape("not a tweet (no 'user')")
    except (TypeError, AttributeError, KeyError, ValueError) as e:
        _skipped(e, where, path, conv)


def _skipped(e: Exception, where: str, path, conv: Conversation) -> None:
    """Name a record of the wrong shape in ``problems``."""
    if isinstance(e, Shape):
        conv.problem(str(path), where, f"{e}; skipped")
    else:
        what = f"record of unexpected shape ({type(e).__name__}: {e}); skipped"
        conv.problem(str(path), where, what)


def _refuse_lists(item: dict, path) -> None:
    owner = item["user"].get("screen_name") or "?"
    raise InputError(
        f"{path}: a Twitter lists response (lists such as {str(item.get('name'))[:40]!r} "
        f"owned by @{owner}, {item.get('member_count')} members), not tweets or users: "
        "a list's owner is not a participant; give mapper the list's tweets or its "
        "members (lists/members, a users array) instead"
    )


def _screen(user: dict[str, Any]) -> str:
    name = user.get("screen_name")
    if type(name) is str and name:
        return name
    if name is not None and name != "":
        raise Shape(f"screen_name is a {type(name).__name__} ({str(name)[:30]}), not text")
    uid = user.get("id_str") or user.get("id")
    if uid is None or uid == "":
        raise Shape("a user with neither screen_name nor id")
    return str(uid)


def _person(user: dict[str, Any], conv: Conversation, ref: Any) -> str:
    name = user.get("screen_name")
    if type(name) is not str or not name:
        name = _screen(user)
    # fast path: someone already seen (most lines of a big archive) is only counted
    known = conv.people.get("twitter:" + name.lower())
    if known is not None:
        known.records += 1
        known.profile_only = False
        if not known.location_text and user.get("location"):
            known.location_text = _text(user["location"])
        return known.id
    p = new_person(
        _text(user.get("name")) or name, handles={"twitter": name}, source=ref, platform="twitter"
    )
    url = user.get("url")
    if url and type(url) is str:
        p.urls.append(url)
    p.location_text = _text(user.get("location"))
    return conv.add_person(p).id


def _text(value: Any) -> str | None:
    return value.strip() or None if type(value) is str else None


def profile(user: dict[str, Any], conv: Conversation, ref: Any) -> str:
    """A user object from a user list: a profile that can locate a participant with
    the same handle, not a participant itself."""
    name = _screen(user)
    p = new_person(
        _text(user.get("name")) or name, handles={"twitter": name}, source=ref, platform="twitter"
    )
    url = user.get("url")
    if url and type(url) is str:
        p.urls.append(url)
    p.location_text = _text(user.get("location"))
    p.profile_only = True
    return conv.add_person(p).id


def _handle(handle: str, name: str | None, conv: Conversation, ref: Any) -> str:
    """The id of the person with this handle (created on first sight)."""
    known = conv.people.get("twitter:" + handle.lower())
    if known is not None:
        known.profile_only = False
        return known.id
    p = new_person(name or handle, handles={"twitter": handle}, source=ref, platform="twitter")
    got = conv.add_person(p)
    met = _BY_HANDLE.get()
    if met is not None:
        met.add(got.id)
    return got.id


def _tweet_id(tweet: dict[str, Any]) -> str:
    tid = tweet.get("id_str")
    if tid:
        return str(tid)
    tid = tweet.get("id")
    return str(tid) if tid is not None else ""


def add_tweet(
    tweet: dict[str, Any],
    conv: Conversation,
    seen: set[str],
    ref: Any,
    tally: Tally,
    me: str | None = None,
    depth: int = 0,
) -> None:
    """Add one tweet (and the tweets embedded in it, each as its own author's) to
    ``conv``; ``me`` is its author's id when the caller already knows it."""
    tid = tweet.get("id_str") or _tweet_id(tweet)
    if tid and tid in seen:
        return
    reply_to = tweet.get("in_reply_to_screen_name")
    if reply_to is not None and type(reply_to) is not str:
        raise Shape(f"in_reply_to_screen_name is a {type(reply_to).__name__}, not text")
    if me is None:
        me = _person(tweet["user"], conv, ref)
    if len(seen) >= DEDUP_WINDOW:
        seen.clear()
    if tid:
        seen.add(tid)
    if tweet.get("coordinates") or tweet.get("place"):
        _location_evidence(tweet, conv.people[me], f"tweet {tid}", conv, ref)
    rt = tweet.get("retweeted_status")
    if type(rt) is dict and type(rt.get("user")) is dict:
        other = _person(rt["user"], conv, ref)
        tally.count(me, other, "retweet")
        if depth < 3:  # the original is its author's tweet; its mentions are not the retweeter's
            add_tweet(rt, conv, seen, ref, tally, other, depth + 1)
        return
    used: set[str] = set()
    qt = tweet.get("quoted_status")
    if type(qt) is dict and type(qt.get("user")) is dict:
        other = _person(qt["user"], conv, ref)
        tally.count(me, other, "quote")
        used.add(other)
        if depth < 3:
            add_tweet(qt, conv, seen, ref, tally, other, depth + 1)
    if reply_to:
        other = _handle(reply_to, None, conv, ref)
        tally.count(me, other, "reply")
        used.add(other)
    ext = tweet.get("extended_tweet")
    entities = ext.get("entities") if type(ext) is dict and "entities" in ext else None
    if entities is None:
        entities = tweet.get("entities")
    if entities is None:
        _text_interactions(tweet, me, used, conv, tally, ref)
        return
    for m in (entities.get("user_mentions") if type(entities) is dict else None) or []:
        if type(m) is not dict:
            conv.problem(
                str(ref.path),
                ref.where,
                f"tweet {tid}: a mention that is a {type(m).__name__}, not an object; "
                "that mention skipped",
            )
            continue
        h = m.get("screen_name")
        if not h or type(h) is not str:
            continue
        other = _handle(h, _text(m.get("name")), conv, ref)
        if other not in used:
            tally.count(me, other, "mention")
            used.add(other)


def _add_struct(
    t: _STweet,
    conv: Conversation,
    seen: set[str],
    names: dict[str, Person],
    ref: Any,
    tally: Tally,
    me: str | None = None,
    depth: int = 0,
) -> None:
    """:func:`add_tweet` for a tweet decoded into :class:`_STweet` (the same rules,
    read by attribute); ``names`` holds the person of each screen name already met."""
    tid = t.id_str or (str(t.id) if t.id is not UNSET else "")
    if tid and tid in seen:
        return
    reply_to = t.in_reply_to_screen_name
    if me is None:
        me = _struct_person(t.user, conv, names, ref)
    if len(seen) >= DEDUP_WINDOW:
        seen.clear()
    if tid:
        seen.add(tid)
    if t.coordinates or t.place:
        where = {"coordinates": t.coordinates, "place": t.place}
        _location_evidence(where, conv.people[me], f"tweet {tid}", conv, ref)
    rt = t.retweeted_status
    if rt and rt.user:
        other = _struct_person(rt.user, conv, names, ref)
        tally.count(me, other, "retweet")
        if depth < 3:  # the original is its author's tweet; its mentions are not the retweeter's
            _add_struct(rt, conv, seen, names, ref, tally, other, depth + 1)
        return
    used: set[str] = set()
    qt = t.quoted_status
    if qt and qt.user:
        other = _struct_person(qt.user, conv, names, ref)
        tally.count(me, other, "quote")
        used.add(other)
        if depth < 3:
            _add_struct(qt, conv, seen, names, ref, tally, other, depth + 1)
    if reply_to:
        other = _named(reply_to, None, conv, names, ref)
        tally.count(me, other, "reply")
        used.add(other)
    ext = t.extended_tweet
    entities = ext.entities if ext and ext.entities else t.entities
    if not entities:  # an embedded original from before entities: read its text
        if type(t) is _SEmbedded:
            text = {"text": t.text, "full_text": t.full_text}
            _text_interactions(text, me, used, conv, tally, ref)
        return
    for m in entities.user_mentions or ():
        h = m.screen_name
        if not h:
            continue
        other = _named(h, _text(m.name), conv, names, ref)
        if other not in used:
            tally.count(me, other, "mention")
            used.add(other)


def _struct_person(
    user: _SUser | UnsetType, conv: Conversation, names: dict[str, Person], ref: Any
) -> str:
    """:func:`_person` for a :class:`_SUser`."""
    assert user is not UNSET
    name = user.screen_name
    if not name:
        uid: Any = user.id_str or user.id
        if uid is UNSET or uid == "":
            raise Shape("a user with neither screen_name nor id")
        name = str(uid)
    known = names.get(name)
    if known is None:
        known = conv.people.get("twitter:" + name.lower())
    if known is not None:
        names[name] = known
        known.records += 1
        known.profile_only = False
        if not known.location_text and user.location:
            known.location_text = _text(user.location)
        return known.id
    p = _new(_text(user.name) or name, name, ref)
    url = user.url
    if url:
        p.urls.append(url)
    p.location_text = _text(user.location)
    got = names[name] = conv.add_person(p)
    return got.id


def _new(name: str, handle: str, ref: Any) -> Person:
    """``new_person(name, handles={"twitter": handle}, source=ref, platform="twitter")``
    without its general checks (a person a tweet names: once per distinct person)."""
    pid = "twitter:" + handle.lower()
    p = Person(id=pid, name=name.strip() or handle, handles={"twitter": handle})
    p.merged_from.append(f"{pid} ({ref})")
    return p


def _named(
    handle: str, name: str | None, conv: Conversation, names: dict[str, Person], ref: Any
) -> str:
    """:func:`_handle` with the screen names already met at hand."""
    known = names.get(handle)
    if known is None:
        known = conv.people.get("twitter:" + handle.lower())
    if known is not None:
        names[handle] = known
        known.profile_only = False
        return known.id
    got = names[handle] = conv.add_person(_new(name or handle, handle, ref))
    met = _BY_HANDLE.get()
    if met is not None:
        met.add(got.id)
    return got.id


_mention_re = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,15})\b")
_rt_re = re.compile(r"^\s*RT\s+@([A-Za-z0-9_]{1,15})\b", re.I)
_via_re = re.compile(r"\bvia\s+@([A-Za-z0-9_]{1,15})\b", re.I)


def _text_interactions(
    tweet: dict[str, Any],
    me: str,
    used: set[str],
    conv: Conversation,
    tally: Tally,
    ref: Any,
) -> None:
    """A tweet from before ``entities`` (2009–2010): ``RT @x`` is a retweet, ``via @x``
    credits x, any other ``@x`` is a mention."""
    ext = tweet.get("extended_tweet")
    text = (ext.get("full_text") if type(ext) is dict else None) or tweet.get("full_text")
    text = text or tweet.get("text")
    if type(text) is not str:
        return
    rt = _rt_re.match(text)
    if rt:
        other = _handle(rt.group(1), None, conv, ref)
        tally.count(me, other, "retweet")
        used.add(other)
    for h in _via_re.findall(text):
        other = _handle(h, None, conv, ref)
        if other not in used:
            tally.count(me, other, "via")
            used.add(other)
    for h in _mention_re.findall(text):
        other = _handle(h, None, conv, ref)
        if other not in used:
            tally.count(me, other, "mention")
            used.add(other)


def from_activity(a: dict[str, Any]) -> dict[str, Any] | None:
    """A Gnip Activity Streams activity as the v1.1 tweet it stands for (author,
    text, mentions, reply, retweeted and quoted originals, geo, place)."""
    actor = a["actor"]
    handle = actor.get("preferredUsername")
    if not handle:
        raise Shape("an activity whose actor has no preferredUsername")
    loc = actor.get("location")
    links = actor.get("links") or []
    user = {
        "screen_name": handle,
        "name": actor.get("displayName"),
        "location": loc.get("displayName") if isinstance(loc, dict) else None,
        "url": next((x.get("href") for x in links if isinstance(x, dict) and x.get("href")), None),
    }
    long: dict[str, Any] = a["long_object"] if isinstance(a.get("long_object"), dict) else {}
    tweet: dict[str, Any] = {
        "id_str": str(a.get("id") or "").rsplit(":", 1)[-1],
        "user": user,
        "text": long.get("body") or a.get("body"),
    }
    entities = long.get("twitter_entities") or a.get("twitter_entities")
    if entities is not None:
        tweet["entities"] = entities
    reply = a.get("inReplyTo")
    if isinstance(reply, dict):
        to = twitter_handle(reply.get("link"))
        if to:
            tweet["in_reply_to_screen_name"] = to[0]
    if a.get("verb") == "share" and isinstance(a.get("object"), dict):
        original = a["object"]
        if isinstance(original.get("actor"), dict):
            tweet["retweeted_status"] = from_activity(original)
    quoted = a.get("twitter_quoted_status")
    if isinstance(quoted, dict) and isinstance(quoted.get("actor"), dict):
        tweet["quoted_status"] = from_activity(quoted)
    geo = a.get("geo")
    if isinstance(geo, dict) and geo.get("type") == "Point":
        lat, lon = (geo.get("coordinates") or [None, None])[:2]  # Gnip writes lat, lon
        tweet["coordinates"] = {"type": "Point", "coordinates": [lon, lat]}
    place = a.get("location")
    if isinstance(place, dict) and place.get("displayName"):
        tweet["place"] = {
            "full_name": place["displayName"],
            "country": place.get("country_code"),
            "place_type": place.get("twitter_place_type"),
        }
    return tweet


def _location_evidence(
    tweet: dict[str, Any], person, ref: str, conv: Conversation | None = None, at: Any = None
) -> None:
    coords = tweet.get("coordinates")
    if isinstance(coords, dict) and coords.get("type") == "Point":
        lon, lat = ((coords.get("coordinates") or [None, None]) + [None, None])[:2]
        off = off_globe(lat, lon)
        if off is None:
            person.add_evidence("coordinates", (float(lat), float(lon)), ref)
            return
        if conv is not None and at is not None and (lat, lon) != (None, None):
            conv.problem(str(at.path), at.where, f"{ref}: {off}; those coordinates skipped")
    place = tweet.get("place")
    if isinstance(place, dict) and place.get("full_name"):
        country = place.get("country") or place.get("country_code") or ""
        text = (
            place["full_name"]
            if place.get("place_type") != "city" or not country
            else f"{place['full_name']}, {country}"
        )
        person.add_evidence("tweet place", text, ref)
