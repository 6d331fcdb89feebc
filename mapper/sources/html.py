"""A saved HTML page with comments in common WordPress markup.

``ol.commentlist`` / ``ol.comment-list`` holds ``li.comment`` (and
``li.pingback``/``li.trackback``) items; the author is in ``.comment-author``
(``cite.fn`` or ``.fn``, with ``a.url`` for their site); replies are nested
in ``ol.children``.  The post's author comes from a byline (``.byline
.author``, ``a[rel=author]``, ``meta[name=author]``) when the page has one.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from .base import (
    decode_text,
    mentions,
    open_bytes,
    placeholder_author,
    resolve_author,
    tweet_interactions,
)

NAME = "saved HTML comment page"
_LIST = "ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list"


def sniff(head: str) -> bool:
    h = head.lower()
    return ("<html" in h or "<!doctype html" in h or "<body" in h) and (
        "commentlist" in h or "comment-list" in h or "<li" in h
    )


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a saved page: its post and every comment in the comment list."""
    conv = Conversation(inputs=[str(path)])
    soup = BeautifulSoup(decode_text(open_bytes(path), path, conv), "html.parser")
    title_el = soup.select_one("h1.entry-title, h1.post-title, article h1, h1") or soup.title
    body_el = soup.select_one(".entry-content, .post-content, article")
    link = soup.select_one("link[rel=canonical]")
    post = Post(
        id=Path(path).name,
        title=title_el.get_text(" ", strip=True) if title_el else None,
        url=link.get("href") if link else None,
        text=body_el.get_text("\n", strip=True) if body_el else None,
    )
    conv.posts.append(post)
    byline = soup.select_one(".byline .author a, .byline .author, a[rel=author], .entry-author a")
    meta = soup.select_one("meta[name=author]")
    name = byline.get_text(" ", strip=True) if byline else (meta.get("content") if meta else None)
    if name:
        href = byline.get("href") if byline is not None and byline.name == "a" else None
        p = conv.add_person(new_person(name, _author_site(href), source="byline", platform="web"))
        post.author_id = p.id
        post.author_evidence.append({"kind": "byline", "value": name, "source": str(path)})
    lists = soup.select(_LIST)
    top = [lst for lst in lists if not lst.find_parent(["ol", "ul"], class_=re.compile("comment"))]
    if not top:
        conv.problem(str(path), "document", "no comment list (ol.commentlist) found")
    for lst in top:
        for li in lst.find_all("li", recursive=False):
            _comment(li, None, conv, path, post)
    resolve_author(conv, post, author)
    return conv


def _author_site(href: str | None) -> str | None:
    # a byline link to /author/jane/ on the blog itself says nothing about Jane's own site
    return None if not href or "/author/" in href else href


def _comment(li, parent: str | None, conv: Conversation, path, post: Post) -> None:
    classes = li.get("class") or []
    line = li.sourceline or 0
    ref = f"{path}:{line}"
    box = li.select_one(".comment-author") or li.select_one(".vcard")
    fn = box.select_one(".fn") if box else li.select_one(".fn")
    if fn is None:
        conv.problem(str(path), f"line {line}", "comment without an author (.fn); skipped")
        return
    a = fn if fn.name == "a" else fn.find("a")
    name = fn.get_text(" ", strip=True)
    url = a.get("href") if a is not None else None
    body = li.select_one(".comment-content, .comment-body p, .comment-text")
    content = li.find(class_=re.compile(r"^comment-(content|text)$"))
    text_el = content or body
    text = text_el.get_text("\n", strip=True) if text_el else ""
    is_ping = any(c in ("pingback", "trackback") for c in classes)
    p = conv.add_person(new_person(name, url, source=f"line {line}", platform="web"))
    if "twitter" in p.handles and "/status/" in (url or ""):
        tweet_interactions(text, p.id, parent or placeholder_author(post), ref, conv)
    elif parent:
        conv.interactions.append(Interaction(p.id, parent, "reply", ref=ref, text=text))
        mentions(text, p.id, ref, conv, platform="web")
    else:
        if not is_ping:
            mentions(text, p.id, ref, conv, platform="web")
        kind = "pingback" if is_ping else "comment"
        conv.interactions.append(
            Interaction(p.id, placeholder_author(post), kind, ref=ref, text=text)
        )
    for children in li.find_all(["ol", "ul"], class_="children", recursive=False):
        for child in children.find_all("li", recursive=False):
            _comment(child, p.id, conv, path, post)
