"""WordPress REST API comments as ``mapper collect wordpress`` writes them:
``{"source", "post", "comments"}`` with ``/wp/v2/posts`` and ``/wp/v2/comments`` objects."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from .base import html_text, mentions, placeholder_author, resolve_author
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
        by_id: dict[int, str] = {}
        pending = []
        for i, c in enumerate(value.get("comments") or []):
            ref = f"{path}: comment {c.get('id', i + 1)}"
            name, url = (c.get("author_name") or "").strip(), (c.get("author_url") or "").strip()
            if not (name or url):
                conv.problem(str(path), f"comment {c.get('id', i + 1)}", "no author; skipped")
                continue
            if post.author_id and author_uid and c.get("author") == author_uid:
                pid = post.author_id
            else:
                pid = conv.add_person(new_person(name, url or None, source=ref, platform="web")).id
            by_id[c.get("id")] = pid
            try:
                at = datetime.fromisoformat(str(c.get("date_gmt"))).replace()
            except ValueError:
                at = None
            text = _text(c.get("content"))
            kind = "pingback" if c.get("type") in ("pingback", "trackback") else "comment"
            it = Interaction(pid, placeholder_author(post), kind, at=at, ref=ref, text=text)
            conv.interactions.append(it)
            if c.get("parent"):
                pending.append((it, c["parent"]))
            if kind == "comment":
                mentions(text, pid, ref, conv, at, platform="web")
        for it, parent in pending:
            if parent in by_id:
                it.kind, it.target = "reply", by_id[parent]
        resolve_author(conv, post, author)
    return conv
