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
from .model import Conversation, Interaction, Person, Post, absorb

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
        """Read an aliases file: one ``A = B`` or ``A != B`` per line, ``#`` comments
        (after a space).

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
        same: list[tuple[str, str]] = []
        different: list[tuple[str, str]] = []
        for lineno, raw in enumerate(text.splitlines(), 1):
            # "#" starts a comment at the line's start or after a space: an id like
            # url:site.com#jane-doe keeps its "#"
            line = re.sub(r"(?:^|\s)#.*$", "", raw).strip()
            if not line:
                continue
            # " = " / " != " with spaces first: an id may hold "=" (profile.php?id=…)
            m = re.match(r"^(.*?\S)\s+(!=|=)\s+(\S.*)$", line)
            if m:
                a, op, b = m.groups()
            elif "!=" in line:
                (a, b), op = line.split("!=", 1), "!="
            elif "=" in line:
                (a, b), op = line.split("=", 1), "="
            else:
                raise InputError(
                    f"{path}: line {lineno}: expected 'A = B' or 'A != B', got {raw!r}"
                )
            (different if op == "!=" else same).append((a.strip(), b.strip()))
        return cls(same, different)


# --- names ---------------------------------------------------------------------


def squash(name: str | None) -> str:
    """A name with no case, accents, punctuation or spaces: ``Jay Baer`` → ``jaybaer``."""
    return norm_name(name).replace(" ", "")


def names_compatible(a: str | None, b: str | None) -> bool:
    """Whether two display names can be one person's.

    Equal once case, accents, punctuation and spaces are ignored (``jaybaer`` ~
    ``Jay Baer``); a first name alone (``Michael`` ~ ``Michael Smith``); the same
    last name with the same first name or its initial, middle names aside
    (``J. Smith`` ~ ``John Q. Smith``).  ``Anne Marsden`` and ``John Marsden`` are not.
    """
    return _tokens_compatible(norm_name(a).split(), norm_name(b).split())


def _tokens_compatible(ta: list[str], tb: list[str]) -> bool:
    if not ta or not tb or "".join(ta) == "".join(tb):
        return True
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) == 1:
        return short[0] == long[0]
    if short[-1] != long[-1]:
        return False
    f1, f2 = short[0], long[0]
    return f1 == f2 or (len(f1) == 1 and f2.startswith(f1)) or (len(f2) == 1 and f1.startswith(f2))


def _specificity(tokens: list[str] | tuple[str, ...]) -> int:
    """How much a name says: its letters (``Michael Smith`` says more than ``M. Smith``)."""
    return sum(len(t) for t in tokens)


class _NameIndex:
    """Records by the name forms :func:`names_compatible` can match on, so a
    look-up touches only records whose names could fit (dict look-ups, no scan)."""

    def __init__(self) -> None:
        self.by: dict[object, list[tuple[str, list[str]]]] = {}

    def add(self, pid: str, tokens: list[str], extra: Iterable[str] = ()) -> None:
        keys: set[object] = {"".join(tokens)} if tokens else set()
        keys.update(extra)  # an account's handle is a name form too (``jaybaer``)
        if len(tokens) == 1:
            keys.add(("single", tokens[0]))
        elif tokens:
            keys.add(("first", tokens[0]))
            keys.add(("initial-last", tokens[0][0], tokens[-1]))
        for k in keys:
            self.by.setdefault(k, []).append((pid, tokens))

    def candidates(self, tokens: list[str]) -> Iterable[tuple[str, list[str]]]:
        """Records whose names may fit ``tokens``, each once, at most ``_CANDIDATE_CAP``."""
        if not tokens:
            return
        keys: list[object] = ["".join(tokens), ("single", tokens[0])]
        if len(tokens) == 1:
            keys.append(("first", tokens[0]))
        else:
            keys.append(("initial-last", tokens[0][0], tokens[-1]))
        seen: set[str] = set()
        for k in keys:
            for pid, other in self.by.get(k, ()):
                if pid not in seen:
                    seen.add(pid)
                    yield pid, other
                    if len(seen) >= _CANDIDATE_CAP:
                        return


# --- merging -------------------------------------------------------------------

#: Handle namespaces that are accounts on a platform (a record with one is that account).
_ACCOUNTS = frozenset({"twitter", "twitter_id", "mastodon", "bsky", "disqus", "wp"})
#: The account family a namespace belongs to: two accounts of one family are two people.
_FAMILY = {
    "twitter": "twitter",
    "twitter_id": "twitter_id",
    "mastodon": "mastodon",
    "bsky": "bsky",
    "disqus": "disqus",
    "wp": "wp",
}
#: Families whose display names the same-name rule may join a bare name to: the
#: blog's own comment systems (a bare ``@Name`` in a Disqus thread is that commenter),
#: never a social-network account found by its display name alone.
_NAME_JOINABLE = frozenset({"disqus", "wp"})
#: At most this many candidates are checked when a name or URL could fit many.
_CANDIDATE_CAP = 64


def _namespace(platform: str) -> str:
    """The namespace a handle is unique in: a saved page's ``Pingback: handle (Name)``
    shows a Twitter handle; every other platform's usernames are its own."""
    return "twitter" if platform == "pingback" else platform


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


