"""Reference counts computed from the raw JSON with the standard library alone (not
with mapper's readers): what ../shared/data/README.md states for each file, and what
mapper's documented counting rules give on it.

Rules (README.md, "Counting rules for platform data"): an interaction is one act
between two different people (self-replies, self-quotes and self-mentions are not
edges); every tweet or post counts once per id, embedded originals included, as a
post of its own author; a participant is anyone on an interaction or who wrote a
post; people seen only in profile lists are not participants.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from pathlib import Path


def load_json_values(path: Path) -> list:
    """Every JSON value in the file: one document, or one per line."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        values = []
        for line in text.split("\n"):
            if line.strip():
                with contextlib.suppress(json.JSONDecodeError):
                    values.append(json.loads(line))
        return values


class Tally:
    """Posts, interactions by kind and participants, by the counting rules."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.authors: set[str] = set()
        self.kinds: Counter = Counter()
        self.people: set[str] = set()

    def post(self, author: str) -> None:
        self.authors.add(author)
        self.people.add(author)

    def act(self, source: str, target: str, kind: str) -> None:
        if source != target:
            self.kinds[kind] += 1
            self.people.update((source, target))


# --- Twitter v1.1 --------------------------------------------------------------------

_text_mention = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,15})\b")


def v1_items(path: Path) -> list[dict]:
    """The tweets or activities of a v1.1 file in any layout."""
    out: list[dict] = []
    for value in load_json_values(path):
        if isinstance(value, dict):
            for key in ("statuses", "results"):
                if isinstance(value.get(key), list):
                    out.extend(value[key])
                    break
            else:
                out.append(value)
        elif isinstance(value, list):
            out.extend(value)
    return [t for t in out if isinstance(t, dict) and ("user" in t or "actor" in t)]


def v1_readme(path: Path) -> dict:
    """The README's columns: top-level tweets, retweets, replies, quotes, mention
    entities (extended_tweet's when present), and distinct authors including the
    retweeted and quoted ones."""
    tweets = v1_items(path)
    counts = Counter(tweets=len(tweets))
    authors = set()
    for t in tweets:
        if "actor" in t:  # Gnip activity
            counts["retweets"] += t.get("verb") == "share"
            counts["replies"] += "inReplyTo" in t
            counts["quotes"] += "twitter_quoted_status" in t
            counts["mentions"] += len((t.get("twitter_entities") or {}).get("user_mentions", []))
            authors.add(t["actor"]["preferredUsername"].lower())
            if "twitter_quoted_status" in t:
                authors.add(t["twitter_quoted_status"]["actor"]["preferredUsername"].lower())
            continue
        counts["retweets"] += "retweeted_status" in t
        counts["replies"] += bool(
            t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id")
        )
        counts["quotes"] += "quoted_status" in t
        ents = (t.get("extended_tweet") or {}).get("entities") or t.get("entities") or {}
        counts["mentions"] += len(ents.get("user_mentions", []))
        authors.add(t["user"]["screen_name"].lower())
        for key in ("retweeted_status", "quoted_status"):
            if isinstance(t.get(key), dict):
                authors.add(t[key]["user"]["screen_name"].lower())
    counts["participants"] = len(authors)
    return dict(counts)


def _as_tweet(a: dict) -> dict:
    """A Gnip activity in v1.1 terms (only what the rules need)."""
    t: dict = {
        "id_str": a["id"].rsplit(":", 1)[-1],
        "user": {"screen_name": a["actor"]["preferredUsername"]},
        "text": a.get("body", ""),
    }
    ents = (a.get("long_object") or {}).get("twitter_entities") or a.get("twitter_entities")
    if ents is not None:
        t["entities"] = ents
    if isinstance(a.get("inReplyTo"), dict):
        t["in_reply_to_screen_name"] = a["inReplyTo"]["link"].split("/")[3]
    if a.get("verb") == "share":
        t["retweeted_status"] = _as_tweet(a["object"])
    if isinstance(a.get("twitter_quoted_status"), dict):
        t["quoted_status"] = _as_tweet(a["twitter_quoted_status"])
    return t


def v1_rules(path: Path) -> Tally:
    tally = Tally()

    def tweet(t: dict) -> None:
        tid = str(t.get("id_str") or t.get("id") or "")
        if tid and tid in tally.seen:
            return
        tally.seen.add(tid)
        me = t["user"]["screen_name"].lower()
        tally.post(me)
        rt = t.get("retweeted_status")
        if isinstance(rt, dict):
            tally.act(me, rt["user"]["screen_name"].lower(), "retweet")
            tweet(rt)
            return
        done = set()
        qt = t.get("quoted_status")
        if isinstance(qt, dict):
            other = qt["user"]["screen_name"].lower()
            tally.act(me, other, "quote")
            done.add(other)
            tweet(qt)
        if t.get("in_reply_to_screen_name"):
            other = t["in_reply_to_screen_name"].lower()
            tally.act(me, other, "reply")
            done.add(other)
        ents = (t.get("extended_tweet") or {}).get("entities") or t.get("entities")
        if ents is None:  # before entities: from the text
            text = t.get("text") or ""
            m = re.match(r"\s*RT\s+@(\w+)", text, re.I)
            if m:
                tally.act(me, m.group(1).lower(), "retweet")
                done.add(m.group(1).lower())
            names = _text_mention.findall(text)
        else:
            names = [m["screen_name"] for m in ents.get("user_mentions", [])]
        for name in names:
            if name.lower() not in done:
                tally.act(me, name.lower(), "mention")
                done.add(name.lower())

    for t in v1_items(path):
        tweet(_as_tweet(t) if "actor" in t else t)
    return tally


# --- Twitter v2 -----------------------------------------------------------------------


def v2_readme(path: Path) -> dict:
    """Data tweets, referenced tweets by type, mention entities, includes.tweets, page
    errors, and distinct author_id over data + includes.tweets."""
    counts: Counter = Counter()
    authors = set()
    for page in load_json_values(path):
        counts["pages"] += 1
        data = page.get("data") or []
        data = data if isinstance(data, list) else [data]
        counts["tweets"] += len(data)
        for t in data:
            for r in t.get("referenced_tweets", []):
                counts[r["type"]] += 1
            counts["mentions"] += len((t.get("entities") or {}).get("mentions", []))
            authors.add(t["author_id"])
        inc = (page.get("includes") or {}).get("tweets", [])
        counts["includes_tweets"] += len(inc)
        authors.update(t["author_id"] for t in inc)
        counts["errors"] += len(page.get("errors", []))
    counts["participants"] = len(authors)
    return dict(counts)


def v2_rules(path: Path) -> Tally:
    """Pages (data + includes) only; every data and included tweet once per id."""
    tally = Tally()
    kinds = {"retweeted": "retweet", "quoted": "quote", "replied_to": "reply"}
    for page in load_json_values(path):
        if "data" not in page:
            continue
        inc = page.get("includes") or {}
        users = {u["id"]: u["username"].lower() for u in inc.get("users", [])}
        tweets = {t["id"]: t for t in inc.get("tweets", [])}

        def who(uid: str, username: str | None = None, users: dict = users) -> str:
            return users.get(uid) or (username or "").lower() or f"id:{uid}"

        data = page["data"] if isinstance(page["data"], list) else [page["data"]]
        for t in [*data, *tweets.values()]:
            if t["id"] in tally.seen:
                continue
            tally.seen.add(t["id"])
            me = who(t["author_id"])
            tally.post(me)
            done = set()
            refs = t.get("referenced_tweets", [])
            for r in refs:
                target = tweets.get(r["id"], {}).get("author_id")
                if target is None and r["type"] == "replied_to":
                    target = t.get("in_reply_to_user_id")
                if target is None and r["type"] == "retweeted":  # original not included
                    rt = re.match(r"RT @(\w+):", t.get("text", ""))
                    if rt:
                        target = rt.group(1).lower()
                        for m in (t.get("entities") or {}).get("mentions", []):
                            if m["username"].lower() == target and m.get("id") in users:
                                target = users[m["id"]]
                        tally.act(me, target, "retweet")
                        continue
                if target is None and r["type"] == "quoted":  # the quote's link says who
                    for u in (t.get("entities") or {}).get("urls", []):
                        link = re.search(
                            r"(?:twitter|x)\.com/(\w+)/status/" + r["id"] + r"\b",
                            u.get("expanded_url") or "",
                        )
                        if link:
                            target = link.group(1).lower()
                            tally.act(me, target, "quote")
                            done.add(target)
                            break
                    continue
                if target is not None:
                    tally.act(me, who(target), kinds[r["type"]])
                    done.add(who(target))
            if t.get("in_reply_to_user_id") and not any(r["type"] == "replied_to" for r in refs):
                tally.act(me, who(t["in_reply_to_user_id"]), "reply")
                done.add(who(t["in_reply_to_user_id"]))
            if any(r["type"] == "retweeted" for r in refs):
                continue
            for m in (t.get("entities") or {}).get("mentions", []):
                other = who(m.get("id"), m.get("username"))
                if other not in done:
                    tally.act(me, other, "mention")
                    done.add(other)
    return tally


# --- Mastodon -------------------------------------------------------------------------


def _acct(account: dict) -> str:
    acct = account.get("acct") or account["username"]
    if "@" not in acct:
        acct += "@" + account["url"].split("/")[2]
    return acct.lower()


def mastodon_statuses(path: Path) -> list[dict]:
    out: list[dict] = []
    for value in load_json_values(path):
        if isinstance(value, list):
            out.extend(value)
        elif "ancestors" in value or "descendants" in value:
            out.extend([*value.get("ancestors", []), *value.get("descendants", [])])
        else:
            out.append(value)
    return [s for s in out if isinstance(s, dict) and "account" in s]


def mastodon_readme(path: Path) -> dict:
    statuses = mastodon_statuses(path)
    counts = Counter(statuses=len(statuses))
    for s in statuses:
        counts["replies" if s.get("in_reply_to_id") else "posts"] += 1
        counts["reblogs"] += bool(s.get("reblog"))
        counts["quotes"] += bool(s.get("quote"))
        counts["mentions"] += len(s.get("mentions", []))
    counts["participants"] = len({_acct(s["account"]) for s in statuses})
    return dict(counts)


def mastodon_rules(path: Path) -> Tally:
    tally = Tally()
    statuses = mastodon_statuses(path)
    accounts = {str(s["account"]["id"]): _acct(s["account"]) for s in statuses}
    for s in statuses:
        if str(s["id"]) in tally.seen:
            continue
        tally.seen.add(str(s["id"]))
        me = _acct(s["account"])
        tally.post(me)
        if s.get("reblog"):
            tally.act(me, _acct(s["reblog"]["account"]), "retweet")
            continue
        done = set()
        mentions = {str(m["id"]): _acct(m) for m in s.get("mentions", [])}
        to = s.get("in_reply_to_account_id")
        if to:
            target = accounts.get(str(to)) or mentions.get(str(to)) or f"account:{to}"
            tally.act(me, target, "reply")
            done.add(target)
        for other in mentions.values():
            if other not in done:
                tally.act(me, other, "mention")
                done.add(other)
    return tally


# --- Bluesky --------------------------------------------------------------------------


def _thread_nodes(thread: dict) -> list[tuple[dict, dict | None]]:
    """Every node of a getPostThread with the node it replies to (None at the top)."""
    chain = []
    node = thread.get("parent")
    while isinstance(node, dict):
        chain.append(node)
        node = node.get("parent")
    out = []
    above = None
    for n in [*reversed(chain), thread]:
        out.append((n, above))
        above = n
    todo = [(c, thread) for c in thread.get("replies", [])]
    while todo:
        n, parent = todo.pop()
        out.append((n, parent))
        todo.extend((c, n) for c in n.get("replies", []) if isinstance(n, dict))
    return out


def bluesky_readme(path: Path) -> dict:
    [value] = load_json_values(path)
    counts: Counter = Counter()
    if "thread" in value:
        dids = set()
        for n, _parent in _thread_nodes(value["thread"]):
            kind = n.get("$type", "").rsplit("#", 1)[-1]
            if "post" in n:
                counts["posts"] += 1
                dids.add(n["post"]["author"]["did"])
                counts["mention_facets"] += sum(
                    1
                    for f in n["post"]["record"].get("facets", [])
                    for x in f["features"]
                    if x["$type"].endswith("#mention")
                )
            else:
                counts[kind] += 1
        counts["participants"] = len(dids)
    for key in ("profiles", "follows"):
        counts[key] = len(value.get(key, []))
    return dict(counts)


def bluesky_rules(path: Path) -> Tally:
    """Replies to posts in the file, quotes (the quoted view a post of its author),
    mention facets; profile lists give nobody."""
    tally = Tally()
    [value] = load_json_values(path)

    def post(p: dict, parent: str | None) -> str:
        me = p["author"]["did"]
        if p["uri"] in tally.seen:
            return me
        tally.seen.add(p["uri"])
        tally.post(me)
        done = set()
        if parent:
            tally.act(me, parent, "reply")
            done.add(parent)
        embed = p.get("embed") or {}
        rec = embed.get("record") if isinstance(embed, dict) else None
        if isinstance(rec, dict) and "record" in rec and "author" not in rec:
            rec = rec["record"]
        if isinstance(rec, dict) and "author" in rec:
            other = post(rec, None)
            tally.act(me, other, "quote")
            done.add(other)
        for f in (p.get("record") or p.get("value") or {}).get("facets", []):
            for x in f["features"]:
                if x["$type"].endswith("#mention") and x["did"] not in done:
                    tally.act(me, x["did"], "mention")
                    done.add(x["did"])
        return me

    authors: dict[int, str] = {}
    if "thread" in value:
        for n, parent in _thread_nodes(value["thread"]):
            if "post" in n:
                above = authors.get(id(parent)) if parent is not None else None
                authors[id(n)] = post(n["post"], above)
    return tally
