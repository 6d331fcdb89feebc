"""Flag promotional comments (spam) so they stay out of influence.

The rule, for a comment that is not already marked spam by the platform:

1. it links to a *foreign* site: not the post's own site, not any participant's
   site, not Twitter/X, not a URL shortener; and
2. it is promotional: at least two sales phrases ("check out", "buy", "bonus",
   "free", "discount", "hurry", ...); and
3. it is off-topic: fewer than 30 % of its content words occur in the post
   (title and body) or in the other comments.

Limits: a short, on-topic comment that plugs its own product, or spam copied
from the post's own words, passes; a genuine comment that recommends a paid
tool with sales language and little overlap can be flagged.  ``--keep-spam``
keeps flagged people in the influence numbers; the flag and its reasons are
always in the person's ``evidence``.
"""

from __future__ import annotations

import re
from collections import Counter

from . import settings
from .ids import normalize_url
from .model import Conversation

SHORTENERS = {
    "bit.ly",
    "ow.ly",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "is.gd",
    "buff.ly",
    "tr.im",
    "j.mp",
    "su.pr",
    "fb.me",
    "lnkd.in",
    "dlvr.it",
    "ht.ly",
}
PLATFORMS = {
    "twitter.com",
    "x.com",
    "facebook.com",
    "linkedin.com",
    "youtube.com",
    "instagram.com",
    "bsky.app",
    "wordpress.com",
}
PROMO = (
    "check out",
    "buy",
    "bonus",
    "free",
    "discount",
    "offer",
    "hurry",
    "cheap",
    "deal",
    "price",
    "order now",
    "click here",
    "coupon",
    "casino",
    "loan",
    "viagra",
    "software",
    "promo",
    "sale",
    "guarantee",
    "make money",
    "earn",
    "subscribe now",
)
STOP = {
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "me",
    "more",
    "most",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "re",
    "s",
    "t",
    "ll",
    "ve",
    "d",
    "m",
    "don",
    "isn",
}
_url = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+", re.I)
_word = re.compile(r"[a-z][a-z']{2,}")


def _domain(url: str) -> str:
    n = normalize_url(url) or ""
    host = n.split("/", 1)[0]
    return host


def _words(text: str) -> set[str]:
    return {w.strip("'") for w in _word.findall(text.lower())} - STOP


def spam_reasons(text: str, known_domains: set[str], vocabulary: set[str]) -> list[str]:
    """Why ``text`` looks like spam (empty when it does not)."""
    links = list(_url.findall(text or ""))
    foreign = sorted(
        {
            d
            for d in map(_domain, links)
            if d
            and d not in known_domains
            and d not in SHORTENERS
            and not any(d == p or d.endswith("." + p) for p in PLATFORMS)
        }
    )
    if not foreign:
        return []
    lower = (text or "").lower()
    promo = sorted({p for p in PROMO if re.search(r"\b" + re.escape(p) + r"\b", lower)})
    if len(promo) < settings.spam_min_sales_words:
        return []
    words = _words(_url.sub(" ", text))
    if not words:
        return []
    on_topic = len(words & vocabulary) / len(words)
    if on_topic >= settings.spam_max_on_topic_share:
        return []
    return [
        f"links to {', '.join(foreign)}",
        f"sales words: {', '.join(promo)}",
        f"{on_topic:.0%} of its words occur in the post or thread",
    ]


def flag_spam(conv: Conversation) -> int:
    """Flag the authors of spam comments in ``conv``; return how many were flagged.

    A person is flagged only when every comment they wrote is spam, so one
    promotional aside does not silence a real participant.
    """
    known = {_domain(u) for p in conv.people.values() for u in p.urls}
    for post in conv.posts:
        if post.url:
            known.add(_domain(post.url))
    known.discard("")
    post_words: set[str] = set()
    for post in conv.posts:
        post_words |= _words(f"{post.title or ''} {post.text or ''}")
    by_author: dict[str, list] = {}
    for it in conv.interactions:
        if it.text and it.kind in ("comment", "reply"):
            by_author.setdefault(it.source, []).append(it)
    own = {pid: set().union(*(_words(it.text) for it in items)) for pid, items in by_author.items()}
    authors_using = Counter(w for words in own.values() for w in words)
    flagged = 0
    for pid, items in by_author.items():
        person = conv.people.get(pid)
        if person is None or person.spam:
            continue
        # the thread's vocabulary, as far as this person's words go: the post, or someone else
        shared = {w for w in own[pid] if authors_using[w] > 1}
        verdicts = [
            spam_reasons(it.text, known - {_domain(u) for u in person.urls}, post_words | shared)
            for it in items
        ]
        if all(verdicts):
            person.spam = True
            for it, why in zip(items, verdicts, strict=True):
                person.add_evidence("spam", "; ".join(why), it.ref or "")
            flagged += 1
    return flagged
