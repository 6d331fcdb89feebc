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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from anyascii import anyascii

from .errors import InputError
from .model import Conversation, Interaction, Person, absorb

TWITTER_HOSTS = {"twitter.com", "x.com", "mobile.twitter.com", "www.twitter.com", "www.x.com"}
_RESERVED = {"share", "intent", "search", "home", "hashtag", "i", "login", "statuses", "status"}
_twitter_path = re.compile(r"^/(?:#!/)?@?([A-Za-z0-9_]{1,30})(?:/status(?:es)?/(\d+))?/?", re.I)
_handle_re = re.compile(r"^[A-Za-z0-9_]{2,30}$")


def twitter_handle(url: str | None) -> tuple[str, str | None] | None:
    """``(handle, status_id)`` for a twitter.com/x.com URL, else ``None``."""
    if not url:
        return None
    u = url.strip()
    if "://" not in u:
        u = "http://" + u
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in TWITTER_HOSTS:
        return None
    m = _twitter_path.match(parts.path or "/")
    if not m or m.group(1).lower() in _RESERVED:
        return None
    return m.group(1), m.group(2)


def normalize_url(url: str | None) -> str | None:
    """A site URL without scheme, ``www.``, default port, query or trailing slash.

    >>> normalize_url("http://www.SimplyCast.com/")
    'simplycast.com'
    >>> normalize_url("https://blog.example.org/me/?utm=x")
    'blog.example.org/me'
    """
    if not url:
        return None
    u = url.strip()
    if not u:
        return None
    if "://" not in u:
        u = "http://" + u
    try:
        parts = urlsplit(u)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host or "." not in host and host != "localhost":
        return None
    if host.startswith("www."):
        host = host[4:]
    path = re.sub(r"/+$", "", parts.path or "")
    return host + path


def norm_name(name: str | None) -> str:
    """Case-, accent- and punctuation-free form of a display name."""
    return re.sub(r"[^a-z0-9]+", " ", anyascii(name or "").lower()).strip()


def person_id(
    name: str | None, url: str | None = None, handles: dict[str, str] | None = None
) -> str:
    """The stable id of a person seen with this name, site URL and handles.

    Platform handles win (``twitter:jaybaer``, ``mastodon:user@host``), then the
    site (``url:convinceandconvert.com``), then the name (``name:michael``).
    """
    handles = handles or {}
    for platform in ("twitter", "mastodon", "bluesky"):
        if handles.get(platform):
            return f"{platform}:{handles[platform].lower()}"
    for platform, h in sorted(handles.items()):
        if h:
            return f"{platform}:{h.lower()}"
    n = normalize_url(url)
    if n:
        return f"url:{n}"
    return "name:" + (norm_name(name).replace(" ", "-") or "anonymous")


#: Where a record was read, and the handle namespaces each may fill.  A ``twitter:``
#: id needs real Twitter evidence: a tweet, a ``twitter.com/<h>``/``x.com/<h>`` URL
#: (derived from ``url`` on any platform), a handle the page itself shows as a Twitter
#: handle (a saved page's ``Pingback: handle (Name)``), or the user's own word
#: (people.csv, ``--author``).  A blog's or Disqus's usernames stay in their namespace.
PLATFORM_HANDLES: dict[str, frozenset[str]] = {
    "twitter": frozenset({"twitter", "twitter_id"}),
    "mastodon": frozenset({"mastodon"}),
    "bluesky": frozenset({"bluesky"}),
    "disqus": frozenset({"disqus"}),
    "wp": frozenset({"wp"}),
    # a blog comment, a saved page, a pingback: names and URLs, no accounts of its own
    "web": frozenset({"pingback"}),
    # the user's own files (people.csv, --author): whatever namespace they write
    "user": frozenset(),
}


def new_person(
    name: str | None,
    url: str | None = None,
    handles: dict[str, str] | None = None,
    source: str = "",
    *,
    platform: str,
) -> Person:
    """A Person from what one record read on ``platform`` shows.

    ``platform`` is where the record came from (a key of :data:`PLATFORM_HANDLES`:
    ``twitter``, ``mastodon``, ``bluesky``, ``disqus``, ``wp``, ``web`` or ``user``);
    ``handles`` may only hold that platform's namespaces (``ValueError`` otherwise),
    so a blog or Disqus username can never become a ``twitter:`` id.  A
    ``twitter.com/<h>`` or ``x.com/<h>`` ``url`` is real Twitter evidence on any
    platform and becomes the ``twitter`` handle.
    """
    allowed = PLATFORM_HANDLES.get(platform)
    if allowed is None:
        raise ValueError(f"unknown platform {platform!r} (one of: {', '.join(PLATFORM_HANDLES)})")
    handles = {k: v for k, v in (handles or {}).items() if v}
    if platform != "user":
        wrong = [k for k in handles if k not in allowed]
        if wrong:
            raise ValueError(f"a {platform} record cannot carry a {wrong[0]!r} handle")
    urls: list[str] = []
    if url:
        tw = twitter_handle(url)
        if tw:
            handles.setdefault("twitter", tw[0])
        elif normalize_url(url):
            urls.append(url.strip())
    pid = person_id(name, urls[0] if urls else None, handles)
    p = Person(
        id=pid, name=(name or "").strip() or _name_from(handles, urls), handles=handles, urls=urls
    )
    p.merged_from.append(f"{pid} ({source})" if source else pid)
    return p


def handle_person(handle: str, *, platform: str, source: str = "") -> Person:
    """The person behind ``@handle`` written on ``platform``.

    In a tweet (``twitter``) it is that Twitter account; on Mastodon, Bluesky or
    Disqus it is a username there; on a blog (``web``) ``@Name`` addresses a
    person by name, so it is a name record (``name:…``) that the merge joins to
    the commenter of that name, never a ``twitter:`` id.
    """
    h = handle.strip().lstrip("@")
    if platform == "web":
        return new_person(h, source=source, platform="web")
    if platform == "user":
        platform = "twitter"  # the user's "@handle": the documented meaning of a bare handle
    return new_person(h, handles={platform: h}, source=source, platform=platform)


def _name_from(handles: dict[str, str], urls: list[str]) -> str:
    for h in handles.values():
        return h
    return normalize_url(urls[0]) if urls else "anonymous"


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
    if all(k == v for k, v in new_id.items()):
        out.counts = conv.counts  # nobody renamed: the counts stand as they are
    else:
        for (src, dst, kind), (w, n) in conv.counts.items():
            out.count(new_id.get(src, src), new_id.get(dst, dst), kind, w, int(n))
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
