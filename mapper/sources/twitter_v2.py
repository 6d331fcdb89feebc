"""Twitter API v2 tweets as twarc2 writes them: response pages (``data`` +
``includes.users``/``includes.tweets``/``includes.places``) and twarc's
flattened lines (each tweet with its ``author`` and expanded references).

``referenced_tweets`` give retweet, quote and reply edges; ``entities.mentions``
the mentions (the retweeted or replied-to user is not counted again).  The
author's profile ``location`` and the tweet's ``geo`` (coordinates or place)
are kept.  Lines that carry only ``errors`` are counted in ``problems``, not fatal.
"""

from __future__ import annotations

import gc
import re
from array import array
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any, TypedDict

import msgspec
from msgspec import UNSET, UnsetType

from .. import tally as tally_module
from ..ids import new_person, twitter_handle
from ..model import Conversation, Person, off_globe
from ..tally import KIND_CODE, Tally
from .jsonrecords import looks_like_json, nothing_read, records

NAME = "Twitter v2 JSON (twarc2)"
KIND = {"retweeted": "retweet", "quoted": "quote", "replied_to": "reply"}


class _User(TypedDict, total=False):
    id: str
    username: str
    name: str
    url: str | None
    location: str | None


class _Url(TypedDict, total=False):
    expanded_url: str | None


class _Entities(TypedDict, total=False):
    mentions: list[_User]
    urls: list[_Url]


class _Tweet(TypedDict, total=False):
    """The fields mapper reads of a tweet, a referenced tweet or a user in ``data``:
    the shape of the dicts the dict path reads (no longer a decoder: lines are decoded
    into the Structs below, and turned back into these dicts unless they are pages)."""

    id: str
    author_id: str
    text: str
    type: str
    username: str
    name: str
    url: str | None
    location: str | None
    author: _User
    in_reply_to_user: _User
    in_reply_to_user_id: str
    entities: _Entities
    geo: dict | None
    referenced_tweets: list[_Tweet]


class _Includes(TypedDict, total=False):
    users: list[_User]
    tweets: list[_Tweet]
    places: list[dict]


class _Line(_Tweet, total=False):
    """One line as the dict path sees it: a twarc2 page, a flattened tweet or a user
    (the Structs below decode it; a line of another shape or types fails that decode
    and is decoded as it is, so the reader sees every field and names what is wrong)."""

    data: list[_Tweet] | _Tweet
    includes: _Includes
    errors: list[Any]


# The same fields as msgspec Structs (issue #17, as twitter_v1's Struct path): every
# line is decoded into these, field types as strict as the TypedDicts above (a value of
# another type fails the decode and the line is decoded as it is); an absent field is
# UNSET.  A twarc2 page (``data`` a list of tweets) is read by attribute in
# :func:`_page`; any other line is turned back into the dict the TypedDicts would
# have given (``msgspec.to_builtins`` drops UNSET fields) and read as before.
class _SUser(msgspec.Struct, gc=False):
    id: str | UnsetType = UNSET
    username: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    url: str | UnsetType | None = UNSET
    location: str | UnsetType | None = UNSET


class _SUrl(msgspec.Struct, gc=False):
    expanded_url: str | UnsetType | None = UNSET


class _SEntities(msgspec.Struct, gc=False):
    mentions: list[_SUser] | UnsetType = UNSET
    urls: list[_SUrl] | UnsetType = UNSET


class _STweet(msgspec.Struct, gc=False):
    id: str | UnsetType = UNSET
    author_id: str | UnsetType = UNSET
    text: str | UnsetType = UNSET
    type: str | UnsetType = UNSET
    username: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    url: str | UnsetType | None = UNSET
    location: str | UnsetType | None = UNSET
    author: _SUser | UnsetType = UNSET
    in_reply_to_user: _SUser | UnsetType = UNSET
    in_reply_to_user_id: str | UnsetType = UNSET
    entities: _SEntities | UnsetType = UNSET
    geo: dict | UnsetType | None = UNSET
    referenced_tweets: list[_STweet] | UnsetType = UNSET


class _SIncludes(msgspec.Struct, gc=False):
    users: list[_SUser] | UnsetType = UNSET
    tweets: list[_STweet] | UnsetType = UNSET
    places: list[dict] | UnsetType = UNSET


