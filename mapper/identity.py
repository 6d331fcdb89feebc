"""Who is who: stable person ids, and merging one person's records into one.

A thread shows the same person several times: a comment saved twice, once
with ``http://www.site.com/`` and once with ``http://site.com``; a pingback
``olammi (Outi)`` beside a tweet from ``twitter.com/olammi``; a reply signed
``jaybaer`` by the author whose shares say ``By @jaybaer``.  :func:`merge`
folds such records into one :class:`~mapper.model.Person` and keeps, for each
fold, the evidence in ``merged_from`` and ``evidence``.

Rules (each one an ``evidence`` entry of kind ``merge``):

* same normalised site URL (scheme, ``www.``, trailing slash and case ignored);
* same handle, whether it came from a ``twitter.com/<handle>`` URL, a pingback
  ``handle (Name)``, a handle written in the person's own comment
  (``twitter.com/BeerBergman``) or a display name that *is* a handle
  (one word, no spaces, equal to a known handle);
* a display name that spells a handle as first name + optional middle initial
  + last name (``Stuart Foster`` ~ ``Stuartcfoster``), only when that handle
  is one the thread itself shows;
* same display name when neither record has a URL or handle that disagrees.

An aliases file forces (``A = B``) or forbids (``A != B``) a merge.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

# the id and URL helpers belong to the model (mapper/ids.py); re-exported here so that
# older imports keep working
from .ids import (
    PLATFORM_HANDLES,
    TWITTER_HOSTS,
    handle_person,
    new_person,
    norm_name,
    normalize_url,
    person_id,
    twitter_handle,
)
from .model import Conversation, Interaction, Person, absorb

log = logging.getLogger("mapper")

_handle_re = re.compile(r"^[A-Za-z0-9_]{2,30}$")


# --- aliases -------------------------------------------------------------------


@dataclass
class Aliases:
    """User decisions: pairs to merge and pairs never to merge (ids or names)."""

    same: list[tuple[str, str]]
    different: list[tuple[str, str]]

    @classmethod
    def read(cls, path: str | Path) -> Aliases:
        """Read an aliases file: one ``A = B`` or ``A != B`` per line, ``#`` comments.

        ``A`` and ``B`` are person ids (``twitter:jaybaer``, ``url:site.com``),
        handles (``@jaybaer``) or display names.
        """
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{path}: no such aliases file") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
        except OSError as e:
            raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
        same, different = [], []
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "!=" in line:
                a, b = line.split("!=", 1)
                different.append((a.strip(), b.strip()))
            elif "=" in line:
                a, b = line.split("=", 1)
                same.append((a.strip(), b.strip()))
            else:
                raise InputError(
                    f"{path}: line {lineno}: expected 'A = B' or 'A != B', got {raw!r}"
                )
        return cls(same, different)


# --- merging -------------------------------------------------------------------


def _keys(p: Person) -> set[str]:
    """Strong identity keys of a person record."""
    keys = {f"id:{p.id}"}
    for platform, h in p.handles.items():
        keys.add(f"handle:{_namespace(platform)}:{h.lower().lstrip('@')}")
    for u in p.urls:
        n = normalize_url(u)
        if n:
            keys.add(f"url:{n}")
    return keys


#: Handle namespaces that are accounts on a platform (a record with one is that account).
_ACCOUNTS = frozenset({"twitter", "twitter_id", "mastodon", "bluesky", "disqus", "wp"})


def _namespace(platform: str) -> str:
    """The namespace a handle is unique in: a saved page's ``Pingback: handle (Name)``
    shows a Twitter handle; every other platform's usernames are its own."""
    return "twitter" if platform == "pingback" else platform


class _UnionFind:
    # by hand rather than networkx.utils.UnionFind: the root of a union must be the
    # first set's (members, evidence and output order are keyed by it)
    def __init__(self, items: Iterable[str]):
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


_initial_name = re.compile(r"^([a-z]+) (?:[a-z] )?([a-z]+)$")


def _handles_spelled(name: str) -> list[str]:
    """The handles a two-word name spells: ``stuartfoster`` and ``stuart?foster``
    for each letter ``?`` (a middle initial).

    >>> _handles_spelled("Stuart Foster")[:3]
    ['stuartfoster', 'stuartafoster', 'stuartbfoster']
    """
    m = _initial_name.match(norm_name(name))
    if not m:
        return []
    first, last = m.groups()
    return [first + last] + [first + c + last for c in "abcdefghijklmnopqrstuvwxyz"]


