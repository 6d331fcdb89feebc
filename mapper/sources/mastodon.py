"""Mastodon API JSON: a status, a context (``ancestors``/``descendants``), a
timeline (a list of statuses), and what ``mapper collect mastodon`` writes
(``{"status", "context", "reblogged_by", "favourited_by"}``).

People are identified as ``mastodon:user@instance``.  Edges: reply → the account
replied to, reblog → the original author (a reblog status, or ``reblogged_by``),
mention → each mentioned account, share → a favourite of the root status.
A location comes from a profile field named like "Location", else from the bio
(``note``: "📍 Galway", "Based in Boise").
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..ids import new_person
from ..model import Conversation, Interaction
from .base import html_text, location_from_bio
from .jsonrecords import looks_like_json, records

NAME = "Mastodon API JSON"
_FIELD = re.compile(r"location|city|based|where|home|lives|ort|wohnort|lieu|ubicaci", re.I)


def sniff(head: str) -> bool:
    return (
        looks_like_json(head)
        and '"acct"' in head
        and ('"account"' in head or '"ancestors"' in head or '"reblogged_by"' in head)
    )


def strip_html(text: str | None) -> str:
    return html_text(text)


def acct_of(account: dict[str, Any]) -> str:
    """``user@instance`` for an account (local accounts get their URL's host)."""
    acct = account.get("acct") or account.get("username") or str(account.get("id", ""))
    if "@" not in acct:
        host = urlsplit(account.get("url") or "").hostname
        if host:
            acct = f"{acct}@{host}"
    return acct.lower()


def person(account: dict[str, Any], conv: Conversation, ref: str) -> str:
    acct = acct_of(account)
    p = new_person(
        account.get("display_name") or account.get("username") or acct,
        handles={"mastodon": acct},
        source=ref,
        platform="mastodon",
    )
    if account.get("url"):
        p.add_evidence("profile", account["url"], ref)
    for field in account.get("fields") or []:
        if _FIELD.search(field.get("name") or "") and strip_html(field.get("value")):
            p.location_text = strip_html(field.get("value"))
            break
    if not p.location_text:
        found = location_from_bio(strip_html(account.get("note")))
        if found:
            p.location_text = found
            p.add_evidence("bio location", found, ref)
    return conv.add_person(p).id


def _status(
    s: dict[str, Any], conv: Conversation, accounts: dict[str, str], ref: str, seen: set[str]
) -> str | None:
    sid = str(s.get("id", ""))
    if not isinstance(s.get("account"), dict):
        return None
    me = person(s["account"], conv, ref)
    accounts[str(s["account"].get("id"))] = me
    if sid in seen:
        return me
    seen.add(sid)
    try:
        at = datetime.fromisoformat(str(s.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        at = None
    sref = s.get("url") or f"status {sid}"
    if isinstance(s.get("reblog"), dict):
        orig = _status(s["reblog"], conv, accounts, ref, seen)
        if orig and orig != me:
            conv.interactions.append(Interaction(me, orig, "retweet", at=at, ref=sref))
        return me
    used: set[str] = set()
    reply_to = s.get("in_reply_to_account_id")
    mentions = {str(m.get("id")): m for m in s.get("mentions") or []}
    if reply_to:
        target = accounts.get(str(reply_to))
        if target is None and str(reply_to) in mentions:
            target = person(mentions[str(reply_to)], conv, ref)
        if target is not None and target != me:
            conv.interactions.append(
                Interaction(me, target, "reply", at=at, ref=sref, text=strip_html(s.get("content")))
            )
            used.add(target)
        elif target is None:
            conv.interactions.append(
                Interaction(me, f"mastodon-account:{reply_to}", "reply", at=at, ref=sref)
            )
    for m in mentions.values():
        target = person(m, conv, ref)
        if target != me and target not in used:
            conv.interactions.append(Interaction(me, target, "mention", at=at, ref=sref))
            used.add(target)
    return me


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read Mastodon statuses, contexts, timelines or collector output."""
    conv = Conversation(inputs=[str(path)])
    accounts: dict[str, str] = {}
    seen: set[str] = set()
    for where, value in records(path, conv):
        ref = f"{path}: {where}"
        statuses: list[dict] = []
        root = None
        if isinstance(value, list):
            statuses = value
        elif isinstance(value, dict):
            if "status" in value or "context" in value:
                root = value.get("status")
                ctx = value.get("context") or {}
                statuses = (
                    [*ctx.get("ancestors", []), root, *ctx.get("descendants", [])]
                    if root
                    else [*ctx.get("ancestors", []), *ctx.get("descendants", [])]
                )
            elif "ancestors" in value or "descendants" in value:
                statuses = [*value.get("ancestors", []), *value.get("descendants", [])]
            elif "account" in value:
                statuses = [value]
        if not statuses:
            conv.problem(str(path), where, "no Mastodon statuses found; skipped")
            continue
        # accounts first, so a reply can name the account it answers
        for s in statuses:
            if isinstance(s, dict) and isinstance(s.get("account"), dict):
                accounts[str(s["account"].get("id"))] = person(s["account"], conv, ref)
        for i, s in enumerate(statuses):
            if not isinstance(s, dict) or _status(s, conv, accounts, ref, seen) is None:
                conv.problem(str(path), f"{where}, status {i + 1}", "not a status; skipped")
        if isinstance(value, dict) and root:
            author_id = accounts.get(str((root.get("account") or {}).get("id")))
            for acc in value.get("reblogged_by") or []:
                who = person(acc, conv, ref)
                if author_id and who != author_id:
                    conv.interactions.append(
                        Interaction(who, author_id, "retweet", ref=f"reblog of {root.get('url')}")
                    )
            for acc in value.get("favourited_by") or []:
                who = person(acc, conv, ref)
                if author_id and who != author_id:
                    conv.interactions.append(
                        Interaction(who, author_id, "share", ref=f"favourite of {root.get('url')}")
                    )
    # replies to accounts never seen in the file: keep them as people, named by id
    for it in conv.interactions:
        if it.target.startswith("mastodon-account:") and it.target not in conv.people:
            from ..model import Person

            conv.people[it.target] = Person(it.target, f"account {it.target.split(':')[1]}")
    return conv
