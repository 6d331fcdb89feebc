"""The saved-page reader's work (:mod:`mapper.sources.html`), imported on first
read: BeautifulSoup and its CSS module cost about 0.3 s of CPU to import, which
every run that reads no HTML page (a tweet file) paid."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..ids import new_person
from ..model import Conversation, Interaction, Post
from . import blog
from .base import (
    decode_text,
    open_bytes,
    placeholder_author,
    resolve_author,
    tweet_interactions,
)

_CANDIDATES = (
    "li.comment, li.pingback, li.trackback, li.webmention, article.comment, div.comment, "
    "article.epoch-single-comment, li[id^=comment-], li[id^=li-comment-], "
    "div[id^=comment-], article[id^=comment-]"
)
_CLASSED = {"comment", "pingback", "trackback", "webmention", "epoch-single-comment"}
_comment_id = re.compile(r"^(?:li-)?comment-\d+$")
# where comment-like markup is not a comment: the reply form, widgets, menus
_OUTSIDE = {"form", "nav", "aside", "script", "template", "noscript"}
_AUTHOR_SELECTORS = (
    ".fn",
    "a.epoch-author-link",
    "[data-username]",
    ".comment_author",
    ".comment-author-name",
    ".author-name",
    "span.author",
    ".commenter",
    ".comment-author-link",
    "cite",
    ".comment-author",
    ".epoch-comment-author",
    "strong",
    "b",
)
_TEXT_SELECTORS = (
    ".comment-content",
    ".epoch-comment-content",
    ".e-content",
    ".comment-text",
    ".comment-entry",
    ".comment-body",
)
_says = re.compile(
    r"\s*(?:says|said|wrote|dit|a dit|a écrit|écrit|sagt|schreibt|schrieb|dice|diz|"
    r"scrive|zegt|pisze|пишет|说)\s*:?\s*$",
    re.I,
)
_not_names = {
    "profile",
    "reply",
    "répondre",
    "antworten",
    "responder",
    "rispondi",
    "pingback",
    "trackback",
    "says",
    "permalink",
    "edit",
}
_bridgy = re.compile(r"brid-?gy\.appspot\.com/(repost|like|comment|rsvp|post|react)/", re.I)


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a saved page: its post and every comment on it."""
    conv = Conversation(inputs=[str(path)])
    soup = BeautifulSoup(decode_text(open_bytes(path), path, conv), "html.parser")
    for junk in soup(["script", "style", "noscript", "template"]):
        junk.decompose()
    post = _post(soup, path)
    conv.posts.append(post)
    _byline(soup, post, conv, path)
    own_hosts = {h for h in (blog.host_of(post.url),) if h}
    cands = _candidates(soup)
    if not cands:
        conv.problem(str(path), "document", "no comments found (no li.comment or kin)")
    _Thread(soup, cands, conv, path, post, own_hosts).read()
    resolve_author(conv, post, author)
    return conv


def _post(soup: BeautifulSoup, path: str | Path) -> Post:
    title_el = soup.select_one("h1.entry-title, h1.post-title, article h1, h1") or soup.title
    body_el = soup.select_one(".entry-content, .post-content, article")
    link = soup.select_one("link[rel=canonical]") or soup.select_one("meta[property='og:url']")
    url = (link.get("href") or link.get("content")) if link else None
    return Post(
        id=Path(path).name,
        title=title_el.get_text(" ", strip=True) if title_el else None,
        url=str(url) if url else None,
        text=body_el.get_text("\n", strip=True) if body_el else None,
    )


def _byline(soup: BeautifulSoup, post: Post, conv: Conversation, path) -> None:
    byline = soup.select_one(
        ".byline .author a, .byline .author, .byline a[rel=author], a[rel=author], "
        ".entry-author a, .author.vcard a, .post-author a"
    )
    if byline is not None and byline.find_parent(_is_candidate_tag) is not None:
        byline = None  # a commenter's link, not the post's byline
    meta = soup.select_one("meta[name=author]")
    raw = byline.get_text(" ", strip=True) if byline else (meta.get("content") if meta else None)
    name = blog.clean_byline(str(raw)) if raw else ""
    if not name:
        return
    href = byline.get("href") if byline is not None and byline.name == "a" else None
    p = conv.add_person(new_person(name, _author_site(href), source="byline", platform="web"))
    post.author_id = p.id
    post.author_evidence.append({"kind": "byline", "value": str(raw), "source": str(path)})