class _SLine(_STweet, gc=False):
    data: list[_STweet] | _STweet | UnsetType = UNSET
    includes: _SIncludes | UnsetType = UNSET
    errors: list[Any] | UnsetType = UNSET


def _is_page(line: _SLine) -> bool:
    """A twarc2 page of tweets, read by :func:`_page`: ``data`` a list with no user
    (a users response's item: ``username`` and no ``text``) in it."""
    data = line.data
    if type(data) is not list:
        return False
    if set(map(_username, data)) <= _NO_NAME:
        return True  # no item has a username (asked in C: most pages)
    return all(t.text is not UNSET or t.username is UNSET for t in data)


_username, _NO_NAME = attrgetter("username"), {UNSET}


def sniff(head: str) -> bool:
    if not looks_like_json(head) or '"acct"' in head:
        return False
    if '"author_id"' in head:
        return '"data"' in head or '"author"' in head or '"username"' in head
    # a users response (users/lookup, followers): users with a username, no screen_name
    return '"data"' in head and '"username"' in head and '"screen_name"' not in head


def read(
    path: str | Path, author: str | None = None, shard: tuple[int, int, int] | None = None
) -> Conversation:
    """Read twarc2 pages, flattened lines or users responses from ``path``."""
    conv = Conversation(inputs=[str(path)])
    seen: set[str] = set()
    tally = Tally()
    file = _File(conv, tally, seen)
    # The cyclic collector paused while the file is read (as it was, after): reading
    # makes no reference cycles (decoded pages are Structs it does not track, people
    # and their dicts refer to no one), and each pass walked every person made so far
    # for nothing — 0.45 s of CPU for 24 objects collected at 1M tweets (issue #17).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for where, value in records(path, conv, line_type=_SLine, shard=shard):
            try:
                if type(value) is _SLine:
                    if _is_page(value):
                        _page(value, where, str(path), file)
                        continue
                    value = msgspec.to_builtins(value)
                _value(value, where, str(path), conv, seen, tally)
            except (TypeError, AttributeError, KeyError, ValueError) as e:
                conv.problem(
                    str(path),
                    where,
                    f"record of unexpected shape ({type(e).__name__}: {e}); skipped",
                )
    finally:
        if gc.get_freeze_count() == 0:
            # What was made while reading lives on (people, their lists): moved to the
            # oldest generation, the collector's next young pass does not traverse it
            # all (~1M objects, 0.2 s of CPU at 1M tweets; it collected nothing).
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()
    file.bumped()
    if len(tally):
        conv.counts = tally.table()  # type: ignore[assignment]  # a dict to every reader
    if shard is None:
        nothing_read(conv, path, "tweets or users")
    return conv


def _value(
    value: Any, where: str, path: str, conv: Conversation, seen: set[str], tally: Tally
) -> None:
    if not isinstance(value, dict):
        conv.problem(path, where, "not a JSON object; skipped")
        return
    if "data" not in value and "errors" in value:
        for err in _list(value["errors"])[:3]:
            conv.problem(path, where, f"API error: {_error_text(err)}")
        return
    ref = f"{path}: {where}"
    if "data" in value:
        inc = _dict(value.get("includes"))
        users = _by_id(inc.get("users"))
        # a page's mentions may carry a username and no id: their users by name too
        by_name = {
            "@" + u["username"].lower(): u
            for u in users.values()
            if isinstance(u.get("username"), str)
        }
        users.update(by_name)
        tweets = _by_id(inc.get("tweets"))
        places = _by_id(inc.get("places"))
        data = value["data"] if isinstance(value["data"], list) else [value["data"]]
        profiles = False
        for i, t in enumerate(data):
            if isinstance(t, dict) and "username" in t and "text" not in t:
                _profile(t, conv, ref)  # a users response (users/lookup, followers)
                profiles = True
            else:
                _isolated(
                    t,
                    users,
                    tweets,
                    places,
                    conv,
                    seen,
                    ref,
                    path,
                    f"{where}, tweet {i + 1}",
                    tally,
                )
        # the tweets a page refers to are tweets of their own authors, each counted once
        # (a users response's includes.tweets are pinned tweets, not a conversation)
        for tid, t in {} if profiles else tweets.items():
            _isolated(
                t, users, tweets, places, conv, seen, ref, path, f"{where}, tweet {tid}", tally
            )
        _page_errors(conv, path, where, _list(value.get("errors")))
    elif "author_id" in value:
        # twarc's flattened line: the tweet with its references expanded, each with
        # its author (and, a level down, theirs)
        users, tweets, places = {}, {}, {}
        _expanded(value, users, tweets, places, 0)
        _tweet(value, users, tweets, places, conv, seen, ref, tally)
        for tid, t in tweets.items():  # the tweets it refers to: their authors' tweets
            if "author_id" in t:
                _isolated(
                    t, users, tweets, places, conv, seen, ref, path, f"{where}, tweet {tid}", tally
                )
    elif "username" in value:
        _profile(value, conv, ref)  # one user a line
    else:
        conv.problem(path, where, "neither a page ('data') nor a tweet; skipped")