class _Groups:
    """Union-find over person ids, union by size, touching only ids that take part in
    a join; each group keeps its members, its accounts per family (two different
    accounts of one family never join) and the reasons it was joined, counted per
    reason so a group of thousands keeps a handful of entries."""

    def __init__(self, people: dict[str, Person]):
        self.people = people
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.idents: dict[str, dict[str, set[str]]] = {}
        self.reasons: dict[str, dict[str, list]] = {}
        self.forbidden: list[tuple[str, str]] = []
        #: per record and refusal reason: [the first other record, how many]
        self.refused: dict[str, dict[str, list]] = {}
        self._order: dict[str, int] | None = None

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while root in parent:
            root = parent[root]
        while x != root:  # path compression
            nxt = parent[x]
            parent[x] = root
            x = nxt
        return root

    def size(self, root: str) -> int:
        m = self.members.get(root)
        return len(m) if m else 1

    def _idents(self, root: str) -> dict[str, set[str]]:
        d = self.idents.get(root)
        if d is None:
            d = {}
            for platform, h in self.people[root].handles.items():
                if platform in _ACCOUNTS:
                    d.setdefault(_FAMILY[platform], set()).add(h.lower().lstrip("@"))
            if root.split(":", 1)[0] not in _OUR_PREFIXES:
                d["user id"] = {root}  # two rows of the user's own people.csv: two people
            self.idents[root] = d
        return d

    def clash(self, ra: str, rb: str) -> str | None:
        """The family on which the groups of ``ra`` and ``rb`` hold different accounts."""
        da, db = self._idents(ra), self._idents(rb)
        for family in da.keys() & db.keys():
            if not da[family] & db[family]:
                return family
        return None

    def names_fit(self, a: str, b: str, tokens: dict[str, list[str]]) -> bool:
        """Whether the groups of ``a`` and ``b`` may join on names: the fullest name of
        the two fits every name of both (``Michael Jones`` cannot join a group that
        holds ``Michael Smith`` through their common ``Michael``)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        names = [
            tuple(tokens[m] if m in tokens else norm_name(self.people[m].name).split())
            for m in (*self.members.get(ra, [ra])[:16], *self.members.get(rb, [rb])[:16])
        ]
        names = [n for n in names if n]
        if not names:
            return True
        full = max(names, key=_specificity)
        return all(_tokens_compatible(list(full), list(n)) for n in names)

    def ordered(self, a: str, b: str) -> tuple[str, str]:
        """``a, b`` in the order the records were read (for stable evidence text)."""
        if self._order is None:
            self._order = {pid: i for i, pid in enumerate(self.people)}
        return (a, b) if self._order[a] <= self._order[b] else (b, a)

    def join(self, a: str, b: str, why: str, force: bool = False) -> bool:
        """Join the groups of ``a`` and ``b``; ``False`` when a rule or the user forbids."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        for x, y in self.forbidden:
            fx, fy = self.find(x), self.find(y)
            if {fx, fy} == {ra, rb}:
                return False
        family = None if force else self.clash(ra, rb)
        if family:
            self._refuse(a, b, f"{why}, but different {family}")
            return False
        if self.size(ra) < self.size(rb):
            ra, rb = rb, ra
        self.parent[rb] = ra
        big = self.members.setdefault(ra, [ra])
        big.extend(self.members.pop(rb, [rb]))
        da, db = self._idents(ra), self._idents(rb)
        del self.idents[rb]
        for family, hs in db.items():
            da.setdefault(family, set()).update(hs)
        reasons = self.reasons.setdefault(ra, {})
        for w, entry in self.reasons.pop(rb, {}).items():
            self._add_reason(reasons, w, entry[0], entry[1])
        self._add_reason(reasons, why, f"{a} ~ {b}", 1)
        return True

    @staticmethod
    def _add_reason(reasons: dict[str, list], why: str, pair: str, n: int) -> None:
        have = reasons.get(why)
        if have is None:
            reasons[why] = [pair, n]
        else:
            have[1] += n

    def _refuse(self, a: str, b: str, why: str) -> None:
        for me in (a, b):
            per = self.refused.setdefault(me, {})
            have = per.get(why)
            if have is None:
                per[why] = [f"{a} ~ {b}", 1]
            else:
                have[1] += 1