def _is_candidate_tag(el) -> bool:
    return isinstance(el, Tag) and _matches(el)


def _matches(el: Tag) -> bool:
    classes = set(el.get("class") or [])
    if el.name in ("li", "article", "div") and _comment_id.match(str(el.get("id") or "")):
        return True
    if el.name == "li" and classes & _CLASSED:
        return True
    return el.name in ("article", "div") and bool(classes & {"comment", "epoch-single-comment"})


def _author_site(href) -> str | None:
    # a byline link to /author/jane/ on the blog itself says nothing about Jane's own site
    return None if not href or "/author/" in str(href) else str(href)


def _candidates(soup: BeautifulSoup) -> list[Tag]:
    out = []
    for el in soup.select(_CANDIDATES):
        if not _matches(el):
            continue
        if any(a.name in _OUTSIDE or a.get("id") == "respond" for a in el.parents if a.name):
            continue
        out.append(el)
    return out


class _Thread:
    """The comments of one page, read in document order (a parent before its replies)."""

    def __init__(self, soup, cands: list[Tag], conv: Conversation, path, post, own_hosts):
        self.cands = cands
        self.ids = {id(c) for c in cands}
        self.conv, self.path, self.post, self.own_hosts = conv, path, post, own_hosts
        self.known: dict[str, str] = {}
        #: per comment element: the person replies to it point at (None: the post)
        self.person: dict[int, str | None] = {}

    def up(self, el: Tag) -> Tag | None:
        """The nearest comment element that holds ``el``."""
        for a in el.parents:
            if id(a) in self.ids:
                return a
        return None

    def own(self, el: Tag, selector: str) -> list[Tag]:
        """Matches of ``selector`` in ``el`` itself, not in the comments it holds."""
        return [x for x in el.select(selector) if self.up(x) is el]

    def own_text(self, el: Tag) -> str:
        parts: list[str] = []
        stack = list(reversed(list(el.children)))
        while stack:
            n = stack.pop()
            if isinstance(n, Comment):
                continue
            if isinstance(n, NavigableString):
                parts.append(str(n))
            elif isinstance(n, Tag) and id(n) not in self.ids:
                stack.extend(reversed(list(n.children)))
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def wrapped(self, el: Tag) -> Tag | None:
        """The one comment ``el`` merely wraps, when ``el`` has nothing of its own."""
        if self.own_text(el):
            return None
        for c in el.find_all(True):
            if id(c) in self.ids and self.up(c) is el:
                return c
        return None

    def main(self, el: Tag) -> Tag:
        seen = 0
        while (inner := self.wrapped(el)) is not None and seen < 50:
            el, seen = inner, seen + 1
        return el

    def read(self) -> None:
        mains = {id(self.main(c)) for c in self.cands}
        for c in self.cands:
            if id(c) not in mains:
                continue
            # the parent: the nearest holder that is another comment, through wrappers
            holder, classes = self.up(c), set(c.get("class") or [])
            while holder is not None and self.main(holder) is c:
                classes |= set(holder.get("class") or [])
                holder = self.up(holder)
            parent_el = self.main(holder) if holder is not None else None
            parent = self.person.get(id(parent_el)) if parent_el is not None else None
            self.person[id(c)] = self.comment(c, classes, parent) or parent

    def comment(self, el: Tag, classes: set[str], parent: str | None) -> str | None:
        """Read one comment; return its author's id, or None when unreadable."""
        conv, path = self.conv, self.path
        line = el.sourceline or 0
        ref = f"{path}:{line}"
        is_ping = bool(classes & {"pingback", "trackback"})
        name, url = self.author(el, is_ping)
        text = self.text(el)
        target = parent or placeholder_author(self.post)
        if is_ping:
            if not (name or url):
                conv.problem(str(path), f"line {line}", "pingback without a link; skipped")
                return None
            p = blog.pingback(conv, name, url, self.own_hosts, f"line {line}")
            if p is not None:
                conv.interactions.append(
                    Interaction(
                        p.id,
                        placeholder_author(self.post),
                        "pingback",
                        ref=ref,
                        text=blog.ping_text(url, text),
                    )
                )
            return None  # nobody replies to a pingback's site
        if not name:
            where = "the comment it replies to" if parent else "the post"
            conv.problem(
                str(path),
                f"line {line}",
                f"comment without a readable author (no .fn, cite, .comment-author, "
                f"span.author …); skipped, its replies kept (attached to {where})",
            )
            return None
        p = conv.add_person(new_person(name, url, source=f"line {line}", platform="web"))
        blog.remember(self.known, p)
        if "bypostauthor" in classes and self.post.author_id is None:
            # WordPress marks the post author's own comments: the byline the page lacks
            self.post.author_id = p.id
            self.post.author_evidence.append(
                {"kind": "bypostauthor", "value": name, "source": f"{path}:{line}"}
            )
        bridgy = _bridgy.search(" ".join(str(a.get("href") or "") for a in el.find_all("a")))
        if "webmention" in classes and bridgy:
            kind = {"repost": "retweet", "like": "share", "react": "share"}.get(
                bridgy.group(1).lower(), "comment"
            )
            conv.interactions.append(Interaction(p.id, target, kind, ref=ref, text=text))
        elif "twitter" in p.handles and "/status/" in (url or ""):
            tweet_interactions(text, p.id, target, ref, conv)
        else:
            kind = "reply" if parent else "comment"
            conv.interactions.append(Interaction(p.id, target, kind, ref=ref, text=text))
            blog.comment_mentions(
                conv, text, p.id, ref, known=self.known, parent=parent, platform="web"
            )
        return p.id

    def author(self, el: Tag, is_ping: bool) -> tuple[str, str | None]:
        """The author's name and site link, from the comment's own markup."""
        for sel in _AUTHOR_SELECTORS:
            for hit in self.own(el, sel):
                if sel in ("strong", "b") and not _leads(hit):
                    continue  # bold words in the comment text are not its author
                name = _name_of(hit, sel)
                if name:
                    return name, _link_of(hit)
        if is_ping:
            for a in self.own(el, "a.url, a[href]"):
                href = str(a.get("href") or "")
                if href.startswith(("http://", "https://")):
                    return a.get_text(" ", strip=True), href
        return "", None

    def text(self, el: Tag) -> str:
        for sel in _TEXT_SELECTORS:
            hits = self.own(el, sel)
            if hits:
                return hits[0].get_text("\n", strip=True)
        paras = self.own(el, "p")
        if paras:
            return "\n".join(p.get_text(" ", strip=True) for p in paras)
        return self.own_text(el)


