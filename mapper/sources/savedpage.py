"""A blog page saved as text from a browser: the post, then a bulleted comment list.

The shape (see the seed thread)::

    Blog tagline

    Post title

    Post body ...

      • http://site.example/ Display Name      <- a comment: author URL + name
        comment text ...
        • http://author.example author          <- a reply, nested by indentation
      • Pingback: handle (Display Name)
      • http://twitter.com/handle/status/123 Name   <- a tweet quoted as a comment
        RT @someone ...
      • name-only-commenter

A byline (``By Jane Doe``) under the title names the author; otherwise the
author is inferred (:func:`~mapper.sources.base.resolve_author`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..ids import new_person, normalize_url, twitter_handle
from ..model import Conversation, Interaction, Post
from .base import (
    decode_text,
    mentions,
    open_bytes,
    placeholder_author,
    resolve_author,
    tweet_interactions,
)

NAME = "saved-page text"

_bullet = re.compile(r"^(?P<indent>[ \t]*)[•·\u2022*]\s+(?P<head>\S.*)$")
_pingback = re.compile(
    r"^(?:Pingback|Trackback):\s*(?P<handle>\S+)(?:\s+\((?P<name>[^)]*)\))?\s*$", re.I
)
_url_head = re.compile(r"^(?P<url>https?://\S+)\s+(?P<name>.+)$", re.I)
_byline = re.compile(r"^\s*(?:posted |written )?by\s+(?P<name>[^|,]{2,60})$", re.I)
_self_handle = re.compile(r"(?:twitter\.com|x\.com)/@?([A-Za-z0-9_]{1,30})\b", re.I)


def sniff(head: str) -> bool:
    """True for plain text (not markup) with bulleted comment lines."""
    stripped = head.lstrip()
    if stripped.startswith(("<", "{", "[")):
        return False
    return sum(1 for line in head.splitlines() if _bullet.match(line)) >= 1


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a saved page; return its post, people and interactions."""
    conv = Conversation(inputs=[str(path)])
    text = decode_text(open_bytes(path), path, conv)
    lines = text.splitlines()
    first_bullet = next((i for i, line in enumerate(lines) if _bullet.match(line)), len(lines))
    header = [(i, line.strip()) for i, line in enumerate(lines[:first_bullet]) if line.strip()]
    if header and header[-1][1].lower() == "related":
        header = header[:-1]

    comments = _comments(lines, first_bullet, path, conv)
    title = _title(header, comments)
    body = "\n".join(line for _, line in header if line != title)
    post = Post(id=_post_id(path), title=title, text=body)
    conv.posts.append(post)
    for _, line in header[:6]:
        m = _byline.match(line)
        if m and line != title:
            p = conv.add_person(new_person(m.group("name"), source="byline", platform="web"))
            post.author_id = p.id
            post.author_evidence.append({"kind": "byline", "value": line, "source": str(path)})
            break

    target_of_post = placeholder_author(post)
    authors: list[str] = []  # person id per comment, for replies
    for c in comments:
        ref = f"{path}:{c['line']}"
        if c["kind"] == "pingback":
            p = conv.add_person(
                new_person(
                    c["name"] or c["handle"],
                    handles={"pingback": c["handle"]},
                    source=f"line {c['line']}",
                    platform="web",
                )
            )
            conv.interactions.append(Interaction(p.id, target_of_post, "pingback", ref=ref))
            authors.append(p.id)
            continue
        p = conv.add_person(
            new_person(c["name"], c["url"], source=f"line {c['line']}", platform="web")
        )
        _self_declared_handles(p, c["text"], ref)
        authors.append(p.id)
        parent = c["parent"]
        tw = twitter_handle(c["url"])
        if tw and tw[1]:  # a tweet quoted as a comment
            target = authors[parent] if parent is not None else target_of_post
            tweet_interactions(c["text"], p.id, target, ref, conv)
        elif parent is not None:
            conv.interactions.append(
                Interaction(p.id, authors[parent], "reply", ref=ref, text=c["text"])
            )
        else:
            conv.interactions.append(
                Interaction(p.id, target_of_post, "comment", ref=ref, text=c["text"])
            )
        if not (tw and tw[1]):
            mentions(c["text"], p.id, ref, conv, platform="web")
    resolve_author(conv, post, author)
    return conv


def _post_id(path: str | Path) -> str:
    return Path(path).name


def _comments(lines: list[str], start: int, path, conv: Conversation) -> list[dict]:
    """Bulleted entries with their header, text, depth and parent index."""
    out: list[dict] = []
    stack: list[tuple[int, int]] = []  # (indent, index)
    cur: dict | None = None
    for i in range(start, len(lines)):
        line = lines[i]
        m = _bullet.match(line)
        if not m:
            if cur is not None and line.strip():
                cur["body"].append(line.strip())
            continue
        indent = len(m.group("indent").expandtabs(4))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        head = m.group("head").strip()
        entry: dict[str, Any] = {
            "line": i + 1,
            "indent": indent,
            "parent": stack[-1][1] if stack else None,
            "body": [],
            "url": None,
            "name": None,
            "handle": None,
            "kind": "comment",
        }
        pb = _pingback.match(head)
        if pb:
            entry.update(kind="pingback", handle=pb.group("handle"), name=pb.group("name"))
        else:
            mu = _url_head.match(head)
            if mu:
                entry.update(url=mu.group("url"), name=mu.group("name").strip())
            elif re.match(r"^https?://\S+$", head):
                entry.update(url=head, name=None)
            else:
                entry["name"] = head
        if not (entry["name"] or entry["url"] or entry["handle"]):
            conv.problem(str(path), f"line {i + 1}", "comment without an author; skipped")
            continue
        out.append(entry)
        stack.append((indent, len(out) - 1))
        cur = entry
    for e in out:
        e["text"] = "\n".join(e.pop("body"))
    return out


def _title(header: list[tuple[int, str]], comments: list[dict]) -> str | None:
    """The post title: of the first short header lines, the one comments quote most."""
    candidates = [line for _, line in header[:4] if len(line) <= 120]
    if not candidates:
        return None
    texts = " ".join(c.get("text", "") for c in comments).lower()
    scored = [(texts.count(line.lower()), -n, line) for n, line in enumerate(candidates)]
    best = max(scored)
    if best[0] > 0:
        return best[2]
    # a first line that lists categories ("A, B, C") is a tagline, not a title
    for line in candidates:
        if line.count(",") < 2:
            return line
    return candidates[0]


def _self_declared_handles(person, text: str, ref: str) -> None:
    """``twitter.com/BeerBergman`` in a person's own words: the handle their name spells."""
    from ..ids import norm_name

    for h in _self_handle.findall(text or ""):
        person.add_evidence("self-declared handle", h, ref)
        if norm_name(person.name).replace(" ", "") == h.lower() and "twitter" not in person.handles:
            person.handles["twitter"] = h
    if person.urls and not normalize_url(person.urls[0]):
        person.urls.clear()
