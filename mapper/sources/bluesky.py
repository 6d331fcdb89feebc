"""Bluesky (AT Protocol) JSON: ``app.bsky.feed.getPostThread`` (the parent chain
above the anchor, nested replies below it, quotes), profile lists (``getFollows``,
``getFollowers``, ``getProfiles``, ``searchActors``), and what ``mapper collect
bluesky`` writes (``{"thread", "reposted_by", "liked_by", "profiles"}``).

People are ``bsky:<handle>``, one person per DID (a mention facet names the DID);
a location comes from the profile description ("📍 Galway", "Based in Boise").
Edges: reply → the parent post's author (when the parent post is in the file, not a
``#notFoundPost``/``#blockedPost``), quote → the quoted author (``app.bsky.embed.record``
and ``recordWithMedia``, as views or as records), mention → each mention facet,
retweet → a repost of the root post, share → a like of it.  Every post counts once
per URI; a quoted post is its own author's post.  Profile lists give profiles
(:attr:`~mapper.model.Person.profile_only`), not participants.

The thread is walked with explicit stacks, never recursion, so a reply chain
thousands deep is read whole (JSON nested deeper than the decoder allows is cut
first, and the cut named in ``problems``).  A post, facet or profile of the wrong
shape is skipped and named; the file goes on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..ids import new_person
from ..model import Conversation, Interaction
from .base import location_from_bio
from .jsonrecords import looks_like_json, nothing_read, records

NAME = "Bluesky JSON"

#: profile lists: profiles, not participants
PROFILE_KEYS = ("subject", "follows", "followers", "profiles", "actors")


def sniff(head: str) -> bool:
    return looks_like_json(head) and '"did:' in head and '"handle"' in head


def person(
    profile: dict[str, Any], conv: Conversation, ref: str, profile_only: bool = False
) -> str:
    """The id of the person with this profile (created or folded in)."""
    handle = profile.get("handle") or profile.get("did")
    if not isinstance(handle, str) or not handle:
        raise ValueError("a profile with neither handle nor did")
    handle = handle.lower()
    name = profile.get("displayName")
    p = new_person(
        name if isinstance(name, str) and name.strip() else handle,
        handles={"bsky": handle},
        source=ref,
        platform="bluesky",
    )
    if isinstance(profile.get("did"), str):
        p.add_evidence("did", profile["did"], ref)
    description = profile.get("description")
    found = location_from_bio(description if isinstance(description, str) else "")
    if found:
        p.location_text = found
        p.add_evidence("bio location", found, ref)
    p.profile_only = profile_only
    have = conv.people.get(p.id)
    if have is not None and not profile_only:
        have.profile_only = False
    return conv.add_person(p).id


def _did_of(uri: Any) -> str | None:
    """The author DID of an ``at://did:…/app.bsky.feed.post/…`` URI."""
    if isinstance(uri, str) and uri.startswith("at://did:") and "/app.bsky.feed.post/" in uri:
        return uri[5:].split("/", 1)[0]
    return None


def _quoted_view(post: dict[str, Any]) -> tuple[dict | None, str | None]:
    """``(quoted post view, its URI)`` of a post's quote embed in any shape."""
    embed = post.get("embed")
    if isinstance(embed, dict):
        rec = embed.get("record")
        if isinstance(rec, dict) and "record" in rec and "author" not in rec:
            rec = rec["record"]  # recordWithMedia#view wraps a record#view
        if isinstance(rec, dict) and _did_of(rec.get("uri")):
            return (rec if isinstance(rec.get("author"), dict) else None), rec["uri"]
    record = _dict(post.get("record"))
    embed = record.get("embed")
    if isinstance(embed, dict):
        rec = embed.get("record")
        if isinstance(rec, dict) and isinstance(rec.get("record"), dict):
            rec = rec["record"]  # app.bsky.embed.recordWithMedia
        if isinstance(rec, dict) and _did_of(rec.get("uri")):
            return None, rec["uri"]
    return None, None