def _page(page: _SLine, where: str, path: str, file: _File) -> None:
    """:func:`_value` for a page decoded into :class:`_SLine` (the same rules, read by
    attribute), with what is kept from page to page in ``file``."""
    inc = page.includes
    users: dict[str, _SUser] = {}
    tweets: dict[str, _STweet] = {}
    places: dict[str, dict] = {}
    if inc:
        users = {u.id: u for u in inc.users or () if u.id is not UNSET}
        # a page's mentions may carry a username and no id: their users by name too,
        # made when a look-up needs them (_Look.user)
        tweets = {t.id: t for t in inc.tweets or () if t.id is not UNSET}
        places = _by_id(inc.places or None)
    look = _Look(users, file, f"{path}: {where}")
    assert type(page.data) is list
    # (a tweet that cannot be read is skipped and named, the others kept)
    _tweets(enumerate(page.data, 1), look, tweets, places, path, where)
    # the tweets a page refers to are tweets of their own authors, each counted once
    _tweets(tweets.items(), look, tweets, places, path, where)
    _page_errors(file.conv, path, where, page.errors)
    # memory bounded by people and ties, not tweets: counted references folded in
    settle_at = tally_module.SETTLE_AT
    if len(file.bump) >= settle_at:
        file.bumped()
    file.tally.settle(settle_at)


def _page_errors(
    conv: Conversation, path: str, where: str, errors: Sequence[Any] | UnsetType | None
) -> None:
    """Say that a page carried API errors (partial results): its tweets are kept."""
    if errors:
        conv.problem(
            path,
            where,
            f"{len(errors)} API error(s) in this page, "
            f"e.g. {_error_text(errors[0])}; the tweets it returned are kept",
        )


def _shape_problem(
    conv: Conversation, path: str, where: str, which: int | str, e: Exception
) -> None:
    """A tweet of a page that :func:`_tweets` could not read: skipped and named."""
    conv.problem(
        path,
        f"{where}, tweet {which}",
        f"tweet of unexpected shape ({type(e).__name__}: {e}); skipped",
    )


