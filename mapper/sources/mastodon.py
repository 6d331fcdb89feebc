"""Mastodon API JSON: a status, a context (``ancestors``/``descendants``), a
timeline (a list of statuses, or one status per line), what ``mapper collect
mastodon`` writes (``{"status", "context", "reblogged_by", "favourited_by"}``), and
account lists (followers, ``accounts/search``), read as profiles.

People are identified as ``mastodon:user@instance``.  Edges: reply → the account
replied to, reblog → the original author (a reblog status, or ``reblogged_by``),
quote → the quoted author (Mastodon 4.4 ``quote``, Akkoma/Pleroma/Fedibird
``quote``/``quote_id``), mention → each other mentioned account, share → a
favourite of the root status.  Every status counts once per id; a reblogged or
quoted status is its own author's.

A location is a profile field whose whole label is a location word (``Location``,
``Based in``, ``Ort``, ``Lieu``, ``Ubicación``, ``所在地`` …: case, emoji and
``:shortcode:`` ignored), never a label that merely contains one ("Homepage");
else a place named in the bio (``note``: "📍 Galway", "Based in Boise").
HTML in field values, bios and posts is reduced to text with BeautifulSoup.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..ids import new_person
from ..model import Conversation, Interaction, Person
from .base import html_text, location_from_bio
from .jsonrecords import looks_like_json, nothing_read, records

NAME = "Mastodon API JSON"


def sniff(head: str) -> bool:
    return looks_like_json(head) and '"acct"' in head


def strip_html(text: Any) -> str:
    """The text of an HTML fragment (a post, a bio, a field value), line breaks kept."""
    return html_text(text) if isinstance(text, str) else ""


_shortcode = re.compile(r":[A-Za-z0-9_]+:")


def field_label(name: Any) -> str:
    """A profile-field label compared as a whole: custom ``:emoji:``, emoji and
    symbols stripped, case folded, spaces and trailing punctuation trimmed."""
    if not isinstance(name, str):
        return ""
    text = _shortcode.sub(" ", name)
    text = "".join(
        " " if unicodedata.category(c) in ("So", "Sk", "Cs", "Co", "Mn", "Cf") else c for c in text
    )
    return re.sub(r"\s+", " ", text).strip(" :：-–—|·•*_.").casefold()


_LABEL_TEXT = """
location, locations, current location, my location, located in, based in, based, lives in,
living in, live in, home base, homebase, hometown, home town, city, town, region, where,
where i am, currently in
ort, wohnort, standort, heimat, aufenthaltsort, lebt in, wohnhaft in
lieu, localisation, localité, ville, emplacement, habite à, où
ubicación, ubicacion, localidad, ciudad, residencia, vivo en, dónde
localização, localizacao, cidade, moro em, onde
località, localita, posizione, città, citta, residenza, dove
locatie, woonplaats, plaats, stad, waar
plats, bor i, hemort, var
sted, bosted, hjemsted
sijainti, paikkakunta, kotipaikka, asuinpaikka
lokalizacja, miejsce, miasto, miejscowość
poloha, místo, bydliště
konum, şehir
местоположение, местонахождение, город, расположение, місцезнаходження, місто
所在地, 場所, 居住地, 現在地, 住んでいる場所, 位置, 地点, 所在, 城市, 居住, 地區, 地区
위치, 지역, 사는 곳, 거주지
"""


#: Profile-field labels that name where someone is, in the languages seen on the
#: fediverse; compared with the whole label (see :func:`field_label`).
LOCATION_LABELS = frozenset(
    w.strip().casefold() for line in _LABEL_TEXT.splitlines() for w in line.split(",") if w.strip()
)


def location_field(fields: Any, problems: list[str] | None = None) -> str | None:
    """The value of the first profile field whose whole label is a location word.

    A field that is not an object is skipped (and named in ``problems``)."""
    if not isinstance(fields, list):
        return None
    words = LOCATION_LABELS
    for i, field in enumerate(fields):
        if not isinstance(field, dict):
            if problems is not None:
                problems.append(f"profile field {i + 1} is a {type(field).__name__}, not an object")
            continue
        if field_label(field.get("name")) in words:
            value = strip_html(field.get("value"))
            if value:
                return value
    return None


def acct_of(account: dict[str, Any]) -> str:
    """``user@instance`` for an account (local accounts get their URL's host)."""
    acct = account.get("acct") or account.get("username") or account.get("id")
    if not isinstance(acct, (str, int)) or acct == "":
        raise ValueError("an account with neither acct, username nor id")
    acct = str(acct)
    if "@" not in acct:
        url = account.get("url")
        host = urlsplit(url).hostname if isinstance(url, str) else None
        if host:
            acct = f"{acct}@{host}"
    return acct.lower()


def person(
    account: dict[str, Any],
    conv: Conversation,
    ref: str,
    profile_only: bool = False,
    problems: list[str] | None = None,
) -> str:
    """The id of the person with this account (created or folded in)."""
    acct = acct_of(account)
    name = account.get("display_name") or account.get("username") or acct
    p = new_person(
        name if isinstance(name, str) else acct,
        handles={"mastodon": acct},
        source=ref,
        platform="mastodon",
    )
    if isinstance(account.get("url"), str):
        p.add_evidence("profile", account["url"], ref)
    p.location_text = location_field(account.get("fields"), problems)
    if not p.location_text:
        found = location_from_bio(strip_html(account.get("note")))
        if found:
            p.location_text = found
            p.add_evidence("bio location", found, ref)
    p.profile_only = profile_only
    have = conv.people.get(p.id)
    if have is not None and not profile_only:
        have.profile_only = False
    return conv.add_person(p).id


def quoted(s: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """``(quoted status, its id)`` of a status in any quote shape: Mastodon 4.4
    ``quote: {state, quoted_status | quoted_status_id}``, Akkoma/Pleroma
    ``pleroma.quote``/``pleroma.quote_id``, Fedibird/Akkoma ``quote``/``quote_id``."""
    for holder in (s, _dict(s.get("pleroma"))):
        q = holder.get("quote")
        if isinstance(q, dict):
            if "quoted_status" in q or "quoted_status_id" in q or "state" in q:
                if q.get("state") not in (None, "accepted"):
                    return None, None  # pending, rejected, revoked: not shown as a quote
                qs = q.get("quoted_status")
                qid = q.get("quoted_status_id") or (qs.get("id") if isinstance(qs, dict) else None)
                return (qs if isinstance(qs, dict) else None), (str(qid) if qid else None)
            if isinstance(q.get("account"), dict):
                return q, str(q.get("id") or "") or None
        qid = holder.get("quote_id")
        if isinstance(qid, (str, int)) and qid != "":
            return None, str(qid)
    return None, None


class _Reader:
    """One file's statuses: people, edges, and the ids seen (each status once)."""

    def __init__(self, path: str | Path, conv: Conversation):
        self.path = str(path)
        self.conv = conv
        self.accounts: dict[str, str] = {}  # account id → person id
        self.authors: dict[str, str] = {}  # status id → its author's person id
        self.seen: set[str] = set()
        self.pending_quotes: list[tuple[str, str, str, datetime | None, str]] = []

    def person(self, account: dict[str, Any], where: str, profile_only: bool = False) -> str:
        problems: list[str] = []
        pid = person(account, self.conv, f"{self.path}: {where}", profile_only, problems)
        for what in problems:
            self.conv.problem(self.path, where, f"{what}; that field skipped")
        if account.get("id") is not None:
            self.accounts.setdefault(str(account["id"]), pid)
        return pid

    def status(self, s: dict[str, Any], where: str, depth: int = 0) -> str:
        if not isinstance(s.get("account"), dict):
            raise ValueError("not a status (no 'account')")
        sid = str(s.get("id", ""))
        if sid and sid in self.seen:
            return self.authors.get(sid) or self.person(s["account"], where)
        me = self.person(s["account"], where)
        if sid:
            self.seen.add(sid)
            self.authors[sid] = me
        try:
            at = datetime.fromisoformat(str(s.get("created_at")).replace("Z", "+00:00"))
        except ValueError:
            at = None
        sref: str = s["url"] if isinstance(s.get("url"), str) else f"status {sid}"
        conv = self.conv
        if isinstance(s.get("reblog"), dict):
            orig = self.status(s["reblog"], where, depth + 1) if depth < 3 else None
            if orig and orig != me:
                conv.interactions.append(Interaction(me, orig, "retweet", at=at, ref=sref))
            return me
        used: set[str] = set()
        qs, qid = quoted(s)
        if qs is not None and isinstance(qs.get("account"), dict) and depth < 3:
            other = self.status(qs, where, depth + 1)
            if other != me:
                conv.interactions.append(Interaction(me, other, "quote", at=at, ref=sref))
            used.add(other)
        elif qid:
            self.pending_quotes.append((me, qid, sref, at, where))
        mentions: dict[str, dict] = {}
        for m in s.get("mentions") or []:
            if not isinstance(m, dict):
                conv.problem(
                    self.path,
                    where,
                    f"status {sid}: a mention that is a {type(m).__name__}; skipped",
                )
                continue
            mentions[str(m.get("id"))] = m
        reply_to = s.get("in_reply_to_account_id")
        if reply_to:
            target = self.accounts.get(str(reply_to))
            if target is None and str(reply_to) in mentions:
                target = self.person(mentions[str(reply_to)], where)
            if target is None:  # an account never seen in the file: kept, named by id
                target = f"mastodon-account:{reply_to}"
                if target not in conv.people:
                    conv.people[target] = Person(target, f"account {reply_to}")
            if target != me:
                text = strip_html(s.get("content"))
                conv.interactions.append(
                    Interaction(me, target, "reply", at=at, ref=sref, text=text)
                )
                used.add(target)
        for m in mentions.values():
            target = self.person(m, where)
            if target != me and target not in used:
                conv.interactions.append(Interaction(me, target, "mention", at=at, ref=sref))
                used.add(target)
        return me

    def resolve_quotes(self) -> None:
        for me, qid, sref, at, where in self.pending_quotes:
            other = self.authors.get(qid)
            if other is None:
                self.conv.problem(
                    self.path,
                    where,
                    f"a quote of status {qid}, which is not in the file: its author is "
                    "unknown, the quote is not counted",
                )
            elif other != me:
                self.conv.interactions.append(Interaction(me, other, "quote", at=at, ref=sref))


def _is_account(x: Any) -> bool:
    return isinstance(x, dict) and "acct" in x and "account" not in x and "content" not in x


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read Mastodon statuses, contexts, timelines, account lists or collector output."""
    conv = Conversation(inputs=[str(path)])
    r = _Reader(path, conv)
    for where, value in records(path, conv):
        try:
            _value(r, value, where)
        except (TypeError, AttributeError, KeyError, ValueError) as e:
            conv.problem(
                str(path), where, f"record of unexpected shape ({type(e).__name__}: {e}); skipped"
            )
    r.resolve_quotes()
    nothing_read(conv, path, "Mastodon statuses or accounts")
    return conv


def _value(r: _Reader, value: Any, where: str) -> None:
    conv = r.conv
    statuses: list = []
    root = None
    if isinstance(value, list):
        if value and all(_is_account(x) for x in value):
            for i, acc in enumerate(value):  # followers, reblogged_by, accounts/search
                _isolated(
                    r,
                    lambda acc=acc: r.person(acc, where, profile_only=True),
                    f"{where}, account {i + 1}",
                )
            return
        statuses = value
    elif isinstance(value, dict):
        if "status" in value or "context" in value:
            root = value.get("status") if isinstance(value.get("status"), dict) else None
            ctx = _dict(value.get("context"))
            statuses = [
                *(ctx.get("ancestors") or []),
                *([root] if root else []),
                *(ctx.get("descendants") or []),
            ]
        elif "ancestors" in value or "descendants" in value:
            statuses = [*(value.get("ancestors") or []), *(value.get("descendants") or [])]
        elif "account" in value:
            statuses = [value]
        elif _is_account(value):
            r.person(value, where, profile_only=True)  # one account a line
            return
        elif isinstance(value.get("accounts"), list):  # search results
            for i, acc in enumerate(value["accounts"]):
                _isolated(
                    r,
                    lambda acc=acc: r.person(acc, where, profile_only=True),
                    f"{where}, account {i + 1}",
                )
            statuses = value.get("statuses") or []
    if not statuses:
        conv.problem(r.path, where, "no Mastodon statuses found; skipped")
        return
    # accounts first, so a reply can name the account it answers
    for s in statuses:
        if isinstance(s, dict) and isinstance(s.get("account"), dict):
            _isolated(r, lambda s=s: r.person(s["account"], where), None)
    for i, s in enumerate(statuses):
        loc = where if len(statuses) == 1 else f"{where}, status {i + 1}"
        if not isinstance(s, dict):
            conv.problem(r.path, loc, f"a JSON {type(s).__name__}, not a status; skipped")
            continue
        _isolated(r, lambda s=s, loc=loc: r.status(s, loc), loc)
    if isinstance(value, dict) and root:
        author_id = r.authors.get(str(root.get("id")))
        for key, kind, what in (
            ("reblogged_by", "retweet", "reblog"),
            ("favourited_by", "share", "favourite"),
        ):
            for i, acc in enumerate(value.get(key) or []):

                def act(acc=acc, kind=kind, what=what):
                    who = r.person(acc, where)
                    if author_id and who != author_id:
                        conv.interactions.append(
                            Interaction(who, author_id, kind, ref=f"{what} of {root.get('url')}")
                        )

                _isolated(r, act, f"{where}, {key} {i + 1}")


def _isolated(r: _Reader, step, where: str | None) -> None:
    """Run one record's ``step``; a record of the wrong shape is skipped and named."""
    try:
        step()
    except (TypeError, AttributeError, KeyError, ValueError) as e:
        if where is not None:
            r.conv.problem(r.path, where, f"{e if isinstance(e, ValueError) else repr(e)}; skipped")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