def merge(conv: Conversation, aliases: Aliases | None = None) -> Conversation:
    """Fold each person's records into one and drop duplicate interactions.

    Returns a new Conversation; ids of interactions are rewritten to the merged
    person's id.  Each merge is recorded as ``evidence`` (kind ``merge``) on the
    merged person, and the ids folded in are listed in ``merged_from``; records a
    rule considered but kept apart carry one ``not merged`` entry per reason, with
    a count (never one per pair).  Cost: linear in records and keys; records that
    cannot merge (one platform account each, nothing from another source) are
    only looked at once.
    """
    people = conv.people
    groups = _Groups(people)
    if aliases:
        _apply_aliases(groups, people, aliases)

    # one pass: sort records into accounts that can only be themselves, and the rest
    open_ids: list[str] = []  # records without a platform account (blog commenters ...)
    keyed: list[str] = []  # records whose handles must be matched with others'
    with_urls: list[str] = []
    url_families: set[str | None] = set()  # account families (None: no account) with URLs
    last_family = None
    for pid, p in people.items():
        hs = p.handles
        if len(hs) == 1:
            ((platform, h),) = hs.items()
            family = _FAMILY.get(platform)
            if family is not None and pid == platform + ":" + h.lower():
                # an account whose id is its handle: any other record with that handle
                # had the same id and was folded at reading; nothing to match here
                if p.urls:
                    with_urls.append(pid)
                    if family is not last_family:
                        url_families.add(family)
                        last_family = family
                continue
        if p.urls:
            with_urls.append(pid)
            url_families.add(_account_family(p))
        if not hs:
            open_ids.append(pid)
            continue
        keyed.append(pid)
        if not _ACCOUNTS.intersection(hs):
            open_ids.append(pid)

    # 1. the same handle in one namespace (a pingback's handle and the tweet's author)
    twitter_handles: dict[str, str] = {}  # handles shown by records not named after them
    owner: dict[tuple[str, str], str] = {}
    for pid in keyed:
        for platform, h in sorted(people[pid].handles.items()):
            ns, hl = _namespace(platform), h.lower().lstrip("@")
            if ns == "twitter":
                twitter_handles.setdefault(hl, pid)
            first = owner.setdefault((ns, hl), pid)
            if first != pid:
                groups.join(*groups.ordered(first, pid), f"same handle {hl}")
            derived = f"{ns}:{hl}"
            if derived != pid and derived in people:
                groups.join(*groups.ordered(derived, pid), f"same handle {hl}")

    # 2. a shared site URL, with names that fit: only where a record without a platform
    # account, or accounts of two platforms, share it
    if None in url_families or len(url_families) > 1:
        _url_rule(groups, people, with_urls)

    if open_ids:
        _name_rules(groups, people, open_ids, twitter_handles)
        _author_rule(groups, people, conv.posts)

    # refusals: one entry per record and reason, with the number of records
    for pid, per in groups.refused.items():
        for why, (pair, n) in per.items():
            more = f" (and {n - 1} more)" if n > 1 else ""
            people[pid].add_evidence("not merged", f"{pair}: {why}{more}", "identity")
    # records folded at reading because they showed the same site and name
    for pid in (*open_ids, *keyed):
        p = people[pid]
        if p.records > 1 and pid.startswith(("url:", "name:")):
            what = (
                f"site {pid[4:].split('#', 1)[0]} and name {p.name!r}"
                if pid.startswith("url:")
                else f"name {p.name!r} and no site"
            )
            p.add_evidence("merge", f"{p.records} records with the same {what}", "identity")

    return _fold(conv, groups)


