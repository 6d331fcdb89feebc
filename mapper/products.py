"""Typed stage outputs: what the geography and report stages hand to later ones.

The pipeline passes these frozen :class:`msgspec.Struct` values between stages; the
report dict (report.json) is made from them only at the edge, by :mod:`mapper.report`
(``to_builtins`` keeps field order, so each struct's fields are declared in the order
of the report's documented keys).  The map, the charts and :class:`mapper.Study` read
these objects, never the report dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

import msgspec

from .model import Person, Place, Post


class Score(msgspec.Struct, frozen=True):
    """A person's influence: PageRank (sums to 1 over the graph) and how many distinct
    people they reached (``out_degree``) and were reached by (``in_degree``)."""

    pagerank: float = 0.0
    in_degree: int = 0
    out_degree: int = 0


class Ranked(msgspec.Struct, frozen=True):
    """One participant with their influence (a row of report.json's ``people``); the
    person is the located :class:`~mapper.model.Person` itself."""

    person: Person
    score: Score

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def place(self) -> Place | None:
        return self.person.place


class Tie(msgspec.Struct, frozen=True):
    """One folded edge of one kind: ``weight`` interactions from ``source`` to
    ``target`` (a row of report.json's ``edges``)."""

    source: str
    target: str
    kind: str
    weight: int


class TierShare(msgspec.Struct, frozen=True, omit_defaults=True):
    """One tier's people and shares.  For the known-size tiers the shares are of the
    base (``None`` when the base is empty); ``unknown`` and ``unlocated`` are outside
    the base: their shares are ``None`` and ``influence_share_of_all`` says what part
    of all influence they hold (the field is absent for the base's tiers)."""

    participants: int
    participant_share: float | None
    influence_share: float | None
    influence_share_of_all: float | None = None


class Base(msgspec.Struct, frozen=True):
    """What every share is a share of: ``participants`` of ``of_participants`` people
    in the graph, and who is left out (``unknown_size``, ``unlocated``)."""

    name: str
    participants: int
    of_participants: int
    unknown_size: int
    unlocated: int
    influence_share_of_all: float


class OutsideBigCities(msgspec.Struct, frozen=True):
    """How many of the base live outside the metropolis tier (``outside``) and their
    share of the base's people and influence (``None`` on an empty base)."""

    participants: int
    outside: int
    participant_share: float | None
    influence_share: float | None
    base: str


class TieKm(msgspec.Struct, frozen=True):
    """Great-circle lengths (km) of interactions with both ends located: the median,
    the share over 32 km (DESIGN.md's fixed key) and over ``long_tie_km`` (the setting
    in force for the run)."""

    located_interactions: int
    median: float | None
    share_over_32km: float | None
    long_tie_km: float
    share_over_long_tie_km: float | None


class PlaceTotal(msgspec.Struct, frozen=True):
    """One place: its gazetteer facts, how many participants live there, their summed
    PageRank (``influence``) and their ids (most influential place first in a list)."""

    name: str
    admin1: str | None
    country_code: str | None
    lat: float
    lon: float
    tier: str
    population: int | None
    metro: str | None
    metro_population: int | None
    participants: int
    influence: float
    people: tuple[str, ...]


class Geography(msgspec.Struct, frozen=True):
    """The geography stage's output (report.json's ``geography`` block): shares by
    tier on one base, the outside-big-cities figures, tie distances, places."""

    base: Base
    by_tier: dict[str, TierShare]
    outside_big_cities: OutsideBigCities
    tie_km: TieKm
    places: tuple[PlaceTotal, ...]

    def to_dict(self) -> dict[str, Any]:
        """The block as report.json has it."""
        out: dict[str, Any] = msgspec.to_builtins(self)
        # to_builtins keeps tuples: the report's lists are lists
        out["places"] = [dict(pl, people=list(pl["people"])) for pl in out["places"]]
        return out


class Counts(msgspec.Struct, frozen=True):
    """The report's headline counts (spam left out of all but ``spam``): participants,
    interactions (summed edge weights), located (stated places), inferred (placed from
    their network) and spam."""

    participants: int
    interactions: int
    located: int
    inferred: int
    spam: int

    @classmethod
    def of(cls, people: Sequence[Ranked], ties: Iterable[Tie]) -> Counts:
        """The counts from the ranked people and the ties — the one definition the
        report and the map share."""
        # map() and attrgetter, no Python frame per person or tie: a 1M-tweet report
        # has 195k people and 950k ties (issue #17)
        # the rows in the order report.ranked made them, when it did: the same counts,
        # the records read in the order they lie in memory rather than ranked (a
        # cache miss each, issue #19)
        rows = getattr(people, "unranked", None) or people
        counted = [p for p in map(_PERSON, rows) if not p.spam]
        sources = [p.place.source for p in counted if p.place is not None]
        inferred = sources.count("network")
        total = getattr(ties, "total_weight", None)  # report.Ties: summed from its array
        return cls(
            participants=len(counted),
            interactions=int(total()) if total else int(sum(map(_WEIGHT, ties))),
            located=len(sources) - inferred,
            inferred=inferred,
            spam=len(people) - len(counted),
        )


class Report(msgspec.Struct, frozen=True):
    """The report stage's output: everything report.json holds, typed.  People are
    ranked by influence (most influential first, then by id); ``geography`` is
    ``None`` when nobody was located, ``geography_with_inferred`` is set only with
    inference.  :func:`mapper.report.to_dict` makes the report.json dict from it."""

    inputs: tuple[str, ...]
    posts: tuple[Post, ...]
    counts: Counts
    set_aside: dict[str, int]
    people: tuple[Ranked, ...]
    #: a tuple, or :class:`mapper.report.Ties` (the report stage's: the sorted edge arrays)
    ties: Sequence[Tie]
    geography: Geography | None
    geography_with_inferred: Geography | None
    problems: tuple[dict[str, Any], ...]
    #: the tie radius (km) in force for the run, for the empty geography block
    long_tie_km: float


_PERSON, _WEIGHT = attrgetter("person"), attrgetter("weight")
