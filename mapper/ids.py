"""Stable ids for people, and the URL and name forms they are built from.

Part of the model: readers build :class:`~mapper.model.Person` records with
:func:`new_person` / :func:`handle_person`; :mod:`mapper.identity` merges them later.
Nothing here reads files or merges anything.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from anyascii import anyascii

from .model import Person

TWITTER_HOSTS = {"twitter.com", "x.com", "mobile.twitter.com", "www.twitter.com", "www.x.com"}
_RESERVED = {"share", "intent", "search", "home", "hashtag", "i", "login", "statuses", "status"}
_twitter_path = re.compile(r"^/(?:#!/)?@?([A-Za-z0-9_]{1,30})(?:/status(?:es)?/(\d+))?/?", re.I)


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
    """A site URL without scheme, ``www.``, default port, trailing slash or query,
    but for the query parameters that say whose page it is (``profile.php?id=…``:
    many people's profiles share everything else).

    >>> normalize_url("http://www.SimplyCast.com/")
    'simplycast.com'
    >>> normalize_url("https://blog.example.org/me/?utm=x")
    'blog.example.org/me'
    >>> normalize_url("http://www.facebook.com/profile.php?id=1000&ref=ts")
    'facebook.com/profile.php?id=1000'
    """
    if not url:
        return None
    u = url.strip()
    if not u:
        return None
    m = _plain_url.match(u)
    if m:  # most profile URLs: what _split_url says, without urlsplit (4× faster)
        host = m.group(1).lower()
        return (host[4:] if host.startswith("www.") else host) + (m.group(2) or "").rstrip("/")
    return _split_url(u)


def _split_url(u: str) -> str | None:
    """:func:`normalize_url` of a stripped, non-empty ``u`` by :func:`urlsplit`."""
    if "://" not in u:
        u = "http://" + u
    try:
        parts = urlsplit(u)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host or ("." not in host and host != "localhost"):
        return None
    if host.startswith("www."):
        host = host[4:]
    path = re.sub(r"/+$", "", parts.path or "")
    if parts.query:
        who = sorted(
            (k.lower(), v)
            for k, v in parse_qsl(parts.query, keep_blank_values=False)
            if k.lower() in _PROFILE_PARAMS
        )
        if who:
            return host + path + "?" + "&".join(f"{k}={v}" for k, v in who)
    return host + path


#: A URL with nothing urlsplit would have to take apart: an optional http(s) scheme, a
#: dotted host of ASCII letters, digits and hyphens, an optional path of visible ASCII
#: without ``?``, ``#`` or ``\\`` (so no query, fragment, port or user part).
_plain_url = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?://)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"(/[^?#\\\x00-\x20\x7f-\U0010ffff]*)?\Z"
)

#: Query parameters that name a person's page (``profile.php?id=…``, ``?user=…``).
_PROFILE_PARAMS = frozenset({"id", "uid", "user", "userid", "user_id", "username", "u", "member"})


def norm_name(name: str | None) -> str:
    """Case-, accent- and punctuation-free form of a display name."""
    return re.sub(r"[^a-z0-9]+", " ", anyascii(name or "").lower()).strip()


def person_id(
    name: str | None, url: str | None = None, handles: dict[str, str] | None = None
) -> str:
    """The stable id of a person seen with this name, site URL and handles.

    Platform handles win (``twitter:jaybaer``, ``mastodon:user@host``,
    ``bsky:ann.bsky.social``), then the
    site (``url:convinceandconvert.com``), then the name (``name:michael``).
    """
    handles = handles or {}
    for platform in ("twitter", "mastodon", "bsky"):
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
    "bluesky": frozenset({"bsky"}),  # ids bsky:<handle>, as Bluesky writes them
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
    return (normalize_url(urls[0]) if urls else None) or "anonymous"


def url_record_id(have: Person, new: Person) -> str:
    """The id for ``new``, a record whose ``url:`` id ``have`` already holds: the same
    id when the names agree (or one record gave none), else the id qualified by its
    name (``url:site.com#jane-doe``), so a site URL alone never makes two names one.
    """
    a, b = norm_name(have.name), norm_name(new.name)
    site = new.id.split("#", 1)[0]
    unnamed = norm_name(site[4:])
    if a == b or not a or not b or unnamed in (a, b):
        return new.id
    return f"{site}#{b.replace(' ', '-')}"