def _url_rule(groups: _Groups, people: dict[str, Person], with_urls: list[str]) -> None:
    """Records that share a normalised site URL join when their names fit.

    Two accounts of one platform never join this way, so a URL shared only by
    accounts of one platform (a link-in-bio service, a company site) costs one
    dict look-up per record.
    """
    norm: dict[str, str | None] = {}  # each distinct URL string normalised once
    by_url: dict[str, list[str]] = {}
    for pid in with_urls:
        keys = set()
        for u in people[pid].urls:
            k = norm.get(u, "")
            if k == "":
                k = norm[u] = normalize_url(u)
            if k:
                keys.add(k)
        for k in keys:
            by_url.setdefault(k, []).append(pid)
    for key, pids in by_url.items():
        if len(pids) < 2:
            continue
        fams = [_account_family(people[pid]) for pid in pids]
        if None not in fams and len(set(fams)) == 1:
            continue  # one platform's accounts only: they cannot be one person
        _url_group(groups, people, key, pids, fams)


def _account_family(p: Person) -> str | None:
    for platform in p.handles:
        if platform in _FAMILY:
            return _FAMILY[platform]
    return None


def _url_group(
    groups: _Groups,
    people: dict[str, Person],
    key: str,
    pids: list[str],
    fams: list[str | None],
) -> None:
    """Join, among records sharing the URL ``key``, those whose names fit, unless a
    name is ambiguous (``Michael`` beside ``Michael Smith`` and ``Michael Jones``);
    note on every record kept apart why, once."""
    site = squash(key)
    index: dict[str | None, _NameIndex] = {}
    tokens: dict[str, list[str]] = {}
    for pid, fam in zip(pids, fams, strict=True):
        p = people[pid]
        t = norm_name(p.name).split()
        if "".join(t) == site:
            t = []  # a record named after its URL (no name given) has no name to differ
        tokens[pid] = t
        extra = [h.lower() for k, h in p.handles.items() if k in ("twitter", "pingback")]
        idx = index.get(fam)
        if idx is None:
            idx = index[fam] = _NameIndex()
        idx.add(pid, t, extra)

    # the records each name fits (two accounts of one platform never fit)
    fits: dict[str, list[str]] = {}
    for pid, fam in zip(pids, fams, strict=True):
        mine = tokens[pid]
        found = fits[pid] = []
        for other_fam, idx in index.items():
            if fam is not None and other_fam == fam:
                continue
            for other, theirs in idx.candidates(mine):
                if other != pid and _tokens_compatible(mine, theirs):
                    found.append(other)

    def ambiguous(pid: str) -> list[str]:
        # two records that say more than this one and cannot be one person
        mine = _specificity(tokens[pid])
        fuller = [o for o in fits[pid] if _specificity(tokens[o]) > mine][:8]
        for i, a in enumerate(fuller):
            for b in fuller[i + 1 :]:
                if not _tokens_compatible(tokens[a], tokens[b]):
                    return [a, b]
        return []

    unsure = {pid: pair for pid in pids if (pair := ambiguous(pid))}
    fam_of = dict(zip(pids, fams, strict=True))
    for pid in pids:
        if pid in unsure:
            continue
        for other in fits[pid]:
            if other not in unsure and groups.names_fit(pid, other, tokens):
                groups.join(*groups.ordered(other, pid), f"same url {key} and names that fit")
        if not tokens[pid] and not fits[pid] and fam_of[pid] is None:
            # no name at all: the site is all there is; it joins when it names one group
            roots = {groups.find(o) for o in pids if o != pid} - {groups.find(pid)}
            if len(roots) == 1:
                groups.join(*groups.ordered(next(iter(roots)), pid), f"same url {key}")

    # every record still apart from some of the others says so, once
    sizes: dict[str, int] = {}
    for pid in pids:
        r = groups.find(pid)
        sizes[r] = sizes.get(r, 0) + 1
    for pid in pids:
        others = len(pids) - sizes[groups.find(pid)]
        if not others:
            continue
        s = "s" if others > 1 else ""
        why = (
            f"names {', '.join(repr(people[o].name) for o in unsure[pid])} both fit"
            if pid in unsure
            else "different names or accounts"
        )
        people[pid].add_evidence(
            "not merged",
            f"shares its URL {key} with {others:,} other record{s} ({why}); not merged",
            "identity",
        )