class _Reader:
    def __init__(self, path: str | Path, conv: Conversation):
        self.path = str(path)
        self.conv = conv
        self.by_did: dict[str, str] = {}
        self.authors: dict[str, str] = {}  # post URI → its author's id

    def person(self, profile: dict[str, Any], where: str, profile_only: bool = False) -> str:
        pid = person(profile, self.conv, f"{self.path}: {where}", profile_only)
        if isinstance(profile.get("did"), str):
            self.by_did.setdefault(profile["did"], pid)
        return pid

    def of_did(self, did: str, label: str | None, where: str) -> str:
        known = self.by_did.get(did)
        if known is not None:
            self.conv.people[known].profile_only = False
            return known
        return self.person({"did": did, "handle": label or did}, where)

    def post(
        self, post: dict[str, Any], parent_author: str | None, where: str, depth: int = 0
    ) -> str:
        """Add one post (a reply to ``parent_author`` when given); its author's id."""
        if not isinstance(post.get("author"), dict):
            raise ValueError("a post without an author")
        uri = post.get("uri") if isinstance(post.get("uri"), str) else None
        if uri and uri in self.authors:
            return self.authors[uri]
        me = self.person(post["author"], where)
        if uri:
            self.authors[uri] = me
        rec = post.get("record") or post.get("value") or {}
        if not isinstance(rec, dict):
            raise ValueError(f"a post record that is a {type(rec).__name__}")
        try:
            at = datetime.fromisoformat(str(rec.get("createdAt")).replace("Z", "+00:00"))
        except ValueError:
            at = None
        pref = uri or f"{self.path}: {where}"
        text: str = rec["text"] if isinstance(rec.get("text"), str) else ""
        conv = self.conv
        used: set[str] = set()
        if parent_author and parent_author != me:
            conv.interactions.append(
                Interaction(me, parent_author, "reply", at=at, ref=pref, text=text)
            )
            used.add(parent_author)
        view, quoted_uri = _quoted_view(post)
        if quoted_uri:
            if view is not None and depth < 3:
                # the quoted post is its author's post (its mentions are theirs)
                other = self.post(view, None, where, depth + 1)
            else:
                did = _did_of(quoted_uri)
                other = self.authors.get(quoted_uri) or self.of_did(str(did), None, where)
            if other != me:
                conv.interactions.append(Interaction(me, other, "quote", at=at, ref=pref))
            used.add(other)
        for other in self._mentions(rec, text, where):
            if other != me and other not in used:
                conv.interactions.append(Interaction(me, other, "mention", at=at, ref=pref))
                used.add(other)
        return me

    def _mentions(self, rec: dict[str, Any], text: str, where: str) -> list[str]:
        out = []
        data = text.encode("utf-8")
        facets = rec.get("facets")
        for i, facet in enumerate(facets if isinstance(facets, list) else []):
            features = facet.get("features") if isinstance(facet, dict) else None
            if not isinstance(features, list):
                self.conv.problem(
                    self.path, where, f"facet {i + 1} is not an object with features; skipped"
                )
                continue
            for feature in features:
                kind = feature.get("$type") if isinstance(feature, dict) else None
                if not isinstance(kind, str):
                    self.conv.problem(
                        self.path, where, f"facet {i + 1}: a feature without a $type; skipped"
                    )
                    continue
                did = feature.get("did")
                if not kind.endswith("#mention") or not isinstance(did, str):
                    continue
                idx = _dict(facet.get("index"))
                start, end = idx.get("byteStart"), idx.get("byteEnd")
                label = None
                if isinstance(start, int) and isinstance(end, int):
                    label = data[start:end].decode("utf-8", "replace").lstrip("@") or None
                out.append(self.of_did(did, label, where))
        return out

    def thread(self, root: dict[str, Any], where: str) -> str | None:
        """Walk a ``threadViewPost``: the parent chain top-down, then the replies,
        with explicit stacks; the anchor's author id."""
        chain = []
        node = root.get("parent")
        while isinstance(node, dict):
            chain.append(node)
            node = node.get("parent")
        parent_author: str | None = None
        for n in reversed(chain):  # from the top of the chain down to the anchor
            parent_author = self._node(n, parent_author, where)
        anchor = self._node(root, parent_author, where)
        stack = [(child, anchor) for child in reversed(_list(root.get("replies")))]
        while stack:
            node, above = stack.pop()
            me = self._node(node, above, where)
            if me is not None and isinstance(node, dict):
                stack.extend((child, me) for child in reversed(_list(node.get("replies"))))
        return anchor

    def _node(self, node: Any, parent_author: str | None, where: str) -> str | None:
        if not isinstance(node, dict) or not isinstance(node.get("post"), dict):
            return None  # notFoundPost / blockedPost: no post, no reply to it
        try:
            return self.post(node["post"], parent_author, where)
        except (TypeError, AttributeError, KeyError, ValueError) as e:
            uri = node["post"].get("uri")
            self.conv.problem(self.path, where, f"post {uri}: {_why(e)}; skipped")
            return None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _why(e: Exception) -> str:
    return str(e) if isinstance(e, ValueError) else f"unexpected shape ({type(e).__name__}: {e})"


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a Bluesky thread, profile list or collector output."""
    conv = Conversation(inputs=[str(path)])
    r = _Reader(path, conv)
    for where, value in records(path, conv):
        if not isinstance(value, dict):
            conv.problem(str(path), where, "not a JSON object; skipped")
            continue
        root_author = None
        found = False
        if isinstance(value.get("thread"), dict):
            root_author = r.thread(value["thread"], where)
            found = True
        for key in PROFILE_KEYS:
            items = value.get(key)
            for i, prof in enumerate([items] if isinstance(items, dict) else _list(items)):
                found = True
                try:
                    r.person(prof, where, profile_only=True)
                except (TypeError, AttributeError, ValueError) as e:
                    conv.problem(str(path), f"{where}, {key} {i + 1}", f"{_why(e)}; skipped")
        for key, kind in (("reposted_by", "retweet"), ("liked_by", "share")):
            for i, prof in enumerate(_list(value.get(key))):
                found = True
                try:
                    who = r.person(prof, where)
                except (TypeError, AttributeError, ValueError) as e:
                    conv.problem(str(path), f"{where}, {key} {i + 1}", f"{_why(e)}; skipped")
                    continue
                if root_author and who != root_author:
                    conv.interactions.append(
                        Interaction(who, root_author, kind, ref=f"{key} of the root post")
                    )
        if not found:
            conv.problem(str(path), where, "no Bluesky thread or profiles found; skipped")
    nothing_read(conv, path, "Bluesky posts or profiles")
    return conv


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