class _Look:
    """:func:`_person` for a page of Structs: the page's users by id and by
    ``@username``, and what the file's pages met before (``file``: the code in the
    tally of each username — a person is known by that code, not by its id).

    ``known`` holds, for each user id of the page's ``includes`` already looked up in
    this page, its person's code; ``named`` the same for each username looked up by
    name (a mention whose id is not among the page's users): a later reference to it
    in the page only counts a record, its code appended to ``file.bump`` (issue #17: a
    person is looked up once per page and distinct account, not once per reference).
    What the first look-up did with the user's location and link, looking again would
    not change: a location or a link is only taken when the person has none, and the
    same user gives the same ones."""

    __slots__ = (
        "bump",
        "by_name",
        "conv",
        "file",
        "has",
        "known",
        "named",
        "names",
        "ref",
        "tally",
        "users",
    )

    def __init__(self, users: dict[str, _SUser], file: _File, ref: str):
        self.users, self.file, self.ref = users, file, ref
        self.conv, self.tally, self.names, self.has = file.conv, file.tally, file.names, file.has
        self.bump = file.bump.append
        self.known: dict[Any, int] = {}
        self.named: dict[str, int] = {}
        self.by_name: dict[str, _SUser] | None = None

    def user(self, key: str) -> _SUser | None:
        """The page's user of id ``key``, or of ``key`` ``@username`` (lower case) —
        a name before an id of the same text, as the dict path's one dict of both."""
        if key[:1] == "@":
            if self.by_name is None:  # once a page, and only for a page that asks
                self.by_name = {
                    "@" + u.username.lower(): u
                    for u in self.users.values()
                    if u.username is not UNSET
                }
            u = self.by_name.get(key)
            if u is not None:
                return u
        return self.users.get(key)

    def mention(self, uid: Any, username: Any) -> int | None:
        """:meth:`person` for a mention whose id is not in ``known``: a mention by
        name alone (no id, or an id none of the page's users has) is the same person
        whatever its id, and is kept in ``named``."""
        if username and (not uid or (uid[0] != "@" and uid not in self.users)):
            code = self.named.get(username)
            if code is not None:
                self.bump(code)
                return code
            code = self.person(uid or None, username)
            if code is not None:
                self.named[username] = code
            return code
        return self.person(uid or None, username or None)

    def person(self, uid: Any, username: Any = None) -> int | None:
        """The code of the person ``uid`` (or ``username``) names, as :func:`_person`
        (the caller has looked ``uid`` up in ``known`` first)."""
        # most look-ups: a user of the page's includes, by id, met in an earlier page
        if uid and uid[0] != "@":
            u = self.users.get(uid)
            if u is not None and u.username:
                code = self.names.get(u.username)
                if code is not None:  # (what _again does, inline: most look-ups)
                    self.bump(code)
                    if (u.location and not self.has[code] & _LOCATION) or (
                        u.url and not self.has[code] & _LINK
                    ):
                        _fill(self.conv.people[self.tally.ids[code]], u, self.has, code)
                    self.known[uid] = code
                    return code
        return self._person(uid, username)

    def _again(self, code: int, u: _SUser | None) -> None:
        """The person of ``code``, met before in the file, counted again: its location
        and link taken when it has none, asked of the person only when the user has
        one and the person was not seen with one yet."""
        self.bump(code)
        if u is not None and (
            (u.location and not self.has[code] & _LOCATION)
            or (u.url and not self.has[code] & _LINK)
        ):
            _fill(self.conv.people[self.tally.ids[code]], u, self.has, code)

    def _person(self, uid: Any, username: Any) -> int | None:
        """:meth:`person` for any look-up."""
        u = None
        if uid:  # (an id that reads as '@name' may be a name: see user())
            u = self.users.get(uid) if uid[0] != "@" else self.user(uid)
        if u is None and username:
            u = self.user("@" + username.lower())  # a page's mention without an id
            by_id = False
        else:
            by_id = u is not None
        handle = (u.username if u is not None else None) or username
        if not handle:
            if not uid:
                return None
            p = new_person(
                f"user {uid}", handles={"twitter_id": uid}, source=self.ref, platform="twitter"
            )
            return self.tally.code(self.conv.add_person(p).id)
        file = self.file
        code = self.names.get(handle)
        if code is not None:  # seen before in the file, only counted
            self._again(code, u)
        else:
            pid = "twitter:" + handle.lower()
            have = self.conv.people.get(pid)
            if have is not None:  # met in another record of the file (a profile)
                have.records += 1
                have.profile_only = False
                code = self.tally.code(have.id)
                file.know(handle, code)
                _fill(have, u, file.has, code)
            else:
                # new_person(name, handles={"twitter": handle}, source=ref,
                # platform="twitter") without its general checks (once per person)
                name = ((u.name if u is not None else None) or handle).strip() or handle
                p = Person(id=pid, name=name, handles={"twitter": handle})
                p.merged_from.append(f"{pid} ({self.ref})")
                if u is not None:
                    if u.url:
                        p.urls.append(u.url)
                    loc = (u.location or "").strip()
                    if loc:
                        p.location_text = loc
                self.conv.people[pid] = p  # add_person, who finds no one by that id
                code = self.tally.code(pid)
                file.know(handle, code)
                _fill(p, None, file.has, code)
        # an id of the page's users: the same answer for it whatever the username
        if by_id and u is not None and u.username:
            self.known[uid] = code
        return code


_LOCATION, _LINK = 1, 2


def _fill(p: Person, u: _SUser | None, has: bytearray, code: int) -> None:
    """Give ``p`` the location and link of ``u`` if it has none (as :func:`_person`),
    and note in ``has[code]`` which of them it has now (it keeps them: a location or a
    link is only ever added)."""
    if u is not None:
        if not p.location_text and u.location:
            p.location_text = u.location.strip() or None
        if not p.urls and u.url:
            p.urls.append(u.url)
    has[code] = (_LOCATION if p.location_text else 0) | (_LINK if p.urls else 0)