def _name_rules(
    groups: _Groups,
    people: dict[str, Person],
    open_ids: list[str],
    twitter_handles: dict[str, str],
) -> None:
    """Names of records without a platform account: a display name that is (or
    spells) a Twitter handle the study shows; the same name as one other group."""

    def handle_owner(h: str) -> str | None:
        pid = twitter_handles.get(h)
        if pid is None and "twitter:" + h in people:
            pid = "twitter:" + h
        return pid

    for pid in open_ids:
        n = people[pid].name.strip()
        if _handle_re.match(n):
            hid = handle_owner(n.lower())
            if hid is not None and hid != pid:
                groups.join(hid, pid, f"display name {n!r} is a handle")
                continue
        for h in _handles_spelled(n):  # a few set look-ups, not a scan of every handle
            hid = handle_owner(h)
            if hid is not None and hid != pid:
                groups.join(hid, pid, f"name {n!r} spells handle @{h}")
                break

    # same display name, when nothing strong disagrees: a bare record (no site, no
    # handle) joins the one group of that name among the blog's own records
    by_name: dict[str, list[str]] = {}
    for pid in open_ids:
        key = norm_name(people[pid].name)
        if key:
            by_name.setdefault(key, []).append(pid)
    if not by_name:
        return
    for pid, p in people.items():
        if p.handles and _account_family(p) in _NAME_JOINABLE:
            key = norm_name(p.name)
            if key in by_name:
                by_name[key].append(pid)
    for name, pids in by_name.items():
        bare = [pid for pid in pids if not people[pid].urls and not people[pid].handles]
        if not bare:
            continue
        roots = {groups.find(pid) for pid in pids if pid not in bare}
        if len(roots) <= 1:
            target = next(iter(roots)) if roots else bare[0]
            for pid in bare:
                groups.join(target, pid, f"same name {name!r}")


def _author_rule(groups: _Groups, people: dict[str, Person], posts: list[Post]) -> None:
    """A post's author (a byline, ``dc:creator``) and the blog records written under
    the same name, or under a name that fits only theirs, are one person."""
    authors = {
        post.author_id
        for post in posts
        if post.author_id in people and _account_family(people[post.author_id]) in _BLOG_SIDE
    }
    if not authors:
        return
    index = _NameIndex()
    for pid, p in people.items():
        if _account_family(p) in _BLOG_SIDE and pid not in authors:
            index.add(pid, norm_name(p.name).split())
    for author in sorted(authors):
        t = norm_name(people[author].name).split()
        if not t:
            continue
        same: list[str] = []
        fits: set[str] = set()
        for n, (pid, other) in enumerate(index.candidates(t)):
            if n >= _CANDIDATE_CAP:
                break
            if "".join(other) == "".join(t):
                same.append(pid)
            elif _tokens_compatible(t, other):
                fits.add(groups.find(pid))
        for pid in same:
            groups.join(author, pid, f"the post's author {people[author].name!r} commented")
        mine = groups.find(author)
        fits.discard(mine)
        if not same and len(fits) == 1:
            groups.join(author, next(iter(fits)), "the post's author's name fits a commenter's")


#: Records on the blog's side of a thread: no account, or the blog's own comment system.
_BLOG_SIDE = frozenset({None, "disqus", "wp"})


def _apply_aliases(groups: _Groups, people: dict[str, Person], aliases: Aliases) -> None:
    """User decisions first: forbidden pairs are kept for every later join, forced
    pairs are joined whatever the rules say."""
    lookup = _TokenLookup(people)
    for a, b in aliases.different:
        ra, rb = lookup(a), lookup(b)
        if ra and rb:
            groups.forbidden.append((ra, rb))
    for a, b in aliases.same:
        ra, rb = lookup(a), lookup(b)
        if ra and rb:
            groups.join(ra, rb, "aliases file", force=True)


class _TokenLookup:
    """An aliases-file token (id, ``@handle``, ``url:site``, site URL or name) → the
    first record it names; the indexes are built once."""

    def __init__(self, people: dict[str, Person]):
        self.people = people
        self.handles: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        for pid, p in people.items():
            for h in p.handles.values():
                self.handles.setdefault(h.lower().lstrip("@"), pid)
            self.names.setdefault(norm_name(p.name), pid)
            for u in p.urls:
                k = normalize_url(u)
                if k:
                    self.urls.setdefault(k, pid)

    def __call__(self, token: str) -> str | None:
        token = token.strip()
        if token.startswith("bluesky:"):  # the Bluesky namespace before it was bsky:
            token = "bsky:" + token[8:]
        if token in self.people:
            return token
        t = token.lstrip("@").lower()
        if t in self.handles:
            return self.handles[t]
        if token.startswith("url:"):
            token = token[4:]
        k = normalize_url(token)
        if k and k in self.urls:
            return self.urls[k]
        return self.names.get(norm_name(token))


