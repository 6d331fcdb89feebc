"""Disqus XML exports: ``thread`` elements (the pages) and ``post`` elements
(the comments, with ``parent`` for replies and ``isSpam``/``isDeleted``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from .base import iter_elements, local, mentions, placeholder_author, resolve_author

NAME = "Disqus XML export"
_DSQ = "{http://disqus.com/disqus-internals}id"


def sniff(head: str) -> bool:
    return "<disqus" in head and "disqus.com" in head


def _text(el, *path: str) -> str:
    for name in path:
        if el is None:
            return ""
        el = next((c for c in el if local(c.tag) == name), None)
    return (el.text or "").strip() if el is not None else ""


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
    for el, line in iter_elements(path, {"thread", "post"}, conv):
        dsq = el.get(_DSQ)
        if local(el.tag) == "thread":
            if len(el) == 0 or not dsq:
                continue  # a reference <thread dsq:id=".."/> inside a post
            post = Post(
                id=f"{Path(path).name}#thread-{dsq}",
                title=_text(el, "title") or None,
                url=_text(el, "link") or None,
                text=_text(el, "message") or None,
            )
            a = _person(next((c for c in el if local(c.tag) == "author"), None), f"thread {dsq}")
            if a is not None:
                post.author_id = conv.add_person(a).id
                post.author_evidence.append(
                    {"kind": "byline", "value": a.name, "source": f"thread {dsq} author"}
                )
            threads[dsq] = post
            conv.posts.append(post)
        else:
            posts.append((dsq, line, el))
    authors: dict[str, str] = {}
    for dsq, line, el in posts:
        where = f"line {line} (post {dsq})"
        if _text(el, "isDeleted") == "true":
            conv.problem(str(path), where, "deleted post; skipped")
            continue
        p = _person(next((c for c in el if local(c.tag) == "author"), None), f"post {dsq}")
        if p is None:
            conv.problem(str(path), where, "post without an author; skipped")
            continue
        p = conv.add_person(p)
        if _text(el, "isSpam") == "true":
            p.spam = True
            p.add_evidence("spam", "marked spam in Disqus", f"{path}: post {dsq}")
        authors[dsq] = p.id
    for dsq, line, el in posts:
        if dsq not in authors:
            continue
        where = f"line {line} (post {dsq})"
        ref = f"{path}: post {dsq}"
        text = _text(el, "message")
        at = _when(_text(el, "createdAt"))
        mentions(text, authors[dsq], ref, conv, at, platform="web")
        parent = _ref(el, "parent")
        thread = threads.get(_ref(el, "thread") or "")
        if parent and parent in authors:
            conv.interactions.append(
                Interaction(authors[dsq], authors[parent], "reply", at=at, ref=ref, text=text)
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
    for post in threads.values():
        resolve_author(conv, post, author)
    return conv


def _when(text: str):
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
