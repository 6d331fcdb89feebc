"""Disqus XML exports: ``thread`` elements (the pages) and ``post`` elements
(the comments, with ``parent`` for replies and ``isSpam``/``isDeleted``).

People are ``disqus:<username>`` (never ``twitter:``); anonymous authors go by
their name.  Deleted posts are skipped and named; posts marked spam are left out
unless ``--keep-spam`` (:mod:`mapper.sources.blog`).  A reply that opens with
``@`` + its parent's name is one reply, not a reply plus a mention.  The file is
read record by record (:mod:`mapper.sources.xmlrecords`).
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from . import blog
from .base import placeholder_author, resolve_author
from .xmlrecords import incomplete, iter_records, local

NAME = "Disqus XML export"
_DSQ = "{http://disqus.com/disqus-internals}id"


def sniff(head: str) -> bool:
    return "<disqus" in head and "disqus.com" in head


def _text(el, *path: str) -> str:
    for name in path:
        if el is None:
            return ""
        el = next((c for c in el if local(c.tag) == name), None)
    return "".join(el.itertext()).strip() if el is not None else ""


def _plain(message: str) -> str:
    """The text of a Disqus message (HTML)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", message or "")).strip()


def _ref(el, name: str) -> str | None:
    c = next((c for c in el if local(c.tag) == name), None)
    return c.get(_DSQ) if c is not None else None


def _person(author_el, source: str):
    if author_el is None:
        return None
    name = _text(author_el, "name")
    username = _text(author_el, "username")
    if not (name or username):
        return None
    anonymous = _text(author_el, "isAnonymous") == "true"
    handles = {"disqus": username} if username and not anonymous else {}
    return new_person(name or username, handles=handles, source=source, platform="disqus")


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a Disqus export: threads become posts, posts become comments and replies."""
    conv = Conversation(inputs=[str(path)])
    threads: dict[str, Post] = {}
    posts: list[tuple] = []
    keep = blog.keep_unapproved()
    parent_of: dict[str, str] = {}  # every post -> its parent, kept or not
    for el, line in iter_records(path, {"thread", "post"}, conv):
        dsq = el.get(_DSQ)
        if local(el.tag) == "thread":
            if len(el) == 0 or not dsq:
                continue  # a reference <thread dsq:id=".."/>
            post = Post(
                id=f"{Path(path).name}#thread-{dsq}",
                title=_text(el, "title") or None,
                url=_text(el, "link") or None,
                text=_plain(_text(el, "message")) or None,
            )
            a = _person(next((c for c in el if local(c.tag) == "author"), None), f"thread {dsq}")
            if a is not None:
                post.author_id = conv.add_person(a).id
                post.author_evidence.append(
                    {"kind": "byline", "value": a.name, "source": f"thread {dsq} author"}
                )
            threads[dsq] = post
            conv.posts.append(post)
            continue
        where = f"line {line} (post {dsq})"
        parent_of[dsq or ""] = _ref(el, "parent") or ""
        if incomplete(el):
            conv.problem(str(path), where, "post cut short by damage or a truncated file; skipped")
        elif _text(el, "isDeleted") == "true":
            conv.problem(str(path), where, "deleted post; skipped")
        elif _text(el, "isSpam") == "true" and not keep:
            blog.set_aside_unapproved(conv, str(path), where, "marked spam in Disqus")
        else:
            posts.append((dsq, line, el))
    authors: dict[str, str] = {}
    known: dict[str, str] = {}
    for dsq, line, el in posts:
        where = f"line {line} (post {dsq})"
        author_el = next((c for c in el if local(c.tag) == "author"), None)
        p = _person(author_el, f"post {dsq}")
        if p is None:
            conv.problem(str(path), where, "post without an author; skipped")
            continue
        p = conv.add_person(p)
        if _text(el, "isSpam") == "true":
            p.spam = True
            p.add_evidence("spam", "marked spam in Disqus", f"{path}: post {dsq}")
        authors[dsq] = p.id
        blog.remember(known, p, _text(author_el, "username"))
    for post in threads.values():
        if post.author_id:
            blog.remember(known, conv.people[post.author_id])
    for dsq, line, el in posts:
        if dsq not in authors:
            continue
        where = f"line {line} (post {dsq})"
        ref = f"{path}: post {dsq}"
        text = _plain(_text(el, "message"))
        at = _when(_text(el, "createdAt"))
        parent = _ref(el, "parent")
        thread = threads.get(_ref(el, "thread") or "")
        parent_id = _kept_ancestor(dsq, parent_of, authors)
        if parent and parent_id is None:
            conv.problem(
                str(path),
                where,
                f"reply to post {parent}, which is not in the file or was left out; "
                "counted as a comment on the thread",
            )
        if parent_id is not None:
            conv.interactions.append(
                Interaction(authors[dsq], parent_id, "reply", at=at, ref=ref, text=text)
            )
        elif thread is not None:
            conv.interactions.append(
                Interaction(
                    authors[dsq], placeholder_author(thread), "comment", at=at, ref=ref, text=text
                )
            )
        else:
            conv.problem(
                str(path),
                where,
                f"refers to unknown thread {_ref(el, 'thread')}; person kept, no interaction",
            )
        blog.comment_mentions(
            conv, text, authors[dsq], ref, known=known, parent=parent_id, platform="disqus", at=at
        )
    for post in threads.values():
        resolve_author(conv, post, author)
    return conv


def _kept_ancestor(dsq: str, parent_of: dict[str, str], authors: dict[str, str]) -> str | None:
    """The author of the nearest ancestor of post ``dsq`` that was kept."""
    seen = {dsq}
    p = parent_of.get(dsq, "")
    while p and p not in seen:
        if p in authors:
            return authors[p]
        seen.add(p)
        p = parent_of.get(p, "")
    return None


def _when(text: str):
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
