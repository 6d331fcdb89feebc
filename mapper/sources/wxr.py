"""WordPress eXtended RSS (WXR) exports, versions 1.0–1.2.

Each ``item`` is a post; its ``dc:creator`` is the author (the login, shown with
its ``wp:author_display_name`` when the export lists authors; a comment by that
user, ``wp:comment_user_id``, is the same person).  Each ``wp:comment`` is a
comment, a reply (``comment_parent``), a pingback or a trackback.  The blog rules
of :mod:`mapper.sources.blog` apply: comments not approved (``comment_approved``
``0``, ``spam``, ``trash``) are left out unless ``--keep-spam``; pingbacks are
one participant per site, and the blog's own site (``wp:base_blog_url``, the
channel's and the posts' links) is an internal link.  A reply whose parent was
left out points at the nearest ancestor that was kept, or at the post.

The file is read record by record (:mod:`mapper.sources.xmlrecords`): damage
costs only the ``<item>`` it is in, and an item cut short keeps its complete
comments.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from . import blog
from .base import placeholder_author, resolve_author
from .xmlrecords import incomplete, iter_records, local

NAME = "WordPress WXR export"
_RECORDS = {"author", "item", "base_blog_url", "link"}


def sniff(head: str) -> bool:
    return "<rss" in head and "wordpress.org/export/" in head


def _child(el, name: str) -> str:
    for c in el:
        if local(c.tag) == name:
            return "".join(c.itertext()).strip()
    return ""


def _date(text: str):
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class _Blog:
    """What the export says about the blog: its authors and its own sites."""

    def __init__(self) -> None:
        self.display: dict[str, str] = {}  # login -> display name
        self.login_of: dict[str, str] = {}  # user id -> login
        self.own_hosts: set[str] = set()
        #: who ``@name`` can mean: the blog's commenters and authors, across its posts
        self.known: dict[str, str] = {}

    def add_site(self, url: str) -> None:
        host = blog.host_of(url)
        if host:
            self.own_hosts.add(host)


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a WXR file: every post with its comments."""
    conv = Conversation(inputs=[str(path)])
    site = _Blog()
    for el, line in iter_records(path, _RECORDS, conv, parts="comment"):
        name = local(el.tag)
        if name == "author":
            login = _child(el, "author_login")
            if login:
                site.display[login] = _child(el, "author_display_name") or login
                uid = _child(el, "author_id")
                if uid:
                    site.login_of[uid] = login
        elif name in ("base_blog_url", "link"):
            site.add_site("".join(el.itertext()))
        else:
            _item(el, line, path, conv, site, author)
    return conv


def _item(el, line: int, path, conv: Conversation, site: _Blog, author) -> None:
    post_id = _child(el, "post_id") or _child(el, "link") or f"item@{line}"
    link = _child(el, "link")
    site.add_site(link)
    post = Post(
        id=f"{Path(path).name}#{post_id}",
        title=_child(el, "title") or None,
        url=link or None,
        text=_child(el, "encoded") or None,
    )
    conv.posts.append(post)
    creator = _child(el, "creator")
    people_of_logins: dict[str, str] = {}
    if creator:
        p = conv.add_person(
            new_person(
                blog.clean_byline(site.display.get(creator, creator)),
                source="dc:creator",
                platform="web",
            )
        )
        p.add_evidence("wordpress login", creator, str(path))
        people_of_logins[creator] = p.id
        post.author_id = p.id
        post.author_evidence.append({"kind": "byline", "value": creator, "source": "dc:creator"})
    target = placeholder_author(post)
    known = site.known
    if post.author_id:
        blog.remember(known, conv.people[post.author_id], creator)
    keep = blog.keep_unapproved()
    parent_of: dict[str, str] = {}  # every comment id -> its parent id, kept or not
    author_of: dict[str, str] = {}  # kept comment id -> its author's id
    kept: list[tuple] = []  # (comment id, person id, ref, text, at)
    for c in el:
        if local(c.tag) != "comment":
            continue
        cid = _child(c, "comment_id")
        at_line = line + (c.sourceline or 1) - 1
        where = f"item {post_id} comment {cid or f'at line {at_line}'}"
        cid = cid or where
        parent_of[cid] = _child(c, "comment_parent")
        ref = f"{path}: {where}"
        if incomplete(c):
            conv.problem(
                str(path), where, "comment cut short by damage or a truncated file; skipped"
            )
            continue
        approved = _child(c, "comment_approved").lower() or "1"
        if approved not in ("1", "approve", "approved") and not keep:
            status = {"0": "pending", "hold": "pending"}.get(approved, approved)
            blog.set_aside_unapproved(conv, str(path), where, status)
            continue
        name, url = _child(c, "comment_author"), _child(c, "comment_author_url")
        kind = {"pingback": "pingback", "trackback": "pingback"}.get(
            _child(c, "comment_type").lower(), "comment"
        )
        text = _child(c, "comment_content")
        at = _date(_child(c, "comment_date_gmt") or _child(c, "comment_date"))
        if kind == "pingback":
            ping = blog.pingback(conv, name, url or None, site.own_hosts, where)
            if ping is not None:
                conv.interactions.append(
                    Interaction(
                        ping.id, target, kind, at=at, ref=ref, text=blog.ping_text(url, text)
                    )
                )
            continue
        login = site.login_of.get(_child(c, "comment_user_id"))
        if login and login in people_of_logins:
            pid = people_of_logins[login]  # the post's author answering in the thread
        elif name or url:
            p = conv.add_person(new_person(name, url or None, source=where, platform="web"))
            if login:
                p.add_evidence("wordpress login", login, ref)
                people_of_logins[login] = p.id
            pid = p.id
        else:
            conv.problem(str(path), where, "no author name or URL; skipped")
            continue
        if approved in ("spam", "trash"):
            conv.people[pid].spam = True
            conv.people[pid].add_evidence("spam", f"marked {approved} in WordPress", ref)
        elif approved not in ("1", "approve", "approved"):
            conv.people[pid].add_evidence("unapproved", "pending moderation in WordPress", ref)
        blog.remember(known, conv.people[pid], name)
        author_of[cid] = pid
        kept.append((cid, pid, ref, text, at))
    for cid, pid, ref, text, at in kept:
        parent = _kept_ancestor(cid, parent_of, author_of)
        if parent_of.get(cid, "0") not in ("", "0") and parent is None:
            conv.problem(
                str(path),
                ref.split(": ", 1)[1],
                f"reply to comment {parent_of[cid]}, which is not in the file or was left "
                "out; counted as a comment on the post",
            )
        kind = "reply" if parent else "comment"
        conv.interactions.append(
            Interaction(pid, parent or target, kind, at=at, ref=ref, text=text)
        )
        blog.comment_mentions(
            conv, text, pid, ref, known=known, parent=parent, platform="web", at=at
        )
    resolve_author(conv, post, author)


def _kept_ancestor(cid: str, parent_of: dict[str, str], author_of: dict[str, str]) -> str | None:
    """The author of the nearest ancestor of comment ``cid`` that was kept."""
    seen = {cid}
    p = parent_of.get(cid, "0")
    while p not in ("", "0") and p not in seen:
        if p in author_of:
            return author_of[p]
        seen.add(p)
        p = parent_of.get(p, "0")
    return None