def merge(conv: Conversation, aliases: Aliases | None = None) -> Conversation:
    """Fold each person's records into one and drop duplicate interactions.

    Returns a new Conversation; ids of interactions are rewritten to the merged
    person's id.  Each merge is recorded as ``evidence`` (kind ``merge``) on
    the merged person, and the ids folded in are listed in ``merged_from``.
    """
    people = conv.people
    uf = _UnionFind(people)
    reasons: dict[str, list[str]] = {}

    def resolve(token: str) -> str | None:
        token = token.strip()
        if token in people:
            return token
        t = token.lstrip("@").lower()
        for pid, p in people.items():
            if any(h.lower() == t for h in p.handles.values()):
                return pid
        for pid, p in people.items():
            if norm_name(p.name) == norm_name(token) or any(
                normalize_url(u) == normalize_url(token) for u in p.urls
            ):
                return pid
        return None

    forbidden: set[frozenset[str]] = set()
    if aliases:
        for a, b in aliases.different:
            ra, rb = resolve(a), resolve(b)
            if ra and rb:
                forbidden.add(frozenset((ra, rb)))

    members: dict[str, set[str]] = {pid: {pid} for pid in people}

    # each group's handles per platform and user-given ids: two different accounts on
    # one platform, or two rows of the user's own people.csv, are two people
    idents: dict[str, dict[str, set[str]]] = {}
    for pid, p in people.items():
        d: dict[str, set[str]] = {}
        for platform, h in p.handles.items():
            d.setdefault(platform, set()).add(h.lower().lstrip("@"))
        if pid.split(":", 1)[0] not in _OUR_PREFIXES:
            d["user id"] = {pid}
        idents[pid] = d
    refused: list[tuple[str, str, str]] = []

    def conflict(ra: str, rb: str) -> str | None:
        da, db = idents[ra], idents[rb]
        for platform in set(da) & set(db):
            if not da[platform] & db[platform]:
                return platform
        return None

    def join(a: str, b: str, why: str, force: bool = False) -> None:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            return
        if any(frozenset((x, y)) in forbidden for x in members[ra] for y in members[rb]):
            return
        clash = None if force else conflict(ra, rb)
        if clash:
            refused.append((a, b, f"{why}, but different {clash}"))
            return
        uf.union(ra, rb)
        members[ra] |= members.pop(rb)
        for platform, hs in idents.pop(rb).items():
            idents[ra].setdefault(platform, set()).update(hs)
        reasons.setdefault(ra, []).extend(reasons.pop(rb, []))
        reasons[ra].append(f"{a} ~ {b}: {why}")

    if aliases:
        for a, b in aliases.same:
            ra, rb = resolve(a), resolve(b)
            if ra and rb:
                join(ra, rb, "aliases file", force=True)

    # strong keys: handles and normalised URLs
    owner: dict[str, str] = {}
    for pid, p in people.items():
        for k in sorted(_keys(p)):
            if k in owner:
                join(owner[k], pid, f"same {k.split(':', 1)[0]} {k.rsplit(':', 1)[1]}")
            else:
                owner[k] = pid

    # a display name that is (or spells) a handle: Twitter handles only, never another
    # platform's usernames
    handles = {
        k.split(":", 2)[2]: pid for k, pid in owner.items() if k.startswith("handle:twitter:")
    }
    for pid, p in people.items():
        if _ACCOUNTS.intersection(p.handles):
            continue  # an account's name is its own: it joins others only by a handle or URL
        n = p.name.strip()
        if _handle_re.match(n) and n.lower() in handles:
            join(handles[n.lower()], pid, f"display name {n!r} is a handle")
            continue
        for h in _handles_spelled(n):  # a few set look-ups, not a scan of every handle
            hid = handles.get(h)
            if hid is not None and hid != pid:
                join(hid, pid, f"name {n!r} spells handle @{h}")
                break

    # same display name, when nothing strong disagrees
    by_name: dict[str, list[str]] = {}
    for pid, p in people.items():
        if norm_name(p.name):
            by_name.setdefault(norm_name(p.name), []).append(pid)
    for name, pids in by_name.items():
        bare = [pid for pid in pids if not people[pid].urls and not people[pid].handles]
        roots = {uf.find(pid) for pid in pids if pid not in bare}
        if len(bare) >= 1 and len(roots) <= 1:
            target = next(iter(roots)) if roots else bare[0]
            for pid in bare:
                join(target, pid, f"same name {name!r}")

    for a, b, why in refused:
        for pid in (a, b):
            people[pid].add_evidence("not merged", f"{a} ~ {b}: {why}", "identity")

    # build merged people
    out = Conversation(inputs=list(conv.inputs), problems=list(conv.problems), posts=[])
    out.set_aside = dict(conv.set_aside)
    new_id: dict[str, str] = {}
    for root, ids in members.items():
        if (
            len(ids) == 1
            and root not in reasons
            and (
                root.split(":", 1)[0] not in _OUR_PREFIXES
                or root.startswith("post-author:")
                or root
                == person_id(
                    people[root].name,
                    people[root].urls[0] if people[root].urls else None,
                    people[root].handles,
                )
            )
        ):
            # the common case on platform data: nobody to fold in, keep the record as is
            new_id[root] = root
            out.people[root] = people[root]
            continue
        group = sorted(ids, key=lambda i: (_rank(i), i))
        merged = Person(id=group[0], name=people[group[0]].name, records=0)
        merged.profile_only = all(people[i].profile_only for i in group)
        for pid in group:
            absorb(merged, people[pid])
        # the merged record may know more (a handle) than any single one did
        best = person_id(merged.name, merged.urls[0] if merged.urls else None, merged.handles)
        users = [i for i in group if i.split(":", 1)[0] not in _OUR_PREFIXES]
        if users:
            best = users[0]  # an id the user gave (people.csv) is kept as it is
        elif (
            group[0].startswith("post-author:")
            or best in out.people
            or (best in people and best not in ids)
        ):
            best = group[0]
        merged.id = best
        for pid in group:
            new_id[pid] = best
        for why in reasons.get(root, []):
            merged.add_evidence("merge", why, "identity")
        merged.name = _best_name([people[i] for i in group]) or best.split(":", 1)[-1]
        out.people[best] = merged

    for post in conv.posts:
        if post.author_id in new_id:
            post.author_id = new_id[post.author_id]
        out.posts.append(post)

    seen: set[tuple] = set()
    for it in conv.interactions:
        s, t = new_id.get(it.source, it.source), new_id.get(it.target, it.target)
        if s == t:
            continue
        # a comment saved twice (same author, same text) counts once
        key = (s, t, it.kind, _text_key(it.text)) if it.text else None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.interactions.append(Interaction(s, t, it.kind, it.weight, it.at, it.ref, it.text))
    # people known only from profile lists have lent their profiles: not participants
    dropped = out.drop_profile_only()
    if dropped:
        log.info("%d profile(s) from profile lists matched no participant: not counted", dropped)
    if all(k == v for k, v in new_id.items()):
        out.counts = conv.counts  # nobody renamed: the counts stand as they are
    else:
        for (src, dst, kind), (w, number) in conv.counts.items():
            out.count(new_id.get(src, src), new_id.get(dst, dst), kind, w, int(number))
    return out


_OUR_PREFIXES = {
    "twitter",
    "twitter_id",
    "mastodon",
    "bluesky",
    "url",
    "name",
    "pingback",
    "disqus",
    "post-author",
    "mastodon-account",
}


def _rank(pid: str) -> int:
    return {"twitter": 0, "mastodon": 1, "bluesky": 2, "url": 4, "name": 6}.get(
        pid.split(":", 1)[0], 3
    )


def _best_name(records: list[Person]) -> str:
    """The most informative display name: one with a space beats a bare handle."""
    names = [r.name for r in records if r.name]
    if not names:
        return ""
    return max(names, key=lambda n: (" " in n.strip(), len(n)))


def _text_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


__all__ = [
    "PLATFORM_HANDLES",
    "TWITTER_HOSTS",
    "Aliases",
    "handle_person",
    "merge",
    "new_person",
    "norm_name",
    "normalize_url",
    "person_id",
    "twitter_handle",
]
