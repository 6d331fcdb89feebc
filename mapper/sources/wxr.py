"""WordPress eXtended RSS (WXR) exports, versions 1.0–1.2.

Each ``item`` is a post; its ``dc:creator`` is the author (the login, shown
with its ``wp:author_display_name`` when the export lists authors).  Each
``wp:comment`` is a comment, a reply (``comment_parent``), a pingback or a
trackback.  Comments WordPress marked spam are kept, flagged ``spam``; trashed
ones are skipped and counted in ``problems``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from .base import iter_elements, local, mentions, placeholder_author, resolve_author

NAME = "WordPress WXR export"


def sniff(head: str) -> bool:
    return "<rss" in head and "wordpress.org/export/" in head


def _child(el, name: str) -> str:
    for c in el:
        if local(c.tag) == name:
            return (c.text or "").strip()
    return ""


def _date(text: str):
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a WXR file: every post with its comments."""
    conv = Conversation(inputs=[str(path)])
    display: dict[str, str] = {}
    for el, line in iter_elements(path, {"author", "item"}, conv):
        if local(el.tag) == "author":
            login = _child(el, "author_login")
            if login:
                display[login] = _child(el, "author_display_name") or login
            continue
        _item(el, line, path, conv, display, author)
        el.clear()
    return conv


def _item(el, line: int, path, conv: Conversation, display: dict[str, str], author) -> None:
    post_id = _child(el, "post_id") or _child(el, "link") or f"item@{line}"
    post = Post(
        id=f"{Path(path).name}#{post_id}",
        title=_child(el, "title") or None,
        url=_child(el, "link") or None,
        text=_child(el, "encoded") or None,
    )
    conv.posts.append(post)
    creator = _child(el, "creator")
    if creator:
        p = conv.add_person(
            new_person(display.get(creator, creator), source="dc:creator", platform="web")
        )
        p.add_evidence("wordpress login", creator, str(path))
        post.author_id = p.id
        post.author_evidence.append({"kind": "byline", "value": creator, "source": "dc:creator"})
    target = placeholder_author(post)
    authors: dict[str, str] = {}
    pending: list[tuple[str, str, str]] = []  # (person, parent comment id, ref)
    for c in el:
        if local(c.tag) != "comment":
            continue
        cid = _child(c, "comment_id")
        ref = f"{path}: item {post_id} comment {cid or '?'}"
        approved = _child(c, "comment_approved").lower()
        if approved == "trash":
            conv.problem(str(path), f"comment {cid}", "in the trash; skipped")
            continue
        name, url = _child(c, "comment_author"), _child(c, "comment_author_url")
        if not (name or url):
            conv.problem(str(path), f"comment {cid}", "no author name or URL; skipped")
            continue
        p = conv.add_person(new_person(name, url, source=f"comment {cid}", platform="web"))
        if approved == "spam":
            p.spam = True
            p.add_evidence("spam", "marked spam in WordPress", ref)
        kind = {"pingback": "pingback", "trackback": "pingback"}.get(
            _child(c, "comment_type").lower(), "comment"
        )
        text = _child(c, "comment_content")
        at = _date(_child(c, "comment_date_gmt") or _child(c, "comment_date"))
        if cid:
            authors[cid] = p.id
        parent = _child(c, "comment_parent")
        if kind == "comment":
            mentions(text, p.id, ref, conv, at, platform="web")
        if parent and parent != "0":
            pending.append((p.id, parent, ref))
            conv.interactions.append(Interaction(p.id, "", "reply", at=at, ref=ref, text=text))
        else:
            conv.interactions.append(Interaction(p.id, target, kind, at=at, ref=ref, text=text))
    # replies point at their parent's author, once every comment of the item is known
    replies = [it for it in conv.interactions if it.kind == "reply" and it.target == ""]
    for it, (_pid, parent, ref) in zip(replies, pending, strict=True):
        if parent in authors:
            it.target = authors[parent]
        else:
            conv.problem(
                str(path),
                ref.split(": ", 1)[1],
                f"reply to unknown comment {parent}; counted as a comment on the post",
            )
            it.kind, it.target = "comment", target
    resolve_author(conv, post, author)