class _File:
    """What :func:`_page` keeps from page to page of a file: the tweets read
    (``seen``), the code of each username met (``names``), and for each code
    what its person already has (``has``: :data:`_LOCATION`, :data:`_LINK`) and
    the codes of people counted again (``bump``: their ``records`` are added when
    the file is read, :meth:`bumped`), so a person met again is not touched."""

    __slots__ = ("bump", "conv", "has", "names", "seen", "tally")

    def __init__(self, conv: Conversation, tally: Tally, seen: set[str]):
        self.conv, self.tally, self.seen = conv, tally, seen
        self.names: dict[str, int] = {}
        self.has = bytearray()
        self.bump = array("q")

    def know(self, handle: str, code: int) -> None:
        """``handle`` is the person of ``code``."""
        self.names[handle] = code
        if code >= len(self.has):
            self.has.extend(bytes(code + 1 - len(self.has)))

    def bumped(self) -> None:
        """Add to each person's ``records`` the times they were counted again."""
        if not self.bump:
            return
        import numpy as np

        times = np.bincount(np.frombuffer(self.bump, np.int64))
        codes = np.flatnonzero(times)
        people, ids = self.conv.people, self.tally.ids
        for c, n in zip(codes.tolist(), times[codes].tolist(), strict=True):
            people[ids[c]].records += n
        del self.bump[:]


def _tweets(
    items: Iterable[tuple[int | str, _STweet]],
    look: _Look,
    tweets: dict[str, _STweet],
    places: dict,
    path: str,
    where: str,
) -> None:
    """:func:`_tweet` for each ``(label, tweet)`` of a page of Structs; people are
    known by their codes.  A tweet that cannot be read is skipped and named."""
    known, person, mention = look.known, look.person, look.mention
    seen, bump = look.file.seen, look.file.bump.append
    tally = look.tally
    src, dst, kinds = tally.src.append, tally.dst.append, tally.kind.append
    me: int | None
    other: int | None
    for label, t in items:
        try:
            tid = t.id if t.id is not UNSET else ""
            n = len(seen)
            seen.add(tid)
            if len(seen) == n:
                continue  # read before
            if n >= 1_000_000:  # bounded memory: duplicates within a million tweets
                seen.clear()
                seen.add(tid)
            me = known.get(t.author_id)
            if me is not None:  # the author already looked up in this page: only counted
                bump(me)
            else:
                me = person(t.author_id or None)
                if me is None:
                    at = look.ref.split(": ", 1)
                    look.conv.problem(at[0], at[-1], f"tweet {tid} has no author")
                    continue
            if type(t.geo) is dict:
                person_ = look.conv.people[tally.ids[me]]
                _geo({"geo": t.geo}, places, person_, f"tweet {tid}", look.conv, look.ref)
            used: list[int] = []
            reply_to = t.in_reply_to_user_id
            if (t.referenced_tweets or reply_to) and _references(
                t, me, reply_to or None, look, tweets, used
            ):
                continue  # a retweet's mentions are the original's, counted as its author's
            entities = t.entities
            for m in (entities.mentions if entities else None) or ():
                other = known.get(m.id)
                if other is not None:
                    bump(other)
                else:
                    other = mention(m.id, m.username)
                if other is not None and other != me and other not in used:
                    src(me)
                    dst(other)
                    kinds(_MENTION)
                    used.append(other)
        except (TypeError, AttributeError, KeyError, ValueError) as e:
            _shape_problem(look.conv, path, where, label, e)


def _references(
    t: _STweet,
    me: int,
    reply_to: str | None,
    look: _Look,
    tweets: dict[str, _STweet],
    used: list[int],
) -> bool:
    """Count a tweet's retweet, quote and reply (each to whom it refers to, and to
    whom it replies); their codes go into ``used``.  Whether it is a retweet."""
    known, tally = look.known, look.tally
    other: int | None
    replied = retweeted = False
    for r in t.referenced_tweets or ():
        kind = KIND.get(r.type) if r.type else None
        if not kind:
            continue
        if kind == "reply":
            replied = True
        elif kind == "retweet":
            retweeted = True
        rid = r.id if r.id is not UNSET else None
        ref_tweet = tweets.get(rid) if rid is not None else None
        uid = (ref_tweet.author_id if ref_tweet is not None else None) or (
            reply_to if kind == "reply" else None
        )
        other = known.get(uid)
        if other is not None:
            look.file.bump.append(other)
        else:
            username = None
            if uid is None and kind == "retweet":
                uid, username = _rt_author_struct(t)  # the original is withheld: "RT @x:"
            elif uid is None and kind == "quote":
                username = _quoted_author_struct(t, rid)  # not included: its link says who
            other = look.person(uid, username)
        if other is not None and other != me:
            tally.add(me, other, KIND_CODE[kind])
            used.append(other)
    if reply_to and not replied:
        other = known.get(reply_to)
        if other is not None:
            look.file.bump.append(other)
        else:
            other = look.person(reply_to)
        if other is not None and other != me:
            tally.add(me, other, _REPLY)
            used.append(other)
    return retweeted