def _fold(conv: Conversation, groups: _Groups) -> Conversation:
    """The merged Conversation: one Person per group, interactions renamed."""
    people = conv.people
    out = Conversation(inputs=list(conv.inputs), problems=list(conv.problems), posts=[])
    out.set_aside = dict(conv.set_aside)
    new_id: dict[str, str] = {}
    parent, groups_of, kept = groups.parent, groups.members, out.people
    for pid, p in people.items():
        if pid in parent:
            continue  # not a group's root: folded into its root, below
        root = pid
        ids = groups_of.get(root)
        if ids is None:
            best = pid
            hs = p.handles
            if len(hs) == 1 and pid == ":".join(next(iter(hs.items()))).lower():
                pass  # an account named after its only handle: person_id would say pid
            elif pid.split(":", 1)[0] in _OUR_PREFIXES and not pid.startswith("post-author:"):
                # a record that learnt more than its id says (a self-declared handle, a
                # site URL shared by another name) takes its proper id when it is free
                best = person_id(p.name, p.urls[0] if p.urls else None, p.handles)
                if best != pid and (best in people or best in kept or _rank(best) > _rank(pid)):
                    # taken, or it would say less than the id does (a twitter: id
                    # from interactions.csv, with no handle or name, is no name:)
                    best = pid
            if best != pid:
                new_id[pid] = best
                p.id = best
            if not p.name:  # known by its id alone (interactions.csv): named after it
                p.name = pid.split(":", 1)[-1]
            kept[best] = p
            continue
        group = sorted(ids, key=lambda i: (_rank(i), i))
        merged = Person(id=group[0], name=people[group[0]].name, records=0)
        merged.profile_only = all(people[i].profile_only for i in group)
        for i in group:
            absorb(merged, people[i])
        # the merged record may know more (a handle) than any single one did
        best = person_id(merged.name, merged.urls[0] if merged.urls else None, merged.handles)
        users = [i for i in group if i.split(":", 1)[0] not in _OUR_PREFIXES]
        members = set(group)
        if users:
            best = users[0]  # an id the user gave (people.csv) is kept as it is
        elif (
            group[0].startswith("post-author:")
            or best in out.people
            or (best in people and best not in members)
            or _rank(best) > _rank(group[0])
        ):
            best = group[0]
        merged.id = best
        for i in group:
            if i != best:
                new_id[i] = best
        for why, (pair, n) in groups.reasons.get(root, {}).items():
            more = f" (and {n - 1} more)" if n > 1 else ""
            merged.add_evidence("merge", f"{pair}: {why}{more}", "identity")
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
    renamed = getattr(conv.counts, "renamed", None)  # the Dask engine's arrays
    if not new_id:
        out.counts = conv.counts  # nobody renamed: the counts stand as they are
    elif renamed is not None and (table := renamed(new_id)) is not None:
        out.counts = table  # renamed as arrays: the same ties, never made a dict
    else:
        # Conversation.count inlined (the kinds were checked when counted); an entry
        # nobody renamed is kept as it is, and two that fold into one make a new list,
        # so the input's counts are never changed and few objects are made
        counts = out.counts
        get = new_id.get
        for edge, entry in conv.counts.items():
            src, dst, kind = edge
            new_src, new_dst = get(src), get(dst)
            if new_src is not None or new_dst is not None:
                edge = (new_src or src, new_dst or dst, kind)
                if edge[0] == edge[1]:
                    continue
            have = counts.get(edge)
            counts[edge] = entry if have is None else [have[0] + entry[0], have[1] + entry[1]]
    return out


_OUR_PREFIXES = {
    "twitter",
    "twitter_id",
    "mastodon",
    "bsky",
    "url",
    "name",
    "pingback",
    "disqus",
    "wp",
    "post-author",
    "mastodon-account",
}


def _rank(pid: str) -> int:
    return {"twitter": 0, "mastodon": 1, "bsky": 2, "url": 4, "name": 6}.get(
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
