"""A saved HTML page with comments in common WordPress and theme markup.

A *comment* is any of ``li.comment``, ``li.pingback``, ``li.trackback``,
``li.webmention``, ``article.comment``, ``div.comment``, the Epoch plugin's
``article.epoch-single-comment``, or a ``li``/``div``/``article`` whose id is
``comment-N``/``li-comment-N``.  A comment inside another one is its reply,
whatever holds it (``ol.children``, ``ul.children``, ``div.epoch-child``, nested
``div``s); an element that only wraps one comment (``li > div#comment-N``, Epoch's
``div#comment-N > article``) is that comment, not a second one.

The author is the first of ``.fn``, ``a.epoch-author-link``, ``[data-username]``,
``.comment_author``, ``span.author`` and its kin, ``cite``, the text of
``.comment-author`` (without "says:"), ``.epoch-comment-author``, ``strong``,
``b`` found in the comment itself (not in its replies); for a pingback or
trackback, ``a.url`` or its first link (one participant per site; the blog's own
site is an internal link).  A comment with no readable author is named in
``problems``; its replies are kept, attached to the nearest readable ancestor or
the post.  Bridgy webmentions are the reposts (``retweet``) and likes
(``share``) of their Twitter authors.

The page's declared charset (``<meta charset>``) is honoured (:func:`~mapper.sources.base.decode_text`).
"""

from __future__ import annotations

from pathlib import Path

from ..model import Conversation

NAME = "saved HTML comment page"


def sniff(head: str) -> bool:
    h = head.lower()
    return ("<html" in h or "<!doctype html" in h or "<body" in h) and (
        "commentlist" in h or "comment-list" in h or "<li" in h or "comment-" in h
    )


def read(path: str | Path, author: str | None = None) -> Conversation:
    """Read a saved page: its post and every comment on it."""
    from .html_page import read as read_page  # BeautifulSoup only when a page is read

    return read_page(path, author)