_REPLY, _MENTION = KIND_CODE["reply"], KIND_CODE["mention"]


def _rt_author_struct(t: _STweet) -> tuple[str | None, str | None]:
    """:func:`_rt_author` for a :class:`_STweet`."""
    m = _RT.match(t.text) if t.text else None
    if not m:
        return None, None
    for mention in (t.entities.mentions if t.entities else None) or ():
        name = mention.username
        if name and name.lower() == m.group(1).lower():
            return mention.id or None, name
    return None, m.group(1)


def _quoted_author_struct(t: _STweet, quoted_id: Any) -> str | None:
    """:func:`_quoted_author` for a :class:`_STweet`."""
    for u in (t.entities.urls if t.entities else None) or ():
        link = u.expanded_url
        hit = twitter_handle(link) if isinstance(link, str) else None
        if hit and hit[1] is not None and hit[1] == str(quoted_id):
            return hit[0]
    return None


def _expanded(t: dict, users: dict, tweets: dict, places: dict, depth: int) -> None:
    """Collect the users, tweets and places a flattened tweet carries expanded."""
    for key in ("author", "in_reply_to_user"):
        if isinstance(t.get(key), dict) and t[key].get("id"):
            users[t[key]["id"]] = t[key]
    for m in _list(_dict(t.get("entities")).get("mentions")):
        if isinstance(m, dict) and m.get("id"):
            users.setdefault(m["id"], m)
    geo = t.get("geo")
    place = geo.get("place") if isinstance(geo, dict) else None
    if isinstance(place, dict) and "id" in place:
        places[place["id"]] = place
    if depth >= 3:
        return
    for r in _list(t.get("referenced_tweets")):
        if isinstance(r, dict) and r.get("id"):
            if "author_id" in r or r["id"] not in tweets:
                tweets[r["id"]] = r
            _expanded(r, users, tweets, places, depth + 1)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _by_id(items: Any) -> dict[str, dict]:
    return {x["id"]: x for x in _list(items) if isinstance(x, dict) and "id" in x}


def _error_text(err: Any) -> str:
    if isinstance(err, dict):
        return str(err.get("detail") or err.get("title") or err)[:200]
    return str(err)[:200]


def _isolated(t, users, tweets, places, conv, seen, ref, path: str, where: str, tally) -> None:
    """One tweet of a page; a tweet of the wrong shape is skipped and named."""
    try:
        if not isinstance(t, dict):
            raise ValueError(f"a JSON {type(t).__name__}, not a tweet")
        _tweet(t, users, tweets, places, conv, seen, ref, tally)
    except (TypeError, AttributeError, KeyError, ValueError) as e:
        conv.problem(path, where, f"tweet of unexpected shape ({type(e).__name__}: {e}); skipped")


def _profile(u: dict[str, Any], conv: Conversation, ref: str) -> None:
    """A user from a users response: a profile, not a participant."""
    handle = u.get("username")
    if not isinstance(handle, str) or not handle:
        raise ValueError("a user whose username is not text")
    p = new_person(
        u.get("name") or handle, handles={"twitter": handle}, source=ref, platform="twitter"
    )
    if isinstance(u.get("url"), str) and u["url"]:
        p.urls.append(u["url"])
    if isinstance(u.get("location"), str):
        p.location_text = u["location"].strip() or None
    p.profile_only = True
    conv.add_person(p)


