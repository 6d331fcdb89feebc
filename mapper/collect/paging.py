"""Bounded pagination shared by the collectors.

Every paginator stops on an empty page, on a URL or cursor it has already fetched
(a server that loops), and after :data:`mapper.settings.collect_max_pages` pages;
accounts listed twice (the same reblogger on two pages) are kept once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from .. import settings

log = logging.getLogger("mapper")


class Pager:
    """Tracks one list being paged through: what was fetched, what was kept."""

    def __init__(self, what: str, key: Callable[[Any], Hashable | None]):
        self.what = what
        self.key = key
        self.visited: set[Hashable] = set()
        self.kept: dict[Hashable, Any] = {}
        self.pages = 0
        self.duplicates = 0

    def visit(self, token: Hashable) -> bool:
        """False (and a warning) when ``token`` (a URL, a cursor, a page number) was
        fetched already or the page cap is reached: stop paging."""
        if token in self.visited:
            log.warning("%s: the server sent a page already fetched; stopping there", self.what)
            return False
        if self.pages >= settings.collect_max_pages:
            log.warning(
                "%s: stopped after %d pages (settings.collect_max_pages)", self.what, self.pages
            )
            return False
        self.visited.add(token)
        self.pages += 1
        return True

    def add(self, items: Iterable[Any]) -> int:
        """Keep the new ones of ``items``; the number of new ones (0: stop paging)."""
        new = 0
        for item in items:
            k = self.key(item)
            if k is None:
                continue
            if k in self.kept:
                self.duplicates += 1
                continue
            self.kept[k] = item
            new += 1
        return new

    def items(self) -> list[Any]:
        if self.duplicates:
            log.info("%s: %d listed twice, kept once", self.what, self.duplicates)
        return list(self.kept.values())