def _leads(hit: Tag) -> bool:
    """A bold name that opens its line, outside the comment's text, is its author."""
    if hit.find_parent(_is_content) is not None:
        return False
    parent = hit.parent
    before = parent.get_text(" ", strip=True) if parent is not None else ""
    return before.startswith(hit.get_text(" ", strip=True))


def _is_content(el) -> bool:
    if not isinstance(el, Tag):
        return False
    classes = set(el.get("class") or [])
    return el.name == "blockquote" or bool(
        classes & {"comment-content", "comment-text", "epoch-comment-content", "e-content"}
    )


def _name_of(hit: Tag, sel: str) -> str:
    if sel == "[data-username]":
        raw = str(hit.get("data-username") or "")
    elif sel in (".comment-author", ".epoch-comment-author"):
        raw = " ".join(
            s
            for s in hit.find_all(string=True)
            if not isinstance(s, Comment)
            and not any(
                set(a.get("class") or []) & {"says", "comment-meta", "avatar"}
                or a.name in ("time", "img")
                for a in s.parents
                if a is not hit and isinstance(a, Tag)
            )
        )
        raw = re.split(r"[·•|]", raw, maxsplit=1)[0]
    else:
        raw = hit.get_text(" ", strip=True)
    name = _says.sub("", blog.clean_byline(raw)).strip()
    if not name or name.lower().strip(" :") in _not_names or len(name) > 80:
        return ""
    return name


def _link_of(hit: Tag) -> str | None:
    a = hit if hit.name == "a" else hit.find("a", href=True)
    if a is None:
        a = hit.find_parent("a", href=True)
    href = str(a.get("href") or "") if a is not None else ""
    return href if href.startswith(("http://", "https://", "//")) else None
