"""Rules every blog reader shares (saved HTML, WXR, Disqus, WordPress REST).

* A pingback/trackback is one participant per *site* (``url:host``), not per
  linking URL; one from the blog's own site is an internal link, not a person,
  and is counted in ``Conversation.set_aside["internal_links"]``.
* Comments a moderator did not approve (WordPress pending ``0``, ``spam``,
  ``trash``; Disqus ``isSpam``) are left out unless ``settings.keep_unapproved``
  (``--keep-spam``); each is named in ``problems`` and counted in
  ``set_aside["unapproved"]``.
* Byline boilerplate ("View all posts by", "Posted by", "By", "par", "von" …) is
  stripped from author names.
* ``@name`` in a comment: a reply that starts with its parent's name is one
  reply, not a reply plus a mention; other ``@name``s that name someone in the
  same thread point at that person; the rest are handles on ``platform``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .. import settings
from ..ids import handle_person, new_person, norm_name
from ..model import Conversation, Interaction, Person

_byline_prefix = re.compile(
    r"^\s*(?:view all posts by|all posts by|more posts by|posts by|posted by|written by|"
    r"published by|article by|author:|by|par|publié par|écrit par|von|verfasst von|"
    r"por|publicado por|escrito por|di|scritto da|door)\s+",
    re.I,
)
_byline_suffix = re.compile(r"\s*(?:[|·•,]|\bon\b\s+\w+\s+\d).*$", re.I)


def clean_byline(name: str | None) -> str:
    """An author name without byline boilerplate.

    >>> clean_byline("View all posts by Jane Doe")
    'Jane Doe'
    >>> clean_byline("Posted by Jane Doe | March 3")
    'Jane Doe'
    """
    n = re.sub(r"\s+", " ", name or "").strip()
    for _ in range(2):  # "Posted by: By Jane" happens
        n = _byline_prefix.sub("", n).strip(" :")
    return _byline_suffix.sub("", n).strip(" :-–—")


def host_of(url: str | None) -> str | None:
    """The lower-case host of ``url`` without ``www.``, or ``None``."""
    if not url:
        return None
    u = url.strip()
    if "://" not in u:
        u = "http://" + u
    try:
        host = (urlsplit(u).hostname or "").lower()
    except ValueError:
        return None
    host = host[4:] if host.startswith("www.") else host
    return host if "." in host else None


def site_root(url: str | None) -> str | None:
    """``scheme://host/`` of ``url``: the site a pingback came from."""
    host = host_of(url)
    if host is None:
        return None
    scheme = "https" if (url or "").strip().lower().startswith("https:") else "http"
    return f"{scheme}://{host}/"


def pingback(
    conv: Conversation, name: str, url: str | None, own_hosts: set[str], source: str
) -> Person | None:
    """The person behind a pingback/trackback (one per site), or ``None`` when it
    links from the blog's own site (counted as an internal link) or shows neither a
    link nor a name (named in ``problems``)."""
    host = host_of(url)
    if host is not None and host in own_hosts:
        conv.set_aside["internal_links"] = conv.set_aside.get("internal_links", 0) + 1
        return None
    root = site_root(url)
    # the author field of a pingback is the linking post's title: the site is the person
    label = host or _site_name(name)
    if not label:
        conv.problem(
            conv.inputs[0] if conv.inputs else "",
            source,
            "pingback without a link or a name; skipped",
        )
        return None
    return conv.add_person(new_person(label, root, source=source, platform="web"))


def ping_text(url: str | None, text: str | None) -> str:
    """A pingback's text as kept on its interaction: the linking URL, then the excerpt.
    Duplicates count once by their text, and two posts of one site that link with the
    same excerpt ("[…] source […]") are two links, not one saved twice."""
    return "\n".join(x for x in ((url or "").strip(), (text or "").strip()) if x)


def _site_name(name: str) -> str:
    # "Blog name » Post title" / "Blog name | Post title": the blog's name
    return re.split(r"\s+[»|–—:]\s+", name or "", maxsplit=1)[0].strip()


def keep_unapproved() -> bool:
    """Whether comments a moderator did not approve are read (``--keep-spam``)."""
    return bool(getattr(settings, "keep_unapproved", False))


def set_aside_unapproved(conv: Conversation, input: str, where: str, status: str) -> None:
    """Name and count a comment left out because it was not approved."""
    conv.set_aside["unapproved"] = conv.set_aside.get("unapproved", 0) + 1
    conv.problem(input, where, f"not approved ({status}); left out (--keep-spam keeps it)")


_mention = re.compile(r"(?<![\w@/])@([^\s@,:;!?()<>\"']{1,40})")


def comment_mentions(
    conv: Conversation,
    text: str,
    source: str,
    ref: str,
    *,
    known: dict[str, str],
    parent: str | None = None,
    platform: str,
    at=None,
) -> None:
    """Mention edges for the ``@name``s of a blog comment by ``source``.

    ``known`` maps a squashed name or username (:func:`squash`) of the thread's
    people to their id.  A reply that opens with ``@`` + its parent's name is the
    reply alone; any other ``@name`` is a mention of the person it names, or of
    the handle on ``platform`` when nobody in the thread has that name (on a blog,
    ``web``, that is a name record, never a ``twitter:`` id:
    :func:`~mapper.identity.handle_person`).
    """
    seen: set[str] = set()
    body = (text or "").lstrip()
    for i, m in enumerate(_mention.finditer(body)):
        raw = m.group(1).rstrip(".")
        target = _resolve(raw, known)
        if i == 0 and m.start() == 0 and parent is not None and target == parent:
            continue  # "@parent …": the reply habit, already a reply edge
        if target is None:
            h = re.match(r"[A-Za-z0-9_]{1,30}", raw)
            if not h:
                continue
            handle = h.group(0)
            target = conv.add_person(handle_person(handle, platform=platform, source="mention")).id
        if target == source or target in seen:
            continue
        seen.add(target)
        conv.interactions.append(Interaction(source, target, "mention", at=at, ref=ref, text=text))


def squash(name: str | None) -> str:
    """A name as people type it after ``@``: lower case, no spaces or accents."""
    return norm_name(name).replace(" ", "")


def _resolve(raw: str, known: dict[str, str]) -> str | None:
    key = squash(raw)
    if key in known:
        return known[key]
    # "@Bob thanks": a first name that is unique in the thread
    return known.get("first:" + key) or None


def remember(known: dict[str, str], person: Person, *names: str | None) -> None:
    """Let ``@name`` find ``person`` by display name, first name and usernames."""
    for n in (person.name, *names, *person.handles.values()):
        k = squash(n)
        if k:
            known.setdefault(k, person.id)
    first = norm_name(person.name).split(" ")[0] if person.name else ""
    if first:
        k = "first:" + first
        if known.get(k, person.id) != person.id:
            known[k] = ""  # two people share the first name: ambiguous
        else:
            known.setdefault(k, person.id)