def _person(
    uid: str | None,
    users: dict[str, dict],
    conv: Conversation,
    ref: str,
    username: str | None = None,
) -> str | None:
    u = users.get(uid) if uid else None
    if u is None and username:
        u = users.get("@" + username.lower())  # a page's mention without an id
    handle = (u or {}).get("username") or username
    if not handle:
        if not uid:
            return None
        p = new_person(f"user {uid}", handles={"twitter_id": uid}, source=ref, platform="twitter")
        return conv.add_person(p).id
    known = conv.people.get("twitter:" + handle.lower())
    if known is not None:  # fast path: seen before, only counted
        known.records += 1
        known.profile_only = False
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
    tally: Tally,
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
    _geo(t, places, conv.people[me], tref, conv, ref)
    used: set[str] = set()
    refs = t.get("referenced_tweets") or []
    replied = retweeted = False  # what the loop saw (asked again below, once per tweet)
    for r in refs:
        typ = r.get("type")
        kind = KIND.get(typ)
        if not kind:
            continue
        if kind == "reply":
            replied = True
        elif kind == "retweet":
            retweeted = True
        ref_tweet = tweets.get(r.get("id"), {})
        uid = ref_tweet.get("author_id") or (
            t.get("in_reply_to_user_id") if kind == "reply" else None
        )
        username = None
        if uid is None and kind == "retweet":
            uid, username = _rt_author(t)  # the original is withheld: "RT @x:" says who
        elif uid is None and kind == "quote":
            username = _quoted_author(t, r.get("id"))  # not included: its link says who
        other = _person(uid, users, conv, ref, username=username)
        if other and other != me:
            tally.count(me, other, kind)
            used.add(other)
    if t.get("in_reply_to_user_id") and not replied:
        other = _person(t["in_reply_to_user_id"], users, conv, ref)
        if other and other != me:
            tally.count(me, other, "reply")
            used.add(other)
    if retweeted:
        return  # a retweet's mentions are the original's, counted as its author's
    for m in (t.get("entities") or {}).get("mentions") or []:
        if not isinstance(m, dict):
            raise ValueError(f"tweet {tid}: a mention that is a {type(m).__name__}")
        other = _person(m.get("id"), users, conv, ref, username=m.get("username"))
        if other and other != me and other not in used:
            tally.count(me, other, "mention")
            used.add(other)


def _rt_author(t: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(user id, username)`` of the ``@x`` in a retweet's leading ``RT @x:``."""
    text = t.get("text")
    m = _RT.match(text) if isinstance(text, str) else None
    if not m:
        return None, None
    for mention in (t.get("entities") or {}).get("mentions") or []:
        name = mention.get("username") if isinstance(mention, dict) else None
        if isinstance(name, str) and name.lower() == m.group(1).lower():
            return mention.get("id"), name
    return None, m.group(1)


_RT = re.compile(r"RT @(\w{1,15}):")


def _quoted_author(t: dict[str, Any], quoted_id: Any) -> str | None:
    """The handle in the quote's own link to the quoted tweet
    (``twitter.com/<handle>/status/<quoted_id>`` in its ``entities.urls``), for a
    quoted tweet the response did not include (deleted, withheld, not found)."""
    for u in (t.get("entities") or {}).get("urls") or []:
        link = u.get("expanded_url") if isinstance(u, dict) else None
        hit = twitter_handle(link) if isinstance(link, str) else None
        if hit and hit[1] is not None and hit[1] == str(quoted_id):
            return hit[0]
    return None


def _geo(
    t: dict[str, Any],
    places: dict,
    person,
    ref: str,
    conv: Conversation | None = None,
    at: str = "",
) -> None:
    geo = t.get("geo")
    if not isinstance(geo, dict):
        return
    coords = geo.get("coordinates")
    if isinstance(coords, dict) and coords.get("type") == "Point":
        lon, lat = ((coords.get("coordinates") or [None, None]) + [None, None])[:2]
        off = off_globe(lat, lon)
        if off is None:
            person.add_evidence("coordinates", (float(lat), float(lon)), ref)
            return
        if conv is not None and (lat, lon) != (None, None):
            where = at.split(": ", 1)
            conv.problem(where[0], where[-1], f"{ref}: {off}; those coordinates skipped")
    place = places.get(geo.get("place_id")) or (
        geo.get("place") if isinstance(geo.get("place"), dict) else None
    )
    if isinstance(place, dict) and place.get("full_name"):
        text = place["full_name"]
        if place.get("place_type") == "city" or "," not in text:
            text = f"{text}, {place.get('country') or place.get('country_code') or ''}".strip(", ")
        person.add_evidence("tweet place", text, ref)
