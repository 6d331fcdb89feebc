"""WordPress REST API comments as ``mapper collect wordpress`` writes them:
``{"source", "post", "comments"}`` with ``/wp/v2/posts`` and ``/wp/v2/comments`` objects."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from . import blog
from .base import html_text, placeholder_author, resolve_author
from .jsonrecords import looks_like_json, records

NAME = "WordPress REST API comments (mapper collect wordpress)"


def sniff(head: str) -> bool:
    return (
        looks_like_json(head)
        and '"comments"' in head
        and '"post"' in head
        and ('"author_name"' in head or '"comments": []' in head)
    )


def _text(rendered) -> str:
    raw = rendered.get("rendered", "") if isinstance(rendered, dict) else str(rendered or "")
    return html_text(raw, " ")


def read(path: str | Path, author: str | None = None) -> Conversation:
    conv = Conversation(inputs=[str(path)])
    for where, value in records(path, conv):
        if not isinstance(value, dict) or not isinstance(value.get("post"), dict):
            conv.problem(str(path), where, "no 'post' object; skipped")
            continue
        wp = value["post"]
        post = Post(
            id=f"{Path(path).name}#{wp.get('id')}",
            title=_text(wp.get("title")),
            url=wp.get("link"),
            text=_text(wp.get("content")),
        )
        conv.posts.append(post)
        embedded = ((wp.get("_embedded") or {}).get("author") or [{}])[0]
        author_uid = wp.get("author")
        if embedded.get("name"):
            p = conv.add_person(
                new_person(
                    embedded["name"],
                    embedded.get("url") or None,
                    source="post author",
                    platform="web",
                )
            )
            post.author_id = p.id
            post.author_evidence.append(
                {"kind": "byline", "value": embedded["name"], "source": "REST API post author"}
            )
        own_hosts = {h for h in (blog.host_of(post.url), blog.host_of(value.get("source"))) if h}
        known: dict[str, str] = {}
        if post.author_id:
            blog.remember(known, conv.people[post.author_id])
        keep = blog.keep_unapproved()
        by_id: dict[object, str] = {}
        parent_of: dict[object, object] = {}
        kept = []
        for i, c in enumerate(value.get("comments") or []):
            if not isinstance(c, dict):
                conv.problem(str(path), f"comment {i + 1}", "not a comment object; skipped")
                continue
            cid = c.get("id", i + 1)
            parent_of[cid] = c.get("parent") or 0
            where, ref = f"comment {cid}", f"{path}: comment {cid}"
            status = str(c.get("status") or "approved").lower()
            if status not in ("approved", "approve", "1") and not keep:
                blog.set_aside_unapproved(conv, str(path), where, status)
                continue
            name, url = (c.get("author_name") or "").strip(), (c.get("author_url") or "").strip()
            try:
                at = datetime.fromisoformat(str(c.get("date_gmt")))
            except ValueError:
                at = None
            text = _text(c.get("content"))
            if c.get("type") in ("pingback", "trackback"):
                ping = blog.pingback(conv, name, url or None, own_hosts, where)
                if ping is not None:
                    conv.interactions.append(
                        Interaction(
                            ping.id,
                            placeholder_author(post),
                            "pingback",
                            at=at,
                            ref=ref,
                            text=blog.ping_text(url, text),
                        )
                    )
                continue
            if not (name or url):
                conv.problem(str(path), where, "no author; skipped")
                continue
            if post.author_id and author_uid and c.get("author") == author_uid:
                pid = post.author_id
            else:
                pid = conv.add_person(new_person(name, url or None, source=ref, platform="web")).id
            if status in ("spam", "trash"):
                conv.people[pid].spam = True
                conv.people[pid].add_evidence("spam", f"marked {status} in WordPress", ref)
            blog.remember(known, conv.people[pid], name)
            by_id[cid] = pid
            kept.append((cid, pid, ref, text, at))
        for cid, pid, ref, text, at in kept:
            parent = _kept_ancestor(cid, parent_of, by_id)
            kind = "reply" if parent else "comment"
            target = parent or placeholder_author(post)
            conv.interactions.append(Interaction(pid, target, kind, at=at, ref=ref, text=text))
            blog.comment_mentions(
                conv, text, pid, ref, known=known, parent=parent, platform="web", at=at
            )
        resolve_author(conv, post, author)
    return conv


def _kept_ancestor(cid, parent_of: dict, by_id: dict) -> str | None:
    """The author of the nearest ancestor of comment ``cid`` that was kept."""
    seen = {cid}
    p = parent_of.get(cid) or 0
    while p and p not in seen:
        if p in by_id:
            return by_id[p]
        seen.add(p)
        p = parent_of.get(p) or 0
    return None
