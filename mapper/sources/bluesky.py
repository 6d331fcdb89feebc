"""Bluesky (AT Protocol) JSON: ``app.bsky.feed.getPostThread`` (nested replies,
quotes), profile lists (``getFollows``, ``getProfiles``), and what
``mapper collect bluesky`` writes (``{"thread", "reposted_by", "liked_by", "profiles"}``).

People are ``bluesky:<handle>``; a location comes from the profile description
("📍 Galway", "Based in Boise").  Edges: reply → the parent post's author,
quote → the quoted author, mention → each mention facet, retweet → a repost of
the root post.  A follow list gives profiles, not interactions.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..ids import new_person
from ..model import Conversation, Interaction
from .base import location_from_bio
from .jsonrecords import looks_like_json, records

NAME = "Bluesky JSON"


def sniff(head: str) -> bool:
    return looks_like_json(head) and '"did:' in head and '"handle"' in head


def person(profile: dict[str, Any], conv: Conversation, ref: str) -> str:
    handle = (profile.get("handle") or profile.get("did") or "").lower()
    p = new_person(
        profile.get("displayName") or handle,
        handles={"bluesky": handle},
        source=ref,
        platform="bluesky",
    )
    if profile.get("did"):
        p.add_evidence("did", profile["did"], ref)
    found = location_from_bio(profile.get("description") or "")
    if found:
        p.location_text = found
        p.add_evidence("bio location", found, ref)
    return conv.add_person(p).id


def _post(post: dict[str, Any], conv: Conversation, ref: str, parent_author: str | None) -> str:
    me = person(post.get("author") or {}, conv, ref)
    rec = post.get("record") or {}
    try:
        at = datetime.fromisoformat(str(rec.get("createdAt")).replace("Z", "+00:00"))
    except ValueError:
        at = None
    pref = post.get("uri") or ref
    used: set[str] = set()
    if parent_author and parent_author != me:
        conv.interactions.append(
            Interaction(me, parent_author, "reply", at=at, ref=pref, text=rec.get("text"))
        )
        used.add(parent_author)
    embed = post.get("embed") or {}
    quoted = embed.get("record") if isinstance(embed, dict) else None
    if isinstance(quoted, dict) and isinstance(quoted.get("record"), dict):
        quoted = quoted["record"]  # recordWithMedia wraps the record once more
    if isinstance(quoted, dict) and isinstance(quoted.get("author"), dict):
        other = person(quoted["author"], conv, ref)
        if other != me:
            conv.interactions.append(Interaction(me, other, "quote", at=at, ref=pref))
            used.add(other)
    for facet in rec.get("facets") or []:
        for feature in facet.get("features") or []:
            did = feature.get("did")
            if feature.get("$type", "").endswith("#mention") and did:
                text = (rec.get("text") or "").encode("utf-8")
                idx = facet.get("index") or {}
                label = (
                    text[idx.get("byteStart", 0) : idx.get("byteEnd", 0)]
                    .decode("utf-8", "replace")
                    .lstrip("@")
                    or did
                )
                other = person({"did": did, "handle": label}, conv, ref)
                if other != me and other not in used:
                    conv.interactions.append(Interaction(me, other, "mention", at=at, ref=pref))
                    used.add(other)
    return me


def _thread(
    node: dict[str, Any], conv: Conversation, ref: str, parent_author: str | None, depth: int = 0
) -> str | None:
    if not isinstance(node, dict) or not isinstance(node.get("post"), dict):
        return None  # notFoundPost / blockedPost
    if isinstance(node.get("parent"), dict) and depth == 0:
        parent_author = _thread(node["parent"], conv, ref, None, depth=-1)
    me = _post(node["post"], conv, ref, parent_author)
    if depth >= 0:
        for child in node.get("replies") or []:
            _thread(child, conv, ref, me, depth + 1)
    return me


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a Bluesky thread, profile list or collector output."""
    conv = Conversation(inputs=[str(path)])
    for where, value in records(path, conv):
        ref = f"{path}: {where}"
        if not isinstance(value, dict):
            conv.problem(str(path), where, "not a JSON object; skipped")
            continue
        root_author = None
        if isinstance(value.get("thread"), dict):
            root_author = _thread(value["thread"], conv, ref, None)
        for key in ("subject",):
            if isinstance(value.get(key), dict):
                person(value[key], conv, ref)
        for key in ("follows", "followers", "profiles", "actors"):
            for prof in value.get(key) or []:
                if isinstance(prof, dict):
                    person(prof, conv, ref)
        for key, kind in (("reposted_by", "retweet"), ("liked_by", "share")):
            for prof in value.get(key) or []:
                who = person(prof, conv, ref)
                if root_author and who != root_author:
                    conv.interactions.append(
                        Interaction(who, root_author, kind, ref=f"{key} of the root post")
                    )
        if not conv.people:
            conv.problem(str(path), where, "no Bluesky thread or profiles found; skipped")
    return conv
