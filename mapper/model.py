"""The data model: Person, Interaction, Post, Conversation.

Plain dataclasses, so every stage of the pipeline is a function over plain
data that can be used alone from Jupyter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Kind(StrEnum):
    """The kinds of interaction, each an edge from the one who acts to the one who
    receives attention.  Members equal the plain strings (``Kind.REPLY == "reply"``)."""

    COMMENT = "comment"
    REPLY = "reply"
    RETWEET = "retweet"
    QUOTE = "quote"
    MENTION = "mention"
    PINGBACK = "pingback"
    VIA = "via"
    SHARE = "share"


class Tier(StrEnum):
    """City-size tiers of a place, from DESIGN.md (thresholds in :mod:`mapper.settings`).
    Members equal the plain strings (``Tier.SMALL_TOWN == "small_town"``)."""

    METROPOLIS = "metropolis"
    CITY = "city"
    TOWN = "town"
    SMALL_TOWN = "small_town"
    UNKNOWN = "unknown"


#: Every interaction kind, in the order of the columns of folded edge counts.
KINDS: tuple[Kind, ...] = tuple(Kind)

#: At most this many entries are listed in a person's ``merged_from``.
MERGED_FROM_CAP = 50

#: Place tiers, biggest first.
TIERS: tuple[Tier, ...] = tuple(Tier)


@dataclass
class Place:
    """Where a person is: a named place with a reference point in degrees."""

    name: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    #: people in the place itself (the municipality), from the gazetteer
    population: int | None = None
    tier: str = "unknown"
    kind: str = "city"  # city | region | country | point
    source: str = "gazetteer"  # gazetteer | geocoder:<name> | user | tweet | tld | text | network
    confidence: float = 0.5
    #: exact coordinates from a post (degrees); drawn only with ``--exact``
    point_lat: float | None = None
    point_lon: float | None = None
    #: for a place inferred from the network: how far apart the neighbours were (km)
    dispersion_km: float | None = None
    #: people in the urban area (metro) the place belongs to, which decides the tier,
    #: and the place that metro is named after (mapper/geo/metro.py)
    metro_population: int | None = None
    metro: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies and took seconds for 60k places
        return dict(zip(_PLACE_FIELDS, _place_values(self), strict=True))


_PLACE_FIELDS = tuple(f for f in Place.__dataclass_fields__)
_place_values = attrgetter(*_PLACE_FIELDS)


@dataclass
class Person:
    """One participant.  ``id`` is stable across runs for the same input."""

    id: str
    name: str
    handles: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    location_text: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    place: Place | None = None
    spam: bool = False
    merged_from: list[str] = field(default_factory=list)
    #: how many records (comments, tweets, profile copies) this person was built from
    records: int = 1
    #: known only from a profile list (followers, users/lookup, getProfiles): lends its
    #: location and links to a participant with the same id, is no participant itself
    profile_only: bool = False

    #: the sources of each evidence (kind, value), so adding one is a look-up, not a
    #: scan of the list; rebuilt when ``evidence`` was changed by hand
    _evidence_index_: dict[tuple[str, Any], set[Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _evidence_indexed: int = field(default=0, init=False, repr=False, compare=False)

    def add_evidence(self, kind: str, value: Any, source: str) -> None:
        """Add ``{kind, value, source}`` unless an entry of that kind and value is there."""
        index = self._evidence_index()
        key = (kind, _hashable(value))
        if key not in index:
            self._append_evidence(index, key, {"kind": kind, "value": value, "source": source})

    def _evidence_index(self) -> dict[tuple[str, Any], set[Any]]:
        index = self._evidence_index_
        if index is None or self._evidence_indexed != len(self.evidence):
            index = {}
            for e in self.evidence:
                index.setdefault((e["kind"], _hashable(e["value"])), set()).add(
                    _hashable(e.get("source"))
                )
            self._evidence_index_ = index
            self._evidence_indexed = len(self.evidence)
        return index

    def _append_evidence(
        self, index: dict[tuple[str, Any], set[Any]], key: tuple[str, Any], entry: dict
    ) -> None:
        index.setdefault(key, set()).add(_hashable(entry.get("source")))
        self.evidence.append(entry)
        self._evidence_indexed += 1


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


@dataclass
class Interaction:
    """``source`` acted towards ``target`` (person ids)."""

    source: str
    target: str
    kind: str
    weight: float = 1.0
    at: datetime | None = None
    ref: str | None = None  # where it was seen: "file:line 12", a tweet id, ...
    text: str | None = None  # the comment or post text, when there is one

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown interaction kind {self.kind!r}")


@dataclass
class Post:
    """The thing being discussed (a blog post, a root tweet or status)."""

    id: str
    title: str | None = None
    url: str | None = None
    text: str | None = None
    author_id: str | None = None
    author_evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Conversation:
    """People, their interactions, the posts they discuss and what was skipped."""

    people: dict[str, Person] = field(default_factory=dict)
    #: interactions that carry text or a place in the thread (comments, replies, shares)
    interactions: list[Interaction] = field(default_factory=list)
    #: interactions with nothing to keep but their count, aggregated as they stream in
    #: (tweets, reblogs, mentions): ``{(source, target, kind): [summed weight, number]}``;
    #: the twitter readers and the Dask engine leave a :class:`mapper.columns.CountTable`
    #: here, a mutable mapping that reads as that dict (made on first use; ``copy()``
    #: gives a plain dict, as ``dict.copy`` does)
    counts: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    #: records left out by a rule, not by damage, counted by kind: ``internal_links``
    #: (a blog's pingbacks to itself), ``unapproved`` (comments not approved)
    set_aside: dict[str, int] = field(default_factory=dict)

    def add_person(self, person: Person) -> Person:
        """Add ``person``, or fold it into the one already there with that id.

        A site URL alone is not one person: a record whose ``url:`` id is taken by a
        different name gets an id of its own (``url:site.com#jane-doe``); the
        identity merge decides later whether the names fit.  Returns the record
        that holds ``person`` now (use its ``id``).
        """
        have = self.people.get(person.id)
        if have is None:
            self.people[person.id] = person
            return person
        if person.id.startswith("url:"):
            from .ids import url_record_id  # ids builds on the model's Person

            pid = url_record_id(have, person)
            if pid != person.id:
                if person.merged_from and person.merged_from[0].startswith(person.id):
                    person.merged_from[0] = pid + person.merged_from[0][len(person.id) :]
                person.id = pid
                return self.add_person(person)
        absorb(have, person)
        return have

    def count(
        self, source: str, target: str, kind: str, weight: float = 1.0, number: int = 1
    ) -> None:
        """Record ``number`` interactions by their count only (memory does not grow
        with the number of lines read)."""
        if source == target:
            return
        c = self.counts.get((source, target, kind))
        if c is None:  # called once per line of a big archive: the common path is short
            if kind not in KINDS:
                raise ValueError(f"unknown interaction kind {kind!r}")
            self.counts[(source, target, kind)] = [weight, number]
        else:
            c[0] += weight
            c[1] += number

    def edges_count(self) -> int:
        """How many distinct listed and counted interactions there are."""
        return len(self.interactions) + len(self.counts)

    def edges(self):
        """Every interaction as ``(source, target, kind, weight, number)``, the listed
        ones (number 1) and the counted ones."""
        for it in self.interactions:
            yield it.source, it.target, it.kind, it.weight, 1
        for (s, t, k), (w, n) in self.counts.items():
            yield s, t, k, w, int(n)

    def drop_profile_only(self) -> int:
        """Remove the people known only from profile lists (after merging, so their
        profiles have lent what they know to the participants with their ids); how
        many there were."""
        gone = [pid for pid, p in self.people.items() if p.profile_only]
        for pid in gone:
            del self.people[pid]
        return len(gone)

    def problem(self, input: str, where: str, what: str) -> None:
        self.problems.append({"input": input, "where": where, "what": what})

    def extend(self, other: Conversation) -> dict[str, str]:
        """Fold ``other`` into this conversation (several inputs → one); returns the
        ids of ``other`` that became another person's here (old id → new id)."""
        renamed: dict[str, str] = {}
        for pid, p in other.people.items():
            got = self.add_person(p)
            if got.id != pid:  # another name at a site URL this one already holds
                renamed[pid] = got.id
        if renamed:
            for it in other.interactions:
                it.source = renamed.get(it.source, it.source)
                it.target = renamed.get(it.target, it.target)
            for post in other.posts:
                if post.author_id in renamed:
                    post.author_id = renamed[post.author_id]
        self.interactions.extend(other.interactions)
        for (src, dst, kind), (w, n) in other.counts.items():
            self.count(renamed.get(src, src), renamed.get(dst, dst), kind, w, int(n))
        self.posts.extend(other.posts)
        self.inputs.extend(other.inputs)
        self.problems.extend(other.problems)
        for k, n in other.set_aside.items():
            self.set_aside[k] = self.set_aside.get(k, 0) + n
        return renamed


def absorb(into: Person, other: Person) -> None:
    """Merge the facts of ``other`` into ``into`` (names, handles, urls, evidence)."""
    if not into.name and other.name:
        into.name = other.name
    for k, v in other.handles.items():
        if k not in into.handles:
            into.handles[k] = v
        elif into.handles[k].lower() != v.lower():
            # a second handle on the same platform: kept, as an alias
            into.add_evidence("alias", f"{k}:{v}", "merge")
    for u in other.urls:
        if u not in into.urls:
            into.urls.append(u)
    if not into.location_text and other.location_text:
        into.location_text = other.location_text
    if other.evidence:
        index = into._evidence_index()
        for e in other.evidence:
            key = (e["kind"], _hashable(e["value"]))
            sources = index.get(key)
            if sources is None or _hashable(e.get("source")) not in sources:
                into._append_evidence(index, key, e)
    if other.place is not None and (
        into.place is None or other.place.confidence > into.place.confidence
    ):
        into.place = other.place
    into.spam = into.spam or other.spam
    into.profile_only = into.profile_only and other.profile_only
    # every record folded in is counted; the first MERGED_FROM_CAP are listed, so
    # memory does not grow with the number of lines a person appears on
    into.records += other.records
    if len(into.merged_from) < MERGED_FROM_CAP:
        have = set(into.merged_from)
        for m in other.merged_from:
            if m not in have and len(into.merged_from) < MERGED_FROM_CAP:
                into.merged_from.append(m)
                have.add(m)


def off_globe(lat: object, lon: object) -> str | None:
    """Why ``(lat, lon)`` (degrees) is not a point on the globe, or ``None``."""
    if isinstance(lat, bool) or isinstance(lon, bool):
        return f"coordinates {lat!r}, {lon!r} are not numbers"
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return f"coordinates {lat!r}, {lon!r} are not numbers"
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return f"coordinates {lat}, {lon} are off the globe"
    return None
